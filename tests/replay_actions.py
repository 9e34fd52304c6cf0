"""Recorded plans, advice and action outcomes, replayed instead of asking a server.

scripts/record_fixtures.py records them from the demo cluster in the same run as the
snapshots, so the UI tests and screenshots of the plan, advice, confirmation and progress
screens show what a real server answered for those very statements.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from pgwatch_tui.core.act.models import (
    ActionOutcome,
    ActionRequest,
    AuditEntry,
    LeftoverIndex,
    PreCheck,
)
from pgwatch_tui.core.diagnose.advisor.models import Advice
from pgwatch_tui.core.diagnose.plan import ExplainOutcome, Plan
from pgwatch_tui.core.errors import DiagnosisError
from pgwatch_tui.core.model.bloat import BloatEstimate
from pgwatch_tui.core.model.rows import Session, StatementStats
from pgwatch_tui.core.model.snapshot import Snapshot

T = TypeVar("T")
CANCELLED = "cancelled"  # key of the outcome a cancelled build ended with


class DiagnosisRecording(BaseModel):
    """Everything the diagnosis and action screens were answered, keyed as they ask."""

    model_config = ConfigDict(extra="forbid")

    plans: dict[str, ExplainOutcome] = {}  # by queryid
    session_plans: dict[str, ExplainOutcome] = {}  # by pid
    advice: dict[str, Advice] = {}  # by queryid
    analyzed: Plan | None = None
    measured: list[BloatEstimate] = []
    prechecks: dict[str, PreCheck] = {}  # by action kind
    outcomes: dict[str, ActionOutcome] = {}  # by action kind, or CANCELLED
    progress: Snapshot | None = None  # taken while an index build waited for a snapshot
    build_pid: int | None = None
    audit: list[AuditEntry] = []

    @classmethod
    def load(cls, path: Path) -> DiagnosisRecording:
        return cls.model_validate_json(path.read_text(encoding="utf-8"))


def _recorded(table: dict[str, T], key: object, what: str) -> T:
    try:
        return table[str(key)]
    except KeyError:
        raise DiagnosisError(f"no recorded {what} for {key}") from None


class ReplayDiagnosis:
    """Implements DiagnosisSource from a recording; what was not recorded is said on screen,
    as the live Diagnosis says what it could not plan."""

    def __init__(self, recording: DiagnosisRecording) -> None:
        self.recording = recording

    async def explain_statement(self, statement: StatementStats) -> ExplainOutcome:
        missing = ExplainOutcome(query=statement.query or "", error="no recorded plan")
        return self.recording.plans.get(str(statement.queryid), missing)

    async def explain_session(self, session: Session) -> ExplainOutcome:
        missing = ExplainOutcome(query=session.query or "", error="no recorded plan")
        return self.recording.session_plans.get(str(session.pid), missing)

    async def advise(self, statement: StatementStats, snapshot: Snapshot) -> Advice:
        missing = Advice(query=statement.query or "", error="no recorded advice")
        return self.recording.advice.get(str(statement.queryid), missing)

    async def measure(self, estimate: BloatEstimate) -> BloatEstimate:
        for measured in self.recording.measured:
            if (measured.kind, measured.name) == (estimate.kind, estimate.name):
                return measured
        raise DiagnosisError(f"no recorded measurement for {estimate.name}")


class ReplayActions:
    """Implements ActionSource from a recording. An index build stays running (so its
    progress can be seen) until cancel(), then ends as the recorded cancelled build did."""

    def __init__(self, recording: DiagnosisRecording, builds_finish: bool = False) -> None:
        self.recording = recording
        self.builds_finish = builds_finish
        self.requests: list[ActionRequest] = []
        self._cancelled = asyncio.Event()

    async def precheck(self, request: ActionRequest) -> PreCheck:
        return self.recording.prechecks.get(request.kind.value, PreCheck())

    async def run(
        self, request: ActionRequest, started: Callable[[int], None] | None = None
    ) -> ActionOutcome:
        self.requests.append(request)
        if request.builds_index and not self.builds_finish:
            if started is not None and self.recording.build_pid is not None:
                started(self.recording.build_pid)
            await self._cancelled.wait()
            return _recorded(self.recording.outcomes, CANCELLED, "outcome")
        return _recorded(self.recording.outcomes, request.kind.value, "outcome")

    async def cancel(self) -> None:
        self._cancelled.set()

    async def leftovers(self, request: ActionRequest) -> list[LeftoverIndex]:
        return self.recording.outcomes.get(CANCELLED, ActionOutcome(ok=True, message="")).leftovers

    async def explain_analyze(
        self, query: str, values: list[str | None] | None, database: str | None
    ) -> Plan:
        if self.recording.analyzed is None:
            raise DiagnosisError("no recorded EXPLAIN ANALYZE")
        return self.recording.analyzed

    def entries(self) -> list[AuditEntry]:
        return list(self.recording.audit)

    @property
    def audit_path(self) -> str:
        return "~/.local/state/pgwatch/actions.log (recorded)"


def showing_build_progress(
    snapshots: list[Snapshot], recording: DiagnosisRecording
) -> list[Snapshot]:
    """The snapshots, the last one also showing the recorded index build's progress."""
    progress = recording.progress
    if progress is None or not snapshots:
        return snapshots
    last = snapshots[-1]
    known = {s.pid for s in last.sessions}
    sessions = (*last.sessions, *(s for s in progress.sessions if s.pid not in known))
    building = last.model_copy(update={"index_builds": progress.index_builds, "sessions": sessions})
    return [*snapshots[:-1], building]
