"""The helpdesk actions of the app: user lookup, pool facts, the resend check, batches.

A base class of :class:`~console.tui.app.ConsoleApp`, between the keyboard
actions (:class:`~console.tui.app_actions.ActionsApp`) and the sending. It
owns the app's :class:`~console.tui.admin_access.AdminAccess` (admin
gateways, the pool facts cache, the users lookups found) and decides:

- which pool facts a send is explained with, and whether its success may be
  simulated (the client hides unknown users);
- whether to ask before a resend: a user a lookup this session found
  CONFIRMED, disabled or with nowhere to send gets a yes/no question first.
  Only what a lookup already said is used: the plain send never waits for an
  admin call, and works the same without credentials.

Blocking calls run in thread workers; what they return is shown on the UI
thread. Pool facts are asked for unasked only where that costs nothing
(see :meth:`AdminAccess.prefetch_worthwhile`).

The lookup, pool facts and batch code, their screens and the admin gateways
are imported where they are first used, never at import: the first frame
draws none of them (a test in ``tests/tui/test_first_frame_imports.py``
keeps it so).
"""

from __future__ import annotations

import threading
from functools import partial
from typing import TYPE_CHECKING

from textual import work

from console.text import visible
from console.tui.app_actions import ActionsApp
from console.tui.log_entries import invalid_entry, note_entry

if TYPE_CHECKING:
    from console.bulk import BatchSummary
    from console.cognito import PoolFacts, PoolFactsResult, UserSummary
    from console.config import Profile
    from console.tui.admin_access import AdminAccess
    from console.tui.form_values import FormValues
    from console.tui.sending import SendJob
    from console.usecases import AttemptResult

__all__ = ["HelpdeskApp"]


