"""What a plan says a statement needs from one table: equality and range filters, join keys,
and the order a sort above it wants.

It reads the conditions of EXPLAIN VERBOSE (`(o.customer_id = $1)`, `((status)::text =
'x'::text)`, `(id = ANY ($1))`...). Expressions other than a plain column are left out: the
advisor suggests indexes on columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from pgwatch_tui.core.diagnose.plan import Plan, PlanNode

SCANS = {
    "Seq Scan",
    "Parallel Seq Scan",
    "Bitmap Heap Scan",
    "Index Scan",
    "Index Only Scan",
    "Tid Scan",
    "Tid Range Scan",
}
JOINS_WITH_KEYS = ("Hash Cond", "Merge Cond", "Join Filter")


class Kind(StrEnum):
    EQUALITY = "equality"
    RANGE = "range"
    JOIN = "join"
    IN_LIST = "in"


@dataclass(frozen=True)
class Predicate:
    """`column op value` on one table; `constant` is set when the value is a literal."""

    column: str
    kind: Kind
    operator: str
    constant: str | None = None
    parameter: int | None = None


@dataclass(frozen=True)
class SortKey:
    column: str
    descending: bool


@dataclass
class TableNeeds:
    """Everything one statement's plan asks of one table."""

    table: str
    predicates: list[Predicate] = field(default_factory=list)
    sort: list[SortKey] = field(default_factory=list)
    limited: bool = False  # a LIMIT above: reading in index order can stop early
    outputs: list[str] = field(default_factory=list)  # columns the scan must return
    scan_cost_share: float = 0.0  # how much of the plan's cost the scans of this table are

    @property
    def columns(self) -> set[str]:
        return {p.column for p in self.predicates} | {s.column for s in self.sort}


_NAME = r"[A-Za-z_][\w$]*|\"[^\"]+\""
_CAST = r"(?:::[\w\s\"]+(?:\[\])?)?"
# A column, optionally qualified, possibly in parentheses and cast: ((o.status)::text
_COLUMN = rf"\(*(?:(?P<alias>{_NAME})\.)?(?P<column>{_NAME})\)*{_CAST}"
_CLAUSE = re.compile(
    rf"^\(*{_COLUMN}\s*(?P<op>=|<>|!=|<=|>=|<|>|~~|!~~|~~\*)\s*(?P<rest>.+?)\)*$", re.S
)
_ANY = re.compile(rf"^\(*{_COLUMN}\s*=\s*ANY\s*\((?P<rest>.+)\)\)*$", re.S)
_NULL = re.compile(rf"^\(*{_COLUMN}\s+IS\s+(?P<neg>NOT\s+)?NULL\)*$", re.S)
_PARAM = re.compile(r"^\(*\$(\d+)\)*(?:::[\w\s\"]+(?:\[\])?)?\)*$")
_CONST = re.compile(r"^\(*('(?:[^']|'')*')(?:::[\w\s\"]+(?:\[\])?)?\)*$|^\(*(-?\d+(?:\.\d+)?)\)*$")
_OTHER_COLUMN = re.compile(rf"^{_COLUMN}$")


def _unquote(name: str) -> str:
    return name[1:-1].replace('""', '"') if name.startswith('"') else name


def split_and(condition: str) -> list[str]:
    """Top-level AND clauses of a condition, outer parentheses removed."""
    text = condition.strip()
    while text.startswith("(") and _balanced(text[1:-1]) and text.endswith(")"):
        text = text[1:-1].strip()
    parts, depth, start, quoted = [], 0, 0, False
    i = 0
    while i < len(text):
        char = text[i]
        if char == "'":
            quoted = not quoted
        elif not quoted:
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
            elif depth == 0 and text[i : i + 5].upper() == " AND ":
                parts.append(text[start:i].strip())
                start = i + 5
                i += 4
        i += 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _balanced(text: str) -> bool:
    depth, quoted = 0, False
    for char in text:
        if char == "'":
            quoted = not quoted
        elif not quoted:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth < 0:
                return False
    return depth == 0


