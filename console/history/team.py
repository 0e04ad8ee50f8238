"""The team's shared history: one Amazon DynamoDB table (design in ``docs/team.md``).

One item per attempt::

    pk  = POOL#<user pool id>#USER#<username>    every send to one user, together
    sk  = <started_at>#<uid>                      oldest to newest; the uid keeps it unique
    day = DAY#<YYYY-MM-DD>                        GSI "by_day": the team's newest, the chart
    operator                                      GSI "by_operator": one operator's sends

Writes are conditional, so each is idempotent and an attempt moves from
``pending`` to its final outcome exactly once: a pending state is written
only where no item exists, a final one only over nothing, a pending item, or
a crash's "Interrupted" (whose real outcome may still arrive). A refused
condition means the team already has that state or a later one.

Domain code: no Textual. boto3 is imported by :func:`team_client` only.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from console.history.pending import INTERRUPTED_CODE
from console.history.records import AttemptRecord

__all__ = [
    "BY_DAY",
    "BY_OPERATOR",
    "LIMIT_PER_HOUR",
    "RecentSends",
    "TeamAttempt",
    "attempt_item",
    "item_attempt",
    "put_attempt",
    "recent_for_user",
    "recent_sends",
    "stable_uid",
    "user_key",
]

BY_DAY = "by_day"
BY_OPERATOR = "by_operator"
_NAMESPACE = uuid.UUID("6b1f3c2e-9d0a-4f57-8a43-2f0d6c1e7b59")  # for attempts from before uids


def user_key(user_pool_id: str, username: str) -> str:
    """The partition key of one user's attempts."""
    return f"POOL#{user_pool_id}#USER#{username}"


def stable_uid(record: AttemptRecord, host: str) -> str:
    """A UUID for an attempt recorded before attempts had one: the same on every push."""
    return str(uuid.uuid5(_NAMESPACE, f"{host}\0{record.started_at}\0{record.id}"))


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: float) -> dict[str, str]:
    return {"N": repr(value) if isinstance(value, float) else str(value)}


_TEXT_FIELDS = (
    "started_at", "finished_at", "profile", "region", "user_pool_id", "client_id", "username",
    "analytics_endpoint_id", "outcome", "medium", "destination", "attribute", "error_code",
    "error_message", "request_id", "operator", "batch_id",
)  # fmt: skip


def attempt_item(
    record: AttemptRecord,
    *,
    uid: str,
    host: str,
    operator: str,
    retention_days: int | None = None,
) -> dict[str, dict[str, Any]]:
    """*record* as a DynamoDB item (typed attribute values). Empty fields are left out.

    *operator* is the team's name for who sent it (the ``[team]`` table's, or
    the record's own). *retention_days* sets the TTL attribute ``expires_at``.
    """
    values = record.to_dict()
    values["operator"] = operator
    item: dict[str, dict[str, Any]] = {
        "pk": _s(user_key(record.user_pool_id, record.username)),
        "sk": _s(f"{record.started_at}#{uid}"),
        "day": _s(f"DAY#{record.started_at[:10]}"),
        "uid": _s(uid),
        "host": _s(host),
        # None: nobody could tell whether the client hides unknown users.
        "may_be_simulated": (
            {"NULL": True} if record.may_be_simulated is None else {"BOOL": record.may_be_simulated}
        ),
        "client_metadata": {"M": {k: _s(v) for k, v in record.client_metadata.items()}},
    }
    for name in _TEXT_FIELDS:
        value = values.get(name)
        if isinstance(value, str) and value:
            item[name] = _s(value)
    if record.http_status is not None:
        item["http_status"] = _n(record.http_status)
    if record.latency_ms is not None:
        item["latency_ms"] = _n(round(record.latency_ms, 3))
    if retention_days is not None:
        item["expires_at"] = _n(int(time.time()) + retention_days * 86400)
    return item


@dataclass(frozen=True, slots=True)
class TeamAttempt:
    """One attempt as the team's table holds it (text only: it came from the network)."""

    started_at: str
    username: str
    user_pool_id: str
    operator: str
    outcome: str
    medium: str | None
    error_code: str | None
    profile: str
    host: str
    uid: str


