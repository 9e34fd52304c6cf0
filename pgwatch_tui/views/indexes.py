"""Indexes pane rows: each finding of index health with why it is listed."""

from __future__ import annotations

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.diagnose.index_health import IndexFinding, Problem, index_findings
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.safe_text import printable
from pgwatch_tui.views.table import Cell, Column, TableRow, Tone

COLUMNS: tuple[Column, ...] = (
    Column("problem", "problem", 16, priority=0),
    Column("index", "index", 22, priority=0),
    Column("table", "table", 16, priority=4),
    Column("size", "size", 9, priority=1, right=True),
    Column("scans", "scans", 7, priority=5, right=True),
    Column("why", "why", 24, priority=0, flexible=True, min_width=24),
)
SORTABLE = ("problem", "size", "scans", "index", "table")
DEFAULT_SORT = "problem"

_RANK = {
    p: i
    for i, p in enumerate(
        [
            Problem.INVALID,
            Problem.BUILDING,
            Problem.MISSING_FK_INDEX,
            Problem.DUPLICATE,
            Problem.REDUNDANT,
            Problem.UNUSED,
        ]
    )
}


def finding_tone(finding: IndexFinding) -> Tone:
    if finding.problem in (Problem.INVALID, Problem.MISSING_FK_INDEX):
        return Tone.ALERT
    if finding.problem is Problem.BUILDING:
        return Tone.MUTED
    return Tone.WARN if finding.problem is Problem.DUPLICATE else Tone.NORMAL


def finding_row(finding: IndexFinding) -> TableRow:
    index = f"{finding.schema_name}.{finding.index_name}" if finding.index_name else "—"
    cells = {
        # Most urgent first when sorted descending (the default direction).
        "problem": Cell(finding.problem.value, -_RANK[finding.problem]),
        "index": Cell(printable(index), index),
        "table": Cell(printable(finding.table_name), finding.table_name),
        "size": Cell(
            fmt.size(finding.size_bytes) if finding.index_name else "", finding.size_bytes
        ),
        "scans": Cell(fmt.number(finding.scans), finding.scans),
        "why": Cell(printable(finding.why), finding.why),
    }
    return TableRow(finding.key, cells, finding_tone(finding), finding)


def findings(snapshot: Snapshot) -> list[IndexFinding]:
    current = snapshot.current_database
    return index_findings(
        snapshot.indexes,
        snapshot.foreign_keys,
        snapshot.index_builds,
        current.stats_reset if current is not None else None,
    )


def index_rows(snapshot: Snapshot) -> list[TableRow]:
    return [finding_row(f) for f in findings(snapshot)]


def index_summary(snapshot: Snapshot, rows: list[TableRow]) -> str:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.cells["problem"].text] = counts.get(row.cells["problem"].text, 0) + 1
    if not counts:
        return f"{len(snapshot.indexes)} indexes checked: nothing to report."
    parts = ", ".join(f"{n} {name}" for name, n in counts.items())
    return f"{len(snapshot.indexes)} indexes checked: {parts}."


def finding_fields(f: IndexFinding, snapshot: Snapshot | None) -> list[tuple[str, str]]:
    """The detail screen of one finding, with the index's definition when it is known."""
    indexes = snapshot.indexes if snapshot is not None else ()
    definition = next((i.definition for i in indexes if i.indexrelid == f.oid), None)
    fields = [
        ("problem", f.problem.value),
        ("index", printable(f.index_name or "—")),
        ("table", printable(f"{f.schema_name}.{f.table_name}")),
        ("size", fmt.size(f.size_bytes)),
        ("scans", fmt.number(f.scans)),
        ("why", printable(f.why)),
    ]
    if definition:
        fields.append(("definition", printable(definition)))
    return fields
