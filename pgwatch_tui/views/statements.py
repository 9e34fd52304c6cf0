"""Statements pane rows: per-interval figures (calls/s, ms/s ...) or cumulative totals."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.collect.own_statements import is_own
from pgwatch_tui.core.collect.rates import hit_ratio
from pgwatch_tui.core.model.rows import StatementKey, StatementStats
from pgwatch_tui.core.model.snapshot import ProbeState, Snapshot, StatementDelta
from pgwatch_tui.core.safe_text import one_line, printable
from pgwatch_tui.views.table import Cell, Column, RowMemo, TableRow, Tone

INTERVAL_COLUMNS: tuple[Column, ...] = (
    Column("calls", "calls/s", 8, priority=1, right=True),
    Column("time", "ms/s", 8, priority=0, right=True),
    Column("mean", "mean ms", 8, priority=0, right=True),
    Column("rows", "rows/s", 8, priority=4, right=True),
    Column("hit", "hit %", 6, priority=3, right=True),
    Column("read", "read/s", 7, priority=5, right=True),
    Column("temp", "temp/s", 7, priority=6, right=True),
    Column("user", "user", 10, priority=7),
    Column("database", "database", 10, priority=6),
    Column("query", "query", 30, priority=0, flexible=True, min_width=30),
)
CUMULATIVE_COLUMNS: tuple[Column, ...] = (
    Column("calls", "calls", 8, priority=1, right=True),
    Column("time", "total ms", 9, priority=0, right=True),
    Column("mean", "mean ms", 8, priority=0, right=True),
    Column("rows", "rows", 8, priority=4, right=True),
    Column("hit", "hit %", 6, priority=3, right=True),
    Column("read", "reads", 7, priority=5, right=True),
    Column("temp", "temp", 7, priority=6, right=True),
    Column("user", "user", 10, priority=7),
    Column("database", "database", 10, priority=6),
    Column("query", "query", 30, priority=0, flexible=True, min_width=30),
)
SORTABLE = ("time", "calls", "mean", "rows", "read", "temp", "hit", "user", "database")
DEFAULT_SORT = "time"


@dataclass(frozen=True)
class StatementOptions:
    cumulative: bool = False
    slow_statement_ms: float = 100.0
    show_own: bool = False


def statement_key_text(key: StatementKey) -> str:
    userid, dbid, queryid, toplevel = key
    return f"{userid}:{dbid}:{queryid}:{'t' if toplevel else 'n'}"


def _interval_cells(s: StatementStats, d: StatementDelta | None) -> dict[str, Cell]:
    def cell(value: float | None, text: str) -> Cell:
        return Cell(text, value)

    if d is None:
        return {
            k: Cell(fmt.MISSING) for k in ("calls", "time", "mean", "rows", "hit", "read", "temp")
        }
    return {
        "calls": cell(d.calls_per_s, fmt.number(d.calls_per_s)),
        "time": cell(d.exec_ms_per_s, fmt.milliseconds(d.exec_ms_per_s)),
        "mean": cell(d.mean_exec_ms, fmt.milliseconds(d.mean_exec_ms)),
        "rows": cell(d.rows_per_s, fmt.number(d.rows_per_s)),
        "hit": cell(d.shared_hit_ratio, fmt.percent(d.shared_hit_ratio)),
        "read": cell(d.blks_read_per_s, fmt.number(d.blks_read_per_s)),
        "temp": cell(d.temp_blks_per_s, fmt.number(d.temp_blks_per_s)),
    }


def _cumulative_cells(s: StatementStats) -> dict[str, Cell]:
    ratio = hit_ratio(s.shared_blks_hit, s.shared_blks_read)
    temp = s.temp_blks_read + s.temp_blks_written
    return {
        "calls": Cell(fmt.number(s.calls), s.calls),
        "time": Cell(fmt.milliseconds(s.total_exec_ms), s.total_exec_ms),
        "mean": Cell(fmt.milliseconds(s.mean_exec_ms), s.mean_exec_ms),
        "rows": Cell(fmt.number(s.rows), s.rows),
        "hit": Cell(fmt.percent(ratio), ratio),
        "read": Cell(fmt.number(s.shared_blks_read), s.shared_blks_read),
        "temp": Cell(fmt.number(temp), temp),
    }


def statement_tone(s: StatementStats, d: StatementDelta | None, options: StatementOptions) -> Tone:
    mean = d.mean_exec_ms if d is not None and d.mean_exec_ms is not None else s.mean_exec_ms
    if mean >= options.slow_statement_ms:
        return Tone.ALERT
    if d is not None and d.calls == 0:
        return Tone.MUTED
    return Tone.NORMAL


def statement_row(
    s: StatementStats, d: StatementDelta | None, options: StatementOptions
) -> TableRow:
    cells = _cumulative_cells(s) if options.cumulative else _interval_cells(s, d)
    text = s.query if s.query is not None else "<text not fetched yet>"
    cells["user"] = Cell(printable(s.user or str(s.userid)), s.user or "")
    cells["database"] = Cell(printable(s.database or str(s.dbid)), s.database or "")
    cells["query"] = Cell(one_line(text, 500), text)
    return TableRow(statement_key_text(s.key), cells, statement_tone(s, d, options), s)


def statement_rows(
    snapshot: Snapshot, options: StatementOptions, memo: RowMemo | None = None
) -> list[TableRow]:
    """One row per statement; with a memo, rows of unchanged statements are reused."""
    deltas = snapshot.delta_by_key
    memo = memo or RowMemo()
    memo.start(options)
    rows = []
    for s in snapshot.statements:
        key = s.key
        d = deltas.get(key)
        row = memo.row(key, (s, d), partial(_shown_row, s, d, options))
        if row is not None:
            rows.append(row)
    return rows


def _shown_row(
    s: StatementStats, d: StatementDelta | None, options: StatementOptions
) -> TableRow | None:
    return None if is_own(s) and not options.show_own else statement_row(s, d, options)


def statements_unavailable(snapshot: Snapshot) -> str | None:
    """Why the pane has no table, with the fix; None when statements are there."""
    state = snapshot.probe_state("statements")
    if state in (ProbeState.OK, ProbeState.STALE, ProbeState.NOT_POLLED):
        return None
    item = snapshot.capabilities.item("pg_stat_statements")
    status = snapshot.probes.get("statements")
    reason = status.reason if status and status.reason else item.summary
    lines = [f"No statement statistics: {reason}."]
    if item.fix:
        lines.append(f"Fix: {item.fix}")
    return "\n".join(printable(line) for line in lines)


def statements_summary(snapshot: Snapshot, options: StatementOptions, rows: int) -> str:
    """The line above the table; `rows` is how many statement_rows gave (own ones left out)."""
    info = snapshot.statements_info
    evicted = f", {info.dealloc} evicted since reset" if info and info.dealloc else ""
    mode = "totals since reset (t: per second)" if options.cumulative else "per second (t: totals)"
    own = len(snapshot.statements) - rows
    hidden = f", {own} of pgwatch's own hidden" if own and not options.show_own else ""
    return f"{len(snapshot.statements)} statements tracked{evicted}{hidden}; {mode}"
