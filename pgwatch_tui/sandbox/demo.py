"""`pgwatch --demo`: a sandbox cluster with the demo shop database and its live workload, a
streaming standby, a logical subscription to the shop's accounts, a replication slot nothing
uses any more, and WAL archiving."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from dataclasses import replace
from types import TracebackType

import psycopg

from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.sandbox.binaries import PgInstall, find_install
from pgwatch_tui.sandbox.cluster import ClusterOptions, SandboxCluster
from pgwatch_tui.sandbox.demo_schema import (
    DEMO_DATABASE,
    EXTENSIONS,
    create_demo_database,
    load_demo_schema,
)
from pgwatch_tui.sandbox.logical import subscribe

STANDBY_SLOT = "standby_a"
FORGOTTEN_SLOT = "old_reporting_replica"  # reserved once, never used: it keeps all WAL since
SUBSCRIPTION = "shop_accounts"  # the demo's accounts, replicated logically into shop_replica
REPLICA_DATABASE = "shop_replica"
ACCOUNTS = "id int PRIMARY KEY, owner text NOT NULL, balance numeric(14, 2) NOT NULL"
REPLICATION_SETTINGS = {
    "wal_level": "logical",
    # Archiving into the sandbox's own directory (the command runs in the data directory).
    "archive_mode": "on",
    "archive_command": "mkdir -p ../wal_archive && cp %p ../wal_archive/%f",
    # The forgotten slot keeps at most this much: it goes from "extended" to "lost" as a
    # real one would, rather than filling the demo machine's disk.
    "max_slot_wal_keep_size": "1GB",
}


class Demo:
    """A context manager: enter builds everything, exit removes everything. With
    `replication`, a streaming standby, a forgotten slot and archiving come too."""

    def __init__(
        self,
        install: PgInstall | None = None,
        options: ClusterOptions | None = None,
        replication: bool = False,
    ) -> None:
        self.install = install
        self.options = options
        self.replication = replication
        self.cluster: SandboxCluster | None = None
        self.standby: SandboxCluster | None = None
        self._workload: subprocess.Popen[bytes] | None = None

    @property
    def target(self) -> ConnTarget:
        assert self.cluster is not None
        return ConnTarget(self.cluster.conninfo(dbname=DEMO_DATABASE))

    @property
    def standby_target(self) -> ConnTarget:
        assert self.standby is not None
        return ConnTarget(self.standby.conninfo(dbname=DEMO_DATABASE))

    def _cluster_options(self) -> ClusterOptions | None:
        if not self.replication:
            return self.options
        options = self.options or ClusterOptions()
        return replace(options, settings={**REPLICATION_SETTINGS, **options.settings})

    def __enter__(self) -> Demo:
        install = self.install or find_install()
        self.cluster = SandboxCluster.create(install, self._cluster_options())
        try:
            create_demo_database(self.cluster.conninfo())
            available = {name for name in EXTENSIONS if install.has_extension(name)}
            load_demo_schema(self.target.conninfo, available)
            if self.replication:
                self._start_replication(self.cluster)
            self._workload = subprocess.Popen(
                [sys.executable, "-m", "pgwatch_tui.sandbox.workload", self.target.conninfo],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except BaseException:
            self.close()
            raise
        return self

    def _start_replication(self, primary: SandboxCluster) -> None:
        self.standby = SandboxCluster.standby_of(primary, slot=STANDBY_SLOT)
        with psycopg.connect(primary.conninfo(), autocommit=True) as conn:
            conn.execute("SELECT pg_create_physical_replication_slot(%s, true)", [FORGOTTEN_SLOT])
        subscribe(
            primary,
            name=SUBSCRIPTION,
            publisher_db=DEMO_DATABASE,
            subscriber_db=REPLICA_DATABASE,
            tables={"accounts": ACCOUNTS},
        )

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workload, then the cluster; idempotent."""
        if self._workload is not None:
            workload, self._workload = self._workload, None
            if workload.stdin:
                with contextlib.suppress(OSError):
                    workload.stdin.close()
            try:
                workload.wait(timeout=5)
            except subprocess.TimeoutExpired:
                workload.kill()
                workload.wait(timeout=5)
        for name in ("standby", "cluster"):
            cluster = getattr(self, name)
            if cluster is not None:
                setattr(self, name, None)
                cluster.destroy()
