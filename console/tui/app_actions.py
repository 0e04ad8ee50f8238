"""Keyboard actions that move focus, copy text or open screens.

A base class of :class:`~console.tui.app.ConsoleApp`, split out to keep the
app module about state and sending. Each ``action_*`` here is bound by id in
:mod:`console.tui.bindings` and listed in the command palette.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from textual.widgets import Collapsible, Select

from console.cognito import RequestError
from console.text import one_line, visible
from console.tui.app_base import BaseConsoleApp
from console.tui.form_values import FormValues, problems_by_field
from console.tui.log_entries import note_entry

if TYPE_CHECKING:
    from console.history import AttemptRecord

__all__ = ["ActionsApp"]


class ActionsApp(BaseConsoleApp):
    """The main screen's actions that need no worker."""

    async def on_select_changed(self, event: Select.Changed) -> None:
        """A profile picked in the profile bar's Select."""
        if event.select.id != "profile-select" or not isinstance(event.value, str):
            return
        if event.value != self.active_name:
            await self.switch_profile(event.value)
            self.main.form.username_input.focus()

    def action_switch_profile(self) -> None:
        """Open the profile chooser."""
        if not self.config_loaded:
            self.notify("no profiles yet: the config is loading", markup=False)
            return
        select = self.main.profile_bar.select
        select.focus()
        select.action_show_overlay()

    def action_add_meta_row(self) -> None:
        """Add an empty ClientMetadata row and focus its key."""
        self.main.form.metadata.add_row()

    def action_focus_log(self) -> None:
        """Focus the attempt log (up/down/page keys scroll it)."""
        self.main.log_pane.focus()

    def action_focus_username(self) -> None:
        """Focus the username field."""
        self.main.form.username_input.focus()

    def action_toggle_advanced(self) -> None:
        """Expand or collapse the advanced fields."""
        section = self.main.form.query_one("#advanced", Collapsible)
        section.collapsed = not section.collapsed

    def action_copy_entry(self) -> None:
        """Copy the highlighted log entry (or the newest) as plain text."""
        entry = self.main.log_pane.selected_entry()
        if entry is None:
            self.notify("the attempt log is empty", severity="warning", markup=False)
            return
        self.copy_to_clipboard(entry.plain())
        self.notify(f"copied log entry: {one_line(entry.headline, 60)}", markup=False)

    def action_copy_cli(self) -> None:
        """Copy the equivalent ``aws cognito-idp resend-confirmation-code`` line."""
        profile, name = self.active_profile, self.active_name
        if profile is None or name is None:
            self.notify("no profile yet", severity="warning", markup=False)
            return
        values = self.main.form.values()
        try:
            # The secret is never fetched for this: the line carries a placeholder.
            request = values.to_request(name, profile, resolve_secret=False)
        except RequestError as exc:
            self.main.form.show_problems(problems_by_field(exc, values))
            self.notify("fix the form first: " + str(exc), severity="error", markup=False)
            return
        argv = request.to_aws_cli(region=profile.region, endpoint_url=profile.endpoint_url)
        line = shlex.join(argv)
        self.copy_to_clipboard(line)
        note = " (SecretHash left as <SECRET_HASH>)" if request.secret is not None else ""
        self.notify(f"copied: {one_line(line, 80)}{note}", markup=False)

    def action_open_history(self) -> None:
        """Browse past attempts; the one picked is put back into the form, not sent."""
        if self.history is None:
            self.notify("no history this session (see the log)", severity="warning", markup=False)
            return
        try:
            from console.tui.screens.history import HistoryScreen
        except ImportError:
            self.notify("the history screen is not available", severity="warning", markup=False)
            return
        screen = HistoryScreen(self.history, profiles=tuple(self.profile_names()))
        self.push_screen(screen, self._replay)

    async def _replay(self, record: AttemptRecord | None) -> None:
        if record is None:
            return
        if record.profile in self.config.profiles and record.profile != self.active_name:
            await self.switch_profile(record.profile)
        profile = self.active_profile
        if profile is None:
            return
        await self.main.form.load(FormValues.from_record(record, profile))
        self.main.form.username_input.focus()
        self.log_entry(
            note_entry(
                f"attempt #{record.id} ({visible(record.username)}) put back into the form; "
                "not sent",
                display=self.display_options,
            )
        )

    def action_open_outbox(self) -> None:
        """What the embedded sandbox delivered (only for a sandbox profile)."""
        profile = self.active_profile
        endpoint = profile.endpoint_url if profile is not None else None
        if endpoint is None or endpoint not in self.sandbox_endpoints:
            self.notify(
                "the outbox is only for the embedded sandbox (start with --sandbox)",
                severity="warning",
                markup=False,
            )
            return
        try:
            from console.tui.screens.outbox import OutboxScreen
        except ImportError:
            self.notify("the outbox screen is not available", severity="warning", markup=False)
            return
        self.push_screen(OutboxScreen(endpoint))

    def action_help(self) -> None:
        """Every key binding and what it does."""
        try:
            from console.tui.screens.batch import BatchScreen
            from console.tui.screens.confirm import ConfirmScreen
            from console.tui.screens.help import HelpScreen
            from console.tui.screens.lookup import LookupScreen
            from console.tui.screens.pool_facts import PoolFactsScreen
        except ImportError:
            self.notify("the help screen is not available", severity="warning", markup=False)
            return
        screens = (LookupScreen, PoolFactsScreen, BatchScreen, ConfirmScreen)
        self.push_screen(HelpScreen(screens=(*HelpScreen.DEFAULT_SCREENS, *screens)))
