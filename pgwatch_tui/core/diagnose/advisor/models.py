"""What the advisor suggests, and why: the models the advice screen and `pgwatch advise` show."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from pgwatch_tui.core.diagnose.plan import Plan


class IndexShape(BaseModel):
    """A btree index definition: key columns (with direction), INCLUDE columns, predicate."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_name: str
    table: str
    keys: tuple[str, ...]
    descending: tuple[bool, ...] = ()
    include: tuple[str, ...] = ()
    predicate_column: str | None = None
    predicate_value: str | None = None  # the constant's text, as pg_stats shows it
    reason: str = ""

    @property
    def partial(self) -> bool:
        return self.predicate_column is not None

    def describe(self) -> str:
        keys = ", ".join(
            f"{k} DESC" if d else k
            for k, d in zip(self.keys, self.descending or (False,) * len(self.keys), strict=True)
        )
        text = f"({keys})"
        if self.include:
            text += f" INCLUDE ({', '.join(self.include)})"
        if self.partial:
            value = str(self.predicate_value).replace("'", "''")
            text += f" WHERE {self.predicate_column} = '{value}'"
        return text


class StatementEffect(BaseModel):
    """How one statement of the workload fares with a suggested index."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    queryid: int
    query: str
    calls_per_s: float
    cost_before: float
    cost_after: float
    uses_index: bool


class Suggestion(BaseModel):
    """One index to build, with the evidence for it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    shape: IndexShape
    name: str
    ddl: str
    why: str = ""  # what it does for the statement asked about
    predicate_type: str | None = None  # the partial predicate column's type, for the DDL
    validated: bool
    size_bytes: int
    hypopg_size_bytes: int | None = None
    statement_cost_before: float | None = None
    statement_cost_after: float | None = None
    workload_cost_before_per_s: float = 0.0
    workload_cost_after_per_s: float = 0.0
    effects: list[StatementEffect] = []
    warnings: list[str] = []
    covered_by: str | None = None  # an existing index already serving the same lookups
    plan_before: Plan | None = None
    plan_after: Plan | None = None

    @property
    def workload_gain(self) -> float:
        before = self.workload_cost_before_per_s
        return (before - self.workload_cost_after_per_s) / before if before > 0 else 0.0


class Advice(BaseModel):
    """Advice for one statement (and the whole workload on the tables it reads)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    query: str
    queryid: int | None = None
    tables: list[str] = []
    suggestions: list[Suggestion] = []
    considered: list[Suggestion] = []  # candidates that did not make it, with their figures
    validated: bool = False
    notes: list[str] = []
    error: str | None = None
