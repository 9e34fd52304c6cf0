"""The benchmarks' and end-to-end tests' terminal emulator: what a screen shows."""

from __future__ import annotations

from benchmarks.screen_emulator import Look, ScreenEmulator


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


def test_each_cell_keeps_the_rendition_it_was_written_in() -> None:
    screen = ScreenEmulator(8, 1)
    screen.feed(b"\x1b[1;38;5;197;48;5;234mab\x1b[22;39mc\x1b[4md\x1b[0me")
    looks = screen.looks[0]
    assert looks[0] == Look(frozenset({1}), (38, 5, 197), (48, 5, 234))
    assert looks[2] == Look(frozenset(), None, (48, 5, 234))  # bold and the colour ended
    assert looks[3] == Look(frozenset({4}), None, (48, 5, 234))
    assert looks[4] == Look()  # reset


def test_truecolor_and_basic_colours_are_parsed_whole() -> None:
    screen = ScreenEmulator(4, 1)
    screen.feed(b"\x1b[38;2;1;2;3;41mx\x1b[94;49my")
    assert screen.looks[0][:2] == [
        Look(frozenset(), (38, 2, 1, 2, 3), (41,)),
        Look(frozenset(), (94,), None),
    ]


def test_a_blank_appears_as_its_background_unless_a_line_or_reverse_shows_on_it() -> None:
    screen = ScreenEmulator(3, 1)
    screen.feed(b"\x1b[1;31;42m \x1b[0;32;42m \x1b[4;42m ")
    plain, same, underlined = screen.appearance()[0]
    assert plain == same == (" ", Look(background=(42,)))
    assert underlined == (" ", Look(frozenset({4}), (32,), (42,)))


def test_erased_characters_take_the_current_background_and_the_cursor_stays() -> None:
    screen = ScreenEmulator(6, 1)
    screen.feed(b"abcdef\x1b[1;2H\x1b[44m\x1b[3Xz")
    assert screen.text() == "az  ef"
    assert screen.looks[0][2:4] == [Look(background=(44,))] * 2
