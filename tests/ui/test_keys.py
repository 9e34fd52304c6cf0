"""Key flows driven through Textual's Pilot, on replayed snapshots."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Input, TabbedContent

from pgwatch_tui.core.record.replay import ReplaySource
from pgwatch_tui.runner import FIRST_SCREEN_PROBES
from pgwatch_tui.ui.app import HEADER_PROBES, PgWatchApp
from pgwatch_tui.ui.dashboard import MainScreen
from pgwatch_tui.ui.messages import SnapshotCollected
from pgwatch_tui.ui.panes.activity import ActivityPane
from pgwatch_tui.ui.panes.overview import CHARTS
from pgwatch_tui.ui.panes.statements import StatementsPane
from pgwatch_tui.ui.screens.capabilities import CapabilitiesScreen
from pgwatch_tui.ui.screens.help import HelpScreen
from pgwatch_tui.ui.screens.session import SessionScreen
from pgwatch_tui.ui.screens.statement import StatementScreen
from pgwatch_tui.ui.widgets.history_chart import HistoryChart
from pgwatch_tui.ui.widgets.keyed_table import KeyedTable
from pgwatch_tui.views import activity
from tests.ui.conftest import RECORDED, demo_snapshots, make_app, settle


def source_of(app: PgWatchApp) -> ReplaySource:
    assert isinstance(app.source, ReplaySource)
    return app.source


def table_keys(app: PgWatchApp) -> list[str]:
    table = app.screen.query_one(f"#{app.screen.active_name}-pane").query_one(KeyedTable)  # type: ignore[attr-defined]
    return table.row_keys


async def test_number_keys_switch_panes_and_what_is_polled() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        source = source_of(app)
        expected = {
            "1": "overview",
            "2": "activity",
            "3": "statements",
            "4": "locks",
            "5": "bloat",
            "6": "indexes",
        }
        for key, name in expected.items():
            await pilot.press(key)
            await pilot.pause()
            assert app.screen.query_one(TabbedContent).active == name
            pane = app.screen.query_one(f"#{name}-pane")
            assert source.wanted == HEADER_PROBES | pane.wanted_probes  # type: ignore[attr-defined]
        assert "statements" not in (source.wanted or set())


async def test_only_the_opening_pane_is_built_until_another_is_shown() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not app.screen.query(StatementsPane)
        assert not app.screen.query("#locks-pane")
        await pilot.press("3")
        await pilot.pause()
        built = app.screen.query_one(StatementsPane)
        assert table_keys(app), "built and shown the snapshot it had missed"
        assert built.query_one(KeyedTable).has_focus
        await pilot.click("#--content-tab-locks")
        await pilot.pause()
        assert app.screen.query_one("#locks-pane").is_mounted
        await pilot.press("3")
        await pilot.pause()
        assert app.screen.query_one(StatementsPane) is built  # built once, then kept


async def test_a_key_hands_the_pane_its_snapshot_once() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3", "1")
        await pilot.pause()
        pane = app.screen.query_one(StatementsPane)
        shown: list[object] = []
        original = pane.show_snapshot
        pane.show_snapshot = lambda snapshot: (shown.append(snapshot), original(snapshot))[1]  # type: ignore[method-assign]
        await pilot.press("3")
        await pilot.pause()
        # The key shows it at once; the tab's own message that follows does not show it again.
        assert shown == [app.snapshot]


async def test_the_first_poll_reads_what_the_opening_screen_asks_for() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # The command's first poll runs before the screen exists, so it names the set itself.
        assert source_of(app).wanted == FIRST_SCREEN_PROBES


async def test_tabs_are_clickable() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.click("#--content-tab-locks")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "locks"


async def test_filter_narrows_and_escape_restores() -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2", "I")
        await pilot.pause()
        everyone = table_keys(app)
        await pilot.press("slash", *"billing", "enter")
        await pilot.pause()
        narrowed = table_keys(app)
        assert 0 < len(narrowed) < len(everyone)
        pane = app.screen.query_one(ActivityPane)
        assert all("billing" in pane._shown_by_key[k].cells["application"].text for k in narrowed)
        assert not app.screen.query_one(Input).has_class("visible")
        await pilot.press("escape")
        await pilot.pause()
        assert table_keys(app) == everyone


async def test_sort_cycles_and_reverses() -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2", "I")
        await pilot.pause()
        pane = app.screen.query_one(ActivityPane)
        assert pane.sort_state.column == "xact_age"
        await pilot.press("s")
        assert pane.sort_state.column == "query_age"
        await pilot.press("s")  # pid
        await pilot.pause()
        descending = table_keys(app)
        assert [int(k) for k in descending] == sorted((int(k) for k in descending), reverse=True)
        await pilot.press("S")
        await pilot.pause()
        assert table_keys(app) == list(reversed(descending))


async def test_space_pauses_and_resumes_and_plus_minus_change_the_refresh() -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        source = source_of(app)
        await pilot.press("space")
        assert source.paused
        assert app.header_state is not None
        assert app.header_state.paused
        await pilot.press("space")
        assert not source.paused
        await pilot.press("minus")
        assert source.refresh_s == 5.0
        await pilot.press("plus", "plus", "plus")
        assert source.refresh_s == 0.5


async def test_enter_opens_a_session_and_escape_comes_back() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        selected = app.screen.query_one(ActivityPane).selected_row
        assert selected is not None
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.pid == selected.payload.pid
        assert source_of(app).context.pid == selected.payload.pid
        assert source_of(app).context.with_idle  # the session shown may be an idle one
        assert "session_locks" in (source_of(app).wanted or set())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert source_of(app).context.pid is None
        assert source_of(app).context.with_idle  # the Activity pane lists idle sessions
        await pilot.press("3")
        await pilot.pause()
        assert not source_of(app).context.with_idle  # Statements: the server only counts them


async def test_statement_detail_and_copy() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await pilot.pause()
        pane = app.screen.query_one(StatementsPane)
        selected = pane.selected_row
        assert selected is not None
        await pilot.press("y")
        assert app.clipboard == selected.payload.query
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StatementScreen)
        await pilot.press("4")  # a pane key from a detail screen goes back to the dashboard
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one(TabbedContent).active == "locks"


async def test_totals_toggle_changes_the_columns() -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await pilot.pause()
        table = app.screen.query_one(StatementsPane).query_one(KeyedTable)
        labels = table.column_labels
        assert any("calls/s" in label for label in labels)
        await pilot.press("t")
        await pilot.pause()
        labels = table.column_labels
        assert not any("calls/s" in label for label in labels)
        assert any("total ms" in label for label in labels)


async def test_help_lists_every_pane_key_and_capabilities_open() -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = {d for _, rows in app.screen.sections for _, d in rows}
        assert {
            "Filter",
            "Sort",
            "Copy the row's text (OSC 52)",
            "Show or hide idle sessions",
            "Per second or totals since the reset",
            "Run the bloat estimate now",
            "Pause",
        } <= described
        await pilot.press("escape")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, CapabilitiesScreen)


async def test_r_re_estimates_bloat() -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("5", "r")
        assert frozenset({"table_bloat", "index_bloat"}) in source_of(app).forced


async def test_the_selected_row_stays_selected_when_rows_move() -> None:
    snapshots = demo_snapshots()
    last = snapshots[-1]
    # A second, later snapshot where the first session's transaction got much older.
    oldest = min(s.pid for s in last.sessions if s.xact_start is not None)
    long_ago = last.server.now - timedelta(seconds=10_000)
    moved = tuple(
        s.model_copy(update={"xact_start": long_ago}) if s.pid == oldest else s
        for s in last.sessions
    )
    later = last.model_copy(
        update={
            "sessions": moved,
            "taken_at": last.taken_at.replace(
                microsecond=(last.taken_at.microsecond + 1) % 1_000_000
            ),
        }
    )
    app = make_app([*snapshots])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2", "I")
        await pilot.pause()
        pane = app.screen.query_one(ActivityPane)
        table = pane.query_one(KeyedTable)
        table.move_cursor(row=2)
        chosen = table.selected_key
        assert chosen is not None
        app.post_message(SnapshotCollected(later))
        await pilot.pause()
        assert table.selected_key == chosen
        assert table_keys(app)[0] == str(oldest)


async def test_quit_key_ends_the_app() -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_palette_offers_panes_and_actions() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("1 Overview", "6 Indexes", "Pause / resume", "Capability report", "Keys"):
            assert wanted in titles


def test_fixtures_are_real_recordings() -> None:
    last = RECORDED[-1]
    assert last.lock_waits, "the recorded demo must include its lock chain"
    assert last.statements
    assert last.table_bloat
    assert last.session_locks


async def test_overview_charts_keep_their_height_while_history_is_collected() -> None:
    # At start-up the charts say "collecting…"; they must not be squeezed to fit the pane.
    app = make_app(demo_snapshots()[:1])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        heights = [chart.size.height for chart in app.screen.query(HistoryChart)]
        assert heights == [10] * len(CHARTS)


async def test_a_click_on_a_heading_sorts_by_it_and_a_second_click_reverses() -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await pilot.pause()
        pane = app.screen.query_one(StatementsPane)
        await pilot.click("#statements-pane KeyedTable", offset=(3, 0))  # heading: calls/s
        await pilot.pause()
        assert pane.sort_state.column == "calls"
        assert pane.sort_state.descending
        await pilot.click("#statements-pane KeyedTable", offset=(3, 0))
        await pilot.pause()
        assert pane.sort_state.column == "calls"
        assert not pane.sort_state.descending
        assert pane.table.column_labels[0] == "calls/s"


async def test_showing_idle_sessions_reuses_the_rows_of_the_snapshot_on_screen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        hidden = table_keys(app)
        built: list[object] = []
        real = activity.activity_rows
        monkeypatch.setattr(
            activity, "activity_rows", lambda *a, **k: built.append(a) or real(*a, **k)
        )
        await pilot.press("I")
        await pilot.pause()
        shown = table_keys(app)
        await pilot.press("I")
        await pilot.pause()
        assert built == []  # the rows of every session were built with the snapshot
        assert set(hidden) < set(shown)
        assert table_keys(app) == hidden
        pane = app.screen.query_one(ActivityPane)
        assert all(pane._shown_by_key[k].payload.state not in ("idle", None) for k in hidden)


async def test_a_snapshot_arriving_as_the_app_closes_is_dropped() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        last = app.snapshot
    assert last is not None
    assert not app.screen_stack  # closing: the screens are gone, the poller may not be yet
    app.on_snapshot_collected(SnapshotCollected(last))
