"""A pane showing one table: summary line, keyed table, `/` filter, `s`/`S` sort, `y` copy.

Subclasses say which columns exist and how to build rows from a snapshot (a function from
views/); this class does the rest, identically for every table pane.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.ui.context import DashboardContext
from pgwatch_tui.ui.widgets.changed_lines import set_line
from pgwatch_tui.ui.widgets.keyed_table import KeyedTable
from pgwatch_tui.views.table import (
    Column,
    SortState,
    TableRow,
    filter_rows,
    fit_columns,
    sort_rows,
)


class Pane(Vertical):
    """Anything shown in a dashboard tab. Panes with a filter box yield an Input."""

    DEFAULT_CSS = """
    Pane > .summary { height: 1; color: $text-muted; padding: 0 1; }
    Pane > Input { dock: bottom; display: none; height: 3; }
    Pane > Input.visible { display: block; }
    """
    FILTER_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    wanted_probes: ClassVar[frozenset[str]] = frozenset()
    """Probes this pane needs polled while it is visible."""
    lists_idle_sessions: ClassVar[bool] = False
    """Whether the pane shows idle sessions one by one (else the server only counts them)."""

    filter_text = ""

    def __init__(self, context: DashboardContext, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.context = context

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Display a new snapshot (called only while the pane is visible)."""

    def focus_content(self) -> None:
        """Give the keyboard to the pane's main widget."""

    def redraw(self) -> None:
        """Show the last snapshot again (after a filter, sort or size change)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that change the server do not exist in read-only mode."""
        return self.context.allows(action)

    def filter_input(self) -> Input:
        return Input(placeholder="filter: type to narrow, enter to keep, escape to clear")

    def action_filter(self) -> None:
        box = self.query_one(Input)
        box.add_class("visible")
        box.value = self.filter_text
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one(Input)
        if not self.filter_text and not box.has_class("visible"):
            return
        self.filter_text = ""
        box.value = ""
        box.remove_class("visible")
        self.focus_content()
        self.redraw()

    @on(Input.Changed)
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self.redraw()

    @on(Input.Submitted)
    def _filter_kept(self, event: Input.Submitted) -> None:
        event.input.remove_class("visible")
        self.focus_content()

    def copy(self, text: str | None, nothing: str = "Nothing to copy on this row.") -> None:
        """Put text on the clipboard (OSC 52, so it works over SSH) and say so."""
        if not text:
            self.notify(nothing, severity="warning")
            return
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {len(text)} characters (OSC 52).", timeout=2)


