"""What a snapshot source tells its consumer, and the interface the UI drives it through.

Kept free of psycopg so the UI can depend on it (the UI never imports the database driver).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Protocol

from pgwatch_tui.core.act.models import (
    ActionOutcome,
    ActionRequest,
    AuditEntry,
    LeftoverIndex,
    PreCheck,
)
from pgwatch_tui.core.collect.probes import PollContext
from pgwatch_tui.core.diagnose.advisor.models import Advice
from pgwatch_tui.core.diagnose.plan import ExplainOutcome, Plan
from pgwatch_tui.core.model.bloat import BloatEstimate
from pgwatch_tui.core.model.capabilities import CapabilityReport
from pgwatch_tui.core.model.rows import Session, StatementStats
from pgwatch_tui.core.model.snapshot import Snapshot


@dataclass(frozen=True)
class SnapshotTaken:
    """A tick finished; the snapshot carries rates against the previous one."""

    snapshot: Snapshot


@dataclass(frozen=True)
class Connected:
    """The monitoring session is (re)established."""

    label: str
    capabilities: CapabilityReport
    reconnected: bool


@dataclass(frozen=True)
class Reconnecting:
    """The connection is gone; the next attempt comes in `retry_in_s` seconds."""

    reason: str
    retry_in_s: float
    attempt: int


@dataclass(frozen=True)
class TickSkipped:
    """A tick failed as a whole (not one probe); the previous data stays on screen."""

    reason: str


SourceEvent = SnapshotTaken | Connected | Reconnecting | TickSkipped


class SnapshotSource(Protocol):
    """What the dashboard needs from whatever produces snapshots."""

    label: str

    def events(self) -> AsyncIterator[SourceEvent]: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    @property
    def paused(self) -> bool: ...

    @property
    def refresh_s(self) -> float: ...

    def set_refresh(self, seconds: float) -> None: ...

    def set_wanted(self, probes: frozenset[str] | None) -> None: ...

    def set_context(self, context: PollContext) -> None: ...

    def poll_now(self, force: frozenset[str] = frozenset()) -> None: ...

    async def close(self) -> None: ...


class DiagnosisSource(Protocol):
    """Planning for the dashboard (the core's Diagnosis, or recorded outcomes in tests)."""

    async def explain_statement(self, statement: StatementStats) -> ExplainOutcome: ...

    async def explain_session(self, session: Session) -> ExplainOutcome: ...

    async def advise(self, statement: StatementStats, snapshot: Snapshot) -> Advice: ...

    async def measure(self, estimate: BloatEstimate) -> BloatEstimate: ...


class ActionSource(Protocol):
    """What the dashboard may do to the server. Absent (None) in read-only mode."""

    async def precheck(self, request: ActionRequest) -> PreCheck: ...

    async def run(
        self, request: ActionRequest, started: Callable[[int], None] | None = None
    ) -> ActionOutcome: ...

    async def cancel(self) -> None: ...

    async def leftovers(self, request: ActionRequest) -> list[LeftoverIndex]: ...

    async def explain_analyze(
        self, query: str, values: list[str | None] | None, database: str | None
    ) -> Plan: ...

    def entries(self) -> list[AuditEntry]: ...

    @property
    def audit_path(self) -> str:
        """Where the audit log is kept (shown above its entries)."""
        ...
