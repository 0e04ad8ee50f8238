"""The use cases: what the CLI and the TUI do, tying the domain packages together.

- :mod:`~console.usecases.resend`: one resend end to end (history pending, the call,
  history completed);
- :mod:`~console.usecases.batch`: a batch of resends, paced, resumable;
- :mod:`~console.usecases.doctor`: the delivery doctor's checks, run in parallel.

The team sync will join here. Presentation (cli,
commands, tui) calls these; these call cognito, history, config and bulk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from console.lazy import load_export

if TYPE_CHECKING:
    from console.usecases.batch import (
        BatchRun,
    )
    from console.usecases.doctor import HistoryCounts, run_doctor
    from console.usecases.resend import (
        AttemptResult,
        client_settings,
        perform_resend,
    )

_HOMES = {
    "AttemptResult": "resend",
    "BatchRun": "batch",
    "HistoryCounts": "doctor",
    "run_doctor": "doctor",
    "client_settings": "resend",
    "perform_resend": "resend",
}
"""Each public name and the submodule that defines it."""

__all__ = [
    "AttemptResult",
    "BatchRun",
    "HistoryCounts",
    "client_settings",
    "perform_resend",
    "run_doctor",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its submodule on first use (see :mod:`console.lazy`)."""
    return load_export(__name__, _HOMES, name, globals())


def __dir__() -> list[str]:
    """The public names too, loaded or not (what ``dir()`` and completion show)."""
    return sorted({*globals(), *_HOMES})
