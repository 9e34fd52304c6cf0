"""Confirmation before anything changes: the exact SQL, the target, its size, the pre-checks."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.act.models import ActionRequest, PreCheck
from pgwatch_tui.core.safe_text import printable
from pgwatch_tui.ui.screens.base import sql_block

TITLES = {
    "reindex": "Rebuild this index without blocking writes?",
    "create index": "Build this index without blocking writes?",
    "drop index": "Drop this index without blocking reads or writes?",
    "drop slot": "Drop this replication slot? Its consumer cannot resume from it.",
    "cancel": "Cancel this session's query?",
    "terminate": "Terminate this session (its transaction is rolled back)?",
}
SIZE_LABELS = {"create index": "reads (the table)", "drop slot": "WAL it keeps"}


def confirmation_text(
    request: ActionRequest, check: PreCheck, about: list[tuple[str, str]]
) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    table.add_row("target", Text(printable(request.target)))
    for label, value in about:
        table.add_row(label, Text(printable(value)))
    if check.size_bytes is not None:
        label = SIZE_LABELS.get(request.kind.value, "size")
        table.add_row(label, fmt.size(check.size_bytes))
    if check.space_needed_bytes is not None:
        table.add_row(
            "space needed", f"about {fmt.size(check.space_needed_bytes)} more while it runs"
        )
    for refusal in check.refusals:
        table.add_row(Text("refused", style="bold"), Text(printable(refusal), style="bold"))
    for warning in check.warnings:
        table.add_row("warning", Text(printable(warning)))
    for holder in check.holders[:8]:
        table.add_row(
            "waits for",
            Text(
                f"pid {holder.pid} {printable(holder.application)} "
                f"{holder.state or ''} {fmt.duration(holder.age_s)}"
            ),
        )
    return table


class ConfirmScreen(ModalScreen[bool]):
    """enter confirms (when nothing refuses), escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "confirm", "Confirm"),
        Binding("escape", "cancel", "Cancel"),
    ]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > VerticalScroll {
        width: 96; max-width: 100%; height: auto; max-height: 90%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    ConfirmScreen .title { text-style: bold; padding-bottom: 1; }
    ConfirmScreen .keys { padding-top: 1; color: $text-muted; }
    """

    def __init__(
        self, request: ActionRequest, check: PreCheck, about: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__()
        self.request = request
        self.check = check
        self.about = about or []

    def compose(self) -> ComposeResult:
        keys = (
            "enter runs it · escape cancels"
            if self.check.allowed
            else "pgwatch will not run this · escape goes back"
        )
        with VerticalScroll():
            yield Static(TITLES.get(self.request.kind.value, "Run this?"), classes="title")
            yield Static(sql_block(self.request.sql, self.app.current_theme.dark))
            yield Static(confirmation_text(self.request, self.check, self.about))
            yield Static(keys, classes="keys")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            return self.check.allowed
        return True

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class AskScreen(ModalScreen[bool]):
    """A yes/no question about something that reads a lot but changes nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "yes", "Yes"),
        Binding("escape", "no", "No"),
    ]
    DEFAULT_CSS = """
    AskScreen { align: center middle; }
    AskScreen > VerticalScroll {
        width: 80; max-width: 100%; height: auto; border: thick $accent;
        background: $surface; padding: 0 1;
    }
    """

    def __init__(self, question: str, detail: str) -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text(self.question, style="bold"))
            yield Static(Text(self.detail))
            yield Static("enter: yes · escape: no", classes="keys")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)
