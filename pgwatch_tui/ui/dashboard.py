"""The dashboard: its panes in tabs (keys 1-7, or click a tab), header and footer, and the
keys of every pane for help.

Only the opening pane is built at start-up; each other pane is built the first time it is
shown. Start-up then composes, styles and lays out far fewer widgets before the first frame,
and a DBA who never opens Bloat never pays for it."""

from __future__ import annotations

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane

from pgwatch_tui.core.collect.probes import PollContext
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.ui.adapters.textual_internals import LayoutRefreshed, drop_pending_repaints
from pgwatch_tui.ui.context import WRITE_ACTIONS, DashboardContext
from pgwatch_tui.ui.panes.activity import ActivityPane
from pgwatch_tui.ui.panes.base import Pane
from pgwatch_tui.ui.panes.bloat import BloatPane
from pgwatch_tui.ui.panes.indexes import IndexesPane
from pgwatch_tui.ui.panes.locks import LocksPane
from pgwatch_tui.ui.panes.overview import OverviewPane
from pgwatch_tui.ui.panes.replication import ReplicationPane
from pgwatch_tui.ui.panes.statements import StatementsPane
from pgwatch_tui.ui.requests import PaneShown
from pgwatch_tui.ui.screens.base import LiveScreen
from pgwatch_tui.ui.screens.help import KeySection, describe
from pgwatch_tui.ui.widgets.key_footer import KeyFooter
from pgwatch_tui.ui.widgets.status_bar import StatusBar

PANES: tuple[tuple[str, str, type[Pane]], ...] = (
    ("overview", "Overview", OverviewPane),
    ("activity", "Activity", ActivityPane),
    ("statements", "Statements", StatementsPane),
    ("locks", "Locks", LocksPane),
    ("bloat", "Bloat", BloatPane),
    ("indexes", "Indexes", IndexesPane),
    ("replication", "Replication", ReplicationPane),
)
PANE_CLASSES: dict[str, type[Pane]] = {name: pane_class for name, _, pane_class in PANES}
# Shorter tab titles for when the full ones do not fit on one line (80 columns).
SHORT_TITLES = {"statements": "Stmts", "replication": "Repl"}
TAB_PADDING = 2  # the tab bar's cells around each title


def tab_titles(width: int) -> dict[str, str]:
    """Each pane's numbered tab title, short ones when the full ones would not fit."""
    full = {name: f"{n} {title}" for n, (name, title, _) in enumerate(PANES, start=1)}
    if sum(len(t) + TAB_PADDING for t in full.values()) <= width:
        return full
    return {
        name: f"{n} {SHORT_TITLES.get(name, title)}"
        for n, (name, title, _) in enumerate(PANES, start=1)
    }


OPENING_PANE = "overview"


