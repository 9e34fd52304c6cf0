"""EXPLAIN (FORMAT JSON) parsed into models, with the figures the plan screen shows.

Exclusive cost (or time, when analyzed) is a node's own share: its total minus its children's.
The "why slow" summary names the costliest nodes first, with what they do.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pgwatch_tui.core.model.derived import DerivedModel

CONDITIONS = (
    "Index Cond",
    "Recheck Cond",
    "Filter",
    "Join Filter",
    "Hash Cond",
    "Merge Cond",
    "One-Time Filter",
)


class PlanNode(BaseModel):
    """One node of a plan, children included."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    node_type: str
    relation: str | None = None
    alias: str | None = None
    index_name: str | None = None
    join_type: str | None = None
    strategy: str | None = None
    parent_relationship: str | None = None
    subplan_name: str | None = None
    startup_cost: float
    total_cost: float
    plan_rows: float
    plan_width: int
    actual_total_ms: float | None = None  # per loop
    actual_rows: float | None = None  # per loop
    loops: int | None = None
    rows_removed_by_filter: float | None = None
    shared_hit_blocks: int | None = None
    shared_read_blocks: int | None = None
    conditions: dict[str, str] = {}
    sort_key: list[str] = []
    group_key: list[str] = []
    output: list[str] = []
    children: list[PlanNode] = []

    @property
    def analyzed(self) -> bool:
        return self.actual_total_ms is not None

    @property
    def exclusive_cost(self) -> float:
        return max(self.total_cost - sum(c.total_cost for c in self.children), 0.0)

    @property
    def inclusive_ms(self) -> float | None:
        if self.actual_total_ms is None:
            return None
        return self.actual_total_ms * (self.loops or 1)

    @property
    def exclusive_ms(self) -> float | None:
        total = self.inclusive_ms
        if total is None:
            return None
        return max(total - sum(c.inclusive_ms or 0.0 for c in self.children), 0.0)

    @property
    def misestimate(self) -> float | None:
        """How many times the row estimate was off (>= 1), when analyzed."""
        if self.actual_rows is None:
            return None
        actual, estimated = max(self.actual_rows, 1.0), max(self.plan_rows, 1.0)
        return max(actual / estimated, estimated / actual)

    @property
    def title(self) -> str:
        """'Index Scan using orders_pkey on orders o' and the like."""
        parts = [self.node_type]
        if self.strategy and self.node_type in ("Aggregate", "SetOp"):
            parts[0] = f"{self.strategy} {self.node_type}".replace("Plain Aggregate", "Aggregate")
        if self.join_type and self.join_type != "Inner":
            parts[0] = f"{parts[0]} ({self.join_type})"
        if self.index_name:
            parts.append(f"using {self.index_name}")
        if self.relation:
            on = self.relation
            if self.alias and self.alias != self.relation.split(".")[-1]:
                on += f" {self.alias}"
            parts.append(f"on {on}")
        if self.subplan_name:
            parts.append(f"({self.subplan_name})")
        return " ".join(parts)

    def walk(self) -> Iterator[PlanNode]:
        yield self
        for child in self.children:
            yield from child.walk()


class Plan(DerivedModel):
    """A whole plan: the root node and the timings EXPLAIN reports about it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    root: PlanNode
    planning_ms: float | None = None
    execution_ms: float | None = None
    settings: dict[str, str] = Field(default_factory=dict)

    @property
    def analyzed(self) -> bool:
        return self.root.analyzed

    @property
    def total_cost(self) -> float:
        return self.root.total_cost

    def nodes(self) -> list[PlanNode]:
        return list(self.root.walk())

    @cached_property
    def cost_shares(self) -> dict[int, float]:
        """Each node's share of the cost, by id(node) (see _cost_shares)."""
        return _cost_shares(self)

    def signature(self) -> tuple[tuple[str, str | None, str | None], ...]:
        """The plan's shape: which nodes, on which relations, using which indexes."""
        return tuple((n.node_type, n.relation, n.index_name) for n in self.root.walk())


def _node(raw: dict[str, Any]) -> PlanNode:
    relation = raw.get("Relation Name")
    if relation and raw.get("Schema"):
        relation = f"{raw['Schema']}.{relation}"
    return PlanNode(
        node_type=str(raw.get("Node Type", "?")),
        relation=relation,
        alias=raw.get("Alias"),
        index_name=raw.get("Index Name"),
        join_type=raw.get("Join Type"),
        strategy=raw.get("Strategy"),
        parent_relationship=raw.get("Parent Relationship"),
        subplan_name=raw.get("Subplan Name"),
        startup_cost=float(raw.get("Startup Cost", 0.0)),
        total_cost=float(raw.get("Total Cost", 0.0)),
        plan_rows=float(raw.get("Plan Rows", 0.0)),
        plan_width=int(raw.get("Plan Width", 0)),
        actual_total_ms=raw.get("Actual Total Time"),
        actual_rows=raw.get("Actual Rows"),
        loops=raw.get("Actual Loops"),
        rows_removed_by_filter=raw.get("Rows Removed by Filter"),
        shared_hit_blocks=raw.get("Shared Hit Blocks"),
        shared_read_blocks=raw.get("Shared Read Blocks"),
        conditions={k: str(raw[k]) for k in CONDITIONS if k in raw},
        sort_key=[str(k) for k in raw.get("Sort Key", [])],
        group_key=[str(k) for k in raw.get("Group Key", [])],
        output=[str(k) for k in raw.get("Output", [])],
        children=[_node(child) for child in raw.get("Plans", [])],
    )


