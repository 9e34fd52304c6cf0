"""Running a program on a real pseudo-terminal of a given size, reading all it writes.

Used by the benchmarks (terminal bytes, start-up time) and by the end-to-end tests that need a
real terminal (signals, hostile text)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Iterator
from dataclasses import dataclass

from benchmarks.screen_emulator import ScreenEmulator

# Queries some programs send a terminal at start-up, and wait for (seconds, when nobody
# answers): XTGETTCAP capability requests, XTVERSION and the cursor position report that
# marks the end of a batch. A real terminal answers at once.
_XTGETTCAP = re.compile(rb"\x1bP\+q([0-9a-fA-F;]*)\x1b\\")
_XTVERSION = b"\x1b[>q"


def _answers(chunk: bytes) -> bytes:
    replies = b"".join(b"\x1bP0+r" + m.group(1) + b"\x1b\\" for m in _XTGETTCAP.finditer(chunk))
    if _XTVERSION in chunk:
        replies += b"\x1bP>|xterm(390)\x1b\\"
    replies += b"\x1b[1;1R" * chunk.count(b"\x1b[6n")
    return replies


@dataclass
class Terminal:
    """A program running on the slave side of a pty; everything it wrote is in `output`, and
    what a screen would show from it in `screen`. Like a real terminal, it answers capability
    and version queries (unsupported)."""

    pid: int
    fd: int
    output: bytearray
    screen: ScreenEmulator

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
            self.screen.feed(chunk)
            replies = _answers(chunk)
            if replies:
                os.write(self.fd, replies)

    def wait_for(self, marker: bytes, seconds: float = 20.0, *, after: int = 0) -> None:
        deadline = time.monotonic() + seconds
        while marker not in self.output[after:] and time.monotonic() < deadline:
            self.read_for(0.02)
        if marker not in self.output[after:]:
            shown = re.sub(rb"\x1b\[[0-9;?<>=$]*[A-Za-z~]", b" ", bytes(self.output[-4000:]))
            raise AssertionError(f"never saw {marker!r}; last output: {shown[-1500:]!r}")

    def shows(self, text: str) -> bool:
        """Whether the screen shows `text` on one of its lines now."""
        return text in self.screen.text()

    def wait_to_show(self, text: str, seconds: float = 20.0) -> None:
        """Read until the screen shows `text` (however few of its cells were written)."""
        deadline = time.monotonic() + seconds
        while not self.shows(text) and time.monotonic() < deadline:
            self.read_for(0.005)
        if not self.shows(text):
            raise AssertionError(f"the screen never showed {text!r}:\n{self.screen.text()}")

    def press_until(self, key: str, text: str, seconds: float = 30.0) -> None:
        """Press `key` until the screen shows `text` (a key typed while the program is still
        starting can be lost, as on any terminal)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            os.write(self.fd, key.encode())
            self.read_for(2.0)
            if self.shows(text):
                return
        self.wait_to_show(text, 0)

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
def on_a_terminal(
    argv: list[str], columns: int = 80, lines: int = 24, env: dict[str, str] | None = None
) -> Iterator[Terminal]:
    """`argv` on a fresh pty of the given size; killed (with its process group) afterwards."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: size the terminal, then become the program
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        # COLUMNS and LINES (pytest sets them) would override the pty's size.
        sized = dict(env or os.environ, COLUMNS=str(columns), LINES=str(lines))
        os.execvpe(argv[0], argv, sized | {"TERM": "xterm-256color"})  # noqa: S606
    running = Terminal(pid, fd, bytearray(), ScreenEmulator(columns, lines))
    try:
        yield running
    finally:
        for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                kill()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        with contextlib.suppress(OSError):
            os.close(running.fd)
