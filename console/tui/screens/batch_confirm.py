"""The batch's start question when some users are at the team's hourly limit.

Three answers: Enter or ``y`` starts the batch and skips those users, ``f``
sends to them too (the CLI's ``--force``), Escape or ``n`` starts nothing.
The text names users (untrusted), so it is shown as ``Content``, never markup.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from console.text import visible
from console.tui.bindings import BATCH_CONFIRM_ACTIONS, screen_bindings
from console.tui.styles import stylesheet
from console.tui.widgets.fitting_footer import FittingFooter

__all__ = ["BatchAnswer", "BatchConfirmScreen", "start_question"]

BatchAnswer = Literal["send", "force", "cancel"]
"""Start skipping the users at the limit, start sending to them too, or start nothing."""


class BatchConfirmScreen(ModalScreen[BatchAnswer]):
    """Dismisses with ``"send"``, ``"force"`` or ``"cancel"``."""

    CSS_PATH = stylesheet("confirm.tcss")
    HELP_TITLE: ClassVar[str] = "Start a batch at the hourly limit"
    BINDINGS: ClassVar[list[BindingType]] = list(
        screen_bindings(BATCH_CONFIRM_ACTIONS, namespace=None)
    )

    def __init__(self, message: str, *, send: int, skipped: int) -> None:
        """*message* may hold untrusted text: it is made visible here."""
        super().__init__()
        self._message = visible(message)
        self._send = send
        self._skipped = skipped

    @property
    def message(self) -> str:
        """The text as shown (for tests)."""
        return self._message

    def compose(self) -> ComposeResult:
        """The text and the three answers in a frame; the footer names the keys."""
        with Vertical(id="confirm-dialog") as dialog:
            dialog.border_title = Content("Start the batch?")
            yield Static(Content(self._message), id="confirm-message", markup=False)
            total = self._send + self._skipped
            yield Static(
                Content.assemble(
                    (f"Send {self._send}?", "bold"),
                    f"  Enter or y: send, skip {self._skipped} · f: send all {total} · "
                    "Escape or n: no",
                ),
                id="confirm-question",
                markup=False,
            )
        yield FittingFooter()

    def action_confirm(self) -> None:
        """Start; the users at the limit are skipped."""
        self.dismiss("send")

    def action_force(self) -> None:
        """Start; the users at the limit are sent a code too."""
        self.dismiss("force")

    def action_cancel(self) -> None:
        """Start nothing."""
        self.dismiss("cancel")


def start_question(text: str, send: int, skipped: int) -> ModalScreen[Any]:
    """The batch's start question: yes or no, or with users at the limit, three answers."""
    if skipped:
        return BatchConfirmScreen(text, send=send, skipped=skipped)
    from console.tui.screens.confirm import StartConfirmScreen

    return StartConfirmScreen("Start the batch?", text, question=f"Send {send}?")
