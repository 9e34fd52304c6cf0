"""What pgwatch writes to the terminal: only changed spans, same-style neighbours joined, and
one repaint of a pane per switch."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, Compositor, LayoutUpdate
from textual.geometry import Region
from textual.strip import Strip

from pgwatch_tui.ui import terminal_updates
from tests.ui.conftest import make_app, settle

RED, BLUE = Style(color="red"), Style(color="blue")


def _written(update: ChopsUpdate | LayoutUpdate) -> str:
    terminal_updates.install()
    console = Console(force_terminal=True, color_system="truecolor", width=80)
    return update.render_segments(console)


def test_a_partial_update_starts_at_the_segment_reaching_into_the_span() -> None:
    row = Strip([Segment("0123456789", RED), Segment("abcde", BLUE), Segment("vwxyz", RED)])
    # The span covers "cd" inside the second segment: the write starts where that segment does.
    update = ChopsUpdate([{0: row}], [(0, 12, 14)], [[20]])
    written = _written(update)
    assert written.startswith("\x1b[1;11H")  # row 1, column 11: where "abcde" begins
    assert "0123" not in written
    assert "abcd" in written
    assert "vwxyz" not in written  # cropped on the right as Textual always did


def test_wide_characters_are_never_split_by_the_left_crop() -> None:
    row = Strip([Segment("ab", RED), Segment("日本語", BLUE)])
    update = ChopsUpdate([{0: row}], [(0, 5, 6)], [[8]])  # column 5 is inside 本
    written = _written(update)
    assert written.startswith("\x1b[1;3H")
    assert "日本" in written


def test_neighbouring_segments_in_one_style_are_written_as_one() -> None:
    cells = [Segment(f" {n:>4} ", RED) for n in range(10)] + [Segment(" tail ", BLUE)]
    update = LayoutUpdate([[Strip(cells)]], Region(0, 0, 66, 1))
    written = _written(update)
    assert written.count("\x1b[31m") == 1  # one red run, not ten
    assert re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", written) == "".join(s.text for s in cells)


@pytest.fixture
def painted_rows(monkeypatch: pytest.MonkeyPatch) -> Counter[int]:
    """How often each screen row is repainted, whatever the kind of update."""
    rows: Counter[int] = Counter()
    partial, full = Compositor.render_partial_update, Compositor.render_full_update

    def count_partial(self: Compositor) -> ChopsUpdate | None:
        update = partial(self)
        if update is not None:
            rows.update({y for y, _, _ in update.spans})
        return update

    def count_full(self: Compositor, simplify: bool = False) -> LayoutUpdate:
        rows.update(range(self.size.height))
        return full(self, simplify)

    monkeypatch.setattr(Compositor, "render_partial_update", count_partial)
    monkeypatch.setattr(Compositor, "render_full_update", count_full)
    return rows


@pytest.mark.parametrize("pane", ["3", "4"])
async def test_coming_back_to_a_pane_paints_it_once(pane: str, painted_rows: Counter[int]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press(pane, "1")
        await pilot.pause(0.3)
        painted_rows.clear()
        await pilot.press(pane)
        await pilot.pause(0.3)
        body = range(5, 28)
        assert [painted_rows[y] for y in body] == [1] * len(body)
