"""Index health: unused, duplicate and invalid indexes, and foreign keys no index covers.

Pure functions over a snapshot's indexes, foreign keys and running index builds. Each finding
says why the index is listed, in words a DBA can act on.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.model.health_rows import ForeignKey, IndexBuild
from pgwatch_tui.core.model.rows import IndexStats

LEFTOVER = re.compile(r"_cc(new|old)\d*$")


class Problem(StrEnum):
    INVALID = "invalid"
    BUILDING = "building"
    DUPLICATE = "duplicate"
    REDUNDANT = "redundant"
    UNUSED = "unused"
    MISSING_FK_INDEX = "fk without index"


class IndexFinding(BaseModel):
    """One line of the Indexes pane."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    problem: Problem
    schema_name: str
    table_name: str
    index_name: str | None  # None for a foreign key without an index
    size_bytes: int
    scans: int | None
    why: str
    oid: int | None = None  # the index (or the constraint, for a foreign key)
    leftover: bool = False  # a *_ccnew / *_ccold left by a failed concurrent rebuild
    columns: list[str] = []  # for a foreign key without an index: its columns

    @property
    def key(self) -> str:
        subject = self.index_name or self.why
        return f"{self.problem.value}:{self.schema_name}.{self.table_name}.{subject}"


def _shape(index: IndexStats) -> tuple[object, ...]:
    """What two indexes must share for one to make the other pointless (besides keys)."""
    return (index.relid, index.method, index.predicate or "", index.expressions or "")


def _key_signature(index: IndexStats) -> list[tuple[int, int, int, int]]:
    return list(
        zip(index.key_columns, index.opclasses, index.collations, index.options, strict=False)
    )


def _overlaps(indexes: list[IndexStats]) -> list[IndexFinding]:
    """Exact duplicates, and indexes whose keys are a leading prefix of another's."""
    findings: list[IndexFinding] = []
    usable = [i for i in indexes if i.is_valid]
    for index in usable:
        if index.constraint_type in ("p", "x"):
            continue  # a primary key or exclusion constraint is never the one to drop
        mine = _key_signature(index)
        for other in usable:
            if other.indexrelid == index.indexrelid or _shape(other) != _shape(index):
                continue
            theirs = _key_signature(other)
            if mine == theirs and other.include_columns == index.include_columns:
                if index.is_unique and not other.is_unique:
                    continue  # keep the unique one: it enforces something
                if index.is_unique == other.is_unique and index.indexrelid < other.indexrelid:
                    continue  # report one of an identical pair, the newer one
                findings.append(
                    _finding(index, Problem.DUPLICATE, f"same definition as {other.name}")
                )
                break
            if len(mine) < len(theirs) and theirs[: len(mine)] == mine and not index.is_unique:
                findings.append(
                    _finding(
                        index,
                        Problem.REDUNDANT,
                        f"its keys lead {other.name}, which serves the same lookups",
                    )
                )
                break
    return findings


def _finding(index: IndexStats, problem: Problem, why: str) -> IndexFinding:
    return IndexFinding(
        problem=problem,
        schema_name=index.schema_name,
        table_name=index.table_name,
        index_name=index.name,
        size_bytes=index.size_bytes,
        scans=index.idx_scan,
        why=why,
        oid=index.indexrelid,
        leftover=bool(LEFTOVER.search(index.name)),
    )


def _invalid(indexes: list[IndexStats], builds: list[IndexBuild]) -> list[IndexFinding]:
    building = {b.index_relid: b for b in builds}
    building_on = {b.relid: b for b in builds}
    findings = []
    for index in indexes:
        if index.is_valid:
            continue
        build = building.get(index.indexrelid) or building_on.get(index.relid)
        if build is not None:
            done = (
                f", {build.blocks_done}/{build.blocks_total} blocks" if build.blocks_total else ""
            )
            findings.append(
                _finding(
                    index,
                    Problem.BUILDING,
                    f"being built now by pid {build.pid} ({build.command}: {build.phase}{done})",
                )
            )
        elif LEFTOVER.search(index.name):
            findings.append(
                _finding(
                    index,
                    Problem.INVALID,
                    "leftover of a failed REINDEX CONCURRENTLY: drop it, do not rebuild it",
                )
            )
        else:
            findings.append(
                _finding(
                    index,
                    Problem.INVALID,
                    "invalid (a failed CREATE INDEX CONCURRENTLY?): not used by queries,"
                    " still maintained on every write",
                )
            )
    return findings


def _unused(indexes: list[IndexStats], stats_since: datetime | None) -> list[IndexFinding]:
    since = f"since {stats_since:%Y-%m-%d}" if stats_since else "since statistics were reset"
    return [
        _finding(
            index,
            Problem.UNUSED,
            f"never scanned {since}; costs {fmt.size(index.size_bytes)} and every write",
        )
        for index in indexes
        if index.is_valid
        and index.idx_scan == 0
        and not index.is_unique
        and index.constraint_type is None
    ]


def _covers(index: IndexStats, columns: list[int]) -> bool:
    """An index serves a foreign key when its leading keys are the key's columns, any order."""
    if not index.is_valid or index.predicate or index.method != "btree":
        return False
    leading = index.key_columns[: len(columns)]
    return len(leading) == len(columns) and set(leading) == set(columns)


def _uncovered_foreign_keys(
    indexes: list[IndexStats], foreign_keys: list[ForeignKey]
) -> list[IndexFinding]:
    by_table: dict[int, list[IndexStats]] = {}
    for index in indexes:
        by_table.setdefault(index.relid, []).append(index)
    findings = []
    for fk in foreign_keys:
        if any(_covers(i, fk.columns) for i in by_table.get(fk.relid, [])):
            continue
        columns = ", ".join(fk.column_names)
        findings.append(
            IndexFinding(
                problem=Problem.MISSING_FK_INDEX,
                schema_name=fk.schema_name,
                table_name=fk.table_name,
                index_name=None,
                size_bytes=0,
                scans=None,
                why=f"{fk.name} ({columns}) -> {fk.referenced_table}: no index starts with"
                f" ({columns}); deletes and key updates on {fk.referenced_table} scan"
                f" {fk.table_name}",
                oid=fk.constraint_oid,
                columns=fk.column_names,
            )
        )
    return findings


ORDER = [
    Problem.INVALID,
    Problem.BUILDING,
    Problem.MISSING_FK_INDEX,
    Problem.DUPLICATE,
    Problem.REDUNDANT,
    Problem.UNUSED,
]


def index_findings(
    indexes: tuple[IndexStats, ...] | list[IndexStats],
    foreign_keys: tuple[ForeignKey, ...] | list[ForeignKey],
    builds: tuple[IndexBuild, ...] | list[IndexBuild],
    stats_since: datetime | None,
) -> list[IndexFinding]:
    """Every finding, the most urgent kind first, then biggest first."""
    index_list, build_list = list(indexes), list(builds)
    findings = [
        *_invalid(index_list, build_list),
        *_uncovered_foreign_keys(index_list, list(foreign_keys)),
        *_overlaps(index_list),
        *_unused(index_list, stats_since),
    ]
    # An index listed as duplicate or invalid need not be listed as unused as well.
    seen: set[str] = set()
    unique = []
    for finding in sorted(findings, key=lambda f: (ORDER.index(f.problem), -f.size_bytes)):
        name = f"{finding.schema_name}.{finding.index_name}" if finding.index_name else finding.why
        if name in seen:
            continue
        seen.add(name)
        unique.append(finding)
    return unique
