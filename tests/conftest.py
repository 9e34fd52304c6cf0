"""Shared fixtures: every test runs isolated from the developer's own config and PG* env."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

_ISOLATED_PREFIXES = ("PG", "PGWATCH_")
_KEEP = {"PGWATCH_PG_MAJOR"}


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No ~/.config/pgwatch, no PGHOST/PGPASSWORD/... leaking in from the machine."""
    for name in list(os.environ):
        if name.startswith(_ISOLATED_PREFIXES) and name not in _KEEP:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    monkeypatch.setenv("PGSERVICEFILE", str(tmp_path / "no-pg-service.conf"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return
