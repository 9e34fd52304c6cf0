"""Session detail: every pg_stat_activity field, the full query, blockers, victims, locks."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from pgwatch_tui.core.collect.probes import PollContext
from pgwatch_tui.core.model.rows import Session
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.ui.screens.base import DetailScreenBase, sql_block
from pgwatch_tui.ui.screens.detail import fields_table
from pgwatch_tui.ui.widgets.key_footer import KeyFooter
from pgwatch_tui.ui.widgets.status_bar import StatusBar
from pgwatch_tui.views.session_detail import (
    blocking_lines,
    lock_rows,
    session_fields,
    session_title,
)


class SessionScreen(DetailScreenBase):
    """One backend, followed live while the screen is open."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("y", "copy", "Copy query")]
    DEFAULT_CSS = """
    SessionScreen .title { text-style: bold; padding: 1 1 0 1; }
    SessionScreen .body { padding: 0 1; }
    """

    def __init__(self, pid: int) -> None:
        super().__init__()
        self.pid = pid
        self.session: Session | None = None
        self.seen_at: datetime | None = None  # the server clock when last seen
        self.gone = False

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with VerticalScroll():
            yield Static(Text(f"Session {self.pid}"), classes="title", id="title")
            yield Static("waiting for the next refresh…", classes="body", id="query")
            yield Static("", classes="body", id="blocking")
            yield Static(Text("Locks", style="bold"), classes="title")
            yield Static("", classes="body", id="locks")
            yield Static(Text("Everything pg_stat_activity says", style="bold"), classes="title")
            yield Static("", classes="body", id="fields")
        yield KeyFooter()

    def wanted_probes(self) -> frozenset[str]:
        return frozenset({"sessions", "lock_waits", "session_locks"})

    def poll_context(self) -> PollContext:
        return PollContext(pid=self.pid, with_idle=True)  # the session may be an idle one

    def show_snapshot(self, snapshot: Snapshot) -> None:
        current = next((s for s in snapshot.sessions if s.pid == self.pid), None)
        self.gone = current is None
        if current is not None:
            self.session, self.seen_at = current, snapshot.server.now
        if self.session is None or self.seen_at is None:
            self.query_one("#query", Static).update(Text(f"No session with pid {self.pid}."))
            return
        title = session_title(self.session, self.seen_at, self.gone)
        self.query_one("#title", Static).update(Text(title))
        fields = session_fields(self.session, self.seen_at)
        self.query_one("#fields", Static).update(fields_table(fields))
        self.query_one("#blocking", Static).update(self._blocking(snapshot))
        query = self.session.query or "(no query)"
        self.query_one("#query", Static).update(sql_block(query, self.app.current_theme.dark))
        self.query_one("#locks", Static).update(self._locks(snapshot))

    def _blocking(self, snapshot: Snapshot) -> Text:
        lines = blocking_lines(self.pid, snapshot)
        if not lines:
            return Text("Neither waiting for nor blocking anyone.", style="dim")
        text = Text()
        for line in lines:
            text.append(f"{line.text}\n", style="bold" if line.heading else "")
        text.rstrip()
        return text

    def _locks(self, snapshot: Snapshot) -> Table | Text:
        rows = lock_rows(snapshot)
        if not rows:
            return Text("no locks" if not self.gone else "—", style="dim")
        table = Table(box=None, padding=(0, 1), show_edge=False)
        for header in ("granted", "mode", "type", "on"):
            table.add_column(header, no_wrap=True)
        for row in rows:
            granted = "yes" if row.granted else Text("WAITING", style="bold")
            table.add_row(granted, row.mode, row.locktype, row.on)
        return table

    def action_copy(self) -> None:
        if self.session is None or not self.session.query:
            self.notify("No query to copy.", severity="warning")
            return
        self.app.copy_to_clipboard(self.session.query)
        self.notify(f"Copied {len(self.session.query)} characters (OSC 52).", timeout=2)
