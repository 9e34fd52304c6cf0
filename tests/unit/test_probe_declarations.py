"""The probe declarations hold together, and the poller follows them without naming one."""

from __future__ import annotations

import ast
from pathlib import Path

from pgwatch_tui.core.collect import poller, probes
from pgwatch_tui.core.collect.probes import (
    BLOAT,
    CLOCK,
    CLOCK_PARTS,
    PROBES,
    SNAPSHOT_PROBES,
    TABLES,
    PollContext,
    Skip,
    TickSoFar,
    WhileFocused,
    with_requirements,
)
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.core.settings import Settings
from tests import factories


def test_exactly_one_probe_is_the_clock_and_it_is_every_tick() -> None:
    clocks = [p for p in PROBES.values() if p.clock]
    assert clocks == [CLOCK]
    assert CLOCK.single_row
    assert CLOCK.cadence.in_tick
    assert CLOCK.cadence.interval_s(Settings()) is None


def test_the_clock_parts_extend_the_clock_at_a_slower_cadence() -> None:
    assert CLOCK_PARTS, "the clock reads its settings at their own cadence"
    for part in CLOCK_PARTS:
        assert part.single_row
        assert not part.in_snapshot
        assert part.cadence.interval_s(Settings()) is not None


def test_what_a_probe_reads_runs_before_it_in_the_tick() -> None:
    order = {name: i for i, name in enumerate(SNAPSHOT_PROBES)}
    for probe in PROBES.values():
        for read in probe.reads:
            assert read in order, probe.name
            assert probe.name in order, probe.name
            assert order[read] < order[probe.name], f"{probe.name} reads {read} too early"
        if probe.companion_of is not None:
            assert probe.companion_of in PROBES, probe.name
        if probe.lookup is not None:
            assert probe.lookup.probe in PROBES
            assert not PROBES[probe.lookup.probe].cadence.in_tick, "a lookup runs outside"


def test_every_snapshot_probe_is_a_snapshot_field() -> None:
    assert set(SNAPSHOT_PROBES) <= set(Snapshot.model_fields)


def test_probes_run_by_their_owner_are_not_in_the_tick() -> None:
    for probe in PROBES.values():
        if probe.in_snapshot:
            assert probe.cadence.in_tick, probe.name


def test_a_wanted_probe_brings_what_it_reads_and_its_companions() -> None:
    assert with_requirements(frozenset({"lock_waits"})) >= {"lock_waits", "sessions", "idle_count"}
    assert with_requirements(frozenset({"statements"})) >= {"statements", "statements_info"}
    assert with_requirements(frozenset({"tables"})) == {"tables"}


def test_periodic_cadences_follow_their_setting() -> None:
    settings = Settings(tables_interval_s=7, bloat_interval_s=70)
    assert TABLES.interval_s(settings) == 7
    assert BLOAT.interval_s(settings) == 70
    assert probes.EVERY_TICK.interval_s(settings) is None


def test_a_focused_probe_runs_only_with_a_session_in_focus_and_keeps_nothing() -> None:
    cadence = WhileFocused()
    assert not cadence.applies(PollContext())
    assert cadence.applies(PollContext(pid=42))
    assert not cadence.keeps_last


def _gate(name: str, context: PollContext, **values: object) -> Skip | None:
    gate = PROBES[name].gate
    assert gate is not None
    return gate(TickSoFar(context, values))


def test_lock_waits_are_read_only_when_a_session_waits_on_a_lock() -> None:
    calm = (factories.session(), factories.session(pid=101, wait_event_type="IO"))
    waiting = (*calm, factories.session(pid=102, wait_event_type="Lock", wait_event="tuple"))
    assert _gate("lock_waits", PollContext(), sessions=calm) is Skip.NOTHING_TO_READ
    assert _gate("lock_waits", PollContext(), sessions=waiting) is None
    assert _gate("lock_waits", PollContext()) is Skip.NOTHING_TO_READ


def test_idle_sessions_are_counted_only_when_they_are_not_listed() -> None:
    assert _gate("idle_count", PollContext(with_idle=True)) is Skip.NOT_NEEDED
    assert _gate("idle_count", PollContext(with_idle=False)) is None


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def test_the_poller_names_no_probe() -> None:
    named = _string_constants(Path(poller.__file__)) & set(PROBES)
    assert not named, f"the poller names probes {sorted(named)}: declare the rule instead"
