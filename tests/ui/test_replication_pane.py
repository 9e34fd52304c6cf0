"""The Replication pane driven through Pilot: D on a slot asks with what is lost, then drops;
read-only mode and other rows offer nothing; on a standby the writes it refuses are gone."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from pgwatch_tui.core.act.models import ActionKind, ActionOutcome
from pgwatch_tui.core.act.slot_check import slot_precheck
from pgwatch_tui.ui.app import PgWatchApp
from pgwatch_tui.ui.screens.confirm import ConfirmScreen, confirmation_text
from pgwatch_tui.ui.screens.help import HelpScreen
from tests.factories import slot_fact
from tests.replay_actions import ReplayActions
from tests.terminal import screen_text
from tests.ui import variants
from tests.ui.conftest import RECORDING, make_app, settle
from tests.ui.test_action_keys import shown_actions, until

FORGOTTEN = "old_reporting_replica"
FACT = slot_fact(retained_bytes=16_803_440)


def dropping_actions() -> ReplayActions:
    recording = RECORDING.model_copy(
        update={
            "prechecks": RECORDING.prechecks | {"drop slot": slot_precheck([FACT], FORGOTTEN)},
            "outcomes": RECORDING.outcomes
            | {"drop slot": ActionOutcome(ok=True, message=f"slot {FORGOTTEN} dropped")},
        }
    )
    return ReplayActions(recording)


async def replication_pane(app: PgWatchApp, pilot: Pilot[Any]) -> None:
    """Wait for the data, then open the Replication pane."""
    await settle(pilot)
    await pilot.press("7")
    await settle(pilot)


def selected_key(app: PgWatchApp) -> str | None:
    from pgwatch_tui.ui.panes.replication import ReplicationPane

    return app.screen.query_one(ReplicationPane).table.selected_key


async def test_d_on_the_forgotten_slot_confirms_what_is_lost_then_drops_it() -> None:
    actions = dropping_actions()
    app = make_app(variants.replicating(), actions=actions)
    async with app.run_test(size=(120, 40)) as pilot:
        await replication_pane(app, pilot)
        assert selected_key(app) == f"slot:{FORGOTTEN}"  # the most WAL kept, on top
        assert "drop_slot" in shown_actions(app)
        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.request.kind is ActionKind.DROP_SLOT
        assert confirm.request.sql == f"SELECT pg_drop_replication_slot('{FORGOTTEN}');"
        shown = screen_text(app.export_screenshot())
        assert "WAL it keeps" in shown
        assert "frees about 16.0 MB of WAL" in shown
        assert "new base backup" in shown
        await pilot.press("enter")
        await until(pilot, lambda: actions.requests, "the drop")
        assert [r.name for r in actions.requests] == [FORGOTTEN]


async def test_d_on_a_row_that_is_no_slot_says_so_and_asks_nothing() -> None:
    actions = dropping_actions()
    app = make_app(variants.replicating(), actions=actions)
    async with app.run_test(size=(120, 40)) as pilot:
        await replication_pane(app, pilot)
        # Walk down to the first row that is no slot (a standby's WAL sender).
        for _ in range(10):
            await pilot.press("down")
            await pilot.pause()
            if str(selected_key(app)).startswith("standby:"):
                break
        assert str(selected_key(app)).startswith("standby:")
        await pilot.press("D")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert actions.requests == []


async def test_read_only_mode_offers_no_drop() -> None:
    app = make_app(variants.replicating(), read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await replication_pane(app, pilot)
        assert "drop_slot" not in shown_actions(app)
        await pilot.press("D")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)


async def test_on_a_standby_the_index_writes_are_not_offered_but_slot_drops_are() -> None:
    app = make_app(variants.replicating("standby"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        offered = shown_actions(app)
        assert not offered & {"reindex", "drop_index"}
        await pilot.press("R")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        said = {title: dict(rows) for title, rows in help_screen.sections}
        assert "R" not in said.get("Indexes", {})
        assert said["Replication"]["D"] == "pg_drop_replication_slot the selected slot"


async def test_on_the_primary_the_index_writes_are_offered() -> None:
    app = make_app(variants.replicating())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        assert {"reindex", "drop_index"} <= shown_actions(app)


def test_the_confirmation_labels_a_slots_size_as_the_wal_it_keeps() -> None:
    from pgwatch_tui.core.act.requests import drop_slot_request

    check = slot_precheck([FACT], FORGOTTEN)
    table: Any = confirmation_text(drop_slot_request(FORGOTTEN), check, [])
    labels = [str(cell) for cell in table.columns[0].cells]
    assert "WAL it keeps" in labels


def test_tab_titles_shorten_only_when_the_full_ones_do_not_fit() -> None:
    from pgwatch_tui.ui.dashboard import PANES, tab_titles

    narrow, wide = tab_titles(80), tab_titles(120)
    assert narrow["replication"] == "7 Repl"
    assert wide["replication"] == "7 Replication"
    assert sum(len(t) + 2 for t in narrow.values()) <= 80
    assert list(narrow) == [name for name, _, _ in PANES]


async def test_every_tab_is_on_screen_at_80_columns_and_after_a_resize() -> None:
    app = make_app(variants.replicating())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "7 Repl" in screen_text(app.export_screenshot()).splitlines()[1]
        await pilot.resize_terminal(140, 30)
        await settle(pilot)
        assert "7 Replication" in screen_text(app.export_screenshot()).splitlines()[1]
