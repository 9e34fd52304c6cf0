"""Rich's and Textual's caches of text measurements, emptied with each minutely collection.

They are bounded by entry count, not by time (16,384 split segments, 4,096 measured strings,
1,024 combined styles), and a dashboard makes new entries on every tick: each new age, rate or
timestamp is a new string. At a 1 s refresh they take over 20 minutes to fill, so resident
memory crept up by about 0.3 MB a minute long after start-up. Emptied once a minute, they hold
one minute's entries; measuring again what the next frame draws costs well under a millisecond.
"""

from __future__ import annotations

from rich.cells import cached_cell_len
from rich.segment import Segment
from rich.style import Style
from textual.filter import ANSIToTruecolor


def clear_text_caches() -> None:
    """Empty the caches that grow with every distinct string drawn."""
    cached_cell_len.cache_clear()
    Segment._split_cells.cache_clear()
    Style._add.cache_clear()
    ANSIToTruecolor.truecolor_style.cache_clear()
