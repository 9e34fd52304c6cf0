"""Running pgwatch on a real pseudo-terminal, and reading what a screen shows."""

from __future__ import annotations

import contextlib
import fcntl
import html
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass
class Terminal:
    """pgwatch running on the slave side of a pty; everything it wrote is in `output`."""

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

    def wait_for(self, marker: bytes, seconds: float = 20.0, *, after: int = 0) -> None:
        deadline = time.monotonic() + seconds
        while marker not in self.output[after:] and time.monotonic() < deadline:
            self.read_for(0.1)
        assert marker in self.output[after:], f"never saw {marker!r}"

    def type(self, keys: str, settle_s: float = 0.5) -> None:
        os.write(self.fd, keys.encode())
        self.read_for(settle_s)

    def exited_within(self, seconds: float) -> int | None:
        """The exit code if the process ended within `seconds` (reading its output meanwhile)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            self.read_for(0.02)
        return None


@contextlib.contextmanager
def pgwatch_on_a_terminal(
    args: list[str], columns: int = 80, lines: int = 24
) -> Iterator[Terminal]:
    """`python -m pgwatch_tui ARGS` on a fresh pty of the given size; killed afterwards."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: size the terminal, then become pgwatch
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        env = dict(os.environ, TERM="xterm-256color")
        os.execvpe(sys.executable, [sys.executable, "-m", "pgwatch_tui", *args], env)
    running = Terminal(pid, fd, bytearray())
    try:
        yield running
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        with contextlib.suppress(OSError):
            os.close(running.fd)


def screen_text(svg: str) -> str:
    """The characters a Textual screenshot shows, joined (SVG text runs, entities decoded,
    the screenshot's non-breaking spaces back to spaces)."""
    return html.unescape("".join(re.findall(r">([^<]*)</text>", svg))).replace("\xa0", " ")
