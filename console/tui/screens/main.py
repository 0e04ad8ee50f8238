"""The main screen: where an operator spends the day, and what it does.

It owns its widgets (profile bar, request form and preview, send status,
attempt log) and their behaviour: the preview (debounced), the sends (its
:class:`~console.tui.screens.send_flow.SendFlow`), and the actions of
:data:`console.tui.bindings.ACTIONS`, among them opening the history,
outbox, help, lookup, pool facts and batch screens and taking their results.

The app holds the app-wide state; this screen reads it through
:func:`console.tui.state.console_state` and asks for a change with a message
(:class:`~console.tui.messages.SwitchProfile`). The app shows changes of its
state here through the methods under "shown for the app". The helpdesk screens and
their admin code load on first use (``tests/tui/test_first_frame_imports.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Select
from textual.worker import Worker, WorkerState

from console.text import visible
from console.tui.bindings import ACTIONS, ActionSpec, screen_bindings
from console.tui.form_values import FormValues
from console.tui.log_entries import note_entry
from console.tui.messages import SendCrashed, SendFinished, SwitchProfile, TriggerLogsRead
from console.tui.preview import compute_preview
from console.tui.screens.send_flow import SendFlow
from console.tui.screens.team_watch import TeamWatch
from console.tui.state import ConsoleState, console_state
from console.tui.widgets.attempt_log import AttemptLog
from console.tui.widgets.fitting_footer import FittingFooter
from console.tui.widgets.profile_bar import ProfileBar
from console.tui.widgets.request_form import RequestForm
from console.tui.widgets.request_preview import RequestPreview
from console.tui.widgets.send_status import SendStatus

if TYPE_CHECKING:
    from console.config import Profile
    from console.history import AttemptRecord
    from console.tui.first_frame import ProfileHint
    from console.tui.team_link import TeamRecentRead, TeamStatusChanged

__all__ = ["PREVIEW_DEBOUNCE_S", "MainScreen"]

PREVIEW_DEBOUNCE_S = 0.15


class MainScreen(Screen[None]):
    """The profile bar, the request form and its preview, the send status, the attempt log."""

    BINDINGS: ClassVar[list[BindingType]] = list(screen_bindings(ACTIONS))
    ACTION_SPECS: ClassVar[tuple[ActionSpec, ...]] = ACTIONS
    """The actions the command palette offers here (besides the profile switches)."""
    AUTO_FOCUS = "#username"
    # Layouts for small terminals (styles/main.tcss): 80x24 keeps every fact in view.
    HORIZONTAL_BREAKPOINTS = [(0, "-stacked"), (70, "-narrow"), (100, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012

    class Ready(Message):
        """The widgets exist: the app can fill them."""

    def __init__(
        self, *, complete_later: bool = False, profile_hint: ProfileHint | None = None
    ) -> None:
        """With *complete_later*, the profile Select (empty until the config is
        loaded), the form's collapsed Advanced fields and the hidden send spinner
        wait for :meth:`complete`, which the app calls after the first frame.
        *profile_hint*: the profile the raw TOML names, shown until the validated one."""
        super().__init__()
        self._complete_later = complete_later
        self._profile_hint = profile_hint
        self.team_watch = TeamWatch(self)  # the team's uploads, its sends to the user typed
        self.sending = SendFlow(self, self.team_watch)
        """The sends made from this screen (one at a time, queued until there is a profile)."""
        self._preview_timer: Timer | None = None
        self._replay: AttemptRecord | None = None
        """A history attempt waiting for the switch to its profile before it fills the form."""

    @property
    def state(self) -> ConsoleState:
        """The app-wide state."""
        return console_state(self)

    def on_mount(self) -> None:
        """Tell the app its widgets exist (the app mounts before its screen composes)."""
        self.post_message(self.Ready())

    def compose(self) -> ComposeResult:
        """Profile bar on top, form | preview, the status line, the log, the footer."""
        yield ProfileBar(
            select_later=self._complete_later, hint=self._profile_hint, id="profile-bar"
        )
        with Horizontal(id="work"):
            yield RequestForm(advanced_later=self._complete_later, id="form")
            yield RequestPreview(id="preview")
        yield SendStatus(spinner_later=self._complete_later, id="send-status")
        yield AttemptLog(id="log")
        # Compact: every main action and Quit fit a 120-column footer.
        yield FittingFooter(compact=True)

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

    # -- shown for the app ---------------------------------------------------

    def show_loading_config(self) -> None:
        """The config loads after the first frame: say so meanwhile."""
        self.profile_bar.set_status("loading config…", "busy")
        self.preview.show_waiting("loading the config…")

    def show_starting_sandbox(self) -> None:
        """No profile until the embedded sandbox answers; the form works meanwhile."""
        self.profile_bar.set_status("starting sandbox…", "busy")
        self.preview.show_waiting("waiting for the sandbox to start…")
        self.profile_bar.set_profiles(self.state.profile_names(), None)
        self.profile_bar.show_profile(None, None)

    def show_sandbox_failed(self) -> None:
        """The sandbox did not start and there is no profile."""
        self.profile_bar.set_status("sandbox failed", "error")
        self.preview.show_waiting("no profile: the sandbox did not start (see the log)")

    def show_profiles(self) -> None:
        """Offer every profile, the active one chosen (more came: the sandbox's)."""
        self.profile_bar.set_profiles(self.state.profile_names(), self.state.active_name)

    async def show_profile(self, name: str, profile: Profile, *, ready: bool) -> None:
        """*name* is the active profile now: bar, form defaults, preview.

        *ready*: its client is warm already. Returns once the form shows the profile.
        """
        bar = self.profile_bar
        bar.set_profiles(self.state.profile_names(), name)
        bar.show_profile(name, profile)
        if ready:
            bar.set_status("ready", "ready")
        else:
            bar.set_status("connecting…", "busy")
        await self.form.apply_profile(profile)
        self.refresh_preview()  # now, not debounced: the old profile's payload is wrong
        replay, self._replay = self._replay, None
        if replay is not None and replay.profile == name:
            await self._fill_from(replay, profile)

    def show_client_status(self, problem: str | None) -> None:
        """The active profile's client is warm, or could not be set up."""
        if problem:
            self.profile_bar.set_status(f"client setup failed ({problem})", "error")
        else:
            self.profile_bar.set_status("ready", "ready")

    def show_note(self, text: str, *, warning: bool = False) -> None:
        """A note in the attempt log (a warning with *warning*)."""
        entry = note_entry(text, display=self.state.display_options, warning=warning)
        self.log_pane.add_entry(entry)

    def release_queued(self, *, send: bool) -> None:
        """What a queued send waited for is over: *send* it (if there is a profile), or drop it."""
        self.sending.release_queued(send=send)

    # -- preview -------------------------------------------------------------

    @on(RequestForm.Edited)
    def _form_edited(self) -> None:
        # Debounced: a keystroke costs a timer reset, not a validation and a re-render.
        if self._preview_timer is not None:
            self._preview_timer.stop()
        # The screen owns the timer: it dies with the screen, never firing into a closed app.
        self._preview_timer = self.set_timer(PREVIEW_DEBOUNCE_S, self.refresh_preview)

    def refresh_preview(self) -> None:
        """Validate the form for the active profile; show the payload or the problems."""
        state = self.state
        profile, name = state.active_profile, state.active_name
        if profile is None or name is None:
            waiting = state.waiting_for
            self.preview.show_waiting(f"{waiting}…" if waiting else "no profile to preview with")
            return
        values = self.form.values()
        shown = compute_preview(values, name, profile, sent_once=self.sending.sent_once)
        self.form.show_recent(self.sending.recent_note(values.username))
        self.team_watch.form_changed()
        self.form.show_problems(shown.field_problems)
        if shown.payload is not None:
            self.preview.show_payload(shown.payload)
        else:
            self.preview.show_problems(shown.lines)

    # -- sending -----------------------------------------------------------

    @on(RequestForm.SubmitRequested)
    def _username_submitted(self) -> None:
        self.action_send()

    def action_send(self) -> None:
        """Send what the form holds, unless a send is already in flight."""
        self.sending.send(self.form.values())

    @on(SendFinished)
    def _send_finished(self, message: SendFinished) -> None:
        self.sending.finished(message.report)

    @on(TriggerLogsRead)
    def _trigger_logs(self, message: TriggerLogsRead) -> None:
        self.sending.show_trigger_logs(message)

    @on(SendCrashed)
    def _send_crashed(self, message: SendCrashed) -> None:
        self.sending.crashed(message.reason)

    def on_team_status_changed(self, message: TeamStatusChanged) -> None:
        """The team uploader's report (from its thread): the profile bar shows it."""
        self.team_watch.show_status(message.status)

    def on_team_recent_read(self, message: TeamRecentRead) -> None:
        """The team's sends to a user typed: shown if the form still holds that user."""
        self.team_watch.answered(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A send worker that died (it catches its errors; this is the backstop)."""
        if event.worker.group == "send" and event.state is WorkerState.ERROR:
            error = event.worker.error
            self.post_message(SendCrashed(f"{type(error).__name__} in the send worker"))

    # -- actions -------------------------------------------------------------

    def action_focus_log(self) -> None:
        """Focus the attempt log (up/down/page keys scroll it)."""
        self.log_pane.focus()

    def action_focus_username(self) -> None:
        """Focus the username field."""
        self.form.username_input.focus()

    async def action_add_meta_row(self) -> None:
        """Add an empty ClientMetadata row and focus its key (keys typed next go there)."""
        await self.form.metadata.add_row()

    def action_toggle_advanced(self) -> None:
        """Expand or collapse the advanced fields; the focused field stays in view."""
        self.form.toggle_advanced()

    def action_copy_entry(self) -> None:
        """Copy the highlighted log entry (or the newest) as plain text."""
        from console.tui.screens.copying import copy_entry

        copy_entry(self)

    def action_copy_cli(self) -> None:
        """Copy the equivalent ``aws cognito-idp resend-confirmation-code`` line."""
        from console.tui.screens.copying import copy_cli

        copy_cli(self)

    # -- profiles ------------------------------------------------------------

    def action_switch_profile(self) -> None:
        """Switch to the next profile, in name order (the select is there for the mouse)."""
        names = self.state.profile_names()
        if not names:
            self.notify("no profiles yet: the config is loading", markup=False)
            return
        active = self.state.active_name
        if active in names and len(names) == 1:
            self.notify(f"{visible(active)} is the only profile", markup=False)
            return
        following = names[(names.index(active) + 1) % len(names)] if active in names else names[0]
        self.choose_profile(following)

    @on(Select.Changed, "#profile-select")
    def _profile_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.state.active_name:
            self.choose_profile(event.value)
            self.form.username_input.focus()

    def profile_choices(self) -> list[str]:
        """The profiles one could switch to (the command palette offers them)."""
        active = self.state.active_name
        return [name for name in self.state.profile_names() if name != active]

    def choose_profile(self, name: str) -> None:
        """Ask the app to make *name* the active profile."""
        self.post_message(SwitchProfile(name))

    # -- other screens -------------------------------------------------------

    def action_open_history(self) -> None:
        """Browse past attempts; the one picked is put back into the form, not sent."""
        history = self.state.history
        if history is None:
            self.notify("no history this session (see the log)", severity="warning", markup=False)
            return
        try:
            from console.tui.screens.helpdesk import team_history
            from console.tui.screens.history import HistoryScreen
        except ImportError:
            self.notify("the history screen is not available", severity="warning", markup=False)
            return
        names = tuple(self.state.profile_names())
        screen = HistoryScreen(history, profiles=names, team=team_history(self))
        self.app.push_screen(screen, self._replay_picked)

    async def _replay_picked(self, record: AttemptRecord | None) -> None:
        if record is None:
            return
        state = self.state
        if record.profile in state.config.profiles and record.profile != state.active_name:
            self._replay = record  # filled in once its profile is active (show_profile)
            self.choose_profile(record.profile)
            return
        if state.active_profile is not None:
            await self._fill_from(record, state.active_profile)

    async def _fill_from(self, record: AttemptRecord, profile: Profile) -> None:
        values = FormValues.from_record(record, self.state.active_name or "", profile)
        await self.form.load(values)
        self.form.select_username()
        self.show_note(values.replay_note(record, profile))

    def action_open_outbox(self) -> None:
        """What the profile's sandbox delivered: any endpoint that serves ``/_sandbox/outbox``."""
        from console.tui.screens.helpdesk import open_outbox

        open_outbox(self)

    def action_help(self) -> None:
        """Every key binding and what it does."""
        from console.tui.screens.helpdesk import open_help

        open_help(self)

    # -- helpdesk screens (console.tui.screens.helpdesk) ---------------------

    def action_lookup(self) -> None:
        """Find a user by username, email or phone; the one chosen fills the form."""
        from console.tui.screens.helpdesk import open_lookup

        open_lookup(self)

    def action_pool_facts(self) -> None:
        """Show the active profile's pool facts (r refreshes them)."""
        from console.tui.screens.helpdesk import open_pool_facts

        open_pool_facts(self)

    def action_doctor(self) -> None:
        """The delivery doctor for the highlighted (or last) attempt's user."""
        from console.tui.screens.helpdesk import open_doctor

        open_doctor(self)

    def action_dashboard(self) -> None:
        """The team's last 24 hours (with a ``[team]`` table)."""
        from console.tui.screens.helpdesk import open_dashboard

        open_dashboard(self)

    def action_batch(self) -> None:
        """Resend to every user of a users file, with the form's other fields."""
        from console.tui.screens.helpdesk import open_batch

        open_batch(self)
