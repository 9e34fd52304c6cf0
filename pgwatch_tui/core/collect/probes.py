"""Every query pgwatch runs, declared once: the probes a tick runs and the on-demand queries.

A probe is one declaration: its SQL stem in queries/ (also the Snapshot field it fills), the
row model, when it runs, what it needs from the server, and what it reads from the probes
before it in the same tick. The poller follows these declarations and knows no probe by
name, so adding a probe is a query file, a row model and one entry in `PROBES`; a test fails
when a declaration and the files in queries/ disagree for any supported major.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pgwatch_tui.core.model.bloat import estimate_index, estimate_table
from pgwatch_tui.core.model.capabilities import CapabilityFacts
from pgwatch_tui.core.model.health_rows import (
    ForeignKey,
    IndexBloatInput,
    IndexBuild,
    SessionLock,
    TableBloatInput,
)
from pgwatch_tui.core.model.replication_rows import (
    Archiver,
    Publication,
    Recovery,
    RecoveryConflicts,
    ReplicationSlot,
    Standby,
    Subscription,
)
from pgwatch_tui.core.model.rows import (
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
from pgwatch_tui.core.model.snapshot import StatementsInfo
from pgwatch_tui.core.settings import Settings

OLDEST_MAJOR = 14
NEWEST_MAJOR = 18
SUPPORTED_MAJORS = tuple(range(OLDEST_MAJOR, NEWEST_MAJOR + 1))

PGSS = "pg_stat_statements"


@dataclass(frozen=True)
class PollContext:
    """What the visible screen focuses on, for probes about one object."""

    pid: int | None = None
    with_idle: bool = True  # list idle sessions (else only count them): a screen shows them


# ---- when a probe runs -------------------------------------------------------------------


@dataclass(frozen=True)
class Cadence:
    """When a probe runs; the base is 'every tick that wants it'."""

    describe: str = "every tick"

    def interval_s(self, settings: Settings) -> float | None:
        """Seconds between runs, for a periodic probe."""
        return None

    def applies(self, context: PollContext) -> bool:
        """Whether the screen's focus lets the probe run at all."""
        return True

    keeps_last: bool = True
    """Whether a tick that does not want the probe carries its last value along."""

    in_tick: bool = True
    """Whether the tick runs it (the others are run by their owner: connect, a lookup)."""


EVERY_TICK = Cadence()


@dataclass(frozen=True)
class Every(Cadence):
    """At most once per interval that a setting gives, counted from the last attempt."""

    seconds: Callable[[Settings], float] = field(default=lambda settings: 0.0)

    def interval_s(self, settings: Settings) -> float | None:
        return self.seconds(settings)


@dataclass(frozen=True)
class WhileFocused(Cadence):
    """While a screen shows one session; nothing is kept once it closes."""

    describe: str = "while one session's detail is open"
    keeps_last: bool = False

    def applies(self, context: PollContext) -> bool:
        return context.pid is not None


@dataclass(frozen=True)
class Outside(Cadence):
    """Run by its owner rather than by the tick (once per connection, or for new keys)."""

    in_tick: bool = False


TABLES = Every("every tables_interval_s", seconds=lambda s: s.tables_interval_s)
BLOAT = Every("every bloat_interval_s", seconds=lambda s: s.bloat_interval_s)
ON_CONNECT = Outside("once per connection")
FOR_NEW_KEYS = Outside("for keys its owner has not seen before")


# ---- what a probe needs and reads ----------------------------------------------------------


@dataclass(frozen=True)
class Needs:
    """What the server must offer. Without the extension the probe is off, with its reason."""

    extension: str | None = None  # a capability report key (pg_stat_statements, hypopg, ...)
    min_major: int = OLDEST_MAJOR  # no query file exists for older servers


class Skip(Enum):
    """A gate's verdict on this tick, from what the probes before it returned."""

    NOTHING_TO_READ = "fresh and empty: the rows it would read cannot exist"
    NOT_NEEDED = "not polled: the screen already has what it would say"


