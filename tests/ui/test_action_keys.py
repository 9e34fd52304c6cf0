"""Diagnosis and action keys driven through Pilot, on recorded plans, advice and outcomes:
what each key opens, what confirmation leads to, and that read-only mode has none of it."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from pgwatch_tui.core.act.models import ActionKind
from pgwatch_tui.core.diagnose.plan import why_slow
from pgwatch_tui.ui.app import PgWatchApp
from pgwatch_tui.ui.context import WRITE_ACTIONS
from pgwatch_tui.ui.dashboard import MainScreen
from pgwatch_tui.ui.panes.bloat import BloatPane
from pgwatch_tui.ui.screens.advice import AdviceScreen
from pgwatch_tui.ui.screens.audit import AuditScreen
from pgwatch_tui.ui.screens.confirm import AskScreen, ConfirmScreen
from pgwatch_tui.ui.screens.help import HelpScreen
from pgwatch_tui.ui.screens.plan import PlanScreen, PlanTree
from pgwatch_tui.ui.screens.progress import ProgressScreen
from tests.replay_actions import ReplayActions
from tests.ui.conftest import RECORDING, demo_snapshots, make_app, settle, with_build_progress
from tests.ui.test_action_screens import SLOW_LOOKUP


async def until(pilot: Pilot[Any], condition: Any, what: str) -> None:
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never happened: {what}")


def shown_actions(app: PgWatchApp) -> set[str]:
    """The actions the footer offers right now."""
    return {
        active.binding.action.removeprefix("app.")
        for active in app.screen.active_bindings.values()
        if active.enabled and active.binding.show
    }


def ready(app: PgWatchApp, kind: type) -> Any:
    """A condition: the app shows that screen, and it has its result (plan or advice)."""

    def check() -> bool:
        screen = app.screen
        return isinstance(screen, kind) and bool(
            getattr(screen, "outcome", None) or getattr(screen, "advice", None)
        )

    return check


async def test_e_plans_the_statement_and_a_runs_explain_analyze() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*SLOW_LOOKUP, "e")
        await until(
            pilot, lambda: isinstance(app.screen, PlanScreen) and app.screen.outcome, "plan"
        )
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        assert screen.outcome is not None
        assert screen.outcome.generic is not None
        assert "Seq Scan on public.orders" in why_slow(screen.outcome.generic)[0]
        assert [c.label for c in screen.outcome.custom] == ["typical values"]
        await pilot.press("A")
        await until(
            pilot, lambda: isinstance(app.screen, AskScreen), "the EXPLAIN ANALYZE question"
        )
        await pilot.press("enter")
        await until(pilot, lambda: len(screen.outcome.custom) == 2, "the analyzed plan")  # type: ignore[union-attr]
        analyzed = screen.outcome.custom[-1]
        assert analyzed.label == "analyzed"
        assert analyzed.plan.analyzed
        tabs = screen.query_one(TabbedContent)
        assert len(tabs.query(PlanTree)) == 3
        await pilot.pause()
        assert tabs.active == "plan-2"  # the analyzed plan is shown at once
        assert app.focused is not None
        assert app.focused.plan is analyzed.plan  # type: ignore[attr-defined]


async def test_enter_folds_a_plan_node() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*SLOW_LOOKUP, "e")
        await until(pilot, lambda: bool(app.screen.query(PlanTree)), "the plan tree")
        tree = app.screen.query(PlanTree).first()
        await pilot.pause()
        assert tree.root.children[0].is_expanded
        tree.focus()
        await pilot.press("enter")
        assert not tree.root.children[0].is_expanded


async def test_i_advises_y_copies_and_a_builds_after_confirmation() -> None:
    actions = ReplayActions(RECORDING, builds_finish=True)
    app = make_app(actions=actions)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*SLOW_LOOKUP, "i")
        await until(
            pilot, lambda: isinstance(app.screen, AdviceScreen) and app.screen.advice, "advice"
        )
        screen = app.screen
        assert isinstance(screen, AdviceScreen)
        top = screen.selected
        assert top is not None
        assert top.validated
        assert top.shape.keys == ("customer_id",)
        await pilot.press("y")
        assert app.clipboard == top.ddl
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ProgressScreen), "the progress screen")
        progress = app.screen
        assert isinstance(progress, ProgressScreen)
        await until(pilot, lambda: progress.outcome is not None, "the build's end")
        assert [r.kind for r in actions.requests] == [ActionKind.CREATE_INDEX]
        assert actions.requests[0].sql == top.ddl
        await pilot.press("escape")
        assert isinstance(app.screen, AdviceScreen)


async def test_escape_on_a_confirmation_runs_nothing() -> None:
    actions = ReplayActions(RECORDING)
    app = make_app(actions=actions)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("4", "K")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert actions.requests == []


async def test_terminating_the_root_blocker_from_the_lock_tree() -> None:
    actions = ReplayActions(RECORDING)
    app = make_app(actions=actions)
    root = demo_snapshots()[-1].lock_waits[0].blocking_pids[0]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("4", "K")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        screen = app.screen
        assert isinstance(screen, ConfirmScreen)
        assert screen.request.sql == f"SELECT pg_terminate_backend({root});"
        assert ("root blocker", "2 sessions waiting behind it") in screen.about
        await pilot.press("enter")
        await until(pilot, lambda: bool(actions.requests), "the terminate")
        assert actions.requests[0].pid == root
        assert isinstance(app.screen, MainScreen)


async def test_a_running_build_cannot_be_left_and_its_leftover_is_dropped() -> None:
    actions = ReplayActions(RECORDING)
    app = make_app(with_build_progress(demo_snapshots()), actions=actions)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5", "down", "R")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ProgressScreen), "the progress screen")
        screen = app.screen
        assert isinstance(screen, ProgressScreen)
        await until(pilot, lambda: screen.build is not None, "the build's progress")
        assert screen.build is not None
        assert screen.build.phase == "waiting for old snapshots"
        assert "back" not in shown_actions(app)
        await pilot.press("escape", "1", "q")  # none of them may abandon the build
        await pilot.pause()
        assert app.screen is screen
        assert app.is_running
        await pilot.press("c")
        await until(pilot, lambda: screen.outcome is not None, "the cancel")
        assert screen.outcome is not None
        assert screen.outcome.cancelled
        leftover = screen.outcome.leftovers[0]
        assert leftover.name.endswith("_ccnew")
        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the drop confirmation")
        drop = app.screen
        assert isinstance(drop, ConfirmScreen)
        assert drop.request.sql.startswith("DROP INDEX CONCURRENTLY IF EXISTS")
        assert leftover.name in drop.request.sql
        await pilot.press("enter")
        await until(pilot, lambda: len(actions.requests) == 2, "the drop")
        assert [r.kind for r in actions.requests] == [ActionKind.REINDEX, ActionKind.DROP_INDEX]
        dropping = app.screen
        assert isinstance(dropping, ProgressScreen)
        await until(pilot, lambda: dropping.outcome is not None, "the drop's end")
        await pilot.press("escape")
        assert app.screen is screen
        assert screen.outcome.leftovers == []  # no longer offered: it is gone
        assert screen.outcome.message.endswith(f"leftover {leftover.name} dropped")
        assert "drop_leftover" not in shown_actions(app)


async def test_r_on_a_table_row_explains_instead_of_acting() -> None:
    actions = ReplayActions(RECORDING)
    app = make_app(actions=actions)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        pane = app.screen.query_one(BloatPane)
        row = pane.selected_row
        assert row is not None
        assert row.payload.kind.value == "table"
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert actions.requests == []


async def test_v_measures_and_the_row_says_measured() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5", "down", "v")
        await until(pilot, lambda: isinstance(app.screen, AskScreen), "the question")
        await pilot.press("enter")
        measured = RECORDING.measured[0]
        await until(pilot, lambda: bool(app.context.measured), "the measurement")
        pane = app.screen.query_one(BloatPane)
        rows = pane.build_rows(app.snapshot)  # type: ignore[arg-type]
        row = next(r for r in rows if r.payload.name == measured.name)
        assert row.payload.measured
        assert row.cells["bloat"].text.startswith("=")
        assert "= 1 measurement with pgstattuple" in pane.summary_text(app.snapshot, rows)  # type: ignore[arg-type]


async def test_audit_log_is_in_the_palette() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Audit log" in titles
        app.action_audit()
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen)
        assert len(app.screen.entries) == len(RECORDING.audit)


# ---- read-only: the keys do not exist ----------------------------------------------------

WRITE_KEYS = {"2": ("c", "K"), "4": ("c", "K"), "5": ("R",), "6": ("R", "D")}


@pytest.mark.parametrize("pane", sorted(WRITE_KEYS))
async def test_read_only_panes_have_no_write_keys(pane: str) -> None:
    actions = ReplayActions(RECORDING)
    app = make_app(actions=actions, read_only=True)
    assert app.actions is None
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press(pane)
        await pilot.pause()
        assert not shown_actions(app) & WRITE_ACTIONS
        await pilot.press(*WRITE_KEYS[pane])
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert actions.requests == []


async def test_read_only_still_plans_and_advises_but_cannot_analyze_or_build() -> None:
    actions = ReplayActions(RECORDING)
    app = make_app(actions=actions, read_only=True)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*SLOW_LOOKUP, "e")
        await until(
            pilot, lambda: isinstance(app.screen, PlanScreen) and app.screen.outcome, "plan"
        )
        assert "explain_analyze" not in shown_actions(app)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("escape", "i")
        await until(
            pilot, lambda: isinstance(app.screen, AdviceScreen) and app.screen.advice, "advice"
        )
        assert "apply" not in shown_actions(app)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AdviceScreen)
    assert actions.requests == []


async def test_read_only_help_and_palette_have_no_write_actions() -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = " ".join(d for _, rows in app.screen.sections for _, d in rows)
        for word in ("REINDEX", "DROP", "pg_cancel_backend", "pg_terminate_backend", "ANALYZE"):
            assert word not in described
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Audit log" not in titles
    normal = make_app()
    async with normal.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(normal.screen, HelpScreen)
        described = " ".join(d for _, rows in normal.screen.sections for _, d in rows)
        for word in ("REINDEX", "DROP", "pg_cancel_backend", "pg_terminate_backend", "ANALYZE"):
            assert word in described
