"""One code the sandbox delivered: the record its outbox keeps and serves as JSON.

The sandbox (:mod:`console.sandbox.outbox`) records a :class:`Delivery` per
code it "sends" and serves them at ``GET /_sandbox/outbox``; the TUI's outbox
screen reads them back over HTTP with :meth:`Delivery.from_json`. The answer
crossed a socket, so it is untrusted: an entry with a missing key or a value
of the wrong type is rejected with :class:`DeliveryFormatError`, whose
message is one line naming the key (never the untrusted value).

This module imports only the standard library, and the package loads its
modules lazily: the TUI gets the type without the server, moto or werkzeug.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["Delivery", "DeliveryFormatError"]


class DeliveryFormatError(ValueError):
    """An outbox entry that is not a delivery; ``str()`` is one line naming the key."""


_TEXT_FIELDS = (
    "time",
    "user_pool_id",
    "client_id",
    "medium",
    "destination",
    "attribute",
    "body",
    "code",
    "request_id",
)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One code the sandbox delivered."""

    time: str
    """ISO-8601 UTC with milliseconds, e.g. ``2025-01-31T12:00:00.123Z``."""
    user_pool_id: str
    user: str
    client_id: str
    medium: str
    destination: str
    attribute: str
    subject: str | None
    """None for SMS."""
    body: str
    code: str
    """The code sent; for an AdminCreateUser invitation, the temporary password."""
    client_metadata: dict[str, str]
    analytics_metadata: dict[str, str] | None
    trigger: bool
    """Whether the CustomMessage trigger wrote the message (else the pool's default)."""
    request_id: str
    invocation_id: str | None = None
    """The trigger invocation that wrote the message (``GET /_sandbox/invocations``), if any."""
    status: str = "delivered"
    """``delivered``, or ``dropped``: Cognito answered success, the channel never delivered it."""
    dropped_reason: str | None = None
    """Why the channel dropped it (the SES suppression list, the SMS sandbox...), when dropped."""

    def to_json(self) -> dict[str, object]:
        """The delivery as a JSON-ready dict (the outbox endpoint's shape).

        ``username`` repeats ``user``: callers written against either name work.
        """
        entry = asdict(self)
        entry["username"] = self.user
        return entry

    @classmethod
    def from_json(cls, item: object) -> Delivery:
        """Read one outbox entry (parsed JSON); DeliveryFormatError if it is not a delivery.

        Keys this type does not know are ignored (a newer sandbox may add some);
        ``username`` stands in for a missing ``user``; ``invocation_id`` may be
        missing (an older sandbox).
        """
        if not isinstance(item, dict):
            raise DeliveryFormatError(f"not an object but {_kind(item)}")
        data: dict[object, object] = item
        if "user" not in data and "username" in data:
            data = {**data, "user": data["username"]}
        text = {key: _text(data, key) for key in (*_TEXT_FIELDS, "user")}
        subject = None if data.get("subject", _MISSING) is None else _text(data, "subject")
        trigger = data.get("trigger", _MISSING)
        if not isinstance(trigger, bool):
            raise DeliveryFormatError(_problem("trigger", trigger, "true or false"))
        analytics = (
            None
            if data.get("analytics_metadata", _MISSING) is None
            else _mapping(data, "analytics_metadata")
        )
        invocation = data.get("invocation_id")
        if invocation is not None and not isinstance(invocation, str):
            raise DeliveryFormatError(_problem("invocation_id", invocation, "text or null"))
        status = data.get("status", "delivered")
        if status not in ("delivered", "dropped"):
            raise DeliveryFormatError(_problem("status", status, '"delivered" or "dropped"'))
        reason = data.get("dropped_reason")
        if reason is not None and not isinstance(reason, str):
            raise DeliveryFormatError(_problem("dropped_reason", reason, "text"))
        return cls(
            time=text["time"],
            user_pool_id=text["user_pool_id"],
            user=text["user"],
            client_id=text["client_id"],
            medium=text["medium"],
            destination=text["destination"],
            attribute=text["attribute"],
            subject=subject,
            body=text["body"],
            code=text["code"],
            client_metadata=_mapping(data, "client_metadata"),
            analytics_metadata=analytics,
            trigger=trigger,
            request_id=text["request_id"],
            invocation_id=invocation,
            status=str(status),
            dropped_reason=reason,
        )


_MISSING = object()


def _kind(value: object) -> str:
    """What a JSON value is, in words (never the value itself: it is untrusted)."""
    if value is _MISSING:
        return "missing"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _problem(key: str, value: object, wanted: str) -> str:
    if value is _MISSING:
        return f'"{key}" is missing'
    return f'"{key}" is {_kind(value)}, not {wanted}'


def _text(data: dict[object, object], key: str) -> str:
    value = data.get(key, _MISSING)
    if not isinstance(value, str):
        raise DeliveryFormatError(_problem(key, value, "text"))
    return value


def _mapping(data: dict[object, object], key: str) -> dict[str, str]:
    value = data.get(key, _MISSING)
    if not isinstance(value, dict):
        raise DeliveryFormatError(_problem(key, value, "an object"))
    out: dict[str, str] = {}
    for k, v in value.items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise DeliveryFormatError(f'"{key}" has a value that is {_kind(v)}, not text')
        out[k] = v
    return out
