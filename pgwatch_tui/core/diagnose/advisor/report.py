"""Index advice as text, for `pgwatch advise` and the clipboard."""

from __future__ import annotations

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.diagnose.advisor.models import Advice, Suggestion
from pgwatch_tui.core.safe_text import one_line, printable


def change(before: float | None, after: float | None) -> str:
    """'6897 → 35 (-99%)'."""
    if before is None or after is None:
        return fmt.MISSING
    text = f"{fmt.number(round(before))} → {fmt.number(round(after))}"
    if before > 0:
        text += f" ({(after - before) / before:+.0%})"
    return text


AFTER_THE_ABOVE = "with the ones above built"


def suggestion_lines(suggestion: Suggestion, number: int) -> list[str]:
    lines = [f"  {number}. {printable(suggestion.ddl)}"]
    facts = ["validated with HypoPG" if suggestion.validated else "NOT validated (no HypoPG)"]
    if number > 1:  # chosen greedily: its figures count the suggestions above as built
        facts.append(AFTER_THE_ABOVE)
    if suggestion.statement_cost_before is not None:
        facts.append(
            f"this statement: cost "
            f"{change(suggestion.statement_cost_before, suggestion.statement_cost_after)}"
        )
    if suggestion.validated and suggestion.workload_cost_before_per_s > 0:
        facts.append(f"workload on {suggestion.shape.table}: {-suggestion.workload_gain:+.0%}")
    size = f"size {fmt.size(suggestion.size_bytes)}"
    if suggestion.hypopg_size_bytes:
        size += f" (HypoPG says {fmt.size(suggestion.hypopg_size_bytes)})"
    facts.append(size)
    lines.append("     " + " · ".join(facts))
    lines.append(f"     why: {printable(suggestion.why or suggestion.shape.reason)}")
    for warning in suggestion.warnings:
        lines.append(f"     ! {printable(warning)}")
    return lines


def render_advice(
    advice: Advice, calls_per_s: float | None = None, mean_ms: float | None = None
) -> str:
    title = f"Statement {advice.queryid}" if advice.queryid is not None else "Statement"
    if calls_per_s is not None and mean_ms is not None:
        title += f" ({fmt.number(calls_per_s)} calls/s, mean {fmt.milliseconds(mean_ms)} ms)"
    lines = [title, f"  {one_line(advice.query, 96)}"]
    if advice.error:
        lines.append(f"  no advice: {printable(advice.error)}")
        return "\n".join(lines) + "\n"
    if not advice.suggestions:
        lines.append("  no index would pay for itself")
    for number, suggestion in enumerate(advice.suggestions, start=1):
        lines += suggestion_lines(suggestion, number)
    if advice.considered:
        lines.append(
            "  also tried: "
            + "; ".join(
                f"{s.shape.describe()} ({fmt.size(s.size_bytes)}, workload {-s.workload_gain:+.0%})"
                for s in advice.considered[:4]
            )
        )
    lines += [f"  note: {printable(note)}" for note in advice.notes]
    return "\n".join(lines) + "\n"
