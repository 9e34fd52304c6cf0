"""The replication probes on a real primary with a streaming standby and a forgotten slot:
what the primary says of its standby and slots, and what the standby says of itself."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pgwatch_tui.core.act.audit import AuditLog
from pgwatch_tui.core.act.models import ActionKind
from pgwatch_tui.core.act.requests import drop_slot_request
from pgwatch_tui.core.act.runner import ActionRunner
from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.login import take_snapshot
from pgwatch_tui.core.collect.probes import PROBES
from pgwatch_tui.core.diagnose.replication_health import replication_problems
from pgwatch_tui.core.model.snapshot import ProbeState
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.sandbox.binaries import PgInstall
from pgwatch_tui.sandbox.cluster import ClusterOptions, SandboxCluster, sandbox_cluster
from pgwatch_tui.sandbox.logical import subscribe
from pgwatch_tui.views.replication import replication_warnings
from pgwatch_tui.views.table import Tone
from tests.pg_fixtures import connected_poller
from tests.pg_helpers import execute
from tests.server_checks import BOOK, run_probe, validate

STREAMING = "SELECT 1 FROM pg_stat_replication WHERE state = 'streaming'"
REPLICATION = frozenset(
    {
        "replication",
        "replication_slots",
        "archiver",
        "recovery",
        "recovery_conflicts",
        "subscriptions",
        "publications",
    }
)
LOGICAL = ClusterOptions(settings={"wal_level": "logical"})
SUBSCRIPTION = "ledger_copy"


@pytest.fixture(scope="module")
def pair(pg_install: PgInstall) -> Iterator[tuple[SandboxCluster, SandboxCluster]]:
    with sandbox_cluster(pg_install, LOGICAL) as primary:
        # Reserved at once and never used: it keeps every WAL segment written after it.
        execute(primary.conninfo(), "SELECT pg_create_physical_replication_slot('forgotten', true)")
        # A logical subscription from database ledger_copy to table ledger in postgres.
        execute(primary.conninfo(), "CREATE TABLE ledger (id int PRIMARY KEY, amount int)")
        execute(primary.conninfo(), "INSERT INTO ledger SELECT g, g FROM generate_series(1, 100) g")
        subscribe(
            primary,
            name=SUBSCRIPTION,
            publisher_db="postgres",
            subscriber_db="ledger_copy",
            tables={"ledger": "id int PRIMARY KEY, amount int"},
        )
        standby = SandboxCluster.standby_of(primary, slot="standby_a")
        try:
            # A slot for a cascading standby: on a standby, WAL retained counts from replay.
            execute(
                standby.conninfo(), "SELECT pg_create_physical_replication_slot('cascade', true)"
            )
            yield primary, standby
        finally:
            standby.destroy()


def wait_until_streaming(primary: SandboxCluster) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if execute(
            primary.conninfo(), "SELECT 1 FROM pg_stat_replication WHERE state = 'streaming'"
        ):
            return
        time.sleep(0.1)
    raise AssertionError("the standby never started streaming")


def test_every_replication_probe_is_declared() -> None:
    assert set(PROBES) >= REPLICATION


async def test_the_primary_lists_its_standby_its_slots_and_the_archiver(
    pair: tuple[SandboxCluster, SandboxCluster],
) -> None:
    primary, _ = pair
    wait_until_streaming(primary)
    execute(primary.conninfo(), "CREATE TABLE IF NOT EXISTS wal_maker AS SELECT 1 AS x")
    execute(primary.conninfo(), "INSERT INTO wal_maker SELECT generate_series(1, 50000)")
    async with connected_poller(primary.conninfo()) as poller:
        first = await poller.poll(wanted=REPLICATION, force=REPLICATION)
        execute(primary.conninfo(), "INSERT INTO wal_maker SELECT generate_series(1, 50000)")
        time.sleep(0.2)
        second = await poller.poll(wanted=REPLICATION, force=REPLICATION)

    senders = {s.application: s for s in second.replication}
    assert set(senders) == {"standby_a", SUBSCRIPTION}
    assert senders[SUBSCRIPTION].is_logical
    standby = senders["standby_a"]
    assert not standby.is_logical
    assert standby.slot_name == "standby_a"
    assert standby.application == "standby_a"
    assert standby.state == "streaming"
    assert standby.sync_state == "async"
    assert not standby.is_sync
    assert standby.replay_lag_bytes is not None
    assert standby.replay_lag_bytes >= 0

    slots = {s.slot_name: s for s in second.replication_slots}
    assert set(slots) == {"forgotten", "standby_a", SUBSCRIPTION}
    assert slots["standby_a"].active
    assert slots["standby_a"].active_pid == standby.pid
    forgotten = slots["forgotten"]
    assert forgotten.slot_type == "physical"
    assert not forgotten.active
    assert forgotten.retains_wal_unused
    held_before = {s.slot_name: s.retained_bytes for s in first.replication_slots}["forgotten"]
    assert held_before is not None
    assert forgotten.retained_bytes is not None
    assert forgotten.retained_bytes > held_before
    # The second insert's WAL is held back by the forgotten slot: it grew between readings.
    assert second.slot_growth["forgotten"] > 0

    assert second.archiver is not None
    assert second.archiver.archive_mode == "off"
    assert not second.archiver.failing
    assert second.recovery is None  # a primary is not in recovery
    assert all(second.probe_state(name) is ProbeState.OK for name in REPLICATION)


async def test_the_standby_reports_its_receiver_and_replay(
    pair: tuple[SandboxCluster, SandboxCluster],
) -> None:
    primary, standby = pair
    wait_until_streaming(primary)
    async with connected_poller(standby.conninfo()) as poller:
        snap = await poller.poll(wanted=REPLICATION, force=REPLICATION)
    recovery = snap.recovery
    assert recovery is not None
    assert recovery.receiver_status == "streaming"
    assert recovery.slot_name == "standby_a"
    assert recovery.received_behind_bytes is not None
    assert recovery.received_behind_bytes >= 0
    assert not recovery.replay_paused
    assert snap.replication == ()  # nothing streams from this standby
    (cascade,) = snap.replication_slots  # the primary's slots are not copied to a standby
    assert cascade.slot_name == "cascade"
    assert cascade.retained_bytes is not None
    assert cascade.retained_bytes >= 0


@pytest.mark.parametrize("probe", sorted(REPLICATION))
@pytest.mark.parametrize("side", ["primary", "standby"])
def test_rows_fill_their_model_strictly_on_both_sides(
    pair: tuple[SandboxCluster, SandboxCluster], probe: str, side: str
) -> None:
    primary, standby = pair
    wait_until_streaming(primary)
    server = primary if side == "primary" else standby
    major = int(execute(server.conninfo(), "SHOW server_version_num")[0][0]) // 10000  # type: ignore[call-overload]
    chosen = BOOK.resolve(probe, server_major=major)
    assert chosen is not None
    rows = run_probe(server.conninfo(), probe, chosen.sql)
    expected = {
        ("primary", "recovery"): 0,
        ("primary", "recovery_conflicts"): 0,
        ("standby", "replication"): 0,
    }.get((side, probe))
    if expected is not None:
        assert len(rows) == expected
    else:
        assert rows
    validate(probe, rows)


async def test_a_one_shot_snapshot_reads_the_slots_twice_for_their_growth(
    pair: tuple[SandboxCluster, SandboxCluster],
) -> None:
    primary, _ = pair
    wait_until_streaming(primary)
    async with connected_poller(primary.conninfo()) as poller:
        snap = await take_snapshot(poller, 0.2)  # what `pgwatch snapshot` does
    assert set(snap.slot_growth) == {"forgotten", "standby_a", SUBSCRIPTION}
    sender = next(s for s in snap.replication if s.application == "standby_a")
    assert sender.pid in snap.standby_lag_growth


async def test_paused_replay_shows_as_lag_on_both_sides(
    pair: tuple[SandboxCluster, SandboxCluster],
) -> None:
    primary, standby = pair
    wait_until_streaming(primary)
    execute(standby.conninfo(), "SELECT pg_wal_replay_pause()")
    try:
        execute(primary.conninfo(), "CREATE TABLE IF NOT EXISTS lag_maker (x int)")
        execute(primary.conninfo(), "INSERT INTO lag_maker SELECT generate_series(1, 20000)")
        deadline = time.monotonic() + 20
        async with connected_poller(primary.conninfo()) as poller:
            while True:
                snap = await poller.poll(wanted=REPLICATION, force=REPLICATION)
                sender = next(s for s in snap.replication if s.application == "standby_a")
                if sender.replay_lag_bytes and sender.replay_lag_bytes > 100_000:
                    break
                assert time.monotonic() < deadline, "replay lag never showed on the primary"
                await asyncio.sleep(0.2)
        assert sender.flush_lag_bytes is not None
        assert sender.flush_lag_bytes < sender.replay_lag_bytes  # received, not replayed
        async with connected_poller(standby.conninfo()) as poller:
            snap = await poller.poll(wanted=REPLICATION, force=REPLICATION)
        assert snap.recovery is not None
        assert snap.recovery.replay_paused
        assert ("replay paused", Tone.WARN) in replication_warnings(snap)
    finally:
        execute(standby.conninfo(), "SELECT pg_wal_replay_resume()")


async def test_a_slot_in_use_is_refused_and_an_unused_one_dropped(
    pair: tuple[SandboxCluster, SandboxCluster], tmp_path: Path
) -> None:
    primary, standby = pair
    wait_until_streaming(primary)
    for server, doomed in ((primary, "doomed"), (standby, "doomed_on_standby")):
        execute(server.conninfo(), f"SELECT pg_create_physical_replication_slot('{doomed}', true)")
        target = ConnTarget(server.conninfo())
        async with connected_poller(server.conninfo()) as poller:
            runner = ActionRunner(target, Settings(), poller, AuditLog(tmp_path / doomed))
            if server is primary:
                busy = await runner.precheck(drop_slot_request("standby_a"))
                assert not busy.allowed
                assert "streams from it now" in busy.refusals[0]
            check = await runner.precheck(drop_slot_request(doomed))
            assert check.allowed
            assert check.size_bytes is not None
            outcome = await runner.run(drop_slot_request(doomed))
            assert outcome.ok, outcome.message
            assert outcome.message == f"slot {doomed} dropped"
            (entry,) = runner.entries()
            assert entry.action is ActionKind.DROP_SLOT
            assert entry.ok
            names = execute(server.conninfo(), "SELECT slot_name FROM pg_replication_slots")
            assert (doomed,) not in names
            again = await runner.precheck(drop_slot_request(doomed))
            assert again.refusals == [f"slot {doomed} does not exist (any more)"]


def wait_for_copy(primary: SandboxCluster) -> None:
    """Until the subscription has copied its table and streams."""
    ready = (
        "SELECT 1 FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid"
        f" WHERE s.subname = '{SUBSCRIPTION}' AND r.srsubstate = 'r'"
    )
    deadline = time.monotonic() + 30
    while not execute(primary.conninfo(dbname="ledger_copy"), ready):
        assert time.monotonic() < deadline, "the subscription never finished copying"
        time.sleep(0.2)


async def test_the_subscription_streams_and_its_publication_is_listed(
    pair: tuple[SandboxCluster, SandboxCluster],
) -> None:
    primary, standby = pair
    wait_for_copy(primary)
    async with connected_poller(primary.conninfo()) as poller:
        snap = await poller.poll(wanted=REPLICATION, force=REPLICATION)
    (sub,) = snap.subscriptions
    assert (sub.name, sub.database, sub.enabled) == (SUBSCRIPTION, "ledger_copy", True)
    assert sub.worker_pid is not None
    assert sub.publications == [SUBSCRIPTION]
    assert sub.tables is None  # pg_subscription_rel is per database: seen from ledger_copy only
    async with connected_poller(primary.conninfo(dbname="ledger_copy")) as poller:
        there = await poller.poll(wanted=REPLICATION, force=REPLICATION)
    assert (there.subscriptions[0].tables, there.subscriptions[0].tables_syncing) == (1, 0)
    (pub,) = snap.publications  # polled in postgres, the publisher's database
    assert (pub.name, pub.tables, pub.all_tables) == (SUBSCRIPTION, 1, False)
    assert pub.operations == ["insert", "update", "delete", "truncate"]
    logical = next(s for s in snap.replication_slots if s.slot_name == SUBSCRIPTION)
    assert (logical.slot_type, logical.plugin, logical.active) == ("logical", "pgoutput", True)
    assert replication_problems(snap) == [] or all(
        "forgotten" in p.text for p in replication_problems(snap)
    )
    async with connected_poller(standby.conninfo()) as poller:
        on_standby = await poller.poll(wanted=REPLICATION, force=REPLICATION)
    (copied,) = on_standby.subscriptions  # the catalog is copied; nothing runs it there
    assert copied.worker_pid is None
    assert not any("subscription" in p.text for p in replication_problems(on_standby))
    assert {c.database for c in on_standby.recovery_conflicts} >= {"postgres", "ledger_copy"}


async def test_a_disabled_subscription_is_marked_and_its_slot_keeps_wal(
    pair: tuple[SandboxCluster, SandboxCluster],
) -> None:
    primary, _ = pair
    wait_for_copy(primary)
    copy = primary.conninfo(dbname="ledger_copy")
    execute(copy, f"ALTER SUBSCRIPTION {SUBSCRIPTION} DISABLE")
    try:
        inactive = (
            f"SELECT 1 FROM pg_replication_slots WHERE slot_name = '{SUBSCRIPTION}' AND NOT active"
        )
        deadline = time.monotonic() + 20
        while not execute(primary.conninfo(), inactive):
            assert time.monotonic() < deadline, "the subscription's slot stayed active"
            time.sleep(0.2)
        execute(primary.conninfo(), "UPDATE ledger SET amount = amount + 1")
        async with connected_poller(primary.conninfo()) as poller:
            snap = await poller.poll(wanted=REPLICATION, force=REPLICATION)
        texts = [p.text for p in replication_problems(snap)]
        assert f"subscription {SUBSCRIPTION} disabled" in texts
        assert any(t.startswith(f"slot {SUBSCRIPTION} unused, keeps") for t in texts)
        (sub,) = snap.subscriptions
        assert sub.worker_pid is None
        assert not sub.stalled  # disabled on purpose, not failing
    finally:
        execute(copy, f"ALTER SUBSCRIPTION {SUBSCRIPTION} ENABLE")
