"""Ending the dashboard when it is told to (SIGTERM) or its terminal goes away (SIGHUP).

Both exit with status 128 + signal. A hung-up terminal needs two extra precautions:
- the kernel follows SIGHUP with SIGCONT, and Textual answers SIGCONT by restarting its
  display on the dead terminal, which can leave the shutdown waiting forever on a writer
  thread that no longer runs; so SIGCONT is ignored from then on;
- nobody is left to see a graceful goodbye, so if the shutdown still takes longer than
  `HANGUP_GRACE_S` the process ends anyway (connections close with the process; a demo
  cluster is removed by its reaper).
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType

HANGUP_GRACE_S = 0.8
HANDLED = (signal.SIGTERM, signal.SIGHUP)

_Handler = Callable[[int, FrameType | None], object] | int | signal.Handlers | None


def _ignore(_sig: int, _frame: FrameType | None) -> None:
    return None


class ExitOnSignals:
    """Installed while the dashboard runs; `disarm` once it has returned."""

    def __init__(self, exit_app: Callable[[int], None]) -> None:
        self._exit_app = exit_app
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous: dict[int, _Handler] = {}
        self._watchdog: threading.Timer | None = None

    def install(self) -> None:
        self._loop = asyncio.get_running_loop()
        for sig in HANDLED:
            self._previous[sig] = signal.signal(sig, self._on_signal)

    def disarm(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()

    def _on_signal(self, sig: int, _frame: FrameType | None) -> None:
        # A Python-level handler (not loop.add_signal_handler) so that it runs before the
        # SIGCONT that a hang-up brings: signals are handled in number order.
        code = 128 + sig
        if sig == signal.SIGHUP:
            signal.signal(signal.SIGCONT, _ignore)
            if self._watchdog is None:
                self._watchdog = threading.Timer(HANGUP_GRACE_S, os._exit, args=(code,))
                self._watchdog.daemon = True
                self._watchdog.start()
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._exit_app, code)
