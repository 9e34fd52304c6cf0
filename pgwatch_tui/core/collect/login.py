"""Opening a monitoring session the way psql would: prompt once for a password when asked."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.errors import PasswordNeeded
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.settings import Settings

# Returns the password typed by the user, or None when there is no terminal to ask on.
PasswordPrompt = Callable[[str], str | None]

NO_TERMINAL = (
    "{error}; there is no terminal to ask for it on: use PGPASSWORD, ~/.pgpass or a "
    "password in the connection string"
)


async def open_poller(
    target: ConnTarget,
    settings: Settings,
    *,
    prompt: PasswordPrompt | None,
    never_prompt: bool = False,
) -> Poller:
    """A connected Poller; asks for a password once if the server wants one."""
    poller = Poller(target, settings)
    try:
        await poller.connect()
    except PasswordNeeded as exc:
        if never_prompt or prompt is None:
            raise
        password = prompt(poller.label)
        if password is None:
            raise PasswordNeeded(NO_TERMINAL.format(error=exc.message)) from None
        poller = Poller(target.with_password(password), settings)
        await poller.connect()
    return poller


# Read in both polls, though their cadence is slower: their growth needs two readings.
GAUGED = frozenset({"replication_slots", "replication"})


async def take_snapshot(poller: Poller, interval_s: float) -> Snapshot:
    """Two polls `interval_s` apart, so the snapshot carries rates; every probe is forced."""
    everything = frozenset({"tables", "indexes"})
    await poller.poll(force=everything | GAUGED)
    await asyncio.sleep(interval_s)
    return await poller.poll(force=GAUGED)
