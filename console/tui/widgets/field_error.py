"""An inline error line under a form field, hidden while there is nothing to say."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static

from console.text import visible

__all__ = ["FieldError"]


class FieldError(Static):
    """Shows the rules a field breaks, literally (rules may quote what was typed)."""

    DEFAULT_CSS = """
    FieldError {
        display: none;
        color: $text-error;
        height: auto;
        padding: 0 1;
    }
    FieldError.-shown { display: block; }
    FieldError.-note { color: $text-warning; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(Content(""), id=id, classes=classes, markup=False)
        self.messages: tuple[str, ...] = ()

    def show_problems(self, messages: Sequence[str]) -> None:
        """Show one line per problem, or hide when there is none."""
        self.messages = tuple(messages)
        mark = "!" if self.has_class("-note") else "✗"
        self.update(Content("\n".join(f"{mark} {visible(m)}" for m in self.messages)))
        self.set_class(bool(self.messages), "-shown")
