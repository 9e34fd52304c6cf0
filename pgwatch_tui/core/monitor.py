"""The polling loop: cadence, pause, on-demand refresh, and reconnection with backoff."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from pgwatch_tui.core.errors import ConnectError
from pgwatch_tui.core.events import (
    Connected,
    Reconnecting,
    SnapshotTaken,
    SourceEvent,
    TickSkipped,
)
from pgwatch_tui.core.poller import ConnectionLost, Poller, TickFailed
from pgwatch_tui.core.probes import PollContext

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
        await self.poller.close()

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
            if not self.poller.connected:
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
            if self._paused and not self._force:
                await self._sleep(3600)
                continue
            force, self._force = self._force, frozenset()
            try:
                snapshot = await self.poller.poll(self._wanted, force, self._context)
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
