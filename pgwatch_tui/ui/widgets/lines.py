"""Updating one-line widgets cheaply: each refresh should send the terminal only what changed.

`Static.update` re-lays out the whole screen by default, which repaints every line of it;
for a widget whose size cannot change (a header or summary line), that is all waste."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


def set_line(widget: Static, content: str | Text) -> None:
    """Show `content` in a fixed-size widget: no layout pass, nothing at all if unchanged."""
    if widget.content != content:
        widget.update(content, layout=False)
