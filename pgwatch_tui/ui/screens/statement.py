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

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.collect.rates import hit_ratio
from pgwatch_tui.core.model.rows import StatementKey, StatementStats
from pgwatch_tui.core.model.snapshot import Snapshot, StatementDelta
from pgwatch_tui.core.safe_text import printable
from pgwatch_tui.ui.screens.base import DetailScreenBase, sql_block
from pgwatch_tui.ui.widgets.history_chart import HistoryChart, to_series
from pgwatch_tui.ui.widgets.key_footer import KeyFooter
from pgwatch_tui.ui.widgets.status_bar import StatusBar

CHART_POINTS = 600


def counter_table(s: StatementStats, d: StatementDelta | None) -> Table:
    table = Table(box=None, padding=(0, 2), show_edge=False)
    table.add_column("counter", style="dim", no_wrap=True)
    table.add_column("this interval", justify="right", no_wrap=True)
    table.add_column("per second", justify="right", no_wrap=True)
    table.add_column("since reset", justify="right", no_wrap=True)

    def row(name: str, interval: str, per_s: str, total: str) -> None:
        table.add_row(name, interval, per_s, total)

    row(
        "calls",
        fmt.number(d.calls if d else None),
        fmt.number(d.calls_per_s if d else None),
        fmt.number(s.calls),
    )
    row(
        "execution ms",
        fmt.milliseconds(d.total_exec_ms if d else None),
        fmt.milliseconds(d.exec_ms_per_s if d else None),
        fmt.milliseconds(s.total_exec_ms),
    )
    row(
        "mean ms",
        fmt.milliseconds(d.mean_exec_ms if d else None),
        "",
        fmt.milliseconds(s.mean_exec_ms),
    )
    row(
        "min / max ms",
        "",
        "",
        f"{fmt.milliseconds(s.min_exec_ms)} / {fmt.milliseconds(s.max_exec_ms)}",
    )
    row(
        "planning ms",
        fmt.milliseconds(d.total_plan_ms if d else None),
        "",
        fmt.milliseconds(s.total_plan_ms),
    )
    row(
        "rows",
        fmt.number(d.rows if d else None),
        fmt.number(d.rows_per_s if d else None),
        fmt.number(s.rows),
    )
    row(
        "shared hit %",
        fmt.percent(d.shared_hit_ratio if d else None),
        "",
        fmt.percent(hit_ratio(s.shared_blks_hit, s.shared_blks_read)),
    )
    row(
        "blocks read",
        fmt.number(d.shared_blks_read if d else None),
        fmt.number(d.blks_read_per_s if d else None),
        fmt.number(s.shared_blks_read),
    )
    row(
        "temp blocks",
        fmt.number((d.temp_blks_read + d.temp_blks_written) if d else None),
        fmt.number(d.temp_blks_per_s if d else None),
        fmt.number(s.temp_blks_read + s.temp_blks_written),
    )
    row(
        "read time ms",
        fmt.milliseconds(d.blk_read_ms if d else None),
        "",
        fmt.milliseconds(s.blk_read_ms),
    )
    row("WAL bytes", "", "", fmt.size(s.wal_bytes))
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
        gone = "" if current is not None else " (evicted; last seen values)"
        self.query_one("#who", Static).update(
            Text(
                f"user {printable(s.user or str(s.userid))} · database "
                f"{printable(s.database or str(s.dbid))} · query id {s.queryid}"
                f" · {'top level' if s.toplevel else 'nested'}{gone}"
            )
        )
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
