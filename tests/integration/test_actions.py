"""Actions against a real server: index builds with progress, failures and their cleanup,
cancel and terminate, EXPLAIN ANALYZE, exact measurement, the audit log."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from pgwatch_tui.core.act.audit import AuditLog
from pgwatch_tui.core.act.models import ActionKind, ActionOutcome, ActionRequest
from pgwatch_tui.core.act.requests import drop_request, reindex_request, signal_request
from pgwatch_tui.core.act.runner import ActionRunner
from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.diagnose.diagnosis import Diagnosis
from pgwatch_tui.core.errors import DiagnosisError
from pgwatch_tui.core.model.bloat import BloatEstimate, RelationKind
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.sandbox.cluster import SandboxCluster
from tests.pg_helpers import execute, wait_for

DB = "actions"
SETTINGS = Settings(statement_timeout_ms=2000, lock_timeout_ms=500)


@pytest.fixture(scope="module")
def actions_db(cluster: SandboxCluster) -> str:
    execute(cluster.conninfo(), f"DROP DATABASE IF EXISTS {DB}".encode())  # type: ignore[arg-type]
    execute(cluster.conninfo(), f"CREATE DATABASE {DB}".encode())  # type: ignore[arg-type]
    conninfo = cluster.conninfo(dbname=DB)
    execute(conninfo, "CREATE EXTENSION pgstattuple")
    return conninfo


def bloated_table(conninfo: str, name: str) -> None:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {name}".encode())  # type: ignore[arg-type]
        conn.execute(
            f"CREATE TABLE {name} (id int PRIMARY KEY, k int, v text)"  # type: ignore[arg-type]
            f" WITH (autovacuum_enabled = false)".encode()
        )
        conn.execute(
            f"INSERT INTO {name} SELECT g, g % 1000, 'x' FROM generate_series(1, 200000) g".encode()
        )  # type: ignore[arg-type]
        conn.execute(f"CREATE INDEX {name}_k ON {name} (k)".encode())  # type: ignore[arg-type]
        conn.execute(f"UPDATE {name} SET k = k + 1".encode())  # type: ignore[arg-type]
        conn.execute(f"DELETE FROM {name} WHERE id % 5 <> 0".encode())  # type: ignore[arg-type]
        conn.execute(f"VACUUM ANALYZE {name}".encode())  # type: ignore[arg-type]


def invalid_indexes(conninfo: str) -> list[str]:
    rows = execute(
        conninfo,
        "SELECT c.relname FROM pg_index i JOIN pg_class c"
        " ON c.oid = i.indexrelid WHERE NOT i.indisvalid",
    )
    return [str(r[0]) for r in rows]


def index_size(conninfo: str, name: str) -> int:
    rows = execute(conninfo, "SELECT pg_relation_size(%s::regclass)", (name,))
    return int(rows[0][0])  # type: ignore[call-overload]


@contextlib.contextmanager
def snapshot_holder(conninfo: str, seconds: float) -> Iterator[Callable[[], None]]:
    """An idle REPEATABLE READ transaction holding a snapshot, released after `seconds`
    or when the caller calls the function it yields, whichever comes first."""
    conn = psycopg.connect(conninfo)
    conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
    conn.execute("SELECT 1")
    timer = threading.Timer(seconds, conn.close)
    timer.start()
    try:
        yield conn.close
    finally:
        timer.cancel()
        conn.close()


@pytest.fixture
async def runner(actions_db: str, tmp_path: Path) -> AsyncIterator[ActionRunner]:
    poller = Poller(ConnTarget(actions_db), SETTINGS)
    await poller.connect()
    made = ActionRunner(ConnTarget(actions_db), SETTINGS, poller, AuditLog(tmp_path / "audit"))
    try:
        yield made
    finally:
        await poller.close()


async def test_reindex_concurrently_with_progress(runner: ActionRunner, actions_db: str) -> None:
    bloated_table(actions_db, "rb")
    before = index_size(actions_db, "rb_k")
    request = reindex_request("public", "rb_k", "rb")
    check = await runner.precheck(request)
    assert check.allowed
    assert check.space_needed_bytes is not None
    seen: list[tuple[str, int | None]] = []
    pid: list[int] = []

    async def watch(release: Callable[[], None]) -> None:
        while True:
            snap = await runner.poller.poll(frozenset({"index_builds"}))
            seen.extend(
                (b.phase, b.current_locker_pid)
                for b in snap.index_builds
                if pid and b.pid == pid[0]
            )
            if any(phase.startswith("waiting for old snapshots") for phase, _ in seen):
                release()  # seen waiting: let the build finish
            await asyncio.sleep(0.05)

    # The build must wait for the held snapshot, so progress shows it; the holder is let go
    # as soon as the wait is seen, not on a clock a busy machine could beat.
    with snapshot_holder(actions_db, 30.0) as release:
        watcher = asyncio.create_task(watch(release))
        outcome = await runner.run(request, started=pid.append)
        watcher.cancel()
    assert outcome.ok, outcome.message
    assert any(phase.startswith("waiting for old snapshots") and locker for phase, locker in seen)
    assert index_size(actions_db, "rb_k") < 0.6 * before
    assert invalid_indexes(actions_db) == []
    entries = runner.audit.entries()
    assert entries[-1].action is ActionKind.REINDEX
    assert entries[-1].ok
    assert "REINDEX INDEX CONCURRENTLY" in entries[-1].sql


async def _fail(
    runner: ActionRunner, actions_db: str, request: ActionRequest, how: str
) -> ActionOutcome:
    if how == "cancel":
        with snapshot_holder(actions_db, 10.0):
            task = asyncio.create_task(runner.run(request))
            for _ in range(200):  # the build waits on the held snapshot; let it get there
                if execute(actions_db, "SELECT 1 FROM pg_stat_progress_create_index"):
                    break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("the build never started")
            await runner.cancel()
            return await task
    with snapshot_holder(actions_db, 10.0):
        return await runner.run(request)


@pytest.mark.parametrize("how", ["statement_timeout", "cancel", "old_snapshot"])
@pytest.mark.parametrize("kind", ["reindex", "create"])
async def test_failed_builds_are_cleaned_up_to_zero_invalid_indexes(
    actions_db: str, tmp_path: Path, how: str, kind: str
) -> None:
    table = f"f_{kind}_{how}"
    bloated_table(actions_db, table)
    settings = SETTINGS.model_copy(
        update={
            "action_statement_timeout_ms": 300 if how == "statement_timeout" else 0,
            "action_lock_timeout_ms": 300 if how == "old_snapshot" else 60_000,
        }
    )
    poller = Poller(ConnTarget(actions_db), SETTINGS)
    await poller.connect()
    runner = ActionRunner(ConnTarget(actions_db), settings, poller, AuditLog(tmp_path / "a"))
    try:
        if kind == "reindex":
            request = reindex_request("public", f"{table}_k", table)
        else:
            request = ActionRequest(
                kind=ActionKind.CREATE_INDEX,
                target=f"public.{table}_v",
                schema_name="public",
                name=f"{table}_v",
                table=table,
                sql="CREATE INDEX CONCURRENTLY ...",
                shape=_shape(table),
            )
        outcome = await _fail(runner, actions_db, request, how)
        assert not outcome.ok
        assert outcome.cancelled == (how == "cancel")
        assert outcome.leftovers, outcome.message
        assert invalid_indexes(actions_db)
        for leftover in outcome.leftovers:
            cleanup = await runner.run(drop_request(leftover.schema_name, leftover.name, table))
            assert cleanup.ok, cleanup.message
        assert invalid_indexes(actions_db) == []
    finally:
        await poller.close()


def _shape(table: str) -> object:
    from pgwatch_tui.core.diagnose.advisor.models import IndexShape

    return IndexShape(schema_name="public", table=table, keys=("v",))


async def test_leftover_is_never_rebuilt(runner: ActionRunner, actions_db: str) -> None:
    bloated_table(actions_db, "lo")
    with snapshot_holder(actions_db, 10.0):
        settings = runner.settings
        runner.settings = settings.model_copy(update={"action_lock_timeout_ms": 200})
        failed = await runner.run(reindex_request("public", "lo_k", "lo"))
        runner.settings = settings
    leftover = failed.leftovers[0]
    assert leftover.name.startswith("lo_k_ccnew")
    check = await runner.precheck(reindex_request("public", leftover.name, "lo"))
    assert not check.allowed
    assert "drop it" in check.refusals[0]
    assert (await runner.run(drop_request("public", leftover.name, "lo"))).ok


async def test_prechecks_refuse_catalogs_and_exclusion_constraints(
    runner: ActionRunner, actions_db: str
) -> None:
    execute(actions_db, "CREATE EXTENSION IF NOT EXISTS btree_gist")
    execute(actions_db, "DROP TABLE IF EXISTS rooms")
    execute(
        actions_db,
        "CREATE TABLE rooms (r int, during tstzrange,"
        " EXCLUDE USING gist (r WITH =, during WITH &&))",
    )
    exclusion = execute(
        actions_db,
        "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'rooms'::regclass",
    )[0][0]
    check = await runner.precheck(reindex_request("public", str(exclusion), "rooms"))
    assert any("exclusion constraint" in r for r in check.refusals)
    catalog = await runner.precheck(reindex_request("pg_catalog", "pg_class_oid_index", "pg_class"))
    assert any("system catalogs" in r for r in catalog.refusals)
    gone = await runner.precheck(reindex_request("public", "no_such_index", "rooms"))
    assert not gone.allowed


async def test_odd_identifiers_are_quoted(runner: ActionRunner, actions_db: str) -> None:
    execute(actions_db, 'DROP TABLE IF EXISTS "Odd Table"')
    execute(actions_db, 'CREATE TABLE "Odd Table" (id int)')
    execute(actions_db, 'CREATE INDEX "we""ird Idx.1" ON "Odd Table" (id)')
    request = reindex_request("public", 'we"ird Idx.1', "Odd Table")
    assert request.sql == 'REINDEX INDEX CONCURRENTLY "public"."we""ird Idx.1";'
    outcome = await runner.run(request)
    assert outcome.ok, outcome.message


async def test_cancel_and_terminate_sessions(runner: ActionRunner, actions_db: str) -> None:
    errors: list[BaseException] = []
    busy = psycopg.connect(actions_db, autocommit=True, application_name="busy")

    def sleep() -> None:
        try:
            busy.execute("SELECT pg_sleep(30)")
        except psycopg.Error as exc:
            errors.append(exc)

    thread = threading.Thread(target=sleep)
    thread.start()
    wait_for(
        lambda: bool(
            execute(
                actions_db,
                "SELECT 1 FROM pg_stat_activity WHERE"
                " application_name = 'busy' AND state = 'active'",
            )
        )
    )
    outcome = await runner.run(signal_request(ActionKind.CANCEL, busy.info.backend_pid))
    thread.join(10)
    assert outcome.ok
    assert isinstance(errors[0], psycopg.errors.QueryCanceled)
    assert not busy.closed  # cancel keeps the session
    pid = busy.info.backend_pid
    outcome = await runner.run(signal_request(ActionKind.TERMINATE, pid))
    assert outcome.ok
    wait_for(
        lambda: not execute(actions_db, "SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,))
    )
    busy.close()
    gone = await runner.run(signal_request(ActionKind.CANCEL, pid))
    assert not gone.ok
    assert "no such session" in gone.message


async def test_signalling_without_privilege_says_so(
    cluster: SandboxCluster, actions_db: str, tmp_path: Path
) -> None:
    execute(actions_db, "DROP ROLE IF EXISTS weak")
    execute(actions_db, "CREATE ROLE weak LOGIN")
    other = psycopg.connect(actions_db, autocommit=True)
    target = ConnTarget(cluster.conninfo(dbname=DB, user="weak"))
    poller = Poller(target, SETTINGS)
    await poller.connect()
    try:
        runner = ActionRunner(target, SETTINGS, poller, AuditLog(tmp_path / "a"))
        check = await runner.precheck(signal_request(ActionKind.TERMINATE, other.info.backend_pid))
        assert any("pg_signal_backend" in w for w in check.warnings)
        outcome = await runner.run(signal_request(ActionKind.TERMINATE, other.info.backend_pid))
        assert not outcome.ok
        assert outcome.message.startswith("not allowed: ")
    finally:
        await poller.close()
        other.close()


async def test_own_session_cannot_be_signalled(runner: ActionRunner) -> None:
    own = runner.poller.backend_pid
    assert own is not None
    check = await runner.precheck(signal_request(ActionKind.TERMINATE, own))
    assert not check.allowed


async def test_explain_analyze_runs_read_only_and_rolls_back(
    runner: ActionRunner, actions_db: str
) -> None:
    bloated_table(actions_db, "ea")
    plan = await runner.explain_analyze("SELECT count(*) FROM ea WHERE k = $1", ["5"], None)
    assert plan.analyzed
    assert plan.execution_ms is not None
    with pytest.raises(DiagnosisError, match="takes 1 value, 2 given"):
        await runner.explain_analyze("SELECT count(*) FROM ea WHERE k = $1", ["5", "6"], None)
    with pytest.raises(DiagnosisError, match="invalid input syntax"):
        await runner.explain_analyze("SELECT count(*) FROM ea WHERE k = $1", ["five"], None)
    with pytest.raises(DiagnosisError, match="never DML"):
        await runner.explain_analyze("DELETE FROM ea", None, None)
    execute(actions_db, "CREATE SEQUENCE IF NOT EXISTS ea_seq")
    with pytest.raises(DiagnosisError, match="read-only transaction"):
        await runner.explain_analyze("SELECT nextval('ea_seq')", None, None)
    assert execute(actions_db, "SELECT last_value FROM ea_seq") == [(1,)]
    # the refused DELETE never reached the server, so only the two that ran are audited
    entries = [e for e in runner.audit.entries() if e.action is ActionKind.EXPLAIN_ANALYZE]
    assert [e.ok for e in entries] == [True, False, False, False]


async def test_measure_gives_exact_bloat(runner: ActionRunner, actions_db: str) -> None:
    bloated_table(actions_db, "me")
    diagnosis = Diagnosis(runner.poller, SETTINGS)
    for kind, name in ((RelationKind.TABLE, "me"), (RelationKind.INDEX, "me_k")):
        estimate = BloatEstimate(
            kind=kind,
            oid=1,
            schema_name="public",
            name=name,
            table_name="me",
            size_bytes=1,
            expected_bytes=1,
            wasted_bytes=0,
            bloat_ratio=0.0,
        )
        measured = await diagnosis.measure(estimate)
        assert measured.measured
        assert measured.bloat_ratio is not None
        assert measured.bloat_ratio > 0.4, (name, measured)
        assert measured.size_bytes > 1


async def test_action_connection_lost_mid_reindex_says_so_and_offers_cleanup(
    runner: ActionRunner, actions_db: str
) -> None:
    bloated_table(actions_db, "cl")
    pids: list[int] = []
    with snapshot_holder(actions_db, 10.0):  # the build waits for it, so it can be cut
        task = asyncio.create_task(runner.run(reindex_request("public", "cl_k", "cl"), pids.append))
        for _ in range(200):
            if pids and execute(
                actions_db, "SELECT 1 FROM pg_stat_progress_create_index WHERE pid = %s", (pids[0],)
            ):
                break
            await asyncio.sleep(0.05)
        execute(actions_db, "SELECT pg_terminate_backend(%s)", (pids[0],))
        outcome = await task
    assert not outcome.ok
    assert outcome.message == "failed: the connection was lost"
    assert [left.name for left in outcome.leftovers] == ["cl_k_ccnew"]
    assert (await runner.run(drop_request("public", "cl_k_ccnew", "cl"))).ok
    assert invalid_indexes(actions_db) == []
