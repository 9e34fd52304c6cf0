"""The Replication pane's rows, warnings and detail: what a DBA paged at night reads first."""

from __future__ import annotations

from pgwatch_tui.core.act.slot_check import slot_precheck
from pgwatch_tui.views.header import HeaderState, header_segments
from pgwatch_tui.views.replication import (
    replay_delay,
    replication_rows,
    replication_summary,
    replication_warnings,
)
from pgwatch_tui.views.replication_detail import replication_detail
from pgwatch_tui.views.table import Tone, sort_rows
from tests.factories import (
    T0,
    archiver,
    at,
    conflicts,
    recovery,
    server,
    slot_fact,
    snapshot,
    standby,
    subscription,
)
from tests.factories import replication_slot as slot

GB = 1 << 30


def test_an_unused_slot_keeping_wal_is_the_first_warning_with_size_and_growth() -> None:
    snap = snapshot(
        replication_slots=(slot("small", 4096), slot("big", 3 * GB), slot("used", GB, active=True)),
        slot_growth={"big": 2_000_000.0, "small": 10.0},
        archiver=archiver(last_failed_time=at(5), last_failed_wal="000000010000000000000003"),
    )
    warnings = replication_warnings(snap)
    assert warnings[0] == ("slot big unused, keeps 3.0 GB, +1.9 MB/s", Tone.ALERT)
    assert warnings[1] == ("slot small unused, keeps 4.0 kB", Tone.WARN)  # no noise rate
    assert ("archiver failing", Tone.ALERT) in warnings
    assert not any("used" in text.split()[1] for text, _ in warnings[2:])


def test_the_header_names_the_worst_problem_and_opens_the_pane() -> None:
    snap = snapshot(replication_slots=(slot("forgotten", 5 * GB), slot("other", 100)))
    segments = header_segments(HeaderState("db:5432", False, 2.0, snapshot=snap))
    warning = next(s for s in segments if s.text.startswith("⚠ slot"))
    assert warning.text == "⚠ slot forgotten unused, keeps 5.0 GB (+1)"
    assert warning.tone is Tone.ALERT
    assert warning.action == "show_pane('replication')"


def test_a_healthy_server_has_no_replication_segment() -> None:
    snap = snapshot(replication_slots=(slot("used", GB, active=True),), archiver=archiver())
    texts = [s.text for s in header_segments(HeaderState("db", False, 2.0, snapshot=snap))]
    assert not any(t.startswith("⚠") for t in texts)


def test_sorted_by_behind_the_slot_holding_most_wal_is_on_top() -> None:
    snap = snapshot(
        replication=(standby(11, 5_000, application="replica1"),),
        replication_slots=(slot("a", 1_000), slot("b", 9_000_000)),
        archiver=archiver(),
    )
    rows = sort_rows(replication_rows(snap), "behind", True)
    assert [r.key for r in rows] == ["slot:b", "standby:11", "slot:a", "archiver"]


def test_a_lagging_sync_standby_is_red_and_an_async_one_only_marked() -> None:
    sync = standby(11, 50_000_000, sync_state="sync", application="s")
    asynchronous = standby(12, 50_000_000, sync_state="async", application="a")
    snap = snapshot(replication=(sync, asynchronous), standby_lag_growth={11: 1e6, 12: 1e6})
    tones = {r.key: r.tone for r in replication_rows(snap)}
    assert tones == {"standby:11": Tone.ALERT, "standby:12": Tone.WARN}
    assert ("sync standby s lags", Tone.ALERT) in replication_warnings(snap)
    steady = snapshot(replication=(sync,), standby_lag_growth={11: 0.0})
    assert replication_rows(steady)[0].tone is Tone.NORMAL


def test_replay_delay_on_an_idle_primary_is_not_called_lag() -> None:
    idle = recovery(last_replay_at=at(-3600), received_behind_bytes=0)
    assert "primary idle" in replay_delay(idle, T0)
    late = recovery(last_replay_at=at(-3600), received_behind_bytes=10_000_000)
    assert replay_delay(late, T0) == "replaying commits from 1h00m ago"
    assert replay_delay(recovery(last_replay_at=None), T0) == "nothing replayed yet"


def test_on_a_standby_the_receiver_comes_first_and_its_stop_is_a_warning() -> None:
    down = recovery(receiver_status="stopping")
    snap = snapshot(server=server(now=T0, in_recovery=True), recovery=down)
    rows = replication_rows(snap)
    assert rows[0].key == "receiver"
    assert rows[0].tone is Tone.ALERT
    assert replication_warnings(snap) == [("WAL receiver stopping", Tone.ALERT)]
    assert replication_summary(snap, rows).startswith("standby · 0 senders")
    paused = snapshot(recovery=recovery(replay_paused=True))
    assert replication_warnings(paused) == [("replay paused", Tone.WARN)]


def test_archiving_turned_off_is_muted_not_failing() -> None:
    snap = snapshot(archiver=archiver(archive_mode="off", last_failed_time=at(1)))
    (row,) = replication_rows(snap)
    assert row.tone is Tone.MUTED
    assert row.cells["state"].text == "off"
    assert replication_warnings(snap) == []


