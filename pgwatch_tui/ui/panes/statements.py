"""Statements (3): pg_stat_statements per interval or cumulative (`t`); `enter` opens one."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.ui.context import DashboardContext
from pgwatch_tui.ui.panes.base import TablePane
from pgwatch_tui.ui.requests import Advise, Explain
from pgwatch_tui.views import statements
from pgwatch_tui.views.table import Column, RowMemo, TableRow


class StatementsPane(TablePane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "toggle_totals", "Totals", tooltip="Per second or totals since the reset"),
        Binding("e", "explain", "Explain", tooltip="Plan the statement (generic and custom plans)"),
        Binding("i", "advise", "Advise", tooltip="Suggest indexes, validated with HypoPG"),
    ]
    wanted_probes = frozenset({"statements"})
    columns = statements.INTERVAL_COLUMNS
    sortable = statements.SORTABLE
    default_sort = statements.DEFAULT_SORT

    def __init__(self, context: DashboardContext, *, id: str | None = None) -> None:
        super().__init__(context, id=id)
        self.cumulative = False
        self._memo = RowMemo()

    def column_set(self) -> tuple[Column, ...]:
        return statements.CUMULATIVE_COLUMNS if self.cumulative else statements.INTERVAL_COLUMNS

    def options(self) -> statements.StatementOptions:
        return statements.StatementOptions(
            cumulative=self.cumulative,
            slow_statement_ms=self.context.settings.slow_statement_ms,
        )

    def build_rows(self, snapshot: Snapshot) -> list[TableRow]:
        return statements.statement_rows(snapshot, self.options(), self._memo)

    def summary_text(self, snapshot: Snapshot, rows: list[TableRow]) -> str:
        return statements.statements_summary(snapshot, self.options(), len(rows))

    def unavailable(self, snapshot: Snapshot) -> str | None:
        return statements.statements_unavailable(snapshot)

    def copy_text(self, row: TableRow) -> str | None:
        return row.payload.query if row.payload is not None else None

    def open_detail(self, row: TableRow) -> None:
        from pgwatch_tui.ui.screens.statement import StatementScreen

        self.app.push_screen(StatementScreen(row.payload.key))

    def action_toggle_totals(self) -> None:
        self.cumulative = not self.cumulative
        self.redraw()

    def action_explain(self) -> None:
        row = self.selected_row
        if row is None:
            return
        statement = row.payload
        self.post_message(
            Explain(
                f"Statement {statement.queryid}",
                lambda d: d.explain_statement(statement),
                statement.query,
                statement.database,
            )
        )

    def action_advise(self) -> None:
        row = self.selected_row
        if row is not None:
            self.post_message(Advise(row.payload))
