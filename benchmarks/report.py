"""The results table: metric, pgwatch, pg_activity, ratio, target, pass or fail."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from datetime import UTC, datetime

import psutil


@dataclass(frozen=True)
class Row:
    metric: str
    pgwatch: str
    peer: str = "—"
    ratio: str = "—"
    target: str = ""
    passed: bool | None = None  # None: reported, no target

    @property
    def verdict(self) -> str:
        return {True: "pass", False: "FAIL", None: ""}[self.passed]


def ratio_row(metric: str, ours: float, theirs: float, unit: str, limit: float) -> Row:
    ratio = ours / theirs if theirs else float("inf")
    return Row(
        metric,
        f"{ours:.2f} {unit}",
        f"{theirs:.2f} {unit}",
        f"{ratio:.2f}×",
        f"≤ {limit:g}× pg_activity",
        ratio <= limit,
    )


def limit_row(metric: str, value: float, unit: str, limit: float, peer: str = "—") -> Row:
    # Three significant digits: a 1.03 s start-up against 1 s must not read "1.0 s, FAIL".
    return Row(metric, f"{value:.3g} {unit}", peer, "—", f"≤ {limit:g} {unit}", value <= limit)


def machine() -> str:
    cores = psutil.cpu_count(logical=True)
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{platform.machine()}, {cores} cores, {memory:.0f} GiB, Python {platform.python_version()}"
    )


def render(rows: list[Row], settings: str) -> str:
    header = ("metric", "pgwatch", "pg_activity", "ratio", "target", "result")
    table = [header, *[(r.metric, r.pgwatch, r.peer, r.ratio, r.target, r.verdict) for r in rows]]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    lines = [
        f"# pgwatch benchmarks, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {machine()}. {settings}",
        "",
        "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    for line in table[1:]:
        lines.append(
            "| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |"
        )
    return "\n".join(lines) + "\n"
