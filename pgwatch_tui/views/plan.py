"""Plan nodes as lines: a share bar, the node, its figures; its conditions as detail lines."""

from __future__ import annotations

from dataclasses import dataclass

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.diagnose.plan import ExplainOutcome, Plan, PlanNode, share
from pgwatch_tui.core.safe_text import one_line
from pgwatch_tui.views.table import Tone

BAR_WIDTH = 8
HOT_SHARE = 0.3
WARM_SHARE = 0.1


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    """█████░░░ for 0.6 of 8 cells; always `width` characters."""
    filled = round(max(0.0, min(fraction, 1.0)) * width)
    return "█" * filled + "░" * (width - filled)


def node_tone(node: PlanNode, plan: Plan) -> Tone:
    portion = share(node, plan)
    if portion >= HOT_SHARE:
        return Tone.ALERT
    if portion >= WARM_SHARE:
        return Tone.WARN
    return Tone.NORMAL


def node_line(node: PlanNode, plan: Plan, width: int = 80) -> str:
    """'█████░░░  62% Seq Scan on orders  cost 12345  rows 40 → 1.2k (30x)  loops 1'."""
    portion = share(node, plan)
    parts = [f"{bar(portion)} {portion:4.0%}", node.title]
    if node.analyzed:
        parts.append(f"{fmt.milliseconds(node.exclusive_ms)} ms")
        rows = f"rows {fmt.number(node.plan_rows)} → {fmt.number(node.actual_rows)}"
        misestimate = node.misestimate
        if misestimate is not None and misestimate >= 2:
            rows += f" ({misestimate:.0f}x off)"
        parts.append(rows)
        if node.loops and node.loops > 1:
            parts.append(f"loops {fmt.number(node.loops)}")
    else:
        parts.append(f"cost {fmt.number(round(node.exclusive_cost))}")
        parts.append(f"rows {fmt.number(node.plan_rows)}")
    return one_line("  ".join(parts), width)


def detail_lines(node: PlanNode, width: int = 80) -> list[str]:
    """Conditions, sort keys, rows removed and buffers, one per line."""
    lines = [f"{name}: {text}" for name, text in node.conditions.items()]
    if node.sort_key:
        lines.append(f"Sort Key: {', '.join(node.sort_key)}")
    if node.group_key:
        lines.append(f"Group Key: {', '.join(node.group_key)}")
    if node.rows_removed_by_filter:
        lines.append(f"Rows removed by filter: {fmt.number(node.rows_removed_by_filter)}")
    if node.shared_hit_blocks is not None or node.shared_read_blocks is not None:
        lines.append(
            f"Buffers: shared hit {fmt.number(node.shared_hit_blocks)}, "
            f"read {fmt.number(node.shared_read_blocks)}"
        )
    return [one_line(line, width) for line in lines]


@dataclass(frozen=True)
class ShownPlan:
    """One plan of the plan screen: its tab title, the line above it, the plan."""

    title: str
    caption: str
    plan: Plan


def shown_plans(outcome: ExplainOutcome) -> list[ShownPlan]:
    """The generic plan first, then each custom plan with the values it was planned for."""
    shown = []
    if outcome.generic is not None:
        title = "generic plan" if outcome.parameter_types else "plan"
        shown.append(ShownPlan(title, plan_summary(outcome.generic), outcome.generic))
    for custom in outcome.custom:
        values = ", ".join("NULL" if v is None else one_line(v, 30) for v in custom.values)
        caption = f"{custom.label}" + (f" · values {values}" if values else "")
        shown.append(
            ShownPlan(
                custom.label.split(" (")[0],
                f"{caption} · {plan_summary(custom.plan)}",
                custom.plan,
            )
        )
    return shown


def plan_summary(plan: Plan) -> str:
    parts = [f"total cost {fmt.number(round(plan.total_cost))}"]
    if plan.planning_ms is not None:
        parts.append(f"planning {fmt.milliseconds(plan.planning_ms)} ms")
    if plan.execution_ms is not None:
        parts.append(f"execution {fmt.milliseconds(plan.execution_ms)} ms")
    if plan.settings:  # EXPLAIN (SETTINGS) lists only those changed from their defaults
        parts.append("settings " + ", ".join(f"{k}={v}" for k, v in plan.settings.items()))
    return " · ".join(parts)
