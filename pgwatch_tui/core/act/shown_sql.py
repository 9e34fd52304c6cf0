"""SQL text pgwatch shows or copies for the DBA to run, with every identifier quoted.

These are for display and the clipboard only, so the UI can use them without the database
driver; the action runner composes what it executes with psycopg.sql.Identifier, and a test
checks both quote identically.
"""

from __future__ import annotations

from pgwatch_tui.core.diagnose.index_health import IndexFinding, Problem
from pgwatch_tui.core.model.bloat import BloatEstimate, RelationKind
from pgwatch_tui.core.sql_names import qualified, quote_ident, quote_literal


def drop_index(schema: str, name: str) -> str:
    return f"DROP INDEX CONCURRENTLY {qualified(schema, name)};"


def drop_slot(slot_name: str) -> str:
    return f"SELECT pg_drop_replication_slot({quote_literal(slot_name)});"


def reindex(schema: str, name: str, kind: RelationKind) -> str:
    what = "INDEX" if kind is RelationKind.INDEX else "TABLE"
    return f"REINDEX {what} CONCURRENTLY {qualified(schema, name)};"


def create_index_for_columns(schema: str, table: str, columns: list[str]) -> str:
    cols = ", ".join(quote_ident(c) for c in columns)
    return f"CREATE INDEX CONCURRENTLY ON {qualified(schema, table)} ({cols});"


def finding_ddl(finding: IndexFinding) -> str | None:
    """The statement that fixes an index finding (for `y` to copy), if there is one."""
    if finding.problem is Problem.MISSING_FK_INDEX:
        return create_index_for_columns(finding.schema_name, finding.table_name, finding.columns)
    if finding.problem is Problem.BUILDING or finding.index_name is None:
        return None
    return drop_index(finding.schema_name, finding.index_name)


def bloat_ddl(estimate: BloatEstimate) -> str:
    """REINDEX CONCURRENTLY for a bloated index; VACUUM for a table (a full rewrite of a
    table needs VACUUM FULL, which locks it, or an online tool such as pg_repack)."""
    if estimate.kind is RelationKind.INDEX:
        return reindex(estimate.schema_name, estimate.name, estimate.kind)
    return f"VACUUM (ANALYZE) {qualified(estimate.schema_name, estimate.name)};"
