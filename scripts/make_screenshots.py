"""Regenerate screenshots/ from the recorded fixtures (never edit those files by hand).

./dev shots            # or: .venv/bin/python scripts/make_screenshots.py
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from pgwatch_tui.core.record.replay import ReplaySource, load_snapshots, spread
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.ui.app import PgWatchApp
from tests.replay_actions import (
    DiagnosisRecording,
    ReplayActions,
    ReplayDiagnosis,
    showing_build_progress,
)
from tests.ui.variants import replicating

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
OUT = ROOT / "screenshots"
SIZE = (120, 34)
SLOW_LOOKUP = ("3", "slash", *"WHERE", "space", *"customer_id", "enter")
BUILDING = "reindex-progress"  # the one shot whose last snapshot shows a build in progress
# Shown over the replication fixture, recorded from the demo's primary and its standby.
REPLICATION_SIDES = {"7-replication": "primary", "replication-standby": "standby"}
SHOTS: dict[str, tuple[str, ...]] = {
    "1-overview": ("1",),
    "2-activity": ("2", "I"),
    "3-statements": ("3",),
    "4-locks": ("4",),
    "5-bloat": ("5",),
    "6-indexes": ("6",),
    "7-replication": ("7",),
    "replication-standby": ("7",),
    "session-detail": ("4", "enter"),
    "statement-detail": ("3", "enter"),
    "capabilities": ("w",),
    "help": ("question_mark",),
    "plan": (*SLOW_LOOKUP, "e"),
    "advice": (*SLOW_LOOKUP, "i"),
    "confirm-reindex": ("5", "down", "R"),
    BUILDING: ("5", "down", "R", "enter"),
}


async def render(name: str) -> str:
    keys = SHOTS[name]
    recording = DiagnosisRecording.load(FIXTURES / "demo_diagnosis.json")
    snapshots = spread(load_snapshots(FIXTURES / "demo_snapshots.jsonl"), 60.0)
    if name == BUILDING:
        snapshots = showing_build_progress(snapshots, recording)
    if name in REPLICATION_SIDES:
        snapshots = replicating(REPLICATION_SIDES[name])
    app = PgWatchApp(
        ReplaySource(snapshots),
        Settings(),
        diagnosis=ReplayDiagnosis(recording),
        actions=ReplayActions(recording),
    )
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        last = snapshots[-1].taken_at
        while app.snapshot is None or app.snapshot.taken_at != last:
            await pilot.pause(0.01)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()
        # Plans and advice arrive from workers: wait for those (not for the running build).
        for _ in range(300):
            if not any(w.is_running for w in app.workers if w.group in ("plan", "advice")):
                break
            await pilot.pause(0.01)
        # Then until nothing is pending and two renders agree: a tab underline is placed
        # after the layout that a worker's result caused, later on a busy machine.
        shot = None
        for _ in range(300):
            await pilot.pause(0.01)
            screen = app.screen
            if screen._callbacks or screen._dirty_widgets or screen._layout_required:
                continue
            previous, shot = shot, app.export_screenshot(title="pgwatch")
            if shot == previous:
                break
        return shot


def render_all() -> dict[str, str]:
    return {name: asyncio.run(render(name)) for name in SHOTS}


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for name, svg in render_all().items():
        (OUT / f"{name}.svg").write_text(svg, encoding="utf-8")
        sys.stdout.write(f"wrote screenshots/{name}.svg\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
