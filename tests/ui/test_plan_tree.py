"""The plan tree's own shortcuts past Textual's Tree: labels measured without rendering them,
focus before the first frame, no rebuild on resize, and nodes unlinked when the plan closes."""

from __future__ import annotations

from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Tree

from pgwatch_tui.ui.screens.plan import PlanScreen, PlanTree
from tests.ui.conftest import make_app, settle
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
