"""Server-supplied text never reaches the terminal as control characters."""

from __future__ import annotations

import pytest

from pgwatch_tui.core.safe_text import one_line, printable
from tests import hostile


@pytest.mark.parametrize("text", hostile.texts(), ids=hostile.ids())
def test_no_control_or_direction_character_survives(text: str) -> None:
    shown = printable(text)
    assert all(ord(c) >= 0x20 and not 0x7F <= ord(c) <= 0x9F for c in shown)
    assert not any(c in shown for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert not any("\ud800" <= c <= "\udfff" for c in shown)
    shown.encode("utf-8")  # always writable to a UTF-8 terminal


def test_escape_is_shown_as_a_visible_symbol() -> None:
    assert printable("\x1b[1m") == "\u241b[1m"


def test_ordinary_unicode_is_kept() -> None:
    text = "café ΑΒΓ 日本語 🎉 e\u0301 אבג"
    assert printable(text) == text


def test_newlines_are_kept_only_when_asked() -> None:
    assert printable("a\nb", keep_newlines=True) == "a\nb"
    assert printable("a\nb") == "a\u240ab"


def test_one_line_folds_whitespace_and_ellipsizes() -> None:
    assert one_line("select\n   1,\t2") == "select 1, 2"
    assert one_line("x" * 50, 10) == "x" * 9 + "…"
    assert one_line("\x1b[2J") == "\u241b[2J"
