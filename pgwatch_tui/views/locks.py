"""The lock tree: each root blocker with the sessions waiting behind it, as deep as it goes.

A root blocker blocks others and waits for nobody. A victim blocked by several sessions appears
under each of them, marked with the others. Sessions that wait on each other in a circle (a
deadlock the server has not broken yet) have no root: the lowest pid of each circle is shown
as one, marked. The tree is capped so a lock storm cannot make it unbounded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.model.rows import LockWait, Session
from pgwatch_tui.core.safe_text import one_line, printable

MAX_NODES = 5000
PREPARED_TRANSACTION_PID = 0  # pg_blocking_pids() reports a prepared transaction as pid 0


@dataclass(frozen=True)
class LockNode:
    """One session in the tree, with what it waits for and who waits behind it."""

    pid: int
    session: Session | None
    wait: LockWait | None
    holds: tuple[str, ...]
    also_blocked_by: tuple[int, ...] = ()
    cycle: bool = False
    children: tuple[LockNode, ...] = field(default=())
    xact_age_s: float | None = None  # the session's transaction, at the snapshot's clock

    @property
    def victims(self) -> int:
        """Sessions below this one, counted once each."""
        seen: set[int] = set()
        stack = list(self.children)
        while stack:
            node = stack.pop()
            if node.pid not in seen:
                seen.add(node.pid)
                stack.extend(node.children)
        return len(seen)


@dataclass(frozen=True)
class LockForest:
    roots: tuple[LockNode, ...]
    waiting: int
    truncated: int = 0  # nodes left out because of MAX_NODES


class _Builder:
    def __init__(self, waits: list[LockWait], sessions: dict[int, Session], now: datetime) -> None:
        self.waits = {w.pid: w for w in waits}
        self.sessions = sessions
        self.now = now
        self.victims: dict[int, list[int]] = defaultdict(list)
        for wait in waits:
            for blocker in dict.fromkeys(wait.blocking_pids):
                self.victims[blocker].append(wait.pid)
        for pids in self.victims.values():
            pids.sort()
        self.count = 0
        self.placed: set[int] = set()
        self.skipped: set[int] = set()  # left out because the tree reached MAX_NODES

    def holds(self, pid: int) -> tuple[str, ...]:
        modes: set[str] = set()
        for victim in self.victims.get(pid, []):
            modes.update(self.waits[victim].blocker_modes)
        return tuple(sorted(modes))

    def xact_age(self, pid: int) -> float | None:
        session = self.sessions.get(pid)
        return session.xact_age(self.now) if session is not None else None

    def node(self, pid: int, parent: int | None, path: frozenset[int]) -> LockNode:
        self.count += 1
        self.placed.add(pid)
        wait = self.waits.get(pid)
        others = tuple(p for p in (wait.blocking_pids if wait else []) if p != parent)
        children = []
        for victim in self.victims.get(pid, []):
            if victim in path or victim == pid:
                children.append(
                    LockNode(
                        victim,
                        self.sessions.get(victim),
                        self.waits.get(victim),
                        (),
                        cycle=True,
                        xact_age_s=self.xact_age(victim),
                    )
                )
                continue
            if self.count >= MAX_NODES:
                self.skipped.add(victim)
                continue
            children.append(self.node(victim, pid, path | {pid}))
        return LockNode(
            pid=pid,
            session=self.sessions.get(pid),
            wait=wait,
            holds=self.holds(pid),
            also_blocked_by=tuple(dict.fromkeys(others)),
            cycle=pid in path,
            children=tuple(children),
            xact_age_s=self.xact_age(pid),
        )


def build_lock_tree(
    waits: list[LockWait] | tuple[LockWait, ...],
    sessions: list[Session] | tuple[Session, ...],
    now: datetime,
) -> LockForest:
    """Roots first by how many sessions they hold up, then by pid; ages as of `now`."""
    builder = _Builder(list(waits), {s.pid: s for s in sessions}, now)
    root_pids = sorted(pid for pid in builder.victims if pid not in builder.waits)
    roots = [builder.node(pid, None, frozenset()) for pid in root_pids]
    # Whatever is left waits in a circle (or behind something invisible): show each circle once.
    for pid in sorted(builder.waits):
        if pid in builder.placed or pid in builder.skipped:
            continue
        if builder.count >= MAX_NODES:
            builder.skipped.add(pid)
        else:
            roots.append(replace(builder.node(pid, None, frozenset()), cycle=True))
    roots.sort(key=lambda n: (n.cycle, -n.victims, n.pid))
    truncated = len(builder.skipped - builder.placed)
    return LockForest(tuple(roots), waiting=len(builder.waits), truncated=truncated)


def _who(node: LockNode) -> str:
    if node.pid == PREPARED_TRANSACTION_PID:
        return "prepared transaction"
    s = node.session
    if s is None:
        return f"{node.pid} (gone or not visible)"
    user = printable(s.user or "?")
    app = f" {one_line(s.application, 20)}" if s.application else ""
    return f"{node.pid} {user}{app} {s.state or s.backend_type or ''}"


def node_label(node: LockNode, query_width: int = 60) -> str:
    """One line: pid, user, state, lock wanted or held, relation, wait age, query."""
    parts = [_who(node)]
    if node.wait is not None:
        wait = node.wait
        on = printable(wait.relation) if wait.relation else wait.target
        if wait.relation and wait.locktype != "relation":
            on = f"{on} ({wait.target})"
        parts.append(f"wants {wait.mode} on {on}")
        parts.append(f"waiting {fmt.duration(wait.wait_age_s)}")
    if node.holds:
        parts.append(f"holds {', '.join(node.holds)}")
    if node.wait is None and node.session is not None:
        parts.append(f"xact {fmt.duration(node.xact_age_s)}")
    if node.also_blocked_by:
        parts.append("also blocked by " + ", ".join(str(p) for p in node.also_blocked_by))
    if node.cycle:
        parts.append("WAIT CYCLE")
    if node.children:
        parts.append(f"blocks {node.victims}")
    if node.session is not None and node.session.query:
        parts.append(one_line(node.session.query, query_width))
    return " · ".join(parts)


def lock_summary(forest: LockForest) -> str:
    if not forest.waiting:
        return "No session is waiting on a lock."
    roots = [r for r in forest.roots if not r.cycle]
    cycles = len(forest.roots) - len(roots)
    waiting = fmt.count(forest.waiting, "session")
    text = f"{waiting} waiting behind {fmt.count(len(roots), 'root blocker')}"
    if cycles:
        text += f", {fmt.count(cycles, 'wait cycle')}"
    if forest.truncated:
        text += f"; {forest.truncated} more not shown"
    return text + "."
