"""The plan screen: why it is slow, then the plan as a collapsible tree, one tab per plan
(the generic plan, and custom plans for a frequent and a rare value when data is skewed)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text, TextType
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static, TabbedContent, TabPane, Tree
from textual.widgets.tree import TreeNode

from pgwatch_tui.core.diagnose.plan import CustomPlan, ExplainOutcome, Plan, PlanNode, why_slow
from pgwatch_tui.core.errors import PgWatchError
from pgwatch_tui.core.safe_text import one_line, printable
from pgwatch_tui.ui.adapters.textual_internals import keep_tree_lines
from pgwatch_tui.ui.screens.base import DetailScreenBase
from pgwatch_tui.ui.widgets.key_footer import KeyFooter
from pgwatch_tui.ui.widgets.status_bar import StatusBar
from pgwatch_tui.ui.widgets.tone_styles import tone_style
from pgwatch_tui.views.plan import (
    ShownPlan,
    detail_lines,
    node_line,
    node_tone,
    shown_plans,
)
from pgwatch_tui.views.table import Tone


class PlanTree(Tree[PlanNode]):
    """One plan; enter folds or unfolds a node, space still pauses the dashboard."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "app.toggle_pause", "Pause", show=False),
    ]

    def __init__(self, plan: Plan, focused: bool = False) -> None:
        super().__init__(Text("plan"))
        self.plan = plan
        self.focused_on_mount = focused
        self.show_root = False
        self.guide_depth = 2

    def process_label(self, label: TextType) -> Text:
        # Plan labels are one line each already (node_line, detail_lines). Textual's split to
        # the first line was the dearest part of adding a 500-node plan.
        return label if isinstance(label, Text) else super().process_label(label)

    def get_label_width(self, node: TreeNode[PlanNode]) -> int:
        # What Textual measures by rendering the label: its width plus the fold icon.
        icon = cell_len(self.ICON_NODE_EXPANDED) if node.allow_expand else 0
        return self.process_label(node.label).cell_len + icon

    def on_resize(self, event: events.Resize) -> None:
        # Textual's Tree rebuilds every line on a resize, although its line cache is keyed by
        # width already. The first size a plan gets made that a second full frame.
        keep_tree_lines(self, event)

    def on_mount(self) -> None:
        width = max((self.size.width or self.app.size.width) - 6, 40)
        variables = self.app.theme_variables
        self._add(self.root, self.plan.root, width, variables, 0)
        self.root.expand()
        # The first ancestor laid out already bounds the tree's height. Past that the plan
        # is certain to scroll: with the bar there from the first layout, Textual does not
        # lay the screen out a second time on finding it needed.
        sized = (w.size.height for w in self.ancestors if isinstance(w, Widget) and w.size.height)
        room = next(sized, self.app.size.height)
        if self.last_line + 1 > room:  # the lines are built once here, then kept
            self.set_reactive(Tree.show_vertical_scrollbar, True)
        self.cursor_line = 0
        if self.focused_on_mount:
            # Now rather than after the first frame: focus restyles every line, which was a
            # second full frame of the plan.
            self.screen.set_focus(self)

    def on_unmount(self) -> None:
        # Nodes and their parents refer to each other; once they are unlinked, closing a
        # plan frees them at once instead of leaving cycles for a collector pause later.
        self.root.remove_children()

    def _add(
        self,
        parent: TreeNode[PlanNode],
        node: PlanNode,
        width: int,
        variables: dict[str, str],
        depth: int,
    ) -> None:
        room = max(width - depth * (self.guide_depth + 2), 30)
        tone = node_tone(node, self.plan)
        label = Text(node_line(node, self.plan, room), style=tone_style(tone, variables))
        added = parent.add(label, data=node, expand=True)
        for line in detail_lines(node, room - 2):
            added.add_leaf(Text(line, style=tone_style(Tone.MUTED, variables)))
        for child in node.children:
            self._add(added, child, width, variables, depth + 1)


def captioned(shown: ShownPlan, focused: bool) -> list[Static | PlanTree]:
    return [
        Static(Text(printable(shown.caption), style="dim"), classes="caption"),
        PlanTree(shown.plan, focused),
    ]


class PlanTabs(Vertical):
    """Several plans of one statement, a tab each."""

    def __init__(self, plans: list[ShownPlan], initial: int = 0) -> None:
        super().__init__()
        self.plans = plans
        self.initial = initial

    def compose(self) -> ComposeResult:
        with TabbedContent(initial=f"plan-{self.initial}"):
            for index, shown in enumerate(self.plans):
                with TabPane(shown.title, id=f"plan-{index}"):
                    yield from captioned(shown, focused=index == self.initial)


