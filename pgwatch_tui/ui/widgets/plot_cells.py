"""A plotext figure drawn straight from plotext's cell matrix.

textual-plotext asks plotext for its figure as ANSI text and has Rich parse it back: plotext
writes an escape sequence at every change of colour, Rich tokenizes them all again, and Textual
then turns the parsed text into strips. For a chart of 10 lines that round trip was about two
thirds of the chart's cost, paid on every step of the chart and every time the Overview pane
came back into view. Here the cells plotext drew become strips directly, with the colours its
escape sequences would have given (each distinct colour triple is parsed once).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any

from plotext import _utility as plotext_utility
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.terminal_theme import TerminalTheme
from rich.text import Text
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

Run = tuple[str, RichStyle | None]
"""Consecutive cells of one row sharing plotext's colours: their characters, and the Rich
style their escape sequence stands for (None: the widget's own colours)."""


@lru_cache(maxsize=256)
def _rich_style(colours: tuple[Any, Any, Any]) -> RichStyle | None:
    """The style plotext's escape sequence for (foreground, style, background) parses to."""
    codes = plotext_utility.colors_to_ansi(*colours)
    if not codes:
        return None
    parsed = Text.from_ansi(codes + "x")
    return parsed.spans[0].style if parsed.spans else None  # type: ignore[return-value]


def figure_runs(matrix: Any) -> list[list[Run]]:
    """The rows of plotext's matrix, top row first, as runs of equally coloured cells."""
    rows: list[list[Run]] = []
    for row in reversed(range(matrix.rows)):
        fullground, style, background = matrix.fullground, matrix.style, matrix.background
        colours = zip(fullground[row], style[row], background[row], strict=True)
        cells = groupby(zip(matrix.marker[row], colours, strict=True), key=itemgetter(1))
        rows.append([("".join(m for m, _ in run), _rich_style(look)) for look, run in cells])
    return rows


class PlotCells(Visual):
    """Rows of runs as a Textual visual, over the widget's own style like any text."""

    def __init__(self, rows: list[list[Run]], ansi_theme: TerminalTheme | None) -> None:
        self._rows = rows
        self._ansi_theme = ansi_theme
        self._width = max((sum(len(text) for text, _ in runs) for runs in rows), default=0)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        base = style.rich_style
        combined: dict[RichStyle | None, RichStyle] = {None: base}
        strips = []
        for runs in self._rows if height is None else self._rows[:height]:
            texts: list[str] = []
            styles: list[RichStyle] = []
            for text, run_style in runs:
                over = combined.get(run_style)
                if over is None:
                    assert run_style is not None
                    # As Textual combines a parsed span with the style beneath it.
                    over = (style + Style.from_rich_style(run_style, self._ansi_theme)).rich_style
                    combined[run_style] = over
                if styles and styles[-1] == over:
                    texts[-1] += text  # colours plotext tells apart that look the same
                else:
                    texts.append(text)
                    styles.append(over)
            segments = [Segment(text, s) for text, s in zip(texts, styles, strict=True)]
            strips.append(Strip(segments, sum(len(text) for text in texts)))
        return strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self._rows)
