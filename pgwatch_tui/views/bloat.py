"""Bloat pane rows: tables and btree indexes by estimated wasted bytes, n/a ones last."""

from __future__ import annotations

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.model.bloat import BloatEstimate, RelationKind
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.safe_text import printable
from pgwatch_tui.views.table import Cell, Column, TableRow, Tone

COLUMNS: tuple[Column, ...] = (
    Column("kind", "kind", 5, priority=2),
    Column("relation", "relation", 28, priority=0, flexible=True, min_width=20),
    Column("table", "table", 16, priority=4),
    Column("size", "size", 9, priority=0, right=True),
    Column("bloat", "bloat", 7, priority=0, right=True),
    Column("wasted", "wasted", 9, priority=0, right=True),
    Column("vacuum", "last vacuum", 11, priority=3, right=True),
)
SORTABLE = ("wasted", "bloat", "size", "relation", "table", "vacuum", "kind")
DEFAULT_SORT = "wasted"
WARN_RATIO = 0.3
ALERT_RATIO = 0.5
MIN_INTERESTING_BYTES = 1024 * 1024  # small relations are noisy and cheap whatever their ratio


def bloat_tone(estimate: BloatEstimate) -> Tone:
    if estimate.bloat_ratio is None:
        return Tone.MUTED
    if estimate.size_bytes < MIN_INTERESTING_BYTES:
        return Tone.NORMAL
    if estimate.bloat_ratio >= ALERT_RATIO:
        return Tone.ALERT
    if estimate.bloat_ratio >= WARN_RATIO:
        return Tone.WARN
    return Tone.NORMAL


def _vacuum_ago(seconds: float | None) -> str:
    """To the minute: the pane rebuilds its rows once a minute, not on every refresh."""
    if seconds is None:
        return "never"
    return "<1m ago" if seconds < 60 else f"{fmt.coarse_duration(seconds)} ago"


def bloat_row(estimate: BloatEstimate, snapshot: Snapshot) -> TableRow:
    vacuum_age = (
        (snapshot.taken_at - estimate.last_vacuum).total_seconds()
        if estimate.last_vacuum is not None
        else None
    )
    marker = "=" if estimate.measured else ""
    ratio_text = (
        f"{marker}{fmt.percent(estimate.bloat_ratio, 0)}"
        if estimate.bloat_ratio is not None
        else "n/a"
    )
    name = f"{estimate.schema_name}.{estimate.name}"
    kind = "index" if estimate.kind is RelationKind.INDEX else "table"
    cells = {
        "kind": Cell(kind, kind),
        "relation": Cell(
            printable(name) + (f"  ({estimate.reason})" if estimate.reason else ""), name
        ),
        "table": Cell(printable(estimate.table_name), estimate.table_name),
        "size": Cell(fmt.size(estimate.size_bytes), estimate.size_bytes),
        "bloat": Cell(ratio_text, estimate.bloat_ratio),
        "wasted": Cell(fmt.size(estimate.wasted_bytes), estimate.wasted_bytes),
        "vacuum": Cell(_vacuum_ago(vacuum_age), vacuum_age),
    }
    return TableRow(f"{kind}:{estimate.oid}", cells, bloat_tone(estimate), estimate)


def bloat_rows(
    snapshot: Snapshot, measured: dict[tuple[str, int], BloatEstimate] | None = None
) -> list[TableRow]:
    """Every estimate, an exact measurement replacing it where one was taken (marked =)."""
    exact = measured or {}
    estimates = (*snapshot.table_bloat, *snapshot.index_bloat)
    return [bloat_row(exact.get((e.kind.value, e.oid), e), snapshot) for e in estimates]


def bloat_summary(snapshot: Snapshot, interval_s: float, measured: int = 0) -> str:
    """The total waste and how fresh the estimate is; `measured` relations are marked =."""
    status = snapshot.probes.get("table_bloat")
    if status is None or status.collected_at is None:
        return "Estimating bloat from catalog statistics…"
    wasted = sum(e.wasted_bytes or 0 for e in (*snapshot.table_bloat, *snapshot.index_bloat))
    age = (snapshot.taken_at - status.collected_at).total_seconds()
    exact = f"; = {fmt.count(measured, 'measurement')} with pgstattuple" if measured else ""
    return (
        f"{fmt.size(wasted)} estimated wasted{exact}; estimated {fmt.duration(age)} ago from"
        f" statistics (every {fmt.duration(interval_s)}; r re-estimates now)"
    )


def bloat_fields(e: BloatEstimate) -> list[tuple[str, str]]:
    """The detail screen of one relation's estimate (or measurement)."""
    fields = [
        ("relation", printable(f"{e.schema_name}.{e.name}")),
        ("kind", e.kind.value),
        ("table", printable(e.table_name)),
        ("size", fmt.size(e.size_bytes)),
        ("a fresh copy would take", fmt.size(e.expected_bytes)),
        ("estimated waste", f"{fmt.size(e.wasted_bytes)} ({fmt.percent(e.bloat_ratio)})"),
        ("deduplicated btree", "yes" if e.deduplicated else "no"),
        ("last vacuum", str(e.last_vacuum or "never")),
        ("method", "measured (pgstattuple)" if e.measured else "estimated from statistics"),
    ]
    if e.reason:
        fields.append(("no estimate because", e.reason))
    return fields
