"""The session screen: every pg_stat_activity field, who it waits for and blocks, its locks."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.model.rows import Session
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.safe_text import one_line, printable


class Line(NamedTuple):
    text: str
    heading: bool = False  # a line that says what follows (shown bold)


class LockRow(NamedTuple):
    granted: bool
    mode: str
    locktype: str
    on: str


def session_fields(s: Session, now: datetime) -> list[tuple[str, str]]:
    """Every field, ages as of `now` (the server clock of the snapshot it was seen in)."""
    wait = ":".join(p for p in (s.wait_event_type, s.wait_event) if p) or "—"
    return [
        ("pid", str(s.pid) + (f" (parallel worker of {s.leader_pid})" if s.leader_pid else "")),
        ("database", printable(s.database or "—")),
        ("user", printable(s.user or "—")),
        ("application", printable(s.application or "—")),
        (
            "client",
            printable(f"{s.client_addr}:{s.client_port}") if s.client_addr else "local socket",
        ),
        ("backend type", s.backend_type or "starting"),
        ("state", f"{s.state or '—'} for {fmt.duration(s.state_age(now))}"),
        ("wait event", printable(wait)),
        ("connected", f"{s.backend_start:%Y-%m-%d %H:%M:%S}" if s.backend_start else "—"),
        ("transaction age", fmt.duration(s.xact_age(now))),
        ("query age", fmt.duration(s.query_age(now))),
        ("backend xmin age", fmt.number(s.backend_xmin_age)),
        ("backend xid age", fmt.number(s.backend_xid_age)),
        ("query id", str(s.query_id) if s.query_id is not None else "—"),
        (
            "query length",
            f"{s.query_length} characters"
            + (" (truncated by track_activity_query_size)" if s.query_truncated else ""),
        ),
    ]


def session_title(s: Session, seen_at: datetime, gone: bool) -> str:
    parts = [f"Session {s.pid}"]
    if gone:
        parts.append("ended (last seen values)")
    parts.append(printable(f"{s.user or '?'}@{s.database or '?'}"))
    if s.application:
        parts.append(one_line(s.application, 30))
    parts.append(f"{s.state or s.backend_type or ''} {fmt.duration(s.state_age(seen_at))}")
    if s.wait_event_type and s.state == "active":
        parts.append(printable(f"{s.wait_event_type}:{s.wait_event}"))
    return " · ".join(parts)


def blocking_lines(pid: int, snapshot: Snapshot) -> list[Line]:
    """What the session waits for and who blocks it, then whom it blocks; [] for neither."""
    sessions = {s.pid: s for s in snapshot.sessions}
    mine = next((w for w in snapshot.lock_waits if w.pid == pid), None)
    victims = [w for w in snapshot.lock_waits if pid in w.blocking_pids]
    lines: list[Line] = []
    if mine is not None:
        on = printable(mine.relation) if mine.relation else mine.target
        lines.append(Line(""))  # apart from the query above it
        lines.append(
            Line(
                f"Waits for {mine.mode} on {on} since {fmt.duration(mine.wait_age_s)}, blocked by:",
                heading=True,
            )
        )
        for blocker in mine.blocking_pids:
            other = sessions.get(blocker)
            what = one_line(other.query, 70) if other else "(not visible)"
            user = printable(other.user or "") if other else ""
            lines.append(Line(f"  {blocker}  {user}  {what}"))
    if victims:
        lines.append(Line(f"Blocks {fmt.count(len(victims), 'session')}:", heading=True))
        for wait in victims:
            other = sessions.get(wait.pid)
            what = one_line(other.query, 70) if other else ""
            lines.append(
                Line(
                    f"  {wait.pid}  wants {wait.mode}, waiting"
                    f" {fmt.duration(wait.wait_age_s)}  {what}"
                )
            )
    return lines


def lock_rows(snapshot: Snapshot) -> list[LockRow]:
    """The locks the followed session holds or waits for (the session_locks probe)."""
    return [
        LockRow(
            lock.granted,
            lock.mode,
            lock.locktype,
            printable(lock.relation) if lock.relation else printable(lock.target),
        )
        for lock in snapshot.session_locks
    ]