@dataclass(frozen=True)
class TickSoFar:
    """What a gate sees: the screen's focus and the values collected earlier in this tick."""

    context: PollContext
    values: Mapping[str, Any]


Gate = Callable[[TickSoFar], Skip | None]


@dataclass(frozen=True)
class TextLookup:
    """A column filled from another probe, read only for keys not seen before."""

    probe: str
    column: str
    max_chars: Callable[[Settings], int]


Params = Callable[[Settings, PollContext, ServerInfo], dict[str, Any]]


@dataclass(frozen=True)
class Probe:
    """One query file stem and everything the poller needs to know to run it."""

    name: str
    model: type[Row]
    cadence: Cadence = EVERY_TICK
    single_row: bool = False
    needs: Needs = Needs()
    reads: tuple[str, ...] = ()
    """Probes earlier in the tick whose rows this one goes with: they join any tick that wants
    it, and it runs only in a tick that collected them (else it keeps its last value)."""
    companion_of: str | None = None
    """A probe this one joins whenever it is wanted."""
    gate: Gate | None = None
    lookup: TextLookup | None = None
    params: Params | None = None
    transform: Callable[[Any], Any] | None = None  # row model -> what the snapshot carries
    in_snapshot: bool = True
    clock: bool = False
    """The one probe that opens every tick: its now() is the tick's time for every other."""
    merged_into: str | None = None
    """A probe whose row this one's columns extend (read at its own cadence)."""

    @property
    def empty(self) -> Any:
        return None if self.single_row else ()


# ---- the declarations ----------------------------------------------------------------------


def _session_params(settings: Settings, context: PollContext, server: ServerInfo) -> dict[str, Any]:
    return {
        "query_max": settings.query_text_max_chars,
        "query_size": server.activity_query_size,
        "with_idle": context.with_idle,
    }


def _focus_params(settings: Settings, context: PollContext, server: ServerInfo) -> dict[str, Any]:
    return {"pid": context.pid}


def _only_without_idle(tick: TickSoFar) -> Skip | None:
    return Skip.NOT_NEEDED if tick.context.with_idle else None  # every session is listed


def _only_when_someone_waits(tick: TickSoFar) -> Skip | None:
    sessions: tuple[Session, ...] = tick.values.get("sessions", ())
    return None if any(s.waits_on_lock for s in sessions) else Skip.NOTHING_TO_READ


_STATEMENT_TEXTS = TextLookup(
    "statement_texts", "query", max_chars=lambda s: s.statement_text_max_chars
)

_DECLARED = (
    Probe("capabilities", CapabilityFacts, ON_CONNECT, single_row=True, in_snapshot=False),
    Probe("server", ServerInfo, single_row=True, in_snapshot=False, clock=True),
    Probe(
        "server_settings",
        ServerSettings,
        TABLES,
        single_row=True,
        in_snapshot=False,
        merged_into="server",
    ),
    Probe("databases", DatabaseStats),
    Probe("sessions", Session, params=_session_params),
    Probe(
        "idle_count",
        IdleCount,
        single_row=True,
        reads=("sessions",),
        companion_of="sessions",
        gate=_only_without_idle,
    ),
    Probe("lock_waits", LockWait, reads=("sessions",), gate=_only_when_someone_waits),
    Probe("statements", StatementStats, needs=Needs(PGSS), lookup=_STATEMENT_TEXTS),
    Probe(
        "statements_info",
        StatementsInfo,
        single_row=True,
        needs=Needs(PGSS),
        reads=("statements",),
        companion_of="statements",
    ),
    Probe("statement_texts", StatementText, FOR_NEW_KEYS, needs=Needs(PGSS), in_snapshot=False),
    Probe("tables", TableStats, TABLES),
    Probe("indexes", IndexStats, TABLES),
    Probe("vacuum_progress", VacuumProgress),
    Probe("checkpoints", CheckpointStats, single_row=True),
    Probe("foreign_keys", ForeignKey, TABLES),
    Probe("index_builds", IndexBuild),
    Probe("session_locks", SessionLock, WhileFocused(), params=_focus_params),
    Probe("replication", Standby),
    Probe("replication_slots", ReplicationSlot, TABLES),
    Probe("archiver", Archiver, TABLES, single_row=True),
    Probe("recovery", Recovery, single_row=True),
    Probe("recovery_conflicts", RecoveryConflicts, TABLES),
    Probe("subscriptions", Subscription),
    Probe("publications", Publication, TABLES),
    Probe("table_bloat", TableBloatInput, BLOAT, transform=estimate_table),
    Probe("index_bloat", IndexBloatInput, BLOAT, transform=estimate_index),
)

