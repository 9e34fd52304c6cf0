"""The JSON document and the human summary built from a snapshot."""

from __future__ import annotations

import json

from pgwatch_tui.core.collect.rates import derive
from pgwatch_tui.core.record.export import SCHEMA_PATH, build_document, document_json, json_schema
from pgwatch_tui.core.record.summary import render_summary
from tests.factories import (
    at,
    database,
    lock_wait,
    probes_ok,
    replication_slot,
    session,
    snapshot,
    standby,
    statement,
)


def _two_ticks() -> object:
    first = derive(
        None, snapshot(at(0), databases=(database(),), statements=(statement(calls=10),))
    )
    second = snapshot(
        at(2),
        databases=(database(xact_commit=1200),),
        statements=(
            statement(calls=30, total_exec_ms=900.0),
            statement(queryid=222, calls=1, total_exec_ms=5.0),
        ),
        sessions=(
            session(
                at(2),
                pid=1,
                state="idle in transaction",
                state_age_s=90.0,
                query="\x1b]52;c;aGk=\x07",
            ),
            session(pid=2, application="[bold]app[/]", state="active", query="SELECT 2"),
        ),
        lock_waits=(lock_wait(pid=2, blocking_pids=[1]),),
    )
    return derive(first, second)


def test_schema_file_is_current() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == json_schema(), (
        "run: python -m pgwatch_tui.core.record.export"
    )


def test_document_nests_rates_and_deltas() -> None:
    snap = _two_ticks()
    document = build_document(snap, target="db:5432/shop", top=1)  # type: ignore[arg-type]
    data = json.loads(document_json(document))
    assert data["schema_version"] == 1
    assert data["databases"][0]["rates"]["commits_per_s"] == 100
    assert data["statements_total"] == 2
    assert len(data["statements"]) == 1
    top = data["statements"][0]
    assert top["queryid"] == 111  # busiest in the interval first
    assert top["delta"]["calls"] == 20
    assert data["lock_waits"][0]["blocking_pids"] == [1]
    # Ages stay in the document, worked out at the snapshot's server clock.
    idle_in_tx = data["sessions"][0]
    assert idle_in_tx["state_age_s"] == 90.0
    assert idle_in_tx["xact_age_s"] == 4.0  # the factory's transaction began at T0 - 2 s


def test_summary_never_lets_an_escape_sequence_through() -> None:
    text = render_summary(_two_ticks(), target="db:5432/shop")  # type: ignore[arg-type]
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "\u241b]52;c;aGk=" in text  # shown, visibly
    assert "Lock waits: 1" in text
    assert "pid 2 wants ShareLock" in text
    assert "idle in transaction for 1m30s" in text


def test_summary_counts_client_sessions_by_state_and_waiting() -> None:
    sessions = (
        session(pid=1, state="active", wait_event_type="Lock", wait_event="transactionid"),
        session(pid=2, state="active"),
        session(pid=3, state=None),
        session(pid=4, backend_type="autovacuum worker", state="active", wait_event_type="Lock"),
    )
    text = render_summary(snapshot(sessions=sessions), target="db:5432/shop")
    assert "3 client backends of max_connections" in text
    assert "(2 active, 1 unknown); 1 waiting on locks" in text


def test_document_lists_slots_and_standbys_with_their_growth() -> None:
    names = ("replication_slots", "replication")
    first = snapshot(
        at(0),
        probes=probes_ok(at(0), *names),
        replication_slots=(replication_slot("kept", 0),),
        replication=(standby(7, 0),),
    )
    second = snapshot(
        at(2),
        probes=probes_ok(at(2), *names),
        replication_slots=(replication_slot("kept", 4096),),
        replication=(standby(7, 1000),),
    )
    data = json.loads(document_json(build_document(derive(first, second), target="t", top=5)))
    (entry,) = data["slots"]
    assert entry["slot_name"] == "kept"
    assert entry["retained_bytes"] == 4096
    assert entry["retained_growth_bytes_per_s"] == 2048.0
    (sender,) = data["replication"]
    assert sender["replay_lag_growth_bytes_per_s"] == 500.0
    assert data["archiver"] is None
    assert data["recovery"] is None


def test_summary_says_the_replication_problems_worst_first() -> None:
    snap = snapshot(
        replication_slots=(replication_slot("forgotten", 3 << 30), replication_slot("x", 10)),
        replication=(standby(7, 0, application="replica"),),
    )
    text = render_summary(snap, target="db:5432/shop")
    assert "Replication: primary, 1 WAL sender, 2 slots, 2 problems" in text
    lines = text.splitlines()
    first = lines.index("Replication: primary, 1 WAL sender, 2 slots, 2 problems") + 1
    assert lines[first] == "  ! slot forgotten unused, keeps 3.0 GB"
    assert lines[first + 1] == "  - slot x unused, keeps 10 B"


def test_summary_of_healthy_replication_says_so_and_of_none_says_nothing() -> None:
    healthy = snapshot(replication=(standby(7, 0),))
    assert "Replication: primary, 1 WAL sender, 0 slots, no problem" in render_summary(
        healthy, target="t"
    )
    assert "Replication" not in render_summary(snapshot(), target="t")
