"""Plan parsing and the figures derived from it."""

from __future__ import annotations

import pytest

from pgwatch_tui.core.diagnose.plan import CustomPlan, ExplainOutcome, parse_plan, share, why_slow

ANALYZED = [
    {
        "Plan": {
            "Node Type": "Limit",
            "Startup Cost": 0.0,
            "Total Cost": 1000.0,
            "Plan Rows": 20,
            "Plan Width": 40,
            "Actual Total Time": 50.0,
            "Actual Rows": 20,
            "Actual Loops": 1,
            "Plans": [
                {
                    "Node Type": "Sort",
                    "Parent Relationship": "Outer",
                    "Startup Cost": 900.0,
                    "Total Cost": 990.0,
                    "Plan Rows": 40,
                    "Plan Width": 40,
                    "Sort Key": ["created_at DESC"],
                    "Actual Total Time": 49.0,
                    "Actual Rows": 20,
                    "Actual Loops": 1,
                    "Plans": [
                        {
                            "Node Type": "Seq Scan",
                            "Relation Name": "orders",
                            "Schema": "public",
                            "Alias": "o",
                            "Startup Cost": 0.0,
                            "Total Cost": 800.0,
                            "Plan Rows": 40,
                            "Plan Width": 40,
                            "Filter": "(customer_id = 42)",
                            "Rows Removed by Filter": 399960,
                            "Actual Total Time": 45.0,
                            "Actual Rows": 40,
                            "Actual Loops": 1,
                            "Shared Hit Blocks": 100,
                            "Shared Read Blocks": 4000,
                        }
                    ],
                }
            ],
        },
        "Planning Time": 0.2,
        "Execution Time": 50.1,
        "Settings": {"work_mem": "64MB"},
    }
]


def test_parse_builds_the_tree() -> None:
    plan = parse_plan(ANALYZED)
    assert plan.analyzed
    assert plan.execution_ms == 50.1
    assert plan.settings == {"work_mem": "64MB"}
    scan = plan.root.children[0].children[0]
    assert scan.title == "Seq Scan on public.orders o"
    assert scan.conditions == {"Filter": "(customer_id = 42)"}
    assert scan.shared_read_blocks == 4000
    assert [n.node_type for n in plan.nodes()] == ["Limit", "Sort", "Seq Scan"]


def test_exclusive_cost_and_time() -> None:
    plan = parse_plan(ANALYZED)
    limit, sort, scan = plan.nodes()
    assert limit.exclusive_cost == 10.0
    assert sort.exclusive_cost == 190.0
    assert scan.exclusive_cost == 800.0
    assert scan.exclusive_ms == 45.0
    assert sort.exclusive_ms == pytest.approx(4.0)
    assert share(scan, plan) == pytest.approx(0.9)


def test_why_slow_names_the_costliest_nodes_first() -> None:
    lines = why_slow(parse_plan(ANALYZED))
    assert lines[0].startswith("90% of time: Seq Scan on public.orders o")
    assert "filter keeps 40 of 400000 rows" in lines[0]


def test_misestimate_factor() -> None:
    raw = {
        "Plan": {
            "Node Type": "Seq Scan",
            "Startup Cost": 0,
            "Total Cost": 1,
            "Plan Rows": 10,
            "Plan Width": 4,
            "Actual Total Time": 1.0,
            "Actual Rows": 1000,
            "Actual Loops": 1,
        }
    }
    assert parse_plan(raw).root.misestimate == 100


def test_unanalyzed_plan_shares_cost() -> None:
    raw = {
        "Plan": {
            "Node Type": "Seq Scan",
            "Relation Name": "t",
            "Startup Cost": 0,
            "Total Cost": 10,
            "Plan Rows": 10,
            "Plan Width": 4,
        }
    }
    plan = parse_plan(raw)
    assert not plan.analyzed
    assert why_slow(plan) == ["100% of cost: Seq Scan on t"]


def test_rejects_other_documents() -> None:
    with pytest.raises(ValueError, match="not an EXPLAIN"):
        parse_plan([{"QUERY PLAN": "text"}])


def test_plans_differ_compares_shapes() -> None:
    plan = parse_plan(ANALYZED)
    other = parse_plan(
        {
            "Plan": {
                "Node Type": "Index Scan",
                "Index Name": "i",
                "Startup Cost": 0,
                "Total Cost": 1,
                "Plan Rows": 1,
                "Plan Width": 4,
            }
        }
    )
    same = ExplainOutcome(
        query="q", generic=plan, custom=[CustomPlan(label="x", values=["1"], plan=plan)]
    )
    assert not same.plans_differ
    differ = ExplainOutcome(
        query="q", generic=plan, custom=[CustomPlan(label="x", values=["1"], plan=other)]
    )
    assert differ.plans_differ
