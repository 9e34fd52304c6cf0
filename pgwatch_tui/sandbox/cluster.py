"""A throwaway PostgreSQL cluster: initdb into a temp dir, a free port, a socket in that dir.

Used by `pgwatch --demo` and by the test suite (one piece of code for both). As root, the
server runs as an unprivileged user because initdb and postgres refuse to run as root. A
reaper process removes the cluster if pgwatch dies without cleaning up.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType

from psycopg.conninfo import make_conninfo

from pgwatch_tui.core.errors import SandboxError
from pgwatch_tui.sandbox.binaries import PgInstall, find_install

SUPERUSER = "postgres"
UNPRIVILEGED_CANDIDATES = ("postgres", "nobody")


@dataclass(frozen=True)
class ClusterOptions:
    """How to configure the sandbox server."""

    max_connections: int = 100
    # None: pg_stat_statements, and pg_qualstats when it is installed.
    preload: tuple[str, ...] | None = None
    log_statement: str = "none"
    settings: Mapping[str, str] = field(default_factory=dict)


def free_port() -> int:
    """A TCP port that was free a moment ago on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as_user() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in UNPRIVILEGED_CANDIDATES:
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise SandboxError("running as root, and no unprivileged user (postgres, nobody) exists")


def _conf_value(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class SandboxCluster:
    """One throwaway cluster. Use `SandboxCluster.create()` as a context manager."""

    def __init__(self, install: PgInstall, base: Path, options: ClusterOptions) -> None:
        self.install = install
        self.base = base
        self.options = options
        self.datadir = base / "data"
        self.sockdir = base / "sock"
        self.logfile = base / "server.log"
        self.port = free_port()
        self.password = secrets.token_urlsafe(16)
        self.run_as = _run_as_user()
        self._reaper: subprocess.Popen[bytes] | None = None

    # ---- life cycle -------------------------------------------------------------------------

    @classmethod
    def create(
        cls, install: PgInstall | None = None, options: ClusterOptions | None = None
    ) -> SandboxCluster:
        """initdb, configure and start a new cluster; removes everything if any step fails."""
        install = install or find_install()
        base = Path(tempfile.mkdtemp(prefix="pgwatch-"))
        cluster = cls(install, base, options or ClusterOptions())
        try:
            cluster._prepare_dirs()
            cluster._start_reaper()
            cluster._initdb()
            cluster._configure()
            cluster.start()
        except BaseException:
            cluster.destroy()
            raise
        return cluster

    @classmethod
    def standby_of(cls, primary: SandboxCluster, slot: str | None = None) -> SandboxCluster:
        """A streaming standby of `primary` (pg_basebackup -R), started; with `slot`, it
        streams through a physical slot of that name, created on the primary."""
        base = Path(tempfile.mkdtemp(prefix="pgwatch-standby-"))
        # cluster_name is the application_name it streams as: what the primary lists.
        name = slot or "standby"
        settings = {**primary.options.settings, "cluster_name": name}
        standby = cls(primary.install, base, replace(primary.options, settings=settings))
        try:
            standby._prepare_dirs()
            standby._start_reaper()
            slot_args = ["--create-slot", "--slot", slot] if slot else []
            standby._run(
                [
                    str(primary.install.tool("pg_basebackup")),
                    "-D",
                    str(standby.datadir),
                    "-h",
                    str(primary.sockdir),
                    "-p",
                    str(primary.port),
                    "-U",
                    SUPERUSER,
                    "--wal-method=stream",
                    "--write-recovery-conf",
                    "--checkpoint=fast",
                    "--no-sync",
                    *slot_args,
                ],
                "pg_basebackup",
            )
            standby._configure()  # its own port and socket, after the primary's copied ones
            standby.start()
        except BaseException:
            standby.destroy()
            raise
        return standby

    def __enter__(self) -> SandboxCluster:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.destroy()

    def start(self) -> None:
        self._pg_ctl("start", "-w", "-t", "60", "-l", str(self.logfile))

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("stop", "-w", "-t", "60", "-m", mode)

    def restart(self, mode: str = "fast") -> None:
        self._pg_ctl("restart", "-w", "-t", "60", "-m", mode, "-l", str(self.logfile))

    def reload(self) -> None:
        self._pg_ctl("reload")

    @property
    def running(self) -> bool:
        return (self.datadir / "postmaster.pid").exists()

    def destroy(self) -> None:
        """Stop the server (immediately) and delete every file; safe to call twice."""
        if self.datadir.exists() and self.running:
            with contextlib.suppress(SandboxError):
                self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)
        if self._reaper is not None:
            reaper, self._reaper = self._reaper, None
            if reaper.stdin:
                with contextlib.suppress(OSError):
                    reaper.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                reaper.wait(timeout=10)

    # ---- connecting -------------------------------------------------------------------------

    def conninfo(self, dbname: str = "postgres", user: str = SUPERUSER, **extra: str) -> str:
        """Over the unix socket in the cluster's directory (trust authentication)."""
        return make_conninfo(
            "", host=str(self.sockdir), port=self.port, dbname=dbname, user=user, **extra
        )

    def tcp_conninfo(
        self, dbname: str = "postgres", user: str = SUPERUSER, password: str | None = None
    ) -> str:
        """Over TCP on 127.0.0.1, where password authentication (scram) applies."""
        params: dict[str, str | int] = {"host": "127.0.0.1", "port": self.port, "dbname": dbname}
        params["user"] = user
        if password is not None:
            params["password"] = password
        return make_conninfo("", **params)

    def log_text(self) -> str:
        try:
            return self.logfile.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    # ---- internals --------------------------------------------------------------------------

    def _prepare_dirs(self) -> None:
        self.sockdir.mkdir()
        if self.run_as is not None:
            entry = pwd.getpwnam(self.run_as)
            for path in (self.base, self.sockdir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
            self.base.chmod(0o755)

    def _start_reaper(self) -> None:
        self._reaper = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pgwatch_tui.sandbox.reaper",
                str(self.install.tool("pg_ctl")),
                str(self.datadir),
                str(self.base),
                self.run_as or "",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=self.install.env(),
            start_new_session=True,  # Ctrl-C in the terminal must not kill the reaper first
        )

    def _run(self, args: list[str], what: str) -> None:
        try:
            result = subprocess.run(
                args,
                capture_output=True,
                text=True,
                env=self.install.env(),
                user=self.run_as,
                cwd=self.base,
                timeout=120,
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise SandboxError(f"{what} failed: {exc}") from None
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            log_tail = self.log_text().strip().splitlines()[-3:]
            reason = "; ".join([*detail[-2:], *log_tail]) or f"exit code {result.returncode}"
            raise SandboxError(f"{what} failed: {reason}")

    def _initdb(self) -> None:
        pwfile = self.base / "pwfile"
        pwfile.write_text(self.password + "\n", encoding="utf-8")
        if self.run_as is not None:
            entry = pwd.getpwnam(self.run_as)
            os.chown(pwfile, entry.pw_uid, entry.pw_gid)
        pwfile.chmod(0o600)
        try:
            self._run(
                [
                    str(self.install.tool("initdb")),
                    "-D",
                    str(self.datadir),
                    "-U",
                    SUPERUSER,
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    f"--pwfile={pwfile}",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-sync",
                    "--no-instructions",
                ],
                "initdb",
            )
        finally:
            pwfile.unlink(missing_ok=True)

    def _configure(self) -> None:
        opts = self.options
        preload = opts.preload
        if preload is None:
            preload = ("pg_stat_statements",) + (
                ("pg_qualstats",) if self.install.has_extension("pg_qualstats") else ()
            )
        conf = {
            "port": str(self.port),
            "listen_addresses": "127.0.0.1",
            "unix_socket_directories": str(self.sockdir),
            "max_connections": str(opts.max_connections),
            "shared_preload_libraries": ",".join(preload),
            "track_io_timing": "on",
            "pg_stat_statements.max": "10000",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "shared_buffers": "128MB",
            "log_line_prefix": "%m [%p] app=%a user=%u ",
            "log_statement": opts.log_statement,
            "log_min_messages": "warning",
            "lc_messages": "C",
            **opts.settings,
        }
        if "pg_qualstats" in preload:
            conf["pg_qualstats.sample_rate"] = "1"  # every query: a sandbox has few
        if not preload:
            del conf["shared_preload_libraries"]
            del conf["pg_stat_statements.max"]
        lines = [f"{key} = {_conf_value(value)}" for key, value in conf.items()]
        with (self.datadir / "postgresql.conf").open("a", encoding="utf-8") as handle:
            handle.write("\n# pgwatch sandbox\n" + "\n".join(lines) + "\n")

    def _pg_ctl(self, action: str, *args: str) -> None:
        self._run(
            [str(self.install.tool("pg_ctl")), action, "-D", str(self.datadir), *args],
            f"pg_ctl {action}",
        )


@contextlib.contextmanager
def sandbox_cluster(
    install: PgInstall | None = None, options: ClusterOptions | None = None
) -> Iterator[SandboxCluster]:
    """`with sandbox_cluster() as cluster:` — created, started, and always removed."""
    cluster = SandboxCluster.create(install, options)
    try:
        yield cluster
    finally:
        cluster.destroy()
