"""From a key to a confirmed action: pre-checks, the confirmation screen, then the run.

In read-only mode the app has no ActionSource: every action key is hidden (footer, help and
palette) and nothing here can reach the server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.act.models import ActionKind, ActionRequest
from pgwatch_tui.core.act.requests import create_request
from pgwatch_tui.core.diagnose.advisor.models import Suggestion
from pgwatch_tui.ui.screens.confirm import ConfirmScreen
from pgwatch_tui.ui.screens.progress import ProgressScreen

if TYPE_CHECKING:
    from pgwatch_tui.ui.app import PgWatchApp

# Actions (the method names after action_) that change the server: absent in read-only mode.
WRITE_ACTIONS = frozenset(
    {
        "reindex",
        "drop_index",
        "cancel_query",
        "terminate_backend",
        "apply",
        "explain_analyze",
    }
)


def confirm_and_run(
    app: PgWatchApp, request: ActionRequest, about: list[tuple[str, str]] | None = None
) -> None:
    """Pre-check, ask, then run (with a progress screen for index builds)."""
    if app.actions is None:
        app.notify("Read-only mode: pgwatch changes nothing.", severity="warning")
        return

    async def flow() -> None:
        actions = app.actions
        assert actions is not None
        check = await actions.precheck(request)
        if not await app.push_screen_wait(ConfirmScreen(request, check, about)):
            return
        if request.kind in (ActionKind.CANCEL, ActionKind.TERMINATE):
            outcome = await actions.run(request)
            app.notify(outcome.message, severity="information" if outcome.ok else "error")
            app.poll_now(frozenset({"sessions", "lock_waits"}))
            return
        await app.push_screen(ProgressScreen(request))

    app.run_worker(flow(), group="confirm", exclusive=True)


def build_suggestion(app: PgWatchApp, suggestion: Suggestion) -> None:
    confirm_and_run(
        app,
        create_request(suggestion),
        [
            ("why", suggestion.why),
            ("predicted size", fmt.size(suggestion.size_bytes)),
        ],
    )
