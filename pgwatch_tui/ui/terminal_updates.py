"""Screen updates written with fewer bytes: what an SSH link to a bastion carries.

`install()` changes how Textual turns an update into terminal output:

- Every update, partial (`ChopsUpdate`) or full (`LayoutUpdate`), is compared cell by cell
  with what pgwatch last wrote (`screen_cells`), and only the runs of cells that differ are
  written. Textual writes each changed widget's strip from its left edge, and a full update
  (a pane switch) writes every cell of the screen, blank ones included.
- Between neighbouring cells only what changes in their look is written (`renditions`):
  Textual writes each segment as its own "style, text, reset", so a table row of ten cells
  in one style carried ten sets of escape codes, and two colours on one background repeated
  the background. Every update ends with the terminal back at its default rendition.
"""

from __future__ import annotations

from rich.console import Console
from textual import _compositor
from textual.strip import Strip

from pgwatch_tui.ui.screen_cells import screen_cells


def render_segments(self: _compositor.ChopsUpdate, console: Console) -> str:
    """What pgwatch writes for a partial update: the changed cells of each changed span."""
    cells = screen_cells(console)
    sequences: list[str] = []
    append = sequences.append
    for y, x1, x2 in self.spans:
        for end, (x, strip) in zip(self.chop_ends[y], self.chops[y].items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            append(cells.write(strip, x, y, x1, x2, console))
    append(cells.finish())
    return "".join(sequences)


def render_layout_segments(self: _compositor.LayoutUpdate, console: Console) -> str:
    """What pgwatch writes for a full update: the cells that differ from the screen's."""
    cells = screen_cells(console)
    region = self.region
    cells.fit(region.right, region.bottom)
    sequences = [
        cells.write(Strip.join(line), region.x, y, region.x, region.right, console)
        for y, line in enumerate(self.strips, region.y)
    ]
    sequences.append(cells.finish())
    return "".join(sequences)


def forget_screen(console: Console) -> None:
    """The terminal may no longer show what pgwatch wrote: the next update writes it all."""
    screen_cells(console).forget()


def install() -> None:
    """Write every update this process draws the thrifty way."""
    _compositor.ChopsUpdate.render_segments = render_segments  # type: ignore[method-assign]
    _compositor.LayoutUpdate.render_segments = render_layout_segments  # type: ignore[method-assign]
