"""The main screen: profile bar, request form and preview, send status, attempt log."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer

from console.tui.bindings import screen_bindings
from console.tui.widgets.attempt_log import AttemptLog
from console.tui.widgets.profile_bar import ProfileBar
from console.tui.widgets.request_form import RequestForm
from console.tui.widgets.request_preview import RequestPreview
from console.tui.widgets.send_status import SendStatus

__all__ = ["MainScreen"]


class MainScreen(Screen[None]):
    """Where an operator spends the day. State lives in the app; this is layout and lookup."""

    BINDINGS: ClassVar[list[BindingType]] = list(screen_bindings())
    AUTO_FOCUS = "#username"

    class Ready(Message):
        """The widgets exist: the app can fill them."""

    def __init__(self, *, complete_later: bool = False) -> None:
        """With *complete_later*, the profile Select (empty until the config is
        loaded), the form's collapsed Advanced fields and the hidden send spinner
        wait for :meth:`complete`, which the app calls after the first frame."""
        super().__init__()
        self._complete_later = complete_later

    def on_mount(self) -> None:
        """Tell the app its widgets exist (the app mounts before its screen composes)."""
        self.post_message(self.Ready())

    def compose(self) -> ComposeResult:
        """Profile bar on top, form | preview, the status line, the log, the footer."""
        yield ProfileBar(select_later=self._complete_later, id="profile-bar")
        with Horizontal(id="work"):
            yield RequestForm(advanced_later=self._complete_later, id="form")
            yield RequestPreview(id="preview")
        yield SendStatus(spinner_later=self._complete_later, id="send-status")
        yield AttemptLog(id="log")
        # Compact: every main action and Quit fit a 120-column footer.
        yield Footer(compact=True)

    async def complete(self) -> None:
        """Mount what the first frame did without (see ``complete_later``)."""
        await self.profile_bar.mount_select()
        await self.form.mount_advanced()
        await self.send_status.mount_spinner()

    @property
    def profile_bar(self) -> ProfileBar:
        """The profile bar."""
        return self.query_one(ProfileBar)

    @property
    def form(self) -> RequestForm:
        """The request form."""
        return self.query_one(RequestForm)

    @property
    def preview(self) -> RequestPreview:
        """The request preview."""
        return self.query_one(RequestPreview)

    @property
    def send_status(self) -> SendStatus:
        """The in-flight indicator."""
        return self.query_one(SendStatus)

    @property
    def log_pane(self) -> AttemptLog:
        """The attempt log."""
        return self.query_one(AttemptLog)
