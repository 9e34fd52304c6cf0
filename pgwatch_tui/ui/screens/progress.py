"""A running index action: live progress from pg_stat_progress_create_index, `c` cancels, and
after a failure the INVALID leftover with `D` to drop it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.act.models import ActionOutcome, ActionRequest
from pgwatch_tui.core.act.requests import drop_request
from pgwatch_tui.core.model.health_rows import IndexBuild
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.safe_text import one_line, printable
from pgwatch_tui.core.source import ActionSource
from pgwatch_tui.ui.requests import ActionFinished, RunAction
from pgwatch_tui.ui.screens.base import DetailScreenBase, sql_block
from pgwatch_tui.ui.widgets.key_footer import KeyFooter
from pgwatch_tui.ui.widgets.status_bar import StatusBar
from pgwatch_tui.views.plan import bar

BAR = 30


def progress_text(build: IndexBuild | None, snapshot: Snapshot | None) -> Text:
    if build is None:
        return Text("starting…", style="dim")
    text = Text(f"{build.command}: {build.phase}\n", style="bold")
    if build.blocks_total:
        text.append(
            f"blocks  {bar(build.blocks_done / build.blocks_total, BAR)} "
            f"{build.blocks_done}/{build.blocks_total}\n"
        )
    if build.tuples_total:
        text.append(
            f"tuples  {bar(build.tuples_done / build.tuples_total, BAR)} "
            f"{fmt.number(build.tuples_done)}/{fmt.number(build.tuples_total)}\n"
        )
    if build.lockers_total:
        text.append(f"waited for {build.lockers_done} of {build.lockers_total} transactions\n")
    if build.current_locker_pid is not None:
        other = (
            next((s for s in snapshot.sessions if s.pid == build.current_locker_pid), None)
            if snapshot
            else None
        )
        what = f": {one_line(other.query, 60)}" if other else ""
        text.append(f"waiting for pid {build.current_locker_pid}{what}", style="bold")
    return text


def outcome_text(outcome: ActionOutcome) -> Text:
    text = Text(
        ("done: " if outcome.ok else "") + printable(outcome.message),
        style="bold" if not outcome.ok else "",
    )
    text.append(f"  ({fmt.duration(outcome.seconds)})", style="dim")
    for leftover in outcome.leftovers:
        text.append(
            f"\nleft behind: INVALID index {printable(leftover.schema_name)}."
            f"{printable(leftover.name)} ({fmt.size(leftover.size_bytes)}), still "
            "maintained on every write: D drops it",
            style="bold",
        )
    text.append("\nescape goes back", style="dim")
    return text


class ProgressScreen(DetailScreenBase):
    """Runs the action in a worker while snapshots bring its progress."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "cancel_action", "Cancel it"),
        Binding("D", "drop_leftover", "Drop leftover"),
        # Leaving or quitting mid-build would close its session and abort it half done.
        Binding("q", "quit_when_done", "Quit", show=False),
    ]
    DEFAULT_CSS = """
    ProgressScreen .title { text-style: bold; padding: 1 1 0 1; }
    ProgressScreen .body { padding: 0 1; }
    """

    def __init__(self, request: ActionRequest, actions: ActionSource) -> None:
        super().__init__()
        self.request = request
        self.actions = actions
        self.pid: int | None = None
        self.outcome: ActionOutcome | None = None
        self.build: IndexBuild | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with VerticalScroll():
            yield Static(
                Text(f"{self.request.kind.value}: {printable(self.request.target)}"),
                classes="title",
            )
            yield Static(sql_block(self.request.sql, self.app.current_theme.dark), classes="body")
            yield Static("starting…", classes="body", id="progress")
            yield Static("", classes="body", id="outcome")
        yield KeyFooter()

    def wanted_probes(self) -> frozenset[str]:
        return frozenset({"index_builds", "sessions"})

    def on_mount(self) -> None:
        self.start_action()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_action":
            return self.outcome is None
        if action == "drop_leftover":
            return bool(self.outcome and self.outcome.leftovers)
        if action == "back":
            return self.outcome is not None  # escape only once it is over
        return True

    def can_leave(self) -> bool:
        if self.outcome is None:
            self.notify("The action is still running: c cancels it first.", severity="warning")
        return self.outcome is not None

    def action_quit_when_done(self) -> None:
        if self.can_leave():
            self.app.exit(0)

    @work(exclusive=True, group="action")
    async def start_action(self) -> None:
        self.outcome = await self.actions.run(self.request, started=self._started)
        self.show_outcome(self.outcome)

    def _started(self, pid: int) -> None:
        self.pid = pid

    def show_snapshot(self, snapshot: Snapshot) -> None:
        if self.outcome is not None:
            return
        self.build = next((b for b in snapshot.index_builds if b.pid == self.pid), None)
        self.query_one("#progress", Static).update(progress_text(self.build, snapshot))

    def show_outcome(self, outcome: ActionOutcome) -> None:
        self.query_one("#progress", Static).update(
            Text("finished", style="dim") if outcome.ok else Text("stopped", style="bold")
        )
        self.query_one("#outcome", Static).update(outcome_text(outcome))
        self.refresh_bindings()
        self.post_message(ActionFinished(self.request, outcome))
        self.notify(outcome.message, severity="information" if outcome.ok else "error")

    def leftover_dropped(self, name: str | None) -> None:
        """A later DROP removed this action's leftover: say so instead of offering D."""
        outcome = self.outcome
        if outcome is None or not any(left.name == name for left in outcome.leftovers):
            return
        remaining = [left for left in outcome.leftovers if left.name != name]
        self.outcome = outcome.model_copy(
            update={
                "leftovers": remaining,
                "message": f"{outcome.message}; leftover {name} dropped",
            }
        )
        self.query_one("#outcome", Static).update(outcome_text(self.outcome))
        self.refresh_bindings()

    async def action_cancel_action(self) -> None:
        await self.actions.cancel()

    def action_drop_leftover(self) -> None:
        if self.outcome is None or not self.outcome.leftovers:
            return
        leftover = self.outcome.leftovers[0]
        table = self.request.table or ""
        self.post_message(RunAction(drop_request(leftover.schema_name, leftover.name, table)))
