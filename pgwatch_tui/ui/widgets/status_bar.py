"""The header line on every screen (see views.header for what it says)."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.style import Style
from textual import events

from pgwatch_tui.ui.widgets.changed_lines import LineList
from pgwatch_tui.ui.widgets.tone_styles import tone_style
from pgwatch_tui.views.header import SEPARATOR, HeaderState, fit_segments, header_segments

DIM = Style(dim=True)


class StatusBar(LineList):
    """Server, version, uptime, role, READ-ONLY, refresh, markers and capability warnings.

    A line list, so a tick that moves the uptime sends the uptime, not the whole line."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.show([(("pgwatch", Style()),)])
        self._actions: list[tuple[int, int, str]] = []
        self._last_state: HeaderState | None = None

    def on_mount(self) -> None:
        self.watch(self.app, "header_state", self.show_state, init=True)
        self.set_interval(1.0, self._tick_countdown)

    def _tick_countdown(self) -> None:
        state: HeaderState | None = getattr(self.app, "header_state", None)
        if state is not None and state.reconnecting is not None:
            self.show_state(state)

    def show_state(self, state: HeaderState | None) -> None:
        if state is None:
            return
        self._actions = []
        variables = self.app.theme_variables
        segments = fit_segments(header_segments(state, datetime.now(UTC)), self.size.width or 80)
        self._last_state = state
        spans: list[tuple[str, Style]] = []
        start = 0
        for i, segment in enumerate(segments):
            if i:
                spans.append((SEPARATOR, DIM))
                start += len(SEPARATOR)
            spans.append((segment.text, tone_style(segment.tone, variables)))
            if segment.action:
                self._actions.append((start, start + len(segment.text), segment.action))
            start += len(segment.text)
        self.show([tuple(spans)])

    def on_resize(self) -> None:
        self.show_state(self._last_state)

    async def on_click(self, event: events.Click) -> None:
        for start, end, action in self._actions:
            if start <= event.x < end:
                await self.app.run_action(action)
                return
