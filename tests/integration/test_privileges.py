"""Degrading with a reason: pg_monitor roles, roles with nothing, missing extensions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.collect.probes import PollContext
from pgwatch_tui.core.model.capabilities import Severity
from pgwatch_tui.core.model.snapshot import ProbeState, Snapshot
from pgwatch_tui.sandbox.binaries import PgInstall
from pgwatch_tui.sandbox.cluster import ClusterOptions, SandboxCluster, sandbox_cluster
from tests.integration.conftest import FAST
from tests.pg_helpers import execute, idle_in_transaction


@pytest.fixture
def role(cluster: SandboxCluster, request: pytest.FixtureRequest) -> Iterator[str]:
    name = f"role_{request.node.name[-20:].lower().replace('[', '_').replace(']', '')}"
    grants = getattr(request, "param", ())
    execute(cluster.conninfo(), f'DROP ROLE IF EXISTS "{name}"'.encode())  # type: ignore[arg-type]
    execute(cluster.conninfo(), f'CREATE ROLE "{name}" LOGIN'.encode())  # type: ignore[arg-type]
    for grant in grants:
        execute(cluster.conninfo(), f'GRANT {grant} TO "{name}"'.encode())  # type: ignore[arg-type]
    yield name
    execute(cluster.conninfo(), f'DROP ROLE IF EXISTS "{name}"'.encode())  # type: ignore[arg-type]


async def poll_as(
    cluster: SandboxCluster,
    user: str,
    dbname: str = "postgres",
    context: PollContext | None = None,
) -> tuple[Poller, Snapshot]:
    poller = Poller(ConnTarget(cluster.conninfo(dbname=dbname, user=user)), FAST)
    await poller.connect()
    try:
        snap = await poller.poll(context=context)
    finally:
        await poller.close()
    return poller, snap


@pytest.mark.parametrize("role", [("pg_monitor",)], indirect=True)
async def test_pg_monitor_role_sees_everything_without_superuser(
    cluster: SandboxCluster, role: str
) -> None:
    with idle_in_transaction(cluster.conninfo(), application="someone-else") as other:
        poller, snap = await poll_as(cluster, role, context=PollContext(with_idle=False))
    assert poller.capabilities is not None
    assert snap.idle_count is not None  # counted by a pg_monitor role as well
    assert poller.capabilities.item("read_all_stats").severity is Severity.OK
    troubled = {
        name: (status.state.value, status.reason)
        for name, status in snap.probes.items()
        if status.state is not ProbeState.OK and name != "session_locks"  # needs a focus
    }
    assert troubled == {}
    theirs = next(s for s in snap.sessions if s.pid == other)
    assert theirs.query != "<insufficient privilege>"


async def test_role_with_nothing_degrades_and_is_told_what_to_grant(
    cluster: SandboxCluster, role: str
) -> None:
    with idle_in_transaction(cluster.conninfo(), application="someone-else") as other:
        poller, snap = await poll_as(cluster, role)
    report = poller.capabilities
    assert report is not None
    item = report.item("read_all_stats")
    assert item.severity is Severity.WARNING
    assert item.fix == f'GRANT pg_monitor TO "{role}";'
    theirs = next(s for s in snap.sessions if s.pid == other)
    assert theirs.query == "<insufficient privilege>"
    assert snap.probes["sessions"].state is ProbeState.OK
    assert snap.probes["statements"].state is ProbeState.OK


async def test_extension_missing_in_this_database_says_where_it_is(cluster: SandboxCluster) -> None:
    execute(cluster.conninfo(), "DROP DATABASE IF EXISTS no_pgss_here")
    execute(cluster.conninfo(), "CREATE DATABASE no_pgss_here")
    poller, snap = await poll_as(cluster, "postgres", dbname="no_pgss_here")
    assert poller.capabilities is not None
    item = poller.capabilities.item("pg_stat_statements")
    assert item.severity is Severity.WARNING
    assert "not created in database no_pgss_here" in item.summary
    assert "it exists in postgres" in item.summary  # postgres first, whatever else has it
    assert item.summary.endswith("connect there with -d postgres")
    status = snap.probes["statements"]
    assert status.state is ProbeState.OFF
    assert status.reason == item.summary
    assert snap.probes["sessions"].state is ProbeState.OK


async def test_extension_not_preloaded(pg_install: PgInstall) -> None:
    with sandbox_cluster(pg_install, ClusterOptions(preload=())) as bare:
        execute(bare.conninfo(), "CREATE EXTENSION pg_stat_statements")
        poller, snap = await poll_as(bare, "postgres")
    assert poller.capabilities is not None
    item = poller.capabilities.item("pg_stat_statements")
    assert "not loaded" in item.summary
    assert item.fix is not None
    assert "shared_preload_libraries" in item.fix
    assert snap.probes["statements"].state is ProbeState.OFF
    assert snap.probes["databases"].state is ProbeState.OK


async def test_outdated_extension_version_still_gives_statements(cluster: SandboxCluster) -> None:
    execute(cluster.conninfo(), "DROP DATABASE IF EXISTS old_pgss")
    execute(cluster.conninfo(), "CREATE DATABASE old_pgss")
    execute(
        cluster.conninfo(dbname="old_pgss"), "CREATE EXTENSION pg_stat_statements VERSION '1.6'"
    )
    poller, snap = await poll_as(cluster, "postgres", dbname="old_pgss")
    assert poller.capabilities is not None
    item = poller.capabilities.item("pg_stat_statements")
    assert item.severity is Severity.INFO
    assert item.fix == "ALTER EXTENSION pg_stat_statements UPDATE;"
    assert snap.probes["statements"].state is ProbeState.OK
    assert snap.probes["statements"].sql_file == "statements.pgss1_3.sql"
    assert snap.statements


async def test_hypopg_and_pgstattuple_absent_are_reported(cluster: SandboxCluster) -> None:
    execute(cluster.conninfo(), "DROP DATABASE IF EXISTS no_extras")
    execute(cluster.conninfo(), "CREATE DATABASE no_extras")
    poller, _ = await poll_as(cluster, "postgres", dbname="no_extras")
    assert poller.capabilities is not None
    assert poller.capabilities.item("hypopg").fix == "CREATE EXTENSION hypopg;"
    assert poller.capabilities.item("pgstattuple").fix == "CREATE EXTENSION pgstattuple;"
