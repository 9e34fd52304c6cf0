"""Tones (views.Tone) as Rich styles. Bold and dim carry the meaning when colour is off."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from pgwatch_tui.views.table import Tone


def tone_style(tone: Tone, variables: dict[str, str]) -> Style:
    if tone is Tone.ALERT:
        return Style(color=variables.get("error", "red"), bold=True)
    if tone is Tone.WARN:
        return Style(color=variables.get("warning", "yellow"))
    if tone is Tone.MUTED:
        return Style(dim=True)
    return Style()


def toned(text: str, tone: Tone, variables: dict[str, str]) -> Text:
    """Server text as a Rich Text: never parsed as markup, styled by its tone."""
    return Text(text, style=tone_style(tone, variables), no_wrap=True, overflow="ellipsis")
