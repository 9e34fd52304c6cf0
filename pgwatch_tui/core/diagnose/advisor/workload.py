"""The workload on a table, as the advisor weighs it: statements with their weights and
needs, the table's recent writes, and what an index costs those writes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pgwatch_tui.core.diagnose.advisor.models import IndexShape, Suggestion
from pgwatch_tui.core.diagnose.advisor.predicates import TableNeeds
from pgwatch_tui.core.diagnose.advisor.sizing import index_rows
from pgwatch_tui.core.diagnose.advisor.stats import TableStats
from pgwatch_tui.core.diagnose.explain import Prepared
from pgwatch_tui.core.diagnose.plan import Plan
from pgwatch_tui.core.model.rows import StatementStats

# What one more index entry costs per written row, in planner units: a page already in cache is
# dirtied and WAL-logged, a few microseconds, about what the planner charges for two units.
WRITE_UNIT = 2.0


@dataclass(frozen=True)
class WriteSample:
    """A table's write counters at one moment (from the snapshot's table statistics)."""

    at: datetime
    inserts: float
    updates: float
    hot_updates: float
    deletes: float


@dataclass
class WorkItem:
    """A statement of the workload on one table, with its weight and what it needs."""

    statement: StatementStats
    weight: float
    plan: Plan
    needs: TableNeeds
    prepared: Prepared
    mix: list[tuple[dict[int, str], float]] = field(default_factory=list)  # values, share


def penalty(shape: IndexShape, stats: TableStats, updated: set[str]) -> tuple[float, list[str]]:
    """Planner cost per second of the index writes it adds, and the HOT-loss warning."""
    share = index_rows(shape, stats) / stats.reltuples if stats.reltuples > 0 else 1.0
    non_hot = max(stats.updates_per_s - stats.hot_updates_per_s, 0.0)
    writes = (stats.inserts_per_s + stats.deletes_per_s + non_hot) * share
    warnings = []
    touched = sorted(updated & {*shape.keys, *shape.include, shape.predicate_column or ""})
    penalty = writes * WRITE_UNIT
    if touched and stats.hot_updates_per_s > 0:
        extra = stats.hot_updates_per_s * (stats.index_count + 1)
        penalty += extra * WRITE_UNIT
        warnings.append(
            f"UPDATEs change {', '.join(touched)}: today {stats.hot_updates_per_s:.1f} "
            f"updates/s are HOT (no index writes); with this index they are not, about "
            f"{extra:.1f} more index writes/s across the table's {stats.index_count + 1} "
            "indexes"
        )
    return penalty, warnings


def target_gain(suggestion: Suggestion) -> float:
    before, after = suggestion.statement_cost_before, suggestion.statement_cost_after
    if before is None or after is None or before <= 0:
        return 0.0
    return (before - after) / before


def unquote_constant(value: str) -> str:
    """`'pending'::text` (how pg_qualstats shows a constant) -> pending."""
    match = re.match(r"^'((?:[^']|'')*)'(?:::.*)?$", value.strip())
    return match.group(1).replace("''", "'") if match else value.split("::")[0]


def covered_by(shape: IndexShape, existing: list[dict[str, Any]]) -> str | None:
    """An existing btree whose leading keys are this candidate's keys (same predicate)."""
    for index in existing:
        keys = [str(k) for k in index["keys"]]
        if (
            index["method"] == "btree"
            and keys[: len(shape.keys)] == list(shape.keys)
            and not shape.include
            and not shape.partial
            and not index["predicate"]
        ):
            return str(index["name"])
    return None
