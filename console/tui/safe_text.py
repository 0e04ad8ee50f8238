"""The TUI's one way to put untrusted text on screen.

Everything from users, config, history, the server or a trigger is shown
through these: as a :class:`Content` or a rich :class:`Text`, never parsed as
markup, every control and format character made visible by
:func:`console.text.visible`. Text already made visible passes through
unchanged, so composing from visible pieces is harmless; forgetting to is
what these catch.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from console.text import visible

__all__ = ["safe_cell", "safe_content"]

Part = str | tuple[str, str] | Content


def safe_content(*parts: Part) -> Content:
    """Plain strings and (text, style) pairs made visible, then assembled.

    Newlines stay line breaks (a block may span lines); every other control
    or format character becomes an escape. Content parts are the caller's own
    composition and pass as they are.
    """
    safe: list[Part] = []
    for part in parts:
        if isinstance(part, str):
            safe.append(visible(part, keep_newlines=True))
        elif isinstance(part, tuple):
            text, style = part
            safe.append((visible(text, keep_newlines=True), style))
        else:
            safe.append(part)
    return Content.assemble(*safe)


def safe_cell(value: object) -> Text:
    """One table cell: visible, on one line, cut with an ellipsis where it does not fit."""
    return Text(visible("" if value is None else str(value)), no_wrap=True, overflow="ellipsis")
