"""The JSON document `pgwatch snapshot --json` prints: a stable, versioned schema.

The document is built from the snapshot models, with each database's rates and each
statement's interval delta nested beside its counters. `schema_version` changes only when a
field is removed or changes meaning; new fields may appear at any time. The JSON Schema is
in docs/snapshot.schema.json (regenerate with `python -m pgwatch_tui.core.record.export`).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from pgwatch_tui import __version__
from pgwatch_tui.core.model.capabilities import CapabilityReport
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
    IndexStats,
    LockWait,
    ServerInfo,
    Session,
    StatementStats,
    TableStats,
    VacuumProgress,
)
from pgwatch_tui.core.model.snapshot import (
    DatabaseRates,
    ProbeStatus,
    Snapshot,
    StatementDelta,
    StatementsInfo,
)

SCHEMA_VERSION: Literal[1] = 1
SCHEMA_PATH = Path(__file__).resolve().parents[3] / "docs" / "snapshot.schema.json"


class DatabaseEntry(DatabaseStats):
    """A database's cumulative counters, with its rates over the interval."""

    rates: DatabaseRates | None


class SessionEntry(Session):
    """A session, with its ages in seconds at the snapshot's server clock."""

    xact_age_s: float | None
    query_age_s: float | None
    state_age_s: float | None


class StatementEntry(StatementStats):
    """A statement's cumulative counters, with what it did during the interval."""

    delta: StatementDelta | None


class StandbyEntry(Standby):
    """A WAL sender, with how fast its replay lag grew since the previous reading."""

    replay_lag_growth_bytes_per_s: float | None


class SlotEntry(ReplicationSlot):
    """A replication slot, with how fast the WAL it retains grew since the previous reading."""

    retained_growth_bytes_per_s: float | None


class SnapshotDocument(BaseModel):
    """The whole `pgwatch snapshot --json` output."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="pgwatch snapshot")

    schema_version: Literal[1]
    generated_by: str
    target: str
    taken_at: datetime
    interval_s: float | None
    server: ServerInfo
    capabilities: CapabilityReport
    databases: list[DatabaseEntry]
    sessions: list[SessionEntry]
    lock_waits: list[LockWait]
    statements_total: int
    statements: list[StatementEntry]
    statements_info: StatementsInfo | None
    tables: list[TableStats]
    indexes: list[IndexStats]
    vacuum_progress: list[VacuumProgress]
    checkpoints: CheckpointStats | None
    replication: list[StandbyEntry]
    slots: list[SlotEntry]
    archiver: Archiver | None
    recovery: Recovery | None
    """Set on a standby only."""
    recovery_conflicts: list[RecoveryConflicts]
    """On a standby only."""
    subscriptions: list[Subscription]
    publications: list[Publication]
    probes: dict[str, ProbeStatus]


def top_statements(snapshot: Snapshot, limit: int) -> list[StatementStats]:
    """Busiest first: by time spent during the interval, then by cumulative time."""
    deltas = snapshot.delta_by_key

    def weight(s: StatementStats) -> tuple[float, float]:
        delta = deltas.get(s.key)
        return (delta.total_exec_ms if delta else -1.0, s.total_exec_ms)

    return sorted(snapshot.statements, key=weight, reverse=True)[:limit]


def session_entry(session: Session, now: datetime) -> SessionEntry:
    return SessionEntry.model_construct(
        None,
        **dict(session),
        xact_age_s=session.xact_age(now),
        query_age_s=session.query_age(now),
        state_age_s=session.state_age(now),
    )


def build_document(snapshot: Snapshot, *, target: str, top: int) -> SnapshotDocument:
    """The export document for one snapshot; `target` must already be masked."""
    rates = snapshot.rates_by_datid
    deltas = snapshot.delta_by_key
    slot_growth, lag_growth = snapshot.slot_growth, snapshot.standby_lag_growth
    return SnapshotDocument(
        schema_version=SCHEMA_VERSION,
        generated_by=f"pgwatch {__version__}",
        target=target,
        taken_at=snapshot.taken_at,
        interval_s=snapshot.interval_s,
        server=snapshot.server,
        capabilities=snapshot.capabilities,
        databases=[
            DatabaseEntry.model_construct(None, **dict(db), rates=rates.get(db.datid))
            for db in snapshot.databases
        ],
        sessions=[session_entry(s, snapshot.server.now) for s in snapshot.sessions],
        lock_waits=list(snapshot.lock_waits),
        statements_total=len(snapshot.statements),
        statements=[
            StatementEntry.model_construct(None, **dict(s), delta=deltas.get(s.key))
            for s in top_statements(snapshot, top)
        ],
        statements_info=snapshot.statements_info,
        tables=list(snapshot.tables),
        indexes=list(snapshot.indexes),
        vacuum_progress=list(snapshot.vacuum_progress),
        checkpoints=snapshot.checkpoints,
        replication=[
            StandbyEntry.model_construct(
                None, **dict(s), replay_lag_growth_bytes_per_s=lag_growth.get(s.pid)
            )
            for s in snapshot.replication
        ],
        slots=[
            SlotEntry.model_construct(
                None, **dict(s), retained_growth_bytes_per_s=slot_growth.get(s.slot_name)
            )
            for s in snapshot.replication_slots
        ],
        archiver=snapshot.archiver,
        recovery=snapshot.recovery,
        recovery_conflicts=list(snapshot.recovery_conflicts),
        subscriptions=list(snapshot.subscriptions),
        publications=list(snapshot.publications),
        probes=snapshot.probes,
    )


def document_json(document: SnapshotDocument) -> str:
    return document.model_dump_json(indent=2)


def json_schema() -> str:
    schema = SnapshotDocument.model_json_schema(mode="serialization")
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA_PATH.write_text(json_schema(), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_PATH}\n")
