"""Screen updates written with fewer bytes: what an SSH link to a bastion carries.

Two changes to how Textual turns an update into terminal output, installed by `install()`:

- A partial update (`ChopsUpdate`) writes, per line, each widget's strip from the widget's
  left edge to the end of the changed region: Textual leaves the left crop as a to-do. A table
  whose last column changed would resend the whole row. Here the write starts at the first
  segment reaching into the region: on a segment boundary, so a wide character is never split.
- Every segment is written as its own "style, text, reset", so a table row of ten cells in
  one style carried ten sets of escape codes. Neighbouring segments of the same style are
  joined before writing (in full updates too), which changes no cell on the screen.
"""

from __future__ import annotations

from rich.console import Console
from rich.control import Control
from textual import _compositor
from textual.strip import Strip


def _from_segment_at(strip: Strip, x: int, start: int) -> tuple[int, Strip]:
    """The strip (placed at `x`) without the segments that end at or before `start`."""
    skipped = 0
    for segment in strip:
        width = segment.cell_length
        if x + skipped + width > start:
            break
        skipped += width
    if not skipped:
        return x, strip
    return x + skipped, strip.crop(skipped)


def render_segments(self: _compositor.ChopsUpdate, console: Console) -> str:
    """What Textual writes for a partial update, cropped on both sides of each span."""
    sequences: list[str] = []
    append = sequences.append
    move_to = Control.move_to
    last_y = self.spans[-1][0]
    for y, x1, x2 in self.spans:
        for end, (x, strip) in zip(self.chop_ends[y], self.chops[y].items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            if x < x1:
                x, strip = _from_segment_at(strip, x, x1)
            if end > x2:
                strip = strip.crop(0, x2 - x)
            append(move_to(x, y).segment.text)
            append(strip.simplify().render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


def render_layout_segments(self: _compositor.LayoutUpdate, console: Console) -> str:
    """What Textual writes for a full update, same-style neighbours joined."""
    move_to = Control.move_to
    x = self.region.x
    lines = [
        move_to(x, y).segment.text + Strip.join(line).simplify().render(console)
        for y, line in enumerate(self.strips, self.region.y)
    ]
    return "\n".join(lines)


def install() -> None:
    """Write every update this process draws the thrifty way."""
    _compositor.ChopsUpdate.render_segments = render_segments  # type: ignore[method-assign]
    _compositor.LayoutUpdate.render_segments = render_layout_segments  # type: ignore[method-assign]
