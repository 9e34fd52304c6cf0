"""The plan tree's own shortcuts past Textual's Tree: labels measured without rendering them,
focus before the first frame, no rebuild on resize, and nodes unlinked when the plan closes."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Tree

from pgwatch_tui.core.diagnose.plan import ExplainOutcome
from pgwatch_tui.ui.screens.plan import PlanScreen, PlanTree
from tests.ui.conftest import RECORDING, make_app, settle
from tests.ui.test_action_keys import until
from tests.ui.test_action_screens import SLOW_LOOKUP


async def open_plan(pilot: Pilot[Any]) -> PlanTree:
    await settle(pilot)
    await pilot.press(*SLOW_LOOKUP, "e")
    app = pilot.app
    await until(pilot, lambda: bool(app.screen.query(PlanTree)), "the plan tree")
    await pilot.pause()
    return app.screen.query(PlanTree).first()


async def test_labels_are_measured_as_textual_measures_them() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        tree = await open_plan(pilot)
        nodes = list(tree._tree_nodes.values())
        assert any(not node.allow_expand for node in nodes)  # detail lines are leaves
        for node in nodes:
            assert tree.get_label_width(node) == Tree.get_label_width(tree, node)
        folded = tree.root.children[0]
        folded.collapse()
        assert tree.get_label_width(folded) == Tree.get_label_width(tree, folded)
        assert tree.process_label(folded.label) is folded.label  # one line already: kept


async def test_the_tree_is_focused_in_every_frame_it_is_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn_focused: list[bool] = []
    render_lines = PlanTree.render_lines

    def recording(self: PlanTree, crop: Region) -> list[Strip]:
        drawn_focused.append(self.has_focus)
        return render_lines(self, crop)

    monkeypatch.setattr(PlanTree, "render_lines", recording)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        tree = await open_plan(pilot)
        assert app.focused is tree
    assert drawn_focused
    assert all(drawn_focused), drawn_focused


async def test_a_resize_repaints_the_plan_without_rebuilding_it() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        tree = await open_plan(pilot)
        first_node = tree.root.children[0]
        built = tree._tree_lines
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert tree._tree_lines is built
        assert tree.size.width <= 90
        assert first_node.label.plain[:20] in tree.render_line(0).text


async def test_closing_the_plan_unlinks_its_nodes() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        tree = await open_plan(pilot)
        node = tree.root.children[0]
        assert node.children
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, PlanScreen), "the dashboard")
        await pilot.pause()
        assert not tree.root.children
        assert not node.children


async def test_the_header_and_the_plan_arrive_in_the_same_frame(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each frame of the plan screen painted after EXPLAIN answered: was the tree there?
    frames: list[bool] = []
    app = make_app()
    display = app._display

    def recording(screen: Any, renderable: Any) -> None:
        if isinstance(screen, PlanScreen) and screen.outcome is not None and renderable:
            frames.append(bool(screen.query(PlanTree)))
        display(screen, renderable)

    monkeypatch.setattr(app, "_display", recording)
    answered = asyncio.Event()
    outcome = next(iter(RECORDING.plans.values()))

    async def explain() -> ExplainOutcome:
        await answered.wait()  # as in use: the screen says "planning…" first
        return outcome

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = PlanScreen("test", explain)
        await app.push_screen(screen)
        await pilot.pause(0.1)
        answered.set()
        await until(pilot, lambda: bool(screen.query(PlanTree)), "the plan tree")
        await pilot.pause(0.1)
    assert frames
    assert all(frames), frames  # never the new header over an empty plan


@pytest.mark.parametrize("height", [14, 60])
async def test_a_long_plan_has_its_scroll_bar_before_its_first_layout(
    monkeypatch: pytest.MonkeyPatch, height: int
) -> None:
    # Found by Textual during the first layout instead, the bar cost a second layout. The
    # recorded plan is six lines: longer than its room 14 rows high, shorter at 60.
    before_layouts: list[bool] = []
    size_updated = PlanTree._size_updated

    def recording(self: PlanTree, *args: Any, **kwargs: Any) -> bool:
        before_layouts.append(self.show_vertical_scrollbar)
        return size_updated(self, *args, **kwargs)

    monkeypatch.setattr(PlanTree, "_size_updated", recording)
    app = make_app()
    async with app.run_test(size=(120, height)) as pilot:
        tree = await open_plan(pilot)
        await pilot.pause(0.1)
        needed = tree.virtual_size.height > tree.scrollable_content_region.height
        assert tree.show_vertical_scrollbar is needed
    assert before_layouts
    assert before_layouts[0] is needed, before_layouts
