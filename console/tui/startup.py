"""Slow start-up work the first frame must not wait for: sandbox, history, SDK client.

These run in thread workers after the first paint. They return data or raise;
the app turns that into messages. Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from console.config import AppConfig, Profile
    from console.history import History
    from console.sandbox import SandboxInfo

__all__ = [
    "EmbeddedSandbox",
    "RunningSandbox",
    "SandboxFactory",
    "open_history",
    "sandbox_failure",
    "sandbox_note",
    "start_embedded_sandbox",
]


class RunningSandbox(Protocol):
    """What the app needs of its sandbox: a started one, or (``--sandbox --team``) one
    another console started and this one joined."""

    @property
    def info(self) -> SandboxInfo:
        """Where it listens and what it seeded."""
        ...

    def stop(self) -> None:
        """Stop it when the app quits (a joined one is left to its owner)."""
        ...


SandboxFactory = Callable[[], RunningSandbox]


def sandbox_note(sandbox: RunningSandbox) -> str:
    """The log line when the sandbox is ready (a team sandbox says who owns it)."""
    note = getattr(sandbox, "note", None)
    return note if isinstance(note, str) else f"sandbox ready at {sandbox.info.endpoint_url}"


def sandbox_failure(exc: Exception) -> str:
    """Why the sandbox did not start, in one line: a port held by something else is said
    in words (the port, and what to do); any other error with its kind."""
    from console.tui.team_sandbox import NotOurSandbox

    return str(exc) if isinstance(exc, NotOurSandbox) else f"{type(exc).__name__}: {exc}"


@dataclass(frozen=True, slots=True)
class EmbeddedSandbox:
    """A started sandbox and the profiles that reach it."""

    sandbox: RunningSandbox
    profiles: dict[str, Profile]
    simulating_client_ids: frozenset[str]
    """Clients with PreventUserExistenceErrors ENABLED: a success there may be simulated."""


def start_embedded_sandbox(factory: SandboxFactory) -> EmbeddedSandbox:
    """Start a sandbox and build ``sandbox`` / ``sandbox-confidential`` profiles for it."""
    from console.config import sandbox_profiles

    sandbox = factory()
    try:
        info = sandbox.info
        public = info.client("public")
        confidential = info.client("confidential")
        profiles = sandbox_profiles(
            endpoint_url=info.endpoint_url,
            region=info.region,
            user_pool_id=info.user_pool_id,
            public_client_id=public.client_id,
            confidential_client_id=confidential.client_id,
            confidential_secret=confidential.client_secret or "",
        )
    except BaseException:
        sandbox.stop()
        raise
    # The seeded confidential client hides unknown users (PreventUserExistenceErrors ENABLED).
    return EmbeddedSandbox(sandbox, profiles, frozenset({confidential.client_id}))


def open_history(config: AppConfig) -> History:
    """Open the config's history file (HistoryError when it cannot be used).

    With a ``[team]`` table every attempt is also queued for the team, under
    the table's operator name (:mod:`console.tui.team_link` uploads it).
    """
    from console.history import History

    history = History.open(config.console.history_path, team=config.team is not None)
    if config.team is not None and config.team.operator:
        history.operator = config.team.operator
    return history
