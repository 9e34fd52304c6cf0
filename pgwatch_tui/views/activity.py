"""Activity pane rows: one per session, idle ones optional, long and idle-in-transaction marked."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.model.rows import Session
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.safe_text import one_line, printable
from pgwatch_tui.views.table import Cell, Column, RowMemo, TableRow, Tone

COLUMNS: tuple[Column, ...] = (
    Column("pid", "pid", 7, priority=0, right=True),
    Column("database", "database", 10, priority=5),
    Column("user", "user", 10, priority=4),
    Column("application", "application", 14, priority=3),
    Column("client", "client", 15, priority=7),
    Column("state", "state", 10, priority=1),
    Column("wait", "wait", 14, priority=2),
    Column("query_age", "query", 7, priority=0, right=True),
    Column("xact_age", "xact", 7, priority=1, right=True),
    Column("xmin_age", "xmin age", 8, priority=6, right=True),
    Column("query", "query text", 22, priority=0, flexible=True, min_width=22),
)
SORTABLE = (
    "xact_age",
    "query_age",
    "pid",
    "state",
    "wait",
    "user",
    "database",
    "application",
    "xmin_age",
)
DEFAULT_SORT = "xact_age"


@dataclass(frozen=True)
class ActivityOptions:
    show_idle: bool = False
    long_query_s: float = 60.0
    idle_in_transaction_s: float = 10.0


def short_state(state: str | None) -> str:
    if state is None:
        return ""
    return {
        "idle in transaction": "idle in tx",
        "idle in transaction (aborted)": "idle tx abrt",
        "fastpath function call": "fastpath",
    }.get(state, state)


def session_tone(session: Session, options: ActivityOptions, now: datetime) -> Tone:
    """Alert: waiting on a lock, or idle in transaction past the threshold; warn: long query."""
    state = session.state or ""
    if session.waits_on_lock:
        return Tone.ALERT
    if state.startswith("idle in transaction"):
        age = session.state_age(now) or 0.0
        return Tone.ALERT if age >= options.idle_in_transaction_s else Tone.WARN
    if state == "active" and (session.query_age(now) or 0.0) >= options.long_query_s:
        return Tone.WARN
    if state == "idle":
        return Tone.MUTED
    return Tone.NORMAL


def _client(session: Session) -> str:
    if session.client_addr is None:
        return "local" if session.client_port == -1 else ""
    return session.client_addr


def _is_active(session: Session) -> bool:
    return (session.state or "").startswith("active")


def follows_the_clock(session: Session) -> bool:
    """Whether the session's row changes as time passes: its query or transaction age shows.
    Anything else (an idle session) keeps its row while its model is the same object."""
    return session.xact_start is not None or _is_active(session)


def session_row(session: Session, options: ActivityOptions, now: datetime) -> TableRow:
    active = _is_active(session)
    # An idle session always "waits" for its client (Client:ClientRead): only noise.
    wait = ":".join(p for p in (session.wait_event_type, session.wait_event) if p) if active else ""
    query_age = session.query_age(now) if active else None
    xact_age = session.xact_age(now)
    cells = {
        "pid": Cell(str(session.pid), session.pid),
        "database": Cell(printable(session.database or ""), session.database or ""),
        "user": Cell(printable(session.user or ""), session.user or ""),
        "application": Cell(one_line(session.application), session.application),
        "client": Cell(printable(_client(session)), _client(session)),
        "state": Cell(
            short_state(session.state) or session.backend_type or "", session.state or ""
        ),
        "wait": Cell(printable(wait), wait or None),
        "query_age": Cell(fmt.duration(query_age), query_age),
        "xact_age": Cell(fmt.duration(xact_age), xact_age),
        "xmin_age": Cell(fmt.number(session.backend_xmin_age), session.backend_xmin_age),
        "query": Cell(one_line(session.query, 500), session.query),
    }
    return TableRow(str(session.pid), cells, session_tone(session, options, now), session)


LISTED_BACKENDS = ("client backend", "autovacuum worker", "walsender")
"""The backends Activity lists (idle ones only when asked for)."""


def is_idle(session: Session) -> bool:
    return session.state in ("idle", None)


def activity_rows(
    snapshot: Snapshot, options: ActivityOptions, memo: RowMemo | None = None
) -> list[TableRow]:
    """With a memo, a row is built once and handed out again while its session's model is
    the same object (the poller reuses it while the session is unchanged) and, if the row
    shows an age, the clock has not moved (the same snapshot redrawn after a sort or filter).
    Rows of hidden idle sessions are kept too, so `I` only has to show them."""
    memo = memo or RowMemo()
    memo.start(replace(options, show_idle=False))  # rows do not depend on what is shown
    now = snapshot.server.now
    rows = []
    for s in snapshot.sessions:
        if s.backend_type not in LISTED_BACKENDS:
            continue
        inputs = (s, now) if follows_the_clock(s) else (s,)
        row = memo.row(s.pid, inputs, partial(session_row, s, options, now))
        assert row is not None
        if options.show_idle or not is_idle(s):
            rows.append(row)
    return rows


def activity_summary(snapshot: Snapshot, options: ActivityOptions) -> str:
    """The line above the table: counts by state and what is hidden."""
    clients = snapshot.clients
    active, in_tx, waiting = clients.active, clients.idle_in_transaction, clients.waiting_on_locks
    idle = snapshot.idle_client_count
    hidden = "" if options.show_idle else f" ({idle} idle hidden: I shows them)"
    return (
        f"{snapshot.client_count}/{snapshot.server.max_connections} connections: {active} active, "
        f"{in_tx} idle in transaction, {waiting} waiting on locks, {idle} idle{hidden}"
    )
