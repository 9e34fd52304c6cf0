"""The audit log: one JSON line per action, appended, never rewritten.

Default place: $XDG_STATE_HOME/pgwatch/actions.log (~/.local/state/pgwatch/actions.log).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import ValidationError

from pgwatch_tui.core.act.models import AuditEntry


def default_audit_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    base = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "pgwatch" / "actions.log"


class AuditLog:
    """Appends entries; reads them back (newest last), skipping lines it cannot parse."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, entry: AuditEntry) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(entry.model_dump_json() + "\n")

    def entries(self, limit: int = 200) -> list[AuditEntry]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        entries = []
        for line in lines[-limit:]:
            try:
                entries.append(AuditEntry.model_validate_json(line))
            except ValidationError:
                continue
        return entries
