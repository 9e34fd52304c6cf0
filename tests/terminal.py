"""Running pgwatch on a real pseudo-terminal, and reading what a screen shows."""

from __future__ import annotations

import contextlib
import html
import re
import sys
from collections.abc import Iterator

from benchmarks.pty_run import Terminal, on_a_terminal

__all__ = ["Terminal", "pgwatch_on_a_terminal", "screen_text"]


@contextlib.contextmanager
def pgwatch_on_a_terminal(
    args: list[str], columns: int = 80, lines: int = 24
) -> Iterator[Terminal]:
    """`python -m pgwatch_tui ARGS` on a fresh pty of the given size; killed afterwards."""
    with on_a_terminal([sys.executable, "-m", "pgwatch_tui", *args], columns, lines) as running:
        yield running


def screen_text(svg: str) -> str:
    """The characters a Textual screenshot shows, joined (SVG text runs, entities decoded,
    the screenshot's non-breaking spaces back to spaces)."""
    return html.unescape("".join(re.findall(r">([^<]*)</text>", svg))).replace("\xa0", " ")
