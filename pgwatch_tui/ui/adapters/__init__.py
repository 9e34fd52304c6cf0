"""The only places pgwatch reaches past a library's public API: one module per library.

Each adapter checks, once, that the installed release still has the internals it relies on,
and otherwise leaves the library's stock behaviour in place; the capabilities screen then
says which one fell back and what that costs. `PGWATCH_ADAPTERS=off` turns them all off, so
the test suite can show that pgwatch looks the same without them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

SWITCH = "PGWATCH_ADAPTERS"


def wanted() -> bool:
    """Whether the adapters may be used at all (read on every call: tests flip it)."""
    return os.environ.get(SWITCH, "on").strip().lower() not in {"off", "0", "no", "false"}


@dataclass(frozen=True)
class AdapterStatus:
    """One adapter's verdict on the installed library."""

    library: str
    version: str
    gives: str  # what pgwatch gains while the adapter works
    problem: str | None = None  # why it fell back, if it did

    @property
    def active(self) -> bool:
        return self.problem is None and wanted()

    def line(self) -> str:
        """One line for the capabilities screen."""
        release = f"{self.library} {self.version}"
        if self.problem is not None:
            return f"{release}: stock behaviour ({self.problem}); not had: {self.gives}"
        if not wanted():
            return f"{release}: stock behaviour ({SWITCH}=off); not had: {self.gives}"
        return f"{release}: {self.gives}"


def fallbacks() -> list[AdapterStatus]:
    """The adapters that found their library changed and left its stock behaviour on."""
    from pgwatch_tui.ui.adapters import plotext_internals, textual_internals

    checked = (textual_internals.status(), plotext_internals.status())
    return [status for status in checked if status.problem is not None]
