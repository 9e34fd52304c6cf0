"""Activity (2): sessions from pg_stat_activity; `I` shows idle ones, `enter` opens one."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual.binding import Binding, BindingType

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.act.models import ActionKind
from pgwatch_tui.core.act.requests import signal_request
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.safe_text import one_line
from pgwatch_tui.ui.context import DashboardContext
from pgwatch_tui.ui.panes.base import TablePane
from pgwatch_tui.ui.requests import Explain, RunAction
from pgwatch_tui.views import activity
from pgwatch_tui.views.table import RowMemo, TableRow


class ActivityPane(TablePane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("I", "toggle_idle", "Idle", tooltip="Show or hide idle sessions"),
        Binding("e", "explain", "Explain", tooltip="Plan the session's current query"),
        Binding(
            "c", "cancel_query", "Cancel", tooltip="Cancel the session's query (pg_cancel_backend)"
        ),
        Binding(
            "K", "terminate_backend", "Kill", tooltip="Terminate the session (pg_terminate_backend)"
        ),
    ]
    wanted_probes = frozenset({"sessions", "lock_waits"})
    lists_idle_sessions = True  # `I` shows them at once, without waiting for a poll
    columns = activity.COLUMNS
    sortable = activity.SORTABLE
    default_sort = activity.DEFAULT_SORT

    def __init__(self, context: DashboardContext, *, id: str | None = None) -> None:
        super().__init__(context, id=id)
        self.show_idle = False
        self._memo = RowMemo()
        self._every_row: tuple[Snapshot | None, activity.ActivityOptions | None, list[TableRow]]
        self._every_row = (None, None, [])

    def options(self) -> activity.ActivityOptions:
        settings = self.context.settings
        return activity.ActivityOptions(
            show_idle=self.show_idle,
            long_query_s=settings.long_query_s,
            idle_in_transaction_s=settings.idle_in_transaction_s,
        )

    def build_rows(self, snapshot: Snapshot) -> list[TableRow]:
        # Every session's row, idle or not, once per snapshot: `I` then only filters.
        every = replace(self.options(), show_idle=True)
        built_for, built_with, rows = self._every_row
        if built_for is not snapshot or built_with != every:
            rows = activity.activity_rows(snapshot, every, self._memo)
            self._every_row = (snapshot, every, rows)
        if self.show_idle:
            return rows
        return [row for row in rows if not activity.is_idle(row.payload)]

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

    def action_explain(self) -> None:
        row = self.selected_row
        if row is None:
            return
        session = row.payload
        self.post_message(
            Explain(
                f"Session {session.pid}",
                lambda d: d.explain_session(session),
                None if session.query_truncated else session.query,
                session.database,
            )
        )

    def _signal(self, kind: ActionKind) -> None:
        row = self.selected_row
        if row is None:
            return
        session = row.payload
        now = self.snapshot.server.now if self.snapshot is not None else None
        state_age = session.state_age(now) if now is not None else None
        about = [
            (
                "session",
                f"{session.user or '?'}@{session.database or '?'} {session.application or ''}",
            ),
            ("running", f"{session.state or ''} for {fmt.duration(state_age)}"),
            ("query", one_line(session.query, 200)),
        ]
        self.post_message(RunAction(signal_request(kind, session.pid), about))

    def action_cancel_query(self) -> None:
        self._signal(ActionKind.CANCEL)

    def action_terminate_backend(self) -> None:
        self._signal(ActionKind.TERMINATE)
