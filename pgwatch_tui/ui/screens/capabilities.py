"""The capability report: what the server and role allow, with the exact fix for each gap."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from pgwatch_tui.core.model.capabilities import CapabilityReport, Severity
from pgwatch_tui.core.safe_text import printable
from pgwatch_tui.ui import adapters

MARKS = {Severity.OK: "✓", Severity.INFO: "·", Severity.WARNING: "!"}


class CapabilitiesScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,w,q", "app.pop_screen", "Close"),
        Binding("y", "copy", "Copy fixes"),
    ]
    DEFAULT_CSS = """
    CapabilitiesScreen { align: center middle; }
    CapabilitiesScreen > VerticalScroll {
        width: 90; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, report: CapabilityReport) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column()
        for item in self.report.items:
            style = {"warning": "bold", "info": "", "ok": "dim"}[item.severity.value]
            table.add_row(
                Text(MARKS[item.severity], style=style), Text(printable(item.summary), style=style)
            )
            if item.fix:
                table.add_row("", Text(f"fix: {printable(item.fix)}", style="italic"))
        for fallback in adapters.fallbacks():  # pgwatch's own, not the server's
            table.add_row(Text(MARKS[Severity.WARNING], style="bold"), Text(fallback.line()))
        with VerticalScroll():
            yield Static(
                Text(
                    f"Capabilities of role {printable(self.report.role)} in "
                    f"{printable(self.report.database)} (y copies the fixes)",
                    style="bold",
                )
            )
            yield Static(table)

    def action_copy(self) -> None:
        fixes = [i.fix for i in self.report.items if i.fix]
        if not fixes:
            self.notify("Nothing to fix.", timeout=2)
            return
        self.app.copy_to_clipboard("\n".join(fixes))
        self.notify(f"Copied {len(fixes)} fix(es) (OSC 52).", timeout=2)
