"""The plan screen's lines and tabs, from parsed plans."""

from __future__ import annotations

from pgwatch_tui.core.diagnose.plan import CustomPlan, ExplainOutcome, parse_plan
from pgwatch_tui.views.plan import bar, detail_lines, node_line, node_tone, shown_plans
from pgwatch_tui.views.table import Tone
from tests.unit.test_plan import ANALYZED

ESTIMATED = {
    "Plan": {
        "Node Type": "Hash Join",
        "Startup Cost": 10.0,
        "Total Cost": 1000.0,
        "Plan Rows": 500,
        "Plan Width": 16,
        "Hash Cond": "(o.customer_id = c.id)",
        "Plans": [
            {
                "Node Type": "Seq Scan",
                "Relation Name": "orders",
                "Alias": "o",
                "Startup Cost": 0.0,
                "Total Cost": 700.0,
                "Plan Rows": 500,
                "Plan Width": 8,
            },
            {
                "Node Type": "Hash",
                "Startup Cost": 50.0,
                "Total Cost": 50.0,
                "Plan Rows": 100,
                "Plan Width": 8,
                "Plans": [
                    {
                        "Node Type": "Seq Scan",
                        "Relation Name": "customers",
                        "Alias": "c",
                        "Startup Cost": 0.0,
                        "Total Cost": 50.0,
                        "Plan Rows": 100,
                        "Plan Width": 8,
                    }
                ],
            },
        ],
    },
    # pgwatch's own planning settings are not the application's: never shown.
    "Settings": {"jit": "off", "plan_cache_mode": "force_generic_plan", "work_mem": "64MB"},
}


def test_bar_is_always_its_width() -> None:
    assert bar(0.0) == "░" * 8
    assert bar(0.5) == "████░░░░"
    assert bar(1.7) == "█" * 8
    assert len(bar(0.33, 30)) == 30


def test_estimated_node_line_shows_its_cost_share_and_rows() -> None:
    plan = parse_plan(ESTIMATED)
    scan = plan.root.children[0]
    line = node_line(scan, plan)
    assert line.startswith("██████░░ 70% Seq Scan on orders o")
    assert "cost 700" in line
    assert "rows 500" in line
    assert node_tone(scan, plan) is Tone.ALERT
    assert node_tone(plan.root.children[1], plan) is Tone.NORMAL  # the Hash itself costs 0
    assert len(node_line(scan, plan, 30)) == 30


def test_analyzed_node_line_shows_time_rows_and_misestimate() -> None:
    plan = parse_plan(ANALYZED)
    scan = plan.root.children[0].children[0]
    line = node_line(scan, plan, 120)
    assert "45.0 ms" in line
    assert "rows 40 → 40" in line
    assert "off" not in line
    sort = plan.root.children[0]
    assert "rows 40 → 20 (2x off)" in node_line(sort, plan, 120)


def test_detail_lines_list_conditions_removed_rows_and_buffers() -> None:
    plan = parse_plan(ANALYZED)
    scan = plan.root.children[0].children[0]
    assert detail_lines(scan) == [
        "Filter: (customer_id = 42)",
        "Rows removed by filter: 400.0k",
        "Buffers: shared hit 100, read 4000",
    ]
    assert detail_lines(plan.root.children[0]) == ["Sort Key: created_at DESC"]


def test_shown_plans_put_the_generic_plan_first_with_values_on_custom_tabs() -> None:
    generic = parse_plan(ESTIMATED)
    custom = CustomPlan(label="rare value (0.5% of rows)", values=["failed", None], plan=generic)
    outcome = ExplainOutcome(
        query="SELECT …",
        method="m",
        generic=generic,
        parameter_types=["text", "int"],
        custom=[custom],
    )
    shown = shown_plans(outcome)
    assert [s.title for s in shown] == ["generic plan", "rare value"]
    assert shown[0].caption == "total cost 1000 · settings work_mem=64MB"
    assert shown[1].caption.startswith("rare value (0.5% of rows) · values failed, NULL · ")
    plain = ExplainOutcome(query="SELECT 1", method="EXPLAIN", generic=generic)
    assert [s.title for s in shown_plans(plain)] == ["plan"]
    assert shown_plans(ExplainOutcome(query="x", error="no plan")) == []
