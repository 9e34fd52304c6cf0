"""Names as SQL text shows them: every identifier double-quoted, whatever its case."""

from __future__ import annotations


def quote_ident(name: str) -> str:
    """Always double-quoted, inner quotes doubled: right for any name, whatever its case."""
    return '"' + name.replace('"', '""') + '"'


def qualified(schema: str, name: str) -> str:
    return f"{quote_ident(schema)}.{quote_ident(name)}"


def quote_literal(value: str) -> str:
    """A string constant as SQL text shows it: single-quoted, inner quotes doubled (with
    standard_conforming_strings, on since 9.1, a backslash is an ordinary character)."""
    return "'" + value.replace("'", "''") + "'"
