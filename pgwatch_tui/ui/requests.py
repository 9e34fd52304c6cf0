"""What panes and screens ask of the app. They post these; the message bubbles up to it.

The app owns the connections (diagnosis, actions) and what outlives a screen; a widget says
what it wants and the app decides how, or says why not (no live server, read-only mode).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.message import Message

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.act.models import ActionOutcome, ActionRequest
from pgwatch_tui.core.act.requests import create_request
from pgwatch_tui.core.diagnose.advisor.models import Suggestion
from pgwatch_tui.core.diagnose.plan import ExplainOutcome
from pgwatch_tui.core.model.bloat import BloatEstimate
from pgwatch_tui.core.model.rows import StatementStats
from pgwatch_tui.core.source import DiagnosisSource

About = list[tuple[str, str]]
"""(label, text) lines the confirmation shows beside the SQL."""


class ScreenShown(Message):
    """A screen came on top: poll for what it shows, and hand it the latest snapshot."""


class PaneShown(Message):
    """A pane came into view (it was handed the snapshot): poll for what it shows."""


class PollNow(Message):
    def __init__(self, probes: frozenset[str]) -> None:
        super().__init__()
        self.probes = probes


class RunAction(Message):
    """Pre-check, confirm, then run an action that changes the server."""

    def __init__(self, request: ActionRequest, about: About | None = None) -> None:
        super().__init__()
        self.request = request
        self.about = about


def build_suggestion(suggestion: Suggestion) -> RunAction:
    """The action that builds a suggested index, with why and its predicted size."""
    return RunAction(
        create_request(suggestion),
        [("why", suggestion.why), ("predicted size", fmt.size(suggestion.size_bytes))],
    )


class ActionFinished(Message):
    """An action's run ended (its progress screen shows the outcome)."""

    def __init__(self, request: ActionRequest, outcome: ActionOutcome) -> None:
        super().__init__()
        self.request = request
        self.outcome = outcome


class Explain(Message):
    """Open a plan screen. With `query`, and actions allowed, `A` can EXPLAIN ANALYZE it."""

    def __init__(
        self,
        title: str,
        work: Callable[[DiagnosisSource], Awaitable[ExplainOutcome]],
        query: str | None = None,
        database: str | None = None,
    ) -> None:
        super().__init__()
        self.title = title
        self.work = work
        self.query = query
        self.database = database


class Advise(Message):
    """Open the index advice screen for a statement."""

    def __init__(self, statement: StatementStats) -> None:
        super().__init__()
        self.statement = statement


class Measure(Message):
    """Ask, then measure one relation exactly (pgstattuple)."""

    def __init__(self, estimate: BloatEstimate) -> None:
        super().__init__()
        self.estimate = estimate
