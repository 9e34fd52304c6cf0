"""Charts drawn from plotext's cell matrix look exactly as plotext's own ANSI output would."""

from __future__ import annotations

from typing import Any

import pytest
from rich.text import Text
from textual.strip import Strip
from textual.visual import Visual, visualize

from pgwatch_tui.ui.widgets.history_chart import HistoryChart
from pgwatch_tui.ui.widgets.plot_cells import PlotCells
from tests.ui.conftest import make_app, settle

Cell = tuple[str, Any]


def _cells(strips: list[Strip]) -> list[list[Cell]]:
    """Character and appearance of every cell (not how the cells are split into segments)."""
    rows = []
    for strip in strips:
        row: list[Cell] = []
        for segment in strip:
            style = segment.style
            look = None
            if style is not None:
                look = (style.color, style.bgcolor, style.bold, style.dim, style.italic)
                look += (style.underline, style.reverse, style.strike)
            row.extend((char, look) for char in segment.text)
        rows.append(row)
    return rows


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("size", [(80, 24), (160, 50), (200, 50)])
async def test_every_chart_matches_plotexts_own_rendering(
    size: tuple[int, int], theme: str
) -> None:
    app = make_app(theme=theme)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        compared = 0
        for chart in app.screen.query(HistoryChart):
            width, height = chart.size
            drawn = chart.render()
            if not width or not isinstance(drawn, PlotCells):
                continue
            ours = Visual.to_strips(chart, drawn, width, height, chart.visual_style)
            ansi = visualize(chart, Text.from_ansi(chart.plt.build()))
            theirs = Visual.to_strips(chart, ansi, width, height, chart.visual_style)
            assert _cells(ours) == _cells(theirs), chart.id
            assert any(char not in " " for row in _cells(ours) for char, _ in row)
            compared += 1
        # All eight charts, with several series, a reference line and a legend, were drawn.
        assert compared == 8
