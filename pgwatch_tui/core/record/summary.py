"""The human-readable `pgwatch snapshot`: a short report a DBA can read in a terminal or a mail.

Every server-supplied string passes through `one_line`/`printable`, so nothing it contains can
reach the terminal as an escape sequence.
"""

from __future__ import annotations

from collections import Counter

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.diagnose.replication_health import Concern, replication_problems
from pgwatch_tui.core.model.capabilities import Severity
from pgwatch_tui.core.model.snapshot import ProbeState, Snapshot
from pgwatch_tui.core.record.export import top_statements
from pgwatch_tui.core.safe_text import one_line, printable

WIDTH = 100


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: list[str]) -> str:
        parts = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  " + "  ".join(parts).rstrip()

    return [line(headers), *(line(r) for r in rows)]


def _header(snapshot: Snapshot, target: str) -> list[str]:
    server = snapshot.server
    role = f"{printable(server.current_user)}{' (superuser)' if server.is_superuser else ''}"
    standby = ", standby" if server.in_recovery else ""
    interval = f" over {snapshot.interval_s:.1f}s" if snapshot.interval_s else ""
    return [
        f"pgwatch snapshot of {printable(target)}",
        f"  PostgreSQL {server.version}{standby}, up {fmt.duration(server.uptime_s)}, "
        f"role {role}, taken {snapshot.taken_at:%Y-%m-%d %H:%M:%S %Z}{interval}",
    ]


def _capabilities(snapshot: Snapshot) -> list[str]:
    report = snapshot.capabilities
    gaps = [i for i in report.items if i.severity is not Severity.OK]
    if not gaps:
        return ["", "Capabilities: everything pgwatch uses is available"]
    lines = ["", f"Capabilities: {len(report.warnings)} warning(s), {len(gaps)} gap(s)"]
    for item in gaps:
        mark = "!" if item.severity is Severity.WARNING else "-"
        lines.append(f"  {mark} {printable(item.summary)}")
        if item.fix:
            lines.append(f"      fix: {printable(item.fix)}")
    return lines


def _databases(snapshot: Snapshot) -> list[str]:
    rates = snapshot.rates_by_datid
    rows = []
    for db in snapshot.databases:
        r = rates.get(db.datid)
        rows.append(
            [
                one_line(db.name, 24),
                fmt.number(r.tps if r else None),
                fmt.number(r.commits_per_s if r else None),
                fmt.number(r.rollbacks_per_s if r else None),
                fmt.percent(r.cache_hit_ratio if r else None),
                fmt.percent(r.cumulative_cache_hit_ratio if r else None),
                str(db.numbackends),
                str(db.deadlocks),
                fmt.number(db.frozen_xid_age),
            ]
        )
    headers = ["database", "tps", "commit/s", "rollback/s", "hit now", "hit all", "backends"]
    headers += ["deadlocks", "xid age"]
    return ["", "Databases", *_table(headers, rows, set(range(1, 9)))]


def _sessions(snapshot: Snapshot, long_query_s: float) -> list[str]:
    clients = [s for s in snapshot.sessions if s.is_client]
    states: Counter[str] = Counter()
    for state, n in snapshot.clients.by_state.items():
        states[state or "unknown"] += n
    if snapshot.unlisted_idle_clients:
        states["idle"] += snapshot.unlisted_idle_clients
    waiting = snapshot.clients.waiting_on_locks
    parts = ", ".join(f"{n} {state}" for state, n in states.most_common())
    lines = [
        "",
        f"Sessions: {snapshot.client_count} client backends of max_connections "
        f"{snapshot.server.max_connections} ({parts or 'none'}); {waiting} waiting on locks",
    ]
    now = snapshot.server.now
    in_xact = [s for s in clients if s.xact_start is not None]
    if in_xact:
        oldest = max(in_xact, key=lambda s: s.xact_age(now) or 0.0)
        lines.append(
            f"  oldest transaction: {fmt.duration(oldest.xact_age(now))} (pid {oldest.pid}, "
            f"{one_line(oldest.application or '-', 30)}, {oldest.state})"
        )
    for s in clients:
        idle_xact = s.state is not None and s.state.startswith("idle in transaction")
        long_running = s.state == "active" and (s.query_age(now) or 0) >= long_query_s
        if idle_xact or long_running:
            what = "idle in transaction" if idle_xact else "running"
            age = s.state_age(now) if idle_xact else s.query_age(now)
            lines.append(f"  pid {s.pid} {what} for {fmt.duration(age)}: {one_line(s.query, 70)}")
    return lines


