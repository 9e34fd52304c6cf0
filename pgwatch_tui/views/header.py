"""The header line on every screen: where, what, and whether the data can be trusted now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.model.capabilities import CapabilityReport
from pgwatch_tui.core.model.snapshot import ProbeState, Snapshot
from pgwatch_tui.core.safe_text import printable
from pgwatch_tui.views.replication import replication_warnings
from pgwatch_tui.views.table import Tone

SEPARATOR = " │ "


@dataclass(frozen=True)
class Segment:
    text: str
    tone: Tone = Tone.NORMAL
    action: str | None = None  # an app action the segment runs when clicked
    priority: int = 0  # segments with higher numbers are dropped first when space is short


@dataclass(frozen=True)
class HeaderState:
    """Everything the header shows, kept by the app and replaced on each event."""

    label: str
    read_only: bool
    refresh_s: float
    paused: bool = False
    reconnecting: str | None = None
    retry_at: datetime | None = None
    skipped: str | None = None
    snapshot: Snapshot | None = None
    capabilities: CapabilityReport | None = None


def _stale(snapshot: Snapshot) -> list[str]:
    return sorted(n for n, s in snapshot.probes.items() if s.state is ProbeState.STALE)


def short_label(label: str) -> str:
    """A unix-socket directory is long and says little: show it as psql does, [local]."""
    return "[local]" + label[label.rfind(":") :] if label.startswith("/") else label


def _replication_segment(snapshot: Snapshot) -> list[Segment]:
    """The worst replication problem (an unused slot filling the disk first); a click opens
    the Replication pane."""
    warnings = replication_warnings(snapshot)
    if not warnings:
        return []
    text, tone = warnings[0]
    more = f" (+{len(warnings) - 1})" if len(warnings) > 1 else ""
    return [Segment(f"⚠ {text}{more}", tone, "show_pane('replication')")]


def header_segments(state: HeaderState, now: datetime | None = None) -> list[Segment]:
    segments = [Segment("pgwatch", priority=5), Segment(printable(short_label(state.label)))]
    snap = state.snapshot
    if snap is not None:
        server = snap.server
        segments.append(Segment(f"PG {server.version.split()[0]}", priority=2))
        segments.append(Segment(f"up {fmt.coarse_duration(server.uptime_s)}", priority=4))
        role = f"{printable(server.current_user)}{'*' if server.is_superuser else ''}"
        segments.append(Segment(role, priority=3))
        if server.in_recovery:
            segments.append(Segment("standby", Tone.WARN))
    if state.read_only:
        segments.append(Segment("READ-ONLY", Tone.WARN))
    segments.append(Segment(f"every {fmt.number(state.refresh_s)}s", priority=1))
    if snap is not None:
        waiting = sum(1 for s in snap.sessions if s.waits_on_lock)
        if waiting:
            segments.append(Segment(f"{waiting} waiting", Tone.ALERT))
        segments.extend(_replication_segment(snap))
    if state.reconnecting is not None:
        retry = ""
        if state.retry_at is not None and now is not None:
            retry = f" (retry in {max(0, round((state.retry_at - now).total_seconds()))}s)"
        segments.append(Segment(f"reconnecting…{retry}", Tone.ALERT))
    elif state.paused:
        segments.append(Segment("paused", Tone.WARN))
    elif state.skipped is not None:
        segments.append(Segment("stale: last refresh failed", Tone.WARN))
    elif snap is not None and _stale(snap):
        segments.append(Segment(f"stale: {', '.join(_stale(snap))}", Tone.WARN))
    report = state.capabilities
    if report is not None and report.warnings:
        count = len(report.warnings)
        segments.append(
            Segment(f"⚠ {count} warning{'s' if count > 1 else ''}", Tone.WARN, "capabilities")
        )
    return segments


def fit_segments(segments: list[Segment], width: int) -> list[Segment]:
    """Drop the least important segments until the line fits in `width` columns."""
    kept = list(segments)

    def length(items: list[Segment]) -> int:
        return sum(len(s.text) for s in items) + len(SEPARATOR) * max(len(items) - 1, 0)

    while len(kept) > 1 and length(kept) > width:
        worst = max(range(len(kept)), key=lambda i: (kept[i].priority, i))
        if kept[worst].priority == 0:
            break
        del kept[worst]
    return kept
