"""Key press to screen update on a real pseudo-terminal, while pgwatch polls every second.

The key is `I` on Activity, which shows or hides the idle sessions: heavy (it refills the
table) and unmistakable in the output, so a refresh that happens to arrive first is never
taken for the answer. Presses are spread over the refresh cycle."""

from __future__ import annotations

import random
import sys
import time

from benchmarks.pty_run import on_a_terminal

HIDDEN = "idle hidden"  # the Activity summary while idle sessions are hidden
SHOWN = "bench idle"  # application_name of the idle sessions: rows that appear when shown


def key_latencies(conninfo: str, presses: int) -> list[float]:
    """Milliseconds from writing `I` to the first output showing its effect."""
    argv = [sys.executable, "-m", "pgwatch_tui", "--refresh", "1", conninfo]
    rng = random.Random(7)
    latencies: list[float] = []
    with on_a_terminal(argv, 200, 50) as term:
        term.wait_for(b"commits/s", seconds=30)
        term.press_until("2", HIDDEN)
        term.read_for(2.0)
        showing = False
        for _ in range(presses):
            term.read_for(rng.uniform(0.1, 0.9))  # land anywhere in the 1 s refresh cycle
            began = time.perf_counter()
            term.type("I", settle_s=0)
            showing = not showing
            term.wait_to_show(SHOWN if showing else HIDDEN, seconds=30)
            latencies.append((time.perf_counter() - began) * 1000)
    return latencies
