"""The footer lists the keys that act on the visible pane, and a click on one presses it."""

from __future__ import annotations

from pgwatch_tui.ui.panes.statements import StatementsPane
from pgwatch_tui.ui.widgets.key_footer import KeyFooter
from tests.ui.conftest import make_app, settle


async def test_the_footer_follows_the_pane_and_a_click_presses_the_key() -> None:
    app = make_app()
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        text = str(footer.render())
        assert "Totals" in text
        assert "Explain" in text
        assert "palette" in text
        pane = app.screen.query_one(StatementsPane)
        before = pane.sort_state
        start = next(start for start, _, key in footer._spans if key.description == "Sort")
        await pilot.click(KeyFooter, offset=(start + 2, 0))
        await pilot.pause()
        assert pane.sort_state != before
        await pilot.press("4")
        await pilot.pause()
        assert "Totals" not in str(app.screen.query_one(KeyFooter).render())
