"""Server and extension versions as tuples that compare the way releases do."""

from __future__ import annotations

import re

Version = tuple[int, int]


def parse_version(text: str | None) -> Version | None:
    """'1.10' -> (1, 10); None or junk -> None."""
    if not text:
        return None
    match = re.match(r"^(\d+)(?:\.(\d+))?", text.strip())
    if not match:
        return None
    return int(match.group(1)), int(match.group(2) or 0)
