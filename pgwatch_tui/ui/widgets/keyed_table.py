"""A DataTable updated in place by row key, so cursor, sort and filter survive every refresh.

`show()` removes rows that went away, adds new ones, rewrites only cells whose text or tone
changed, puts the rows in the order given, and puts the cursor back on the row it was on.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from pgwatch_tui.ui.widgets.tones import tone_style
from pgwatch_tui.views.table import Column, SortState, TableRow, Tone

CellState = tuple[str, Tone]
REBUILD_AFTER = 20  # removed rows beyond which the table is refilled rather than trimmed


class KeyedTable(DataTable[Text]):
    """Rows keyed by TableRow.key; cells are Rich Text, never parsed as markup."""

    DEFAULT_CSS = """
    KeyedTable {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, cell_padding=1)
        self._state: dict[str, dict[str, CellState]] = {}
        self._shown: dict[str, TableRow] = {}  # the row object each key was last drawn from
        self._styles: dict[Tone, Style] = {}
        self._styles_theme = ""
        self._column_signature: tuple[object, ...] = ()

    @property
    def selected_key(self) -> str | None:
        if self.row_count == 0:
            return None
        row = min(self.cursor_row, self.row_count - 1)
        value = self.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value
        return str(value) if value is not None else None

    def _text(self, value: str, tone: Tone, column: Column) -> Text:
        return Text(
            value,
            style=self._styles[tone],
            justify="right" if column.right else "left",
            no_wrap=True,
            overflow="ellipsis",
        )

    def _follow_theme(self) -> None:
        """The tones' styles, looked up once per theme rather than once per cell."""
        theme = self.app.theme
        if theme != self._styles_theme:
            self._styles = {t: tone_style(t, self.app.theme_variables) for t in Tone}
            self._styles_theme = theme

    def _set_columns(self, columns: list[Column], sort: SortState | None) -> None:
        signature: tuple[object, ...] = tuple((c.key, c.width, c.label, c.right) for c in columns)
        signature += ((sort.column, sort.descending) if sort else None,)
        if signature == self._column_signature:
            return
        self.clear(columns=True)
        self._state.clear()
        self._shown.clear()
        self._column_signature = signature
        for column in columns:
            label = column.label
            if sort is not None and sort.column == column.key:
                label += " ▼" if sort.descending else " ▲"
            self.add_column(
                Text(label, justify="right" if column.right else "left"),
                width=column.width,
                key=column.key,
            )

    def show(self, rows: list[TableRow], columns: list[Column], sort: SortState | None) -> None:
        """Make the table show exactly these rows, in this order."""
        selected = self.selected_key
        self._follow_theme()
        self._set_columns(columns, sort)
        wanted = {row.key for row in rows}
        gone = [k for k in self._state if k not in wanted]
        if len(gone) > REBUILD_AFTER:
            # DataTable removes a row in time proportional to the table: many removals one
            # by one (idle sessions hidden again) would take seconds. Start afresh instead.
            self.clear()
            self._state.clear()
            self._shown.clear()
            gone = []
        for key in gone:
            self.remove_row(key)
            del self._state[key]
            self._shown.pop(key, None)
        for row in rows:
            if self._shown.get(row.key) is row:
                continue  # the very row drawn last time: nothing in it can differ
            self._shown[row.key] = row
            cells = {
                c.key: (row.cells[c.key].text if c.key in row.cells else "", row.tone)
                for c in columns
            }
            old = self._state.get(row.key)
            if old is None:
                self.add_row(
                    *(
                        self._text(text, tone, c)
                        for c, (text, tone) in zip(columns, cells.values(), strict=True)
                    ),
                    key=row.key,
                )
            else:
                for column in columns:
                    if old.get(column.key) != cells[column.key]:
                        text, tone = cells[column.key]
                        self.update_cell(row.key, column.key, self._text(text, tone, column))
            self._state[row.key] = cells
        order = [row.key for row in rows]
        if [r.key.value for r in self.ordered_rows] != order:
            # DataTable sorts by cell values; the first cell objects identify their rows.
            rank = {key: i for i, key in enumerate(order)}
            owner = {id(self.get_row(key)[0]): key for key in order}
            self.sort(key=lambda cells: rank[owner[id(cells[0])]])
        if selected is not None and selected in wanted:
            self.move_cursor(row=self.get_row_index(selected), animate=False, scroll=False)
