"""What the user's terminal says it can do, from its terminfo entry (the TERM variable)."""

from __future__ import annotations

import functools


@functools.cache
def erases_to_background() -> bool:
    """Whether the terminal can erase characters in place (`ech`) and fills what it erases
    with the current background colour (`bce`): then a run of blanks is erased with a few
    bytes instead of written space by space. Entries that do not say so (GNU screen, tmux,
    vt100, an unknown or missing TERM) get spaces, which are right everywhere."""
    try:
        import curses  # asked once, when the first frame is written
    except ImportError:
        return False
    try:
        # The process's own output: Textual puts a capture in front of sys.stdout.
        curses.setupterm(None, 1)
    except (curses.error, OSError, ValueError):  # no entry for TERM, or no terminal at all
        return False
    return curses.tigetflag("bce") == 1 and curses.tigetstr("ech") is not None
