"""The dashboard's signal handlers come and go with it, and a hang-up silences SIGCONT."""

from __future__ import annotations

import asyncio
import os
import signal

from pgwatch_tui.ui.exit_signals import ExitOnSignals


def test_a_signal_asks_the_app_to_exit_with_128_plus_it_and_disarm_restores_handlers() -> None:
    codes: list[int] = []
    before = signal.getsignal(signal.SIGTERM)

    async def run() -> None:
        handlers = ExitOnSignals(codes.append)
        handlers.install()
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.sleep(0.05)
        handlers.disarm()

    asyncio.run(run())
    assert codes == [128 + signal.SIGTERM]
    assert signal.getsignal(signal.SIGTERM) is before


def test_hang_up_ignores_the_sigcont_that_follows_it() -> None:
    codes: list[int] = []
    cont_before = signal.getsignal(signal.SIGCONT)
    resumed: list[int] = []
    signal.signal(signal.SIGCONT, lambda sig, _frame: resumed.append(sig))

    async def run() -> None:
        handlers = ExitOnSignals(codes.append)
        handlers.install()
        os.kill(os.getpid(), signal.SIGHUP)
        os.kill(os.getpid(), signal.SIGCONT)
        await asyncio.sleep(0.05)
        handlers.disarm()

    try:
        asyncio.run(run())
    finally:
        signal.signal(signal.SIGCONT, cont_before)
    assert codes == [128 + signal.SIGHUP]
    assert resumed == []
