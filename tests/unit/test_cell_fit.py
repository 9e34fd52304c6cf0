"""Cells fitted to their column: padding, ellipsis, wide characters, and where columns sit."""

from __future__ import annotations

from rich.cells import cell_len

from pgwatch_tui.views.table import Column, column_spans, fit_text, heading


def test_short_text_is_padded_on_the_side_away_from_its_alignment() -> None:
    assert fit_text("42", 5) == "42   "
    assert fit_text("42", 5, right=True) == "   42"


def test_long_text_is_cut_with_an_ellipsis_in_exactly_the_width() -> None:
    assert fit_text("SELECT 1 FROM t", 8) == "SELECT …"
    assert fit_text("abc", 3) == "abc"
    assert fit_text("abc", 0) == ""


def test_wide_characters_count_as_two_cells_and_are_never_split() -> None:
    fitted = fit_text("SELECT '日本語'", 10)
    assert cell_len(fitted) == 10
    assert fitted.endswith("…")
    assert fit_text("日本", 6, right=True) == "  日本"
    # A cut falling inside a wide character leaves a space instead of half a glyph.
    assert fit_text("日本語", 5) == "日本…"
    assert fit_text("日本語x", 6) == "日本 …"


def test_columns_sit_side_by_side_with_their_padding() -> None:
    columns = [Column("a", "A", 4), Column("b", "B", 10), Column("c", "C", 1)]
    assert column_spans(columns) == [(0, 6), (6, 12), (18, 3)]


def test_a_heading_keeps_its_sort_arrow_when_space_is_short() -> None:
    assert heading("ms/s", "▼", 8) == "ms/s ▼"
    assert heading("calls/s", "▼", 8) == "calls/s▼"
    assert heading("database", "▲", 8) == "databa…▲"
    assert heading("query", "", 3) == "query"  # no arrow: the cell itself cuts it
