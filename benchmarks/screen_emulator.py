"""A small terminal emulator: what a screen shows after a program's output.

pgwatch writes only the cells that change, so a word can reach the screen without ever being
written whole (its first letter was already there). Checks of what a user sees therefore read
the emulated screen, not the byte stream. It understands what full-screen programs write:
cursor addressing and motion, erasing, and printable text (wide characters take two cells);
styles and modes are read past. Sequences split across reads are kept until complete.
"""

from __future__ import annotations

import codecs
import re

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


def _numbers(params: str, default: int) -> list[int]:
    return [int(p) if p.isdigit() else default for p in params.lstrip("?<>=").split(";")]


class ScreenEmulator:
    """`columns` x `lines` cells, fed a program's output with `feed`."""

    def __init__(self, columns: int, lines: int) -> None:
        self.columns, self.lines = columns, lines
        self.rows = [[" "] * columns for _ in range(lines)]
        self.x = self.y = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def text(self) -> str:
        """The screen's characters, one line per row."""
        return "\n".join("".join(row) for row in self.rows)

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
        if final in "Hf":
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
        elif final == "K":
            self._erase_line(_numbers(params, 0)[0])
        elif final == "J":
            self._erase_screen(_numbers(params, 0)[0])

    def _erase_line(self, mode: int) -> None:
        row = self.rows[self.y]
        start, end = {0: (self.x, self.columns), 1: (0, self.x + 1)}.get(mode, (0, self.columns))
        row[start:end] = [" "] * (end - start)

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
            self.rows[y] = [" "] * self.columns

    def _print(self, text: str) -> None:
        row = self.rows[self.y]
        if text.isascii():
            room = self.columns - self.x
            row[self.x : self.x + min(len(text), room)] = text[:room]
            self.x = min(self.x + len(text), self.columns - 1)
            return
        for char in text:
            width = get_character_cell_size(char)
            if width == 0 or self.x >= self.columns:
                continue
            row[self.x] = char
            if width == 2 and self.x + 1 < self.columns:
                row[self.x + 1] = ""
            self.x = min(self.x + width, self.columns - 1)
