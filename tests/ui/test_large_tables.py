"""Thousands of rows: a table keeps the top `table_rows` of its order, the filter reaches all."""

from __future__ import annotations

from textual.widgets import Static

from pgwatch_tui.core.collect.rates import derive
from pgwatch_tui.core.model.rows import StatementStats
from pgwatch_tui.ui.panes.statements import StatementsPane
from pgwatch_tui.ui.widgets.keyed_table import KeyedTable
from tests.factories import at, snapshot, statement
from tests.ui.conftest import make_app, settle

COUNT = 60


def _busy_statements(tick: int) -> list[StatementStats]:
    # Statement n runs n calls a second, so the sort by ms/s puts the highest n first.
    return [
        statement(
            queryid=n,
            calls=100 + n * tick,
            total_exec_ms=500.0 + n * tick,
            query=f"SELECT {n} FROM t{n}",
        )
        for n in range(1, COUNT + 1)
    ]


async def test_a_table_shows_the_top_rows_and_the_filter_finds_the_others() -> None:
    first = derive(None, snapshot(at(0), statements=tuple(_busy_statements(0))))
    second = derive(first, snapshot(at(1), statements=tuple(_busy_statements(1))))
    app = make_app([first, second], table_rows=30)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await pilot.pause()
        pane = app.screen.query_one(StatementsPane)
        table = pane.query_one(KeyedTable)
        shown = table.row_keys
        assert len(shown) == 30
        assert shown[0].endswith(f":{COUNT}:t")
        assert shown[-1].endswith(f":{COUNT - 29}:t")
        summary = str(pane.query_one(".summary", Static).content)
        assert "top 30 shown (/ finds the rest)" in summary

        # t3 and t30: below the top 30, yet the filter finds them.
        await pilot.press("slash", *"FROM t3", "enter")
        await pilot.pause()
        found = {key.split(":")[2] for key in table.row_keys}
        assert found == {"3", *(str(n) for n in range(30, 40))}
        assert "top 30 shown" not in str(pane.query_one(".summary", Static).content)
