"""The footer of every screen: the keys that act right now, on one line, compact below 120
columns so an 80-column terminal still shows the ones that matter (all of them are in `?`).

One widget drawing one line of text. Textual's Footer builds a widget per key and builds them
all again whenever the bindings change (every pane switch); the old ones stayed alive (the
memory soak grew by 2 MB a minute, switching panes every 10 s) and each switch cost tens of
milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

COMPACT_BELOW = 120


@dataclass(frozen=True)
class FooterKey:
    key: str  # what simulate_key presses
    display: str  # how the key is shown
    description: str
    enabled: bool


class KeyFooter(Widget):
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, FooterKey]] = []  # start, end, key: for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def keys(self) -> tuple[list[FooterKey], FooterKey | None]:
        """The keys to show (one per action), and the command palette's, shown on the right."""
        shown: dict[str, FooterKey] = {}
        palette: FooterKey | None = None
        for active in self.screen.active_bindings.values():
            binding = active.binding
            key = FooterKey(
                binding.key, self.app.get_key_display(binding), binding.description, active.enabled
            )
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                palette = key if self.app.ENABLE_COMMAND_PALETTE else None
            elif binding.show and binding.action not in shown:
                shown[binding.action] = key
        return list(shown.values()), palette

    def render(self) -> Text:
        variables = self.app.theme_variables
        key_style = Style(color=variables.get("footer-key-foreground"), bold=True)
        text_style = Style(color=variables.get("footer-description-foreground"))
        compact = self.size.width < COMPACT_BELOW
        keys, palette = self.keys()
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        self._spans = []

        def add(key: FooterKey) -> None:
            start = len(line)
            dim = Style(dim=True) if not key.enabled else Style()
            line.append(" " if compact else "  ")
            line.append(key.display, key_style + dim)
            line.append(" ")
            line.append(key.description, text_style + dim)
            self._spans.append((start, len(line), key))

        for key in keys:
            add(key)
        if palette is not None:
            tail = Text(no_wrap=True, end="")
            tail.append(f"│ {palette.display} ", key_style)
            tail.append(palette.description, text_style)
            room = self.size.width - len(line) - tail.cell_len - 1
            if room > 0:
                line.append(" " * room)
                self._spans.append((len(line), len(line) + tail.cell_len, palette))
                line.append_text(tail)
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                if key.enabled:
                    self.app.simulate_key(key.key)
                else:
                    self.app.bell()
                return
