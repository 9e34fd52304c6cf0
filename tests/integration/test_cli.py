"""The pgwatch command against a real server: connecting like psql, output, and errors."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pgwatch_tui.core.record.export import SnapshotDocument
from pgwatch_tui.sandbox.cluster import SandboxCluster
from tests.integration.fake_servers import tcp_server
from tests.pg_helpers import execute

PASSWORD = "correct horse battery"


def pgwatch(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pgwatch_tui", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output
    assert PASSWORD not in output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("pgwatch: ")
    for fragment in expected:
        assert fragment in lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def app_role(cluster: SandboxCluster) -> str:
    execute(cluster.conninfo(), "DROP ROLE IF EXISTS app_user")
    execute(cluster.conninfo(), f"CREATE ROLE app_user LOGIN PASSWORD '{PASSWORD}'".encode())  # type: ignore[arg-type]
    execute(cluster.conninfo(), "GRANT pg_monitor TO app_user")
    return "app_user"


def test_snapshot_json_validates_against_the_schema(cluster: SandboxCluster) -> None:
    result = pgwatch("snapshot", "--json", "--interval", "0.3", cluster.conninfo())
    assert result.returncode == 0, result.stderr
    document = SnapshotDocument.model_validate_json(result.stdout)
    assert document.schema_version == 1
    assert document.server.major >= 14
    assert document.interval_s is not None
    assert document.capabilities.statements_usable
    assert any(db.rates is not None and db.rates.tps is not None for db in document.databases)
    assert json.loads(result.stdout)["server"]["major"] == document.server.major


def test_human_snapshot_over_a_uri_with_pgpassword(cluster: SandboxCluster, app_role: str) -> None:
    uri = f"postgresql://{app_role}@127.0.0.1:{cluster.port}/postgres"
    result = pgwatch("snapshot", "--interval", "0.2", uri, env={"PGPASSWORD": PASSWORD})
    assert result.returncode == 0, result.stderr
    assert "Databases" in result.stdout
    assert "pgwatch snapshot of 127.0.0.1:" in result.stdout
    assert PASSWORD not in result.stdout


def test_psql_style_flags_with_pgpass(
    cluster: SandboxCluster, app_role: str, tmp_path: Path
) -> None:
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{cluster.port}:*:{app_role}:{PASSWORD}\n")
    pgpass.chmod(0o600)
    result = pgwatch(
        "snapshot",
        "--interval",
        "0.2",
        "-h",
        "127.0.0.1",
        "-p",
        str(cluster.port),
        "-U",
        app_role,
        "-d",
        "postgres",
        env={"PGPASSFILE": str(pgpass)},
    )
    assert result.returncode == 0, result.stderr
    assert f"role {app_role}" in result.stdout


def test_service_file_is_honoured(cluster: SandboxCluster, tmp_path: Path) -> None:
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[watched]\nhost={cluster.sockdir}\nport={cluster.port}\nuser=postgres\ndbname=postgres\n"
    )
    for args in (["--service", "watched"], ["service=watched"]):
        result = pgwatch(
            "snapshot", "--interval", "0.2", *args, env={"PGSERVICEFILE": str(services)}
        )
        assert result.returncode == 0, result.stderr


def test_pg_environment_variables_are_honoured(cluster: SandboxCluster) -> None:
    env = {
        "PGHOST": str(cluster.sockdir),
        "PGPORT": str(cluster.port),
        "PGUSER": "postgres",
        "PGDATABASE": "postgres",
    }
    result = pgwatch("snapshot", "--json", "--interval", "0.2", env=env)
    assert result.returncode == 0, result.stderr
    assert SnapshotDocument.model_validate_json(result.stdout).server.database == "postgres"


def test_wrong_password(cluster: SandboxCluster, app_role: str) -> None:
    result = pgwatch("snapshot", cluster.tcp_conninfo(user=app_role, password="not " + PASSWORD))
    assert_one_line_error(result, "wrong password for user 'app_user'")


def test_missing_database(cluster: SandboxCluster) -> None:
    result = pgwatch("snapshot", cluster.conninfo(dbname="no_such_db"))
    assert_one_line_error(result, 'database "no_such_db" does not exist')


def test_missing_role(cluster: SandboxCluster) -> None:
    result = pgwatch("snapshot", cluster.conninfo(user="no_such_role"))
    assert_one_line_error(result, 'role "no_such_role" does not exist')


def test_ssl_required_but_not_offered(cluster: SandboxCluster, app_role: str) -> None:
    conninfo = cluster.tcp_conninfo(user=app_role, password=PASSWORD) + " sslmode=require"
    assert_one_line_error(pgwatch("snapshot", conninfo), "SSL is required")


def test_malformed_uri() -> None:
    assert_one_line_error(
        pgwatch("snapshot", "postgresql://u:pw%zz@h/db"), "malformed connection string"
    )
    assert_one_line_error(pgwatch("snapshot", "host=a port"), "malformed connection string")


def test_unknown_host() -> None:
    assert_one_line_error(pgwatch("snapshot", "host=no-such-host.invalid"), "unknown host name")


def test_unreachable_host_times_out() -> None:
    with tcp_server("silent") as port:
        started = time.monotonic()
        result = pgwatch("snapshot", f"host=127.0.0.1 port={port} connect_timeout=2")
        elapsed = time.monotonic() - started
    assert_one_line_error(result, "no answer within 2 s")
    assert elapsed < 15


def test_server_that_is_not_postgresql() -> None:
    with tcp_server("http") as port:
        result = pgwatch("snapshot", f"host=127.0.0.1 port={port} sslmode=disable")
    assert_one_line_error(result, f"127.0.0.1:{port}")


def test_server_closing_the_connection_at_start_up() -> None:
    with tcp_server("hangup") as port:
        result = pgwatch("snapshot", f"host=127.0.0.1 port={port} sslmode=disable")
    assert_one_line_error(result, "closed the connection")


def test_password_needed_without_a_terminal(cluster: SandboxCluster, app_role: str) -> None:
    result = pgwatch("snapshot", cluster.tcp_conninfo(user=app_role))
    assert_one_line_error(result, "no terminal to ask for it on", "PGPASSWORD")


def test_refresh_out_of_range() -> None:
    assert_one_line_error(pgwatch("--refresh", "100"), "--refresh")
    assert_one_line_error(pgwatch("--refresh", "soon"), "--refresh")


def test_unknown_config_key(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("colour = 'pink'\n")
    assert_one_line_error(pgwatch("--config", str(config)), "unknown key 'colour'")


def test_unreadable_config(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("refresh = 2\n")
    config.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the file unreadable by being a directory
        config.unlink()
        config.mkdir()
    assert_one_line_error(pgwatch("--config", str(config)), "cannot read config file")


def test_demo_without_server_binaries_names_the_package(tmp_path: Path) -> None:
    assert_one_line_error(
        pgwatch("--demo", "--pg-bin", str(tmp_path)), "no usable PostgreSQL server"
    )


def test_version_and_help() -> None:
    version = pgwatch("--version")
    assert version.returncode == 0
    assert version.stdout.startswith("pgwatch ")
    for args in (["--help"], ["snapshot", "--help"]):
        shown = pgwatch(*args)
        assert shown.returncode == 0
        assert "--read-only" in shown.stdout or "--json" in shown.stdout


def _read_until(fd: int, marker: bytes, timeout: float = 30) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


def test_password_prompt_on_a_terminal(cluster: SandboxCluster, app_role: str) -> None:
    pid, fd = pty.fork()
    if pid == 0:  # the child: pgwatch on a terminal, with no password anywhere
        os.execvpe(
            sys.executable,
            [
                sys.executable,
                "-m",
                "pgwatch_tui",
                "snapshot",
                "--interval",
                "0.2",
                cluster.tcp_conninfo(user=app_role),
            ],
            dict(os.environ),
        )
    try:
        prompt = _read_until(fd, b"Password for")
        assert b"Password for" in prompt
        os.write(fd, (PASSWORD + "\n").encode())
        output = _read_until(fd, b"Databases")
        assert b"Databases" in output
        assert PASSWORD.encode() not in output
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
