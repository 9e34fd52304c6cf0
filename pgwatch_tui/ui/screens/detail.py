"""A generic drill-down: a titled list of fields and, when there is one, the SQL to fix it."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from pgwatch_tui.ui.screens.base import DetailScreenBase, sql_block
from pgwatch_tui.ui.widgets.key_footer import KeyFooter
from pgwatch_tui.ui.widgets.status_bar import StatusBar


def fields_table(fields: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    for name, value in fields:
        table.add_row(Text(name), Text(value))
    return table


class DetailScreen(DetailScreenBase):
    """Fields of one row; `y` copies the SQL shown."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("y", "copy", "Copy SQL")]
    DEFAULT_CSS = """
    DetailScreen .title { text-style: bold; padding: 1 1 0 1; }
    DetailScreen .body { padding: 0 1; }
    """

    def __init__(self, title: str, fields: list[tuple[str, str]], sql: str | None) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.sql = sql

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with VerticalScroll():
            yield Static(Text(self.title_text), classes="title")
            yield Static(fields_table(self.fields), classes="body")
            if self.sql:
                yield Static(Text("SQL (y copies it)", style="bold"), classes="title")
                yield Static(sql_block(self.sql, self.app.current_theme.dark), classes="body")
        yield KeyFooter()

    def action_copy(self) -> None:
        if self.sql is None:
            self.notify("Nothing to copy here.", severity="warning")
            return
        self.app.copy_to_clipboard(self.sql)
        self.notify("Copied the SQL (OSC 52).", timeout=2)
