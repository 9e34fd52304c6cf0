"""The `pgwatch` command's entry point: Python's cycle collector is paused before the heavy
imports (psycopg, pydantic, Textual), which allocate many long-lived objects and would
otherwise trigger about a hundred pointless collections on the way to the first frame."""

from __future__ import annotations

from collections.abc import Sequence

from pgwatch_tui.core import gc_policy


def main(argv: Sequence[str] | None = None) -> int:
    gc_policy.pause_for_start_up()
    from pgwatch_tui.cli import main as cli_main

    return cli_main(argv)
