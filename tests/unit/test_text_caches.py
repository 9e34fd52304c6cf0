"""The text-measurement caches pgwatch empties with each minutely collection."""

from __future__ import annotations

from rich.cells import cached_cell_len
from rich.segment import Segment
from rich.style import Style

from pgwatch_tui.ui.text_caches import clear_text_caches


def test_clearing_empties_the_caches_that_grow_with_each_new_string() -> None:
    for n in range(50):
        cached_cell_len(f"age {n}s")
        Segment._split_cells(Segment(f"rate {n}/s", Style(bold=True)), 3)
        Style(color="red")._add(Style(bgcolor=f"color({n})"))
    assert cached_cell_len.cache_info().currsize >= 50
    clear_text_caches()
    assert cached_cell_len.cache_info().currsize == 0
    assert Segment._split_cells.cache_info().currsize == 0
    assert Style._add.cache_info().currsize == 0
