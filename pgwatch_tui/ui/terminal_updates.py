"""Screen updates written with fewer bytes: what an SSH link to a bastion carries.

`install()` has pgwatch, not Textual, turn each update into terminal output (through the
Textual adapter, which leaves Textual's own writer in place when it cannot):

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

from collections.abc import Callable, Iterable, Iterator, Sequence

from rich.console import Console
from textual.geometry import Region
from textual.strip import Strip

from pgwatch_tui.ui.adapters import textual_internals
from pgwatch_tui.ui.screen_cells import screen_cells


def write_chops(console: Console, changed: Iterator[tuple[int, int, Strip, int, int]]) -> str:
    """What pgwatch writes for a partial update: the changed cells of each changed span."""
    cells = screen_cells(console)
    sequences = [cells.write(strip, x, y, x1, x2, console) for y, x, strip, x1, x2 in changed]
    sequences.append(cells.finish())
    return "".join(sequences)


def write_layout(console: Console, region: Region, strips: Sequence[Iterable[Strip]]) -> str:
    """What pgwatch writes for a full update: the cells that differ from the screen's."""
    cells = screen_cells(console)
    cells.fit(region.right, region.bottom)
    sequences = [
        cells.write(Strip.join(line), region.x, y, region.x, region.right, console)
        for y, line in enumerate(strips, region.y)
    ]
    sequences.append(cells.finish())
    return "".join(sequences)


def forget_screen(console: Console) -> None:
    """The terminal may no longer show what pgwatch wrote: the next update writes it all."""
    screen_cells(console).forget()


def install() -> Callable[[], None]:
    """Write every update the thrifty way until the returned function is called."""
    return textual_internals.install_update_writer(write_chops, write_layout)
