"""Overview (1): key figures with history charts, and the top wait events."""

from __future__ import annotations

from datetime import datetime

from rich.style import Style
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll

from pgwatch_tui.core.collect.history import METRICS
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.ui.context import DashboardContext
from pgwatch_tui.ui.panes.base import Pane
from pgwatch_tui.ui.widgets.changed_lines import Line, LineList
from pgwatch_tui.ui.widgets.history_chart import (
    CHART_STEPS,
    HistoryChart,
    Series,
    chart_clock,
    to_series,
)
from pgwatch_tui.ui.widgets.tone_styles import tone_style
from pgwatch_tui.views.overview import Figure, overview_figures, top_wait_events

LABELS = {m.name: m.label for m in METRICS}

# (chart id, title, metrics, reference line)
CHARTS: tuple[tuple[str, str, tuple[str, ...], float | None], ...] = (
    ("tps", "Transactions/s", ("commits", "rollbacks"), None),
    ("sessions", "Sessions", ("active", "idle_in_transaction", "waiting"), None),
    ("cache", "Cache hit % (95 % line)", ("cache_hit",), 95.0),
    ("tuples", "Tuples/s", ("tuples_out", "tuples_in"), None),
    ("temp", "Temp bytes/s", ("temp_bytes",), None),
    ("deadlocks", "Deadlocks per refresh", ("deadlocks",), None),
    ("oldest", "Oldest transaction (s)", ("oldest_xact",), None),
    ("wraparound", "Wraparound (xid age)", ("wraparound",), None),
)

DIM, BOLD, PLAIN = Style(dim=True), Style(bold=True), Style()


def _figure_lines(
    figures: list[Figure], waits: list[tuple[str, int]], variables: dict[str, str]
) -> list[Line]:
    """The figures column: label and value per figure, then the top wait events.

    Each part is aligned on its own widest label, so a wait event coming or going never
    shifts the figures (which would resend every line of them)."""
    width = max((len(f.label) for f in figures), default=0)
    lines: list[Line] = [
        ((f"{figure.label:<{width}} ", DIM), (figure.value, tone_style(figure.tone, variables)))
        for figure in figures
    ]
    lines.append(())
    lines.append((("top wait events", BOLD),))
    width = max((len(event) for event, _ in waits), default=0)
    lines.extend(((f"{event:<{width}} ", PLAIN), (str(count), PLAIN)) for event, count in waits)
    if not waits:
        lines.append((("nothing is waiting", DIM),))
    return lines


class OverviewPane(Pane):
    DEFAULT_CSS = """
    OverviewPane { layout: horizontal; }
    OverviewPane > #figures { width: 36; height: 1fr; padding: 0 1; }
    OverviewPane > #charts { width: 1fr; }
    OverviewPane #chart-grid { grid-size: 1; grid-rows: 10; grid-gutter: 1 1; height: auto; }
    OverviewPane #chart-grid.wide { grid-size: 2; }
    """
    wanted_probes = frozenset({"databases", "sessions", "vacuum_progress"})

    def __init__(self, context: DashboardContext, *, id: str | None = None) -> None:
        super().__init__(context, id=id)
        self._figures_shown: tuple[tuple[object, ...], tuple[object, ...], object] = ((), (), None)
        self._charts_drawn_at: tuple[datetime, int] | None = None

    def compose(self) -> ComposeResult:
        yield LineList(id="figures")
        with VerticalScroll(id="charts"), Grid(id="chart-grid"):
            for chart_id, title, _, reference in CHARTS:
                yield HistoryChart(title, reference=reference, id=f"chart-{chart_id}")

    def focus_content(self) -> None:
        self.query_one("#charts", VerticalScroll).focus()

    def on_resize(self) -> None:
        self.query_one("#chart-grid", Grid).set_class(self.size.width >= 150, "wide")

    def show_snapshot(self, snapshot: Snapshot) -> None:
        settings = self.context.settings
        variables = self.app.theme_variables
        figures = overview_figures(
            snapshot,
            long_query_s=settings.long_query_s,
            idle_in_transaction_s=settings.idle_in_transaction_s,
        )
        waits = top_wait_events(snapshot)
        shown = (tuple(figures), tuple(waits), self.app.theme)
        if shown != self._figures_shown:
            self._figures_shown = shown
            self.query_one("#figures", LineList).show(_figure_lines(figures, waits, variables))
        history = self.context.history
        window = settings.history_minutes
        clock = chart_clock(snapshot.taken_at, window)
        if (clock, window) == self._charts_drawn_at:
            return  # the charts stand still until their next step: no series to rebuild
        self._charts_drawn_at = (clock, window)
        step_min = window / CHART_STEPS
        for chart_id, _, metrics, _ in CHARTS:
            series: tuple[Series, ...] = tuple(
                to_series(LABELS[m], history.points(m), clock, step_min) for m in metrics
            )
            self.query_one(f"#chart-{chart_id}", HistoryChart).show(series, float(window))
