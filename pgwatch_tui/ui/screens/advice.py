"""The advice screen: suggested indexes for a statement, each with its evidence, and the plan
before and after side by side. `y` copies the CREATE INDEX; `a` builds it (not read-only)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.diagnose.advisor.models import Advice, Suggestion
from pgwatch_tui.core.diagnose.advisor.report import AFTER_THE_ABOVE, change
from pgwatch_tui.core.errors import PgWatchError
from pgwatch_tui.core.safe_text import one_line, printable
from pgwatch_tui.ui.requests import build_suggestion
from pgwatch_tui.ui.screens.base import DetailScreenBase, sql_block
from pgwatch_tui.ui.screens.plan import PlanTree
from pgwatch_tui.ui.widgets.key_footer import KeyFooter
from pgwatch_tui.ui.widgets.status_bar import StatusBar


def suggestion_title(number: int, suggestion: Suggestion) -> str:
    gain = ""
    before, after = suggestion.statement_cost_before, suggestion.statement_cost_after
    if before and after is not None:
        gain = f" · this statement {(after - before) / before:+.0%}"
    if suggestion.validated and suggestion.workload_cost_before_per_s > 0:
        gain += f" · workload {-suggestion.workload_gain:+.0%}"
    if number > 1 and gain:
        gain += f" ({AFTER_THE_ABOVE})"
    return f"{number}. {suggestion.shape.describe()} · {fmt.size(suggestion.size_bytes)}{gain}"


def suggestion_details(suggestion: Suggestion, dark: bool) -> Group:
    facts = Text()
    facts.append("validated with HypoPG" if suggestion.validated else "NOT validated", style="bold")
    facts.append(f"\nwhy: {printable(suggestion.why or suggestion.shape.reason)}")
    facts.append(
        f"\nthis statement's cost: "
        f"{change(suggestion.statement_cost_before, suggestion.statement_cost_after)}"
    )
    if suggestion.validated:
        facts.append(
            f"\nworkload on {suggestion.shape.table}: "
            f"{fmt.number(round(suggestion.workload_cost_before_per_s))} → "
            f"{fmt.number(round(suggestion.workload_cost_after_per_s))} cost units/s"
        )
    size = f"\nsize: {fmt.size(suggestion.size_bytes)} (btree deduplication counted)"
    if suggestion.hypopg_size_bytes:
        size += f"; HypoPG's own estimate {fmt.size(suggestion.hypopg_size_bytes)}"
    facts.append(size)
    if suggestion.covered_by:
        facts.append(f"\nalready covered by {printable(suggestion.covered_by)}")
    for warning in suggestion.warnings:
        facts.append(f"\n! {printable(warning)}", style="bold")
    helped = [e for e in suggestion.effects if e.cost_after < e.cost_before]
    if helped:
        facts.append(f"\nhelps {fmt.count(len(helped), 'statement')} of the workload:")
        for effect in helped[:5]:
            facts.append(
                f"\n  {change(effect.cost_before, effect.cost_after)}  "
                f"{fmt.number(effect.calls_per_s)}/s  {one_line(effect.query, 60)}"
            )
    return Group(sql_block(suggestion.ddl, dark), facts)


class AdviceScreen(DetailScreenBase):
    """'validating…' until the advice arrives, then the suggestions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "copy", "Copy DDL"),
        Binding("a", "apply", "Build it"),
    ]
    DEFAULT_CSS = """
    AdviceScreen #advice-header { padding: 1 1 0 1; height: auto; }
    AdviceScreen OptionList { height: auto; max-height: 6; margin: 1 1 0 1; border: none; }
    AdviceScreen OptionList:focus { border: none; }
    AdviceScreen #advice-details { padding: 0 1; height: auto; }
    AdviceScreen #advice-plans { height: 16; }
    AdviceScreen #advice-plans > Vertical { width: 1fr; }
    AdviceScreen .plan-title { text-style: bold; padding: 0 1; }
    """

    def __init__(
        self, title: str, work_to_do: Callable[[], Awaitable[Advice]], can_apply: bool
    ) -> None:
        super().__init__()
        self.can_apply = can_apply
        self.title_text = title
        self.work_to_do = work_to_do
        self.advice: Advice | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with VerticalScroll():
            yield Static(Text(f"{self.title_text}: trying candidate indexes…"), id="advice-header")
            yield OptionList(id="advice-options")
            yield Static("", id="advice-details")
            yield Horizontal(id="advice-plans")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).display = False
        self.advise_it()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply":
            return self.can_apply  # read-only: the key does not exist
        return True

    @work(exclusive=True, group="advice")
    async def advise_it(self) -> None:
        try:
            advice = await self.work_to_do()
        except PgWatchError as exc:
            advice = Advice(query="", error=exc.message)
        self.show_advice(advice)

    @property
    def selected(self) -> Suggestion | None:
        if self.advice is None or not self.advice.suggestions:
            return None
        index = self.query_one(OptionList).highlighted or 0
        return self.advice.suggestions[min(index, len(self.advice.suggestions) - 1)]

    def show_advice(self, advice: Advice) -> None:
        self.advice = advice
        width = max(self.size.width or self.app.size.width, 40)
        header = Text()
        header.append(one_line(advice.query, width - 4), style="bold")  # padding, scrollbar
        if advice.error:
            header.append(f"\nNo advice: {printable(advice.error)}", style="bold")
        elif not advice.suggestions:
            header.append("\nNo index would pay for itself on this workload.")
        for note in advice.notes:
            header.append(f"\n{printable(note)}", style="dim")
        self.query_one("#advice-header", Static).update(header)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            Option(Text(suggestion_title(n, s)), id=str(n))
            for n, s in enumerate(advice.suggestions, start=1)
        )
        options.display = bool(advice.suggestions)
        if advice.suggestions:
            options.highlighted = 0
            options.focus()
            self._show_selected()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        suggestion = self.selected
        if suggestion is None:
            return
        self.query_one("#advice-details", Static).update(
            suggestion_details(suggestion, self.app.current_theme.dark)
        )
        plans = self.query_one("#advice-plans", Horizontal)
        plans.remove_children()
        for title, plan in (
            ("before", suggestion.plan_before),
            ("with the index", suggestion.plan_after),
        ):
            if plan is not None:
                plans.mount(Vertical(Static(title, classes="plan-title"), PlanTree(plan)))

    def action_copy(self) -> None:
        suggestion = self.selected
        if suggestion is None:
            self.notify("No suggestion to copy.", severity="warning")
            return
        self.app.copy_to_clipboard(suggestion.ddl)
        self.notify("Copied the CREATE INDEX (OSC 52).", timeout=2)

    def action_apply(self) -> None:
        suggestion = self.selected
        if suggestion is not None:
            self.post_message(build_suggestion(suggestion))
