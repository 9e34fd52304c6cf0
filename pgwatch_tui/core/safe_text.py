"""Making server-supplied text safe to put on a terminal.

Query texts, application names, role and relation names come from whoever uses the server.
They may hold escape sequences (colours, OSC 52 clipboard writes, title changes), other control
characters or bidirectional overrides. Everything pgwatch prints goes through `printable`,
which shows such characters as visible placeholders and never passes them through.
"""

from __future__ import annotations

import re

# C0 controls map to the Unicode "control pictures" block (ESC -> U+241B), DEL to U+2421;
# C1 controls, direction overrides, invisible format characters and lone surrogates (from
# undecodable bytes) are spelled out as <U+XXXX>.
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]"
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return _PICTURES.get(code) or f"<U+{code:04X}>"


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """The text with every control, escape and direction-changing character made visible."""
    if keep_newlines:
        return "\n".join(printable(line) for line in text.split("\n"))
    return _UNSAFE.sub(_visible, text.replace("\t", " "))


def one_line(text: str, limit: int | None = None) -> str:
    """Whitespace runs (newlines included) folded to one space, safe, optionally ellipsized."""
    folded = " ".join(text.split())
    safe = printable(folded)
    if limit is not None and len(safe) > limit:
        return safe[: max(limit - 1, 0)] + "…"
    return safe
