"""A small terminal emulator: what a screen shows after a program's output.

pgwatch writes only the cells that change, so a word can reach the screen without ever being
written whole (its first letter was already there). Checks of what a user sees therefore read
the emulated screen, not the byte stream. It understands what full-screen programs write:
cursor addressing and motion, erasing (lines, the screen, characters), printable text (wide
characters take two cells) and each cell's graphic rendition (SGR: attributes and colours);
modes are read past. Sequences split across reads are kept until complete.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from rich.cells import get_character_cell_size

_SEQUENCE = re.compile(
    r"\x1b\[(?P<params>[0-9;:?<>=]*)[ -/]*(?P<final>[@-~])"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC, ended by BEL or ST
    r"|\x1b[P_^X][^\x1b]*\x1b\\"  # DCS, APC, PM, SOS
    r"|\x1b[()*+#%][0-9A-Za-z@]"  # character set designations
    r"|\x1b[^\[\]P_^X()*+#%]"  # two-character escapes
)
_CONTROL_OR_ESCAPE = re.compile(r"[\x00-\x1f\x7f]")
_LONGEST_PENDING = 4096


@dataclass(frozen=True)
class Look:
    """A cell's graphic rendition: SGR attribute numbers, and colours as their SGR parameters
    (None: the terminal's default)."""

    attributes: frozenset[int] = frozenset()
    foreground: tuple[int, ...] | None = None
    background: tuple[int, ...] | None = None


DEFAULT_LOOK = Look()
# SGR parameters that end attributes, and the attributes each ends.
_ENDS = {22: {1, 2}, 23: {3}, 24: {4, 21}, 25: {5, 6}, 27: {7}, 28: {8}, 29: {9}, 54: {51, 52}}
_ENDS[55] = {53}
_STARTS = {*range(1, 10), 21, 51, 52, 53}
# What a space shows beyond its background: lines through or around it, and reverse video.
_SHOWN_ON_A_BLANK = {4, 7, 9, 21, 51, 52, 53}


def _colour(numbers: list[int], at: int) -> tuple[tuple[int, ...], int]:
    """The colour starting at numbers[at] (30-37, 90-97, 38;5;n, 38;2;r;g;b and their
    background forms) and how many parameters it took."""
    if numbers[at] % 10 == 8:
        taken = 3 if numbers[at + 1 : at + 2] == [5] else 5
        return tuple(numbers[at : at + taken]), taken
    return (numbers[at],), 1


def apply_sgr(look: Look, params: str) -> Look:
    """The rendition after `ESC [ params m`."""
    numbers = [int(p) if p.isdigit() else 0 for p in params.split(";")]
    attributes, foreground, background = set(look.attributes), look.foreground, look.background
    at = 0
    while at < len(numbers):
        number, taken = numbers[at], 1
        if number == 0:
            attributes, foreground, background = set(), None, None
        elif number in _STARTS:
            attributes.add(number)
        elif number in _ENDS:
            attributes -= _ENDS[number]
        elif 30 <= number <= 38 or 90 <= number <= 97:
            foreground, taken = _colour(numbers, at)
        elif 40 <= number <= 48 or 100 <= number <= 107:
            background, taken = _colour(numbers, at)
        elif number == 39:
            foreground = None
        elif number == 49:
            background = None
        at += taken
    return Look(frozenset(attributes), foreground, background)


def _numbers(params: str, default: int) -> list[int]:
    return [int(p) if p.isdigit() else default for p in params.lstrip("?<>=").split(";")]


class ScreenEmulator:
    """`columns` x `lines` cells, fed a program's output with `feed`."""

    def __init__(self, columns: int, lines: int) -> None:
        self.columns, self.lines = columns, lines
        self.rows = [[" "] * columns for _ in range(lines)]
        self.looks = [[DEFAULT_LOOK] * columns for _ in range(lines)]
        self.pen = DEFAULT_LOOK
        self.x = self.y = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def text(self) -> str:
        """The screen's characters, one line per row."""
        return "\n".join("".join(row) for row in self.rows)

    def appearance(self) -> list[list[tuple[str, Look]]]:
        """Each cell as a viewer sees it: a space that shows nothing but its background is
        kept as that background alone, whatever foreground or weight it was written with."""
        seen = []
        for row, looks in zip(self.rows, self.looks, strict=True):
            cells = []
            for char, look in zip(row, looks, strict=True):
                if char == " " and not look.attributes & _SHOWN_ON_A_BLANK:
                    look = Look(background=look.background)
                cells.append((char, look))
            seen.append(cells)
        return seen

    def feed(self, data: bytes) -> None:
        text = self._pending + self._decoder.decode(data)
        self._pending = ""
        position = 0
        while position < len(text):
            control = _CONTROL_OR_ESCAPE.search(text, position)
            stop = control.start() if control else len(text)
            if stop > position:
                self._print(text[position:stop])
            if control is None:
                return
            char = control.group()
            if char != "\x1b":
                self._control(char)
                position = stop + 1
                continue
            sequence = _SEQUENCE.match(text, stop)
            if sequence is None:
                if len(text) - stop < _LONGEST_PENDING:
                    self._pending = text[stop:]  # not complete yet: wait for the next read
                    return
                position = stop + 1  # not a sequence this emulator knows: read past the ESC
                continue
            if sequence.group("final"):
                self._csi(sequence.group("params"), sequence.group("final"))
            position = sequence.end()

    def _control(self, char: str) -> None:
        if char == "\n":
            self.y = min(self.y + 1, self.lines - 1)
        elif char == "\r":
            self.x = 0
        elif char == "\b":
            self.x = max(self.x - 1, 0)

    def _csi(self, params: str, final: str) -> None:
        if params.startswith(("?", "<", ">", "=")):
            return  # private modes and queries: nothing on the screen changes
        if final == "m":
            self.pen = apply_sgr(self.pen, params)
        elif final in "Hf":
            row, column = ([*_numbers(params, 1), 1, 1])[:2]
            self.y = min(max(row, 1), self.lines) - 1
            self.x = min(max(column, 1), self.columns) - 1
        elif final in "ABCDG":
            count = _numbers(params, 1)[0] or 1
            if final == "A":
                self.y = max(self.y - count, 0)
            elif final == "B":
                self.y = min(self.y + count, self.lines - 1)
            elif final == "C":
                self.x = min(self.x + count, self.columns - 1)
            elif final == "D":
                self.x = max(self.x - count, 0)
            else:
                self.x = min(count, self.columns) - 1
        elif final == "X":  # erase characters from the cursor, which stays
            count = _numbers(params, 1)[0] or 1
            self._blank(self.y, self.x, min(self.x + count, self.columns))
        elif final == "K":
            self._erase_line(_numbers(params, 0)[0])
        elif final == "J":
            self._erase_screen(_numbers(params, 0)[0])

    def _erase_line(self, mode: int) -> None:
        start, end = {0: (self.x, self.columns), 1: (0, self.x + 1)}.get(mode, (0, self.columns))
        self._blank(self.y, start, end)

    def _blank(self, y: int, start: int, end: int) -> None:
        """Erased cells take the current background, as on xterm (bce)."""
        self.rows[y][start:end] = [" "] * (end - start)
        self.looks[y][start:end] = [Look(background=self.pen.background)] * (end - start)

    def _erase_screen(self, mode: int) -> None:
        if mode == 0:
            self._erase_line(0)
            below = range(self.y + 1, self.lines)
        elif mode == 1:
            self._erase_line(1)
            below = range(self.y)
        else:
            below = range(self.lines)
        for y in below:
            self._blank(y, 0, self.columns)

    def _print(self, text: str) -> None:
        row, looks = self.rows[self.y], self.looks[self.y]
        if text.isascii():
            room = self.columns - self.x
            written = min(len(text), room)
            row[self.x : self.x + written] = text[:room]
            looks[self.x : self.x + written] = [self.pen] * written
            self.x = min(self.x + len(text), self.columns - 1)
            return
        for char in text:
            width = get_character_cell_size(char)
            if width == 0 or self.x >= self.columns:
                continue
            row[self.x] = char
            looks[self.x] = self.pen
            if width == 2 and self.x + 1 < self.columns:
                row[self.x + 1] = ""
                looks[self.x + 1] = self.pen
            self.x = min(self.x + width, self.columns - 1)
