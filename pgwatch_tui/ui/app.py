"""PgWatchApp: global keys, the poll worker, and handing each snapshot to the active screen."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core import gc_policy
from pgwatch_tui.core.act.models import ActionKind
from pgwatch_tui.core.collect.history import History
from pgwatch_tui.core.diagnose.plan import Plan
from pgwatch_tui.core.errors import PgWatchError
from pgwatch_tui.core.model.bloat import BloatEstimate
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.core.source import (
    ActionSource,
    Connected,
    DiagnosisSource,
    Reconnecting,
    SnapshotSource,
    SnapshotTaken,
    TickSkipped,
)
from pgwatch_tui.ui import requests, terminal_updates
from pgwatch_tui.ui.context import DashboardContext
from pgwatch_tui.ui.dashboard import PANES, MainScreen
from pgwatch_tui.ui.exit_signals import ExitOnSignals
from pgwatch_tui.ui.messages import SnapshotCollected, SourceChanged
from pgwatch_tui.ui.screens.base import LiveScreen
from pgwatch_tui.views.header import HeaderState

# The header shows waiting sessions and the worst replication problem, and feeds the Overview
# history, on every pane. Slots and the archiver are read every tables_interval_s.
HEADER_PROBES = frozenset({"sessions", "databases", "replication_slots", "archiver"})
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
        Binding("ctrl+l", "redraw", "Redraw", show=False),
        Binding("q", "quit", "Quit"),
    ]

    # repaint=False: a repaint of the app is a repaint of the whole screen, on every tick;
    # the StatusBar that watches this redraws its own line.
    header_state: reactive[HeaderState | None] = reactive(None, always_update=True, repaint=False)
    """What the header line shows; every screen's StatusBar watches it."""

    def __init__(
        self,
        source: SnapshotSource,
        settings: Settings,
        diagnosis: DiagnosisSource | None = None,
        actions: ActionSource | None = None,
    ) -> None:
        super().__init__()
        self._restore_stock_writer = terminal_updates.install()
        # Sliding tab underlines cost a frame each over SSH and show nothing new.
        self.animation_level = "none"
        self.source = source
        self.settings = settings
        self.diagnosis = diagnosis
        self.actions = None if settings.read_only else actions
        self.history = History(settings.history_minutes)
        self.context = DashboardContext(
            settings, can_act=self.actions is not None, history=self.history
        )
        self.exit_signals = ExitOnSignals(self._exit_with)
        self.capabilities = None
        self._header = HeaderState(
            label=source.label, read_only=settings.read_only, refresh_s=source.refresh_s
        )

    # ---- life cycle -------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.header_state = self._header
        self.exit_signals.install()
        # After a suspend (Ctrl+Z, or a program run in the foreground) the screen is not ours.
        self.app_resume_signal.subscribe(self, lambda _: self._forget_screen())
        self.push_screen(MainScreen(self.context))
        self.consume_source()

    @property
    def snapshot(self) -> Snapshot | None:
        """The latest snapshot: the one the header shows (kept there, not copied here)."""
        return self._header.snapshot

    def _forget_screen(self) -> None:
        terminal_updates.forget_screen(self.console)

    def on_resize(self) -> None:
        # A terminal may reflow or clear its cells as it changes size.
        self._forget_screen()

    def _exit_with(self, code: int) -> None:
        self.exit(return_code=code)

    async def on_unmount(self) -> None:
        self._restore_stock_writer()  # Textual's own writer again, for whatever runs after the app
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
        if not self.screen_stack:
            return  # closing: the screens are gone before the poller has stopped
        snapshot = message.snapshot
        if self.snapshot is None:
            self.call_after_refresh(gc_policy.settle_after_start_up)
        else:
            self.call_after_refresh(gc_policy.collect_if_due)
        self._set_header(
            snapshot=snapshot,
            reconnecting=None,
            retry_at=None,
            skipped=None,
            capabilities=snapshot.capabilities,
        )
        role = self.context.server
        if role.in_recovery != snapshot.server.in_recovery:  # promoted, or a standby now
            role.in_recovery = snapshot.server.in_recovery
            self.screen.refresh_bindings()
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
            self.source.set_context(screen.poll_context())

    # ---- what screens and panes ask for (ui/requests.py) ------------------------------------

    def on_pane_shown(self, message: requests.PaneShown) -> None:
        self.update_wanted()

    def on_screen_shown(self, message: requests.ScreenShown) -> None:
        self.update_wanted()
        screen = self.screen
        if isinstance(screen, LiveScreen) and self.snapshot is not None:
            screen.show_snapshot(self.snapshot)

    def on_poll_now(self, message: requests.PollNow) -> None:
        self.source.poll_now(message.probes)

    def on_run_action(self, message: requests.RunAction) -> None:
        actions = self.actions
        if actions is None:
            self.notify("Read-only mode: pgwatch changes nothing.", severity="warning")
            return
        from pgwatch_tui.ui import action_flow  # imported when first used: not for start-up

        action_flow.confirm_and_run(self, actions, message.request, message.about)

    def on_action_finished(self, message: requests.ActionFinished) -> None:
        request, outcome = message.request, message.outcome
        self.forget_measurements(request.table)  # the rebuilt relations measure differently
        if outcome.ok and request.kind is ActionKind.DROP_INDEX:
            from pgwatch_tui.ui.screens.progress import ProgressScreen

            for screen in self.screen_stack:
                if isinstance(screen, ProgressScreen):
                    screen.leftover_dropped(request.name)
        self.source.poll_now(frozenset({"indexes", "index_bloat", "table_bloat", "index_builds"}))

    def on_advise(self, message: requests.Advise) -> None:
        """Open the advice screen; candidates are tried in a worker meanwhile."""
        diagnosis, snapshot, statement = self.diagnosis, self.snapshot, message.statement
        if diagnosis is None or snapshot is None:
            self.notify("Advice needs a live server connection.", severity="warning")
            return
        from pgwatch_tui.ui.screens.advice import AdviceScreen

        self.push_screen(
            AdviceScreen(
                f"Statement {statement.queryid}",
                lambda: diagnosis.advise(statement, snapshot),
                can_apply=self.context.allows("apply") and self.actions is not None,
            )
        )

    def forget_measurements(self, table: str | None) -> None:
        """Drop exact measurements of a table and its indexes (after an action changed them)."""
        measured = self.context.measured
        for key, estimate in list(measured.items()):
            if table is None or estimate.table_name == table:
                del measured[key]

    def on_measure(self, message: requests.Measure) -> None:
        """Ask, then measure one relation exactly; the Bloat pane shows it marked measured."""
        diagnosis, estimate = self.diagnosis, message.estimate
        if diagnosis is None:
            self.notify("Measuring needs a live server connection.", severity="warning")
            return
        from pgwatch_tui.ui.screens.confirm import AskScreen

        async def flow() -> None:
            question = f"Measure {estimate.schema_name}.{estimate.name} exactly?"
            detail = (
                f"pgstattuple reads the relation: about {fmt.size(estimate.size_bytes)} "
                "from the disk or the cache. Nothing is changed."
            )
            if not await self.push_screen_wait(AskScreen(question, detail)):
                return
            try:
                measured: BloatEstimate = await diagnosis.measure(estimate)
            except PgWatchError as exc:
                self.notify(exc.message, severity="error")
                return
            self.context.measured[(measured.kind.value, measured.oid)] = measured
            self.notify(f"{estimate.name}: {fmt.percent(measured.bloat_ratio)} measured", timeout=3)
            if isinstance(self.screen, LiveScreen) and self.snapshot is not None:
                self.screen.show_snapshot(self.snapshot)

        self.run_worker(flow(), group="measure", exclusive=True)

    def on_explain(self, message: requests.Explain) -> None:
        """Open the plan screen; planning runs in a worker while it shows 'planning…'."""
        diagnosis, work, query = self.diagnosis, message.work, message.query
        if diagnosis is None:
            self.notify("Planning needs a live server connection.", severity="warning")
            return
        from pgwatch_tui.ui.screens.plan import PlanScreen

        actions = self.actions
        analyze = None
        if actions is not None and query is not None:

            def analyze(values: list[str | None] | None) -> Awaitable[Plan]:
                return actions.explain_analyze(query, values, message.database)

        self.push_screen(
            PlanScreen(
                message.title,
                lambda: work(diagnosis),
                analyze,
                analyze_timeout_s=self.settings.analyze_timeout_ms / 1000,
            )
        )

    # ---- global actions --------------------------------------------------------------------

    @property
    def main_screen(self) -> MainScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def action_show_pane(self, name: str) -> None:
        if isinstance(self.screen, LiveScreen) and not self.screen.can_leave():
            return
        while len(self.screen_stack) > 1 and not isinstance(self.screen, MainScreen):
            self.pop_screen()
        main = self.main_screen
        if main is not None:
            main.show_pane(name, self.snapshot)
            self.update_wanted()

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
        from pgwatch_tui.ui.screens.capabilities import CapabilitiesScreen

        self.push_screen(CapabilitiesScreen(report))

    def action_redraw(self) -> None:
        """Write every cell again: for a screen another program scribbled on."""
        self._forget_screen()
        self.refresh(repaint=True, layout=True)

    def action_help(self) -> None:
        from pgwatch_tui.ui.dashboard import key_sections
        from pgwatch_tui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(key_sections(self, self.context)))

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
        if self.actions is not None:
            yield SystemCommand("Audit log", "Every action pgwatch ran here", self.action_audit)

    def action_audit(self) -> None:
        actions = self.actions
        if actions is None:
            return
        from pgwatch_tui.ui.screens.audit import AuditScreen

        self.push_screen(AuditScreen(actions.entries(), actions.audit_path))
