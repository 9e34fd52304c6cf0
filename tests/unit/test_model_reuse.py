"""Models handed out again while their row repeats, and rebuilt when it or its extra column
(the statements' texts, given beside the rows) changes."""

from __future__ import annotations

from typing import Any

from pgwatch_tui.core.collect.model_reuse import ExtraColumn, ModelReuse

COLUMNS = ("queryid", "calls")


class Built:
    def __init__(self, fields: dict[str, Any]) -> None:
        self.__dict__.update(fields)


def test_a_repeated_row_gets_the_same_model_and_a_changed_one_a_new_one() -> None:
    reuse = ModelReuse()
    first = reuse.models("p", COLUMNS, [(1, 10), (2, 20)], Built)
    second = reuse.models("p", COLUMNS, [(1, 10), (2, 21)], Built)
    assert second[0] is first[0]
    assert second[1] is not first[1]
    assert second[1].calls == 21


def test_a_row_gone_for_a_tick_is_built_again() -> None:
    reuse = ModelReuse()
    first = reuse.models("p", COLUMNS, [(1, 10)], Built)
    reuse.models("p", COLUMNS, [], Built)
    assert reuse.models("p", COLUMNS, [(1, 10)], Built)[0] is not first[0]


def test_rows_that_cannot_be_hashed_are_built_every_time() -> None:
    reuse = ModelReuse()
    first = reuse.models("p", ("ids",), [([1, 2],)], Built)
    again = reuse.models("p", ("ids",), [([1, 2],)], Built)
    assert again[0] is not first[0]
    assert again[0].ids == [1, 2]


def test_the_extra_column_is_in_the_model_and_a_new_value_rebuilds_it() -> None:
    reuse = ModelReuse()
    text = "SELECT 1"
    unknown = reuse.models("s", COLUMNS, [(1, 10)], Built, ExtraColumn("query", [None]))
    assert unknown[0].query is None
    known = reuse.models("s", COLUMNS, [(1, 10)], Built, ExtraColumn("query", [text]))
    assert known[0] is not unknown[0]  # same row, but its text arrived
    assert known[0].query == text
    kept = reuse.models("s", COLUMNS, [(1, 10)], Built, ExtraColumn("query", [text]))
    assert kept[0] is known[0]
    other = reuse.models("s", COLUMNS, [(1, 10)], Built, ExtraColumn("query", ["SELECT 2"]))
    assert other[0] is not known[0]
    assert other[0].query == "SELECT 2"
