"""The team's shared history, seen from the CLI and the TUI.

:func:`open_team` gives the uploader for a history opened with ``team=True``
when the config has a ``[team]`` table. The operator never waits for it
before seeing Cognito's answer: the CLI calls :func:`upload_at_exit` after
printing the result, the TUI runs the uploader in its own thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from console.config import AppConfig, TeamSettings
    from console.history import History, TeamUploader

__all__ = ["open_team", "operator_name", "upload_at_exit"]


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
