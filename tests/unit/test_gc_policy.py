"""The collector schedule of a pgwatch process: off during start-up, then frozen start-up
objects and a larger young generation; untouched when pgwatch runs inside another program."""

from __future__ import annotations

import gc
import platform
import time
from collections.abc import Iterator

import pytest

from pgwatch_tui.cli import main
from pgwatch_tui.core import gc_policy


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    yield
    gc_policy.resume()
    gc.unfreeze()
    gc.set_threshold(*threshold)
    (gc.enable if enabled else gc.disable)()


def test_start_up_runs_without_collections_then_settles_on_the_larger_schedule() -> None:
    gc_policy.pause_for_start_up()
    assert not gc.isenabled()
    gc_policy.settle_after_start_up()
    assert gc.isenabled()
    assert gc.get_threshold() == (gc_policy.YOUNG_GENERATION, *gc_policy.OLDER_GENERATIONS)
    assert gc.get_freeze_count() > 0  # what start-up built is no longer scanned


def test_settling_twice_freezes_once() -> None:
    gc_policy.pause_for_start_up()
    gc_policy.settle_after_start_up()
    made_after = [0]  # a container created once start-up has settled
    gc_policy.settle_after_start_up()
    # Frozen objects leave the collector's generations; this one must still be in them.
    # (The freeze count itself moves as frozen objects are freed, so it is no witness.)
    assert any(obj is made_after for obj in gc.get_objects())


def test_an_app_inside_another_program_leaves_its_collector_alone() -> None:
    gc.set_threshold(700, 10, 10)
    gc_policy.settle_after_start_up()
    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() == 0


def test_a_command_that_ends_before_any_frame_turns_the_collector_back_on() -> None:
    assert main(["--version"]) == 0
    assert gc.isenabled()
    gc_policy.pause_for_start_up()
    gc_policy.resume()
    assert gc.isenabled()
    gc_policy.settle_after_start_up()  # nothing paused any more: no freeze
    assert gc.get_freeze_count() == 0


def test_a_full_collection_runs_once_a_minute_on_pgwatch_schedule_only() -> None:
    assert not gc_policy.collect_if_due(now=1e9)  # not settled: the host program's schedule
    gc_policy.pause_for_start_up()
    gc_policy.settle_after_start_up()
    began = time.monotonic()
    assert not gc_policy.collect_if_due(now=began + 1)
    assert gc_policy.collect_if_due(now=began + gc_policy.FULL_COLLECTION_EVERY_S + 1)
    assert not gc_policy.collect_if_due(now=began + gc_policy.FULL_COLLECTION_EVERY_S + 2)
    gc_policy.resume()
    assert not gc_policy.collect_if_due(now=began + 10 * gc_policy.FULL_COLLECTION_EVERY_S)


def test_the_minutely_collection_hands_free_pages_back(monkeypatch: pytest.MonkeyPatch) -> None:
    if platform.libc_ver()[0] == "glibc":
        assert gc_policy._malloc_trim() is not None  # found in this machine's C library
    trims: list[int] = []
    monkeypatch.setattr(gc_policy, "_malloc_trim", lambda: trims.append)
    gc_policy.pause_for_start_up()
    gc_policy.settle_after_start_up()
    began = time.monotonic()
    gc_policy.collect_if_due(now=began + 1)
    assert trims == []
    gc_policy.collect_if_due(now=began + gc_policy.FULL_COLLECTION_EVERY_S + 1)
    assert trims == [0]
    gc_policy.resume()
