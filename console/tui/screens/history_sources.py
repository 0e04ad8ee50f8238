"""Where the history screen's pages come from: the local history, or the team's table.

Both give pages of :class:`~console.history.AttemptRecord`, newest first, and
say where the next page starts (``None``: no more). The local history pages
by attempt id and counts its matches; the team's table pages by DynamoDB's
own position in its day-by-day walk (:func:`console.history.team_page`) and
has no count. Each page is read in the screen's thread worker; the worker's
results come back as the messages below. Team items were written by other
consoles: untrusted, and shown like any history (the table escapes them).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from textual.message import Message

from console.history import AttemptRecord, History, HistoryFilter
from console.tui.screens.history_export import failure_line

if TYPE_CHECKING:
    from console.tui.team_link import TeamLink

__all__ = [
    "CountLoaded",
    "HistorySource",
    "LoadFailed",
    "LocalSource",
    "Page",
    "PageLoaded",
    "TeamSource",
    "TotalCounted",
    "team_record",
]


@dataclass(frozen=True, slots=True)
class Page:
    """One page of attempts, and where the next one starts (None: no more)."""

    records: list[AttemptRecord]
    next: object | None


class HistorySource(Protocol):
    """A place the history screen reads attempts from."""

    team: bool
    """Whether this is the team's table (no count, case-sensitive username filter)."""

    def page(self, flt: HistoryFilter, after: object | None, limit: int) -> Page:
        """About *limit* attempts matching *flt* after *after* (None: the newest)."""

    def count(self, flt: HistoryFilter) -> int | None:
        """How many attempts match *flt*; None when the source cannot tell."""

    def failure(self, exc: BaseException) -> str:
        """One line for a failed read."""


class LocalSource:
    """The local SQLite history: keyset pages by attempt id, and exact counts."""

    team = False

    def __init__(self, history: History) -> None:
        """Pages of *history*."""
        self.history = history

    def page(self, flt: HistoryFilter, after: object | None, limit: int) -> Page:
        """A page before attempt id *after*."""
        before_id = after if isinstance(after, int) else None
        records = self.history.query(flt, before_id=before_id, limit=limit)
        return Page(records, records[-1].id if len(records) == limit else None)

    def count(self, flt: HistoryFilter) -> int | None:
        """The exact count."""
        return self.history.count(flt)

    def failure(self, exc: BaseException) -> str:
        """The history's own line."""
        return failure_line(exc)


class TeamSource:
    """The team's DynamoDB table, through the app's :class:`~console.tui.team_link.TeamLink`."""

    team = True

    def __init__(self, link: TeamLink) -> None:
        """Reads through *link*'s client."""
        self.link = link

    def page(self, flt: HistoryFilter, after: object | None, limit: int) -> Page:
        """A page of the team's newest attempts (DynamoDB filters: username is case-sensitive)."""
        from console.history import TeamCursor, TeamFilter

        cursor = after if isinstance(after, TeamCursor) else None
        team_filter = TeamFilter(username=flt.username, profile=flt.profile, outcome=flt.outcome)
        page = self.link.page(team_filter, cursor, limit)
        return Page([team_record(item) for item in page.items], page.next)

    def count(self, flt: HistoryFilter) -> int | None:
        """Unknown: DynamoDB counts only by reading everything."""
        return None

    def failure(self, exc: BaseException) -> str:
        """``team: cannot read the team table: <code>``."""
        from console.usecases import failure_reason

        return f"team: cannot read the team table: {failure_reason(exc)}"


def _text(item: dict[str, object], name: str) -> str | None:
    value = item.get(name)
    return None if value is None else str(value)


def _number(item: dict[str, object], name: str) -> float | None:
    value = item.get(name)
    return float(value) if isinstance(value, int | float) else None


def team_record(item: dict[str, object]) -> AttemptRecord:
    """A team item (as :func:`console.history.item_dict` gives it) as a record to show.

    Its id is negative (it is no row of the local file), the same for the same
    attempt on every read: a refresh keeps the highlighted row.
    """
    uid = _text(item, "uid") or ""
    try:
        number = uuid.UUID(uid).int % 2**62
    except ValueError:
        number = abs(hash((uid, item.get("started_at")))) % 2**62
    metadata = item.get("client_metadata")
    status = _number(item, "http_status")
    simulated = item.get("may_be_simulated")
    return AttemptRecord(
        id=-(number + 1),
        started_at=_text(item, "started_at") or "",
        finished_at=_text(item, "finished_at"),
        profile=_text(item, "profile") or "",
        region=_text(item, "region") or "",
        user_pool_id=_text(item, "user_pool_id") or "",
        client_id=_text(item, "client_id") or "",
        username=_text(item, "username") or "",
        client_metadata=dict(metadata) if isinstance(metadata, dict) else {},
        analytics_endpoint_id=_text(item, "analytics_endpoint_id"),
        outcome=_text(item, "outcome") or "unknown",
        medium=_text(item, "medium"),
        destination=_text(item, "destination"),
        attribute=_text(item, "attribute"),
        error_code=_text(item, "error_code"),
        error_message=_text(item, "error_message"),
        http_status=int(status) if status is not None else None,
        request_id=_text(item, "request_id"),
        latency_ms=_number(item, "latency_ms"),
        may_be_simulated=simulated if isinstance(simulated, bool) else None,
        operator=_text(item, "operator") or "unknown",
        batch_id=_text(item, "batch_id"),
    )


# Dataclass messages: Message.__post_init__ sets up what its __init__ would.
@dataclass
class PageLoaded(Message):
    """A page of attempts arrived from a worker."""

    generation: int
    first: bool
    records: list[AttemptRecord]
    next: object | None
    """Where the next page starts; None: no more."""


@dataclass
class CountLoaded(Message):
    """The number of matching attempts arrived from a worker."""

    generation: int
    count: int


@dataclass
class TotalCounted(Message):
    """Every attempt in the history, counted once when the screen opens."""

    total: int


@dataclass
class LoadFailed(Message):
    """A query failed; *reason* is one visible line."""

    generation: int
    reason: str
