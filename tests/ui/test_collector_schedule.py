"""The app drives pgwatch's collector schedule: settled once the first snapshot is shown,
then a full collection offered after every later frame (gc_policy decides if one is due)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from pgwatch_tui.core import gc_policy
from pgwatch_tui.ui.messages import SnapshotCollected
from tests.ui.conftest import make_app, settle


@pytest.fixture
def collector_restored() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc_policy.resume()
    gc.unfreeze()
    gc.set_threshold(*threshold)
    gc.enable()


@pytest.mark.usefixtures("collector_restored")
async def test_the_first_snapshot_shown_settles_the_collector() -> None:
    gc_policy.pause_for_start_up()  # as cli.main does
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert gc.isenabled()
        assert gc.get_threshold()[0] == gc_policy.YOUNG_GENERATION
        assert gc.get_freeze_count() > 0


@pytest.mark.usefixtures("collector_restored")
async def test_every_later_snapshot_offers_the_minutely_collection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    offered: list[bool] = []
    monkeypatch.setattr(gc_policy, "collect_if_due", lambda: offered.append(True) or False)
    gc_policy.pause_for_start_up()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.snapshot is not None
        before = len(offered)
        app.post_message(SnapshotCollected(app.snapshot))  # one more tick shown
        await pilot.pause()
        assert len(offered) == before + 1
