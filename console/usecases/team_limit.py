"""Bulk resend at Cognito's hourly limit: skip the users the team already sent 5 codes.

With a ``[team]`` table, a batch asks the table, just before each user's
send, what the team sent that user in the last hour (one Query on the
user's partition, as the single resend does). At :data:`LIMIT_PER_HOUR` or
more the user is skipped: another code now would most likely fail with
``LimitExceededException`` and keep them waiting longer. ``--force`` (the
TUI's force choice) builds no guard at all.

The local history counts too: this console's own attempts may still wait in
the team queue, so the larger of the two counts decides. When the team's
table cannot be read, the batch goes on (the team table informs, it never
stops a send): the failure is said once, the local history's count guards
alone, and the table is not asked again for :data:`RETRY_AFTER_S` so an
unreachable endpoint does not add its timeout to every user.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from console.usecases.team_sync import failure_reason

if TYPE_CHECKING:
    from console.config import AppConfig
    from console.history import History, RecentSends

__all__ = ["RETRY_AFTER_S", "LimitGuard", "LimitSkip", "limit_guard"]

RETRY_AFTER_S = 60.0
"""After a failed read of the team's table, how long the guard counts locally only."""
_SENDING = ("delivered", "unknown", "pending")
"""Outcomes that sent, or may have sent, a code (as :func:`console.history.recent_sends`)."""


@dataclass(frozen=True, slots=True)
class LimitSkip:
    """Why one user of a batch is skipped: the codes counted and the line that says so."""

    username: str
    codes: int
    reason: str
    """One line: how many codes, whose, the last one, and why that stops the send."""


class LimitGuard:
    """Says, per user, whether a batch should skip them (thread-safe; workers share one)."""

    def __init__(
        self,
        *,
        read_team: Callable[[str, str], RecentSends],
        count_local: Callable[[str], int] | None,
        me: str,
        limit: int,
        on_note: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``read_team(username, since)`` asks the table (raising when it cannot);
        ``count_local(username)`` counts this history's sends in the last hour."""
        self._read_team = read_team
        self._count_local = count_local
        self._me = me
        self._limit = limit
        self._on_note = on_note
        self._clock = clock
        self._lock = threading.Lock()
        self._paused_until: float | None = None
        self.problem: str | None = None
        """Why the team's table could not be read, the first time (None: it always could)."""
        self.unread = 0
        """Users checked without the team's table (the local history alone)."""

    def check(self, username: str) -> LimitSkip | None:
        """A :class:`LimitSkip` when *username* is at the limit, else None (send)."""
        now = datetime.now(UTC)
        since = (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        local = self._count_local(username) if self._count_local is not None else 0
        recent = self._team(username, since)
        if recent is not None:
            codes = max(recent.codes, local)
            if codes < self._limit:
                return None
            line = recent.summary(self._me, now).removeprefix(f"{username}: ")
            if local > recent.codes:
                line += f"; this console's history has {local} (not all uploaded yet)"
        else:
            codes = local
            if codes < self._limit:
                return None
            noun = "code" if codes == 1 else "codes"
            line = f"{codes} {noun} in the last hour in this console's history"
            line += " (the team's table was not read)"
        reason = (
            f"{line}; at Cognito's hourly limit another code would likely fail with "
            "LimitExceededException"
        )
        return LimitSkip(username, codes, reason)

    def preview(self, usernames: Iterable[str], *, workers: int = 8) -> list[LimitSkip]:
        """:meth:`check` for each of *usernames* (several at once), the skips in input order."""
        names = list(usernames)
        if not names:
            return []
        with ThreadPoolExecutor(max_workers=min(workers, len(names))) as pool:
            found = list(pool.map(self.check, names))
        return [skip for skip in found if skip is not None]

    def _team(self, username: str, since: str) -> RecentSends | None:
        with self._lock:
            if self._paused_until is not None and self._clock() < self._paused_until:
                self.unread += 1
                return None
        try:
            return self._read_team(username, since)
        except Exception as exc:  # botocore's kinds: any of them means "cannot tell"
            first = False
            with self._lock:
                self.unread += 1
                self._paused_until = self._clock() + RETRY_AFTER_S
                if self.problem is None:
                    self.problem = failure_reason(exc)
                    first = True
            if first and self._on_note is not None:
                self._on_note(
                    f"team: recent sends not read ({self.problem}); sending anyway, "
                    "this console's history alone guards the hourly limit"
                )
            return None


def limit_guard(
    config: AppConfig,
    history: History | None,
    user_pool_id: str,
    *,
    on_note: Callable[[str], None] | None = None,
) -> LimitGuard | None:
    """The guard for a batch on *user_pool_id*, or None without ``[team]``.

    One DynamoDB client for the whole run (boto3's clients are thread-safe),
    with the pre-send check's short timeouts and no retries.
    """
    team = config.team
    if team is None:
        return None
    from console.history import LIMIT_PER_HOUR, default_operator
    from console.usecases.team_sync import operator_name, read_since, recent_client

    client = recent_client(config)

    def read_team(username: str, since: str) -> RecentSends:
        return read_since(client, team.table, user_pool_id, username, since)

    count_local = None if history is None else partial(local_codes, history, user_pool_id)
    return LimitGuard(
        read_team=read_team,
        count_local=count_local,
        me=operator_name(team, default_operator()),
        limit=LIMIT_PER_HOUR,
        on_note=on_note,
    )


def local_codes(history: History, user_pool_id: str, username: str) -> int:
    """This history's attempts that sent (or may have sent) *username* a code in the last hour.

    A history that cannot be read counts nothing: the team's count still guards.
    """
    from console.history import HistoryFilter

    since = datetime.now(UTC) - timedelta(hours=1)
    try:
        records = history.query(HistoryFilter(username=username, since=since), limit=200)
    except Exception:  # HistoryError: the send goes ahead as with no [team] at all
        return 0
    return sum(
        1
        for r in records
        if r.username == username and r.user_pool_id == user_pool_id and r.outcome in _SENDING
    )
