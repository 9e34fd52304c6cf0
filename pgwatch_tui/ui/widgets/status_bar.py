"""The header line on every screen (see views.header for what it says)."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual import events
from textual.widgets import Static

from pgwatch_tui.ui.widgets.lines import set_line
from pgwatch_tui.ui.widgets.tones import tone_style
from pgwatch_tui.views.header import SEPARATOR, HeaderState, fit_segments, header_segments


class StatusBar(Static):
    """Server, version, uptime, role, READ-ONLY, refresh, markers and capability warnings."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self) -> None:
        super().__init__("pgwatch")
        self._actions: list[tuple[int, int, str]] = []
        self._last_state: HeaderState | None = None

    def on_mount(self) -> None:
        self.watch(self.app, "header_state", self.show, init=True)
        self.set_interval(1.0, self._tick_countdown)

    def _tick_countdown(self) -> None:
        state: HeaderState | None = getattr(self.app, "header_state", None)
        if state is not None and state.reconnecting is not None:
            self.show(state)

    def show(self, state: HeaderState | None) -> None:
        if state is None:
            return
        text = Text(no_wrap=True, overflow="ellipsis")
        self._actions = []
        variables = self.app.theme_variables
        segments = fit_segments(header_segments(state, datetime.now(UTC)), self.size.width or 80)
        self._last_state = state
        for i, segment in enumerate(segments):
            if i:
                text.append(SEPARATOR, style="dim")
            start = len(text.plain)
            text.append(segment.text, style=tone_style(segment.tone, variables))
            if segment.action:
                self._actions.append((start, len(text.plain), segment.action))
        set_line(self, text)

    def on_resize(self) -> None:
        self.show(self._last_state)

    async def on_click(self, event: events.Click) -> None:
        for start, end, action in self._actions:
            if start <= event.x < end:
                await self.app.run_action(action)
                return
