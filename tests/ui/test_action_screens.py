"""What the plan, advice, confirmation and progress screens look like, on the plans, advice
and action outcomes recorded from the demo cluster."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.ui.conftest import demo_snapshots, keys_then_settle, make_app, with_build_progress

SIZES = {"80x24": (80, 24), "160x50": (160, 50)}


def typed(text: str) -> tuple[str, ...]:
    return tuple("space" if c == " " else c for c in text)


# The slow lookup that wants an index on orders.customer_id.
SLOW_LOOKUP = ("3", "slash", *typed("WHERE customer_id"), "enter")

SCREENS: dict[str, tuple[tuple[str, ...], bool]] = {
    # name: (keys, whether the last snapshot shows an index build in progress)
    "plan": ((*SLOW_LOOKUP, "e"), False),
    "plan_skewed": (("3", "slash", *typed("WHERE status"), "enter", "e"), False),
    "session_plan": (("2", "slash", *typed("customer_id"), "enter", "e"), False),
    "advice": ((*SLOW_LOOKUP, "i"), False),
    "confirm_build": ((*SLOW_LOOKUP, "i", "a"), False),
    "confirm_reindex": (("5", "down", "R"), False),
    "reindex_progress": (("5", "down", "R", "enter"), True),
    "reindex_cancelled": (("5", "down", "R", "enter", "c"), True),
    "confirm_terminate": (("4", "K"), False),
    "measure_question": (("5", "down", "v"), False),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_action_screen(snap_compare: Callable[..., bool], screen: str, size: str) -> None:
    keys, building = SCREENS[screen]
    snapshots = demo_snapshots()
    app = make_app(with_build_progress(snapshots) if building else snapshots)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=keys_then_settle(*keys))
