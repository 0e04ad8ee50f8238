"""The team's shared history, seen from the CLI and the TUI.

:func:`open_team` gives the uploader for a history opened with ``team=True``
when the config has a ``[team]`` table. The operator never waits for it
before seeing Cognito's answer: the CLI calls :func:`upload_at_exit` after
printing the result, the TUI runs the uploader in its own thread.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from console.config import AppConfig, TeamSettings
    from console.history import History, RecentSends, TeamUploader

__all__ = [
    "RECENT_TIMEOUT_S",
    "failure_reason",
    "open_team",
    "operator_name",
    "read_recent",
    "read_since",
    "recent_client",
    "team_recent",
    "upload_at_exit",
]


def operator_name(team: TeamSettings | None, default: str) -> str:
    """Who we are in the team's history: the ``[team]`` table's operator, else *default*."""
    if team is not None and team.operator:
        return team.operator
    return default


def open_team(config: AppConfig, history: History) -> TeamUploader | None:
    """The uploader for *history*'s team queue, or None without ``[team]``.

    Builds the DynamoDB client (boto3 is imported here, not before); no
    request is made until the first upload.
    """
    team = config.team
    if team is None:
        return None
    from console.history import TeamUploader, team_client

    client = team_client(
        team,
        connect_timeout=config.console.connect_timeout,
        read_timeout=config.console.read_timeout,
    )
    return TeamUploader(history, client, team.table, retention_days=team.retention_days)


def upload_at_exit(uploader: TeamUploader, attempt_id: int | None, timeout_s: float) -> str | None:
    """Send this run's attempt (and what else is queued) for up to *timeout_s*.

    Returns None when the team has the attempt, else one line saying it is
    queued, how many wait, and why: the next console start on this history
    sends it.
    """
    try:
        sent = uploader.drain(timeout_s, attempt_id=attempt_id)
        waiting = uploader.waiting()
    except Exception as exc:  # the history file went away meanwhile: the API result stands
        return f"team: not sent ({type(exc).__name__}); the local history keeps the attempt"
    if sent:
        return None
    why = f": {uploader.last_error}" if uploader.last_error else ""
    return (
        f"team: attempt queued, {waiting} waiting{why}; "
        "the next cognito-console run on this history sends it"
    )


RECENT_TIMEOUT_S = 2.0
"""The longest a pre-send look at the team's recent sends may take (connect and read each)."""


def recent_client(config: AppConfig) -> Any:
    """A client for the pre-send look: short timeouts, no retries (see :data:`RECENT_TIMEOUT_S`)."""
    from console.history import team_client

    team = config.team
    if team is None:
        raise ValueError("no [team] table in the config")
    return team_client(
        team,
        connect_timeout=min(RECENT_TIMEOUT_S, config.console.connect_timeout),
        read_timeout=min(RECENT_TIMEOUT_S, config.console.read_timeout),
        max_attempts=1,
    )


def read_recent(
    client: Any, table: str, user_pool_id: str, username: str, now: datetime | None = None
) -> RecentSends:
    """The team's sends to *username* in the hour before *now*: one Query (errors raise)."""
    since = ((now or datetime.now(UTC)) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return read_since(client, table, user_pool_id, username, since)


def read_since(
    client: Any, table: str, user_pool_id: str, username: str, since: str
) -> RecentSends:
    """The team's sends to *username* from *since* (an ISO time): one Query (errors raise)."""
    from console.history import recent_for_user, recent_sends

    attempts = recent_for_user(client, table, user_pool_id, username, since)
    return recent_sends(attempts, username, since)


def team_recent(
    config: AppConfig, user_pool_id: str, username: str
) -> tuple[RecentSends | None, str | None]:
    """The team's sends to *username* in the last hour: (summary, None) or (None, why not).

    One Query on the user's partition, with short timeouts and no retries:
    it informs the operator and must never hold up a send for long.
    """
    team = config.team
    if team is None:
        return None, None
    try:
        return read_recent(recent_client(config), team.table, user_pool_id, username), None
    except Exception as exc:  # botocore's kinds: any of them means "cannot tell"
        return None, f"team: recent sends to {username} unknown ({failure_reason(exc)})"


def failure_reason(exc: BaseException) -> str:
    """A failed call to the team table in a few words: its error code, else the message."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code") or type(exc).__name__)
    return str(exc) or type(exc).__name__
