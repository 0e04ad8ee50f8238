"""What the main screen shows of the team's table: its uploads, and the user in the form.

:class:`TeamWatch` is a part of :class:`~console.tui.screens.main.MainScreen`
(as :class:`~console.tui.screens.send_flow.SendFlow` is). With a ``[team]``
table it

- shows the uploader's reports in the profile bar ("team: 3 waiting", "team:
  all sent", or why not) and says a new failure once, whole, in the log;
- asks, while the operator types a username (debounced, in a thread worker),
  what the team sent that user in the last hour, and shows it under the field:
  "bob: 3 codes in the last hour (2 by ana, 1 by you); the last was delivered
  4 min ago by SMS". A send never waits for the answer; at 5 or more it asks
  first (:meth:`limit_warning`); an unreadable table is one line, and sending
  works on.

Each answer carries the (profile, pool, username) it was asked for and is
shown only while the form still holds exactly that: an answer about a name
typed before never stands under the next one. Without ``[team]`` it does
nothing at all.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from console.tui.log_entries import note_entry
from console.tui.state import ConsoleState, console_state
from console.tui.team_link import TeamRecentRead, status_line
from console.tui.widgets.attempt_log import AttemptLog
from console.tui.widgets.profile_bar import ProfileBar
from console.tui.widgets.request_form import RequestForm

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.timer import Timer

    from console.history import RecentSends, UploadStatus

__all__ = ["ANSWER_FRESH_S", "RECENT_DEBOUNCE_S", "TeamWatch"]

RECENT_DEBOUNCE_S = 0.35
"""Typing pauses this long before the team is asked (one Query per name, not per key)."""
ANSWER_FRESH_S = 30.0
"""An answer this young is shown again without asking (switching back to a name)."""

Key = tuple[str, str, str]
"""(profile name, user pool id, username)."""


class TeamWatch:
    """The team's status in the profile bar and its recent sends under the username."""

    def __init__(self, screen: Screen[Any]) -> None:
        """*screen* holds the profile bar, the form and the log, and runs the worker."""
        self._screen = screen
        self._timer: Timer | None = None
        self._answers: dict[Key, tuple[float, RecentSends | None, str | None]] = {}
        self._asking: Key | None = None
        self._said: str | None = None
        """The upload failure last said in the log (each new one is said once)."""

    @property
    def _state(self) -> ConsoleState:
        return console_state(self._screen)

    def _key(self) -> Key | None:
        state = self._state
        name, profile = state.active_name, state.active_profile
        username = self._screen.query_one(RequestForm).values().username
        if name is None or profile is None or not username:
            return None
        return (name, profile.user_pool_id, username)

    # -- the uploads' status ---------------------------------------------------

    def show_status(self, status: UploadStatus) -> None:
        """The uploader's report: the bar's team part; a new failure whole in the log."""
        text, kind = status_line(status)
        self._screen.query_one(ProfileBar).set_team(text, kind)
        if status.error is not None and status.error != self._said:
            self._said = status.error
            waiting = "" if status.waiting is None else f"; {status.waiting} waiting"
            how = "each minute" if status.permanent else "with backoff"
            if status.waiting is None and status.code not in (None, "HistoryError"):  # not begun
                self._log(f"team: uploads not started: {status.error}", warning=True)
                return
            self._log(
                f"team: uploads to {self._state.team.table} failed: {status.error}{waiting}, "
                f"kept in the local history and retried {how}",
                warning=True,
            )
        elif status.error is None and self._said is not None:
            self._said = None
            self._log(f"team: uploads to {self._state.team.table} get through again")
        if status.error is None and status.waiting == 0:
            self._refresh()  # the team table now holds our sends: count them

    def _log(self, text: str, *, warning: bool = False) -> None:
        entry = note_entry(text, display=self._state.display_options, warning=warning)
        self._screen.query_one(AttemptLog).add_entry(entry)

    # -- the recent sends to the user in the form -----------------------------------

    def form_changed(self) -> None:
        """The form or the profile changed: its user's line (if known), and once typing
        pauses, the team asked about that user."""
        if not self._state.team.on:
            return
        self._screen.query_one(RequestForm).show_team(self.note())
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._screen.set_timer(RECENT_DEBOUNCE_S, self._ask)

    def _refresh(self) -> None:
        key = self._key()
        if key is not None and key in self._answers:
            del self._answers[key]
            self._ask()

    def _ask(self) -> None:
        key = self._key()
        if key is None or key == self._asking:
            return
        answer = self._answers.get(key)
        if answer is not None and time.monotonic() - answer[0] < ANSWER_FRESH_S:
            return
        self._asking = key
        team, screen, asked_at = self._state.team, self._screen, time.monotonic()
        _name, pool, username = key

        def work() -> None:
            from console.usecases import failure_reason

            try:
                recent = team.recent(pool, username)
            except Exception as exc:  # botocore's kinds, or no client: "cannot tell"
                reason = f"team: cannot read recent sends: {failure_reason(exc)}"
                screen.post_message(TeamRecentRead(key, None, reason, asked_at=asked_at))
                return
            screen.post_message(TeamRecentRead(key, recent, asked_at=asked_at))

        screen.run_worker(work, thread=True, group="team-recent", exit_on_error=False)

    def answered(self, message: TeamRecentRead) -> None:
        """An answer came: kept for its key, and shown if the form still holds that user."""
        if message.key == self._asking:
            self._asking = None
        kept = self._answers.get(message.key)
        if kept is not None and kept[0] > message.asked_at:
            return  # a newer answer about this user is already shown or kept
        self._answers[message.key] = (message.asked_at, message.recent, message.problem)
        if message.key == self._key():
            self._screen.query_one(RequestForm).show_team(self.note())
        else:
            self._ask()  # the name changed while this one was asked

    def note(self) -> str | None:
        """The line under the username: the team's sends to that user, or why unknown."""
        key = self._key()
        answer = self._answers.get(key) if key is not None else None
        if answer is None:
            return None
        _at, recent, problem = answer
        if recent is None:
            return problem
        if not recent.codes:
            return None
        return recent.summary(self._state.team.me, datetime.now(UTC))

    def known(self, name: str, pool: str, username: str) -> RecentSends | None:
        """The team's sends to this user as last read, if an answer came."""
        answer = self._answers.get((name, pool, username))
        return answer[1] if answer is not None else None

    def limit_warning(self, name: str, pool: str, username: str, local: int) -> str | None:
        """Why to ask before a send: the team sent this user 5 or more codes this hour.

        None below the limit, without an answer yet (a send never waits for
        one), or when the local count (*local*) is as high (its own warning says it).
        """
        recent = self.known(name, pool, username)
        if recent is None or not recent.at_limit or recent.codes < local:
            return None
        from console.history import LIMIT_PER_HOUR

        who = ", ".join(
            f"{n} by {'you' if op == self._state.team.me else op}" for op, n in recent.by_operator
        )
        return (
            f"the team sent {username} {recent.codes} codes in the last hour ({who}); Cognito "
            f"allows about {LIMIT_PER_HOUR}, so this one will likely fail with "
            "LimitExceededException"
        )

    def log_before_send(self, name: str, pool: str, username: str) -> None:
        """The team's sends to the user, in the log above the attempt (when there were any)."""
        if (name, pool, username) != self._key():
            return
        line = self.note()
        if line is not None:
            self._log(line, warning=line.startswith("team: cannot"))
