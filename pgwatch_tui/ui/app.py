"""PgWatchApp: global keys, the poll worker, and handing each snapshot to the active screen."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from pgwatch_tui.core.events import (
    Connected,
    Reconnecting,
    SnapshotSource,
    SnapshotTaken,
    TickSkipped,
)
from pgwatch_tui.core.history import History
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.core.snapshot import Snapshot
from pgwatch_tui.ui.messages import SnapshotCollected, SourceChanged
from pgwatch_tui.ui.screens.base import LiveScreen
from pgwatch_tui.ui.screens.capabilities import CapabilitiesScreen
from pgwatch_tui.ui.screens.help import HelpScreen, KeySection, describe
from pgwatch_tui.ui.screens.main import PANES, MainScreen
from pgwatch_tui.ui.widgets.table_pane import TablePane
from pgwatch_tui.views.header import HeaderState

# The header shows waiting sessions and feeds the Overview history on every pane.
HEADER_PROBES = frozenset({"sessions", "databases"})
REFRESH_STEPS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)


class PgWatchApp(App[int]):
    """The dashboard. It gets snapshots from a SnapshotSource and never talks to PostgreSQL."""

    TITLE = "pgwatch"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(str(n), f"show_pane('{name}')", title, show=False)
            for n, (name, title, _) in enumerate(PANES, start=1)
        ),
        Binding("space", "toggle_pause", "Pause"),
        Binding("plus,equals_sign", "faster", "Faster", show=False),
        Binding("minus", "slower", "Slower", show=False),
        Binding("w", "capabilities", "Capabilities", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    header_state: reactive[HeaderState | None] = reactive(None, always_update=True)
    """What the header line shows; every screen's StatusBar watches it."""

    def __init__(self, source: SnapshotSource, settings: Settings) -> None:
        super().__init__()
        self.source = source
        self.settings = settings
        self.history = History(settings.history_minutes)
        self.snapshot: Snapshot | None = None
        self.capabilities = None
        self._header = HeaderState(
            label=source.label, read_only=settings.read_only, refresh_s=source.refresh_s
        )

    # ---- life cycle -------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.header_state = self._header
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(sig, self.exit, 128 + sig)
        self.push_screen(MainScreen())
        self.consume_source()

    async def on_unmount(self) -> None:
        await self.source.close()

    @work(exclusive=True, group="source")
    async def consume_source(self) -> None:
        """The only place snapshots come in: each becomes a message to the app."""
        async for event in self.source.events():
            if isinstance(event, SnapshotTaken):
                # History takes every snapshot, even those a lagging screen will skip.
                self.history.add(event.snapshot)
                self.post_message(SnapshotCollected(event.snapshot))
            else:
                self.post_message(SourceChanged(event))

    def _set_header(self, **changes: object) -> None:
        self._header = replace(self._header, **changes)  # type: ignore[arg-type]
        self.header_state = self._header

    def on_snapshot_collected(self, message: SnapshotCollected) -> None:
        snapshot = message.snapshot
        self.snapshot = snapshot
        self._set_header(
            snapshot=snapshot,
            reconnecting=None,
            retry_at=None,
            skipped=None,
            capabilities=snapshot.capabilities,
        )
        screen = self.screen
        if isinstance(screen, LiveScreen):
            with self.batch_update():
                screen.show_snapshot(snapshot)

    def on_source_changed(self, message: SourceChanged) -> None:
        event = message.event
        if isinstance(event, Reconnecting):
            retry_at = datetime.now(UTC) + timedelta(seconds=event.retry_in_s)
            self._set_header(reconnecting=event.reason, retry_at=retry_at)
        elif isinstance(event, Connected):
            self._set_header(
                label=event.label, capabilities=event.capabilities, reconnecting=None, retry_at=None
            )
        elif isinstance(event, TickSkipped):
            self._set_header(skipped=event.reason)

    def update_wanted(self) -> None:
        """Poll only what the visible screen and the header need."""
        screen = self.screen
        if isinstance(screen, LiveScreen):
            self.source.set_wanted(HEADER_PROBES | screen.wanted_probes())
            self.source.set_focus(screen.focus_pid())

    def poll_now(self, probes: frozenset[str]) -> None:
        self.source.poll_now(probes)

    # ---- global actions --------------------------------------------------------------------

    @property
    def main_screen(self) -> MainScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def action_show_pane(self, name: str) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, MainScreen):
            self.pop_screen()
        main = self.main_screen
        if main is not None:
            main.show_pane(name)

    def action_toggle_pause(self) -> None:
        if self.source.paused:
            self.source.resume()
        else:
            self.source.pause()
        self._set_header(paused=self.source.paused)

    def _step_refresh(self, direction: int) -> None:
        current = self.source.refresh_s
        if direction < 0:
            choices = [s for s in REFRESH_STEPS if s < current] or [REFRESH_STEPS[0]]
            new = choices[-1]
        else:
            choices = [s for s in REFRESH_STEPS if s > current] or [REFRESH_STEPS[-1]]
            new = choices[0]
        self.source.set_refresh(new)
        self._set_header(refresh_s=self.source.refresh_s)

    def action_faster(self) -> None:
        self._step_refresh(-1)

    def action_slower(self) -> None:
        self._step_refresh(+1)

    def action_capabilities(self) -> None:
        report = self._header.capabilities
        if report is None:
            self.notify("Not connected yet.", severity="warning")
            return
        self.push_screen(CapabilitiesScreen(report))

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.key_sections()))

    def key_sections(self) -> list[KeySection]:
        display = self.get_key_display
        sections: list[KeySection] = [
            (
                "Everywhere",
                [
                    ("1-6", "switch pane (or click a tab)"),
                    ("escape", "back from a detail screen"),
                    ("ctrl+p", "command palette"),
                    *describe(list(self.BINDINGS), lambda k: display(Binding(k, ""))),
                ],
            ),
            (
                "Tables",
                [
                    ("enter", "open the selected row"),
                    *describe(list(TablePane.BINDINGS), lambda k: display(Binding(k, ""))),
                ],
            ),
        ]
        for _, title, pane in PANES:
            own = list(pane.__dict__.get("BINDINGS", []))
            if own:
                sections.append((title, describe(own, lambda k: display(Binding(k, "")))))
        return sections

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for number, (name, title, _) in enumerate(PANES, start=1):
            yield SystemCommand(
                f"{number} {title}",
                f"Show the {title} pane",
                lambda name=name: self.action_show_pane(name),
            )
        yield SystemCommand(
            "Pause / resume", "Stop or restart polling the server", self.action_toggle_pause
        )
        yield SystemCommand("Faster refresh", "Poll more often", self.action_faster)
        yield SystemCommand("Slower refresh", "Poll less often", self.action_slower)
        yield SystemCommand(
            "Capability report",
            "What this server and role allow, with fixes",
            self.action_capabilities,
        )
        yield SystemCommand("Keys", "Every key pgwatch understands", self.action_help)
