"""A table of keyed rows that repaints only the cells that changed.

`show()` takes the rows in display order. The cursor stays on the row it was on (by key), and
only cells whose text, tone or cursor state differ from what is on screen are marked for
repainting, so a refresh where three numbers moved sends three numbers to the terminal.
Each visible row's line is built once and kept until that row's object changes.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pgwatch_tui.ui.widgets.tone_styles import tone_style
from pgwatch_tui.views.table import (
    Column,
    SortState,
    TableRow,
    Tone,
    column_spans,
    fit_text,
    heading,
)

HEADER_LINES = 1


def _cell(row: TableRow, column: Column) -> str:
    cell = row.cells.get(column.key)
    return cell.text if cell is not None else ""


class KeyedTable(ScrollView, can_focus=True):
    """Rows keyed by TableRow.key under a one-line header; cells are plain text, never markup."""

    DEFAULT_CSS = """
    KeyedTable {
        height: 1fr;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        background: $surface;
        color: $foreground;
        &:focus { background-tint: $foreground 5%; }
        & > .keyed-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .keyed-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .keyed-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .keyed-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"keyed-table--header", "keyed-table--cursor"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first_row", "First row", show=False),
        Binding("end,ctrl+end", "last_row", "Last row", show=False),
    ]

    class RowSelected(Message):
        """Enter on a row, or a click on the row under the cursor."""

        def __init__(self, table: KeyedTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> KeyedTable:
            return self.table

    class HeaderSelected(Message):
        """A click on a column's heading."""

        def __init__(self, table: KeyedTable, column: str) -> None:
            super().__init__()
            self.table = table
            self.column = column

        @property
        def control(self) -> KeyedTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[TableRow] = []
        self._index: dict[str, int] = {}
        self._columns: list[Column] = []
        self._spans: list[tuple[int, int]] = []
        self._row_width = 0  # cells a row's line takes: every column with its padding
        self._sort: SortState | None = None
        self._cursor = 0
        # Whether the user put the cursor on a row. Until then it stays on the top row: a pane
        # that opens and then sorts its first rates keeps offering what is on top, rather than
        # whichever row happened to be first before the sort.
        self._placed = False
        # Saves formatting a line again for a row object drawn before: a row that did not
        # change is the same object. Per key: that object, its cursor state, and the line.
        self._line_for_row: dict[str, tuple[TableRow, bool, Strip]] = {}
        self._header: Strip | None = None
        self._styles: dict[tuple[Tone, bool], Style] = {}

    # ---- reading ----------------------------------------------------------------------------

    @property
    def row_keys(self) -> list[str]:
        """Keys of the rows in display order."""
        return [row.key for row in self._rows]

    @property
    def column_labels(self) -> list[str]:
        return [column.label for column in self._columns]

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def selected_key(self) -> str | None:
        return self._rows[self._cursor].key if self._rows else None

    # ---- showing ----------------------------------------------------------------------------

    def show(self, rows: list[TableRow], columns: list[Column], sort: SortState | None) -> None:
        """Make the table show exactly these rows, in this order."""
        selected = self.selected_key
        repaint_all = columns != self._columns or sort != self._sort
        if repaint_all:
            self._columns, self._sort = list(columns), sort
            self._spans = column_spans(columns)
            self._row_width = sum(cells for _, cells in self._spans)
            self._forget_lines()
        before, cursor_before = self._rows, self._cursor
        self._rows = rows
        self._index = {row.key: i for i, row in enumerate(rows)}
        if not self._placed:
            self._cursor = 0
        elif selected is not None and selected in self._index:
            self._cursor = self._index[selected]
        else:
            self._cursor = max(min(self._cursor, len(rows) - 1), 0)
        if len(rows) != len(before) or repaint_all:
            self.virtual_size = Size(self._row_width, len(rows) + HEADER_LINES)
        if repaint_all:
            self.refresh()
        else:
            self._repaint_changes(before, cursor_before)
        if len(self._line_for_row) > 2 * len(rows) + 200:
            self._line_for_row = {k: v for k, v in self._line_for_row.items() if k in self._index}

    def _repaint_changes(self, before: list[TableRow], cursor_before: int) -> None:
        """Mark for repainting the visible cells whose text, tone or cursor state changed."""
        top = round(self.scroll_y)
        rows = self._rows
        width = self.size.width
        dirty: list[Region] = []
        for position in range(top, top + self._visible_rows()):
            y = position - top + HEADER_LINES
            old = before[position] if position < len(before) else None
            new = rows[position] if position < len(rows) else None
            cursor_moved = (position == cursor_before) != (position == self._cursor)
            if old is new and not cursor_moved:
                continue
            if old is None or new is None or cursor_moved or old.tone != new.tone:
                dirty.append(Region(0, y, width, 1))
                continue
            start = end = -1  # a run of neighbouring changed cells becomes one region
            for column, (x, cells) in zip(self._columns, self._spans, strict=True):
                if _cell(old, column) == _cell(new, column):
                    continue
                if x != end:
                    if start >= 0:
                        dirty.append(Region(start, y, end - start, 1))
                    start = x
                end = x + cells
            if start >= 0:
                dirty.append(Region(start, y, end - start, 1))
        if dirty:
            self.refresh(*dirty)

    def _visible_rows(self) -> int:
        return max(self.scrollable_content_region.height - HEADER_LINES, 0)

    def _forget_lines(self) -> None:
        self._line_for_row.clear()
        self._header = None

    def _forget_styles(self) -> None:
        self._styles = {}
        self._forget_lines()

    def _style_lines(self) -> None:
        """The line styles, looked up when first drawn: component styles settle after focus."""
        base = self.rich_style
        cursor = self.get_component_rich_style("keyed-table--cursor")
        variables = self.app.theme_variables
        self._styles = {}
        for tone in Tone:
            toned = base + tone_style(tone, variables)
            self._styles[tone, False] = toned
            # The cursor's colours win, so an alert row stays readable under it.
            self._styles[tone, True] = toned + cursor

    def notify_style_update(self) -> None:
        """Focus, theme and CSS changes alter the colours every line was built with (the tone
        styles are looked up once per change, not per cell)."""
        super().notify_style_update()
        self._forget_styles()

    def on_resize(self) -> None:
        self._header = None  # padded to the width; row lines are as wide as their columns

    # ---- rendering --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        if y < HEADER_LINES:
            if self._header is None:
                self._header = self._header_line()
            return self._header
        position = round(self.scroll_y) + y - HEADER_LINES
        if position >= len(self._rows):
            return Strip.blank(self.size.width, self.rich_style)
        row = self._rows[position]
        on_cursor = position == self._cursor
        kept = self._line_for_row.get(row.key)
        if kept is not None and kept[0] is row and kept[1] == on_cursor:
            return kept[2]
        if not self._styles:
            self._style_lines()
        style = self._styles[row.tone, on_cursor]
        segments = [
            Segment(f" {fit_text(_cell(row, c), c.width, c.right)} ", style) for c in self._columns
        ]
        line = Strip(segments, self._row_width)
        self._line_for_row[row.key] = (row, on_cursor, line)
        return line

    def _header_line(self) -> Strip:
        style = self.rich_style + self.get_component_rich_style("keyed-table--header")
        segments: list[Segment] = []
        for column in self._columns:
            arrow = ""
            if self._sort is not None and self._sort.column == column.key:
                arrow = "▼" if self._sort.descending else "▲"
            label = heading(column.label, arrow, column.width)
            segments.append(Segment(f" {fit_text(label, column.width, column.right)} ", style))
        width = self.scrollable_content_region.width
        if width > self._row_width:
            segments.append(Segment(" " * (width - self._row_width), style))
        return Strip(segments, max(width, self._row_width))

    # ---- cursor -----------------------------------------------------------------------------

    def move_cursor(self, row: int, *, scroll: bool = True) -> None:
        """Put the cursor on a row (clamped to the table), by default scrolling it into view."""
        if not self._rows:
            return
        self._placed = True
        target = max(min(row, len(self._rows) - 1), 0)
        if target != self._cursor:
            top = round(self.scroll_y)
            width = self.size.width
            for position in (self._cursor, target):
                if top <= position < top + self._visible_rows():
                    self.refresh(Region(0, position - top + HEADER_LINES, width, 1))
            self._cursor = target
        if scroll:
            self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        visible = max(self._visible_rows(), 1)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False)
        elif self._cursor >= top + visible:
            self.scroll_to(y=self._cursor - visible + 1, animate=False)

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self._cursor - max(self._visible_rows() - 1, 1))

    def action_page_down(self) -> None:
        self.move_cursor(self._cursor + max(self._visible_rows() - 1, 1))

    def action_first_row(self) -> None:
        self.move_cursor(0)

    def action_last_row(self) -> None:
        self.move_cursor(len(self._rows) - 1)

    def action_select_cursor(self) -> None:
        if self._rows:
            self.post_message(self.RowSelected(self, self._rows[self._cursor].key))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        event.stop()
        if offset.y < HEADER_LINES:
            for column, (x, cells) in zip(self._columns, self._spans, strict=True):
                if x <= offset.x < x + cells:
                    self.post_message(self.HeaderSelected(self, column.key))
            return
        position = round(self.scroll_y) + offset.y - HEADER_LINES
        if position >= len(self._rows):
            return
        if position == self._cursor:
            self.action_select_cursor()
        else:
            self.move_cursor(position)
