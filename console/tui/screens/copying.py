"""What the main screen copies to the clipboard: a log entry, or the equivalent AWS CLI line.

The main screen's copy actions call these with itself. Nothing copied holds
a secret: the CLI line carries ``<SECRET_HASH>`` in its place (the secret is
never fetched for it).
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from console.cognito import RequestError
from console.text import one_line
from console.tui.form_values import problems_by_field
from console.tui.state import console_state
from console.tui.widgets.attempt_log import AttemptLog
from console.tui.widgets.request_form import RequestForm

if TYPE_CHECKING:
    from typing import Any

    from textual.screen import Screen

__all__ = ["copy_cli", "copy_entry"]


def copy_entry(screen: Screen[Any]) -> None:
    """Copy the highlighted log entry (or the newest) as plain text."""
    entry = screen.query_one(AttemptLog).selected_entry()
    if entry is None:
        screen.notify("the attempt log is empty", severity="warning", markup=False)
        return
    screen.app.copy_to_clipboard(entry.plain())
    screen.notify(f"copied log entry: {one_line(entry.headline, 60)}", markup=False)


def copy_cli(screen: Screen[Any]) -> None:
    """Copy the equivalent ``aws cognito-idp resend-confirmation-code`` line."""
    state = console_state(screen)
    profile, name = state.active_profile, state.active_name
    if profile is None or name is None:
        screen.notify("no profile yet", severity="warning", markup=False)
        return
    form = screen.query_one(RequestForm)
    values = form.values()
    try:
        # The secret is never fetched for this: the line carries a placeholder.
        request = values.to_request(name, profile, resolve_secret=False)
    except RequestError as exc:
        form.show_problems(problems_by_field(exc, values))
        screen.notify("fix the form first: " + str(exc), severity="error", markup=False)
        return
    argv = request.to_aws_cli(region=profile.region, endpoint_url=profile.endpoint_url)
    line = shlex.join(argv)
    screen.app.copy_to_clipboard(line)
    note = " (SecretHash left as <SECRET_HASH>)" if request.secret is not None else ""
    screen.notify(f"copied: {one_line(line, 80)}{note}", markup=False)
