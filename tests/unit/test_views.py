"""Row builders and table helpers behind the panes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.model.rows import Session, seconds_since
from pgwatch_tui.core.model.snapshot import ProbeState, ProbeStatus
from pgwatch_tui.views import activity, statements
from pgwatch_tui.views.header import HeaderState, fit_segments, header_segments, short_label
from pgwatch_tui.views.overview import overview_figures, top_wait_events
from pgwatch_tui.views.table import (
    Cell,
    Column,
    RowMemo,
    SortState,
    TableRow,
    Tone,
    filter_rows,
    fit_columns,
    sort_rows,
)
from tests.factories import T0, at, report, session, snapshot, statement


def row(key: str, **cells: object) -> TableRow:
    return TableRow(key, {k: Cell(str(v), v) for k, v in cells.items()})


def test_fit_columns_drops_least_important_first_and_stretches_the_flexible_one() -> None:
    columns = [
        Column("a", "a", 10, priority=0),
        Column("b", "b", 10, priority=5),
        Column("c", "c", 10, priority=1),
        Column("q", "q", 20, priority=0, flexible=True, min_width=20),
    ]
    fitted = fit_columns(columns, 55)  # all four need 50 + 4 paddings of 2 + 1 scrollbar = 59
    assert [c.key for c in fitted] == ["a", "c", "q"]
    assert fitted[-1].width == 55 - 20 - 3 * 2 - 1
    assert [c.key for c in fit_columns(columns, 200)] == ["a", "b", "c", "q"]


def test_filter_is_case_insensitive_over_visible_columns_only() -> None:
    rows = [row("1", name="Alpha", hidden="zeta"), row("2", name="beta", hidden="alpha")]
    assert [r.key for r in filter_rows(rows, "ALPHA", ["name"])] == ["1"]
    assert [r.key for r in filter_rows(rows, "", ["name"])] == ["1", "2"]


def test_sort_puts_missing_values_last_in_both_directions() -> None:
    rows = [row("a", v=2), TableRow("none", {"v": Cell("—", None)}), row("b", v=5)]
    assert [r.key for r in sort_rows(rows, "v", True)] == ["b", "a", "none"]
    assert [r.key for r in sort_rows(rows, "v", False)] == ["a", "b", "none"]


def test_sort_state_cycles_and_reverses() -> None:
    state = SortState("x")
    assert state.cycled(["x", "y"]) == SortState("y")
    assert state.cycled(["y", "z"]) == SortState("y")
    assert SortState("y").cycled(["x", "y"]) == SortState("x")
    assert state.reversed() == SortState("x", False)


def test_activity_hides_idle_and_background_until_asked() -> None:
    snap = snapshot(
        sessions=(
            session(pid=1, state="active"),
            session(pid=2, state="idle"),
            session(pid=3, backend_type="checkpointer", state=None),
            session(pid=4, backend_type=None, state=None),
        )
    )
    shown = activity.activity_rows(snap, activity.ActivityOptions())
    assert [r.key for r in shown] == ["1"]
    with_idle = activity.activity_rows(snap, activity.ActivityOptions(show_idle=True))
    assert [r.key for r in with_idle] == ["1", "2"]


def test_activity_tones_follow_thresholds() -> None:
    options = activity.ActivityOptions(long_query_s=60, idle_in_transaction_s=10)
    assert activity.session_tone(session(wait_event_type="Lock"), options, T0) is Tone.ALERT
    idle_tx = session(state="idle in transaction", state_age_s=30.0)
    assert activity.session_tone(idle_tx, options, T0) is Tone.ALERT
    young_tx = session(state="idle in transaction", state_age_s=3.0)
    assert activity.session_tone(young_tx, options, T0) is Tone.WARN
    long_query = session(state="active", query_age_s=90.0)
    assert activity.session_tone(long_query, options, T0) is Tone.WARN
    assert activity.session_tone(session(state="active"), options, T0) is Tone.NORMAL


def test_activity_row_is_literal_and_hides_idle_waits() -> None:
    options = activity.ActivityOptions(show_idle=True)
    hostile = session(
        state="idle",
        application="[link=http://x]app[/]",
        wait_event_type="Client",
        wait_event="ClientRead",
        query="select '\x1b]52;c;aGk=\x07'",
    )
    cells = activity.session_row(hostile, options, T0).cells
    assert cells["application"].text == "[link=http://x]app[/]"
    assert cells["wait"].text == ""
    assert "\x1b" not in cells["query"].text
    assert "\x07" not in cells["query"].text


def test_statement_rows_interval_and_totals_and_own_probes_hidden() -> None:
    ours = statement(queryid=9, query="-- Probe: sessions (every tick)\nSELECT 1")
    slow = statement(queryid=1, mean_exec_ms=250.0, query="SELECT pg_sleep($1)")
    snap = snapshot(statements=(slow, ours))
    rows = statements.statement_rows(snap, statements.StatementOptions())
    assert [r.payload.queryid for r in rows] == [1]
    assert rows[0].tone is Tone.ALERT
    assert rows[0].cells["calls"].text == "—"  # no previous sample yet
    totals = statements.statement_rows(snap, statements.StatementOptions(cumulative=True))
    assert totals[0].cells["calls"].sort == 100
    assert "1 of pgwatch's own hidden" in statements.statements_summary(
        snap, statements.StatementOptions(), len(rows)
    )


def test_missing_extension_gives_a_message_with_the_fix() -> None:
    caps = report(shared_preload_libraries="", pgss_loaded=False, pgss_version=None)
    snap = snapshot(
        capabilities=caps,
        probes={"statements": ProbeStatus(state=ProbeState.OFF, reason="not loaded")},
    )
    message = statements.statements_unavailable(snap)
    assert message is not None
    assert "not loaded" in message
    assert "shared_preload_libraries" in message
    assert statements.statements_unavailable(snapshot()) is None


def test_header_segments_and_fitting() -> None:
    state = HeaderState(
        label="/tmp/x/sock:5432/shop",
        read_only=True,
        refresh_s=2.0,
        snapshot=snapshot(sessions=(session(wait_event_type="Lock"),)),
        capabilities=report(is_superuser=False, has_read_all_stats=False),
    )
    texts = [s.text for s in header_segments(state)]
    assert texts[1] == "[local]:5432/shop"
    assert "READ-ONLY" in texts
    assert "1 waiting" in texts
    assert "⚠ 1 warning" in texts
    narrow = [s.text for s in fit_segments(header_segments(state), 50)]
    assert "READ-ONLY" in narrow
    assert "⚠ 1 warning" in narrow
    assert "pgwatch" not in narrow


def test_header_markers() -> None:
    base = HeaderState(label="h:1/d", read_only=False, refresh_s=1.0)
    retry = header_segments(
        HeaderState(
            label="h:1/d",
            read_only=False,
            refresh_s=1.0,
            reconnecting="gone",
            retry_at=T0 + timedelta(seconds=4),
        ),
        T0,
    )
    assert "reconnecting… (retry in 4s)" in [s.text for s in retry]
    paused = header_segments(
        HeaderState(label="h:1/d", read_only=False, refresh_s=1.0, paused=True)
    )
    assert "paused" in [s.text for s in paused]
    assert "paused" not in [s.text for s in header_segments(base)]
    assert short_label("db1:5432/app") == "db1:5432/app"


def test_overview_figures_and_wait_events() -> None:
    snap = snapshot(
        sessions=(
            session(pid=1, state="active", wait_event_type="Lock", wait_event="transactionid"),
            session(pid=2, state="active", wait_event_type="Lock", wait_event="transactionid"),
            session(pid=3, state="idle in transaction", xact_age_s=120.0),
        )
    )
    figures = {
        f.label.strip(): f
        for f in overview_figures(snap, long_query_s=60, idle_in_transaction_s=10)
    }
    assert figures["waiting"].value == "2"
    assert figures["waiting"].tone is Tone.ALERT
    assert figures["oldest xact"].value == "2m00s"
    assert figures["oldest xact"].tone is Tone.ALERT
    assert top_wait_events(snap) == [("Lock:transactionid", 2)]


def test_ages_are_seconds_to_the_snapshot_clock_and_never_negative() -> None:
    assert seconds_since(None, T0) is None
    assert seconds_since(T0 - timedelta(seconds=90), T0) == 90.0
    assert seconds_since(T0 + timedelta(seconds=1), T0) == 0.0  # began while the tick was read
    s = session(xact_age_s=120.0, query_age_s=30.0, state_age_s=5.0)
    assert (s.xact_age(T0), s.query_age(T0), s.state_age(T0)) == (120.0, 30.0, 5.0)


def test_activity_rows_are_built_once_per_session_and_again_only_as_the_clock_shows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[int] = []
    build = activity.session_row

    def counting(s: Session, options: activity.ActivityOptions, now: datetime) -> TableRow:
        built.append(s.pid)
        return build(s, options, now)

    monkeypatch.setattr(activity, "session_row", counting)
    idle = session(pid=1, state="idle", xact_age_s=None, query_age_s=40.0)
    busy = session(pid=2, state="active", query_age_s=3.0)
    memo = RowMemo()
    hidden, shown = activity.ActivityOptions(), activity.ActivityOptions(show_idle=True)
    first = snapshot(T0, sessions=(idle, busy))
    assert [r.key for r in activity.activity_rows(first, hidden, memo)] == ["2"]
    assert sorted(built) == [1, 2]  # the hidden idle row is ready for `I`
    built.clear()
    assert [r.key for r in activity.activity_rows(first, shown, memo)] == ["1", "2"]
    assert built == []
    later = snapshot(at(1), sessions=(idle, busy))  # the same models, a second later
    rows = {r.key: r for r in activity.activity_rows(later, shown, memo)}
    assert built == [2]  # only the running query's age moved
    assert rows["2"].cells["query_age"].text == fmt.duration(4.0)
