"""Table rows as plain data: columns with priorities, cells with sort keys, filter and sort.

Row builders (one module per pane) turn a snapshot into `TableRow`s; the Textual table widget
only displays them. Everything here is pure and unit-tested.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from rich.cells import cell_len, set_cell_size


class Tone(StrEnum):
    """How a row should stand out; the widget maps tones to theme colours."""

    NORMAL = "normal"
    MUTED = "muted"
    WARN = "warn"
    ALERT = "alert"


@dataclass(frozen=True)
class Column:
    """A table column. Lower `priority` numbers are dropped last when space is short."""

    key: str
    label: str
    width: int
    priority: int = 5
    right: bool = False
    flexible: bool = False  # takes the space the other columns leave (one per table)
    min_width: int = 0


@dataclass(frozen=True)
class Cell:
    """Display text (already terminal-safe) and the value rows sort by."""

    text: str
    sort: Any = None  # None: no value; such rows sort last whatever the direction


@dataclass(frozen=True)
class TableRow:
    """One row: a stable key (so the cursor survives refreshes), cells by column key, tone."""

    key: str
    cells: dict[str, Cell]
    tone: Tone = Tone.NORMAL
    payload: Any = field(default=None, compare=False)  # the model behind the row


class RowMemo:
    """Rows built on the last pass, reused when built from the same (usually identical) objects.

    The poller hands over the same model object for a row that did not change, so at scale
    (thousands of idle statements or quiet tables) a pass formats only what moved. Rows not
    asked for in a pass are forgotten at the next `start`, so the memo never outgrows the data.
    """

    def __init__(self) -> None:
        self._rows: dict[Hashable, tuple[tuple[object, ...], TableRow | None]] = {}
        self._seen: dict[Hashable, tuple[tuple[object, ...], TableRow | None]] = {}
        self._signature: Hashable = None

    def start(self, signature: Hashable) -> None:
        """Begin a pass; a different signature (options, columns) drops every row kept."""
        self._rows = {} if signature != self._signature else self._seen
        self._seen = {}
        self._signature = signature

    def row(
        self, key: Hashable, inputs: tuple[object, ...], build: Callable[[], TableRow | None]
    ) -> TableRow | None:
        """The row built from exactly these objects last pass, else `build()` (None: no row)."""
        kept = self._rows.get(key)
        # Tuple equality tries identity first, so reused objects compare at C speed.
        if kept is not None and kept[0] == inputs:
            self._seen[key] = kept
            return kept[1]
        made = build()
        self._seen[key] = (inputs, made)
        return made


CELL_PADDING = 2  # a table cell has one column of padding on each side
SCROLLBAR = 1


def fit_columns(columns: Sequence[Column], width: int) -> list[Column]:
    """The columns that fit in `width`, the flexible one stretched to the remaining space."""
    kept = list(columns)

    def needed(cols: list[Column]) -> int:
        fixed = sum(c.width if not c.flexible else c.min_width for c in cols)
        return fixed + CELL_PADDING * len(cols) + SCROLLBAR

    while len(kept) > 1 and needed(kept) > width:
        droppable = [c for c in kept if not (c.flexible and c.priority == 0)]
        victim = max(droppable, key=lambda c: (c.priority, kept.index(c)))
        kept.remove(victim)
    spare = max(width - needed(kept), 0)
    return [replace(c, width=c.min_width + spare) if c.flexible else c for c in kept]


def filter_rows(
    rows: Iterable[TableRow], needle: str, column_keys: Iterable[str]
) -> list[TableRow]:
    """Rows where `needle` occurs (case-insensitive) in any of the visible columns."""
    wanted = needle.strip().casefold()
    if not wanted:
        return list(rows)
    keys = list(column_keys)
    return [
        row
        for row in rows
        if any(wanted in row.cells[k].text.casefold() for k in keys if k in row.cells)
    ]


def sort_rows(rows: Iterable[TableRow], column_key: str, descending: bool) -> list[TableRow]:
    """Stable sort by one column; rows without a value for it always come last."""
    present: list[TableRow] = []
    missing: list[TableRow] = []
    for row in rows:
        cell = row.cells.get(column_key)
        (missing if cell is None or cell.sort is None else present).append(row)
    ordered = sorted(present, key=lambda r: r.cells[column_key].sort, reverse=descending)
    return ordered + missing


@dataclass(frozen=True)
class SortState:
    """Which column a table is sorted by, and in which direction."""

    column: str
    descending: bool = True

    def cycled(self, sortable: Sequence[str]) -> SortState:
        """The next column (`s`), sorted by its natural direction."""
        if self.column not in sortable:
            return SortState(sortable[0], True)
        following = sortable[(sortable.index(self.column) + 1) % len(sortable)]
        return SortState(following, True)

    def reversed(self) -> SortState:
        return SortState(self.column, not self.descending)


def fit_text(text: str, width: int, right: bool = False) -> str:
    """`text` in exactly `width` terminal cells: padded, or cut with an ellipsis."""
    if width <= 0:
        return ""
    if text.isascii():  # the usual case, where characters and cells are the same count
        if len(text) > width:
            return text[: width - 1] + "…"
        return text.rjust(width) if right else text.ljust(width)
    length = cell_len(text)
    if length > width:
        # set_cell_size pads with a space where a wide character would straddle the cut.
        return set_cell_size(text, width - 1) + "…"
    pad = " " * (width - length)
    return pad + text if right else text + pad


def column_spans(columns: Sequence[Column]) -> list[tuple[int, int]]:
    """Where each column sits on a line: (first cell, cells taken, padding included)."""
    spans: list[tuple[int, int]] = []
    x = 0
    for column in columns:
        spans.append((x, column.width + CELL_PADDING))
        x += column.width + CELL_PADDING
    return spans


def heading(label: str, arrow: str, width: int) -> str:
    """A column heading with its sort arrow, which is kept whatever the label loses to fit."""
    if not arrow:
        return label
    for joined in (f"{label} {arrow}", f"{label}{arrow}"):
        if cell_len(joined) <= width:
            return joined
    return fit_text(label, width - cell_len(arrow)) + arrow
