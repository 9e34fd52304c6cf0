"""Removes a sandbox cluster once its owner is gone, however the owner ended.

Started with a pipe on stdin that only the owning pgwatch process holds: end-of-file means
the owner exited (cleanly, by Ctrl-C, SIGTERM or SIGKILL). Then, if the cluster is still
there, stop it immediately and delete its directory.

Usage: python -m pgwatch_tui.sandbox.reaper PG_CTL DATADIR BASEDIR [RUN_AS]
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
from pathlib import Path


def reap(pg_ctl: str, datadir: Path, base: Path, run_as: str | None) -> None:
    if (datadir / "postmaster.pid").exists():
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                [pg_ctl, "stop", "-D", str(datadir), "-m", "immediate", "-w", "-t", "30"],
                user=run_as,
                capture_output=True,
                timeout=60,
                check=False,
            )
    shutil.rmtree(base, ignore_errors=True)


def main(argv: list[str]) -> int:
    # The owner's terminal signals are not ours to act on: only end-of-file is.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    pg_ctl, datadir, base = argv[0], Path(argv[1]), Path(argv[2])
    run_as = argv[3] if len(argv) > 3 and argv[3] else None
    with contextlib.suppress(OSError):
        while sys.stdin.buffer.read(4096):
            pass
    reap(pg_ctl, datadir, base, run_as)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
