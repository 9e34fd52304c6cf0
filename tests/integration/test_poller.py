"""The poller against a real server: snapshots, cadence, timeouts, privileges, texts cache."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import psycopg
import pytest

from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.collect.probes import PollContext
from pgwatch_tui.core.collect.querybook import QueryBook, default_root
from pgwatch_tui.core.model.snapshot import ProbeState
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.sandbox.cluster import SandboxCluster
from tests.integration.conftest import FAST
from tests.pg_helpers import execute, idle_in_transaction, lock_chain


async def test_snapshot_shows_lock_chain_idle_transaction_and_capabilities(
    cluster: SandboxCluster, poller: Poller
) -> None:
    with (
        lock_chain(cluster.conninfo(), 3) as chain,
        idle_in_transaction(cluster.conninfo()) as idle,
    ):
        snap = await poller.poll()
    waits = {w.pid: w for w in snap.lock_waits}
    assert waits[chain.pids[1]].blocking_pids == [chain.pids[0]]
    assert waits[chain.pids[2]].blocking_pids == [chain.pids[1]]
    sessions = {s.pid: s for s in snap.sessions}
    assert sessions[idle].state == "idle in transaction"
    assert sessions[chain.pids[2]].waits_on_lock
    assert snap.capabilities.statements_usable
    assert snap.capabilities.hypopg is not None, "HypoPG must be installed where tests run"
    assert snap.server.major == 15 or snap.server.major >= 14
    troubled = {
        name: (status.state.value, status.reason)
        for name, status in snap.probes.items()
        # session_locks needs a focused session; idle_count runs when idle ones are not listed
        if status.state is not ProbeState.OK and name not in ("session_locks", "idle_count")
    }
    assert troubled == {}


async def test_own_backend_is_excluded_and_named_pgwatch(
    cluster: SandboxCluster, poller: Poller
) -> None:
    snap = await poller.poll()
    own = poller.backend_pid
    assert own is not None
    assert own not in {s.pid for s in snap.sessions}
    rows = execute(
        cluster.conninfo(), "SELECT application_name FROM pg_stat_activity WHERE pid = %s", (own,)
    )
    assert rows == [("pgwatch",)]


async def test_monitoring_session_is_read_only_with_timeouts(poller: Poller) -> None:
    conn = poller._conn  # the session settings are what is under test here
    assert conn is not None
    values = {}
    async with conn.transaction():
        for name in (
            "default_transaction_read_only",
            "statement_timeout",
            "lock_timeout",
            "idle_in_transaction_session_timeout",
            "application_name",
        ):
            cur = await conn.execute(f"SELECT current_setting('{name}') AS v".encode())  # type: ignore[arg-type]
            row = await cur.fetchone()
            assert row is not None
            values[name] = row["v"]
    assert values == {
        "default_transaction_read_only": "on",
        "statement_timeout": "1500ms",
        "lock_timeout": "300ms",
        "idle_in_transaction_session_timeout": "15s",
        "application_name": "pgwatch",
    }
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        async with conn.transaction():
            await conn.execute("CREATE TABLE pgwatch_must_not_write (id int)")
    assert conn.info.transaction_status.name == "IDLE"  # nothing left open between ticks


async def test_statement_deltas_between_two_polls(cluster: SandboxCluster, poller: Poller) -> None:
    await poller.poll()
    for _ in range(7):
        execute(cluster.conninfo(), "SELECT count(*) FROM pg_am delta_a CROSS JOIN pg_am delta_b")
    snap = await poller.poll()
    matching = [s for s in snap.statements if s.query and "delta_a CROSS JOIN" in s.query]
    assert len(matching) == 1
    delta = snap.delta_by_key[matching[0].key]
    assert delta.calls == 7
    assert delta.calls_per_s > 0
    assert snap.interval_s is not None
    assert snap.interval_s > 0
    db = snap.rates_by_datid[snap.current_database.datid]  # type: ignore[union-attr]
    assert db.tps is not None
    assert db.tps > 0


async def test_query_texts_are_fetched_only_for_new_query_ids(
    cluster: SandboxCluster, poller: Poller
) -> None:
    await poller.poll()
    await poller.poll()
    await poller.poll()
    assert poller.lookups["statements"].fetched_last_tick == 0, (
        "steady state must not re-read texts"
    )
    execute(cluster.conninfo(), "SELECT 1 FROM pg_language novelty WHERE novelty.lanname IS NULL")
    snap = await poller.poll()
    assert poller.lookups["statements"].fetched_last_tick >= 1
    assert any(s.query and "novelty" in s.query for s in snap.statements)


async def test_only_wanted_probes_run(poller: Poller) -> None:
    snap = await poller.poll(frozenset({"sessions"}))
    assert snap.probes["sessions"].state is ProbeState.OK
    assert snap.probes["statements"].state is ProbeState.NOT_POLLED
    assert snap.probes["databases"].state is ProbeState.NOT_POLLED
    assert snap.statements == ()


async def test_idle_sessions_are_counted_not_listed_unless_a_screen_lists_them(
    cluster: SandboxCluster, poller: Poller
) -> None:
    with contextlib.ExitStack() as stack:
        idle = [
            stack.enter_context(psycopg.connect(cluster.conninfo(), application_name="idle-3"))
            for _ in range(3)
        ]
        pids = {conn.info.backend_pid for conn in idle}
        listed = await poller.poll(context=PollContext(with_idle=True))
        counted = await poller.poll(context=PollContext(with_idle=False))
    assert pids <= {s.pid for s in listed.sessions}
    assert listed.idle_count is None
    assert listed.probes["idle_count"].state is ProbeState.NOT_POLLED
    assert not pids & {s.pid for s in counted.sessions}
    assert all(s.state != "idle" for s in counted.sessions)
    assert counted.idle_count is not None
    assert counted.idle_count.idle_clients >= 3
    assert counted.client_count == listed.client_count
    assert counted.idle_client_count == listed.idle_client_count


async def test_rows_that_did_not_change_keep_their_model_objects(
    cluster: SandboxCluster, poller: Poller
) -> None:
    execute(cluster.conninfo(), "SELECT 1 FROM pg_am reused WHERE reused.amname IS NULL")
    wanted = frozenset({"statements"})
    first = await poller.poll(wanted)
    second = await poller.poll(wanted)
    before = {s.key: s for s in first.statements}
    after = {s.key: s for s in second.statements}
    quiet = [k for k, s in after.items() if s.query and "reused" in s.query]
    assert quiet
    assert after[quiet[0]] is before[quiet[0]]
    own_tick = [k for k, s in after.items() if k in before and s.calls != before[k].calls]
    assert own_tick, "pgwatch's own probes ran in between"
    assert all(after[k] is not before[k] for k in own_tick)


async def test_table_stats_follow_their_slow_cadence(
    cluster: SandboxCluster, poller: Poller
) -> None:
    execute(cluster.conninfo(), "CREATE TABLE IF NOT EXISTS cadence_t (id int)")
    first = await poller.poll()
    second = await poller.poll()
    assert first.probes["tables"].collected_at is not None
    assert second.probes["tables"].collected_at == first.probes["tables"].collected_at
    assert second.tables == first.tables
    forced = await poller.poll(force=frozenset({"tables"}))
    assert forced.probes["tables"].collected_at == forced.taken_at


def slow_book(tmp_path: Path, probe_file: str) -> QueryBook:
    root = tmp_path / "queries"
    shutil.copytree(default_root(), root)
    path = root / probe_file
    original = path.read_text().rstrip()
    path.write_text(
        # materialized, so the sleep happens once however many databases there are
        f"WITH slow AS MATERIALIZED (SELECT pg_sleep(1))"
        f" SELECT d.* FROM ({original}) AS d CROSS JOIN slow"
    )
    return QueryBook(root)


async def test_a_tick_is_one_transaction_without_savepoints(cluster: SandboxCluster) -> None:
    admin = cluster.conninfo()
    execute(admin, "DROP ROLE IF EXISTS tick_counter")
    execute(admin, "CREATE ROLE tick_counter LOGIN IN ROLE pg_monitor")
    try:
        poller = Poller(ConnTarget(cluster.conninfo(user="tick_counter")), FAST)
        await poller.connect()
        try:
            execute(
                admin,
                "SELECT pg_stat_statements_reset("
                "(SELECT oid FROM pg_roles WHERE rolname = 'tick_counter'))",
            )
            text_reads = 0
            for _ in range(3):
                await poller.poll()
                text_reads += poller.lookups["statements"].fetched_last_tick > 0
        finally:
            await poller.close()
        with psycopg.connect(admin, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT split_part(s.query, ' ', 1), sum(s.calls)::int"
                " FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid"
                " WHERE r.rolname = 'tick_counter' GROUP BY 1"
            ).fetchall()
        calls = dict(rows)
        assert calls.get("BEGIN") == 3
        assert calls.get("COMMIT") == 3
        # The only savepoint left guards reading the texts of statements new to the cache.
        assert calls.get("SAVEPOINT", 0) == text_reads
        assert calls.get("RELEASE", 0) == text_reads
    finally:
        execute(admin, "DROP ROLE tick_counter")


async def test_probe_hitting_statement_timeout_goes_stale_and_keeps_its_value(
    cluster: SandboxCluster, tmp_path: Path
) -> None:
    book = slow_book(tmp_path, "databases.pg14.sql")
    settings = Settings(statement_timeout_ms=300)
    poller = Poller(ConnTarget(cluster.conninfo()), settings, querybook=book)
    await poller.connect()
    try:
        snap = await poller.poll()
        status = snap.probes["databases"]
        assert status.state is ProbeState.STALE
        assert status.reason is not None
        assert "statement_timeout" in status.reason
        # The probes after it keep updating: the tick goes on in a new transaction.
        assert snap.probes["sessions"].state is ProbeState.OK
        assert snap.probes["statements"].state is ProbeState.OK
        assert snap.statements
        again = await poller.poll()
        assert again.probes["databases"].state is ProbeState.STALE  # retried, not switched off
    finally:
        await poller.close()


async def test_a_slow_periodic_probe_that_timed_out_waits_its_interval(
    cluster: SandboxCluster, tmp_path: Path
) -> None:
    book = slow_book(tmp_path, "tables.pg14.sql")
    settings = Settings(statement_timeout_ms=300, tables_interval_s=3600)
    poller = Poller(ConnTarget(cluster.conninfo()), settings, querybook=book)
    await poller.connect()
    try:
        first = await poller.poll()
        assert first.probes["tables"].state is ProbeState.STALE
        second = await poller.poll()
        # Not run again: the status is carried with the same reason, and no time was spent.
        assert second.probes["tables"] == first.probes["tables"]
        assert poller.probe_runs["tables"] == 1
        forced = await poller.poll(force=frozenset({"tables"}))  # `r` still retries at once
        assert poller.probe_runs["tables"] == 2
        assert forced.probes["tables"].state is ProbeState.STALE
    finally:
        await poller.close()


async def test_probe_stale_after_success_keeps_last_value(
    cluster: SandboxCluster, tmp_path: Path
) -> None:
    book = slow_book(tmp_path, "databases.pg14.sql")
    settings = Settings(statement_timeout_ms=1500)
    poller = Poller(ConnTarget(cluster.conninfo()), settings, querybook=book)
    await poller.connect()
    try:
        first = await poller.poll(frozenset({"databases"}))
        assert first.probes["databases"].state is ProbeState.OK
        poller.settings = Settings(statement_timeout_ms=300)
        await poller.connect()  # new session with the shorter timeout
        stale = await poller.poll(frozenset({"databases"}))
        assert stale.probes["databases"].state is ProbeState.STALE
        assert stale.databases == first.databases
        assert stale.probes["databases"].collected_at == first.probes["databases"].collected_at
    finally:
        await poller.close()


async def test_privilege_error_switches_a_probe_off_once_with_a_reason(
    cluster: SandboxCluster,
) -> None:
    admin = cluster.conninfo()
    execute(admin, "DROP ROLE IF EXISTS no_pgss")
    execute(admin, "CREATE ROLE no_pgss LOGIN")
    execute(admin, "REVOKE EXECUTE ON FUNCTION pg_stat_statements(boolean) FROM PUBLIC")
    try:
        poller = Poller(ConnTarget(cluster.conninfo(user="no_pgss")), FAST)
        await poller.connect()
        try:
            snap = await poller.poll()
            status = snap.probes["statements"]
            assert status.state is ProbeState.OFF
            assert status.reason is not None
            assert status.reason.startswith("permission denied")
            assert snap.probes["sessions"].state is ProbeState.OK
            again = await poller.poll()
            assert again.probes["statements"].state is ProbeState.OFF
            assert again.probes["statements"].reason == status.reason
        finally:
            await poller.close()
    finally:
        execute(admin, "GRANT EXECUTE ON FUNCTION pg_stat_statements(boolean) TO PUBLIC")
        execute(admin, "DROP ROLE no_pgss")


async def test_a_quiet_session_keeps_its_model_while_its_ages_follow_the_clock(
    cluster: SandboxCluster, poller: Poller
) -> None:
    with (
        psycopg.connect(cluster.conninfo(), application_name="quiet-idle") as idle,
        psycopg.connect(cluster.conninfo(), application_name="quiet-in-tx") as in_tx,
    ):
        idle.commit()
        in_tx.execute("SELECT 1")  # leaves it idle in transaction
        listed = PollContext(with_idle=True)
        first = await poller.poll(context=listed)
        second = await poller.poll(context=listed)
        before = {s.pid: s for s in first.sessions}
        after = {s.pid: s for s in second.sessions}
        idle_pid, tx_pid = idle.info.backend_pid, in_tx.info.backend_pid
    assert after[idle_pid] is before[idle_pid]
    assert after[tx_pid] is before[tx_pid]
    session = after[tx_pid]
    assert session.state == "idle in transaction"
    moved = (second.server.now - first.server.now).total_seconds()
    assert moved > 0
    older = session.xact_age(second.server.now)
    younger = session.xact_age(first.server.now)
    assert older is not None
    assert younger is not None
    assert older - younger == pytest.approx(moved)
