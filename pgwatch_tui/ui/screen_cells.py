"""What pgwatch last wrote to each cell of the terminal, so an update writes only the cells
that differ (as curses does).

A pane switch repaints the whole body, yet most of it is blank before and after, and the
header and footer do not change; a table row whose age column ticks was written whole. Over
SSH that is most of what the link carries. Each cell is kept as (text, rendition): how it
looks, not the Rich style that drew it (`renditions`). An update is compared with the kept
cells and only runs that differ are written, changing only the parts of the rendition that
change from one cell to the next.

The model is only as good as the terminal's agreement with it: it is forgotten when the
terminal's size changes, when the app resumes from a suspend, and on Ctrl+L.
"""

from __future__ import annotations

from itertools import repeat
from weakref import WeakKeyDictionary

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.console import COLOR_SYSTEMS, Console
from rich.control import Control
from textual.strip import Strip

from pgwatch_tui.ui.renditions import PLAIN, Pen, Rendition, blank_of, rendition_of
from pgwatch_tui.ui.terminfo import erases_to_background

Cell = tuple[str, Rendition]
"""A character and its look; the right half of a wide character has the text ""."""

UNKNOWN: Cell = ("\x00", PLAIN)
"""A cell whose content is not known: it differs from any cell pgwatch draws."""

# Unchanged cells between two changed runs are rewritten rather than skipped when the gap is
# shorter than this: a cursor move and a fresh style cost about as many bytes.
_JOIN_GAP = 8


def cells_of(strip: Strip, color_system: ColorSystem) -> list[Cell] | None:
    """The strip cell by cell, or None when its cells cannot be told apart (control codes,
    or a hyperlink, which is written around its text)."""
    cells: list[Cell] = []
    extend, append = cells.extend, cells.append
    for text, style, control in strip:
        if control or (style is not None and style.link):
            return None
        look = rendition_of(style, color_system)
        blank = blank_of(look)
        if text.isascii():
            if blank is look or " " not in text:
                extend(zip(text, repeat(look)))
            else:
                extend([(char, blank if char == " " else look) for char in text])
            continue
        for char in text:
            width = get_character_cell_size(char)
            if width == 0:
                if not cells:
                    return None
                previous, previous_look = cells[-1]
                cells[-1] = (previous + char, previous_look)
                continue
            append((char, blank if char == " " else look))
            if width == 2:
                append(("", look))
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


class ScreenCells:
    """The terminal as pgwatch last wrote it, line by line."""

    def __init__(self, erases: bool = False) -> None:
        self.size: tuple[int, int] | None = None
        self._lines: dict[int, list[Cell]] = {}
        self.pen = Pen(erases)

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
        new = cells_of(strip, COLOR_SYSTEMS.get(console.color_system or "", ColorSystem.TRUECOLOR))
        line = self._line(y, end)
        if new is None:
            # Not comparable cell by cell: write the whole strip, the way Textual does (each
            # segment from the default rendition), and know nothing of it after.
            line[x:end] = repeat(UNKNOWN, end - x)
            return self.pen.finish() + Control.move_to(x, y).segment.text + strip.render(console)
        old = line[x:end]
        if old[lo - x : hi - x] == new[lo - x : hi - x]:
            return ""
        output: list[str] = []
        for start, stop in _changed_runs(old, new, lo - x, hi - x):
            start, stop = _whole_characters(new, start, stop)
            output.append(Control.move_to(x + start, y).segment.text)
            output.append(self.pen.draw(new[start:stop]))
            line[x + start : x + stop] = new[start:stop]
        return "".join(output)

    def finish(self) -> str:
        """The end of an update: the terminal's rendition back to its default."""
        return self.pen.finish()


_screens: WeakKeyDictionary[Console, ScreenCells] = WeakKeyDictionary()


def screen_cells(console: Console) -> ScreenCells:
    """The model of the terminal this console writes to."""
    cells = _screens.get(console)
    if cells is None:
        cells = _screens[console] = ScreenCells(erases=erases_to_background())
    return cells
