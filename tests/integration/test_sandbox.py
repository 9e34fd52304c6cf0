"""The throwaway cluster itself: configuration, unprivileged server, cleanup in every case."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pgwatch_tui.core.errors import SandboxError
from pgwatch_tui.sandbox import binaries
from pgwatch_tui.sandbox.binaries import PgInstall, find_install
from pgwatch_tui.sandbox.cluster import SandboxCluster, sandbox_cluster
from tests.pg_helpers import execute


def _postmaster_pid(cluster: SandboxCluster) -> int:
    return int((cluster.datadir / "postmaster.pid").read_text().splitlines()[0])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text()


def test_cluster_is_configured_for_pgwatch(cluster: SandboxCluster) -> None:
    settings = dict(
        execute(
            cluster.conninfo(),
            "SELECT name, setting FROM pg_settings WHERE name IN ('shared_preload_libraries',"
            " 'track_io_timing', 'port', 'unix_socket_directories')",
        )
    )
    preloaded = settings["shared_preload_libraries"].split(",")
    assert preloaded[0] == "pg_stat_statements"
    assert set(preloaded) <= {"pg_stat_statements", "pg_qualstats"}
    assert settings["track_io_timing"] == "on"
    assert settings["port"] == str(cluster.port)
    assert settings["unix_socket_directories"] == str(cluster.sockdir)
    assert str(cluster.sockdir).startswith(str(cluster.base))


def test_server_never_runs_as_root(cluster: SandboxCluster) -> None:
    status = Path(f"/proc/{_postmaster_pid(cluster)}/status").read_text()
    uid = int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])
    assert uid != 0


def test_destroy_stops_the_server_and_removes_every_file(pg_install: PgInstall) -> None:
    with sandbox_cluster(pg_install) as made:
        pid = _postmaster_pid(made)
        base = made.base
        assert _alive(pid)
    assert not base.exists()
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid)


OWNER = """
import sys, time
from pgwatch_tui.sandbox.cluster import SandboxCluster
cluster = SandboxCluster.create()
pid = open(cluster.datadir / "postmaster.pid").read().split()[0]
print(cluster.base, pid, flush=True)
time.sleep(600)
"""


def test_reaper_removes_the_cluster_when_its_owner_is_killed() -> None:
    owner = subprocess.Popen([sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True)
    assert owner.stdout is not None
    base_text, pid_text = owner.stdout.readline().split()
    base, server_pid = Path(base_text), int(pid_text)
    assert base.exists()
    assert _alive(server_pid)
    owner.send_signal(signal.SIGKILL)  # no chance to clean up by itself
    owner.wait(10)
    deadline = time.monotonic() + 30
    while (base.exists() or _alive(server_pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not base.exists()
    assert not _alive(server_pid)


def test_explicit_pg_bin_that_is_not_a_server(tmp_path: Path) -> None:
    with pytest.raises(SandboxError, match="no usable PostgreSQL server"):
        find_install(tmp_path)


def test_no_binaries_anywhere_names_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(binaries, "DEBIAN_ROOT", tmp_path / "none")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SandboxError, match=r"apt-get install postgresql-15 postgresql-15-hypopg"):
        find_install()


def test_explicit_pg_bin_is_used(pg_install: PgInstall) -> None:
    assert find_install(pg_install.bindir) == pg_install


def test_failed_start_cleans_up_and_says_why(pg_install: PgInstall) -> None:
    from pgwatch_tui.sandbox.cluster import ClusterOptions

    with pytest.raises(SandboxError, match="pg_ctl start failed") as info:
        SandboxCluster.create(pg_install, ClusterOptions(settings={"shared_buffers": "nonsense"}))
    assert "\n" not in str(info.value)
