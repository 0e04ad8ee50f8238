"""The app's tie to the team's table (``[team]`` in the config): uploads, their status, reads.

:class:`TeamLink` is app-wide state (the app holds one, off until the history
opens with a ``[team]`` table). It runs the :class:`~console.history.TeamUploader`
thread for the app's life: every attempt the history queues goes to the team
from there, never from the send path, so a slow or absent table never delays a
send's result. The thread reports how the queue stands; the link posts that to
the main screen as :class:`TeamStatusChanged`, and
:func:`status_line` says it in a few words for the profile bar.

The reads (the pre-send look at a user's recent sends, the team's history
pages, the dashboard's stats) are blocking calls for thread workers: each
raises botocore's errors for the caller to say in one line. Their clients are
made on first use, in those workers: boto3 is not imported before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from textual.message import Message

from console.text import one_line
from console.tui.team_sandbox import is_demo_team

if TYPE_CHECKING:
    from textual.screen import Screen

    from console.config import AppConfig, TeamSettings
    from console.history import (
        History,
        RecentSends,
        TeamCursor,
        TeamFilter,
        TeamPage,
        TeamStats,
        TeamUploader,
        UploadStatus,
    )

__all__ = [
    "FINAL_DRAIN_S",
    "TEAM_OFF",
    "TeamLink",
    "TeamRecentRead",
    "TeamStatusChanged",
    "status_line",
]

TEAM_OFF = "team mode is off: add a [team] table to the config (see docs/team.md)"
FINAL_DRAIN_S = 2.0
"""At quit, the longest the app waits for attempts queued moments before (the next start
sends whatever is left)."""

StatusKind = Literal["busy", "ready", "error"]

_SHORT_REASONS = {
    "ResourceNotFoundException": "no such table",
    "AccessDeniedException": "access denied",
    "UnrecognizedClientException": "credentials refused",
    "InvalidSignatureException": "credentials refused",
    "ValidationException": "table refused the item",
    "NoCredentialsError": "no AWS credentials",
    "PartialCredentialsError": "incomplete AWS credentials",
    "ProfileNotFound": "no such AWS profile",
    "NoRegionError": "no region",
    "HistoryError": "local queue unreadable",
    "NoSandbox": "no sandbox",
}
"""Refusals that need a person, in the words a status line has room for."""


def status_line(status: UploadStatus) -> tuple[str, StatusKind]:
    """The profile bar's team part: ``team: 3 waiting``, ``team: all sent``, or why not.

    One that needs a person (no table, no permission, no credentials) is
    named in a few words, as an error; a passing one (unreachable, throttled)
    only says it is retried: the bar is shared with the profile's facts, and
    the attempt log has every failure's whole reason.
    """
    waiting = status.waiting
    if waiting is None:
        if status.code in (None, "HistoryError"):
            return "team: local queue unreadable", "error"
        why = _SHORT_REASONS.get(status.code or "", one_line(status.code or "", 24))
        return f"team: not started · {why}", "error"  # the uploader could not be made
    if status.error is None:
        return ("team: all sent", "ready") if waiting == 0 else (f"team: {waiting} waiting", "busy")
    if not status.permanent:
        return f"team: {waiting} waiting, retrying", "busy"
    why = _SHORT_REASONS.get(status.code or "", one_line(status.code or status.error, 24))
    return f"team: {waiting} waiting · {why}", "error"


class TeamStatusChanged(Message):
    """The team uploader's queue and last failure (posted from its thread to the main screen)."""

    def __init__(self, status: UploadStatus) -> None:
        super().__init__()
        self.status = status


class TeamRecentRead(Message):
    """The team's sends to one user in the last hour, or why they could not be read.

    *key* is (profile name, user pool id, username) as asked: an answer for a
    name the form no longer holds is not shown. *asked_at* (``time.monotonic``)
    orders answers: one asked before the answer already kept is dropped.
    """

    def __init__(
        self,
        key: tuple[str, str, str],
        recent: RecentSends | None,
        problem: str | None = None,
        *,
        asked_at: float = 0.0,
    ) -> None:
        super().__init__()
        self.key = key
        self.asked_at = asked_at
        self.recent = recent
        self.problem = problem


def _utc_now() -> datetime:
    return datetime.now(UTC)