def outcome_header(outcome: ExplainOutcome, width: int) -> Text:
    text = Text()
    text.append(one_line(outcome.query, width), style="bold")
    text.append("\n")
    if outcome.error:
        text.append(f"No plan: {printable(outcome.error)}", style="bold")
        return text
    method = outcome.method + (
        f" · parameters {', '.join(outcome.parameter_types)}" if outcome.parameter_types else ""
    )
    text.append(method, style="dim")
    if outcome.plans_differ:
        text.append(
            "\nReal values get a different plan than the generic one: see the tabs.", style="bold"
        )
    for note in outcome.notes:
        text.append(f"\n{printable(note)}", style="dim")
    if outcome.generic is not None:
        text.append("\nWhy slow:", style="bold")
        for line in why_slow(outcome.generic):
            text.append(f"\n  {one_line(line, width - 2)}")
    return text


class PlanScreen(DetailScreenBase):
    """Shows 'planning…' until the outcome arrives, then the plans."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "copy", "Copy query"),
        Binding(
            "A",
            "explain_analyze",
            "Analyze",
            tooltip="Run EXPLAIN ANALYZE (read-only, rolled back)",
        ),
    ]
    DEFAULT_CSS = """
    PlanScreen #plan-header { padding: 1 1 0 1; height: auto; max-height: 12; }
    PlanScreen #plans { height: 1fr; }
    PlanScreen PlanTree { height: 1fr; }
    PlanScreen .caption { padding: 0 1; height: auto; }
    """

    def __init__(
        self,
        title: str,
        work_to_do: Callable[[], Awaitable[ExplainOutcome]],
        analyze: Callable[[list[str | None] | None], Awaitable[Plan]] | None = None,
        analyze_timeout_s: float = 0.0,
    ) -> None:
        """`analyze` runs the query under EXPLAIN ANALYZE: None where actions are not allowed
        (read-only) or the text is not the whole query; the key then does not exist."""
        super().__init__()
        self.title_text = title
        self.work_to_do = work_to_do
        self.analyze = analyze
        self.analyze_timeout_s = analyze_timeout_s
        self.outcome: ExplainOutcome | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with Vertical():
            yield Static(Text(f"{self.title_text}: planning…"), id="plan-header")
            yield Vertical(id="plans")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.plan_it()

    @work(exclusive=True, group="plan")
    async def plan_it(self) -> None:
        try:
            outcome = await self.work_to_do()
        except PgWatchError as exc:
            outcome = ExplainOutcome(query="", error=exc.message)
        await self.show_outcome(outcome)

    async def show_outcome(self, outcome: ExplainOutcome, show_last: bool = False) -> None:
        self.outcome = outcome
        # One frame for the header and the plans: drawn apart, the header's frame was a full
        # layout of its own before the plan's.
        with self.app.batch_update():
            await self._show(outcome, show_last)

    async def _show(self, outcome: ExplainOutcome, show_last: bool) -> None:
        width = max(self.size.width or self.app.size.width, 40)
        self.query_one("#plan-header", Static).update(outcome_header(outcome, width - 2))
        plans = shown_plans(outcome)
        holder = self.query_one("#plans", Vertical)
        await holder.remove_children()  # before mounting: the new tabs reuse the ids
        self.refresh_bindings()
        if not plans:
            return
        if len(plans) == 1:
            await holder.mount_all(captioned(plans[0], focused=True))
        else:
            await holder.mount(PlanTabs(plans, len(plans) - 1 if show_last else 0))

    def action_copy(self) -> None:
        if self.outcome is None or not self.outcome.query:
            self.notify("Nothing to copy yet.", severity="warning")
            return
        self.app.copy_to_clipboard(self.outcome.query)
        self.notify(f"Copied {len(self.outcome.query)} characters (OSC 52).", timeout=2)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "explain_analyze":
            if self.analyze is None:
                return False
            return bool(self.outcome and self.outcome.analyzable)
        return True

    def _values_shown(self) -> list[str | None] | None:
        """The values of the custom plan in the active tab (the first one otherwise)."""
        outcome = self.outcome
        if outcome is None or not outcome.custom:
            return None
        tabs = self.query(TabbedContent)
        active = tabs.first().active if tabs else ""
        index = int(active.rsplit("-", 1)[-1]) - 1 if active.startswith("plan-") else -1
        chosen = outcome.custom[index] if 0 <= index < len(outcome.custom) else outcome.custom[0]
        return chosen.values

    def action_explain_analyze(self) -> None:
        analyze, outcome = self.analyze, self.outcome
        if analyze is None or outcome is None:
            return
        values = self._values_shown()
        from pgwatch_tui.ui.screens.confirm import AskScreen

        async def flow() -> None:
            shown = ", ".join("NULL" if v is None else printable(v) for v in values or [])
            detail = (
                "The query is executed, in a read-only transaction that is rolled back, "
                f"and stopped after {self.analyze_timeout_s:.0f} s."
                + (f"\nWith the values: {shown}" if values else "")
            )
            if not await self.app.push_screen_wait(AskScreen("Run EXPLAIN ANALYZE?", detail)):
                return
            try:
                plan = await analyze(values)
            except PgWatchError as exc:
                self.notify(exc.message, severity="error")
                return
            analyzed = CustomPlan(label="analyzed", values=values or [], plan=plan)
            await self.show_outcome(
                outcome.model_copy(update={"custom": [*outcome.custom, analyzed]}), show_last=True
            )

        self.app.run_worker(flow(), group="analyze", exclusive=True)
