"""An Input that never paints a raw control or format character.

Textual's Input paints its value as is, so a value replayed from history (or
pasted) holding ESC, an OSC 52 sequence, a C1 byte or a bidi override would
reach the terminal raw. The value itself must stay exact (it is what is sent),
so only the painting changes: each unsafe character is drawn as one stand-in
cell, which keeps the cursor where the character is.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input

from console.text import is_unsafe_char

__all__ = ["SafeInput", "stand_in"]


def stand_in(char: str) -> str:
    """One visible cell for an unsafe character: a control picture, or U+FFFD."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␀ for NUL...
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


class SafeInput(Input):
    """Input whose painted text shows unsafe characters as stand-ins."""

    @property
    def _value(self) -> Text:
        text = super()._value
        plain = text.plain
        if self.password or not any(is_unsafe_char(c) for c in plain):
            return text
        shown = "".join(stand_in(c) if is_unsafe_char(c) else c for c in plain)
        safe = Text(shown, no_wrap=True, overflow="ignore", end="")
        for span in text.spans:
            safe.stylize(span.style, span.start, span.end)
        return safe
