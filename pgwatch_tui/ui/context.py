"""What panes and screens are told when they are built, instead of reaching for the app.

They draw what they are handed (a snapshot, this context) and reach the app only by posting
the messages in `ui.requests`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pgwatch_tui.core.collect.history import History
from pgwatch_tui.core.model.bloat import BloatEstimate
from pgwatch_tui.core.settings import Settings

# Actions (the method names after action_) that change the server: absent in read-only mode.
WRITE_ACTIONS = frozenset(
    {
        "reindex",
        "drop_index",
        "drop_slot",
        "cancel_query",
        "terminate_backend",
        "apply",
        "explain_analyze",
    }
)

# Of those, the ones a standby refuses (it cannot write): not offered there. Dropping a slot
# and signalling a session work on a standby.
STANDBY_REFUSED = frozenset({"reindex", "drop_index", "apply"})

MeasuredKey = tuple[str, int]
"""(relation kind, oid) of an exact measurement."""


@dataclass
class ServerRole:
    in_recovery: bool = False


@dataclass(frozen=True)
class DashboardContext:
    settings: Settings
    can_act: bool
    """False in read-only mode (or with no action connection): write keys do not exist."""
    history: History
    """The metric history the Overview charts draw; the app adds every snapshot to it."""
    measured: dict[MeasuredKey, BloatEstimate] = field(default_factory=dict)
    """Exact bloat measurements (pgstattuple), shown instead of the estimates; the app fills
    and clears it as measurements and rebuilds finish."""

    server: ServerRole = field(default_factory=lambda: ServerRole())
    """Whether the server is a standby now; the app sets it from every snapshot."""

    def allows(self, action: str) -> bool:
        """Whether a key's action exists here: write actions do not in read-only mode, and
        those a standby refuses do not on a standby."""
        if self.server.in_recovery and action in STANDBY_REFUSED:
            return False
        return self.can_act or action not in WRITE_ACTIONS
