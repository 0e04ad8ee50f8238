"""The main screen's way to the helpdesk screens: lookup, pool facts, doctor, batch, outbox,
history, dashboard, help.

Each feature is a screen of its own, with its own bindings and actions
(:mod:`~console.tui.screens.lookup`, :mod:`~console.tui.screens.pool_facts`,
:mod:`~console.tui.screens.batch`). What opens them from the main screen, with
the app's admin access, gateway and history, and what their results do to
the form and the attempt log is here: the main screen's actions call these
with itself.

The feature screens and the admin code are imported where first used, never
at import: the first frame draws none of them (a test in
``tests/tui/test_first_frame_imports.py`` keeps it so).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from console.text import visible
from console.tui.log_entries import note_entry
from console.tui.state import console_state
from console.tui.widgets.attempt_log import AttemptLog
from console.tui.widgets.request_form import RequestForm

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.screen import Screen

    from console.bulk import BatchSummary
    from console.cognito import PoolFactsResult, UserSummary
    from console.config import Profile
    from console.history import AttemptRecord
    from console.tui.screens.history_sources import HistorySource
    from console.usecases import LimitGuard

__all__ = [
    "doctor_subject",
    "open_batch",
    "open_dashboard",
    "open_doctor",
    "open_help",
    "open_history",
    "open_lookup",
    "open_outbox",
    "open_pool_facts",
    "team_history",
    "team_unavailable",
]


def _active(screen: Screen[Any]) -> tuple[str, Profile] | None:
    """The active profile, or None after saying there is none yet."""
    state = console_state(screen)
    name, profile = state.active_name, state.active_profile
    if name is None or profile is None:
        screen.notify("no profile yet", severity="warning", markup=False)
        return None
    return name, profile


def _history_settled(screen: Screen[Any], then: Callable[[], object]) -> bool:
    """Whether the history is open or known not to be; if not yet (it opens just after
    "ready"), *then* runs once it is and, should that take a while, the operator is told."""
    state = console_state(screen)
    if state.history_settled.is_set():
        return True
    state.when_history_settled(then)

    def still_opening() -> None:
        if not state.history_settled.is_set():
            screen.notify("the history is still opening…", markup=False)

    screen.set_timer(1.0, still_opening)
    return False


def _note(screen: Screen[Any], text: str, *, warning: bool = False) -> None:
    entry = note_entry(text, display=console_state(screen).display_options, warning=warning)
    screen.query_one(AttemptLog).add_entry(entry)


def open_lookup(screen: Screen[Any]) -> None:
    """Find a user of the active profile's pool; the one chosen goes into *screen*'s form."""
    active = _active(screen)
    if active is None:
        return
    name, profile = active
    from console.tui.screens.lookup import LookupScreen

    state = console_state(screen)
    admin = state.admin
    lookup = LookupScreen(
        where=f"profile {visible(name)} · pool {visible(profile.user_pool_id)}",
        search=partial(admin.find, profile, state.config.console),
        initial=screen.query_one(RequestForm).username_input.value,
        on_results=partial(admin.remember, profile),
    )
    screen.app.push_screen(lookup, partial(_use_looked_up, screen))


def _use_looked_up(screen: Screen[Any], user: UserSummary | None) -> None:
    if user is None:
        return
    if visible(user.username) != user.username:
        # A name a form field would paint raw, and that no resend accepts anyway.
        screen.notify(
            "this username holds control characters: it cannot be resent",
            severity="error",
            markup=False,
        )
        return
    form = screen.query_one(RequestForm)
    form.username_input.value = user.username  # Input.Changed refreshes the preview
    form.select_username()
    state = user.status + ("" if user.enabled else ", disabled")
    _note(screen, f"lookup: {user.username} ({state}) put into the form; not sent")


def open_pool_facts(screen: Screen[Any]) -> None:
    """Show the active profile's pool facts (r refreshes them)."""
    active = _active(screen)
    if active is None:
        return
    name, profile = active
    from console.tui.screens.pool_facts import PoolFactsScreen

    state = console_state(screen)
    admin, console = state.admin, state.config.console

    def load(refresh: bool) -> PoolFactsResult:
        return admin.pool_facts(name, profile, console, refresh=refresh)

    screen.app.push_screen(PoolFactsScreen(name, load))


def doctor_subject(screen: Screen[Any]) -> tuple[str, str] | None:
    """(profile, username) of the highlighted attempt, else of the newest one, else None."""
    log = screen.query_one(AttemptLog)
    selected = log.selected_entry()
    if selected is not None and selected.attempt_of is not None:
        return selected.attempt_of
    for entry in reversed(log.entries):
        if entry.attempt_of is not None:
            return entry.attempt_of
    return None


def open_doctor(screen: Screen[Any]) -> None:
    """The delivery doctor for the highlighted (or last) attempt's user."""
    state = console_state(screen)
    subject = doctor_subject(screen)
    if subject is None:
        screen.notify(
            "no attempt yet: send first, then press this again for that attempt's user",
            severity="warning",
            markup=False,
        )
        return
    if not _history_settled(screen, partial(open_doctor, screen)):
        return  # its history checks read the history
    name, username = subject
    profile = state.config.profiles.get(name)
    if profile is None:
        screen.notify(
            f"profile {visible(name)} is no longer in the config", severity="error", markup=False
        )
        return
    from console.tui.screens.doctor import DoctorScreen

    admin, console, history = state.admin, state.config.console, state.history

    def run(on_result: Any) -> Any:
        return admin.doctor(name, profile, console, username, history, on_result)

    where = f"profile {visible(name)} · pool {visible(profile.user_pool_id)}"
    screen.app.push_screen(DoctorScreen(where=where, username=username, run=run))


