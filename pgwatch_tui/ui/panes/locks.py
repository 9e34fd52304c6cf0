"""Locks (4): the lock tree, root blockers first, victims nested as deep as the chain goes."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.widgets import Static, Tree

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.act.models import ActionKind
from pgwatch_tui.core.act.requests import signal_request
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.safe_text import one_line
from pgwatch_tui.ui.context import DashboardContext
from pgwatch_tui.ui.panes.base import Pane
from pgwatch_tui.ui.requests import RunAction
from pgwatch_tui.ui.widgets.changed_lines import set_line
from pgwatch_tui.ui.widgets.tone_styles import tone_style
from pgwatch_tui.views.locks import LockForest, LockNode, build_lock_tree, lock_summary, node_label
from pgwatch_tui.views.table import Tone


class LockTree(Tree[LockNode]):
    """The tree widget; space pauses the dashboard here too, as everywhere else."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "app.toggle_pause", "Pause", show=False),
    ]
    _laid_out_for: Size | None = None

    def on_resize(self, event: events.Resize) -> None:
        # A pane coming back into view gets a Resize even at its old size. The Tree would
        # rebuild every line and lay out the screen again: a second full repaint per visit.
        # (Textual calls the handlers of the classes below this one, Tree's included, unless
        # the default is prevented.)
        if event.size == self._laid_out_for:
            event.prevent_default()
        self._laid_out_for = event.size


def _matches(node: LockNode, needle: str) -> bool:
    if needle in node_label(node, 10_000).casefold():
        return True
    return any(_matches(child, needle) for child in node.children)


class LocksPane(Pane):
    DEFAULT_CSS = """
    LocksPane > LockTree { height: 1fr; overflow-x: hidden; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *Pane.FILTER_BINDINGS,
        Binding("y", "copy", "Copy"),
        Binding(
            "c",
            "cancel_query",
            "Cancel",
            tooltip="Cancel the selected session's query (pg_cancel_backend)",
        ),
        Binding(
            "K",
            "terminate_backend",
            "Kill",
            tooltip="Terminate the selected session (pg_terminate_backend)",
        ),
    ]
    wanted_probes = frozenset({"sessions", "lock_waits"})

    def __init__(self, context: DashboardContext, *, id: str | None = None) -> None:
        super().__init__(context, id=id)
        self.forest = LockForest((), 0)
        self._signature: tuple[object, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static("", classes="summary")
        tree = LockTree(Text("lock waits"), id="lock-tree")
        tree.show_root = False
        tree.guide_depth = 3
        tree.auto_expand = False  # enter opens the session; it must not fold the tree
        yield tree
        yield self.filter_input()

    @property
    def lock_tree(self) -> LockTree:
        return self.query_one(LockTree)

    def focus_content(self) -> None:
        self.lock_tree.focus()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.forest = build_lock_tree(snapshot.lock_waits, snapshot.sessions, snapshot.server.now)
        self.redraw()

    def redraw(self) -> None:
        summary = lock_summary(self.forest)
        needle = self.filter_text.strip().casefold()
        roots = [r for r in self.forest.roots if not needle or _matches(r, needle)]
        if needle:
            summary += f" · filter {self.filter_text!r}: {len(roots)} trees (esc clears)"
        set_line(self.query_one(".summary", Static), summary)
        width = max(self.size.width or self.app.size.width, 40)
        signature = (needle, width, tuple(self._labels(roots, width)))
        if signature == self._signature:
            return
        self._signature = signature
        tree = self.lock_tree
        selected = tree.cursor_node.data.pid if tree.cursor_node and tree.cursor_node.data else None
        tree.clear()
        variables = self.app.theme_variables
        for root in roots:
            self._add(tree.root, root, 0, width, variables)
        tree.root.expand_all()
        if tree.cursor_line < 0 and roots:
            tree.cursor_line = 0
        if selected is not None:
            for line in range(tree.last_line + 1):
                node = tree.get_node_at_line(line)
                if node is not None and node.data is not None and node.data.pid == selected:
                    tree.move_cursor(node)
                    break

    def on_resize(self) -> None:
        self.redraw()

    def _labels(self, nodes: list[LockNode] | tuple[LockNode, ...], width: int) -> list[str]:
        labels = []
        for node in nodes:
            labels.append(node_label(node, width))
            labels.extend(self._labels(node.children, width))
        return labels

    def _add(
        self, parent: object, node: LockNode, depth: int, width: int, variables: dict[str, str]
    ) -> None:
        tone = Tone.ALERT if node.wait is None or node.cycle else Tone.WARN
        room = max(width - (depth + 1) * (self.lock_tree.guide_depth + 1) - 3, 20)
        label = Text(one_line(node_label(node, width), room), style=tone_style(tone, variables))
        added = parent.add(label, data=node, expand=True)  # type: ignore[attr-defined]
        for child in node.children:
            self._add(added, child, depth + 1, width, variables)

    def action_copy(self) -> None:
        node = self.lock_tree.cursor_node
        session = node.data.session if node is not None and node.data is not None else None
        self.copy(session.query if session is not None else None, "Nothing to copy on this line.")

    @on(Tree.NodeSelected)
    def _open(self, event: Tree.NodeSelected[LockNode]) -> None:
        event.stop()
        data = event.node.data
        if data is not None and data.pid:
            from pgwatch_tui.ui.screens.session import SessionScreen

            self.app.push_screen(SessionScreen(data.pid))

    def _signal(self, kind: ActionKind) -> None:
        node = self.lock_tree.cursor_node
        data = node.data if node is not None else None
        if data is None or not data.pid:
            return
        about = [("in the lock tree", node_label(data, 200))]
        if data.wait is None and data.children:
            about.append(
                ("root blocker", f"{fmt.count(data.victims, 'session')} waiting behind it")
            )
        self.post_message(RunAction(signal_request(kind, data.pid), about))

    def action_cancel_query(self) -> None:
        self._signal(ActionKind.CANCEL)

    def action_terminate_backend(self) -> None:
        self._signal(ActionKind.TERMINATE)
