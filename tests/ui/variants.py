"""States the dashboard must render well, derived from the recorded demo snapshots."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from pgwatch_tui.core.model.capabilities import CapabilityReport, build_report
from pgwatch_tui.core.model.snapshot import ProbeState, ProbeStatus, Snapshot
from tests import hostile as hostile_corpus
from tests.factories import facts
from tests.ui.conftest import FIXTURES, demo_snapshots

HOSTILE = hostile_corpus.texts()
ESCAPE_SAMPLE = "\x1b]52;c;ZXZpbA==\x07"
MARKUP_SAMPLE = "[bold]locked[/bold] [link=https://evil.example]t[/link]"


def _nth(n: int) -> str:
    return HOSTILE[n % len(HOSTILE)]


def _replace_all(snapshots: list[Snapshot], **changes: object) -> list[Snapshot]:
    return [s.model_copy(update=changes) for s in snapshots]


def empty_server() -> list[Snapshot]:
    """A quiet server: nobody connected, nothing tracked yet."""
    return _replace_all(
        demo_snapshots(),
        sessions=(),
        lock_waits=(),
        statements=(),
        statement_deltas=(),
        session_locks=(),
    )


def missing_extension() -> list[Snapshot]:
    report: CapabilityReport = build_report(
        facts(shared_preload_libraries="", pgss_loaded=False, pgss_version=None, pgss_schema=None)
    )
    off = ProbeStatus(state=ProbeState.OFF, reason=report.item("pg_stat_statements").summary)
    result = []
    for s in demo_snapshots():
        probes = dict(s.probes) | {"statements": off, "statements_info": off}
        result.append(
            s.model_copy(
                update={
                    "capabilities": report,
                    "statements": (),
                    "statement_deltas": (),
                    "probes": probes,
                }
            )
        )
    return result


def privilege_denied() -> list[Snapshot]:
    """A role without pg_monitor: other sessions hide their queries."""
    report = build_report(
        facts(is_superuser=False, has_pg_monitor=False, has_read_all_stats=False, role_name="web")
    )
    result = []
    for s in demo_snapshots():
        hidden = tuple(
            x.model_copy(
                update={
                    "query": "<insufficient privilege>",
                    "state": None,
                    "query_start": None,
                    "xact_start": None,
                    "wait_event": None,
                    "wait_event_type": None,
                    "application": "",
                }
            )
            if x.application != "shop-web"
            else x
            for x in s.sessions
        )
        result.append(s.model_copy(update={"capabilities": report, "sessions": hidden}))
    return result


def hostile() -> list[Snapshot]:
    """Every server-supplied string replaced by something that tries to escape the screen."""
    result = []
    for s in demo_snapshots():
        # Three strings per session, so the twelve sessions carry nearly the whole corpus;
        # every query also holds an escape sequence.
        sessions = tuple(
            x.model_copy(
                update={
                    "application": _nth(3 * i),
                    "query": f"SELECT '{_nth(3 * i + 1)}' AS \"{ESCAPE_SAMPLE}\"",
                    "user": _nth(3 * i + 2),
                }
            )
            for i, x in enumerate(s.sessions)
        )
        statements = tuple(
            x.model_copy(update={"query": f'SELECT * FROM "{_nth(i)}"'})
            for i, x in enumerate(s.statements)
        )
        waits = tuple(w.model_copy(update={"relation": MARKUP_SAMPLE}) for w in s.lock_waits)
        result.append(
            s.model_copy(
                update={"sessions": sessions, "statements": statements, "lock_waits": waits}
            )
        )
    return result


REPLICATION = json.loads((FIXTURES / "demo_replication.json").read_text(encoding="utf-8"))


def _shifted(value: Any, by: timedelta) -> Any:
    """Every timestamp in recorded JSON moved by `by` (the replication fixture was recorded on
    another day than the demo snapshots it is laid over)."""
    if isinstance(value, dict):
        return {k: _shifted(v, by) for k, v in value.items()}
    if isinstance(value, list):
        return [_shifted(v, by) for v in value]
    if isinstance(value, str) and len(value) > 18 and value[4] == "-" and value[10] == "T":
        return (datetime.fromisoformat(value) + by).isoformat()
    return value


def replicating(side: str = "primary") -> list[Snapshot]:
    """The demo as its primary or its paused standby reported replication, tick by tick (the
    last recorded tick repeats), on the demo's clock; on the standby side the server is in
    recovery."""
    recorded = REPLICATION[side]
    result = []
    for n, s in enumerate(demo_snapshots()):
        tick = dict(recorded[min(n, len(recorded) - 1)])
        by = s.server.now - datetime.fromisoformat(tick.pop("taken_at"))
        fields = Snapshot.model_validate(s.model_dump() | _shifted(tick, by))
        server = s.server.model_copy(update={"in_recovery": side == "standby"})
        result.append(fields.model_copy(update={"server": server}))
    return result
