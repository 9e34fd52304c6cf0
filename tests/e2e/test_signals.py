"""The SSH link drops, someone kills pgwatch, the terminal goes away: the dashboard, running on
a real pseudo-terminal, exits within a second, gives the terminal back, and leaves nothing
running behind it."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pgwatch_tui.sandbox.cluster import SandboxCluster

LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"
EXIT_WITHIN_S = 1.0


@dataclass
class Dashboard:
    pid: int
    fd: int
    output: bytearray

    def read_for(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def wait_for(self, marker: bytes, seconds: float = 20.0) -> None:
        deadline = time.monotonic() + seconds
        while marker not in self.output and time.monotonic() < deadline:
            self.read_for(0.1)
        assert marker in self.output, f"never saw {marker!r}"

    def exited_within(self, seconds: float) -> int | None:
        """The exit code if the process ended within `seconds` (reading its output meanwhile)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            self.read_for(0.02)
        return None


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
def dashboard(cluster: SandboxCluster) -> Iterator[Dashboard]:
    pid, fd = pty.fork()
    if pid == 0:  # the child: an 80x24 terminal, then pgwatch on it
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = dict(os.environ, TERM="xterm-256color")
        os.execvpe(sys.executable, [sys.executable, "-m", "pgwatch_tui", cluster.conninfo()], env)
    running = Dashboard(pid, fd, bytearray())
    try:
        running.wait_for(b"Overview")
        running.wait_for(b"commits/s")  # the first frame with data
        yield running
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        with contextlib.suppress(OSError):
            os.close(fd)


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_signal_ends_it_at_once_and_restores_the_terminal(
    dashboard: Dashboard, sig: signal.Signals
) -> None:
    before = len(dashboard.output)
    os.kill(dashboard.pid, sig)
    code = dashboard.exited_within(EXIT_WITHIN_S)
    assert code is not None, f"still running {EXIT_WITHIN_S} s after {sig.name}"
    assert code == 128 + sig
    dashboard.read_for(0.2)
    assert LEAVE_ALTERNATE_SCREEN in dashboard.output[before:]
    assert _in_session(dashboard.pid) == []


def test_terminal_going_away_ends_it(dashboard: Dashboard) -> None:
    os.close(dashboard.fd)  # the terminal emulator (or sshd) closes its end
    dashboard.fd = os.open(os.devnull, os.O_RDONLY)  # so the fixture's close is harmless
    code = dashboard.exited_within(EXIT_WITHIN_S)
    assert code is not None, f"still running {EXIT_WITHIN_S} s after the terminal went away"
    assert _in_session(dashboard.pid) == []
