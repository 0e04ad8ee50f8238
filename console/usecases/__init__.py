"""The use cases: what the CLI and the TUI do, tying the domain packages together.

- :mod:`~console.usecases.resend`: one resend end to end (history pending, the call,
  history completed);
- :mod:`~console.usecases.batch`: a batch of resends, paced, resumable;
- :mod:`~console.usecases.team_sync`: the team's shared history, uploaded after each attempt.

Presentation (cli, commands, tui) calls these; these call cognito, history,
config and bulk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from console.lazy import load_export

if TYPE_CHECKING:
    from console.usecases.batch import (
        BatchRun,
    )
    from console.usecases.resend import (
        AttemptResult,
        client_settings,
        perform_resend,
    )
    from console.usecases.team_sync import (
        RECENT_TIMEOUT_S,
        open_team,
        operator_name,
        team_recent,
        upload_at_exit,
    )

_HOMES = {
    "AttemptResult": "resend",
    "BatchRun": "batch",
    "RECENT_TIMEOUT_S": "team_sync",
    "client_settings": "resend",
    "open_team": "team_sync",
    "operator_name": "team_sync",
    "perform_resend": "resend",
    "team_recent": "team_sync",
    "upload_at_exit": "team_sync",
}
"""Each public name and the submodule that defines it."""

__all__ = [
    "RECENT_TIMEOUT_S",
    "AttemptResult",
    "BatchRun",
    "client_settings",
    "open_team",
    "operator_name",
    "perform_resend",
    "team_recent",
    "upload_at_exit",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its submodule on first use (see :mod:`console.lazy`)."""
    return load_export(__name__, _HOMES, name, globals())


def __dir__() -> list[str]:
    """The public names too, loaded or not (what ``dir()`` and completion show)."""
    return sorted({*globals(), *_HOMES})
