"""Erasing runs of blanks only where the terminal's terminfo entry says erased cells take the
background colour (each TERM in its own process: curses reads the entry once)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

ASK = "from pgwatch_tui.ui.terminfo import erases_to_background as e; print(e())"


def _answer(term: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "TERM"}
    if term is not None:
        env["TERM"] = term
    done = subprocess.run(
        [sys.executable, "-c", ASK], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.mark.parametrize(
    ("term", "erases"),
    [
        ("xterm-256color", "True"),  # declares bce and ech
        ("screen", "False"),  # GNU screen: no bce
        ("tmux-256color", "False"),
        ("no-such-terminal", "False"),
        (None, "False"),
    ],
)
def test_blanks_are_erased_only_where_terminfo_promises_the_background(
    term: str | None, erases: str
) -> None:
    assert _answer(term) == erases
