"""Action requests as confirmed, the audit log, and the recorded stand-ins of the UI tests."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.act.audit import AuditLog, default_audit_path
from pgwatch_tui.core.act.models import ActionKind, ActionOutcome, AuditEntry, LeftoverIndex
from pgwatch_tui.core.act.requests import drop_request, reindex_request, signal_request
from pgwatch_tui.core.act.runner import target_objections
from pgwatch_tui.core.diagnose.advisor.models import Advice, IndexShape, Suggestion
from pgwatch_tui.core.diagnose.advisor.report import AFTER_THE_ABOVE, render_advice
from tests.factories import statement
from tests.replay_actions import CANCELLED, DiagnosisRecording, ReplayActions


def test_requests_show_quoted_sql_and_a_plain_target() -> None:
    reindex = reindex_request("Sales", 'we"ird idx', "orders")
    assert reindex.sql == 'REINDEX INDEX CONCURRENTLY "Sales"."we""ird idx";'
    assert reindex.target == 'Sales.we"ird idx'
    assert reindex.builds_index
    drop = drop_request("public", "orders_pkey_ccnew", "orders")
    assert drop.sql == 'DROP INDEX CONCURRENTLY IF EXISTS "public"."orders_pkey_ccnew";'
    assert not drop.builds_index
    kill = signal_request(ActionKind.TERMINATE, 4242)
    assert (kill.sql, kill.pid, kill.target) == (
        "SELECT pg_terminate_backend(4242);",
        4242,
        "pid 4242",
    )
    assert signal_request(ActionKind.CANCEL, 7).sql == "SELECT pg_cancel_backend(7);"


def entry(outcome: str, ok: bool) -> AuditEntry:
    now = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
    return AuditEntry(
        action=ActionKind.REINDEX,
        target="public.i",
        sql="REINDEX …",
        user="postgres (root)",
        host="db1:5432/shop",
        started_at=now,
        ended_at=now,
        outcome=outcome,
        ok=ok,
    )


def test_audit_log_appends_json_lines_and_skips_what_it_cannot_read(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "state" / "pgwatch" / "actions.log")
    assert log.entries() == []
    log.append(entry("rebuilt", True))
    with log.path.open("a") as handle:
        handle.write("not json\n")
    log.append(entry("failed: lock timeout", False))
    assert [(e.outcome, e.ok) for e in log.entries()] == [
        ("rebuilt", True),
        ("failed: lock timeout", False),
    ]
    assert len(log.path.read_text().splitlines()) == 3  # appended, never rewritten


def test_audit_log_lives_in_the_xdg_state_directory() -> None:
    assert default_audit_path({"XDG_STATE_HOME": "/s"}) == Path("/s/pgwatch/actions.log")
    assert default_audit_path({}).parts[-4:] == (".local", "state", "pgwatch", "actions.log")


def test_count_words() -> None:
    assert fmt.count(1, "session") == "1 session"
    assert fmt.count(3, "session") == "3 sessions"
    assert fmt.count(2, "index", "indexes") == "2 indexes"


def suggestion(keys: tuple[str, ...], before: float, after: float) -> Suggestion:
    shape = IndexShape(schema_name="public", table="orders", keys=keys)
    return Suggestion(
        shape=shape,
        name="_".join(keys) + "_idx",
        ddl=f"CREATE INDEX … ({', '.join(keys)});",
        why="finds rows",
        validated=True,
        size_bytes=3_000_000,
        statement_cost_before=before,
        statement_cost_after=after,
        workload_cost_before_per_s=before * 10,
        workload_cost_after_per_s=after * 10,
    )


def test_advice_report_says_later_suggestions_count_the_earlier_ones_built() -> None:
    advice = Advice(
        query="SELECT 1",
        queryid=7,
        suggestions=[suggestion(("a",), 1000, 10), suggestion(("b",), 10, 5)],
        validated=True,
    )
    text = render_advice(advice, 2.0, 40.0)
    first, second = text.split("\n  2. ")
    assert AFTER_THE_ABOVE not in first
    assert AFTER_THE_ABOVE in second
    assert "cost 1000 → 10 (-99%)" in first
    assert text.startswith("Statement 7 (2 calls/s, mean 40.0 ms)")


def test_replayed_build_runs_until_cancelled_then_ends_as_recorded() -> None:
    leftover = LeftoverIndex(schema_name="public", name="i_ccnew", size_bytes=8192)
    recording = DiagnosisRecording(
        build_pid=99,
        outcomes={
            CANCELLED: ActionOutcome(
                ok=False, message="cancelled", cancelled=True, leftovers=[leftover]
            ),
            "drop index": ActionOutcome(ok=True, message="dropped"),
        },
    )
    actions = ReplayActions(recording)

    async def scenario() -> None:
        started: list[int] = []
        build = asyncio.create_task(
            actions.run(reindex_request("public", "i", "t"), started.append)
        )
        await asyncio.sleep(0.01)
        assert started == [99]
        assert not build.done()
        await actions.cancel()
        outcome = await build
        assert outcome.cancelled
        assert await actions.leftovers(reindex_request("public", "i", "t")) == [leftover]
        dropped = await actions.run(drop_request("public", "i_ccnew", "t"))
        assert dropped.ok

    asyncio.run(scenario())
    assert [r.kind for r in actions.requests] == [ActionKind.REINDEX, ActionKind.DROP_INDEX]


def test_replayed_diagnosis_says_what_was_not_recorded() -> None:
    from tests.replay_actions import ReplayDiagnosis

    diagnosis = ReplayDiagnosis(DiagnosisRecording())
    outcome = asyncio.run(diagnosis.explain_statement(statement(queryid=1)))
    assert outcome.error == "no recorded plan"


def _target(**over: object) -> dict[str, object]:
    fact: dict[str, object] = {
        "in_recovery": False,
        "is_system": False,
        "version_num": 160004,
        "is_exclusion": False,
        "is_valid": True,
        "name": "orders_pkey",
        "constraint_name": None,
    }
    return fact | over


def test_target_objections_refuse_what_the_server_would_refuse_or_regret() -> None:
    reindex = reindex_request("public", "orders_x", "orders")
    drop = drop_request("public", "orders_pkey", "orders")
    assert target_objections(reindex, _target()) == ([], [])
    refusals, _ = target_objections(reindex, _target(in_recovery=True, is_exclusion=True))
    assert refusals == [
        "this server is a standby: it cannot write",
        "REINDEX CONCURRENTLY cannot rebuild an exclusion constraint's index",
    ]
    _, warnings = target_objections(reindex, _target(version_num=140002))
    assert warnings == [
        "PostgreSQL 14.0-14.3 can corrupt indexes built concurrently (fixed in 14.4): upgrade first"
    ]
    # An INVALID leftover of a failed rebuild is dropped, never rebuilt; other INVALID
    # indexes may be.
    leftover, _ = target_objections(reindex, _target(is_valid=False, name="orders_x_ccnew1"))
    assert leftover[0].startswith("a leftover of a failed rebuild")
    assert target_objections(reindex, _target(is_valid=False, name="orders_cc_idx")) == ([], [])
    backing, _ = target_objections(drop, _target(constraint_name="orders_pkey"))
    assert backing == ["it backs constraint orders_pkey: drop the constraint"]
