"""Loads the SQL in queries/ and picks the right file for a server.

File names are `<probe>.<key>.sql`. The key says what the SQL depends on:

* `pg<MAJOR>`: the server's major version. The file with the highest MAJOR not above the
  server's is used; e.g. `tables.pg14.sql` serves 14 and 15, `tables.pg16.sql` serves 16+.
* `pgss<MAJOR>_<MINOR>`: the installed pg_stat_statements extension version, which can lag
  the server after an upgrade (the C library is new, the SQL-level functions are not).

All files of one probe use the same kind of key. Files whose name starts with `do_` change
things and are only ever run by the action runner. Files taking parameters use psycopg's
`%(name)s` placeholders and must write a literal percent sign as `%%`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pgwatch_tui.core.versions import Version

_NAME = re.compile(
    r"^(?P<probe>[a-z][a-z0-9_]*)\.(?P<kind>pg|pgss)(?P<major>\d+)(?:_(?P<minor>\d+))?\.sql$"
)


def default_root() -> Path:
    """queries/ inside an installed wheel, or at the repository root in a checkout."""
    package = Path(__file__).resolve().parents[2]  # pgwatch_tui/
    for candidate in (package / "queries", package.parent / "queries"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("pgwatch cannot find its queries/ directory")


@dataclass(frozen=True)
class QueryFile:
    """One SQL file and the version it starts to apply from."""

    probe: str
    kind: str
    since: Version
    path: Path

    @property
    def sql(self) -> str:
        return _read(self.path)

    @property
    def label(self) -> str:
        return self.path.name


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


class QueryBook:
    """Index of queries/ by probe, with version resolution."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or default_root()
        self._files: dict[str, list[QueryFile]] = {}
        for path in sorted(self.root.glob("*.sql")):
            match = _NAME.match(path.name)
            if not match:
                raise ValueError(f"query file name not understood: {path.name}")
            since = (int(match["major"]), int(match["minor"] or 0))
            entry = QueryFile(match["probe"], match["kind"], since, path)
            self._files.setdefault(entry.probe, []).append(entry)
        for probe, files in self._files.items():
            kinds = {f.kind for f in files}
            if len(kinds) != 1:
                raise ValueError(f"probe {probe} mixes version keys {sorted(kinds)}")
            files.sort(key=lambda f: f.since)

    def probes(self) -> list[str]:
        return sorted(self._files)

    def files(self, probe: str) -> list[QueryFile]:
        return list(self._files.get(probe, []))

    def resolve(
        self, probe: str, *, server_major: int, pgss_version: Version | None = None
    ) -> QueryFile | None:
        """The file serving this server, or None when no version of the probe applies."""
        files = self._files.get(probe)
        if not files:
            raise KeyError(f"no SQL for probe {probe!r} in {self.root}")
        if files[0].kind == "pgss":
            if pgss_version is None:
                return None
            have = pgss_version
        else:
            have = (server_major, 0)
        chosen = None
        for entry in files:
            if entry.since <= have:
                chosen = entry
        return chosen