class TablePane(Pane):
    """A pane whose content is one keyed table of rows."""

    DEFAULT_CSS = """
    TablePane > .message { padding: 1 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *Pane.FILTER_BINDINGS,
        Binding("s", "sort_next", "Sort"),
        Binding("S", "sort_reverse", "Reverse", show=False),
        # In help, not the footer: 80 columns are kept for the keys that act.
        Binding("y", "copy", "Copy", show=False, tooltip="Copy the row's text (OSC 52)"),
    ]

    columns: ClassVar[tuple[Column, ...]] = ()
    sortable: ClassVar[tuple[str, ...]] = ()
    default_sort: ClassVar[str] = ""

    def __init__(self, context: DashboardContext, *, id: str | None = None) -> None:
        super().__init__(context, id=id)
        self.sort_state = SortState(self.default_sort, True)
        self.snapshot: Snapshot | None = None  # the last handed, drawn again on a filter or sort
        self._shown_by_key: dict[str, TableRow] = {}  # what enter, y and the keys act on
        # Saves building rows again when a probe was not due: its tuple is handed over as is.
        self._rows_built_from: tuple[object, ...] | None = None
        self._rows_built: list[TableRow] = []
        # Saves redrawing the table when the very rows are on screen in the same view.
        self._on_screen: tuple[list[TableRow], tuple[object, ...]] | None = None
        self._filtered = 0

    def compose(self) -> ComposeResult:
        yield Static("", classes="summary")
        yield Static("", classes="message")
        yield KeyedTable()
        yield self.filter_input()

    def on_mount(self) -> None:
        self.query_one(".message", Static).display = False

    # ---- what subclasses provide ----------------------------------------------------------

    def build_rows(self, snapshot: Snapshot) -> list[TableRow]:
        raise NotImplementedError

    def row_sources(self, snapshot: Snapshot) -> tuple[object, ...] | None:
        """What the rows are built from. While equal (a probe not due this tick hands over the
        same tuple), the last rows are kept and the table left alone. None: build every time."""
        return None

    def summary_text(self, snapshot: Snapshot, rows: list[TableRow]) -> str:
        return f"{len(rows)} rows"

    def unavailable(self, snapshot: Snapshot) -> str | None:
        """A message shown instead of the table (e.g. a missing extension), or None."""
        return None

    def copy_text(self, row: TableRow) -> str | None:
        """What `y` copies for a row (a query text, a DDL statement)."""
        return None

    def open_detail(self, row: TableRow) -> None:
        """What `enter` on a row opens."""

    # ---- showing ----------------------------------------------------------------------------

    @property
    def table(self) -> KeyedTable:
        return self.query_one(KeyedTable)

    def focus_content(self) -> None:
        self.table.focus()

    def column_set(self) -> tuple[Column, ...]:
        """Every column the pane can show right now (before fitting to the width)."""
        return self.columns

    def visible_columns(self) -> list[Column]:
        width = self.size.width or self.app.size.width
        return fit_columns(self.column_set(), width)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.redraw()

    def redraw(self) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        message = self.unavailable(snapshot)
        message_box = self.query_one(".message", Static)
        message_box.display = message is not None
        self.table.display = message is None
        if message is not None:
            self._on_screen = None  # the table is hidden: draw it afresh when it comes back
            message_box.update(message)
            self.query_one(".summary", Static).update("")
            return
        columns = self.visible_columns()
        sources = self.row_sources(snapshot)
        if sources is None or sources != self._rows_built_from:
            self._rows_built = self.build_rows(snapshot)
        self._rows_built_from = sources
        rows = self._rows_built
        limit = self.context.settings.table_rows
        view = (self.filter_text, self.sort_state, tuple(columns), limit)
        on_screen = self._on_screen
        if on_screen is None or on_screen[0] is not rows or on_screen[1] != view:
            self._on_screen = (rows, view)
            self._draw(rows, columns, limit)
        summary = self.summary_text(snapshot, rows)
        if self.filter_text:
            summary += (
                f" · filter {self.filter_text!r}: {self._filtered} of {len(rows)} (esc clears)"
            )
        if self._filtered > limit:
            summary += f" · top {limit} shown (/ finds the rest)"
        set_line(self.query_one(".summary", Static), summary)

    def _draw(self, rows: list[TableRow], columns: list[Column], limit: int) -> None:
        shown = filter_rows(rows, self.filter_text, [c.key for c in columns])
        ordered = sort_rows(shown, self.sort_state.column, self.sort_state.descending)
        # Thousands of rows cost a refresh dearly and nobody scrolls through them: the table
        # keeps the top of the order, and the filter reaches every row.
        kept = ordered[:limit]
        self._filtered = len(ordered)
        self._shown_by_key = {row.key: row for row in kept}
        self.table.show(kept, columns, self.sort_state)

    def on_resize(self) -> None:
        self.redraw()

    @property
    def selected_row(self) -> TableRow | None:
        key = self.table.selected_key
        return self._shown_by_key.get(key) if key is not None else None

    # ---- keys -------------------------------------------------------------------------------

    def action_sort_next(self) -> None:
        visible = [c.key for c in self.visible_columns()]
        choices = [key for key in self.sortable if key in visible] or list(self.sortable)
        self.sort_state = self.sort_state.cycled(choices)
        self.redraw()

    def action_sort_reverse(self) -> None:
        self.sort_state = self.sort_state.reversed()
        self.redraw()

    def action_copy(self) -> None:
        row = self.selected_row
        self.copy(self.copy_text(row) if row is not None else None)

    @on(KeyedTable.RowSelected)
    def _row_selected(self, event: KeyedTable.RowSelected) -> None:
        event.stop()
        row = self._shown_by_key.get(event.key)
        if row is not None:
            self.open_detail(row)

    @on(KeyedTable.HeaderSelected)
    def _header_selected(self, event: KeyedTable.HeaderSelected) -> None:
        """A click on a heading sorts by that column; a second click reverses it."""
        event.stop()
        if event.column not in self.sortable:
            return
        if event.column == self.sort_state.column:
            self.sort_state = self.sort_state.reversed()
        else:
            self.sort_state = SortState(event.column, True)
        self.redraw()
