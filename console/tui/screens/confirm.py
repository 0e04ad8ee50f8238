"""A small yes/no question before something that will probably fail or do nothing.

Used before a resend to a user a lookup found CONFIRMED or disabled: Enter or
``y`` sends anyway, Escape or ``n`` cancels. The question is built from
untrusted text (a username), so it is shown as ``Content``, never as markup.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from console.text import visible
from console.tui.bindings import CONFIRM_ACTIONS, START_CONFIRM_ACTIONS, screen_bindings
from console.tui.styles import stylesheet
from console.tui.widgets.fitting_footer import FittingFooter

__all__ = ["ConfirmScreen", "StartConfirmScreen"]


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True (go ahead) or False (cancel)."""

    CSS_PATH = stylesheet("confirm.tcss")
    HELP_TITLE: ClassVar[str] = "Confirm a resend"
    BINDINGS: ClassVar[list[BindingType]] = list(screen_bindings(CONFIRM_ACTIONS, namespace=None))

    def __init__(self, title: str, message: str, *, question: str = "Send anyway?") -> None:
        """*title* and *message* may hold untrusted text: they are made visible here."""
        super().__init__()
        self._title = visible(title)
        self._message = visible(message)
        self._question = question

    @property
    def title_text(self) -> str:
        """The question's title as shown (for tests)."""
        return self._title

    @property
    def message(self) -> str:
        """The warning as shown (for tests)."""
        return self._message

    def compose(self) -> ComposeResult:
        """The warning and the question in a frame; the footer names the keys."""
        with Vertical(id="confirm-dialog") as dialog:
            dialog.border_title = Content(self._title)  # a str title is markup
            yield Static(Content(self._message), id="confirm-message", markup=False)
            yield Static(
                Content.assemble((self._question, "bold"), "  Enter or y: yes · Escape or n: no"),
                id="confirm-question",
                markup=False,
            )
        yield FittingFooter()

    def action_confirm(self) -> None:
        """Go ahead."""
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Do not."""
        self.dismiss(False)


class StartConfirmScreen(ConfirmScreen):
    """The same question before a start with nothing to warn of (a batch's): its
    footer says "Send", not "Send anyway"."""

    HELP_TITLE: ClassVar[str] = "Confirm a start"
    BINDINGS: ClassVar[list[BindingType]] = list(
        screen_bindings(START_CONFIRM_ACTIONS, namespace=None)
    )
