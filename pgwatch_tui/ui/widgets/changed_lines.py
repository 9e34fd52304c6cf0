"""Updating lines cheaply: each refresh should send the terminal only what changed.

`Static.update` re-lays out the whole screen by default, which repaints every line of it; for
a widget whose size cannot change (a summary line), `set_line` avoids that. `LineList` goes
further for lines that change every tick (the header, the Overview figures): it repaints only
the spans that changed."""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static


def set_line(widget: Static, content: str | Text) -> None:
    """Show `content` in a fixed-size widget: no layout pass, nothing at all if unchanged."""
    if widget.content != content:
        widget.update(content, layout=False)


Span = tuple[str, Style]  # text (terminal-safe, one line) and its style
Line = tuple[Span, ...]


def _changed_cells(old: Line, new: Line, width: int) -> tuple[int, int] | None:
    """The cells of a line that differ between two versions: (start, end), None if alike."""
    if old == new:
        return None
    if len(old) != len(new):
        return 0, width
    x = 0
    start = end = -1
    shifted = False
    for (old_text, old_style), (text, style) in zip(old, new, strict=True):
        cells = cell_len(text)
        if (old_text, old_style) != (text, style):
            if start < 0:
                start = x
            end = x + max(cells, cell_len(old_text))
            shifted = shifted or cells != cell_len(old_text)
        x += cells
    # A span that changed width moves everything after it.
    return (start, width) if shifted else (start, end)


class LineList(Widget):
    """Lines of styled spans that repaint only the spans that changed.

    A Static redraws all of itself (and a Rich Table re-measures every row) on any update;
    figures that tick every second should send just the digits that moved."""

    DEFAULT_CSS = """
    LineList { height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._lines: list[Line] = []
        self._strips: dict[int, Strip] = {}

    def show(self, lines: list[Line]) -> None:
        before, self._lines = self._lines, lines
        if len(lines) != len(before):
            self._strips.clear()
            # Only a list sized by its lines needs the screen laid out again (a whole pass).
            height = self.styles.height
            self.refresh(layout=height is None or height.is_auto)
            return
        width = self.size.width
        dirty: list[Region] = []
        for y, (old, new) in enumerate(zip(before, lines, strict=True)):
            changed = _changed_cells(old, new, width)
            if changed is not None:
                self._strips.pop(y, None)
                dirty.append(Region(changed[0], y, changed[1] - changed[0], 1))
        if dirty:
            self.refresh(*dirty)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # built with the old background

    def render_line(self, y: int) -> Strip:
        if y >= len(self._lines):
            return Strip.blank(self.size.width, self.rich_style)
        strip = self._strips.get(y)
        if strip is None:
            base = self.rich_style
            strip = Strip([Segment(text, base + style) for text, style in self._lines[y]])
            self._strips[y] = strip
        return strip
