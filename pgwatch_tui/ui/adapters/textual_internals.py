"""Textual internals pgwatch relies on, checked against the installed release.

Textual has no public hook for three things pgwatch does:

- writing a screen update itself (`ui.terminal_updates` sends only the cells that changed):
  the compositor's `ChopsUpdate` / `LayoutUpdate.render_segments` are replaced while the app
  runs, and put back when it stops;
- dropping the repaints a pane asked for while hidden, once the frame that shows it has
  painted it whole (`Screen._refresh_layout`, `Widget._repaint_regions`);
- keeping a `Tree`'s line cache as tall as the widget on a resize (`Tree._line_cache`).

When a check fails, or with PGWATCH_ADAPTERS=off, each does nothing and Textual's own
behaviour stays: the screen looks the same, with more bytes written and a frame repainted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from importlib.metadata import version
from typing import Any

from rich.console import Console
from textual import events
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Tree

from pgwatch_tui.ui.adapters import AdapterStatus

TESTED_MAJORS = (8,)
GIVES = "only changed cells written; one paint per pane switch"

ChopsWriter = Callable[[Console, Iterator[tuple[int, int, Strip, int, int]]], str]
"""Writes a partial update from (y, x, strip, x1, x2) for each changed strip in a span."""
LayoutWriter = Callable[[Console, Region, Sequence[Iterable[Strip]]], str]
"""Writes a full update from the screen region and each line's strips."""


def _problem() -> str | None:
    major = int(version("textual").split(".")[0])
    if major not in TESTED_MAJORS:
        return f"untested major release {major}"
    try:
        from textual import _compositor
        from textual.screen import Screen

        chops = _compositor.ChopsUpdate
        layout = _compositor.LayoutUpdate
        sample = chops([{}], [(0, 0, 0)], [[]])
        full = layout([[]], Region(0, 0, 1, 1))
        probe_widget = Widget()
        probe_tree: Tree[None] = Tree("probe")
        present = (
            callable(getattr(chops, "render_segments", None)),
            callable(getattr(layout, "render_segments", None)),
            callable(getattr(Screen, "_refresh_layout", None)),
            hasattr(sample, "chops") and hasattr(sample, "spans"),
            hasattr(sample, "chop_ends"),
            hasattr(full, "strips") and hasattr(full, "region"),
            hasattr(probe_widget, "_repaint_regions"),
            callable(getattr(getattr(probe_tree, "_line_cache", None), "grow", None)),
        )
    except (ImportError, TypeError, AttributeError) as exc:
        return f"internals changed: {exc}"
    if not all(present):
        return "internals changed"
    return None


_installed: list[object] = []  # the writer in place, if any


@cache
def status() -> AdapterStatus:
    return AdapterStatus("textual", version("textual"), GIVES, _problem())


def install_update_writer(chops: ChopsWriter, layout: LayoutWriter) -> Callable[[], None]:
    """Let pgwatch write every screen update until the returned function is called.

    Textual runs one app per process, so the writer is the compositor's while it runs; a
    second install (a test's app inside another's) leaves the first in place."""
    if not status().active or _installed:
        return lambda: None
    from textual import _compositor

    chops_class: Any = _compositor.ChopsUpdate
    layout_class: Any = _compositor.LayoutUpdate
    stock = chops_class.render_segments, layout_class.render_segments

    def render_chops(update: Any, console: Console) -> str:
        return chops(console, changed_strips(update.chops, update.spans, update.chop_ends))

    def render_layout(update: Any, console: Console) -> str:
        return layout(console, update.region, update.strips)

    chops_class.render_segments = render_chops
    layout_class.render_segments = render_layout
    _installed.append(render_chops)

    def restore() -> None:
        if _installed and _installed[-1] is render_chops:
            chops_class.render_segments, layout_class.render_segments = stock
            _installed.clear()

    return restore


def changed_strips(
    chops: Sequence[Mapping[int, Strip | None]],
    spans: Iterable[tuple[int, int, int]],
    chop_ends: Sequence[Sequence[int]],
) -> Iterator[tuple[int, int, Strip, int, int]]:
    """The strips of a partial update (its chops per line, changed spans, chop ends) that
    overlap a changed span, as (y, x, strip, x1, x2)."""
    for y, x1, x2 in spans:
        for end, (x, strip) in zip(chop_ends[y], chops[y].items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            yield y, x, strip, x1, x2


def drop_pending_repaints(widget: Widget) -> None:
    """Forget repaints a widget queued before the frame that has just painted all of it."""
    if status().active:
        widget._repaint_regions.clear()


class LayoutRefreshed:
    """Mixin for a Screen: `layout_refreshed()` is called after each frame's layout."""

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        super()._refresh_layout(size, scroll)  # type: ignore[misc]
        if status().active:
            self.layout_refreshed()

    def layout_refreshed(self) -> None:
        """Override: what to do once the frame just laid out has been drawn."""


def keep_tree_lines(tree: Tree[Any], event: events.Resize) -> None:
    """On a resize, grow the tree's line cache instead of letting Tree rebuild every line.

    Called from the tree's `on_resize`; without the adapter Tree's own handler runs."""
    if not status().active:
        return
    tree._line_cache.grow(event.size.height)
    event.prevent_default()
    tree.refresh()