PROBES: dict[str, Probe] = {probe.name: probe for probe in _DECLARED}

# The probes whose results a Snapshot carries, in the order a tick runs them.
SNAPSHOT_PROBES: tuple[str, ...] = tuple(p.name for p in _DECLARED if p.in_snapshot)

CLOCK: Probe = next(p for p in _DECLARED if p.clock)
CLOCK_PARTS: tuple[Probe, ...] = tuple(p for p in _DECLARED if p.merged_into == CLOCK.name)


@dataclass(frozen=True)
class OnDemand:
    """A query run outside the tick: planning, advice, or (do_ files) an action."""

    name: str
    used_by: str
    needs: Needs = Needs()


_ON_DEMAND = (
    OnDemand("action_index_target", "the action runner's pre-checks"),
    OnDemand("action_table_target", "the action runner's pre-checks"),
    OnDemand("snapshot_holders", "the action runner's pre-checks"),
    OnDemand("action_slot_target", "the action runner's pre-checks"),
    OnDemand("index_leftovers", "the action runner, after a failed build"),
    OnDemand("do_cancel_backend", "the action runner"),
    OnDemand("do_terminate_backend", "the action runner"),
    OnDemand("do_drop_index", "the action runner"),
    OnDemand("do_drop_replication_slot", "the action runner"),
    OnDemand("do_reindex_index", "the action runner"),
    OnDemand("measure_index", "exact bloat (pgstattuple)", Needs("pgstattuple")),
    OnDemand("measure_table", "exact bloat (pgstattuple)", Needs("pgstattuple")),
    OnDemand("default_search_path", "planning a statement"),
    OnDemand("column_types", "planning a statement"),
    OnDemand("column_values", "planning a statement with typical values"),
    OnDemand("qualstats_values", "planning with pg_qualstats' values", Needs("pg_qualstats")),
    OnDemand("advice_columns", "index advice"),
    OnDemand("advice_indexes", "index advice"),
    OnDemand("advice_table", "index advice"),
    OnDemand("hypo_create", "index advice", Needs("hypopg")),
    OnDemand("hypo_drop", "index advice", Needs("hypopg")),
    OnDemand("hypo_reset", "index advice", Needs("hypopg")),
    OnDemand("hypo_size", "index advice", Needs("hypopg")),
)

ON_DEMAND: dict[str, OnDemand] = {query.name: query for query in _ON_DEMAND}
ON_DEMAND_QUERIES: frozenset[str] = frozenset(ON_DEMAND)


def interval_s(probe: Probe, settings: Settings) -> float | None:
    """Seconds between runs of a periodic probe; None for the others."""
    return probe.cadence.interval_s(settings)


def with_requirements(wanted: frozenset[str]) -> frozenset[str]:
    """Add the probes that the wanted ones read, and the companions that join them."""
    result = set(wanted)
    for name in wanted:
        result.update(PROBES[name].reads)
    result.update(p.name for p in _DECLARED if p.companion_of in result)
    return frozenset(result)