class HelpdeskApp(ActionsApp):
    """Lookup, pool facts, the check before a resend, and the batch screen."""

    _simulating: set[str]
    _admin: AdminAccess | None = None
    _batch_idle: threading.Event | None = None

    if TYPE_CHECKING:

        def _start_send(self, values: FormValues) -> None:
            """Defined by ConsoleApp."""

    @property
    def admin(self) -> AdminAccess:
        """Admin gateways, pool facts and looked-up users (made on first use)."""
        if self._admin is None:
            from console.tui.admin_access import AdminAccess

            self._admin = AdminAccess(self.sandbox_endpoints)
        return self._admin

    @property
    def batch_idle(self) -> threading.Event:
        """Set while no batch run is sending (the history must stay open until it is)."""
        if self._batch_idle is None:
            self._batch_idle = threading.Event()
            self._batch_idle.set()
        return self._batch_idle

    def _active(self) -> tuple[str, Profile] | None:
        name, profile = self.active_name, self.active_profile
        if name is None or profile is None:
            self.notify("no profile yet", severity="warning", markup=False)
            return None
        return name, profile

    # -- pool facts ----------------------------------------------------------

    def prefetch_pool_facts(self, name: str, profile: Profile) -> None:
        """Ask for the profile's pool facts in the background, where that costs nothing."""
        if self.admin.prefetch_worthwhile(profile) and self.admin.facts.peek(name) is None:
            self._fetch_pool_facts(name, profile)

    @work(thread=True, exit_on_error=False, group="pool-facts")
    def _fetch_pool_facts(self, name: str, profile: Profile) -> None:
        # The answer lands in the cache; the log reads it when an outcome comes.
        self.admin.pool_facts(name, profile, self.config.console)

    def action_pool_facts(self) -> None:
        """Show the active profile's pool facts (r refreshes them)."""
        active = self._active()
        if active is None:
            return
        name, profile = active
        from console.tui.screens.pool_facts import PoolFactsScreen

        admin, console = self.admin, self.config.console

        def load(refresh: bool) -> PoolFactsResult:
            return admin.pool_facts(name, profile, console, refresh=refresh)

        self.push_screen(PoolFactsScreen(name, load))

    def send_facts(self, values: FormValues, name: str, profile: Profile) -> PoolFacts | None:
        """The facts that explain a send of *values*: none when it goes to another client."""
        if values.client_id(profile) != profile.client_id:
            return None
        return self.admin.known_facts(name, profile)

    def may_simulate(self, values: FormValues, profile: Profile, facts: PoolFacts | None) -> bool:
        """Whether a success may be made up by Cognito (the client hides unknown users)."""
        if facts is not None and facts.prevent_user_existence_errors is not None:
            return facts.hides_unknown_users
        return values.client_id(profile) in self._simulating

    @staticmethod
    def explanations(job: SendJob, result: AttemptResult) -> list[str]:
        """What the pool's facts say about this outcome (nothing without facts)."""
        if job.facts is None:
            return []
        from console.cognito import explain_outcome

        return explain_outcome(result.outcome, job.facts)

    # -- lookup --------------------------------------------------------------

    def action_lookup(self) -> None:
        """Find a user by username, email or phone; the one chosen fills the form."""
        active = self._active()
        if active is None:
            return
        name, profile = active
        from console.tui.screens.lookup import LookupScreen

        admin = self.admin
        where = f"profile {visible(name)} · pool {visible(profile.user_pool_id)}"
        screen = LookupScreen(
            where=where,
            search=partial(admin.find, profile, self.config.console),
            initial=self.main.form.username_input.value,
            on_results=partial(admin.remember, profile),
        )
        self.push_screen(screen, self._use_looked_up)

    def _use_looked_up(self, user: UserSummary | None) -> None:
        if user is None:
            return
        if visible(user.username) != user.username:
            # A name a form field would paint raw, and that no resend accepts anyway.
            self.notify(
                "this username holds control characters: it cannot be resent",
                severity="error",
                markup=False,
            )
            return
        field = self.main.form.username_input
        field.value = user.username  # Input.Changed refreshes the preview
        field.focus()
        state = user.status + ("" if user.enabled else ", disabled")
        self.log_entry(
            note_entry(
                f"lookup: {user.username} ({state}) put into the form; not sent",
                display=self.display_options,
            )
        )

    def send_with_preflight(self, values: FormValues) -> None:
        """Send, asking first when a lookup found the user CONFIRMED, disabled or unreachable."""
        name, profile = self.active_name, self.active_profile
        user = (
            self.admin.known_user(profile, values.username)
            if profile is not None and values.client_id(profile) == profile.client_id
            else None
        )
        warning = None
        if user is not None:
            from console.cognito import preflight_warning

            warning = preflight_warning(user)
        if warning is None or name is None:
            self._start_send(values)
            return
        from console.tui.screens.confirm import ConfirmScreen

        def answered(go: bool | None) -> None:
            if go:
                self._start_send(values)
                return
            self.log_entry(
                invalid_entry(
                    profile=name,
                    username=values.username,
                    reason="cancelled after the lookup's warning",
                    problems=(warning,),
                    display=self.display_options,
                )
            )

        self.push_screen(
            ConfirmScreen("Resend anyway?", f"{warning} (as the lookup found)"), answered
        )

    # -- batch ---------------------------------------------------------------

    def action_batch(self) -> None:
        """Resend to every user of a users file, with the form's other fields."""
        from console.tui.batch_job import BatchContext
        from console.tui.screens.batch import BatchScreen
        from console.usecases import client_settings

        active = self._active()
        if active is None:
            return
        name, profile = active
        if self.history is None:
            self.notify(
                "a batch needs the history (to resume without sending anyone twice); see the log",
                severity="error",
                markup=False,
            )
            return
        values = self.main.form.values()
        facts = self.send_facts(values, name, profile)
        context = BatchContext(
            profile_name=name,
            profile=profile,
            settings=client_settings(profile, self.config.console),
            gateway=self.gateway,
            history=self.history,
            values=values,
            may_simulate=self.may_simulate(values, profile, facts),
            idle=self.batch_idle,
        )
        self.push_screen(BatchScreen(context, on_finished=self._batch_finished))

    def _batch_finished(self, summary: BatchSummary) -> None:
        from console.tui.batch_job import summary_line

        text = summary_line(summary)
        if summary.stopped:
            text += " · resume it from the batch screen with this batch id"
        self.log_entry(
            note_entry(text, display=self.display_options, warning=not summary.all_delivered)
        )
