"""Empty, degraded and hostile states: each renders with a reason, and literally."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.terminal import screen_text
from tests.ui import variants
from tests.ui.conftest import keys_then_settle, make_app, settle

STATES: dict[str, tuple[Callable[[], Any], tuple[str, ...]]] = {
    "empty_activity": (variants.empty_server, ("2",)),
    "empty_locks": (variants.empty_server, ("4",)),
    "missing_extension": (variants.missing_extension, ("3",)),
    "privilege_denied": (variants.privilege_denied, ("2", "I")),
    "privilege_denied_capabilities": (variants.privilege_denied, ("w",)),
    "hostile_activity": (variants.hostile, ("2", "I")),
    "hostile_statements": (variants.hostile, ("3",)),
    "hostile_locks": (variants.hostile, ("4",)),
    "hostile_session": (variants.hostile, ("4", "enter")),
    "replication_primary": (variants.replicating, ("7",)),
    "replication_standby": (lambda: variants.replicating("standby"), ("7",)),
    "replication_slot_detail": (variants.replicating, ("7", "enter")),
}


@pytest.mark.parametrize("state", STATES)
def test_state(snap_compare: Callable[..., bool], state: str) -> None:
    build, keys = STATES[state]
    assert snap_compare(make_app(build()), run_before=keys_then_settle(*keys))


def test_no_color(snap_compare: Callable[..., bool], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(), run_before=keys_then_settle("2", "I"))


@pytest.mark.parametrize("keys", [("2", "I"), ("3",), ("4",), ("4", "enter")])
async def test_hostile_text_is_shown_literally_and_never_reaches_the_terminal(
    keys: tuple[str, ...],
) -> None:
    app = make_app(variants.hostile())
    async with app.run_test(size=(220, 50)) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)
        shown = screen_text(app.export_screenshot())
    for control in ("\x1b", "\x07", "\x9b", "\u202e", "\u202c"):
        assert control not in shown
    assert "\u241b" in shown  # an escape character is shown as a visible symbol instead
    if keys != ("4", "enter"):
        assert "[bold]" in shown or "[link=" in shown or "[/]" in shown  # markup not parsed