def test_hostile_slot_names_are_made_safe_everywhere() -> None:
    name = "evil\x1b[31m[bold]slot\n"
    snap = snapshot(replication_slots=(slot(name, GB),))
    (row,) = replication_rows(snap)
    texts = [c.text for c in row.cells.values()] + [t for t, _ in replication_warnings(snap)]
    title, fields, sql = replication_detail(row.payload, snap)
    texts += [title, *(v for _, v in fields)]
    assert not any("\x1b" in t or "\n" in t for t in texts)
    assert sql == "SELECT pg_drop_replication_slot('evil\x1b[31m[bold]slot\n');"


def test_the_slot_detail_says_what_it_keeps_and_why() -> None:
    snap = snapshot(
        replication_slots=(
            slot("cdc", GB, slot_type="logical", plugin="pgoutput", catalog_xmin_age=1234),
        )
    )
    title, fields, sql = replication_detail(snap.replication_slots[0], snap)
    shown = dict(fields)
    assert title == "Replication slot cdc"
    assert shown["WAL it keeps"] == "1.0 GB"
    assert shown["catalog xmin age"] == "1234"
    assert shown["safe_wal_size"].startswith("no limit")
    assert "spilled to disk" in shown
    assert sql == "SELECT pg_drop_replication_slot('cdc');"


def test_dropping_an_active_slot_is_refused() -> None:
    check = slot_precheck([slot_fact(active=True, active_pid=77)], "s")
    assert not check.allowed
    assert "pid 77 streams from it now" in check.refusals[0]


def test_dropping_a_slot_says_what_is_lost_and_freed() -> None:
    check = slot_precheck([slot_fact()], "s")
    assert check.allowed
    assert check.size_bytes == 2 * GB
    assert check.warnings[0] == "frees about 2.0 GB of WAL at the next checkpoint"
    assert "new base backup" in check.warnings[1]
    logical = slot_precheck(
        [slot_fact(slot_type="logical", plugin="pgoutput", database="shop", catalog_xmin_age=9)],
        "s",
    )
    said = " ".join(logical.warnings)
    assert "plugin pgoutput in database shop" in said
    assert "copied again" in said
    assert "catalog xmin it holds back (9 transactions old)" in said
    unprivileged = slot_precheck([slot_fact(may_drop=False)], "s")
    assert "neither REPLICATION nor superuser" in unprivileged.warnings[-1]


def test_a_slot_gone_meanwhile_is_refused() -> None:
    assert slot_precheck([], "gone").refusals == ["slot gone does not exist (any more)"]


def test_a_subscription_without_a_worker_is_severe_and_a_disabled_one_marked() -> None:
    snap = snapshot(
        subscriptions=(
            subscription("broken", worker_pid=None),
            subscription("paused", enabled=False, worker_pid=None),
            subscription("fine", last_msg_receipt_time=at(-3)),
            subscription("copying", tables_syncing=2),
        )
    )
    rows = {r.key: r for r in replication_rows(snap)}
    assert rows["subscription:broken"].tone is Tone.ALERT
    assert rows["subscription:broken"].cells["state"].text == "no worker"
    assert rows["subscription:paused"].tone is Tone.WARN
    assert "keeps WAL until it is enabled" in rows["subscription:paused"].cells["detail"].text
    assert rows["subscription:fine"].cells["lag"].text == "3s"
    assert rows["subscription:copying"].cells["state"].text == "copying 2/3"
    assert replication_warnings(snap) == [
        ("subscription broken has no worker", Tone.ALERT),
        ("subscription paused disabled", Tone.WARN),
    ]


def test_on_a_standby_the_copied_subscriptions_are_muted_and_never_a_warning() -> None:
    snap = snapshot(
        server=server(now=T0, in_recovery=True),
        subscriptions=(subscription("copied", worker_pid=None),),
    )
    (row,) = replication_rows(snap)
    assert row.tone is Tone.MUTED
    assert row.cells["state"].text == "primary's"
    assert replication_warnings(snap) == []


def test_recovery_conflicts_warn_only_while_queries_are_being_cancelled() -> None:
    recent = snapshot(
        recovery_conflicts=(conflicts("shop", snapshot=7, lock=1), conflicts("quiet")),
        conflict_rate={"shop": 0.5, "quiet": 0.0},
    )
    rows = {r.key: r for r in replication_rows(recent)}
    assert rows["conflicts:shop"].tone is Tone.WARN
    assert rows["conflicts:shop"].cells["state"].text == "8 cancelled"
    assert "snapshot 7 · lock 1" in rows["conflicts:shop"].cells["detail"].text
    assert "conflicts:quiet" not in rows  # nothing cancelled: no row
    assert ("standby cancels queries (shop)", Tone.WARN) in replication_warnings(recent)
    reset = snapshot(recovery_conflicts=(conflicts("shop"),), conflict_rate={"shop": -3.0})
    assert replication_warnings(reset) == []


def test_a_logical_sender_is_a_subscriber_not_a_standby() -> None:
    snap = snapshot(replication=(standby(5, 0, slot_type="logical", slot_name="cdc"),))
    (row,) = replication_rows(snap)
    assert row.cells["what"].text == "subscriber"
    assert "slot cdc" in row.cells["detail"].text
