"""The adapters find the tested releases usable, say so in one line, and obey the switch."""

from __future__ import annotations

import pytest

from pgwatch_tui.ui import adapters
from pgwatch_tui.ui.adapters import AdapterStatus, plotext_internals, textual_internals


def test_the_pinned_releases_pass_every_check() -> None:
    assert textual_internals.status().problem is None
    assert plotext_internals.status().problem is None
    assert adapters.fallbacks() == []


def test_the_switch_turns_every_adapter_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(adapters.SWITCH, "off")
    assert not textual_internals.status().active
    assert not plotext_internals.status().active
    monkeypatch.setenv(adapters.SWITCH, "on")
    assert textual_internals.status().active


def test_a_changed_library_is_one_line_saying_what_is_lost() -> None:
    status = AdapterStatus("textual", "9.0.0", "fewer bytes", "untested major release 9")
    assert not status.active
    line = status.line()
    assert "\n" not in line
    assert line.startswith("textual 9.0.0: stock behaviour (untested major release 9)")
    assert "fewer bytes" in line


def test_without_the_adapter_the_writer_is_left_to_textual(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from textual import _compositor  # only to see that nothing was replaced

    before = _compositor.ChopsUpdate.render_segments
    monkeypatch.setenv(adapters.SWITCH, "off")
    restore = textual_internals.install_update_writer(lambda *a: "", lambda *a: "")
    assert _compositor.ChopsUpdate.render_segments is before
    restore()
