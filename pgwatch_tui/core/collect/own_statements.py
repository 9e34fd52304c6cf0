"""Telling pgwatch's own statements from the applications' in pg_stat_statements."""

from __future__ import annotations

import re

from pgwatch_tui.core.model.rows import StatementStats

OWN_PROBE_PREFIX = "-- Probe: "  # every pgwatch monitoring query starts with its header
OWN_SAVEPOINT = re.compile(r'^(SAVEPOINT|RELEASE|ROLLBACK TO) "_pg3_\d+"$')  # psycopg's names


def is_own(statement: StatementStats) -> bool:
    """pgwatch's probes and the per-probe savepoints around them."""
    text = statement.query
    return text is not None and (
        text.startswith(OWN_PROBE_PREFIX) or OWN_SAVEPOINT.match(text) is not None
    )
