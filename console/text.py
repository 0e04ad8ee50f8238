"""Making untrusted text safe to show, in the TUI and on the CLI alike.

Everything that comes from users, config files, history or the server goes
through :func:`visible` before it reaches a terminal. Terminals act on raw
control characters (ESC starts CSI/OSC sequences that can clear the screen,
set the window title or write the clipboard; C1 bytes do the same in 8 bits),
and invisible format characters (bidi overrides, zero-width joiners) make
text look like something it is not. We show all of them as escapes instead.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["is_unsafe_char", "one_line", "plural", "visible"]

# Unicode categories that must never reach a terminal raw: controls, format
# characters (bidi, zero-width), private use, surrogates, unassigned, and the
# line/paragraph separators that break layout.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})


@lru_cache(maxsize=4096)
def is_unsafe_char(char: str) -> bool:
    """Whether one character must be shown as an escape rather than raw."""
    return unicodedata.category(char) in _UNSAFE_CATEGORIES


def _escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """Return *text* with every unsafe character replaced by a visible escape.

    ``ESC`` becomes ``\\x1b``, ``U+202E`` becomes ``\\u202e`` and so on. A
    backslash is left alone: the output is for eyes, not for parsing back.
    With ``keep_newlines`` a plain ``\\n`` stays a line break (for multi-line
    message bodies); every other control character is still escaped.
    """
    if text.isprintable() and text.isascii():
        return text
    out: list[str] = []
    for char in text:
        if keep_newlines and char == "\n":
            out.append(char)
        elif is_unsafe_char(char):
            out.append(_escape(char))
        else:
            out.append(char)
    return "".join(out)


def one_line(text: str, limit: int | None = None) -> str:
    """Visible text on a single line, cut to *limit* characters with an ellipsis."""
    shown = visible(text)
    if limit is not None and len(shown) > limit:
        return shown[: max(limit - 1, 0)] + "…"
    return shown


def plural(count: int, word: str) -> str:
    """``1 call``, ``2 calls`` (words whose plural adds an s)."""
    return f"{count} {word}{'' if count == 1 else 's'}"
