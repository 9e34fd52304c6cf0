"""What an action is, what is checked before it, how it goes, and how it ended."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from pgwatch_tui.core.diagnose.advisor.models import IndexShape


class ActionKind(StrEnum):
    REINDEX = "reindex"
    CREATE_INDEX = "create index"
    DROP_INDEX = "drop index"
    DROP_SLOT = "drop slot"
    CANCEL = "cancel"
    TERMINATE = "terminate"
    EXPLAIN_ANALYZE = "explain analyze"


class ActionRequest(BaseModel):
    """What the user asked for; `sql` is the exact statement shown for confirmation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ActionKind
    target: str  # what it acts on, as shown: public.orders_pkey, pid 1234
    sql: str
    schema_name: str | None = None
    name: str | None = None  # the index acted on (or built)
    table: str | None = None
    pid: int | None = None
    shape: IndexShape | None = None  # for CREATE INDEX: rebuilt with psycopg.sql, not parsed
    predicate_type: str | None = None

    @property
    def builds_index(self) -> bool:
        return self.kind in (ActionKind.REINDEX, ActionKind.CREATE_INDEX)

    @property
    def runs_at_once(self) -> bool:
        """Over in a moment: no progress screen, the outcome is a notification."""
        return self.kind in (ActionKind.CANCEL, ActionKind.TERMINATE, ActionKind.DROP_SLOT)


class SnapshotHolder(BaseModel):
    """A transaction an index build will wait for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    pid: int
    application: str
    state: str | None
    age_s: float | None


class PreCheck(BaseModel):
    """Checked before asking for confirmation. Refusals block; warnings inform."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    refusals: list[str] = []
    warnings: list[str] = []
    size_bytes: int | None = None
    """The index's or table's size; for a slot, the WAL it keeps."""
    space_needed_bytes: int | None = None
    holders: list[SnapshotHolder] = []

    @property
    def allowed(self) -> bool:
        return not self.refusals


class LeftoverIndex(BaseModel):
    """An invalid index a failed or cancelled concurrent build left behind."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_name: str
    name: str
    size_bytes: int


class ActionOutcome(BaseModel):
    """How an action ended."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ok: bool
    message: str
    cancelled: bool = False
    seconds: float = 0.0
    leftovers: list[LeftoverIndex] = []


class AuditEntry(BaseModel):
    """One line of the audit log (JSON lines)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    action: ActionKind
    target: str
    sql: str
    user: str  # the database role, and the operating-system user who ran pgwatch
    host: str
    started_at: datetime
    ended_at: datetime
    outcome: str
    ok: bool
