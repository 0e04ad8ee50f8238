"""The history browser's filter bar: username contains, profile, outcome.

Typing in the username or profile field is debounced: :class:`Settled` is
posted once typing pauses (a query per keystroke would queue up behind a
fast typist). Picking an outcome posts the Select's own ``Changed`` at once.
The bar only reads the fields: whether a short username applies is the
history screen's call (see :mod:`console.tui.screens.history`).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.timer import Timer
from textual.widgets import Input, Select

from console.history import OUTCOMES, HistoryFilter

__all__ = ["DEBOUNCE_SECONDS", "HistoryFilterBar"]

DEBOUNCE_SECONDS = 0.15  # a query per keystroke would queue up behind a fast typist

_OUTCOME_ORDER = (None, "delivered", "failed", "unknown", "pending")


class HistoryFilterBar(Horizontal):
    """The three filter fields of the history browser."""

    class Settled(Message):
        """Typing in a filter field paused: time to read the filter again."""

    def __init__(self, *, profiles: tuple[str, ...] = (), id: str | None = None) -> None:
        """*profiles*: the configured profile names, offered as completions."""
        super().__init__(id=id)
        self._profiles = profiles
        self._debounce: Timer | None = None
        self._unsettled = False

    def compose(self) -> ComposeResult:
        """Username, profile (with completions), outcome."""
        yield Input(placeholder="username contains…", id="history-username")
        yield Input(
            placeholder="profile",
            id="history-profile",
            suggester=SuggestFromList(self._profiles) if self._profiles else None,
        )
        yield Select(
            [(kind, kind) for kind in _OUTCOME_ORDER[1:]],
            prompt="any outcome",
            id="history-outcome",
        )

    @property
    def username(self) -> str:
        """The username typed, stripped."""
        return self.query_one("#history-username", Input).value.strip()

    @property
    def unsettled(self) -> bool:
        """Whether something was typed that :meth:`settle` has not taken yet."""
        return self._unsettled

    def settle(self) -> None:
        """The filter is being read now: no :class:`Settled` for what was typed so far."""
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        self._unsettled = False

    def read(self, *, with_username: bool = True) -> HistoryFilter:
        """The filter the fields say; without the username unless *with_username*."""
        username = self.username if with_username else ""
        profile = self.query_one("#history-profile", Input).value.strip()
        outcome = self.query_one("#history-outcome", Select).value
        return HistoryFilter(
            username=username or None,
            profile=profile or None,
            outcome=outcome if isinstance(outcome, str) and outcome in OUTCOMES else None,
        )

    def focus_username(self) -> None:
        """Put the focus in the username filter."""
        self.query_one("#history-username", Input).focus()

    def cycle_outcome(self) -> None:
        """Step the outcome filter: any, delivered, failed, unknown, pending, any."""
        select: Select[str] = self.query_one("#history-outcome", Select)
        value = select.value if select.value in _OUTCOME_ORDER else None
        following = _OUTCOME_ORDER[(_OUTCOME_ORDER.index(value) + 1) % len(_OUTCOME_ORDER)]
        if following is None:
            select.clear()
        else:
            select.value = following

    @on(Input.Changed, "#history-username, #history-profile")
    def _typed(self) -> None:
        # Restart the timer on every keystroke; the screen queries once typing pauses.
        if self._debounce is not None:
            self._debounce.stop()
        self._unsettled = True
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self._paused)

    def _paused(self) -> None:
        self._debounce = None
        self.post_message(self.Settled())
