"""What dropping a replication slot would lose, said before it is confirmed."""

from __future__ import annotations

from typing import Any

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.act.models import PreCheck


def slot_objections(fact: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(refusals, warnings) from what the server says of the slot now."""
    refusals: list[str] = []
    warnings: list[str] = []
    if fact["active"]:
        pid = fact["active_pid"]
        refusals.append(
            f"pid {pid} streams from it now: the server refuses to drop an active slot "
            "(stop its consumer first)"
        )
    if fact["slot_type"] == "logical":
        where = f" in database {fact['database']}" if fact["database"] else ""
        warnings.append(
            f"its consumer (plugin {fact['plugin']}{where}) loses its place: changes made "
            "until it has a new slot never reach it; a subscription must be re-created "
            "and its tables copied again"
        )
    else:
        warnings.append(
            "a standby streaming through it can resume only while the primary still has the "
            "WAL it needs; past that it must be rebuilt from a new base backup"
        )
    for label, age in (("xmin", fact["xmin_age"]), ("catalog xmin", fact["catalog_xmin_age"])):
        if age is not None:
            warnings.append(
                f"releases the {label} it holds back ({fmt.number(age)} transactions old): "
                "vacuum can clean what it kept"
            )
    if not fact["may_drop"]:
        warnings.append(
            "this role has neither REPLICATION nor superuser: the server will likely refuse "
            "(on RDS, rds_replication grants it)"
        )
    return refusals, warnings


def slot_precheck(facts: list[dict[str, Any]], name: str) -> PreCheck:
    if not facts:
        return PreCheck(refusals=[f"slot {name} does not exist (any more)"])
    fact = facts[0]
    refusals, warnings = slot_objections(fact)
    retained = fact["retained_bytes"]
    if retained:
        warnings.insert(0, f"frees about {fmt.size(retained)} of WAL at the next checkpoint")
    return PreCheck(refusals=refusals, warnings=warnings, size_bytes=retained)
