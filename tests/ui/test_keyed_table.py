"""The keyed table: the cursor follows its row, only changed cells are repainted, keys and
clicks select rows and headings."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.message import Message

from pgwatch_tui.ui.widgets.keyed_table import KeyedTable
from pgwatch_tui.views.table import Cell, Column, SortState, TableRow, Tone

COLUMNS = [Column("n", "n", 4, right=True), Column("name", "name", 10), Column("v", "v", 6)]
SORT = SortState("n", True)


def rows(count: int, changed: dict[int, str] | None = None) -> list[TableRow]:
    changed = changed or {}
    return [
        TableRow(
            key=f"k{i}",
            cells={
                "n": Cell(str(i), i),
                "name": Cell(f"row {i}", i),
                "v": Cell(changed.get(i, "0"), 0),
            },
        )
        for i in range(count)
    ]


class TableApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.heard: list[Message] = []

    def compose(self) -> ComposeResult:
        yield KeyedTable()

    def on_mount(self) -> None:
        table = self.query_one(KeyedTable)
        table.show(rows(30), COLUMNS, SORT)
        table.focus()

    def on_keyed_table_row_selected(self, message: KeyedTable.RowSelected) -> None:
        self.heard.append(message)

    def on_keyed_table_header_selected(self, message: KeyedTable.HeaderSelected) -> None:
        self.heard.append(message)


async def test_the_cursor_stays_on_its_row_when_the_order_changes() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(KeyedTable)
        await pilot.press("down", "down")
        assert table.selected_key == "k2"
        table.show(list(reversed(rows(30))), COLUMNS, SORT)
        assert table.selected_key == "k2"
        assert table.cursor_row == 27
        table.show([r for r in rows(30) if r.key != "k2"], COLUMNS, SORT)
        assert table.selected_key == "k28"  # its row went: the cursor keeps its place
        table.show([], COLUMNS, SORT)
        assert table.selected_key is None


async def test_until_the_cursor_is_moved_it_stays_on_the_top_row() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(KeyedTable)
        assert table.selected_key == "k0"
        table.show(list(reversed(rows(30))), COLUMNS, SORT)  # say, the first rates arrive
        assert table.cursor_row == 0
        assert table.selected_key == "k29"
        await pilot.press("down", "up")  # now the user has chosen a row: it is followed
        table.show(rows(30), COLUMNS, SORT)
        assert table.selected_key == "k29"
        assert table.cursor_row == 29


async def test_only_the_cells_that_changed_are_repainted() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyedTable)
        table._repaint_regions.clear()
        table.show(rows(30, changed={3: "7"}), COLUMNS, SORT)
        # Row 3 is line 4 (under the header); column v starts after 6 + 12 cells.
        assert set(table._repaint_regions) == {Region(18, 4, 8, 1)}
        table._repaint_regions.clear()
        table.show(rows(30, changed={3: "7"}), COLUMNS, SORT)
        assert not table._repaint_regions  # the same texts: nothing to send
        toned = rows(30)
        toned[1] = TableRow("k1", toned[1].cells, tone=Tone.ALERT)
        table.show(toned, COLUMNS, SORT)
        assert Region(0, 2, 40, 1) in table._repaint_regions  # a new tone: the whole line


async def test_keys_move_and_select_and_the_view_follows_the_cursor() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(KeyedTable)
        await pilot.press("end")
        assert table.selected_key == "k29"
        assert table.scroll_y > 0
        await pilot.press("home", "pagedown")
        assert table.cursor_row == 10  # 11 rows under the header; a page keeps one in view
        await pilot.press("up", "enter")
        await pilot.pause()
        selected = [m for m in app.heard if isinstance(m, KeyedTable.RowSelected)]
        assert [m.key for m in selected] == ["k9"]


async def test_clicks_move_the_cursor_select_its_row_and_pick_a_heading() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(KeyedTable)
        await pilot.click(KeyedTable, offset=(8, 3))
        assert table.selected_key == "k2"
        assert not app.heard
        await pilot.click(KeyedTable, offset=(8, 3))
        await pilot.click(KeyedTable, offset=(20, 0))
        await pilot.pause()
        assert [type(m) for m in app.heard] == [KeyedTable.RowSelected, KeyedTable.HeaderSelected]
        heading = app.heard[1]
        assert isinstance(heading, KeyedTable.HeaderSelected)
        assert heading.column == "v"


async def test_a_theme_change_redraws_rows_in_the_new_colours() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(KeyedTable)
        await pilot.pause()
        before = table.render_line(3)._segments[0].style.bgcolor
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        assert table.render_line(3)._segments[0].style.bgcolor != before
