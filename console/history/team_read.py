"""Reading the team's table: newest first across the team, by operator, and the day's stats.

"Newest across the team" walks the ``by_day`` index one day at a time, from
today back, so each page is one Query on one partition; ``--operator`` uses
``by_operator`` instead. Outcome, profile and username filters are
DynamoDB filter expressions: they save bandwidth, not reads, so a page keeps
reading until it has *limit* matches or has looked back :data:`MAX_DAYS`.
Everything read is untrusted text (another console wrote it): callers escape
it for display like any other history. Domain code: no Textual.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from console.history.team import BY_DAY, BY_OPERATOR

__all__ = [
    "MAX_DAYS",
    "TEAM_FIELDS",
    "TeamCursor",
    "TeamFilter",
    "TeamPage",
    "TeamStats",
    "item_dict",
    "team_attempts",
    "team_page",
    "team_stats",
]

MAX_DAYS = 31
"""How far back a team listing looks (days, today included)."""


@dataclass(frozen=True, slots=True)
class TeamFilter:
    """Which team attempts to list. ``username`` is a case-sensitive substring (DynamoDB's)."""

    username: str | None = None
    profile: str | None = None
    outcome: str | None = None
    operator: str | None = None


TEAM_FIELDS = (
    "uid", "started_at", "finished_at", "operator", "host", "profile", "region",
    "user_pool_id", "client_id", "username", "client_metadata", "analytics_endpoint_id",
    "outcome", "medium", "destination", "attribute", "error_code", "error_message",
    "http_status", "request_id", "latency_ms", "may_be_simulated", "batch_id",
)  # fmt: skip
"""A team attempt's fields, in order: the local record's, with uid and host for its id."""


def item_dict(item: dict[str, Any]) -> dict[str, object]:
    """A table item as JSON-ready values: each of :data:`TEAM_FIELDS`, in order, None if absent."""
    out: dict[str, object] = {}
    for name in TEAM_FIELDS:
        value = item.get(name)
        if not isinstance(value, dict):
            out[name] = {} if name == "client_metadata" else None
        elif "S" in value:
            out[name] = str(value["S"])
        elif "N" in value:
            number = float(value["N"])
            out[name] = int(number) if number.is_integer() else number
        elif "BOOL" in value:
            out[name] = bool(value["BOOL"])
        elif "M" in value:
            out[name] = {str(k): str(v.get("S", "")) for k, v in value["M"].items()}
        else:
            out[name] = None
    return out


def _expression(flt: TeamFilter) -> dict[str, Any]:
    parts: list[str] = []
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    if flt.outcome:
        parts.append("#o = :o")
        names["#o"] = "outcome"
        values[":o"] = {"S": flt.outcome}
    if flt.profile:
        parts.append("#p = :p")
        names["#p"] = "profile"
        values[":p"] = {"S": flt.profile}
    if flt.username:
        parts.append("contains(#u, :u)")
        names["#u"] = "username"
        values[":u"] = {"S": flt.username}
    if not parts:
        return {}
    return {
        "FilterExpression": " AND ".join(parts),
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }


def _query_all(client: Any, request: dict[str, Any], want: int) -> list[dict[str, Any]]:
    """Pages of one Query until *want* items (after filtering) or the end."""
    items: list[dict[str, Any]] = []
    start: dict[str, Any] | None = None
    while len(items) < want:
        page_request = dict(request)
        if start is not None:
            page_request["ExclusiveStartKey"] = start
        page = client.query(**page_request)
        items.extend(page.get("Items", []))
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    return items[:want]


def _index_query(
    table: str, index: str, key: str, value: str, extra: dict[str, Any]
) -> dict[str, Any]:
    """A newest-first Query of one partition of *index*, with *extra*'s filter."""
    return {
        **extra,
        "TableName": table,
        "IndexName": index,
        "KeyConditionExpression": "#k = :k",
        "ScanIndexForward": False,
        "ExpressionAttributeNames": {"#k": key, **extra.get("ExpressionAttributeNames", {})},
        "ExpressionAttributeValues": {
            ":k": {"S": value},
            **extra.get("ExpressionAttributeValues", {}),
        },
    }


def team_attempts(
    client: Any,
    table: str,
    flt: TeamFilter,
    *,
    limit: int = 20,
    now: datetime | None = None,
    max_days: int = MAX_DAYS,
) -> list[dict[str, object]]:
    """Up to *limit* team attempts matching *flt*, newest first, as :func:`item_dict` gives."""
    now = now or datetime.now(UTC)
    extra = _expression(flt)
    if flt.operator:
        request = _index_query(table, BY_OPERATOR, "operator", flt.operator, extra)
        return [item_dict(i) for i in _query_all(client, request, limit)]
    found: list[dict[str, Any]] = []
    for back in range(max_days):
        day = (now - timedelta(days=back)).strftime("%Y-%m-%d")
        request = _index_query(table, BY_DAY, "day", f"DAY#{day}", extra)
        found.extend(_query_all(client, request, limit - len(found)))
        if len(found) >= limit:
            break
    return [item_dict(i) for i in found]


@dataclass(frozen=True, slots=True)
class TeamCursor:
    """Where the next page of a team listing starts: a day back from today, and a position in it."""

    back: int = 0
    """Days before today (0: today); always 0 for one operator's listing."""
    start_key: dict[str, Any] | None = None
    """DynamoDB's ``LastEvaluatedKey`` within that day (or operator); None: its beginning."""


@dataclass(frozen=True, slots=True)
class TeamPage:
    """One page of a team listing, newest first, and where the next one starts."""

    items: list[dict[str, object]]
    """Attempts as :func:`item_dict` gives them."""
    next: TeamCursor | None
    """None: nothing older (or :data:`MAX_DAYS` looked back)."""


def team_page(
    client: Any,
    table: str,
    flt: TeamFilter,
    cursor: TeamCursor | None = None,
    *,
    limit: int = 50,
    now: datetime | None = None,
    max_days: int = MAX_DAYS,
) -> TeamPage:
    """About *limit* team attempts matching *flt* from *cursor* on, newest first.

    Loaded on demand (the TUI's history asks for the next page as the cursor
    nears the end): each request reads at most *limit* items, and a page is
    never cut inside a response, so no attempt is skipped between pages. A
    page may hold a few more than *limit*, or fewer when filters match little.
    """
    now = now or datetime.now(UTC)
    cursor = cursor or TeamCursor()
    extra = _expression(flt)
    found: list[dict[str, Any]] = []
    back, start = cursor.back, cursor.start_key
    while back < max_days:
        if flt.operator:
            request = _index_query(table, BY_OPERATOR, "operator", flt.operator, extra)
        else:
            day = (now - timedelta(days=back)).strftime("%Y-%m-%d")
            request = _index_query(table, BY_DAY, "day", f"DAY#{day}", extra)
        request["Limit"] = limit
        if start is not None:
            request["ExclusiveStartKey"] = start
        answer = client.query(**request)
        found.extend(answer.get("Items", []))
        start = answer.get("LastEvaluatedKey") or None
        if start is None:
            if flt.operator:
                return TeamPage([item_dict(i) for i in found], None)
            back += 1  # this day is done: the day before next
        if len(found) >= limit:
            break
    following = TeamCursor(back, start) if back < max_days else None
    return TeamPage([item_dict(i) for i in found], following)


@dataclass
class TeamStats:
    """The team's last 24 hours: outcomes per hour, top errors, busiest users and operators."""

    since: str
    hours: list[str] = field(default_factory=list)
    """The 24 hour labels, oldest first: ``2026-12-05T14``."""
    per_hour: dict[str, list[int]] = field(default_factory=dict)
    """Outcome → 24 counts, one per label in :attr:`hours`."""
    errors: list[tuple[str, int]] = field(default_factory=list)
    users: list[tuple[str, int]] = field(default_factory=list)
    operators: list[tuple[str, int]] = field(default_factory=list)
    total: int = 0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready (for ``team stats --json``)."""
        return {
            "since": self.since,
            "total": self.total,
            "hours": self.hours,
            "per_hour": self.per_hour,
            "top_errors": [{"code": c, "count": n} for c, n in self.errors],
            "busiest_users": [{"user": u, "count": n} for u, n in self.users],
            "busiest_operators": [{"operator": o, "count": n} for o, n in self.operators],
        }


def team_stats(client: Any, table: str, *, now: datetime | None = None, top: int = 5) -> TeamStats:
    """The last 24 hours, from the ``by_day`` index (today's and yesterday's partitions)."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    start = (now - timedelta(hours=23)).replace(minute=0, second=0, microsecond=0)
    since = start.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    stats = TeamStats(since=since)
    stats.hours = [(start + timedelta(hours=h)).strftime("%Y-%m-%dT%H") for h in range(24)]
    slot = {label: n for n, label in enumerate(stats.hours)}
    per_outcome: dict[str, list[int]] = {}
    errors: Counter[str] = Counter()
    users: Counter[str] = Counter()
    operators: Counter[str] = Counter()
    for day in sorted({start.strftime("%Y-%m-%d"), now.strftime("%Y-%m-%d")}):
        request = {
            "TableName": table,
            "IndexName": BY_DAY,
            "KeyConditionExpression": "#d = :d AND sk >= :since",
            "ExpressionAttributeNames": {"#d": "day"},
            "ExpressionAttributeValues": {":d": {"S": f"DAY#{day}"}, ":since": {"S": since}},
        }
        for item in _query_all(client, request, 10**9):
            record = item_dict(item)
            hour = str(record.get("started_at", ""))[:13]
            if hour not in slot:
                continue
            outcome = str(record.get("outcome", "unknown"))
            per_outcome.setdefault(outcome, [0] * 24)[slot[hour]] += 1
            stats.total += 1
            if record.get("error_code"):
                errors[str(record["error_code"])] += 1
            users[str(record.get("username", ""))] += 1
            operators[str(record.get("operator", "unknown"))] += 1
    stats.per_hour = per_outcome
    stats.errors = errors.most_common(top)
    stats.users = users.most_common(top)
    stats.operators = operators.most_common(top)
    return stats
