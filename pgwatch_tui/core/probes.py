"""The probes a tick can run: which model each fills, how often, and what it depends on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pgwatch_tui.core.bloat import estimate_index, estimate_table
from pgwatch_tui.core.capabilities import CapabilityFacts
from pgwatch_tui.core.models import (
    CheckpointStats,
    DatabaseStats,
    IdleCount,
    IndexStats,
    LockWait,
    Row,
    ServerInfo,
    ServerSettings,
    Session,
    StatementStats,
    StatementText,
    TableStats,
    VacuumProgress,
)
from pgwatch_tui.core.models_health import (
    ForeignKey,
    IndexBloatInput,
    IndexBuild,
    SessionLock,
    TableBloatInput,
)
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.core.snapshot import StatementsInfo


class Cadence(StrEnum):
    """When a probe runs."""

    EVERY_TICK = "every tick"
    TABLES = "every tables_interval_s"
    BLOAT = "every bloat_interval_s"
    WHEN_LOCK_WAITS = "when some session waits on a lock"
    WITHOUT_IDLE = "when sessions were listed without the idle ones"
    WHEN_NEW_STATEMENTS = "when new query ids appear"
    WHEN_FOCUSED = "while one session's detail is open"
    ON_CONNECT = "once per connection"


@dataclass(frozen=True)
class PollContext:
    """What the visible screen focuses on, for probes about one object."""

    pid: int | None = None
    with_idle: bool = True  # list idle sessions (else only count them): a screen shows them


@dataclass(frozen=True)
class ProbeSpec:
    """A probe: its SQL stem in queries/, its row model and when it runs."""

    name: str
    model: type[Row]
    cadence: Cadence
    single_row: bool = False
    needs_statements: bool = False
    params: Callable[[Settings, PollContext, ServerInfo], dict[str, Any]] | None = None
    requires: tuple[str, ...] = field(default=())
    transform: Callable[[Any], Any] | None = None  # row model -> what the snapshot carries


def interval_s(cadence: Cadence, settings: Settings) -> float | None:
    """Seconds between runs of a periodic probe; None for the others."""
    if cadence is Cadence.TABLES:
        return settings.tables_interval_s
    if cadence is Cadence.BLOAT:
        return settings.bloat_interval_s
    return None


def _session_params(settings: Settings, context: PollContext, server: ServerInfo) -> dict[str, Any]:
    return {
        "query_max": settings.query_text_max_chars,
        "query_size": server.activity_query_size,
        "with_idle": context.with_idle,
    }


def _focus_params(settings: Settings, context: PollContext, server: ServerInfo) -> dict[str, Any]:
    return {"pid": context.pid}


PROBES: dict[str, ProbeSpec] = {
    spec.name: spec
    for spec in (
        ProbeSpec("capabilities", CapabilityFacts, Cadence.ON_CONNECT, single_row=True),
        ProbeSpec("server", ServerInfo, Cadence.EVERY_TICK, single_row=True),
        ProbeSpec("server_settings", ServerSettings, Cadence.TABLES, single_row=True),
        ProbeSpec("databases", DatabaseStats, Cadence.EVERY_TICK),
        ProbeSpec("sessions", Session, Cadence.EVERY_TICK, params=_session_params),
        ProbeSpec(
            "idle_count",
            IdleCount,
            Cadence.WITHOUT_IDLE,
            single_row=True,
            requires=("sessions",),
        ),
        ProbeSpec("lock_waits", LockWait, Cadence.WHEN_LOCK_WAITS, requires=("sessions",)),
        ProbeSpec("statements", StatementStats, Cadence.EVERY_TICK, needs_statements=True),
        ProbeSpec(
            "statements_info",
            StatementsInfo,
            Cadence.EVERY_TICK,
            single_row=True,
            needs_statements=True,
            requires=("statements",),
        ),
        ProbeSpec(
            "statement_texts",
            StatementText,
            Cadence.WHEN_NEW_STATEMENTS,
            needs_statements=True,
            requires=("statements",),
        ),
        ProbeSpec("tables", TableStats, Cadence.TABLES),
        ProbeSpec("indexes", IndexStats, Cadence.TABLES),
        ProbeSpec("vacuum_progress", VacuumProgress, Cadence.EVERY_TICK),
        ProbeSpec("checkpoints", CheckpointStats, Cadence.EVERY_TICK, single_row=True),
        ProbeSpec("foreign_keys", ForeignKey, Cadence.TABLES),
        ProbeSpec("index_builds", IndexBuild, Cadence.EVERY_TICK),
        ProbeSpec("session_locks", SessionLock, Cadence.WHEN_FOCUSED, params=_focus_params),
        ProbeSpec("table_bloat", TableBloatInput, Cadence.BLOAT, transform=estimate_table),
        ProbeSpec("index_bloat", IndexBloatInput, Cadence.BLOAT, transform=estimate_index),
    )
}

# The probes whose results a Snapshot carries, in the order a tick runs them.
SNAPSHOT_PROBES: tuple[str, ...] = (
    "databases",
    "sessions",
    "idle_count",
    "lock_waits",
    "statements",
    "statements_info",
    "tables",
    "indexes",
    "vacuum_progress",
    "checkpoints",
    "foreign_keys",
    "index_builds",
    "session_locks",
    "table_bloat",
    "index_bloat",
)


# SQL run on demand (planning, advice, actions) rather than by the tick. Files whose name
# starts with do_ change things and are run only by the action runner.
ON_DEMAND_QUERIES: frozenset[str] = frozenset(
    {
        "action_index_target",
        "action_table_target",
        "advice_columns",
        "advice_indexes",
        "advice_table",
        "column_types",
        "column_values",
        "default_search_path",
        "do_cancel_backend",
        "do_drop_index",
        "do_reindex_index",
        "do_terminate_backend",
        "hypo_create",
        "hypo_drop",
        "hypo_reset",
        "hypo_size",
        "index_leftovers",
        "measure_index",
        "measure_table",
        "qualstats_values",
        "snapshot_holders",
    }
)


def with_requirements(wanted: frozenset[str]) -> frozenset[str]:
    """Add the probes that the wanted ones depend on."""
    result = set(wanted)
    if "sessions" in result:
        result.add("idle_count")
    for name in wanted:
        result.update(PROBES[name].requires)
    if "statements" in result:
        result.add("statements_info")
    return frozenset(result)