def open_batch(screen: Screen[Any]) -> None:
    """Resend to every user of a users file, with the form's other fields."""
    from console.tui.batch_job import BatchContext
    from console.tui.screens.batch import BatchScreen
    from console.tui.sending import may_simulate, send_facts
    from console.usecases import client_settings, limit_guard

    active = _active(screen)
    if active is None:
        return
    name, profile = active
    state = console_state(screen)
    if not _history_settled(screen, partial(open_batch, screen)):
        return
    if state.history is None:
        screen.notify(
            "a batch needs the history (to resume without sending anyone twice); see the log",
            severity="error",
            markup=False,
        )
        return
    values = screen.query_one(RequestForm).values()
    facts = send_facts(state, values, name, profile)
    config, history = state.config, state.history

    def team_guard(note: Callable[[str], None]) -> LimitGuard | None:
        return limit_guard(config, history, profile.user_pool_id, on_note=note)

    context = BatchContext(
        profile_name=name,
        profile=profile,
        settings=client_settings(profile, state.config.console),
        gateway=state.gateway,
        history=state.history,
        values=values,
        may_simulate=may_simulate(state, values, profile, facts),
        idle=state.batch_idle,
        team_guard=team_guard if config.team is not None else None,
    )
    screen.app.push_screen(BatchScreen(context, on_finished=partial(_batch_finished, screen)))


def _batch_finished(screen: Screen[Any], summary: BatchSummary) -> None:
    from console.tui.batch_job import summary_line

    text = summary_line(summary)
    if summary.stopped:
        text += " · resume it from the batch screen with this batch id"
    _note(screen, text, warning=not summary.all_delivered)


def open_outbox(screen: Screen[Any]) -> None:
    """The outbox of the active profile's endpoint (the embedded sandbox or any other)."""
    profile = console_state(screen).active_profile
    endpoint = profile.endpoint_url if profile is not None else None
    if endpoint is None:
        screen.notify(
            "the outbox needs a profile whose endpoint_url is a sandbox (or start with --sandbox)",
            severity="warning",
            markup=False,
        )
        return
    try:
        from console.tui.screens.outbox import OutboxScreen
    except ImportError:
        screen.notify("the outbox screen is not available", severity="warning", markup=False)
        return
    screen.app.push_screen(OutboxScreen(endpoint))


def team_unavailable(screen: Screen[Any]) -> str | None:
    """Why the team's table cannot be read from here, if it cannot (one line)."""
    state = console_state(screen)
    if state.team.on:
        return None
    if not state.config_loaded or state.config.team is None:
        from console.tui.team_link import TEAM_OFF

        return TEAM_OFF
    return "the team table is not reachable this session: the history did not open (see the log)"


def open_dashboard(screen: Screen[Any]) -> None:
    """The team's last 24 hours; without ``[team]``, a line saying team mode is off."""
    if not _history_settled(screen, partial(open_dashboard, screen)):
        return  # the team link starts with the history
    problem = team_unavailable(screen)
    if problem is not None:
        screen.notify(problem, severity="warning", markup=False)
        return
    from console.tui.screens.dashboard import DashboardScreen

    team = console_state(screen).team
    screen.app.push_screen(DashboardScreen(team.stats, table=team.table))


def open_history(screen: Screen[Any], picked: Callable[[AttemptRecord | None], Any]) -> None:
    """Browse past attempts (local, or the team's with ctrl+t); *picked* gets the one chosen."""
    state = console_state(screen)
    if not _history_settled(screen, partial(open_history, screen, picked)):
        return
    history = state.history
    if history is None:
        screen.notify("no history this session (see the log)", severity="warning", markup=False)
        return
    try:
        from console.tui.screens.history import HistoryScreen
    except ImportError:
        screen.notify("the history screen is not available", severity="warning", markup=False)
        return
    names = tuple(state.profile_names())
    screen.app.push_screen(
        HistoryScreen(history, profiles=names, team=team_history(screen)), picked
    )


def team_history(screen: Screen[Any]) -> HistorySource | str:
    """The team's table for the history screen's toggle, or why it cannot be read."""
    problem = team_unavailable(screen)
    if problem is not None:
        return problem
    from console.tui.screens.history_sources import TeamSource

    return TeamSource(console_state(screen).team)


def open_help(screen: Screen[Any]) -> None:
    """Every key binding and what it does, the helpdesk screens' included."""
    try:
        from console.tui.screens.batch import BatchScreen
        from console.tui.screens.confirm import ConfirmScreen
        from console.tui.screens.doctor import DoctorScreen
        from console.tui.screens.help import HelpScreen
        from console.tui.screens.lookup import LookupScreen
        from console.tui.screens.pool_facts import PoolFactsScreen
    except ImportError:
        screen.notify("the help screen is not available", severity="warning", markup=False)
        return
    screens = (LookupScreen, PoolFactsScreen, DoctorScreen, BatchScreen, ConfirmScreen)
    screen.app.push_screen(HelpScreen(screens=(*HelpScreen.DEFAULT_SCREENS, *screens)))
