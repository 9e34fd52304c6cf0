"""The SSH link drops, someone kills pgwatch, the terminal goes away: the dashboard, running on
a real pseudo-terminal, exits within a second, gives the terminal back, and leaves nothing
running behind it."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from pgwatch_tui.sandbox.cluster import SandboxCluster
from tests.terminal import Terminal, pgwatch_on_a_terminal

LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"
EXIT_WITHIN_S = 1.0


def _in_session(sid: int) -> list[int]:
    """Processes still in the session the dashboard led (its children, if any)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


@pytest.fixture
def dashboard(cluster: SandboxCluster) -> Iterator[Terminal]:
    with pgwatch_on_a_terminal([cluster.conninfo()]) as running:
        running.wait_for(b"Overview")
        running.wait_for(b"commits/s")  # the first frame with data
        yield running


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_signal_ends_it_at_once_and_restores_the_terminal(
    dashboard: Terminal, sig: signal.Signals
) -> None:
    before = len(dashboard.output)
    os.kill(dashboard.pid, sig)
    code = dashboard.exited_within(EXIT_WITHIN_S)
    assert code is not None, f"still running {EXIT_WITHIN_S} s after {sig.name}"
    assert code == 128 + sig
    dashboard.read_for(0.2)
    assert LEAVE_ALTERNATE_SCREEN in dashboard.output[before:]
    assert _in_session(dashboard.pid) == []


def test_terminal_going_away_ends_it(dashboard: Terminal) -> None:
    os.close(dashboard.fd)  # the terminal emulator (or sshd) closes its end
    dashboard.fd = os.open(os.devnull, os.O_RDONLY)  # so the fixture's close is harmless
    code = dashboard.exited_within(EXIT_WITHIN_S)
    assert code is not None, f"still running {EXIT_WITHIN_S} s after the terminal went away"
    assert _in_session(dashboard.pid) == []
