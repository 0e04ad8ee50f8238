"""One resend attempt end to end: history pending, the call, history completed.

Both the CLI and the TUI go through :func:`perform_resend`. A history failure
never hides the API result: it is reported next to the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from console.cognito import ClientSettings, Gateway, Outcome, ResendRequest
from console.logging_setup import register_secret

if TYPE_CHECKING:
    from console.config import ConsoleSettings, Profile
    from console.history import History

__all__ = ["AttemptResult", "client_settings", "perform_resend"]


@dataclass(frozen=True, slots=True)
class AttemptResult:
    """What the operator is shown: the outcome, and where it was recorded."""

    outcome: Outcome
    history_id: int | None
    history_problem: str | None = None
    """One line, e.g. "history not saved: database or disk is full"."""


def client_settings(profile: Profile, console: ConsoleSettings) -> ClientSettings:
    """The gateway settings for a profile under the console's timeouts."""
    return ClientSettings(
        region=profile.region,
        endpoint_url=profile.endpoint_url,
        connect_timeout=console.connect_timeout,
        read_timeout=console.read_timeout,
        max_attempts=console.max_attempts,
    )


def perform_resend(
    gateway: Gateway,
    history: History | None,
    *,
    profile_name: str,
    profile: Profile,
    settings: ClientSettings,
    request: ResendRequest,
    batch_id: str | None = None,
    may_simulate: bool | None = False,
) -> AttemptResult:
    """Record the attempt as pending, call Cognito, record the outcome."""
    from console.history import HistoryError

    if request.secret is not None:
        register_secret(request.secret.get_secret_value())
        # Computed once: the request keeps it for the call's parameters.
        secret_hash = request.secret_hash()
        if secret_hash is not None:
            register_secret(secret_hash.get_secret_value())
    problem: str | None = None
    attempt_id: int | None = None
    if history is not None:
        try:
            attempt_id = history.start_attempt(
                profile=profile_name,
                region=profile.region,
                user_pool_id=profile.user_pool_id,
                client_id=request.client_id,
                username=request.username,
                client_metadata=dict(request.client_metadata),
                analytics_endpoint_id=request.analytics_endpoint_id,
                batch_id=batch_id,
            )
        except HistoryError as exc:
            problem = _not_saved(exc)
    outcome = gateway.resend(settings, request, may_simulate=may_simulate)
    if history is not None and attempt_id is not None:
        try:
            history.finish_attempt(attempt_id, outcome)
        except HistoryError as exc:
            problem = _not_saved(exc)
    return AttemptResult(outcome=outcome, history_id=attempt_id, history_problem=problem)


def _not_saved(exc: Exception) -> str:
    text = str(exc)
    return text if text.startswith("history not saved") else f"history not saved: {text}"
