"""The rows of the detail screens (statement, session, bloat, index), built in views/."""

from __future__ import annotations

from datetime import timedelta

from pgwatch_tui.core.diagnose.index_health import IndexFinding, Problem
from pgwatch_tui.core.model.bloat import BloatEstimate, RelationKind
from pgwatch_tui.core.model.health_rows import SessionLock
from pgwatch_tui.core.model.snapshot import StatementDelta
from pgwatch_tui.views.bloat import bloat_fields
from pgwatch_tui.views.indexes import finding_fields
from pgwatch_tui.views.session_detail import (
    Line,
    LockRow,
    blocking_lines,
    lock_rows,
    session_fields,
    session_title,
)
from pgwatch_tui.views.statement_detail import COUNTER_HEADINGS, counter_rows, statement_who
from tests.factories import T0, index, lock_wait, session, snapshot, statement


def delta(**over: object) -> StatementDelta:
    values: dict[str, object] = {
        "userid": 10, "dbid": 16384, "queryid": 111, "toplevel": True, "calls": 20,
        "total_exec_ms": 40.0, "total_plan_ms": None, "mean_exec_ms": 2.0, "rows": 200,
        "shared_blks_hit": 90, "shared_blks_read": 10, "temp_blks_read": 1,
        "temp_blks_written": 2, "blk_read_ms": 3.0, "blk_write_ms": 0.0,
        "shared_hit_ratio": 0.9, "calls_per_s": 10.0, "exec_ms_per_s": 20.0,
        "rows_per_s": 100.0, "blks_read_per_s": 5.0, "temp_blks_per_s": 1.5,
    }  # fmt: skip
    return StatementDelta.model_validate(values | over)


def test_counters_show_the_interval_only_once_a_delta_exists() -> None:
    s = statement(calls=100, wal_bytes=4096)
    before = {row[0]: row for row in counter_rows(s, None)}
    assert before["calls"] == ("calls", "—", "—", "100")
    # Counters that have no interval meaning stay blank there, delta or not.
    assert before["min / max ms"][1:3] == ("", "")
    assert before["WAL bytes"][1:3] == ("", "")
    after = {row[0]: row for row in counter_rows(s, delta())}
    assert after["calls"][1:3] == ("20", "10")
    assert after["temp blocks"][1] == "3"
    assert after["mean ms"][2] == ""  # a mean has no rate
    assert len(COUNTER_HEADINGS) == len(after["calls"])


def test_statement_who_says_when_the_entry_was_evicted() -> None:
    s = statement(user="app\x1b[2J", toplevel=False)
    assert "evicted" not in statement_who(s, tracked=True)
    who = statement_who(s, tracked=False)
    assert "evicted; last seen values" in who
    assert "nested" in who
    assert "\x1b" not in who  # a hostile role name is shown, not interpreted


def test_session_blocking_lines_name_blockers_and_victims() -> None:
    blocker = session(pid=100, query="UPDATE accounts SET x = 1")
    waiter = session(pid=200, query="UPDATE accounts SET x = 2")
    shot = snapshot(sessions=(blocker, waiter), lock_waits=(lock_wait(pid=200),))
    mine = blocking_lines(200, shot)
    assert mine[0] == Line("")
    assert mine[1].heading
    assert "blocked by" in mine[1].text
    assert "100" in mine[2].text
    assert "UPDATE accounts SET x = 1" in mine[2].text
    theirs = blocking_lines(100, shot)
    assert theirs[0] == Line("Blocks 1 session:", heading=True)
    assert "200  wants ShareLock" in theirs[1].text
    assert blocking_lines(300, shot) == []


def test_session_title_and_fields_age_on_the_server_clock() -> None:
    s = session(pid=100, state="active", state_age_s=90)
    title = session_title(s, T0, gone=True)
    assert title.startswith("Session 100 · ended (last seen values) · app@shop")
    assert title.endswith("active 1m30s")
    fields = dict(session_fields(s, T0 + timedelta(seconds=30)))
    assert fields["client"] == "10.0.0.5:50000"
    assert fields["state"] == "active for 2m00s"  # as of the clock it is given


def test_lock_rows_prefer_the_relation_name() -> None:
    locks = (
        SessionLock(
            locktype="relation", mode="AccessShareLock", granted=True, fastpath=True,
            relation="public.orders", target="relation 1234", waiting_since=None,
        ),
        SessionLock(
            locktype="transactionid", mode="ShareLock", granted=False, fastpath=False,
            relation=None, target="transaction 9", waiting_since=T0,
        ),
    )  # fmt: skip
    assert lock_rows(snapshot(session_locks=locks)) == [
        LockRow(True, "AccessShareLock", "relation", "public.orders"),
        LockRow(False, "ShareLock", "transactionid", "transaction 9"),
    ]


def test_bloat_fields_say_how_the_waste_was_found() -> None:
    estimate = BloatEstimate(
        kind=RelationKind.INDEX, oid=1, schema_name="public", name="orders_pkey",
        table_name="orders", size_bytes=8 << 20, expected_bytes=2 << 20,
        wasted_bytes=6 << 20, bloat_ratio=0.75, deduplicated=True, last_vacuum=None,
        measured=False, reason=None,
    )  # fmt: skip
    fields = dict(bloat_fields(estimate))
    assert fields["method"] == "estimated from statistics"
    assert fields["last vacuum"] == "never"
    assert "no estimate because" not in fields
    measured = dict(bloat_fields(estimate.model_copy(update={"measured": True, "reason": "x"})))
    assert measured["method"] == "measured (pgstattuple)"
    assert measured["no estimate because"] == "x"


def test_finding_fields_add_the_definition_when_the_index_is_in_the_snapshot() -> None:
    finding = IndexFinding(
        problem=Problem.UNUSED, schema_name="public", table_name="orders",
        index_name="orders_note_idx", size_bytes=1 << 20, scans=0, why="never scanned",
        oid=4242,
    )  # fmt: skip
    assert "definition" not in dict(finding_fields(finding, None))
    shot = snapshot(indexes=(index(indexrelid=4242, definition="CREATE INDEX … (note)"),))
    assert dict(finding_fields(finding, shot))["definition"] == "CREATE INDEX … (note)"
