"""`?`: every key, generated from the bindings, so help can never disagree with the footer."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KeySection = tuple[str, list[tuple[str, str]]]


def describe(
    bindings: list[BindingType], display: object, hidden: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """(keys, description) for each binding with a description, but the hidden actions."""
    rows = []
    for item in bindings:
        if not isinstance(item, Binding) or not item.description or item.key.isdigit():
            continue  # the pane numbers are summarised in one line
        if item.action.split("(")[0].removeprefix("app.") in hidden:
            continue
        keys = ", ".join(display(k) for k in item.key.split(","))  # type: ignore[operator]
        rows.append((keys, item.tooltip or item.description))
    return rows


class HelpScreen(ModalScreen[None]):
    """A scrollable list of keys by where they apply."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "app.pop_screen", "Close"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 100%; height: 90%; border: round $accent; background: $surface;
        padding: 0 1;
    }
    """

    def __init__(self, sections: list[KeySection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("pgwatch keys (escape closes)", style="bold"))
            for title, rows in self.sections:
                table = Table.grid(padding=(0, 2))
                table.add_column(no_wrap=True, style="bold", min_width=10)
                table.add_column()
                for keys, description in rows:
                    table.add_row(keys, description)
                yield Static(Text(f"\n{title}", style="underline"))
                yield Static(table)