def parse_clause(clause: str, aliases: set[str]) -> Predicate | None:
    """One clause on one of `aliases` (the scanned table's names), or None."""

    def mine(alias: str | None) -> bool:
        return alias is None or _unquote(alias) in aliases

    text = clause.strip()
    if match := _ANY.match(text):
        if not mine(match["alias"]):
            return None
        rest = match["rest"].strip()
        param = _PARAM.match(rest)
        return Predicate(
            _unquote(match["column"]),
            Kind.IN_LIST,
            "= ANY",
            parameter=int(param.group(1)) if param else None,
        )
    if match := _NULL.match(text):
        if not mine(match["alias"]):
            return None
        return Predicate(
            _unquote(match["column"]), Kind.EQUALITY, "IS NOT NULL" if match["neg"] else "IS NULL"
        )
    match = _CLAUSE.match(text)
    if match is None or not mine(match["alias"]):
        return None
    column, operator, rest = _unquote(match["column"]), match["op"], match["rest"].strip()
    if param := _PARAM.match(rest):
        value: dict[str, object] = {"parameter": int(param.group(1))}
    elif const := _CONST.match(rest):
        quoted = const.group(1)
        value = {"constant": quoted[1:-1].replace("''", "'") if quoted else const.group(2)}
    elif other := _OTHER_COLUMN.match(rest):
        if other["alias"] is not None and _unquote(other["alias"]) in aliases:
            return None  # a comparison between two columns of the same row
        return Predicate(column, Kind.JOIN, operator) if operator == "=" else None
    else:
        return None
    if operator in ("=", "~~"):
        kind = Kind.EQUALITY if operator == "=" else Kind.RANGE
    elif operator in ("<", "<=", ">", ">="):
        kind = Kind.RANGE
    else:
        return None  # <> and negative matches cannot use a btree
    return Predicate(column, kind, operator, **value)  # type: ignore[arg-type]


def parse_join(clause: str, aliases: set[str]) -> Predicate | None:
    """A join key on our table, whichever side of `=` it is written on."""
    text = clause.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    sides = text.split(" = ")
    if len(sides) != 2:
        return None
    for left, right in (sides, sides[::-1]):
        predicate = parse_clause(f"{left} = {right}", aliases)
        if predicate is not None and predicate.kind is Kind.JOIN:
            return predicate
    return None


def _aliases(node: PlanNode) -> set[str]:
    names = {n for n in (node.alias,) if n}
    if node.relation:
        names.add(node.relation.split(".")[-1])
    return names


def _sort_keys(node: PlanNode, aliases: set[str]) -> list[SortKey]:
    keys = []
    for key in node.sort_key:
        match = re.match(rf"^{_COLUMN}(?P<desc>\s+DESC)?(?:\s+NULLS\s+\w+)?$", key.strip())
        if match is None or not (match["alias"] is None or _unquote(match["alias"]) in aliases):
            return []  # a sort on an expression or another table: an index cannot serve it
        keys.append(SortKey(_unquote(match["column"]), bool(match["desc"])))
    return keys


def table_needs(plan: Plan, table: str) -> TableNeeds | None:
    """What `plan` asks of `table` (schema-qualified or not), or None if it does not scan it."""
    bare = table.split(".")[-1]
    needs = TableNeeds(table)
    found = False
    total = plan.root.total_cost or 1.0

    def visit(node: PlanNode, ancestors: list[PlanNode]) -> None:
        nonlocal found
        if node.node_type in SCANS and node.relation and node.relation.split(".")[-1] == bare:
            found = True
            aliases = _aliases(node)
            for name in ("Filter", "Index Cond", "Recheck Cond"):
                for clause in split_and(node.conditions.get(name, "")):
                    predicate = parse_clause(clause, aliases)
                    if predicate is not None and predicate not in needs.predicates:
                        needs.predicates.append(predicate)
            for output in node.output:
                column = output.split(".")[-1].strip('"')
                if re.fullmatch(r"[A-Za-z_][\w$]*", column) and column not in needs.outputs:
                    needs.outputs.append(column)
            needs.scan_cost_share += node.exclusive_cost / total
            for ancestor in reversed(ancestors):
                if ancestor.node_type in ("Sort", "Incremental Sort") and not needs.sort:
                    needs.sort = _sort_keys(ancestor, aliases)
                if ancestor.node_type == "Limit":
                    needs.limited = True
                for name in JOINS_WITH_KEYS:
                    for clause in split_and(ancestor.conditions.get(name, "")):
                        predicate = parse_join(clause, aliases)
                        if predicate is not None and predicate not in needs.predicates:
                            needs.predicates.append(predicate)
        for child in node.children:
            visit(child, [*ancestors, node])

    visit(plan.root, [])
    return needs if found else None
