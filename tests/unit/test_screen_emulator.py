"""The benchmarks' and end-to-end tests' terminal emulator: what a screen shows."""

from __future__ import annotations

from benchmarks.screen_emulator import ScreenEmulator


def test_text_lands_where_the_cursor_was_sent() -> None:
    screen = ScreenEmulator(10, 3)
    screen.feed(b"\x1b[2;4H\x1b[1;31mred\x1b[0m\x1b[1;1Htop")
    assert screen.text().split("\n") == ["top       ", "   red    ", "          "]


def test_a_sequence_or_character_split_across_reads_is_kept_until_complete() -> None:
    data = "\x1b[1;3H日本".encode()
    for cut in range(1, len(data)):
        screen = ScreenEmulator(10, 1)
        screen.feed(data[:cut])
        screen.feed(data[cut:])
        assert screen.text() == "  日本    ", cut  # each wide character fills two cells


def test_erasing_and_wide_characters() -> None:
    screen = ScreenEmulator(6, 2)
    screen.feed(b"abcdef\x1b[2;1Hghijkl\x1b[1;3H\x1b[K")
    assert screen.text() == "ab    \nghijkl"
    screen.feed("\x1b[2;2H語".encode())
    assert screen.text().split("\n")[1] == "g語jkl"  # the wide character covers two cells
    screen.feed(b"\x1b[2J")
    assert screen.text() == "      \n      "
