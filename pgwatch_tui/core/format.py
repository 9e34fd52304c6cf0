"""Compact, fixed-width-friendly formatting of numbers, sizes, durations and ratios.

Missing values (None) format as an em dash: pgwatch shows "no honest value", never a zero.
"""

from __future__ import annotations

MISSING = "—"


def number(value: float | None, digits: int = 1) -> str:
    """1234 -> '1234', 12345 -> '12.3k', 1.5e6 -> '1.5M'; small values keep `digits`."""
    if value is None:
        return MISSING
    magnitude = abs(value)
    for limit, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e4, "k")):
        if magnitude >= limit:
            return f"{value / (limit if suffix != 'k' else 1e3):.1f}{suffix}"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.{digits}f}"


def size(num_bytes: float | None) -> str:
    """Binary units, as PostgreSQL's pg_size_pretty does: '8192 B', '1.5 MB'."""
    if num_bytes is None:
        return MISSING
    value = float(num_bytes)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(value) < 1024 or unit == "TB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def duration(seconds: float | None) -> str:
    """'850ms', '12s', '5m03s', '2h05m', '3d04h'."""
    if seconds is None:
        return MISSING
    if seconds < 1:
        return f"{seconds * 1000:.0f}ms"
    total = int(seconds)
    if total < 60:
        return f"{total}s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours:02d}h"


def coarse_duration(seconds: float | None) -> str:
    """Like `duration`, but whole minutes after the first one: what shows it (the header's
    uptime, the Bloat pane's vacuum ages) then changes once a minute, not on every refresh."""
    if seconds is not None and 60 <= seconds < 3600:
        return f"{int(seconds) // 60}m"
    return duration(seconds)


def milliseconds(ms: float | None) -> str:
    """'0.12', '45.3', '1234', '12.3k' milliseconds, without the unit."""
    if ms is None:
        return MISSING
    if ms < 1:
        return f"{ms:.2f}"
    if ms < 100:
        return f"{ms:.1f}"
    return number(round(ms))


def percent(ratio: float | None, digits: int = 1) -> str:
    """0.9876 -> '98.8%'."""
    if ratio is None:
        return MISSING
    return f"{ratio * 100:.{digits}f}%"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 session', '3 sessions' ('1 index', '2 indexes' with an explicit plural)."""
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"