def item_attempt(item: Mapping[str, Any]) -> TeamAttempt | None:
    """A table item as a :class:`TeamAttempt`; None for an item that is not one of ours."""

    def text(name: str) -> str | None:
        value = item.get(name)
        if isinstance(value, dict) and isinstance(value.get("S"), str):
            return str(value["S"])
        return None

    required = [text(n) for n in ("started_at", "username", "user_pool_id", "outcome", "uid")]
    if any(value is None for value in required):
        return None
    started_at, username, pool, outcome, uid = (str(v) for v in required)
    return TeamAttempt(
        started_at=started_at,
        username=username,
        user_pool_id=pool,
        operator=text("operator") or "unknown",
        outcome=outcome,
        medium=text("medium"),
        error_code=text("error_code"),
        profile=text("profile") or "",
        host=text("host") or "",
        uid=uid,
    )


def put_attempt(
    client: Any, table: str, item: dict[str, dict[str, Any]]
) -> Literal["written", "already"]:
    """Write one attempt's state under the conditions above.

    ``"already"``: the team has this state or a later one, which for an
    upload is as good as written. Other errors (botocore's) propagate.
    """
    pending = item.get("outcome") == _s("pending")
    if pending:
        condition = "attribute_not_exists(pk)"
        values: dict[str, Any] = {}
    else:
        condition = "attribute_not_exists(pk) OR outcome = :pending OR error_code = :interrupted"
        values = {":pending": _s("pending"), ":interrupted": _s(INTERRUPTED_CODE)}
    kwargs: dict[str, Any] = {"TableName": table, "Item": item, "ConditionExpression": condition}
    if values:
        kwargs["ExpressionAttributeValues"] = values
    try:
        client.put_item(**kwargs)
    except Exception as exc:
        if _error_code(exc) == "ConditionalCheckFailedException":
            return "already"
        raise
    return "written"


def recent_for_user(
    client: Any, table: str, user_pool_id: str, username: str, since: str, *, limit: int = 100
) -> list[TeamAttempt]:
    """The user's attempts started at or after *since* (ISO UTC), newest first: one Query."""
    answer = client.query(
        TableName=table,
        KeyConditionExpression="pk = :pk AND sk >= :since",
        ExpressionAttributeValues={
            ":pk": _s(user_key(user_pool_id, username)),
            ":since": _s(since),
        },
        ScanIndexForward=False,
        Limit=limit,
    )
    attempts = (item_attempt(item) for item in answer.get("Items", []))
    return [attempt for attempt in attempts if attempt is not None]


def _error_code(exc: BaseException) -> str | None:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        return str(code) if code is not None else None
    return None


LIMIT_PER_HOUR = 5
"""Cognito's per-user limit on code messages, about five an hour (reference: cognito-resend.md)."""


@dataclass(frozen=True, slots=True)
class RecentSends:
    """What the team sent one user in the last hour, for the warning before a resend."""

    username: str
    codes: int
    """Attempts that sent, or may have sent, a code: delivered, unknown or still pending."""
    by_operator: tuple[tuple[str, int], ...]
    """(operator, codes), most first."""
    last: TeamAttempt | None
    """The newest of those attempts."""

    @property
    def at_limit(self) -> bool:
        """Whether another code now would likely meet Cognito's hourly limit."""
        return self.codes >= LIMIT_PER_HOUR

    def summary(self, me: str, now: datetime) -> str:
        """One line: "bob: 3 codes in the last hour (2 by ana, 1 by you); the last was ..."."""
        if not self.codes:
            return f"{self.username}: no codes from the team in the last hour"
        noun = "code" if self.codes == 1 else "codes"
        who = ", ".join(f"{n} by {'you' if op == me else op}" for op, n in self.by_operator)
        line = f"{self.username}: {self.codes} {noun} in the last hour ({who})"
        last = self.last
        if last is not None:
            ago = _ago(last.started_at, now)
            how = f" by {last.medium}" if last.medium else ""
            line += f"; the last was {last.outcome} {ago}{how}"
        return line


def recent_sends(attempts: list[TeamAttempt], username: str, since: str) -> RecentSends:
    """Summarise *attempts* (one user's, newest first) started at or after *since*."""
    sending = [
        a
        for a in attempts
        if a.started_at >= since and a.outcome in ("delivered", "unknown", "pending")
    ]
    counts: dict[str, int] = {}
    for attempt in sending:
        counts[attempt.operator] = counts.get(attempt.operator, 0) + 1
    ordered = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return RecentSends(username, len(sending), ordered, sending[0] if sending else None)


def _ago(started_at: str, now: datetime) -> str:
    try:
        then = datetime.strptime(started_at[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return f"at {started_at}"
    minutes = max(0, int((now - then).total_seconds() // 60))
    return "just now" if minutes == 0 else f"{minutes} min ago"
