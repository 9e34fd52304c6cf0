"""What pgwatch writes to the terminal: only the cells that changed, same-style neighbours
joined, one repaint of a pane per switch; and what a terminal shows from it is the screen."""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pyte
import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, Compositor, LayoutUpdate  # to count repaints
from textual.geometry import Region
from textual.strip import Strip

from pgwatch_tui.ui import terminal_updates
from pgwatch_tui.ui.adapters import textual_internals
from pgwatch_tui.ui.adapters.textual_internals import changed_strips
from pgwatch_tui.ui.screen_cells import screen_cells
from tests.ui.conftest import make_app, settle

RED, BLUE = Style(color="red"), Style(color="blue")
ESCAPES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _console() -> Console:
    return Console(force_terminal=True, color_system="truecolor", width=80)


@dataclass(frozen=True)
class _Partial:
    chops: list[dict[int, Strip | None]]
    spans: list[tuple[int, int, int]]
    chop_ends: list[list[int]]


@dataclass(frozen=True)
class _Full:
    strips: list[list[Strip]]
    region: Region


def _written(update: _Partial | _Full, console: Console | None = None) -> str:
    """What pgwatch's writer sends for an update shaped as Textual's compositor gives it."""
    console = console or _console()
    if isinstance(update, _Full):
        return terminal_updates.write_layout(console, update.region, update.strips)
    changed = changed_strips(update.chops, update.spans, update.chop_ends)
    return terminal_updates.write_chops(console, changed)


def _full(lines: list[Strip], width: int) -> _Full:
    return _Full([[line] for line in lines], Region(0, 0, width, len(lines)))


def test_a_partial_update_writes_the_cells_of_its_span() -> None:
    row = Strip([Segment("0123456789", RED), Segment("abcde", BLUE), Segment("vwxyz", RED)])
    # The span covers "cd", inside the second segment.
    written = _written(_Partial([{0: row}], [(0, 12, 14)], [[20]]))
    assert written.startswith("\x1b[1;13H")  # row 1, column 13: where "c" is
    assert ESCAPES.sub("", written) == "cd"


def test_wide_characters_are_never_split() -> None:
    row = Strip([Segment("ab", RED), Segment("日本語", BLUE)])
    written = _written(_Partial([{0: row}], [(0, 5, 6)], [[8]]))  # column 5 is inside 本
    assert written.startswith("\x1b[1;5H")
    assert ESCAPES.sub("", written) == "本"


def test_neighbouring_segments_in_one_style_are_written_as_one() -> None:
    cells = [Segment(f" {n:>4} ", RED) for n in range(10)] + [Segment(" tail ", BLUE)]
    written = _written(_full([Strip(cells)], 66))
    assert written.count("\x1b[31m") == 1  # one red run, not ten
    assert ESCAPES.sub("", written) == "".join(s.text for s in cells)


def test_an_update_that_repeats_the_screen_writes_nothing() -> None:
    console = _console()
    lines = [Strip([Segment("header", RED), Segment(" " * 14, BLUE)]), Strip([Segment("x" * 20)])]
    assert _written(_full(lines, 20), console)
    assert _written(_full(lines, 20), console) == ""
    assert _written(_Partial([{0: lines[0]}, {}], [(0, 0, 20)], [[20], []]), console) == ""


def test_only_the_cells_that_differ_are_written() -> None:
    console = _console()
    _written(_full([Strip([Segment("hello world, all fine")])], 21), console)
    written = _written(_full([Strip([Segment("hello there, all fine")])], 21), console)
    assert written.startswith("\x1b[1;7H")
    assert ESCAPES.sub("", written) == "there"


def test_a_style_change_alone_is_written() -> None:
    console = _console()
    _written(_full([Strip([Segment("status: ok")])], 10), console)
    written = _written(_full([Strip([Segment("status: ", None), Segment("ok", RED)])], 10), console)
    assert ESCAPES.sub("", written) == "ok"
    assert "\x1b[31m" in written


