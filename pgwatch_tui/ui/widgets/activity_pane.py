"""Activity (2): sessions from pg_stat_activity; `I` shows idle ones, `enter` opens one."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from pgwatch_tui.core.snapshot import Snapshot
from pgwatch_tui.ui.context import pgwatch
from pgwatch_tui.ui.widgets.table_pane import TablePane
from pgwatch_tui.views import activity
from pgwatch_tui.views.table import TableRow


class ActivityPane(TablePane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("I", "toggle_idle", "Idle"),
    ]
    wanted_probes = frozenset({"sessions", "lock_waits"})
    columns = activity.COLUMNS
    sortable = activity.SORTABLE
    default_sort = activity.DEFAULT_SORT

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.show_idle = False

    def options(self) -> activity.ActivityOptions:
        settings = pgwatch(self).settings
        return activity.ActivityOptions(
            show_idle=self.show_idle,
            long_query_s=settings.long_query_s,
            idle_in_transaction_s=settings.idle_in_transaction_s,
        )

    def build_rows(self, snapshot: Snapshot) -> list[TableRow]:
        return activity.activity_rows(snapshot, self.options())

    def summary_text(self, snapshot: Snapshot, rows: list[TableRow]) -> str:
        return activity.activity_summary(snapshot, self.options())

    def copy_text(self, row: TableRow) -> str | None:
        return row.payload.query if row.payload is not None else None

    def open_detail(self, row: TableRow) -> None:
        from pgwatch_tui.ui.screens.session import SessionScreen

        self.app.push_screen(SessionScreen(row.payload.pid))

    def action_toggle_idle(self) -> None:
        self.show_idle = not self.show_idle
        self.redraw()
