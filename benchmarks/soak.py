"""Memory over a long watch: pgwatch on a pseudo-terminal at a 1 s refresh, moving between
panes, its resident set size sampled every minute."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

import psutil

from benchmarks.pty_run import on_a_terminal

PANES = "123456"
PANE_EVERY_S = 10.0


@dataclass(frozen=True)
class SoakFigures:
    minutes: float
    rss_mb_by_minute: list[float]

    @property
    def rss_end_mb(self) -> float:
        return self.rss_mb_by_minute[-1]

    @property
    def growth_after_5_min_mb(self) -> float | None:
        if len(self.rss_mb_by_minute) <= 5:
            return None
        return self.rss_mb_by_minute[-1] - self.rss_mb_by_minute[5]


def soak(conninfo: str, minutes: float, log: object = print) -> SoakFigures:
    argv = [sys.executable, "-m", "pgwatch_tui", "--refresh", "1", conninfo]
    samples: list[float] = []
    with on_a_terminal(argv, 200, 50) as term:
        term.wait_for(b"commits/s", seconds=30)
        process = psutil.Process(term.pid)
        began = time.monotonic()
        next_sample = began
        turn = 0
        while time.monotonic() - began < minutes * 60:
            if time.monotonic() >= next_sample:
                samples.append(process.memory_info().rss / 2**20)
                log(f"  soak minute {len(samples) - 1}: {samples[-1]:.1f} MB")  # type: ignore[operator]
                next_sample += 60
            term.type(PANES[turn % len(PANES)], settle_s=PANE_EVERY_S)
            turn += 1
        samples.append(process.memory_info().rss / 2**20)
    return SoakFigures(minutes=minutes, rss_mb_by_minute=samples)
