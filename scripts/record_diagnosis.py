"""Record what the diagnosis and action screens are answered, from the demo cluster.

Called by record_fixtures.py after it recorded the snapshots, on the same cluster, so the
recorded plans and advice belong to the statements in those snapshots. It explains the slow
lookup and the skewed-status query, asks for index advice, runs EXPLAIN ANALYZE, measures the
most bloated index, pre-checks each action, and runs a real REINDEX CONCURRENTLY that waits
for a held snapshot (its progress is recorded), is cancelled, and is cleaned up.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import psycopg

from pgwatch_tui.core.act.audit import AuditLog
from pgwatch_tui.core.act.models import ActionKind, ActionRequest
from pgwatch_tui.core.act.requests import (
    create_request,
    drop_request,
    reindex_request,
    signal_request,
)
from pgwatch_tui.core.act.runner import ActionRunner
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.diagnose.diagnosis import Diagnosis
from pgwatch_tui.core.model.bloat import RelationKind
from pgwatch_tui.core.model.rows import StatementStats
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.sandbox.demo import Demo
from tests.replay_actions import CANCELLED, DiagnosisRecording

SLOW_LOOKUP = "FROM orders WHERE customer_id ="
SKEWED = "FROM orders WHERE status ="


def _statements(snapshot: Snapshot, fragment: str) -> list[StatementStats]:
    """Every entry with that text: the driver's parameter types (int2/int4 by value) give
    one text several queryids, and the UI may open any of them."""
    return [s for s in snapshot.statements if s.query and fragment in s.query]


async def record_diagnosis(demo: Demo, snapshot: Snapshot) -> DiagnosisRecording:
    settings = Settings()
    poller = Poller(demo.target, settings)
    await poller.connect()
    audit = AuditLog(Path(tempfile.mkdtemp(prefix="pgwatch-audit-")) / "actions.log")
    runner = ActionRunner(demo.target, settings, poller, audit)
    diagnosis = Diagnosis(poller, settings)
    recording = DiagnosisRecording()
    try:
        lookups = _statements(snapshot, SLOW_LOOKUP)
        for statement in (*lookups, *_statements(snapshot, SKEWED)):
            recording.plans[str(statement.queryid)] = await diagnosis.explain_statement(statement)
        for statement in lookups:
            recording.advice[str(statement.queryid)] = await diagnosis.advise(statement, snapshot)
        slow = lookups[0]
        advice = recording.advice[str(slow.queryid)]
        for session in snapshot.sessions:
            if session.query and session.state == "active" and "orders" in session.query:
                plan = await diagnosis.explain_session(session)
                recording.session_plans[str(session.pid)] = plan
        custom = recording.plans[str(slow.queryid)].custom
        values = custom[0].values if custom else None
        recording.analyzed = await runner.explain_analyze(slow.query, values, None)

        worst = max(
            (e for e in snapshot.index_bloat if e.kind is RelationKind.INDEX),
            key=lambda e: e.wasted_bytes or 0,
        )
        recording.measured.append(await diagnosis.measure(worst))
        reindex = reindex_request(worst.schema_name, worst.name, worst.table_name)
        create = create_request(advice.suggestions[0])
        blocker = next(w.blocking_pids[0] for w in snapshot.lock_waits)
        terminate = signal_request(ActionKind.TERMINATE, blocker)
        for request in (reindex, create, terminate):
            recording.prechecks[request.kind.value] = await runner.precheck(request)

        await _record_cancelled_build(demo, poller, runner, reindex, recording)
        recording.outcomes[ActionKind.REINDEX.value] = await runner.run(reindex)
        recording.outcomes[ActionKind.CREATE_INDEX.value] = await runner.run(create)
        recording.outcomes[ActionKind.TERMINATE.value] = await runner.run(terminate)
        recording.audit = runner.entries()
        return recording
    finally:
        await poller.close()


async def _record_cancelled_build(
    demo: Demo,
    poller: Poller,
    runner: ActionRunner,
    reindex: ActionRequest,
    recording: DiagnosisRecording,
) -> None:
    """A REINDEX CONCURRENTLY held up by an old snapshot: its progress, then a cancel that
    leaves an INVALID _ccnew index, then the DROP INDEX CONCURRENTLY that cleans it up."""
    holder = await psycopg.AsyncConnection.connect(
        demo.target.conninfo, application_name="billing-audit"
    )
    await holder.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
    await holder.execute("SELECT count(*) FROM accounts")
    pids: list[int] = []
    task = asyncio.create_task(runner.run(reindex, started=pids.append))
    try:
        for _ in range(200):
            progress = await poller.poll(frozenset({"index_builds", "sessions"}))
            waiting = [
                b
                for b in progress.index_builds
                if pids and b.pid == pids[0] and b.current_locker_pid is not None
            ]
            if waiting:
                recording.progress, recording.build_pid = progress, pids[0]
                break
            await asyncio.sleep(0.1)
        else:
            raise RuntimeError("the REINDEX never waited for the held snapshot")
        await runner.cancel()
        cancelled = await task
    finally:
        await holder.close()
    recording.outcomes[CANCELLED] = cancelled
    leftover = cancelled.leftovers[0]
    drop = drop_request(leftover.schema_name, leftover.name, reindex.table or "")
    recording.prechecks[ActionKind.DROP_INDEX.value] = await runner.precheck(drop)
    recording.outcomes[ActionKind.DROP_INDEX.value] = await runner.run(drop)
