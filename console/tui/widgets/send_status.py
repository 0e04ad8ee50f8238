"""The in-flight indicator: a spinner and "sending alice via sandbox…" while a call runs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import LoadingIndicator, Static

from console.text import one_line

__all__ = ["SendStatus"]


class SendStatus(Horizontal):
    """Hidden while idle; shows what is in flight."""

    def compose(self) -> ComposeResult:
        """Spinner and label."""
        yield LoadingIndicator(id="send-spinner")
        yield Static(Content(""), id="send-label", markup=False)

    def start(self, text: str) -> None:
        """Show that a call is in flight."""
        self.query_one("#send-label", Static).update(Content(one_line(text, 100)))
        self.add_class("-busy")

    def stop(self) -> None:
        """Back to idle."""
        self.remove_class("-busy")
        self.query_one("#send-label", Static).update(Content(""))

    @property
    def busy(self) -> bool:
        """Whether the indicator is showing."""
        return self.has_class("-busy")
