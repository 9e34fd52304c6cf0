"""Statement detail: the full normalized text, every counter per interval and in total, and
charts of calls/s and mean time for as long as the screen is open."""

from __future__ import annotations

from collections import deque
from datetime import datetime
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from pgwatch_tui.core.model.rows import StatementKey, StatementStats
from pgwatch_tui.core.model.snapshot import Snapshot, StatementDelta
from pgwatch_tui.ui.screens.base import DetailScreenBase, sql_block
from pgwatch_tui.ui.widgets.history_chart import HistoryChart, to_series
from pgwatch_tui.ui.widgets.key_footer import KeyFooter
from pgwatch_tui.ui.widgets.status_bar import StatusBar
from pgwatch_tui.views.statement_detail import COUNTER_HEADINGS, counter_rows, statement_who

CHART_POINTS = 600


def counter_table(statement: StatementStats, delta: StatementDelta | None) -> Table:
    table = Table(box=None, padding=(0, 2), show_edge=False)
    first, *numbers = COUNTER_HEADINGS
    table.add_column(first, style="dim", no_wrap=True)
    for heading in numbers:
        table.add_column(heading, justify="right", no_wrap=True)
    for row in counter_rows(statement, delta):
        table.add_row(*row)
    return table


class StatementScreen(DetailScreenBase):
    """One pg_stat_statements entry, followed live."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("y", "copy", "Copy query")]
    DEFAULT_CSS = """
    StatementScreen .title { text-style: bold; padding: 1 1 0 1; }
    StatementScreen .body { padding: 0 1; }
    StatementScreen #statement-charts { height: 12; }
    """

    def __init__(self, key: StatementKey) -> None:
        super().__init__()
        self.key = key
        self.statement: StatementStats | None = None
        self._calls: deque[tuple[datetime, float | None]] = deque(maxlen=CHART_POINTS)
        self._mean: deque[tuple[datetime, float | None]] = deque(maxlen=CHART_POINTS)
        self._opened: datetime | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with VerticalScroll():
            yield Static(Text(f"Statement {self.key[2]}"), classes="title", id="title")
            yield Static("", classes="body", id="who")
            yield Static("", classes="body", id="query")
            yield Static(Text("Counters", style="bold"), classes="title")
            yield Static("", classes="body", id="counters")
            with Horizontal(id="statement-charts"):
                yield HistoryChart("calls/s", id="calls-chart")
                yield HistoryChart("mean ms", id="mean-chart")
        yield KeyFooter()

    def wanted_probes(self) -> frozenset[str]:
        return frozenset({"statements"})

    def show_snapshot(self, snapshot: Snapshot) -> None:
        current = next((s for s in snapshot.statements if s.key == self.key), None)
        if current is not None:
            self.statement = current
        s = self.statement
        if s is None:
            self.query_one("#who", Static).update(Text("This statement is no longer tracked."))
            return
        delta = snapshot.delta_by_key.get(self.key)
        if self._opened is None:
            self._opened = snapshot.taken_at
        if not self._calls or self._calls[-1][0] != snapshot.taken_at:
            self._calls.append((snapshot.taken_at, delta.calls_per_s if delta else None))
            self._mean.append((snapshot.taken_at, delta.mean_exec_ms if delta else None))
        self.query_one("#who", Static).update(Text(statement_who(s, current is not None)))
        self.query_one("#counters", Static).update(counter_table(s, delta))
        span = max((snapshot.taken_at - self._opened).total_seconds() / 60, 1.0)
        self.query_one("#calls-chart", HistoryChart).show(
            (to_series("calls/s", list(self._calls), snapshot.taken_at),), span
        )
        self.query_one("#mean-chart", HistoryChart).show(
            (to_series("mean ms", list(self._mean), snapshot.taken_at),), span
        )
        text = s.query if s.query is not None else "<text not fetched yet>"
        self.query_one("#query", Static).update(sql_block(text, self.app.current_theme.dark))

    def action_copy(self) -> None:
        if self.statement is None or self.statement.query is None:
            self.notify("No text to copy yet.", severity="warning")
            return
        self.app.copy_to_clipboard(self.statement.query)
        self.notify(f"Copied {len(self.statement.query)} characters (OSC 52).", timeout=2)
