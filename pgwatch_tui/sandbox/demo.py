"""`pgwatch --demo`: a sandbox cluster with the demo shop database and its live workload."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from types import TracebackType

from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.sandbox.binaries import PgInstall, find_install
from pgwatch_tui.sandbox.cluster import ClusterOptions, SandboxCluster
from pgwatch_tui.sandbox.demo_schema import (
    DEMO_DATABASE,
    EXTENSIONS,
    create_demo_database,
    load_demo_schema,
)


class Demo:
    """A context manager: enter builds everything, exit removes everything."""

    def __init__(
        self, install: PgInstall | None = None, options: ClusterOptions | None = None
    ) -> None:
        self.install = install
        self.options = options
        self.cluster: SandboxCluster | None = None
        self._workload: subprocess.Popen[bytes] | None = None

    @property
    def target(self) -> ConnTarget:
        assert self.cluster is not None
        return ConnTarget(self.cluster.conninfo(dbname=DEMO_DATABASE))

    def __enter__(self) -> Demo:
        install = self.install or find_install()
        self.cluster = SandboxCluster.create(install, self.options)
        try:
            create_demo_database(self.cluster.conninfo())
            available = {name for name in EXTENSIONS if install.has_extension(name)}
            load_demo_schema(self.target.conninfo, available)
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
        if self.cluster is not None:
            cluster, self.cluster = self.cluster, None
            cluster.destroy()
