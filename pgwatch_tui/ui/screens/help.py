"""`?`: every key, generated from the bindings, so help can never disagree with the footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from pgwatch_tui.ui.app import PgWatchApp

KeySection = tuple[str, list[tuple[str, str]]]


def describe(
    bindings: list[BindingType], display: object, hidden: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """(keys, description) for each binding with a description, but the hidden actions."""
    rows = []
    for item in bindings:
        if not isinstance(item, Binding) or not item.description or item.key.isdigit():
            continue  # 1-6 are summarised in one line
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


def key_sections(app: PgWatchApp) -> list[KeySection]:
    """Every key, by where it works; the write actions left out in read-only mode."""
    from pgwatch_tui.ui.action_flow import WRITE_ACTIONS
    from pgwatch_tui.ui.screens.advice import AdviceScreen
    from pgwatch_tui.ui.screens.main import PANES
    from pgwatch_tui.ui.screens.plan import PlanScreen
    from pgwatch_tui.ui.widgets.table_pane import TablePane

    hidden = WRITE_ACTIONS if app.actions is None else frozenset()

    def keys(bindings: list[BindingType]) -> list[tuple[str, str]]:
        return describe(bindings, lambda k: app.get_key_display(Binding(k, "")), hidden)

    sections: list[KeySection] = [
        (
            "Everywhere",
            [
                ("1-6", "switch pane (or click a tab)"),
                ("escape", "back from a detail screen"),
                ("ctrl+p", "command palette"),
                *keys(list(app.BINDINGS)),
            ],
        ),
        ("Tables", [("enter", "open the selected row"), *keys(list(TablePane.BINDINGS))]),
    ]
    for _, title, pane in PANES:
        own = keys(list(pane.__dict__.get("BINDINGS", [])))
        if own:
            sections.append((title, own))
    for title, screen in (("Plan", PlanScreen), ("Index advice", AdviceScreen)):
        own = keys(list(screen.__dict__.get("BINDINGS", [])))
        if own:
            sections.append((title, own))
    return sections
