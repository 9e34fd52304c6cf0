"""When Python's cycle collector runs in a pgwatch process.

With CPython's defaults a collection starts every 700 new container objects, and each one
re-examines the objects that survived the last. A tick over 2,000 sessions or a 500-node plan
allocates tens of thousands of objects that all survive (they are the snapshot, the tree),
so the default schedule spent about as long collecting as building. pgwatch's garbage is
freed by reference counting almost entirely; the collector is only a backstop for cycles.

So the `pgwatch` command starts with the collector off, and once the first snapshot is on
screen it freezes everything alive (modules, the screens: they live as long as the process)
and turns the collector back on with a larger young generation. With fewer collections, cyclic
garbage (closed screens, Textual's own) waited longer for a full one and memory crept up
faster than with the defaults. A full collection once a minute, after a frame, brings it back
to their level (the soak's figures are in benchmarks/results/design-measurements.md).

After that collection the C allocator is asked to hand whole free pages back to the system
(glibc's `malloc_trim`): it otherwise keeps freed memory for reuse, and the resident size
would count each tick's briefly-used pages long after they are free.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from functools import cache

YOUNG_GENERATION = 10_000
"""New container objects between collections (CPython's default is 700)."""
OLDER_GENERATIONS = (10, 10)
FULL_COLLECTION_EVERY_S = 60.0

_paused_for_start_up = False
_on_schedule = False  # settle_after_start_up ran: the minutely collection applies
_last_full = 0.0


def pause_for_start_up() -> None:
    """Collect nothing while importing and building the first screen: all of it survives."""
    global _paused_for_start_up
    _paused_for_start_up = True
    gc.disable()


def settle_after_start_up() -> None:
    """Freeze what start-up built and collect on the larger schedule from now on.

    Does nothing unless pause_for_start_up was called, so an app run inside another program
    (the test suite) leaves that program's collector as it was."""
    global _paused_for_start_up, _on_schedule, _last_full
    if not _paused_for_start_up:
        return
    _paused_for_start_up = False
    _on_schedule = True
    _last_full = time.monotonic()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION, *OLDER_GENERATIONS)
    gc.enable()


def collect_if_due(now: float | None = None) -> bool:
    """The minutely full collection (only on the schedule settle_after_start_up set up).
    True when it ran."""
    global _last_full
    if not _on_schedule:
        return False
    now = time.monotonic() if now is None else now
    if now - _last_full < FULL_COLLECTION_EVERY_S:
        return False
    _last_full = now
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
    return True


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where the C library has none (musl, macOS)."""
    import ctypes  # here, not at start-up

    try:
        # The process's own symbols: the C library it runs on (no library search, which
        # would run ldconfig).
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    return trim


def resume() -> None:
    """The collector on again and no more minutely collections: for a command that ends
    before any frame, and when the app has ended."""
    global _paused_for_start_up, _on_schedule
    _on_schedule = False
    if _paused_for_start_up:
        _paused_for_start_up = False
        gc.enable()
