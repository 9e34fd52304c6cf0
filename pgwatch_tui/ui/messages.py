"""Messages between the poll worker and the screens."""

from __future__ import annotations

from textual.message import Message

from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.source import Connected, Reconnecting, TickSkipped


class SnapshotCollected(Message):
    """A new snapshot. A newer one still queued replaces it: a lagging UI draws only the last."""

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self.snapshot = snapshot

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SnapshotCollected)


class SourceChanged(Message):
    """The connection came, went, or a tick failed."""

    def __init__(self, event: Connected | Reconnecting | TickSkipped) -> None:
        super().__init__()
        self.event = event