class MainScreen(LayoutRefreshed, LiveScreen):
    """Header, the tabbed panes, footer. Only the visible pane is fed and polled for."""

    DEFAULT_CSS = """
    MainScreen TabbedContent { height: 1fr; }
    MainScreen TabPane { padding: 0; }
    """
    _pane_drawn: Pane | None = None  # the pane the last layout brought into view
    _pane_activated: Pane | None = None  # the pane last handed the snapshot and the focus
    _titles_for: dict[str, str] | None = None  # the tab titles shown, full or short

    def __init__(self, context: DashboardContext) -> None:
        super().__init__()
        self.context = context
        self._latest: Snapshot | None = None  # what a pane built on first view is shown

    def compose(self) -> ComposeResult:
        yield StatusBar()
        titles = tab_titles(self.app.size.width)
        self._titles_for = titles
        with TabbedContent(initial=OPENING_PANE):
            for name, _, pane_class in PANES:
                with TabPane(titles[name], id=name):
                    if name == OPENING_PANE:
                        yield pane_class(self.context, id=f"{name}-pane")
        yield KeyFooter()

    def on_resize(self) -> None:
        titles = tab_titles(self.size.width)
        if titles != self._titles_for:
            self._titles_for = titles
            tabs = self.query_one(TabbedContent)
            for name, title in titles.items():
                tabs.get_tab(name).label = title

    @property
    def active_name(self) -> str:
        return self.query_one(TabbedContent).active or OPENING_PANE

    @property
    def active_pane(self) -> Pane:
        """The visible pane (NoMatches until it has been built)."""
        return self.query_one(f"#{self.active_name}-pane", Pane)

    def show_pane(self, name: str, snapshot: Snapshot | None) -> None:
        """A key switched panes: the pane is drawn in the key's own frame, not a later one."""
        if snapshot is not None:
            self._latest = snapshot
        self.query_one(TabbedContent).active = name
        self._activated()

    def layout_refreshed(self) -> None:
        # The frame just drawn painted the pane that came into view from scratch. Repaints it
        # asked for while hidden (focus, styles, the first rows) would draw it all once more
        # on the next frame: a second screenful over SSH for every pane switch.
        try:
            pane = self.active_pane
        except NoMatches:
            return
        if pane is not self._pane_drawn:
            self._pane_drawn = pane
            for widget in pane.walk_children(Widget, with_self=True):
                drop_pending_repaints(widget)

    @on(TabbedContent.TabActivated)
    async def _tab_activated(self) -> None:
        name = self.active_name
        try:
            pane = self.query_one(f"#{name}-pane", Pane)
        except NoMatches:
            built = PANE_CLASSES[name](self.context, id=f"{name}-pane")
            await self.query_one(f"#{name}", TabPane).mount(built)
            if name == self.active_name:  # still the one wanted once built
                self._activated()
                self.post_message(PaneShown())  # its probes polled from now on
            return
        if pane is not self._pane_activated:  # a click; a key has activated it already
            self._activated()
            self.post_message(PaneShown())

    def _activated(self) -> None:
        try:
            pane = self.active_pane
        except NoMatches:
            return  # first shown: built on its TabActivated message, then activated
        if not pane.is_mounted:
            return  # being built
        if self._latest is not None:
            pane.show_snapshot(self._latest)
        pane.focus_content()
        self.refresh_bindings()
        self._pane_activated = pane

    def wanted_probes(self) -> frozenset[str]:
        return PANE_CLASSES[self.active_name].wanted_probes

    def poll_context(self) -> PollContext:
        return PollContext(with_idle=PANE_CLASSES[self.active_name].lists_idle_sessions)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._latest = snapshot
        try:
            pane = self.active_pane
        except NoMatches:  # being built, or the app is closing and the screen has emptied
            return
        if pane.is_mounted:
            pane.show_snapshot(snapshot)


def key_sections(app: App[int], context: DashboardContext) -> list[KeySection]:
    """Every key, by where it works; the write actions left out in read-only mode, and those
    a standby refuses on a standby."""
    from pgwatch_tui.ui.panes.base import TablePane
    from pgwatch_tui.ui.screens.advice import AdviceScreen
    from pgwatch_tui.ui.screens.plan import PlanScreen

    hidden = frozenset(a for a in WRITE_ACTIONS if not context.allows(a))

    def keys(bindings: list[BindingType]) -> list[tuple[str, str]]:
        return describe(bindings, lambda k: app.get_key_display(Binding(k, "")), hidden)

    sections: list[KeySection] = [
        (
            "Everywhere",
            [
                (f"1-{len(PANES)}", "switch pane (or click a tab)"),
                ("escape", "back from a detail screen"),
                ("ctrl+p", "command palette"),
                *keys(list(app.BINDINGS)),
            ],
        ),
        ("Tables", [("enter", "open the selected row"), *keys(list(TablePane.BINDINGS))]),
    ]
    for _, title, pane in PANES:
        own = keys(list(pane.__dict__.get("BINDINGS", [])))
        if own:
            sections.append((title, own))
    for title, screen in (("Plan", PlanScreen), ("Index advice", AdviceScreen)):
        own = keys(list(screen.__dict__.get("BINDINGS", [])))
        if own:
            sections.append((title, own))
    return sections
