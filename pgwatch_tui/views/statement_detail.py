"""The statement screen's counters: one row per counter, this interval, per second, in total."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.collect.rates import hit_ratio
from pgwatch_tui.core.model.rows import StatementStats
from pgwatch_tui.core.model.snapshot import StatementDelta
from pgwatch_tui.core.safe_text import printable

COUNTER_HEADINGS = ("counter", "this interval", "per second", "since reset")

CounterRow = tuple[str, str, str, str]
Interval = Callable[[StatementDelta], str]
Total = Callable[[StatementStats], str]


@dataclass(frozen=True)
class Counter:
    label: str
    total: Total
    interval: Interval | None = None  # None: only a total makes sense (min, max, WAL)
    per_second: Interval | None = None


def _min_max(s: StatementStats) -> str:
    return f"{fmt.milliseconds(s.min_exec_ms)} / {fmt.milliseconds(s.max_exec_ms)}"


COUNTERS: tuple[Counter, ...] = (
    Counter(
        "calls",
        lambda s: fmt.number(s.calls),
        lambda d: fmt.number(d.calls),
        lambda d: fmt.number(d.calls_per_s),
    ),
    Counter(
        "execution ms",
        lambda s: fmt.milliseconds(s.total_exec_ms),
        lambda d: fmt.milliseconds(d.total_exec_ms),
        lambda d: fmt.milliseconds(d.exec_ms_per_s),
    ),
    Counter(
        "mean ms",
        lambda s: fmt.milliseconds(s.mean_exec_ms),
        lambda d: fmt.milliseconds(d.mean_exec_ms),
    ),
    Counter("min / max ms", _min_max),
    Counter(
        "planning ms",
        lambda s: fmt.milliseconds(s.total_plan_ms),
        lambda d: fmt.milliseconds(d.total_plan_ms),
    ),
    Counter(
        "rows",
        lambda s: fmt.number(s.rows),
        lambda d: fmt.number(d.rows),
        lambda d: fmt.number(d.rows_per_s),
    ),
    Counter(
        "shared hit %",
        lambda s: fmt.percent(hit_ratio(s.shared_blks_hit, s.shared_blks_read)),
        lambda d: fmt.percent(d.shared_hit_ratio),
    ),
    Counter(
        "blocks read",
        lambda s: fmt.number(s.shared_blks_read),
        lambda d: fmt.number(d.shared_blks_read),
        lambda d: fmt.number(d.blks_read_per_s),
    ),
    Counter(
        "temp blocks",
        lambda s: fmt.number(s.temp_blks_read + s.temp_blks_written),
        lambda d: fmt.number(d.temp_blks_read + d.temp_blks_written),
        lambda d: fmt.number(d.temp_blks_per_s),
    ),
    Counter(
        "read time ms",
        lambda s: fmt.milliseconds(s.blk_read_ms),
        lambda d: fmt.milliseconds(d.blk_read_ms),
    ),
    Counter("WAL bytes", lambda s: fmt.size(s.wal_bytes)),
)


def _interval_cell(shown: Interval | None, delta: StatementDelta | None) -> str:
    if shown is None:
        return ""
    return shown(delta) if delta is not None else fmt.number(None)


def counter_rows(statement: StatementStats, delta: StatementDelta | None) -> list[CounterRow]:
    """Every counter; the interval columns show "—" until a second snapshot gives a delta."""
    return [
        (
            counter.label,
            _interval_cell(counter.interval, delta),
            _interval_cell(counter.per_second, delta),
            counter.total(statement),
        )
        for counter in COUNTERS
    ]


def statement_who(statement: StatementStats, tracked: bool) -> str:
    s = statement
    gone = "" if tracked else " (evicted; last seen values)"
    return (
        f"user {printable(s.user or str(s.userid))} · database "
        f"{printable(s.database or str(s.dbid))} · query id {s.queryid}"
        f" · {'top level' if s.toplevel else 'nested'}{gone}"
    )
