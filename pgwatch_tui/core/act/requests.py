"""Building action requests, with the exact SQL shown for confirmation (display only: the
runner composes what it executes from the same parts with psycopg.sql)."""

from __future__ import annotations

from pgwatch_tui.core.act.models import ActionKind, ActionRequest
from pgwatch_tui.core.act.shown_sql import drop_index, drop_slot, reindex
from pgwatch_tui.core.diagnose.advisor.models import Suggestion
from pgwatch_tui.core.model.bloat import RelationKind


def reindex_request(schema: str, name: str, table: str) -> ActionRequest:
    return ActionRequest(
        kind=ActionKind.REINDEX,
        target=f"{schema}.{name}",
        schema_name=schema,
        name=name,
        table=table,
        sql=reindex(schema, name, RelationKind.INDEX),
    )


def drop_request(schema: str, name: str, table: str) -> ActionRequest:
    return ActionRequest(
        kind=ActionKind.DROP_INDEX,
        target=f"{schema}.{name}",
        schema_name=schema,
        name=name,
        table=table,
        sql=drop_index(schema, name).replace("INDEX CONCURRENTLY", "INDEX CONCURRENTLY IF EXISTS"),
    )


def create_request(suggestion: Suggestion) -> ActionRequest:
    shape = suggestion.shape
    return ActionRequest(
        kind=ActionKind.CREATE_INDEX,
        target=f"{shape.schema_name}.{suggestion.name}",
        schema_name=shape.schema_name,
        name=suggestion.name,
        table=shape.table,
        sql=suggestion.ddl,
        shape=shape,
        predicate_type=suggestion.predicate_type,
    )


def signal_request(kind: ActionKind, pid: int) -> ActionRequest:
    function = "pg_cancel_backend" if kind is ActionKind.CANCEL else "pg_terminate_backend"
    return ActionRequest(kind=kind, target=f"pid {pid}", pid=pid, sql=f"SELECT {function}({pid});")


def drop_slot_request(slot_name: str) -> ActionRequest:
    return ActionRequest(
        kind=ActionKind.DROP_SLOT,
        target=f"slot {slot_name}",
        name=slot_name,
        sql=drop_slot(slot_name),
    )
