"""The polling loop: cadence, pause, on-demand refresh, and reconnection with backoff."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from pgwatch_tui.core.collect.poller import ConnectionLost, Poller, TickFailed
from pgwatch_tui.core.collect.probes import PollContext
from pgwatch_tui.core.errors import ConnectError
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.source import (
    Connected,
    Reconnecting,
    SnapshotTaken,
    SourceEvent,
    TickSkipped,
)

MIN_REFRESH_S = 0.5
MAX_REFRESH_S = 60.0


def next_backoff(attempt: int, first: float = 1.0, cap: float = 30.0) -> float:
    """Delay before reconnect attempt number `attempt` (1-based): 1, 2, 4 ... capped at 30."""
    return min(cap, first * 2.0 ** max(attempt - 1, 0))


class Monitor:
    """Drives a connected Poller; implements the SnapshotSource the dashboard consumes."""

    def __init__(self, poller: Poller, refresh_s: float) -> None:
        self.poller = poller
        self.label = poller.label
        self._refresh_s = refresh_s
        self._paused = False
        self._wanted: frozenset[str] | None = None
        self._force: frozenset[str] = frozenset()
        self._context = PollContext()
        self._wake = asyncio.Event()
        self._closed = False
        self._first: asyncio.Task[Snapshot] | None = None

    # ---- controls (called from the UI thread/loop) --------------------------------------

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
        self._wake.set()

    def set_refresh(self, seconds: float) -> None:
        self._refresh_s = min(MAX_REFRESH_S, max(MIN_REFRESH_S, seconds))
        self._wake.set()

    def set_wanted(self, probes: frozenset[str] | None) -> None:
        changed = probes != self._wanted
        self._wanted = probes
        if changed:
            self._wake.set()  # a newly shown pane wants its data now, not next tick

    def set_context(self, context: PollContext) -> None:
        """What the visible screen focuses on: one session's locks, whether idle ones are listed."""
        if context != self._context:
            self._context = context
            self._wake.set()

    def poll_now(self, force: frozenset[str] = frozenset()) -> None:
        self._force = self._force | force
        self._wake.set()

    async def close(self) -> None:
        self._closed = True
        self._wake.set()
        if self._first is not None:
            self._first.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._first  # its error, if any, belongs to nobody now
            self._first = None
        await self.poller.close()

    # ---- the first poll, started before there is a screen ----------------------------------

    def start_first_poll(self, wanted: frozenset[str] | None = None) -> None:
        """Begin the first poll now, while the dashboard is still being built: the screen then
        opens on data instead of drawing empty frames while the poll waits its turn.

        `wanted` is what the first screen shows (None: every probe)."""
        if self._first is None and self.poller.connected:
            self._wanted = wanted
            self._first = asyncio.create_task(self.poller.poll(wanted))

    async def first_poll_done(self, within_s: float) -> None:
        """Wait up to `within_s` for the first poll; a slow server gets a screen meanwhile."""
        if self._first is not None:
            await asyncio.wait({self._first}, timeout=within_s)

    async def _next_snapshot(self, force: frozenset[str]) -> Snapshot:
        first, self._first = self._first, None
        if first is not None:
            return await first  # raises as a poll would: ConnectionLost, TickFailed
        return await self.poller.poll(self._wanted, force, self._context)

    # ---- the loop -------------------------------------------------------------------------

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but wake early for a control change (including one made while polling)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        self._wake.clear()

    async def events(self) -> AsyncIterator[SourceEvent]:
        """Snapshots at the refresh cadence; reconnection events when the server goes away."""
        attempt = 0
        if self.poller.connected and self.poller.capabilities is not None:
            yield Connected(self.poller.label, self.poller.capabilities, reconnected=False)
        while not self._closed:
            # A first poll already under way is reported before anything else, even a failure.
            first_pending = self._first is not None
            if not first_pending and not self.poller.connected:
                try:
                    report = await self.poller.connect()
                except ConnectError as exc:
                    attempt += 1
                    delay = next_backoff(attempt)
                    yield Reconnecting(exc.message, delay, attempt)
                    await self._sleep_through(delay)
                    continue
                attempt = 0
                self.label = self.poller.label
                yield Connected(self.poller.label, report, reconnected=True)
            if not first_pending and self._paused and not self._force:
                await self._sleep(3600)
                continue
            force, self._force = self._force, frozenset()
            try:
                snapshot = await self._next_snapshot(force)
            except ConnectionLost as exc:
                attempt += 1
                delay = next_backoff(attempt)
                yield Reconnecting(exc.reason, delay, attempt)
                await self._sleep_through(delay)
                continue
            except TickFailed as exc:
                yield TickSkipped(str(exc))
            else:
                yield SnapshotTaken(snapshot)
            await self._sleep(self._refresh_s)

    async def _sleep_through(self, seconds: float) -> None:
        """Backoff waits are not shortened by control changes, only by close()."""
        deadline = asyncio.get_running_loop().time() + seconds
        while not self._closed:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return
            await self._sleep(remaining)
