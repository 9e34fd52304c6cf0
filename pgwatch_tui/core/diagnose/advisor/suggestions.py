"""Turning the advisor's trials into the suggestions it shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from pgwatch_tui.core.collect.connection import Conn
from pgwatch_tui.core.diagnose.advisor.candidates import why
from pgwatch_tui.core.diagnose.advisor.create_index import create_index, index_name
from pgwatch_tui.core.diagnose.advisor.models import IndexShape, StatementEffect, Suggestion
from pgwatch_tui.core.diagnose.advisor.predicates import TableNeeds
from pgwatch_tui.core.diagnose.advisor.sizing import estimated_size
from pgwatch_tui.core.diagnose.advisor.stats import TableStats
from pgwatch_tui.core.diagnose.advisor.workload import WorkItem, penalty
from pgwatch_tui.core.diagnose.plan import Plan


@dataclass
class Trial:
    shape: IndexShape
    costs: dict[int, float]
    benefit: float
    penalty: float
    size: int
    warnings: list[str]
    plans: dict[int, Plan]
    hypo_size: int | None = None
    name: str = ""
    before: dict[int, float] = field(default_factory=dict)  # costs when it was tried

    @property
    def net(self) -> float:
        return self.benefit - self.penalty


def predicate_type(stats: TableStats, shape: IndexShape) -> str | None:
    column = stats.columns.get(shape.predicate_column or "")
    return column.data_type if column else None


def _helped_most(trial: Trial, items: list[WorkItem]) -> TableNeeds | None:
    """The needs of the statement this index saves the most on (the asked one when tied)."""
    best, best_gain = None, 0.0
    for i, item in enumerate(items):
        gain = item.weight * (trial.before.get(i, 0.0) - trial.costs.get(i, 0.0))
        if gain > best_gain:
            best, best_gain = item.needs, gain
    return best if best is not None else (items[0].needs if items else None)


def make_suggestion(
    conn: Conn,
    trial: Trial,
    stats: TableStats,
    items: list[WorkItem],
    base: dict[int, float],
    base_plans: dict[int, Plan],
    before: float,
    after: float,
) -> Suggestion:
    name = trial.name
    effects = [
        StatementEffect(
            queryid=item.statement.queryid,
            query=item.statement.query or "",
            calls_per_s=item.weight,
            cost_before=trial.before.get(i, base[i]),
            cost_after=trial.costs[i],
            uses_index=trial.costs[i] < trial.before.get(i, base[i]),
        )
        for i, item in enumerate(items)
    ]
    return Suggestion(
        shape=trial.shape,
        name=name,
        why=why(trial.shape, _helped_most(trial, items)),
        predicate_type=predicate_type(stats, trial.shape),
        ddl=create_index(
            trial.shape, name, predicate_type(stats, trial.shape), concurrently=True
        ).as_string(conn)
        + ";",
        validated=True,
        size_bytes=trial.size,
        hypopg_size_bytes=trial.hypo_size,
        statement_cost_before=trial.before.get(0, base.get(0)),
        statement_cost_after=trial.costs.get(0),
        workload_cost_before_per_s=before,
        workload_cost_after_per_s=after,
        effects=effects,
        warnings=trial.warnings,
        plan_before=base_plans.get(0),
        plan_after=trial.plans.get(0),
    )


def by_rule(
    shapes: list[IndexShape],
    stats: TableStats,
    items: list[WorkItem],
    updated: set[str],
    taken: set[str],
    target_plan: Plan,
) -> list[Suggestion]:
    """Without HypoPG: the first candidate for the asked statement, not validated."""
    suggestions = []
    for shape in shapes[:1]:
        _, warnings = penalty(shape, stats, updated)
        name = index_name(shape, taken)
        ddl = create_index(shape, name, predicate_type(stats, shape), concurrently=True)
        suggestions.append(
            Suggestion(
                shape=shape,
                name=name,
                why=why(shape, items[0].needs if items else None),
                predicate_type=predicate_type(stats, shape),
                ddl=ddl.as_string(None) + ";",
                validated=False,
                size_bytes=estimated_size(shape, stats) or 0,
                warnings=warnings,
                plan_before=target_plan,
            )
        )
    return suggestions
