"""A plotext figure drawn straight from plotext's cell matrix (read by the plotext adapter).

textual-plotext asks plotext for its figure as ANSI text and has Rich parse it back: plotext
writes an escape sequence at every change of colour, Rich tokenizes them all again, and Textual
then turns the parsed text into strips. For a chart of 10 lines that round trip was about two
thirds of the chart's cost, paid on every step of the chart and every time the Overview pane
came back into view. Here the cells plotext drew become strips directly, with the colours its
escape sequences would have given (each distinct colour triple is parsed once).
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.terminal_theme import TerminalTheme
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from pgwatch_tui.ui.adapters.plotext_internals import Run


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