# Set by pgwatch's own sessions to plan safely: not the application's settings, so not shown.
OWN_SETTINGS = frozenset({"jit", "plan_cache_mode"})


def parse_plan(document: Any) -> Plan:
    """Parse what `EXPLAIN (FORMAT JSON)` returns (a list with one object, or that object)."""
    top = document[0] if isinstance(document, list) else document
    if not isinstance(top, dict) or "Plan" not in top:
        raise ValueError("not an EXPLAIN (FORMAT JSON) document")
    settings = {k: v for k, v in (top.get("Settings") or {}).items() if k not in OWN_SETTINGS}
    return Plan(
        root=_node(top["Plan"]),
        planning_ms=top.get("Planning Time"),
        execution_ms=top.get("Execution Time"),
        settings={str(k): str(v) for k, v in settings.items()},
    )


def _cost_shares(plan: Plan) -> dict[int, float]:
    """Each node's share of the plan's cost.

    Below a Limit only part of a subtree runs (an index scan stops after 20 rows), so its costs
    are scaled by the fraction the Limit consumes; otherwise the shares would pass 100 %.
    """
    total = plan.root.total_cost
    shares: dict[int, float] = {}

    def visit(node: PlanNode, factor: float) -> None:
        shares[id(node)] = node.exclusive_cost * factor / total if total > 0 else 0.0
        for child in node.children:
            scale = factor
            if node.node_type == "Limit" and child.total_cost > node.total_cost > 0:
                scale = factor * node.total_cost / child.total_cost
            visit(child, scale)

    visit(plan.root, 1.0)
    return shares


def share(node: PlanNode, plan: Plan) -> float:
    """A node's exclusive share of the plan: of time when analyzed, else of cost (0 to 1)."""
    if plan.analyzed and node.exclusive_ms is not None:
        total = plan.root.inclusive_ms or 0.0
        return min(node.exclusive_ms / total, 1.0) if total > 0 else 0.0
    return min(max(plan.cost_shares.get(id(node), 0.0), 0.0), 1.0)


def _detail(node: PlanNode) -> str:
    notes = []
    if node.node_type in ("Seq Scan", "Parallel Seq Scan") and "Filter" in node.conditions:
        removed = node.rows_removed_by_filter
        kept = node.actual_rows
        if removed is not None and kept is not None and removed + kept > 0:
            notes.append(f"filter keeps {kept:.0f} of {removed + kept:.0f} rows")
        notes.append(f"filter {node.conditions['Filter']}")
    elif node.node_type == "Sort" and node.sort_key:
        notes.append(f"sort by {', '.join(node.sort_key)}")
    misestimate = node.misestimate
    if misestimate is not None and misestimate >= 10:
        notes.append(f"row estimate off {misestimate:.0f}x")
    return "; ".join(notes)


def why_slow(plan: Plan, limit: int = 3) -> list[str]:
    """The costliest nodes, most expensive first, each with its share and what it does."""
    ranked = sorted(plan.nodes(), key=lambda n: share(n, plan), reverse=True)
    lines: list[str] = []
    for node in ranked[:limit]:
        portion = share(node, plan)
        if portion < 0.05 and lines:
            break
        measure = "time" if plan.analyzed else "cost"
        detail = _detail(node)
        lines.append(
            f"{portion:.0%} of {measure}: {node.title}" + (f" — {detail}" if detail else "")
        )
    return lines


class CustomPlan(BaseModel):
    """A plan for real parameter values (a frequent and a rare one of a skewed column)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str
    values: list[str | None]
    plan: Plan


class ExplainOutcome(BaseModel):
    """Everything the plan screen shows about one statement or session query."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    query: str
    method: str = ""
    generic: Plan | None = None
    parameter_types: list[str] = []
    custom: list[CustomPlan] = []
    notes: list[str] = []
    error: str | None = None
    analyzable: bool = False  # a SELECT with real values: EXPLAIN ANALYZE may run it

    @property
    def plans_differ(self) -> bool:
        """Whether real values get a different plan than the generic one (or each other)."""
        shapes = {c.plan.signature() for c in self.custom}
        if self.generic is not None:
            shapes.add(self.generic.signature())
        return len(shapes) > 1
