"""Regenerate screenshots/ from the recorded fixtures (never edit those files by hand).

./dev shots            # or: .venv/bin/python scripts/make_screenshots.py
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from pgwatch_tui.core.replay import ReplaySource, load_snapshots, spread
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.ui.app import PgWatchApp

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "demo_snapshots.jsonl"
OUT = ROOT / "screenshots"
SIZE = (120, 34)
SHOTS: dict[str, tuple[str, ...]] = {
    "1-overview": ("1",),
    "2-activity": ("2", "I"),
    "3-statements": ("3",),
    "4-locks": ("4",),
    "5-bloat": ("5",),
    "6-indexes": ("6",),
    "session-detail": ("4", "enter"),
    "statement-detail": ("3", "enter"),
    "capabilities": ("w",),
    "help": ("question_mark",),
}


async def render(keys: tuple[str, ...]) -> str:
    snapshots = spread(load_snapshots(FIXTURE), 60.0)
    app = PgWatchApp(ReplaySource(snapshots), Settings())
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        last = snapshots[-1].taken_at
        while app.snapshot is None or app.snapshot.taken_at != last:
            await pilot.pause(0.01)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()
        return app.export_screenshot(title="pgwatch")


def render_all() -> dict[str, str]:
    return {name: asyncio.run(render(keys)) for name, keys in SHOTS.items()}


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for name, svg in render_all().items():
        (OUT / f"{name}.svg").write_text(svg, encoding="utf-8")
        sys.stdout.write(f"wrote screenshots/{name}.svg\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
