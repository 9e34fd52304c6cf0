"""From a key to a confirmed action: pre-checks, the confirmation screen, then the run.

In read-only mode the app has no ActionSource and never calls this: every action key is
hidden (footer, help and palette) and nothing can reach the server.
"""

from __future__ import annotations

from textual.app import App

from pgwatch_tui.core.act.models import ActionKind, ActionRequest
from pgwatch_tui.core.source import ActionSource
from pgwatch_tui.ui.requests import About, PollNow
from pgwatch_tui.ui.screens.confirm import ConfirmScreen
from pgwatch_tui.ui.screens.progress import ProgressScreen

SESSION_PROBES = frozenset({"sessions", "lock_waits"})
AFFECTED = {ActionKind.DROP_SLOT: frozenset({"replication_slots", "replication"})}
"""What an action done at once changes, polled again right after it (sessions otherwise)."""


def confirm_and_run(
    app: App[int], actions: ActionSource, request: ActionRequest, about: About | None = None
) -> None:
    """Pre-check, ask, then run (with a progress screen for index builds)."""

    async def flow() -> None:
        check = await actions.precheck(request)
        if not await app.push_screen_wait(ConfirmScreen(request, check, about)):
            return
        if request.runs_at_once:
            outcome = await actions.run(request)
            app.notify(outcome.message, severity="information" if outcome.ok else "error")
            app.post_message(PollNow(AFFECTED.get(request.kind, SESSION_PROBES)))
            return
        await app.push_screen(ProgressScreen(request, actions))

    app.run_worker(flow(), group="confirm", exclusive=True)
