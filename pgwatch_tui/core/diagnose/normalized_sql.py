"""Reading normalized SQL text: its parameters, what they are compared with, its tables.

pg_stat_statements replaces constants with $1, $2 ... To plan such a statement pgwatch must
know how many parameters it has and, when PostgreSQL cannot tell their types on its own,
guess them from the columns they are compared with. This is a light lexical reading, not a
parser: it only has to be right often enough to type the parameters PostgreSQL cannot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Literals, quoted identifiers and comments, removed before looking for $n.
_SKIPPED = re.compile(
    r"""
      '(?:[^']|'')*'                    # string
    | E'(?:[^'\\]|\\.|'')*'             # escape string
    | \$(?P<tag>[A-Za-z_]\w*)?\$.*?\$(?P=tag)?\$   # dollar-quoted body
    | "(?:[^"]|"")*"                    # quoted identifier (kept as a placeholder)
    | --[^\n]*                          # line comment
    | /\*.*?\*/                         # block comment
    """,
    re.S | re.X,
)
_PARAM = re.compile(r"\$(\d+)")
_IDENT = r"(?:[A-Za-z_][\w$]*\.)?[A-Za-z_][\w$]*"
# Operators whose two sides share a type: a parameter compared this way takes the column's.
# (Not @>, <@, &&, ? ...: there the other side is an element, a key or another type.)
_OPERATORS = r"(?:=|<>|!=|<=|>=|<|>|~~\*?|!~~\*?|\bLIKE\b|\bILIKE\b)(?![@>&|?])"
_PLANNABLE = {"select", "with", "insert", "update", "delete", "merge", "values", "table"}


def strip_literals(text: str) -> str:
    """The text with strings, comments and dollar-quoted bodies blanked out."""

    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        return '"q"' if token.startswith('"') else " " * len(token)

    return _SKIPPED.sub(blank, text)


def parameter_count(text: str) -> int:
    """The highest $n used (0 when there is none)."""
    numbers = [int(n) for n in _PARAM.findall(strip_literals(text))]
    return max(numbers, default=0)


def first_keyword(text: str) -> str:
    stripped = strip_literals(text).strip().lstrip("(").strip()
    match = re.match(r"[A-Za-z]+", stripped)
    return match.group(0).lower() if match else ""


def is_plannable(text: str) -> bool:
    """Only queries and DML have plans; BEGIN, SET, VACUUM, DDL... do not."""
    return first_keyword(text) in _PLANNABLE


def is_read_only_query(text: str) -> bool:
    """A plain query (SELECT, VALUES, TABLE, or WITH without data-modifying parts)."""
    keyword = first_keyword(text)
    if keyword in ("select", "values", "table"):
        return not re.search(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", strip_literals(text), re.I)
    if keyword == "with":
        return not re.search(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", strip_literals(text), re.I)
    return False


@dataclass
class ParameterUse:
    """What the text says about one parameter."""

    number: int
    columns: list[str] = field(default_factory=list)  # compared with, or assigned to
    array_of: list[str] = field(default_factory=list)  # column = ANY($n): an array of its type
    counts: bool = False  # LIMIT / OFFSET


def _column(name: str) -> str:
    return name.split(".")[-1].lower()


_TYPED_LITERAL = re.compile(
    r"\b(interval|timestamptz|timestamp(?:\s+with(?:out)?\s+time\s+zone)?|date|timetz|time"
    r"|numeric|bigint|integer|smallint|int[248]?|real|double\s+precision|text|varchar|uuid|"
    r"jsonb|json|boolean|bool|inet|cidr|bytea|money)\s+\$(\d+)",
    re.I,
)
_EXTRACT = re.compile(r"\bextract\s*\(\s*\$(\d+)\s+FROM\s+", re.I)


def repair_normalized(text: str) -> str:
    """Make plannable what normalization broke.

    pg_stat_statements replaces the string of a typed literal (interval '1 day') and the field
    of extract(year FROM x) with $n, giving `interval $1` and `extract($1 FROM x)`, which do
    not parse. The same meaning is `$1::interval` and `date_part($1, x)`.
    """
    repaired = _TYPED_LITERAL.sub(lambda m: f"${m.group(2)}::{m.group(1)}", text)
    return _EXTRACT.sub(lambda m: f"date_part(${m.group(1)}::text, ", repaired)


def parameter_uses(text: str) -> dict[int, ParameterUse]:
    """For each $n, the columns it is compared with (both sides), IN lists, ANY, LIMIT.

    A parameter cast explicitly ($1::date) already has its type and is left out.
    """
    clean = re.sub(r"\$\d+\s*::", "__cast::", strip_literals(text))
    uses: dict[int, ParameterUse] = {}

    def use(number: str) -> ParameterUse:
        n = int(number)
        return uses.setdefault(n, ParameterUse(n))

    for col, number in re.findall(rf"({_IDENT})\s*{_OPERATORS}\s*\$(\d+)", clean, re.I):
        use(number).columns.append(_column(col))
    for number, col in re.findall(rf"\$(\d+)\s*{_OPERATORS}\s*({_IDENT})", clean, re.I):
        if col.lower() not in ("null", "true", "false") and not col.startswith("$"):
            use(number).columns.append(_column(col))
    for col, inside in re.findall(rf"({_IDENT})\s+(?:NOT\s+)?IN\s*\(([^()]*)\)", clean, re.I):
        for number in _PARAM.findall(inside):
            use(number).columns.append(_column(col))
    for col, low, high in re.findall(
        rf"({_IDENT})\s+(?:NOT\s+)?BETWEEN\s+\$(\d+)\s+AND\s+\$(\d+)", clean, re.I
    ):
        use(low).columns.append(_column(col))
        use(high).columns.append(_column(col))
    for col, number in re.findall(
        rf"({_IDENT})\s*=\s*(?:ANY|ALL)\s*\(\s*\$(\d+)\s*\)", clean, re.I
    ):
        use(number).array_of.append(_column(col))
    for number in re.findall(
        r"\b(?:LIMIT|OFFSET|FETCH\s+FIRST|FETCH\s+NEXT)\s+\$(\d+)", clean, re.I
    ):
        use(number).counts = True
    insert = re.search(
        rf"\bINSERT\s+INTO\s+{_IDENT}\s*\(([^()]*)\)\s*VALUES\s*\(((?:[^()]|\([^()]*\))*)\)",
        clean,
        re.I,
    )
    if insert:
        columns = [c.strip() for c in insert.group(1).split(",")]
        values = [v.strip() for v in _split_top_level(insert.group(2))]
        for col, value in zip(columns, values, strict=False):
            match = re.fullmatch(r"\$(\d+)", value)
            if match:
                use(match.group(1)).columns.append(_column(col))
    for item in uses.values():
        item.columns = list(dict.fromkeys(item.columns))
        item.array_of = list(dict.fromkeys(item.array_of))
    return uses


def _split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        current.append(char)
    parts.append("".join(current))
    return parts


def referenced_tables(text: str) -> list[str]:
    """Relation names after FROM, JOIN, UPDATE, INTO, USING (lower-cased, schema kept)."""
    clean = strip_literals(text)
    names = re.findall(rf"\b(?:FROM|JOIN|UPDATE|INTO|USING)\s+(?:ONLY\s+)?({_IDENT})", clean, re.I)
    seen: list[str] = []
    for name in names:
        lowered = name.lower()
        if lowered not in seen and lowered not in ("lateral", "select", "unnest"):
            seen.append(lowered)
    return seen


def updated_columns(text: str, table: str) -> set[str]:
    """The columns an UPDATE of `table` sets (empty for anything else)."""
    clean = strip_literals(text)
    match = re.match(
        rf"\s*UPDATE\s+(?:ONLY\s+)?({_IDENT})(?:\s+(?:AS\s+)?[A-Za-z_]\w*)?\s+SET\s+(.*?)"
        r"(?:\bFROM\b|\bWHERE\b|\bRETURNING\b|$)",
        clean,
        re.I | re.S,
    )
    if match is None or match.group(1).split(".")[-1].lower() != table.split(".")[-1].lower():
        return set()
    assignments = _split_top_level(match.group(2))
    columns = set()
    for assignment in assignments:
        left = assignment.split("=")[0].strip().strip("()")
        for name in left.split(","):
            name = name.strip().split(".")[-1]
            if re.fullmatch(r"[A-Za-z_][\w$]*", name):
                columns.add(name.lower())
    return columns
