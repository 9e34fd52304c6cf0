"""Typed access to the running app from widgets (Textual types `widget.app` loosely)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from pgwatch_tui.ui.app import PgWatchApp


def pgwatch(node: DOMNode) -> PgWatchApp:
    return cast("PgWatchApp", node.app)
