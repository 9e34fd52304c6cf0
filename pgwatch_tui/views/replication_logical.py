"""Replication pane rows for logical replication and a standby's conflicts: subscriptions of
this cluster, publications of this database, queries a standby cancelled."""

from __future__ import annotations

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.diagnose.replication_health import (
    Concern,
    seconds_since,
    subscription_concern,
)
from pgwatch_tui.core.model.replication_rows import Publication, RecoveryConflicts, Subscription
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.safe_text import printable
from pgwatch_tui.views.table import Cell, TableRow, Tone

TONES = {Concern.NONE: Tone.NORMAL, Concern.MARKED: Tone.WARN, Concern.SEVERE: Tone.ALERT}


def subscription_state(sub: Subscription) -> str:
    if not sub.enabled:
        return "disabled"
    if sub.stalled:
        return "no worker"
    if sub.tables_syncing:
        return f"copying {sub.tables_syncing}/{sub.tables or '?'}"
    return "streaming"


def subscription_row(sub: Subscription, snapshot: Snapshot) -> TableRow:
    if snapshot.server.in_recovery:
        return _copied_subscription_row(sub)
    quiet_for = seconds_since(sub.last_msg_receipt_time, snapshot.server.now)
    details = [f"into {sub.database}", f"from {', '.join(sub.publications) or '—'}"]
    if sub.slot_name:
        details.append(f"slot {sub.slot_name} on the publisher")
    if quiet_for is not None:
        details.append(f"last message {fmt.duration(quiet_for)} ago")
    if sub.apply_errors or sub.sync_errors:
        details.append(f"errors: {sub.apply_errors or 0} apply, {sub.sync_errors or 0} copy")
    if sub.stalled:
        details.append("enabled but not running: the server log says why")
    elif not sub.enabled:
        details.append("its slot on the publisher keeps WAL until it is enabled again")
    return TableRow(
        f"subscription:{sub.name}",
        {
            "name": Cell(printable(sub.name), sub.name),
            "what": Cell("subscription", "4"),
            "state": Cell(subscription_state(sub), subscription_state(sub)),
            "behind": Cell(""),
            "growth": Cell(""),
            "lag": Cell(fmt.duration(quiet_for) if quiet_for is not None else "—", quiet_for),
            "detail": Cell(printable(" · ".join(details))),
        },
        TONES[subscription_concern(sub)],
        sub,
    )


def _copied_subscription_row(sub: Subscription) -> TableRow:
    """On a standby: the primary's subscription, in the copied catalog, running nowhere here."""
    return TableRow(
        f"subscription:{sub.name}",
        {
            "name": Cell(printable(sub.name), sub.name),
            "what": Cell("subscription", "4"),
            "state": Cell("primary's", "primary's"),
            "behind": Cell(""),
            "growth": Cell(""),
            "lag": Cell(""),
            "detail": Cell(printable(f"into {sub.database}: applied on the primary, not here")),
        },
        Tone.MUTED,
        sub,
    )


def publication_row(pub: Publication) -> TableRow:
    published = "all tables" if pub.all_tables else fmt.count(pub.tables, "table")
    return TableRow(
        f"publication:{pub.name}",
        {
            "name": Cell(printable(pub.name), pub.name),
            "what": Cell("publication", "5"),
            "state": Cell(published, pub.tables),
            "behind": Cell(""),
            "growth": Cell(""),
            "lag": Cell(""),
            "detail": Cell(f"publishes {', '.join(pub.operations) or 'nothing'}"),
        },
        Tone.NORMAL,
        pub,
    )


def conflicts_row(conflicts: RecoveryConflicts, snapshot: Snapshot) -> TableRow:
    c = conflicts
    rate = max(snapshot.conflict_rate.get(c.database, 0.0), 0.0)  # below 0: stats were reset
    kinds = [
        ("snapshot", c.snapshot),
        ("lock", c.lock),
        ("buffer pin", c.bufferpin),
        ("deadlock", c.deadlock),
        ("tablespace", c.tablespace),
        ("logical slot", c.logical_slot or 0),
    ]
    detail = " · ".join(f"{kind} {fmt.number(n)}" for kind, n in kinds if n)
    if c.snapshot:
        detail += " · snapshot conflicts: hot_standby_feedback or max_standby_streaming_delay"
    return TableRow(
        f"conflicts:{c.database}",
        {
            "name": Cell(printable(c.database), c.database),
            "what": Cell("conflicts", "6"),
            "state": Cell(f"{fmt.number(c.total)} cancelled", c.total),
            "behind": Cell(""),
            "growth": Cell(f"+{fmt.number(rate, 2)}" if rate else "steady", rate),
            "lag": Cell(""),
            "detail": Cell(printable(detail)),
        },
        Tone.WARN if rate else Tone.NORMAL,
        c,
    )
