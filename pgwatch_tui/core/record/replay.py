"""A snapshot source that replays recorded snapshots instead of polling a server.

The UI tests and the screenshots use it with the fixtures recorded from the demo cluster
(scripts/record_fixtures.py), so they show exactly what a real server produced.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import timedelta
from pathlib import Path

from pgwatch_tui.core.collect.probes import PollContext
from pgwatch_tui.core.model.rows import Session
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.source import Connected, SnapshotTaken, SourceEvent


def load_snapshots(path: Path) -> list[Snapshot]:
    """One snapshot per line of a JSON Lines file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Snapshot.model_validate_json(line) for line in lines if line.strip()]


SESSION_TIMES = ("backend_start", "xact_start", "query_start", "state_change")


def _moved(session: Session, by: timedelta) -> Session:
    times = {name: getattr(session, name) for name in SESSION_TIMES}
    return session.model_copy(update={k: v + by for k, v in times.items() if v is not None})


def spread(snapshots: Sequence[Snapshot], seconds: float) -> list[Snapshot]:
    """Space snapshots `seconds` apart, ending at the last one's time (for history charts).

    Each snapshot moves as a whole: its sessions' start times move with its clock, so every
    age stays what was recorded."""
    if not snapshots:
        return []
    end = snapshots[-1].taken_at
    result = []
    for i, snapshot in enumerate(snapshots):
        when = end - timedelta(seconds=seconds * (len(snapshots) - 1 - i))
        by = when - snapshot.taken_at
        server = snapshot.server.model_copy(update={"now": when})
        sessions = tuple(_moved(s, by) for s in snapshot.sessions) if by else snapshot.sessions
        result.append(
            snapshot.model_copy(update={"taken_at": when, "server": server, "sessions": sessions})
        )
    return result


class ReplaySource:
    """Implements SnapshotSource: connects at once, then yields each snapshot, then waits."""

    def __init__(self, snapshots: Sequence[Snapshot], label: str = "db.example:5432/shop") -> None:
        if not snapshots:
            raise ValueError("nothing to replay")
        self.label = label
        self.snapshots = list(snapshots)
        self.delivered = 0
        self.wanted: frozenset[str] | None = None
        self.context = PollContext()
        self.forced: list[frozenset[str]] = []
        self._paused = False
        self._refresh_s = 2.0
        self._closed = asyncio.Event()

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def refresh_s(self) -> float:
        return self._refresh_s

    def pause(self) -> None:
        self._paused = True

    def resume(self) -> None:
        self._paused = False

    def set_refresh(self, seconds: float) -> None:
        self._refresh_s = seconds

    def set_wanted(self, probes: frozenset[str] | None) -> None:
        self.wanted = probes

    def set_context(self, context: PollContext) -> None:
        self.context = context

    def poll_now(self, force: frozenset[str] = frozenset()) -> None:
        self.forced.append(force)

    async def close(self) -> None:
        self._closed.set()

    async def events(self) -> AsyncIterator[SourceEvent]:
        yield Connected(self.label, self.snapshots[0].capabilities, reconnected=False)
        for snapshot in self.snapshots:
            self.delivered += 1
            yield SnapshotTaken(snapshot)
        await self._closed.wait()
