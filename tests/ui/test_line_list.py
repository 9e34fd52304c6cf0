"""Lines of styled spans repaint only what changed, and show exactly their text."""

from __future__ import annotations

from rich.style import Style
from textual.app import App, ComposeResult
from textual.geometry import Region

from pgwatch_tui.ui.widgets.changed_lines import Line, LineList

DIM, PLAIN = Style(dim=True), Style()


def figures(commits: str, rollbacks: str = "0") -> list[Line]:
    return [(("commits/s   ", DIM), (commits, PLAIN)), (("rollbacks/s ", DIM), (rollbacks, PLAIN))]


class LinesApp(App[None]):
    def compose(self) -> ComposeResult:
        yield LineList()


async def test_a_changed_value_repaints_that_value_only() -> None:
    app = LinesApp()
    async with app.run_test(size=(40, 5)) as pilot:
        lines = app.query_one(LineList)
        lines.show(figures("97.5"))
        await pilot.pause()
        assert [strip.text.rstrip() for strip in lines.render_lines(Region(0, 0, 40, 2))] == [
            "commits/s   97.5",
            "rollbacks/s 0",
        ]
        lines._repaint_regions.clear()
        lines.show(figures("98.1"))
        assert set(lines._repaint_regions) == {Region(12, 0, 4, 1)}
        lines._repaint_regions.clear()
        lines.show(figures("98.1"))
        assert not lines._repaint_regions


async def test_a_value_changing_width_repaints_to_the_end_of_its_line() -> None:
    app = LinesApp()
    async with app.run_test(size=(40, 5)) as pilot:
        lines = app.query_one(LineList)
        lines.show(figures("97.5"))
        await pilot.pause()
        lines._repaint_regions.clear()
        lines.show(figures("97.5", "1024"))
        assert set(lines._repaint_regions) == {Region(12, 1, 28, 1)}
        lines.show([*figures("1", "2"), (("deadlocks", DIM),)])
        await pilot.pause()
        assert lines.size.height == 3  # a line more: laid out again
