"""What every pane and screen looks like, from recorded fixtures, at two sizes and two themes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.ui.conftest import keys_then_settle, make_app

SIZES = {"80x24": (80, 24), "160x50": (160, 50)}
THEMES = {"dark": "textual-dark", "light": "textual-light"}

SCREENS: dict[str, tuple[str, ...]] = {
    "overview": ("1",),
    "activity": ("2",),
    "activity_with_idle": ("2", "I"),
    "statements": ("3",),
    "statements_totals": ("3", "t"),
    "locks": ("4",),
    "bloat": ("5",),
    "indexes": ("6",),
    "session_detail": ("4", "enter"),
    "statement_detail": ("3", "enter"),
    "bloat_detail": ("5", "enter"),
    "index_detail": ("6", "enter"),
    "help": ("question_mark",),
    "capabilities": ("w",),
}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(snap_compare: Callable[..., bool], screen: str, size: str, theme: str) -> None:
    app = make_app(theme=THEMES[theme])
    assert snap_compare(
        app, terminal_size=SIZES[size], run_before=keys_then_settle(*SCREENS[screen])
    )


def test_filtered_activity(snap_compare: Callable[..., Any]) -> None:
    keys = ("2", "I", "slash", "s", "h", "o", "p", "-", "w", "e", "b", "enter")
    assert snap_compare(make_app(), run_before=keys_then_settle(*keys))


def test_sorted_statements_reversed(snap_compare: Callable[..., Any]) -> None:
    assert snap_compare(make_app(), run_before=keys_then_settle("3", "s", "s", "S"))
