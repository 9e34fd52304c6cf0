"""A plotext line chart of a few history series, drawn from an immutable copy in render().

The chart is textual-plotext's figure drawn by hand (see `_figure_cells`), made on the first
draw: no chart has a line to draw in the first frame, so start-up neither imports plotext
nor builds eight figures.
"""

from __future__ import annotations

import math
from datetime import datetime
from itertools import groupby
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import RenderResult
from textual.color import Color
from textual.widget import Widget

from pgwatch_tui.core.collect.history import Point

if TYPE_CHECKING:
    from textual_plotext import Plot

    from pgwatch_tui.ui.widgets.plot_cells import PlotCells

Series = tuple[str, tuple[tuple[float, float], ...]]  # label, (minutes ago <= 0, value)

# A chart advances in steps of its window / CHART_STEPS (7.5 s for 15 minutes) rather than on
# every refresh: redrawing ten lines of braille each second would be most of what pgwatch
# sends over an SSH link, for a change nobody can see. The figures beside it are live.
CHART_STEPS = 120


def chart_clock(now: datetime, window_min: float) -> datetime:
    """`now`, rounded down to the chart's step: the instant the right edge shows."""
    step_s = window_min * 60 / CHART_STEPS
    seconds = now.timestamp()
    return datetime.fromtimestamp(seconds - seconds % step_s, tz=now.tzinfo)


def to_series(
    label: str, points: list[Point], now: datetime, step_min: float | None = None
) -> Series:
    """Drop missing values and points after `now` (they wait for the next step); x is
    minutes before `now` (negative), so the right edge is now. With `step_min`, only each
    step's lowest and highest points are kept (see `_extremes_per_step`)."""
    shown = [
        ((when - now).total_seconds() / 60, value)
        for when, value in points
        if value is not None and when <= now
    ]
    return label, tuple(shown if step_min is None else _extremes_per_step(shown, step_min))


def _extremes_per_step(points: list[tuple[float, float]], step: float) -> list[tuple[float, float]]:
    """Per step of the x axis, its lowest and highest point in time order. A chart cannot
    draw finer than its step, and the line through these two shows every spike; at a 1 s
    refresh this holds 2 points of 7.5 for a 15-minute chart, in memory and for plotext."""
    kept: list[tuple[float, float]] = []
    for _, in_step in groupby(points, key=lambda p: math.floor(p[0] / step)):
        within = list(in_step)
        low = min(within, key=lambda p: p[1])
        high = max(within, key=lambda p: p[1])
        kept.extend(sorted({low, high}))
    return kept


class HistoryChart(Widget):
    """One Overview chart. `show()` hands it new data; nothing is drawn until render()."""

    DEFAULT_CSS = """
    HistoryChart { width: 1fr; height: 10; min-width: 30; }
    """

    def __init__(
        self, title: str, *, reference: float | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.title = title
        self.reference = reference
        self._series: tuple[Series, ...] = ()
        self._window_min = 15.0
        self._plot: Plot | None = None

    @property
    def plt(self) -> Plot:
        """textual-plotext's figure for this chart, made when first asked for."""
        if self._plot is None:
            from textual_plotext import Plot

            self._plot = Plot()
        return self._plot

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh())

    def show(self, series: tuple[Series, ...], window_min: float) -> None:
        if series != self._series or window_min != self._window_min:
            self._series = series
            self._window_min = window_min
            self.refresh()

    def render(self) -> RenderResult:
        if not any(len(points) >= 2 for _, points in self._series):
            # Nothing to draw a line through yet. Plotext takes tens of milliseconds a chart
            # (its first use far more): the first frame with data would wait for it.
            return Text(f"{self.title}\n\ncollecting…", justify="center", style="dim")
        plt = self.plt
        plt.clear_figure()
        plt.title(self.title)
        plt.xlim(-self._window_min, 0)
        for label, points in self._series:
            if points:
                plt.plot(
                    [x for x, _ in points], [y for _, y in points], label=label, marker="braille"
                )
        if self.reference is not None:
            plt.hline(self.reference, "red")
        plt.xlabel("minutes ago")
        return self._figure_cells()

    def _figure_cells(self) -> PlotCells | Text:
        """What PlotextPlot.render draws, from plotext's cells where the adapter can read
        them, else from the ANSI text plotext writes."""
        plot = self.plt
        width, height = self.size
        plot.plotsize(width, height)
        self._colour(plot)
        from pgwatch_tui.ui.adapters.plotext_internals import figure_runs

        runs = figure_runs(plot, width, height)
        if runs is None:
            return Text.from_ansi(plot.build())
        from pgwatch_tui.ui.widgets.plot_cells import PlotCells

        return PlotCells(runs, self.app.ansi_theme)

    def _colour(self, plot: Plot) -> None:
        """The colours textual-plotext's theme for the app's theme gives: the canvas and the
        axes on the surface colour, the ticks in the foreground colour."""
        variables = self.app.theme_variables
        surface = Color.parse(variables["surface"]).rgb
        plot.canvas_color(surface)
        plot.axes_color(surface)
        plot.ticks_color(Color.parse(variables["foreground"]).rgb)
