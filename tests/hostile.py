"""The hostile-string corpus: text a server can hand pgwatch that must be shown literally,
never interpreted (as terminal control, Rich markup or SQL) and never crash it.

Shared by the unit tests (text cleaning), the snapshot tests (fixed data) and the real-server
tests (query texts, application names, roles, tables and indexes made from these strings)."""

from __future__ import annotations

from dataclasses import dataclass

NAMEDATALEN_BYTES = 63  # longer identifiers are silently truncated by the server


@dataclass(frozen=True)
class Hostile:
    name: str
    text: str

    @property
    def server_can_store(self) -> bool:
        """PostgreSQL text and names can hold it (no NUL, valid UTF-8)."""
        try:
            self.text.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return "\x00" not in self.text

    @property
    def fits_an_identifier(self) -> bool:
        return self.server_can_store and len(self.text.encode()) <= NAMEDATALEN_BYTES - 4

    @property
    def fits_a_comment(self) -> bool:
        return self.server_can_store and "*/" not in self.text and "/*" not in self.text


CORPUS: tuple[Hostile, ...] = (
    # Terminal control: CSI, OSC (clipboard write, title, hyperlink), DCS, 8-bit CSI.
    Hostile("ansi_colour", "\x1b[31mred\x1b[0m"),
    Hostile("ansi_clear_screen", "\x1b[2J\x1b[Hcleared"),
    Hostile("ansi_cursor_move", "\x1b[10;10Hmoved"),
    Hostile("osc52_clipboard", "\x1b]52;c;ZXZpbA==\x07"),
    Hostile("osc_title", "\x1b]0;pwned title\x07"),
    Hostile("osc8_hyperlink", "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\"),
    Hostile("dcs_request", "\x1bP+q544e\x1b\\dcs"),
    Hostile("csi_8bit", "\x9b31mred8"),
    # Control characters.
    Hostile("bell", "ring\x07ring"),
    Hostile("backspace", "back\x08\x08space"),
    Hostile("carriage_return", "over\rwrite"),
    Hostile("newline", "two\nlines"),
    Hostile("tab", "tab\there"),
    Hostile("delete", "del\x7fete"),
    Hostile("nul", "nul\x00byte"),
    Hostile("nul_like", "nul\u2400like"),
    Hostile("lone_surrogate", "bad\udcffbyte"),  # an undecodable byte, as Python keeps it
    # Rich markup.
    Hostile("rich_bold", "[bold]bold[/bold]"),
    Hostile("rich_link", "[link=https://evil.example]click[/link]"),
    Hostile("rich_unbalanced", "unbalanced [/]"),
    Hostile("rich_click_quit", "[@click=app.quit]quit[/]"),
    Hostile("rich_escaped", "\\[not markup] [red]"),
    # Unicode: direction, combining, wide, invisible.
    Hostile("rtl_override", "\u202eevil\u202c"),
    Hostile("rtl_isolate", "\u2067مرحبا\u2069"),
    Hostile("combining", "e\u0301\u0302\u0303 zalgo"),
    Hostile("emoji", "🎉🐘 emoji 👨\u200d👩\u200d👧"),
    Hostile("wide_cjk", "日本語の表"),
    Hostile("zero_width", "zero\u200bwidth\u200d"),
    Hostile("byte_order_mark", "\ufeffbom"),
    Hostile("line_separator", "line\u2028para\u2029end"),
    # Identifiers and SQL-looking text.
    Hostile("quoted_identifier", 'we"ird Idx.1'),
    Hostile("single_quote", "it's"),
    Hostile("dots_and_spaces", "a.b c"),
    Hostile("upper_case", "UPPER Case"),
    Hostile("sql_injection", "x; DROP TABLE t; --"),
    Hostile("comment_close", "end */ here"),
    Hostile("format_placeholders", "%s %(name)s {0}"),
    Hostile("backslash", "back\\slash"),
)

# Bytes no Python string can carry: invalid UTF-8 (with an overlong NUL) for application_name,
# sent at connection start-up where the server only cleans it.
INVALID_UTF8_APPLICATION_NAME = b"bad\xff\xfe\xc0\x80app"

HUGE_QUERY_BYTES = 1_000_000


def texts() -> list[str]:
    return [h.text for h in CORPUS]


def ids() -> list[str]:
    return [h.name for h in CORPUS]


def identifiers() -> list[Hostile]:
    return [h for h in CORPUS if h.fits_an_identifier]


def comments() -> list[Hostile]:
    return [h for h in CORPUS if h.fits_a_comment]


def huge_query(table: str) -> str:
    """A query of about a megabyte: the bulk is a comment, so it runs at once."""
    return f"SELECT /* {'x' * HUGE_QUERY_BYTES} */ count(*) FROM {table}"
