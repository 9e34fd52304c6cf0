"""How a cell looks on the terminal (its graphic rendition), and the fewest bytes that take
the terminal from one rendition to the next.

Textual writes every run of text as "full style, text, reset": a row of a table whose columns
differ only in colour repeats the background with every column, and resets between them.
pgwatch instead keeps the terminal's current rendition (the pen) while it writes an update and
sends only what changes: a new foreground is `ESC[38;5;197m`, not a reset and the whole style.

A space shows only its background (unless underlined, struck through, overlined, framed or
reversed), so a blank cell is kept as its background alone: two blanks that look the same are
the same cell, and a blank is written with whatever foreground the pen has.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.color import Color, ColorSystem
from rich.style import Style


class Rendition(NamedTuple):
    """A cell's look as SGR parameters; None is the terminal's default colour."""

    attributes: frozenset[str]
    foreground: str | None
    background: str | None


PLAIN = Rendition(frozenset(), None, None)
"""The terminal's rendition after a reset: where every update starts and ends."""

# Rich's style attributes and the SGR parameters that turn them on.
_ATTRIBUTE_CODES = (
    ("bold", "1"),
    ("dim", "2"),
    ("italic", "3"),
    ("underline", "4"),
    ("blink", "5"),
    ("blink2", "6"),
    ("reverse", "7"),
    ("conceal", "8"),
    ("strike", "9"),
    ("underline2", "21"),
    ("frame", "51"),
    ("encircle", "52"),
    ("overline", "53"),
)
SHOWN_ON_A_BLANK = frozenset({"4", "7", "9", "21", "51", "52", "53"})
"""Attributes a space shows: lines drawn through or around it, and reverse (which paints the
foreground as the background)."""

# Both caches are bounded by the styles and pairs an app draws with: a few hundred. They are
# emptied if they ever grow past this, so a pathological theme cannot grow them for ever.
_CACHE_LIMIT = 4096
_interned: dict[Rendition, Rendition] = {}
_of_style: dict[tuple[Style, ColorSystem], Rendition] = {}
_sgr_changes: dict[tuple[Rendition, Rendition], str] = {}


def _colour_codes(color: Color | None, color_system: ColorSystem, foreground: bool) -> str | None:
    if color is None:
        return None
    codes = ";".join(color.downgrade(color_system).get_ansi_codes(foreground))
    return None if codes in ("39", "49") else codes


def _intern(rendition: Rendition) -> Rendition:
    """One object per distinct rendition, so cells compare by identity first."""
    if len(_interned) > _CACHE_LIMIT:
        _interned.clear()
        _of_style.clear()
    return _interned.setdefault(rendition, rendition)


def rendition_of(style: Style | None, color_system: ColorSystem) -> Rendition:
    """The look `style` gives a cell, with colours as the terminal's colour system has them."""
    if style is None:
        return PLAIN
    found = _of_style.get((style, color_system))
    if found is not None:
        return found
    attributes = frozenset(code for name, code in _ATTRIBUTE_CODES if getattr(style, name))
    made = _intern(
        Rendition(
            attributes,
            _colour_codes(style.color, color_system, True),
            _colour_codes(style.bgcolor, color_system, False),
        )
    )
    _of_style[(style, color_system)] = made
    return made


def blank_of(rendition: Rendition) -> Rendition:
    """How a space in `rendition` looks: its background alone, unless it shows more."""
    if rendition.attributes & SHOWN_ON_A_BLANK:
        return rendition
    return _intern(Rendition(frozenset(), None, rendition.background))


def sgr_change(pen: Rendition, to: Rendition) -> str:
    """The SGR sequence that changes the terminal from `pen` to `to` ("" when they agree)."""
    if pen is to or pen == to:
        return ""
    key = (pen, to)
    found = _sgr_changes.get(key)
    if found is not None:
        return found
    if pen.attributes - to.attributes:
        # Turning single attributes off needs a code per attribute (and 22 ends bold and dim
        # together); a reset then the whole new rendition is never wrong.
        codes = ["0", *sorted(to.attributes)]
        codes += [code for code in (to.foreground, to.background) if code is not None]
    else:
        codes = sorted(to.attributes - pen.attributes)
        if to.foreground != pen.foreground:
            codes.append(to.foreground or "39")
        if to.background != pen.background:
            codes.append(to.background or "49")
    sequence = f"\x1b[{';'.join(codes)}m"
    if len(_sgr_changes) > _CACHE_LIMIT:
        _sgr_changes.clear()
    _sgr_changes[key] = sequence
    return sequence


# A run of at least this many blanks is erased (ECH) rather than written, where the terminal
# fills erased cells with the current background: the erase and the cursor move past it cost
# about ten bytes.
ERASE_AT_LEAST = 12


class Pen:
    """The rendition the terminal is at while pgwatch writes an update. With `erases`, runs
    of blanks are erased in place (the terminal must fill them with the background)."""

    def __init__(self, erases: bool = False) -> None:
        self.at = PLAIN
        self.erases = erases

    def draw(self, cells: list[tuple[str, Rendition]]) -> str:
        """Characters in their renditions, with an SGR change wherever the look must change."""
        output: list[str] = []
        append = output.append
        pen = self.at
        index, count = 0, len(cells)
        while index < count:
            char, rendition = cells[index]
            index += 1
            if char != " " or rendition.attributes & SHOWN_ON_A_BLANK:
                # ("" is the right half of a wide character: it is written with the left.)
                if rendition is not pen and char and pen != rendition:
                    append(sgr_change(pen, rendition))
                    pen = rendition
                append(char)
                continue
            # A blank: only its background shows, so any foreground will do.
            if pen.attributes & SHOWN_ON_A_BLANK:
                append(sgr_change(pen, rendition))
                pen = rendition
            elif pen.background != rendition.background:
                changed = pen._replace(background=rendition.background)
                append(sgr_change(pen, changed))
                pen = changed
            end = index
            if self.erases:
                while end < count and cells[end][0] == " " and cells[end][1] is rendition:
                    end += 1
            if end - index + 1 < ERASE_AT_LEAST:
                append(char)
                continue
            append(f"\x1b[{end - index + 1}X")  # erase, cursor stays
            if end < count:
                append(f"\x1b[{end - index + 1}C")  # then past the erased cells
            index = end
        self.at = pen
        return "".join(output)

    def finish(self) -> str:
        """Back to the terminal's default rendition, where every update must leave it."""
        if self.at == PLAIN:
            return ""
        self.at = PLAIN
        return "\x1b[0m"
