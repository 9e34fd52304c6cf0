"""What pgwatch last wrote to each cell of the terminal, so an update writes only the cells
that differ (as curses does).

A pane switch repaints the whole body, yet most of it is blank before and after, and the
header and footer do not change; a table row whose age column ticks was written whole. Over
SSH that is most of what the link carries. Each cell is kept as (text, style); an update is
compared with the kept cells and only runs that differ are written.

The model is only as good as the terminal's agreement with it: it is forgotten when the
terminal's size changes, when the app resumes from a suspend, and on Ctrl+L.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import repeat
from weakref import WeakKeyDictionary

from rich.cells import get_character_cell_size
from rich.console import Console
from rich.control import Control
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

Cell = tuple[str, Style | None]
"""A character and its style; the right half of a wide character has the text ""."""

UNKNOWN: Cell = ("\x00", None)
"""A cell whose content is not known: it differs from any cell pgwatch draws."""

# Unchanged cells between two changed runs are rewritten rather than skipped when the gap is
# shorter than this: a cursor move and a fresh style cost about as many bytes.
_JOIN_GAP = 8


def cells_of(strip: Strip) -> list[Cell] | None:
    """The strip cell by cell, or None when its cells cannot be told apart (control codes)."""
    cells: list[Cell] = []
    extend, append = cells.extend, cells.append
    for text, style, control in strip:
        if control:
            return None
        if text.isascii():
            extend(zip(text, repeat(style)))
            continue
        for char in text:
            width = get_character_cell_size(char)
            if width == 0:
                if not cells:
                    return None
                previous, previous_style = cells[-1]
                cells[-1] = (previous + char, previous_style)
                continue
            append((char, style))
            if width == 2:
                append(("", style))
    return cells if len(cells) == strip.cell_length else None


def _changed_runs(old: list[Cell], new: list[Cell], lo: int, hi: int) -> list[tuple[int, int]]:
    """[start, end) runs in lo..hi where the cells differ, close runs joined."""
    runs: list[tuple[int, int]] = []
    index = lo
    while index < hi:
        if old[index] == new[index]:
            index += 1
            continue
        start = index
        while index < hi and old[index] != new[index]:
            index += 1
        if runs and start - runs[-1][1] < _JOIN_GAP:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((start, index))
    return runs


def _whole_characters(new: list[Cell], start: int, end: int) -> tuple[int, int]:
    """Widen a run so it neither starts nor ends inside a wide character."""
    while start > 0 and new[start][0] == "":
        start -= 1
    while end < len(new) and new[end][0] == "":
        end += 1
    return start, end


def _styled_runs(cells: Iterable[Cell]) -> Strip:
    segments: list[Segment] = []
    text: list[str] = []
    current: Style | None = None
    for char, style in cells:
        if style is not current and style != current and text:
            segments.append(Segment("".join(text), current))
            text = []
        current = style
        text.append(char)
    if text:
        segments.append(Segment("".join(text), current))
    return Strip(segments)


class ScreenCells:
    """The terminal as pgwatch last wrote it, line by line."""

    def __init__(self) -> None:
        self.size: tuple[int, int] | None = None
        self._lines: dict[int, list[Cell]] = {}

    def forget(self) -> None:
        """Treat every cell as unknown: the next update writes all it covers."""
        self._lines.clear()

    def fit(self, width: int, height: int) -> None:
        """Forget everything when the terminal's size changed since the last full update."""
        if self.size != (width, height):
            self.forget()
            self.size = (width, height)

    def _line(self, y: int, width: int) -> list[Cell]:
        line = self._lines.setdefault(y, [])
        if len(line) < width:
            line.extend(repeat(UNKNOWN, width - len(line)))
        return line

    def write(self, strip: Strip, x: int, y: int, lo: int, hi: int, console: Console) -> str:
        """Terminal output that brings columns lo..hi of line y to `strip` (placed at x)."""
        end = x + strip.cell_length
        lo, hi = max(lo, x), min(hi, end)
        if lo >= hi:
            return ""
        new = cells_of(strip)
        line = self._line(y, end)
        if new is None:
            # Not comparable cell by cell: write the whole strip and know nothing of it after.
            line[x:end] = repeat(UNKNOWN, end - x)
            return Control.move_to(x, y).segment.text + strip.render(console)
        old = line[x:end]
        if old[lo - x : hi - x] == new[lo - x : hi - x]:
            return ""
        output: list[str] = []
        for start, stop in _changed_runs(old, new, lo - x, hi - x):
            start, stop = _whole_characters(new, start, stop)
            output.append(Control.move_to(x + start, y).segment.text)
            output.append(_styled_runs(new[start:stop]).render(console))
            line[x + start : x + stop] = new[start:stop]
        return "".join(output)


_screens: WeakKeyDictionary[Console, ScreenCells] = WeakKeyDictionary()


def screen_cells(console: Console) -> ScreenCells:
    """The model of the terminal this console writes to."""
    cells = _screens.get(console)
    if cells is None:
        cells = _screens[console] = ScreenCells()
    return cells
