"""screenshots/ is generated from the fixtures, never edited: it must match a fresh render."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_screenshots", ROOT / "scripts" / "make_screenshots.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()


@pytest.mark.parametrize("name", sorted(SCRIPT.SHOTS))
def test_screenshot_is_current(name: str) -> None:
    import asyncio

    committed = ROOT / "screenshots" / f"{name}.svg"
    assert committed.exists(), "run ./dev shots"
    fresh = asyncio.run(SCRIPT.render(name))
    assert committed.read_text(encoding="utf-8") == fresh, "run ./dev shots"


def test_every_pane_has_a_screenshot_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in SCRIPT.SHOTS:
        assert f"screenshots/{name}.svg" in readme
