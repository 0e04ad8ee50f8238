"""The use cases: what the CLI and the TUI do, tying the domain packages together.

- :mod:`~console.usecases.resend`: one resend end to end (history pending, the call,
  history completed);
- :mod:`~console.usecases.batch`: a batch of resends, paced, resumable;
- :mod:`~console.usecases.doctor`: the delivery doctor's checks, run in parallel;
- :mod:`~console.usecases.team_sync`: the team's shared history, uploaded after each attempt;
- :mod:`~console.usecases.team_limit`: a batch skipping users the team sent 5 codes this hour;
- :mod:`~console.usecases.simulation`: whether a success may be simulated.

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
    from console.usecases.doctor import (
        POOL_CHECKS,
        USER_CHECKS,
        CheckSpec,
        HistoryCounts,
        check_deadline_s,
        run_doctor,
    )
    from console.usecases.resend import (
        AttemptResult,
        client_settings,
        perform_resend,
    )
    from console.usecases.simulation import (
        ask_whether_simulated,
        whether_simulated,
    )
    from console.usecases.team_limit import (
        LimitGuard,
        LimitSkip,
        limit_guard,
    )
    from console.usecases.team_sync import (
        RECENT_TIMEOUT_S,
        failure_reason,
        open_team,
        operator_name,
        read_recent,
        recent_client,
        team_recent,
        upload_at_exit,
    )

_HOMES = {
    "AttemptResult": "resend",
    "BatchRun": "batch",
    "CheckSpec": "doctor",
    "HistoryCounts": "doctor",
    "LimitGuard": "team_limit",
    "LimitSkip": "team_limit",
    "POOL_CHECKS": "doctor",
    "RECENT_TIMEOUT_S": "team_sync",
    "USER_CHECKS": "doctor",
    "ask_whether_simulated": "simulation",
    "check_deadline_s": "doctor",
    "client_settings": "resend",
    "failure_reason": "team_sync",
    "limit_guard": "team_limit",
    "open_team": "team_sync",
    "operator_name": "team_sync",
    "perform_resend": "resend",
    "run_doctor": "doctor",
    "read_recent": "team_sync",
    "recent_client": "team_sync",
    "team_recent": "team_sync",
    "upload_at_exit": "team_sync",
    "whether_simulated": "simulation",
}
"""Each public name and the submodule that defines it."""

__all__ = [
    "POOL_CHECKS",
    "RECENT_TIMEOUT_S",
    "USER_CHECKS",
    "AttemptResult",
    "BatchRun",
    "CheckSpec",
    "HistoryCounts",
    "LimitGuard",
    "LimitSkip",
    "ask_whether_simulated",
    "check_deadline_s",
    "client_settings",
    "failure_reason",
    "limit_guard",
    "open_team",
    "operator_name",
    "perform_resend",
    "read_recent",
    "recent_client",
    "run_doctor",
    "team_recent",
    "upload_at_exit",
    "whether_simulated",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its submodule on first use (see :mod:`console.lazy`)."""
    return load_export(__name__, _HOMES, name, globals())


def __dir__() -> list[str]:
    """The public names too, loaded or not (what ``dir()`` and completion show)."""
    return sorted({*globals(), *_HOMES})
