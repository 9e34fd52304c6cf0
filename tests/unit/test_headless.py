"""The core stays headless and the UI stays away from the database driver."""

from __future__ import annotations

import subprocess
import sys


def _modules_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_core_never_imports_textual_or_plotext() -> None:
    loaded = _modules_after_import(
        "pgwatch_tui.core.collect.poller, pgwatch_tui.core.monitor, "
        "pgwatch_tui.core.record.summary, pgwatch_tui.core.record.export, pgwatch_tui.sandbox.demo"
    )
    assert not {m for m in loaded if m.split(".")[0] in {"textual", "plotext", "textual_plotext"}}


def test_cli_does_not_load_the_ui_before_it_is_needed() -> None:
    loaded = _modules_after_import("pgwatch_tui.cli")
    assert not {m for m in loaded if m.split(".")[0] in {"textual", "plotext", "rich"}}


def test_the_dashboard_loads_plotext_only_to_draw_a_chart() -> None:
    # No chart has two points to draw a line through in the first frame.
    loaded = _modules_after_import("pgwatch_tui.ui.app")
    assert "textual" in loaded
    assert not {m for m in loaded if m.split(".")[0] in {"plotext", "textual_plotext"}}