def test_changes_a_few_cells_apart_are_written_as_one_run() -> None:
    console = _console()
    _written(_full([Strip([Segment("a-b-c-d-e-f-g-h-i-j")])], 19), console)
    written = _written(_full([Strip([Segment("A-b-C-d-e-f-g-h-i-J")])], 19), console)
    runs = ESCAPES.split(written)
    assert [run for run in runs if run] == ["A-b-C", "J"]  # "J" is too far off to join


def test_a_new_size_or_a_forgotten_screen_writes_every_cell_again() -> None:
    console = _console()
    line = Strip([Segment("same text")])
    _written(_full([line], 9), console)
    assert ESCAPES.sub("", _written(_full([line, line], 9), console)) == "same text" * 2
    terminal_updates.forget_screen(console)
    assert ESCAPES.sub("", _written(_full([line, line], 9), console)) == "same text" * 2


GREEN_BACK = Style(bgcolor="green")
PALETTE = [
    None,
    RED,
    BLUE,
    GREEN_BACK,
    Style(bold=True),
    RED + GREEN_BACK,
    BLUE + GREEN_BACK,
    Style(bold=True, italic=True, color="red"),
    Style(dim=True, bgcolor="green"),
    Style(underline=True, bgcolor="green"),
    Style(strike=True),
    Style(reverse=True, color="yellow"),
    Style(color="#ff8800", bgcolor="#102030"),
    Style(color="red", meta={"@click": "app.bell"}),  # looks like RED, is not equal to it
]
WORDS = ["a", "bc", "def ", "    ", "x", "日", "本語", "—", "é", ":", "1234", " " * 14]


def _random_cells(rng: random.Random, width: int) -> list[Segment]:
    """Segments exactly `width` cells wide, wide characters included."""
    segments: list[Segment] = []
    used = 0
    while used < width:
        word = rng.choice(WORDS)
        if used + Segment(word).cell_length > width:
            word = " " * (width - used)
        segments.append(Segment(word, rng.choice(PALETTE)))
        used += Segment(word).cell_length
    return segments


class _Widget:
    """A column of the fake screen: its lines, each a list of segments of its width."""

    def __init__(self, rng: random.Random, x: int, width: int, height: int) -> None:
        self.x, self.width = x, width
        self.lines = [_random_cells(rng, width) for _ in range(height)]

    def change(self, rng: random.Random, y: int) -> tuple[int, int]:
        """Replace some segments of line y by others as wide; the columns changed."""
        line = self.lines[y]
        first = rng.randrange(len(line))
        last = rng.randrange(first, len(line))
        start = self.x + sum(s.cell_length for s in line[:first])
        width = sum(s.cell_length for s in line[first : last + 1])
        line[first : last + 1] = _random_cells(rng, width)
        return start, start + width


def _shown(widgets: list[_Widget], height: int) -> str:
    return "\n".join(
        "".join(re.sub(r"\u0301", "", s.text) for w in widgets for s in w.lines[y])
        for y in range(height)
    )


class _Terminal:
    """pyte, an emulator written apart from pgwatch, fed what the writer sends. (pyte keeps
    no dim attribute: the other attributes and the colours are compared.)"""

    def __init__(self, width: int, height: int) -> None:
        self.screen = pyte.Screen(width, height)
        self._stream = pyte.ByteStream(self.screen)

    def feed(self, data: bytes) -> None:
        self._stream.feed(data)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def appearance(self) -> list[list[tuple[Any, ...]]]:
        """Each cell as a viewer sees it: a blank that shows no line or inversion is its
        background alone, whatever foreground or weight it was written with."""
        rows = []
        for y in range(self.screen.lines):
            line = self.screen.buffer[y]
            cells: list[tuple[Any, ...]] = []
            for x in range(self.screen.columns):
                c = line[x]
                if c.data == " " and not (c.underscore or c.reverse or c.strikethrough):
                    cells.append((" ", c.bg))
                else:
                    cells.append((c.data, c.fg, c.bg, c.bold, c.italics, c.underscore))
                    cells[-1] += (c.strikethrough, c.reverse, c.blink)
            rows.append(cells)
        return rows

    @property
    def at_default_rendition(self) -> bool:
        return self.screen.cursor.attrs._replace(data=" ") == self.screen.default_char


