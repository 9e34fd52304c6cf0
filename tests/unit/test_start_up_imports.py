"""What the `pgwatch` command loads before its first frame, and with what collector setting."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.unit.test_headless import _modules_after_import


def test_the_first_screen_loads_neither_the_planner_nor_the_advisor() -> None:
    loaded = _modules_after_import("pgwatch_tui.cli, pgwatch_tui.runner, pgwatch_tui.ui.app")
    assert "pgwatch_tui.ui.app" in loaded  # the dashboard itself did load
    deferred = {
        "pgwatch_tui.core.diagnose.explain",
        "pgwatch_tui.core.diagnose.advisor.engine",
        "pgwatch_tui.core.diagnose.advisor.workload",
        "pgwatch_tui.core.diagnose.advisor.create_index",
        "pygments",
    }
    assert not deferred & loaded


def test_the_command_pauses_the_collector_before_the_heavy_imports() -> None:
    code = textwrap.dedent(
        """
        import gc, sys
        import pgwatch_tui.launch as launch
        assert "psycopg" not in sys.modules and "pydantic" not in sys.modules

        class Watch:
            def find_spec(self, name, path=None, target=None):
                if name in ("psycopg", "pydantic"):
                    print(name, "collector on:", gc.isenabled())
                return None

        sys.meta_path.insert(0, Watch())
        code = launch.main(["--version"])
        print("exit", code, "collector on:", gc.isenabled())
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    lines = out.splitlines()
    assert "psycopg collector on: False" in lines
    assert "pydantic collector on: False" in lines
    assert lines[-1] == "exit 0 collector on: True"  # a command that ends turns it back on
