"""plotext internals pgwatch relies on, checked against the installed release.

plotext's public way out of a figure is ANSI text (`build()`), which Rich then parses back
into styled cells. pgwatch reads the cells plotext drew straight from the figure's matrix
(`_set_sizes`, `_build_matrix`, `monitor.matrix`, `_utility.colors_to_ansi`): the parse was
most of what a chart cost. When a check fails, or with PGWATCH_ADAPTERS=off, `figure_runs`
answers None and the chart is drawn from `build()`'s text, cell for cell the same.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib.metadata import version
from itertools import groupby
from operator import itemgetter
from typing import Any

from rich.style import Style
from rich.text import Text

from pgwatch_tui.ui.adapters import AdapterStatus

TESTED_MAJORS = (5,)
GIVES = "charts drawn from plotext's cells, not parsed back from its ANSI text"

Run = tuple[str, Style | None]
"""Consecutive cells of one row sharing plotext's colours: their characters, and the Rich
style their escape sequence stands for (None: the widget's own colours)."""


def _problem() -> str | None:
    major = int(version("plotext").split(".")[0])
    if major not in TESTED_MAJORS:
        return f"untested major release {major}"
    try:
        from plotext import _utility
        from textual_plotext import Plot

        figure = Plot()
        figure.plot([0, 1], [0, 1])
        figure.plotsize(20, 5)
        matrix = _build(figure, 20, 5)
        present = (
            callable(getattr(_utility, "colors_to_ansi", None)),
            all(hasattr(matrix, n) for n in ("rows", "marker", "fullground", "style")),
            hasattr(matrix, "background"),
        )
    except (ImportError, TypeError, AttributeError, IndexError, ValueError) as exc:
        return f"internals changed: {exc}"
    if not all(present):
        return "internals changed"
    return None


@cache
def status() -> AdapterStatus:
    return AdapterStatus("plotext", version("plotext"), GIVES, _problem())


def _build(figure: Any, width: int, height: int) -> Any:
    """What `build()` does short of writing the canvas out as ANSI text."""
    figure._set_size(width, height)  # as textual-plotext does: plotsize alone may not stick
    figure._set_sizes()
    figure._build_matrix()
    return figure.monitor.matrix


def figure_runs(figure: Any, width: int, height: int) -> list[list[Run]] | None:
    """The figure's rows, top first, as runs of equally coloured cells; None without the
    adapter (draw `figure.build()` instead)."""
    if not status().active:
        return None
    matrix = _build(figure, width, height)
    rows: list[list[Run]] = []
    for row in reversed(range(matrix.rows)):
        fullground, style, background = matrix.fullground, matrix.style, matrix.background
        colours = zip(fullground[row], style[row], background[row], strict=True)
        cells = groupby(zip(matrix.marker[row], colours, strict=True), key=itemgetter(1))
        rows.append([("".join(m for m, _ in run), _rich_style(look)) for look, run in cells])
    return rows


@lru_cache(maxsize=256)
def _rich_style(colours: tuple[Any, Any, Any]) -> Style | None:
    """The style plotext's escape sequence for (foreground, style, background) parses to."""
    from plotext import _utility

    codes = _utility.colors_to_ansi(*colours)
    if not codes:
        return None
    parsed = Text.from_ansi(codes + "x")
    return parsed.spans[0].style if parsed.spans else None  # type: ignore[return-value]
