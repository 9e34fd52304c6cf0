"""Rows are rebuilt only when the objects they come from are new ones."""

from __future__ import annotations

from pgwatch_tui.views.statements import StatementOptions, statement_rows
from pgwatch_tui.views.table import Cell, RowMemo, TableRow
from tests.factories import at, snapshot, statement


def _builder(log: list[str], key: str, text: str) -> TableRow:
    log.append(key)
    return TableRow(key, {"x": Cell(text)})


def test_a_row_from_the_same_objects_is_reused_and_others_are_built() -> None:
    memo, built = RowMemo(), []
    a, b = object(), object()
    memo.start("options")
    first = memo.row("k", (a, b), lambda: _builder(built, "k", "one"))
    memo.start("options")
    assert memo.row("k", (a, b), lambda: _builder(built, "k", "two")) is first
    memo.start("options")
    changed = memo.row("k", (a, object()), lambda: _builder(built, "k", "three"))
    assert changed.cells["x"].text == "three"
    assert built == ["k", "k"]


def test_new_options_or_a_skipped_pass_forget_the_rows() -> None:
    memo, built = RowMemo(), []
    a = object()
    memo.start("per second")
    memo.row("k", (a,), lambda: _builder(built, "k", "one"))
    memo.start("totals")
    memo.row("k", (a,), lambda: _builder(built, "k", "two"))
    assert built == ["k", "k"]
    memo.start("totals")  # a pass without the row drops it
    memo.start("totals")
    memo.row("k", (a,), lambda: _builder(built, "k", "three"))
    assert built == ["k", "k", "k"]


def test_statement_rows_reuse_rows_of_unchanged_statements_only() -> None:
    quiet, busy = statement(queryid=1), statement(queryid=2, calls=10)
    memo, options = RowMemo(), StatementOptions()
    before = {
        r.key: r for r in statement_rows(snapshot(at(0), statements=(quiet, busy)), options, memo)
    }
    moved = statement(queryid=2, calls=12)
    after = {
        r.key: r for r in statement_rows(snapshot(at(1), statements=(quiet, moved)), options, memo)
    }
    assert after["10:16384:1:t"] is before["10:16384:1:t"]
    assert after["10:16384:2:t"] is not before["10:16384:2:t"]
    assert after["10:16384:2:t"].payload is moved
