"""The footer of every screen: compact below 120 columns, so an 80-column terminal still
shows the keys that matter (the full list is in help, `?`)."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

COMPACT_BELOW = 120


class KeyFooter(Footer):
    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW
