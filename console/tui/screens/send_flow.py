"""The main screen's sends: one at a time, queued until there is a profile, checked, reported.

:class:`SendFlow` is a part of :class:`~console.tui.screens.main.MainScreen`
(it holds one; it is not a screen or a base class of one). The screen binds
the keys and handles the messages; this holds what a send goes through:

- One send at a time: another press while one is in flight is refused and
  logged. A send pressed while the config loads or the sandbox starts is
  queued, as the form was then, and goes out once there is a profile
  (:meth:`SendFlow.release_queued`, called when the app's start-up settles).
- A user a lookup this session found CONFIRMED, disabled or with nowhere to
  send gets a yes/no question first (:func:`~console.tui.sending.lookup_warning`).
- The call runs in a thread worker of the screen, which posts
  :class:`SendFinished` or :class:`SendCrashed` to it; the screen passes them
  to :meth:`SendFlow.finished` and :meth:`SendFlow.crashed` on the UI thread.

The send path itself (:mod:`console.tui.sending`) is imported on the first
send: the first frame does without it.
"""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.worker import get_current_worker

from console.text import visible
from console.tui.form_values import FormValues, problems_by_field
from console.tui.log_entries import (
    LogEntry,
    attempt_entry,
    invalid_entry,
    note_entry,
    trigger_logs_entry,
)
from console.tui.messages import SendCrashed, SendFinished, TriggerLogsRead
from console.tui.state import ConsoleState, console_state
from console.tui.widgets.attempt_log import AttemptLog
from console.tui.widgets.profile_bar import ProfileBar
from console.tui.widgets.request_form import RequestForm
from console.tui.widgets.send_status import SendStatus

if TYPE_CHECKING:
    from textual.screen import Screen

    from console.config import Profile
    from console.tui.screens.team_watch import TeamWatch
    from console.tui.sending import SendJob, SendReport

__all__ = ["DOUBLE_SEND_S", "SendFlow"]

DOUBLE_SEND_S = 3.0
"""A second send to the same user this soon asks first (a double Enter, not a decision)."""

HISTORY_OPEN_WAIT_S = 5.0
"""How long a send waits for the history to open before it goes out unrecorded."""


def _override(job: SendJob) -> str | None:
    """The client id sent instead of the profile's, if any."""
    client_id = job.values.client_id(job.profile)
    return client_id if client_id != job.profile.client_id else None


class SendFlow:
    """The sends of one screen holding a RequestForm, a SendStatus and an AttemptLog."""

    def __init__(self, screen: Screen[Any], team: TeamWatch | None = None) -> None:
        """*screen* runs the send worker and gets its messages; *team* knows what the
        team sent each user lately (a send at its limit asks first)."""
        self._screen = screen
        self._team = team
        self._in_flight: SendJob | None = None
        self._queued: FormValues | None = None
        """A send pressed while the config loaded or the sandbox started, as the form was then."""
        self.sent_once = False
        """Whether anything was sent yet (until then the preview is quiet about the username)."""
        self._last_sent: tuple[str, str, float] | None = None
        """Profile, username and time of the last send started (a double Enter asks)."""

    @property
    def _state(self) -> ConsoleState:
        return console_state(self._screen)

    @property
    def _status(self) -> SendStatus:
        return self._screen.query_one(SendStatus)

    def _log(self, entry: LogEntry) -> None:
        self._screen.query_one(AttemptLog).add_entry(entry)

    def send(self, values: FormValues) -> None:
        """Send *values* with the active profile, unless a send is already in flight."""
        state = self._state
        if self._in_flight is not None or self._queued is not None:
            reason = "a send is already in flight; wait for its outcome"
            self._screen.notify(reason, severity="warning", markup=False)
            self._log(
                invalid_entry(
                    profile=state.active_name or "-",
                    username=values.username,
                    reason=reason,
                    problems=(),
                    display=state.display_options,
                )
            )
            return
        if state.active_profile is None or state.active_name is None:
            waiting = state.waiting_for
            if waiting is not None:
                # Queued, not refused: it goes out as soon as there is a profile.
                self._queued = values
                self._status.start(f"{waiting}, then sending…")
                return
            self._screen.notify("no profile to send with", severity="error", markup=False)
            return
        self._send_after_lookup_check(values)

    def release_queued(self, *, send: bool) -> None:
        """What a queued send waited for is over: *send* it (if there is a profile), or drop it."""
        if self._queued is None:
            return
        values, self._queued = self._queued, None
        if send:
            self._start(values)  # without a profile after all, it stops: the log says why
        else:
            self._status.stop()

    def _warnings(self, values: FormValues, name: str, profile: Profile) -> list[str]:
        """Why to ask before this send: a lookup's finding, the hourly limit, a double Enter."""
        from console.tui.sending import LIMIT_PER_HOUR, lookup_warning, recent_codes

        state = self._state
        found: list[str] = []
        warning = lookup_warning(state, values, profile)
        if warning is not None:
            found.append(f"{warning} (as the lookup found)")
        recent = recent_codes(state.history, profile, values.username)
        team = (
            self._team.limit_warning(name, profile.user_pool_id, values.username, recent)
            if self._team is not None
            else None
        )
        if team is not None:
            found.append(team)
        elif recent >= LIMIT_PER_HOUR:
            found.append(
                f"{values.username} got {recent} codes in the last hour; Cognito allows about "
                f"{LIMIT_PER_HOUR}, so this one will likely fail with LimitExceededException"
            )
        last = self._last_sent
        if last is not None and last[:2] == (name, values.username):
            ago = time.monotonic() - last[2]
            if ago < DOUBLE_SEND_S:
                found.append(f"a code went to {values.username} {ago:.1f} s ago")
        return found

    def _send_after_lookup_check(self, values: FormValues) -> None:
        """Send, asking first when a lookup found the user CONFIRMED, disabled or
        unreachable, when the user had 5 codes this hour, or on a second Enter."""
        state = self._state
        name, profile = state.active_name, state.active_profile
        if profile is None or name is None:
            self._start(values)
            return
        warnings = self._warnings(values, name, profile)
        if not warnings:
            self._start(values)
            return
        from console.tui.screens.confirm import ConfirmScreen

        lookup_only = len(warnings) == 1 and warnings[0].endswith("(as the lookup found)")

        def answered(go: bool | None) -> None:
            if go:
                self._start(values)
                return
            self._log(
                invalid_entry(
                    profile=name,
                    username=values.username,
                    reason=f"cancelled after the {'lookup' if lookup_only else 'send'}'s warning",
                    problems=tuple(warnings),
                    display=state.display_options,
                )
            )
            # As after a send: the next name typed replaces this one, never extends it.
            self._screen.call_after_refresh(self._screen.query_one(RequestForm).select_username)

        title = "Resend anyway?" if lookup_only else "Send again?"
        self._screen.app.push_screen(ConfirmScreen(title, "; ".join(warnings)), answered)

    def recent_note(self, username: str) -> str | None:
        """How many codes *username* got in the last hour (the form shows it), if any."""
        state = self._state
        if state.history is None or state.active_profile is None or not username:
            return None
        from console.tui.sending import LIMIT_PER_HOUR, recent_codes

        count = recent_codes(state.history, state.active_profile, username)
        if not count:
            return None
        codes = "1 code" if count == 1 else f"{count} codes"
        return f"{codes} sent to this user in the last hour (Cognito allows about {LIMIT_PER_HOUR})"

    def _start(self, values: FormValues) -> None:
        from console.tui.sending import new_job

        state = self._state
        profile, name = state.active_profile, state.active_name
        if profile is None or name is None:
            self._status.stop()
            return
        self.sent_once = True
        self._last_sent = (name, values.username, time.monotonic())
        if self._team is not None:
            self._team.log_before_send(name, profile.user_pool_id, values.username)
        job = new_job(state, values, name, profile)
        self._in_flight = job
        state.send_idle.clear()  # the app keeps the history open until it is set again
        self._status.start(f"sending {values.username} via {name}…")
        self._screen.query_one(ProfileBar).set_in_flight("sending…")
        self._screen.run_worker(
            partial(self._call, job, state),
            name="_send",
            group="send",
            thread=True,
            exit_on_error=False,
        )

    def _call(self, job: SendJob, state: ConsoleState) -> None:
        """The worker: the call, off the UI thread; its report goes to the screen as a message."""
        from console.tui.sending import run_detached, run_send

        worker = get_current_worker()
        # At start-up the history opens just after "ready": a send released then
        # waits for it, so that it is recorded; a history that hangs does not hold it.
        unopened = None
        if not state.history_settled.wait(HISTORY_OPEN_WAIT_S):
            unopened = f"history not saved: still opening after {HISTORY_OPEN_WAIT_S:g} s"
        try:
            report = run_detached(
                lambda: run_send(job, state.gateway, state.history, unopened=unopened),
                cancelled=lambda: worker.is_cancelled,
            )
        except RuntimeError as exc:  # run_detached keeps only the class name
            self._screen.post_message(SendCrashed(str(exc)))
            return
        if report is not None:
            self._screen.post_message(SendFinished(report))

    def _over(self) -> None:
        self._in_flight = None
        self._state.send_idle.set()
        self._state.team.nudge()  # the attempt is recorded: the team gets it once sends pause
        self._status.stop()
        self._screen.query_one(ProfileBar).set_in_flight(None)
        form = self._screen.query_one(RequestForm)
        if self._screen.focused is form.username_input:
            form.select_username()  # the next name typed replaces this one

    def _key_of(self, binding_id: str) -> str | None:
        """The key that runs *binding_id* now (the keymap may have moved it), as shown."""
        app = self._screen.app
        for active in app.active_bindings.values():
            if active.binding.id == binding_id:
                shown = app.get_key_display(active.binding)
                return shown.upper() if shown[1:].isdigit() else shown  # f8 -> F8
        return None

    def finished(self, report: SendReport) -> None:
        """Show how the send went: its outcome in the log, or why nothing was sent."""
        from console.cognito import delivery_risks
        from console.tui.sending import SendDone, explanations

        self._over()
        job = report.job
        display = self._state.display_options
        form = self._screen.query_one(RequestForm)
        if form.values().username == job.values.username:
            form.show_recent(self.recent_note(job.values.username))
        if isinstance(report, SendDone):
            entry = attempt_entry(
                report.result,
                profile=job.profile_name,
                username=report.username,
                display=display,
                explanations=explanations(job, report.result),
                risks=delivery_risks(report.result.outcome, job.facts),
                doctor_key=self._doctor_key(),
                client_override=_override(job),
                lookup_key=self._key_of("lookup"),
            )
            self._log(entry)
            self._fetch_trigger_logs(job, report.result.outcome.latency_ms)
            return
        if report.request_error is not None:
            form = self._screen.query_one(RequestForm)
            form.show_problems(problems_by_field(report.request_error, job.values))
        self._log(
            invalid_entry(
                profile=job.profile_name,
                username=job.values.username,
                reason=report.reason,
                problems=report.problems,
                display=display,
            )
        )
        self._screen.notify(f"not sent: {visible(report.reason)}", severity="error", markup=False)

    def _doctor_key(self) -> str:
        """The key that opens the delivery doctor now (the keymap may have moved it)."""
        for active in self._screen.active_bindings.values():
            if active.binding.id == "doctor":
                return self._screen.app.get_key_display(active.binding)
        return ""

    def crashed(self, reason: str) -> None:
        """The send failed in an unexpected way (*reason* names only the exception class)."""
        self._over()
        self._log(
            note_entry(
                f"send failed unexpectedly ({reason}); check the history before retrying",
                display=self._state.display_options,
                warning=True,
            )
        )

    # -- the trigger's CloudWatch Logs beside the attempt ------------------------------------

    def _fetch_trigger_logs(self, job: SendJob, latency_ms: float) -> None:
        """When a CustomMessage trigger handled the attempt, read its logs in its window."""
        trigger = job.facts.trigger("CustomMessage") if job.facts is not None else None
        if trigger is None:
            return
        now_ms = int(time.time() * 1000)
        # The attempt's window, with room for clock skew and Lambda's log delivery.
        window = (now_ms - int(latency_ms) - 2000, now_ms + 2000)
        state, arn = self._state, trigger.arn
        profile, console = job.profile, state.config.console

        def read() -> None:
            try:
                logs = state.admin.trigger_logs(profile, console, arn, window)
            except Exception as exc:  # a worker must not take the app down
                self._screen.post_message(
                    TriggerLogsRead(f"trigger logs not read: {type(exc).__name__}", [], failed=True)
                )
                return
            if logs is not None:
                head, *lines = logs.summary()
                self._screen.post_message(
                    TriggerLogsRead(head, lines, failed=logs.failure is not None)
                )

        self._screen.run_worker(read, group="trigger-logs", thread=True, exit_on_error=False)

    def show_trigger_logs(self, message: TriggerLogsRead) -> None:
        """The trigger's log lines under the attempt they belong to."""
        self._log(
            trigger_logs_entry(
                message.headline,
                message.lines,
                display=self._state.display_options,
                warning=message.failed,
            )
        )
