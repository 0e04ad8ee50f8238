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

    def __init__(self, *, spinner_later: bool = False, id: str | None = None) -> None:
        """With *spinner_later*, the (hidden) spinner waits for :meth:`mount_spinner`."""
        super().__init__(id=id)
        self._spinner_later = spinner_later

    def compose(self) -> ComposeResult:
        """Spinner and label."""
        if not self._spinner_later:
            yield LoadingIndicator(id="send-spinner")
        yield Static(Content(""), id="send-label", markup=False)

    async def mount_spinner(self) -> None:
        """Add the spinner, if composed without it."""
        if not self._spinner_later:
            return
        self._spinner_later = False
        await self.mount(LoadingIndicator(id="send-spinner"), before="#send-label")

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
