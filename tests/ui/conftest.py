"""UI test fixtures: the app fed by snapshots, plans, advice and action outcomes recorded
from the real demo cluster (scripts/record_fixtures.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.record.replay import ReplaySource, load_snapshots, spread
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.ui.app import PgWatchApp
from tests.replay_actions import (
    DiagnosisRecording,
    ReplayActions,
    ReplayDiagnosis,
    showing_build_progress,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RECORDED = load_snapshots(FIXTURES / "demo_snapshots.jsonl")
RECORDING = DiagnosisRecording.load(FIXTURES / "demo_diagnosis.json")
HISTORY_SPACING_S = 60.0  # recorded a second apart; shown as minutes so charts have a shape


def demo_snapshots() -> list[Snapshot]:
    return spread(RECORDED, HISTORY_SPACING_S)


def with_build_progress(snapshots: list[Snapshot]) -> list[Snapshot]:
    return showing_build_progress(snapshots, RECORDING)


def make_app(
    snapshots: list[Snapshot] | None = None,
    actions: ReplayActions | None = None,
    **settings: Any,
) -> PgWatchApp:
    """The app on recorded data; with actions (unless read_only=True) like a normal session."""
    source = ReplaySource(snapshots if snapshots is not None else demo_snapshots())
    app = PgWatchApp(
        source,
        Settings(**settings),
        diagnosis=ReplayDiagnosis(RECORDING),
        actions=actions or ReplayActions(RECORDING),
    )
    app.animation_level = "none"  # tab underlines would otherwise slide for a third of a second
    return app


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until the app has shown the last replayed snapshot."""
    app = pilot.app
    assert isinstance(app, PgWatchApp)
    source = app.source
    assert isinstance(source, ReplaySource)
    last = source.snapshots[-1].taken_at
    for _ in range(300):
        if app.snapshot is not None and app.snapshot.taken_at == last:
            break
        await pilot.pause(0.01)
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


def _screen_has_work(screen: Screen[Any]) -> bool:
    # Textual's own bookkeeping (private): callbacks waiting for the next refresh, such as the
    # one that places a tab underline once the tabs have their size, and pending repaints.
    return bool(
        screen._callbacks
        or screen._dirty_widgets
        or screen._layout_required
        or screen._repaint_required
    )


async def settle_render(pilot: Pilot[Any]) -> None:
    """Wait until the screen has no refresh or after-refresh callback pending and two
    screenshots agree: late refreshes (a worker's result mounted, a tab underline placed after
    layout) are in, however busy the machine is."""
    last = None
    for _ in range(300):
        await pilot.pause(0.01)
        if _screen_has_work(pilot.app.screen):
            continue
        shot = pilot.app.export_screenshot()
        if shot == last:
            return
        last = shot


def keys_then_settle(*keys: str) -> Callable[[Pilot[Any]], Any]:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)
        await settle_render(pilot)

    return run


@pytest.fixture
def app_factory() -> Callable[..., PgWatchApp]:
    return make_app
