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

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.collect.probes import PollContext
from pgwatch_tui.core.model.rows import Session
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.safe_text import one_line, printable
from pgwatch_tui.ui.screens.base import DetailScreenBase, sql_block
from pgwatch_tui.ui.screens.detail import fields_table
from pgwatch_tui.ui.widgets.key_footer import KeyFooter
from pgwatch_tui.ui.widgets.status_bar import StatusBar


def session_fields(s: Session, now: datetime) -> list[tuple[str, str]]:
    """Every field, ages as of `now` (the server clock of the snapshot it was seen in)."""
    wait = ":".join(p for p in (s.wait_event_type, s.wait_event) if p) or "—"
    return [
        ("pid", str(s.pid) + (f" (parallel worker of {s.leader_pid})" if s.leader_pid else "")),
        ("database", printable(s.database or "—")),
        ("user", printable(s.user or "—")),
        ("application", printable(s.application or "—")),
        (
            "client",
            printable(f"{s.client_addr}:{s.client_port}") if s.client_addr else "local socket",
        ),
        ("backend type", s.backend_type or "starting"),
        ("state", f"{s.state or '—'} for {fmt.duration(s.state_age(now))}"),
        ("wait event", printable(wait)),
        ("connected", f"{s.backend_start:%Y-%m-%d %H:%M:%S}" if s.backend_start else "—"),
        ("transaction age", fmt.duration(s.xact_age(now))),
        ("query age", fmt.duration(s.query_age(now))),
        ("backend xmin age", fmt.number(s.backend_xmin_age)),
        ("backend xid age", fmt.number(s.backend_xid_age)),
        ("query id", str(s.query_id) if s.query_id is not None else "—"),
        (
            "query length",
            f"{s.query_length} characters"
            + (" (truncated by track_activity_query_size)" if s.query_truncated else ""),
        ),
    ]


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
        self.query_one("#title", Static).update(Text(self._title()))
        fields = session_fields(self.session, self.seen_at)
        self.query_one("#fields", Static).update(fields_table(fields))
        self.query_one("#blocking", Static).update(self._blocking(snapshot))
        query = self.session.query or "(no query)"
        self.query_one("#query", Static).update(sql_block(query, self.app.current_theme.dark))
        self.query_one("#locks", Static).update(self._locks(snapshot))

    def _title(self) -> str:
        s, seen_at = self.session, self.seen_at
        assert s is not None
        assert seen_at is not None
        parts = [f"Session {self.pid}"]
        if self.gone:
            parts.append("ended (last seen values)")
        parts.append(printable(f"{s.user or '?'}@{s.database or '?'}"))
        if s.application:
            parts.append(one_line(s.application, 30))
        parts.append(f"{s.state or s.backend_type or ''} {fmt.duration(s.state_age(seen_at))}")
        if s.wait_event_type and s.state == "active":
            parts.append(printable(f"{s.wait_event_type}:{s.wait_event}"))
        return " · ".join(parts)

    def _blocking(self, snapshot: Snapshot) -> Text:
        sessions = {s.pid: s for s in snapshot.sessions}
        mine = next((w for w in snapshot.lock_waits if w.pid == self.pid), None)
        victims = [w for w in snapshot.lock_waits if self.pid in w.blocking_pids]
        text = Text()
        if mine is not None:
            on = printable(mine.relation) if mine.relation else mine.target
            text.append(
                f"\nWaits for {mine.mode} on {on} since {fmt.duration(mine.wait_age_s)},"
                " blocked by:\n",
                style="bold",
            )
            for pid in mine.blocking_pids:
                other = sessions.get(pid)
                what = one_line(other.query, 70) if other else "(not visible)"
                text.append(f"  {pid}  {printable(other.user or '') if other else ''}  {what}\n")
        if victims:
            text.append(f"Blocks {fmt.count(len(victims), 'session')}:\n", style="bold")
            for wait in victims:
                other = sessions.get(wait.pid)
                what = one_line(other.query, 70) if other else ""
                text.append(
                    f"  {wait.pid}  wants {wait.mode}, waiting"
                    f" {fmt.duration(wait.wait_age_s)}  {what}\n"
                )
        if mine is None and not victims:
            text.append("Neither waiting for nor blocking anyone.", style="dim")
        text.rstrip()
        return text

    def _locks(self, snapshot: Snapshot) -> Table | Text:
        if not snapshot.session_locks:
            return Text("no locks" if not self.gone else "—", style="dim")
        table = Table(box=None, padding=(0, 1), show_edge=False)
        for header in ("granted", "mode", "type", "on"):
            table.add_column(header, no_wrap=True)
        for lock in snapshot.session_locks:
            on = printable(lock.relation) if lock.relation else printable(lock.target)
            table.add_row(
                "yes" if lock.granted else Text("WAITING", style="bold"),
                lock.mode,
                lock.locktype,
                on,
            )
        return table

    def action_copy(self) -> None:
        if self.session is None or not self.session.query:
            self.notify("No query to copy.", severity="warning")
            return
        self.app.copy_to_clipboard(self.session.query)
        self.notify(f"Copied {len(self.session.query)} characters (OSC 52).", timeout=2)