def _as_textual_draws_it(widgets: list[_Widget], width: int, height: int) -> _Terminal:
    """The screen after Textual's own way of writing it: every segment in full, from a reset."""
    reference = _Terminal(width, height)
    for y in range(height):
        line = "".join(Strip(w.lines[y]).render(Console()) for w in widgets)
        reference.feed(f"\x1b[{y + 1};1H{line}".encode())
    return reference


@pytest.mark.parametrize("erases", [False, True], ids=["spaces", "erase"])
@pytest.mark.parametrize("seed", range(8))
def test_a_terminal_fed_every_update_shows_the_screen(seed: int, erases: bool) -> None:
    """Random full and partial updates of two side-by-side widgets: after each, a terminal
    emulator fed what pgwatch wrote shows exactly the screen Textual composed, each cell in
    the colours and attributes Textual's own output gives it."""
    rng = random.Random(seed)
    width, height = 40, 6
    console = _console()
    screen_cells(console).pen.erases = erases  # as on a terminal with bce, or without
    widgets = [_Widget(rng, 0, 15, height), _Widget(rng, 15, width - 15, height)]
    terminal = _Terminal(width, height)
    for step in range(60):
        if step == 0 or rng.random() < 0.2:
            for widget in widgets:
                for y in rng.sample(range(height), 2):
                    widget.change(rng, y)
            strips = [[Strip(w.lines[y]) for w in widgets] for y in range(height)]
            update: _Partial | _Full = _Full(strips, Region(0, 0, width, height))
        else:
            spans = []
            for y in sorted(rng.sample(range(height), rng.randint(1, 3))):
                x1, x2 = rng.choice(widgets).change(rng, y)
                spans.append((y, x1, x2))
            chops = [{w.x: Strip(w.lines[y]) for w in widgets} for y in range(height)]
            ends = [[15, width] for _ in range(height)]
            update = _Partial(chops, spans, ends)
        terminal.feed(_written(update, console).encode())
        assert terminal.text() == _shown(widgets, height), f"step {step}"
        reference = _as_textual_draws_it(widgets, width, height)
        assert terminal.appearance() == reference.appearance(), f"step {step}"
        assert terminal.at_default_rendition  # every update leaves the terminal at its default


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
        # Textual's own way (the adapter off) paints what the pane queued while hidden too.
        painted = [painted_rows[y] for y in body]
        if textual_internals.status().active:
            assert painted == [1] * len(body)
        else:
            assert min(painted) >= 1


@pytest.mark.parametrize("event", ["ctrl+l", "resize", "resume"])
async def test_the_screen_is_forgotten_when_the_terminal_may_differ(event: str) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        cells = screen_cells(app.console)
        probe = Strip([Segment("#")])
        cells.write(probe, 0, 0, 0, 1, app.console)
        assert cells.write(probe, 0, 0, 0, 1, app.console) == ""  # known: nothing to write
        if event == "ctrl+l":
            await pilot.press("ctrl+l")
        elif event == "resize":
            await pilot.resize_terminal(90, 30)
        else:
            app.app_resume_signal.publish(app)
        await pilot.pause()
        assert cells.write(probe, 0, 0, 0, 1, app.console) != ""


async def test_ctrl_l_repaints_every_row(painted_rows: Counter[int]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        painted_rows.clear()
        await pilot.press("ctrl+l")
        await pilot.pause(0.2)
        assert set(painted_rows) == set(range(30))