class TeamLink:
    """The uploader thread and the team table's readers; off without ``[team]``."""

    def __init__(self, *, clock: Callable[[], datetime] = _utc_now) -> None:
        """*clock* gives the time the dashboard's 24 hours end at (tests fix it)."""
        self.clock = clock
        self.settings: TeamSettings | None = None
        self.me = ""
        """Our name in the team's history (the ``[team]`` operator, else the OS user)."""
        self._config: AppConfig | None = None
        self._uploader: TeamUploader | None = None
        self._stopped = False
        self._lock = threading.Lock()
        self._clients: dict[str, Any] = {}
        self._sandbox: Literal["up", "failed"] | None = None
        """How the embedded sandbox started, once it did (or did not)."""
        self._waiting: tuple[Screen[Any], AppConfig, History] | None = None
        """A start that waits for the team sandbox, where the demo's table lives."""

    @property
    def on(self) -> bool:
        """Whether the config has a ``[team]`` table and the history queues for it."""
        return self.settings is not None

    # -- the uploader ----------------------------------------------------------

    def start(self, main: Screen[Any], config: AppConfig, history: History) -> None:
        """Start uploading *history*'s team queue (nothing without ``[team]``).

        Called on the UI thread once the history is open; the uploader is made
        in a thread worker of the *main* screen (it imports boto3), and its
        reports go to that screen as messages.
        """
        if config.team is None or not history.team or self.on:
            return
        post = main.post_message

        def report(status: UploadStatus) -> None:
            post(TeamStatusChanged(status))

        if self._sandbox != "up" and is_demo_team(config.team):
            self._waiting = (main, config, history)  # its table is on the team sandbox
            if self._sandbox == "failed":
                self.sandbox_failed()
            return
        self._config, self.settings, self.me = config, config.team, history.operator

        def begin() -> None:
            from console.history import UploadStatus
            from console.usecases import failure_reason, open_team

            try:
                uploader = open_team(config, history)
            except Exception as exc:  # a bad AWS profile: said once, the console works on
                reason = one_line(failure_reason(exc), 200)
                report(UploadStatus(None, reason, type(exc).__name__, permanent=True))
                return
            with self._lock:
                if self._stopped or uploader is None:
                    return
                self._uploader = uploader
            uploader.start(on_status=report)

        main.run_worker(begin, thread=True, group="team-start", exit_on_error=False)

    def sandbox_up(self) -> None:
        """The embedded sandbox answers: a start that waited for it goes ahead."""
        self._sandbox = "up"
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self.start(*waiting)

    def sandbox_failed(self) -> None:
        """The embedded sandbox did not start: a start that waited for it is told why not
        (the bar's team part says "not started", never "all sent")."""
        from console.history import UploadStatus

        self._sandbox = "failed"
        waiting, self._waiting = self._waiting, None
        if waiting is not None:  # no error to log: the sandbox's failure is in the log
            status = UploadStatus(None, None, "NoSandbox", permanent=True)
            waiting[0].post_message(TeamStatusChanged(status))

    def nudge(self) -> None:
        """An attempt was recorded: upload it once the sends pause (never blocks)."""
        uploader = self._uploader
        if uploader is not None:
            uploader.nudge()

    def stop(self, drain_s: float = FINAL_DRAIN_S) -> None:
        """End the uploader; first send what was queued moments ago, for up to *drain_s*.

        No final wait when the last upload failed: the next start sends it,
        and the operator's quit does not wait on an unreachable table.
        """
        with self._lock:
            self._stopped = True
            uploader, self._uploader = self._uploader, None
        if uploader is None:
            return
        uploader.stop(timeout_s=1.0)
        if uploader.last_error is not None:
            return
        drain = threading.Thread(
            target=_drain_quietly, args=(uploader, drain_s), name="team-drain", daemon=True
        )
        drain.start()
        drain.join(drain_s + 0.5)

    # -- reads (blocking: for thread workers) -----------------------------------

    def _client(self, kind: Literal["read", "recent"]) -> Any:
        config = self._config
        if config is None or config.team is None:
            raise RuntimeError(TEAM_OFF)
        with self._lock:
            client = self._clients.get(kind)
            if client is None:
                from console.history import team_client
                from console.usecases import recent_client

                client = self._clients[kind] = (
                    recent_client(config)
                    if kind == "recent"
                    else team_client(
                        config.team,
                        connect_timeout=config.console.connect_timeout,
                        read_timeout=config.console.read_timeout,
                    )
                )
        return client

    @property
    def table(self) -> str:
        """The team table's name ("" when off)."""
        return self.settings.table if self.settings is not None else ""

    def recent(self, user_pool_id: str, username: str) -> RecentSends:
        """The team's sends to *username* in the last hour (one Query, 2-second limit)."""
        from console.usecases import read_recent

        return read_recent(self._client("recent"), self.table, user_pool_id, username)

    def page(self, flt: TeamFilter, cursor: TeamCursor | None, limit: int) -> TeamPage:
        """A page of the team's history, newest first (see :func:`console.history.team_page`)."""
        from console.history import team_page

        return team_page(self._client("read"), self.table, flt, cursor, limit=limit)

    def stats(self) -> TeamStats:
        """The team's last 24 hours, up to :attr:`clock`'s now."""
        from console.history import team_stats

        return team_stats(self._client("read"), self.table, now=self.clock())


def _drain_quietly(uploader: TeamUploader, timeout_s: float) -> None:
    try:
        uploader.drain(timeout_s)
    except Exception:  # at quit: what is not sent stays queued for the next start
        return
