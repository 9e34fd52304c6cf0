"""The look of a cell and the SGR steps between looks (the fewest bytes that are right)."""

from __future__ import annotations

from rich.color import ColorSystem
from rich.style import Style

from pgwatch_tui.ui.renditions import ERASE_AT_LEAST, PLAIN, Pen, blank_of, rendition_of, sgr_change

TRUE, EIGHT_BIT = ColorSystem.TRUECOLOR, ColorSystem.EIGHT_BIT


def test_a_style_becomes_its_sgr_parameters_in_the_terminals_colour_system() -> None:
    look = rendition_of(Style(bold=True, color="#ff0000", bgcolor="grey11"), EIGHT_BIT)
    assert look.attributes == frozenset({"1"})
    assert look.foreground == "38;5;196"
    assert look.background == "48;5;234"
    assert rendition_of(Style(color="default"), TRUE) == PLAIN
    assert rendition_of(None, TRUE) is PLAIN


def test_styles_that_look_alike_share_one_rendition() -> None:
    plain_red = rendition_of(Style(color="red"), TRUE)
    assert rendition_of(Style(color="red", meta={"@click": "app.bell"}), TRUE) is plain_red


def test_a_step_writes_only_what_changes() -> None:
    on_grey = rendition_of(Style(color="red", bgcolor="grey11"), EIGHT_BIT)
    blue_on_grey = rendition_of(Style(color="blue", bgcolor="grey11"), EIGHT_BIT)
    assert sgr_change(PLAIN, on_grey) == "\x1b[31;48;5;234m"
    assert sgr_change(on_grey, blue_on_grey) == "\x1b[34m"
    assert sgr_change(on_grey, on_grey) == ""
    bold = rendition_of(Style(bold=True, color="blue", bgcolor="grey11"), EIGHT_BIT)
    assert sgr_change(blue_on_grey, bold) == "\x1b[1m"


def test_an_attribute_that_must_end_resets_then_sets_the_whole_look() -> None:
    bold = rendition_of(Style(bold=True, color="blue"), TRUE)
    italic = rendition_of(Style(italic=True, color="blue"), TRUE)
    assert sgr_change(bold, italic) == "\x1b[0;3;34m"
    assert sgr_change(bold, PLAIN) == "\x1b[0m"


def test_a_default_colour_is_set_with_its_own_code() -> None:
    red_on_green = rendition_of(Style(color="red", bgcolor="green"), TRUE)
    assert sgr_change(red_on_green, PLAIN) == "\x1b[39;49m"


def test_a_blank_looks_like_its_background_unless_a_line_or_reverse_shows() -> None:
    bold_red = rendition_of(Style(bold=True, color="red", bgcolor="green"), TRUE)
    assert blank_of(bold_red) == rendition_of(Style(bgcolor="green"), TRUE)
    underlined = rendition_of(Style(underline=True, bgcolor="green"), TRUE)
    assert blank_of(underlined) is underlined
    reversed_ = rendition_of(Style(reverse=True, color="red"), TRUE)
    assert blank_of(reversed_) is reversed_


def test_the_pen_writes_blanks_in_whatever_foreground_it_has() -> None:
    red_on_green = rendition_of(Style(color="red", bgcolor="green"), TRUE)
    blank_green = blank_of(red_on_green)
    blank_blue = rendition_of(Style(bgcolor="blue"), TRUE)
    pen = Pen()
    drawn = pen.draw([("a", red_on_green), (" ", blank_green), ("b", red_on_green)])
    assert drawn == "\x1b[31;42ma b"  # no sgr_change around the blank
    assert pen.draw([(" ", blank_blue), ("c", red_on_green)]) == "\x1b[44m \x1b[42mc"
    assert pen.finish() == "\x1b[0m"
    assert pen.finish() == ""  # already at the default


def test_a_blank_under_a_line_is_not_taken_for_a_plain_one() -> None:
    underlined = rendition_of(Style(underline=True, bgcolor="green"), TRUE)
    plain_green = rendition_of(Style(bgcolor="green"), TRUE)
    pen = Pen()
    assert pen.draw([(" ", underlined), (" ", plain_green)]) == "\x1b[4;42m \x1b[0;42m "


def test_a_long_run_of_blanks_is_erased_where_the_terminal_fills_the_background() -> None:
    green = rendition_of(Style(bgcolor="green"), TRUE)
    word = rendition_of(Style(color="red", bgcolor="green"), TRUE)
    blanks = [(" ", green)] * ERASE_AT_LEAST
    erasing = Pen(erases=True)
    assert erasing.draw([("a", word), *blanks, ("b", word)]) == (
        f"\x1b[31;42ma\x1b[{ERASE_AT_LEAST}X\x1b[{ERASE_AT_LEAST}Cb"
    )
    assert erasing.draw([("a", word), *blanks]) == f"a\x1b[{ERASE_AT_LEAST}X"  # nothing after
    assert erasing.draw(blanks[1:]) == " " * (ERASE_AT_LEAST - 1)  # too short to pay
    assert Pen(erases=False).draw(blanks) == "\x1b[42m" + " " * ERASE_AT_LEAST
