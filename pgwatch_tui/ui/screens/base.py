"""What every pgwatch screen shares: the header, the footer, and live snapshot updates."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

from pgwatch_tui.core.collect.probes import PollContext
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.safe_text import printable
from pgwatch_tui.ui.requests import ScreenShown

if TYPE_CHECKING:
    from rich.syntax import Syntax


class LiveScreen(Screen[None]):
    """A screen fed with each new snapshot while it is the active one."""

    # Textual repaints the whole screen when focus moves (a pane switch, a filter box): over
    # SSH that is every cell again. The widgets gaining and losing focus restyle themselves,
    # which is all a focus change shows.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def wanted_probes(self) -> frozenset[str]:
        return frozenset()

    def poll_context(self) -> PollContext:
        """What the probes about one object should look at while this screen is shown."""
        return PollContext(with_idle=False)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Display a snapshot; called for every new one while this screen is on top."""

    def can_leave(self) -> bool:
        """False while leaving would abandon work half done (a running index build)."""
        return True

    def on_screen_resume(self) -> None:
        self.post_message(ScreenShown())


class DetailScreenBase(LiveScreen):
    """A drill-down screen: escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
    ]

    def action_back(self) -> None:
        self.app.pop_screen()


def sql_block(text: str, dark: bool) -> Syntax:
    """SQL with highlighting; control characters made visible first, never interpreted."""
    from rich.syntax import Syntax  # with Pygments: only once a screen shows SQL

    return Syntax(
        printable(text, keep_newlines=True),
        "sql",
        theme="ansi_dark" if dark else "ansi_light",
        word_wrap=True,
        background_color="default",
    )
