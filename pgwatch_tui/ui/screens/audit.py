"""The audit log, newest first: every action pgwatch ran, with its SQL and outcome."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from pgwatch_tui.core.act.models import AuditEntry
from pgwatch_tui.core.safe_text import one_line, printable


class AuditScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "app.pop_screen", "Close")]
    DEFAULT_CSS = """
    AuditScreen { align: center middle; }
    AuditScreen > VerticalScroll {
        width: 110; max-width: 100%; height: 90%; border: round $accent;
        background: $surface; padding: 0 1;
    }
    """

    def __init__(self, entries: list[AuditEntry], path: str) -> None:
        super().__init__()
        self.entries = entries
        self.path = path

    def compose(self) -> ComposeResult:
        table = Table(box=None, padding=(0, 1), show_edge=False)
        for header in ("when", "action", "target", "outcome"):
            table.add_column(header, no_wrap=header != "outcome")
        for entry in reversed(self.entries):
            table.add_row(
                f"{entry.started_at.astimezone():%Y-%m-%d %H:%M:%S}",  # local time
                entry.action.value,
                Text(one_line(entry.target, 40)),
                Text(printable(entry.outcome), style="" if entry.ok else "bold"),
            )
        with VerticalScroll():
            yield Static(Text(f"Actions ({printable(self.path)})", style="bold"))
            yield Static(table if self.entries else Text("No action yet.", style="dim"))
