"""Every cache between a snapshot and the screen shows the newest rows, never stale ones.

Each pass below changes one thing a cache is keyed on and checks that what is drawn follows;
and that what the cache is for (skipping work for what did not change) still happens."""

from __future__ import annotations

from datetime import timedelta

from pgwatch_tui.core.model.bloat import BloatEstimate
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.ui.messages import SnapshotCollected
from pgwatch_tui.ui.panes.bloat import BloatPane
from pgwatch_tui.ui.widgets.keyed_table import KeyedTable
from pgwatch_tui.views.table import Column, SortState, TableRow
from tests.ui.conftest import RECORDED, make_app, settle
from tests.ui.test_keyed_table import COLUMNS, SORT, TableApp, rows

BASE = RECORDED[-1]


def line_text(table: KeyedTable, y: int) -> str:
    return table.render_line(y).text


def waste_cell(pane: BloatPane, key: str) -> str:
    return pane._shown_by_key[key].cells["wasted"].text


def later(snapshot: Snapshot, seconds: float, **changes: object) -> Snapshot:
    return snapshot.model_copy(
        update={"taken_at": snapshot.taken_at + timedelta(seconds=seconds), **changes}
    )


def wasting(estimate: BloatEstimate, wasted: int) -> BloatEstimate:
    return estimate.model_copy(update={"wasted_bytes": wasted, "bloat_ratio": 0.5})


async def test_a_line_is_formatted_again_for_a_new_row_object_or_a_cursor_move() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyedTable)
        assert line_text(table, 4).split()[-1] == "0"  # row k3, under the header
        kept = table._line_for_row["k3"][2]
        table.show(rows(30), COLUMNS, SORT)  # equal rows, but new objects: drawn again
        assert line_text(table, 4).split()[-1] == "0"
        assert table._line_for_row["k3"][2] is not kept
        table.show(rows(30, changed={3: "7"}), COLUMNS, SORT)
        assert line_text(table, 4).split()[-1] == "7"
        same = table._rows
        table.show(same, COLUMNS, SORT)
        assert table._line_for_row["k3"][2] is table.render_line(4)  # the very row: kept
        cursor_before = table.render_line(1)
        await pilot.press("down")
        assert table.render_line(1) is not cursor_before  # k0 left the cursor: restyled
        assert table.render_line(1).text == cursor_before.text


async def test_new_columns_or_sort_forget_every_line() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyedTable)
        narrower = [Column("n", "n", 4, right=True), Column("v", "v", 6)]
        table.show(table._rows, narrower, SORT)
        assert "row" not in line_text(table, 4)
        table.show(rows(30), COLUMNS, SortState("name", False))
        assert "row 3" in line_text(table, 4)
        assert "▲" in line_text(table, 0)


async def test_bloat_rows_follow_new_estimates_the_clock_and_measurements() -> None:
    app = make_app([BASE])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await pilot.pause()
        pane = app.screen.query_one(BloatPane)
        first = BASE.index_bloat[0]
        key = f"index:{first.oid}"
        built = pane._rows_built

        # A tick where the estimates were not due hands over the same tuples: nothing is
        # built again, and what is shown is still right.
        app.post_message(SnapshotCollected(later(BASE, 1)))
        await pilot.pause()
        assert pane._rows_built is built

        # New estimates: the row shows them.
        estimates = (wasting(first, 5 << 20), *BASE.index_bloat[1:])
        app.post_message(SnapshotCollected(later(BASE, 2, index_bloat=estimates)))
        await pilot.pause()
        assert pane._rows_built is not built
        assert waste_cell(pane, key) == "5.0 MB"

        # The same estimates a minute on: vacuum ages are shown to the minute, so rebuilt.
        built = pane._rows_built
        app.post_message(SnapshotCollected(later(BASE, 62, index_bloat=estimates)))
        await pilot.pause()
        assert pane._rows_built is not built

        # An exact measurement replaces the estimate at once, without a new snapshot.
        exact = wasting(first, 1 << 20).model_copy(update={"measured": True})
        pane.context.measured[(exact.kind.value, exact.oid)] = exact
        pane.redraw()
        assert waste_cell(pane, key) == "1.0 MB"
        assert pane._shown_by_key[key].cells["bloat"].text.startswith("=")


async def test_a_filter_or_sort_redraws_the_rows_already_built() -> None:
    app = make_app([BASE])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await pilot.pause()
        pane = app.screen.query_one(BloatPane)
        table = pane.query_one(KeyedTable)
        every = list(table.row_keys)
        name = BASE.index_bloat[0].name
        await pilot.press("slash", *name, "enter")
        await pilot.pause()
        assert 0 < len(table.row_keys) < len(every)
        assert all(name in row.cells["relation"].text for row in shown_rows(pane))
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_keys == every
        await pilot.press("S")
        await pilot.pause()
        assert table.row_keys != every


def shown_rows(pane: BloatPane) -> list[TableRow]:
    return [pane._shown_by_key[key] for key in pane.query_one(KeyedTable).row_keys]