def _locks(snapshot: Snapshot) -> list[str]:
    if not snapshot.lock_waits:
        return []
    lines = ["", f"Lock waits: {len(snapshot.lock_waits)}"]
    for w in snapshot.lock_waits:
        on = printable(w.relation) if w.relation else w.target
        holds = f" (holding {', '.join(w.blocker_modes)})" if w.blocker_modes else ""
        blockers = ", ".join(str(p) for p in w.blocking_pids) or "?"
        lines.append(
            f"  pid {w.pid} wants {w.mode} on {on} for {fmt.duration(w.wait_age_s)}, "
            f"blocked by {blockers}{holds}"
        )
    return lines


def _statements(snapshot: Snapshot, top: int) -> list[str]:
    state = snapshot.probe_state("statements")
    if state is not ProbeState.OK:
        reason = snapshot.probes["statements"].reason if "statements" in snapshot.probes else None
        return ["", f"Statements: {state.value}{f' ({reason})' if reason else ''}"]
    deltas = snapshot.delta_by_key
    rows = []
    for s in top_statements(snapshot, top):
        d = deltas.get(s.key)
        rows.append(
            [
                fmt.number(d.calls_per_s if d else None),
                fmt.milliseconds(d.exec_ms_per_s if d else None),
                fmt.milliseconds(d.mean_exec_ms if d else None),
                fmt.number(s.calls),
                fmt.milliseconds(s.mean_exec_ms),
                one_line(s.query or "<text not fetched>", 60),
            ]
        )
    headers = ["calls/s", "ms/s", "mean ms", "calls", "mean all", "query"]
    title = f"Top statements ({len(snapshot.statements)} tracked, busiest in the interval first)"
    return ["", title, *_table(headers, rows, {0, 1, 2, 3, 4})]


def _relations(snapshot: Snapshot) -> list[str]:
    if not snapshot.tables:
        return []
    biggest = sorted(snapshot.tables, key=lambda t: t.total_bytes, reverse=True)[:5]
    dead = sorted(snapshot.tables, key=lambda t: t.n_dead_tup, reverse=True)[:1]
    unused = [i for i in snapshot.indexes if i.idx_scan == 0 and not i.is_unique]
    lines = ["", f"Tables: {len(snapshot.tables)}, indexes: {len(snapshot.indexes)}"]
    lines.append(
        "  largest: "
        + ", ".join(f"{one_line(t.name, 30)} {fmt.size(t.total_bytes)}" for t in biggest)
    )
    if dead and dead[0].n_dead_tup:
        t = dead[0]
        lines.append(f"  most dead rows: {one_line(t.name, 30)} ({fmt.number(t.n_dead_tup)})")
    if unused:
        names = ", ".join(one_line(i.name, 40) for i in unused[:5])
        lines.append(f"  never scanned (non-unique): {names}")
    return lines


def _replication(snapshot: Snapshot) -> list[str]:
    senders, slots = len(snapshot.replication), len(snapshot.replication_slots)
    if not (senders or slots or snapshot.recovery or snapshot.archiver):
        return []
    role = "standby" if snapshot.server.in_recovery else "primary"
    counts = f"{role}, {fmt.count(senders, 'WAL sender')}, {fmt.count(slots, 'slot')}"
    problems = replication_problems(snapshot)
    if not problems:
        return ["", f"Replication: {counts}, no problem"]
    lines = ["", f"Replication: {counts}, {fmt.count(len(problems), 'problem')}"]
    for problem in problems:
        mark = "!" if problem.concern is Concern.SEVERE else "-"
        lines.append(f"  {mark} {problem.text}")
    return lines


def _probes(snapshot: Snapshot) -> list[str]:
    troubled = {
        name: status
        for name, status in snapshot.probes.items()
        if status.state in (ProbeState.STALE, ProbeState.OFF)
    }
    if not troubled:
        return []
    lines = ["", "Probes with problems"]
    for name, status in troubled.items():
        lines.append(f"  {name}: {status.state.value}: {printable(status.reason or '')}")
    return lines


def render_summary(
    snapshot: Snapshot, *, target: str, top: int = 10, long_query_s: float = 60.0
) -> str:
    """The whole human report, ending with a newline."""
    lines = [
        *_header(snapshot, target),
        *_capabilities(snapshot),
        *_databases(snapshot),
        *_sessions(snapshot, long_query_s),
        *_locks(snapshot),
        *_replication(snapshot),
        *_statements(snapshot, top),
        *_relations(snapshot),
        *_probes(snapshot),
    ]
    return "\n".join(lines) + "\n"
