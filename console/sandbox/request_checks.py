"""Checking a ResendConfirmationCode request body against the service model.

botocore checks only minimum lengths before sending; Cognito checks maximum
lengths and patterns on the server and answers InvalidParameterException
naming each member that failed. We do the same, in Cognito's message style:
``1 validation error detected: Value at 'username' failed to satisfy
constraint: Member must satisfy regular expression pattern: ...``. Values are
never echoed back: every member of this call is marked sensitive in the model.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from console.sandbox.faults import ServiceError

__all__ = ["MAX_FREE_TEXT", "ResendRequest", "Violations", "is_username", "parse_request"]

MAX_ID = 128
"""Maximum length of ClientId, Username and SecretHash."""
MAX_FREE_TEXT = 131072
"""Maximum length of metadata keys and values, the analytics endpoint and context data."""

CLIENT_ID_PATTERN = r"[\w+]+"
USERNAME_PATTERN = r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+"
SECRET_HASH_PATTERN = r"[\w+=/]+"  # noqa: S105 - a pattern, not a secret

# The service runs Java regexes, where \w is ASCII-only: re.ASCII matches that.
_CLIENT_ID_RE = re.compile(r"[\w+]+", re.ASCII)
_SECRET_HASH_RE = re.compile(r"[\w+=/]+", re.ASCII)
# \p{L}, \p{M}, \p{S}, \p{N}, \p{P}: letters, marks, symbols, numbers and
# punctuation. Python's re has no \p classes, so we test the category's first
# letter (Lu, Mn, Sm, Nd, Po, ...). Spaces (Z*) and controls (C*) fail.
_USERNAME_CATEGORY_CLASSES = frozenset("LMSNP")


def is_username(text: str) -> bool:
    """Whether every character of *text* is allowed by Username's pattern."""
    return bool(text) and all(
        unicodedata.category(char)[0] in _USERNAME_CATEGORY_CLASSES for char in text
    )


@dataclass(frozen=True, slots=True)
class ResendRequest:
    """A ResendConfirmationCode request whose members passed the model's checks."""

    client_id: str
    username: str
    secret_hash: str | None = None
    client_metadata: dict[str, str] | None = None
    """None when the request carried no ClientMetadata."""
    analytics_metadata: dict[str, str] | None = None
    ip_address: str | None = None
    encoded_data: str | None = None


def _serialization_error(message: str) -> ServiceError:
    # What the service's JSON layer answers when a member has the wrong type.
    # botocore never sends such a body; hand-made requests can.
    return ServiceError("SerializationException", message)


def _string_member(body: Mapping[str, object], name: str) -> str | None:
    value = body.get(name)
    if value is None or isinstance(value, str):
        return value
    raise _serialization_error(f"{name} must be a string.")


def _string_map(value: object, name: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise _serialization_error(f"{name} must be a map of strings to strings.")
    return dict(value)


class Violations:
    """Collects constraint failures in the order the service reports them."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, constraint: str) -> None:
        self.items.append(f"Value at '{path}' failed to satisfy constraint: {constraint}")

    def null(self, path: str) -> None:
        self.items.append(
            f"Value null at '{path}' failed to satisfy constraint: Member must not be null"
        )

    def length(self, path: str, value: str, low: int, high: int) -> None:
        if len(value) > high:
            self.add(path, f"Member must have length less than or equal to {high}")
        elif len(value) < low:
            self.add(path, f"Member must have length greater than or equal to {low}")

    def raise_if_any(self) -> None:
        if not self.items:
            return
        count = len(self.items)
        noun = "error" if count == 1 else "errors"
        raise ServiceError(
            "InvalidParameterException",
            f"{count} validation {noun} detected: " + "; ".join(self.items),
        )


def _check_id(
    problems: Violations,
    path: str,
    value: str | None,
    *,
    required: bool,
    pattern: str,
    matches: bool,
) -> None:
    if value is None:
        if required:
            problems.null(path)
        return
    problems.length(path, value, 1, MAX_ID)
    if value and not matches:
        problems.add(path, f"Member must satisfy regular expression pattern: {pattern}")


def _check_map(problems: Violations, path: str, mapping: Mapping[str, str]) -> None:
    limits = (
        "[Member must have length less than or equal to "
        f"{MAX_FREE_TEXT}, Member must have length greater than or equal to 0]"
    )
    if any(len(key) > MAX_FREE_TEXT for key in mapping):
        problems.add(path, f"Map keys must satisfy constraint: {limits}")
    if any(len(value) > MAX_FREE_TEXT for value in mapping.values()):
        problems.add(path, f"Map value must satisfy constraint: {limits}")


def parse_request(body: object) -> ResendRequest:
    """Check a parsed JSON body and return the request, or raise ServiceError.

    Wrong types raise SerializationException; out-of-bounds values raise one
    InvalidParameterException listing every failed member.
    """
    if not isinstance(body, dict):
        raise _serialization_error("The request body must be a JSON object.")
    client_id = _string_member(body, "ClientId")
    username = _string_member(body, "Username")
    secret_hash = _string_member(body, "SecretHash")
    metadata_raw = body.get("ClientMetadata")
    metadata = None if metadata_raw is None else _string_map(metadata_raw, "ClientMetadata")
    analytics_raw = body.get("AnalyticsMetadata")
    analytics = None if analytics_raw is None else _string_map(analytics_raw, "AnalyticsMetadata")
    context_raw = body.get("UserContextData")
    context = {} if context_raw is None else _string_map(context_raw, "UserContextData")

    # Members in the service model's order, as the service lists them.
    problems = Violations()
    _check_id(
        problems,
        "clientId",
        client_id,
        required=True,
        pattern=CLIENT_ID_PATTERN,
        matches=client_id is not None and _CLIENT_ID_RE.fullmatch(client_id) is not None,
    )
    _check_id(
        problems,
        "secretHash",
        secret_hash,
        required=False,
        pattern=SECRET_HASH_PATTERN,
        matches=secret_hash is not None and _SECRET_HASH_RE.fullmatch(secret_hash) is not None,
    )
    for member in ("IpAddress", "EncodedData"):
        if member in context:
            path = "userContextData." + member[0].lower() + member[1:]
            problems.length(path, context[member], 0, MAX_FREE_TEXT)
    _check_id(
        problems,
        "username",
        username,
        required=True,
        pattern=USERNAME_PATTERN,
        matches=username is not None and is_username(username),
    )
    if analytics is not None and "AnalyticsEndpointId" in analytics:
        problems.length(
            "analyticsMetadata.analyticsEndpointId",
            analytics["AnalyticsEndpointId"],
            0,
            MAX_FREE_TEXT,
        )
    _check_map(problems, "clientMetadata", metadata or {})
    problems.raise_if_any()
    if client_id is None or username is None:  # pragma: no cover - reported as null above
        raise ServiceError("InvalidParameterException", "ClientId and Username are required.")
    return ResendRequest(
        client_id=client_id,
        username=username,
        secret_hash=secret_hash,
        client_metadata=metadata,
        analytics_metadata=analytics,
        ip_address=context.get("IpAddress"),
        encoded_data=context.get("EncodedData"),
    )
