"""The ResendConfirmationCode request: its six parameters, validated.

botocore checks only minimum lengths locally; maximums and patterns are left
to the server. We check them all here, naming the field, so a bad value never
costs a round trip (or one of the user's five resends an hour).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Only a secret's holder needs pydantic, and it arrives with the secret:
    # the TUI's first frame imports this module without importing pydantic.
    from pydantic import SecretStr

__all__ = [
    "MAX_ID_LENGTH",
    "MAX_METADATA_LENGTH",
    "FieldProblem",
    "RequestError",
    "ResendRequest",
    "build_request",
    "compute_secret_hash",
    "mask_secret",
    "validate_username",
]

MAX_ID_LENGTH = 128
"""ClientId, Username and SecretHash: 1 to 128 characters."""
MAX_METADATA_LENGTH = 131_072
"""ClientMetadata keys and values, AnalyticsEndpointId, IpAddress, EncodedData."""

# Java's \w (what the service model's patterns mean) is ASCII-only.
_CLIENT_ID_RE = re.compile(r"[\w+]+", re.ASCII)
# Username: [\p{L}\p{M}\p{S}\p{N}\p{P}]+ -- letters, marks, symbols, numbers,
# punctuation; so no spaces, no control or format characters.
_USERNAME_CATEGORIES = frozenset("LMSNP")
_USERNAME_RULE = (
    "letters, marks, symbols, digits and punctuation only (no spaces or control characters)"
)


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with one field, worded for the operator."""

    field: str
    """The field as the operator knows it: ``username``, ``client_metadata[2].key``..."""
    rule: str
    """What is wrong and what is allowed."""

    def __str__(self) -> str:
        return f"{self.field}: {self.rule}"


class RequestError(ValueError):
    """The request is not valid; ``problems`` names every field at fault."""

    def __init__(self, problems: Iterable[FieldProblem]) -> None:
        self.problems: tuple[FieldProblem, ...] = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    def for_field(self, name: str) -> list[FieldProblem]:
        """The problems whose field is *name* or starts with ``name[``/``name.``."""
        return [
            p
            for p in self.problems
            if p.field == name or p.field.startswith((f"{name}[", f"{name}."))
        ]


def compute_secret_hash(secret: str, username: str, client_id: str) -> str:
    """Base64(HMAC-SHA256(key=secret, message=username + client_id)), over the exact username."""
    digest = hmac.new(
        secret.encode("utf-8"), (username + client_id).encode("utf-8"), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def mask_secret(value: str | None) -> str:
    """A secret as it may be shown: stars plus at most the last 4 characters."""
    if not value:
        return "(none)"
    if len(value) <= 8:
        return "*" * 8
    return "*" * 16 + value[-4:]


@dataclass(frozen=True, slots=True)
class ResendRequest:
    """A validated ResendConfirmationCode request. Build it with :func:`build_request`."""

    client_id: str
    username: str
    client_metadata: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    analytics_endpoint_id: str | None = None
    ip_address: str | None = None
    encoded_data: str | None = None
    secret: SecretStr | None = field(default=None, repr=False, compare=False)
    """The app client's secret, only to compute SecretHash; never shown or stored."""
    _secret_hash: SecretStr | None = field(default=None, init=False, repr=False, compare=False)
    """SecretHash once computed: the call path needs it twice (log redaction, the call)."""

    def secret_hash(self) -> SecretStr | None:
        """The SecretHash for this username and client, or None without a secret.

        Computed on first use and kept: the fields it depends on are frozen.
        """
        if self.secret is None:
            return None
        if self._secret_hash is None:
            from pydantic import SecretStr

            value = compute_secret_hash(
                self.secret.get_secret_value(), self.username, self.client_id
            )
            # Frozen dataclass: a cache slot is set the way __init__ sets fields.
            object.__setattr__(self, "_secret_hash", SecretStr(value))
        return self._secret_hash

    def to_api_params(self) -> dict[str, Any]:
        """Keyword arguments for botocore's ``resend_confirmation_code`` (SecretHash in clear)."""
        params: dict[str, Any] = {"ClientId": self.client_id, "Username": self.username}
        secret_hash = self.secret_hash()
        if secret_hash is not None:
            params["SecretHash"] = secret_hash.get_secret_value()
        if self.client_metadata:
            params["ClientMetadata"] = dict(self.client_metadata)
        if self.analytics_endpoint_id is not None:
            params["AnalyticsMetadata"] = {"AnalyticsEndpointId": self.analytics_endpoint_id}
        context: dict[str, str] = {}
        if self.ip_address is not None:
            context["IpAddress"] = self.ip_address
        if self.encoded_data is not None:
            context["EncodedData"] = self.encoded_data
        if context:
            params["UserContextData"] = context
        return params

    def to_preview(self) -> dict[str, Any]:
        """The payload as it will be sent, with SecretHash redacted (last 4 characters)."""
        params = self.to_api_params()
        if "SecretHash" in params:
            params["SecretHash"] = mask_secret(params["SecretHash"])
        return params

    def to_aws_cli(self, *, region: str, endpoint_url: str | None) -> list[str]:
        """The equivalent ``aws cognito-idp resend-confirmation-code`` argv.

        The SecretHash is left as a ``<SECRET_HASH>`` placeholder: the line is
        for pasting into tickets and shells, never a way to leak it.
        """
        import json

        argv = ["aws", "cognito-idp", "resend-confirmation-code", "--region", region]
        if endpoint_url:
            argv += ["--endpoint-url", endpoint_url]
        argv += ["--client-id", self.client_id, "--username", self.username]
        if self.secret is not None:
            argv += ["--secret-hash", "<SECRET_HASH>"]
        if self.client_metadata:
            argv += ["--client-metadata", json.dumps(dict(self.client_metadata))]
        if self.analytics_endpoint_id is not None:
            argv += [
                "--analytics-metadata",
                json.dumps({"AnalyticsEndpointId": self.analytics_endpoint_id}),
            ]
        context = self.to_api_params().get("UserContextData")
        if context:
            argv += ["--user-context-data", json.dumps(context)]
        return argv


def _has_lone_surrogate(text: str) -> bool:
    # Strict UTF-8 encoding fails on surrogate code points and nothing else;
    # much faster than a loop over up to 131,072 characters.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_length(
    problems: list[FieldProblem], name: str, value: str, *, minimum: int, maximum: int
) -> bool:
    if _has_lone_surrogate(value):
        problems.append(FieldProblem(name, "must be valid Unicode (it has a lone surrogate)"))
        return False
    if len(value) < minimum:
        rule = "is required" if minimum == 1 else f"must be at least {minimum} characters"
        problems.append(FieldProblem(name, rule))
        return False
    if len(value) > maximum:
        problems.append(
            FieldProblem(name, f"must be at most {maximum:,} characters (it has {len(value):,})")
        )
        return False
    return True


def _check_username(problems: list[FieldProblem], username: str) -> None:
    if not _check_length(problems, "username", username, minimum=1, maximum=MAX_ID_LENGTH):
        return
    for index, char in enumerate(username):
        if unicodedata.category(char)[0] not in _USERNAME_CATEGORIES:
            what = "a space" if char.isspace() else f"U+{ord(char):04X}"
            problems.append(
                FieldProblem("username", f"{_USERNAME_RULE}; {what} at position {index + 1}")
            )
            return


def validate_username(username: str) -> None:
    """Raise :class:`RequestError` naming ``username`` when Cognito's pattern refuses it."""
    problems: list[FieldProblem] = []
    _check_username(problems, username)
    if problems:
        raise RequestError(problems)


def _check_client_id(problems: list[FieldProblem], client_id: str) -> None:
    if not _check_length(problems, "client_id", client_id, minimum=1, maximum=MAX_ID_LENGTH):
        return
    if not _CLIENT_ID_RE.fullmatch(client_id):
        problems.append(
            FieldProblem("client_id", "ASCII letters, digits, '_' and '+' only (pattern [\\w+]+)")
        )


def _check_metadata(
    problems: list[FieldProblem], rows: Iterable[tuple[str, str]]
) -> dict[str, str]:
    metadata: dict[str, str] = {}
    for index, (key, value) in enumerate(rows, start=1):
        where = f"client_metadata[{index}]"
        if key == "":
            problems.append(FieldProblem(f"{where}.key", "must not be empty"))
        elif (
            _check_length(problems, f"{where}.key", key, minimum=1, maximum=MAX_METADATA_LENGTH)
            and key in metadata
        ):
            problems.append(FieldProblem(f"{where}.key", "duplicate key: each key may appear once"))
        _check_length(problems, f"{where}.value", value, minimum=0, maximum=MAX_METADATA_LENGTH)
        metadata.setdefault(key, value)
    return metadata


def _optional(
    problems: list[FieldProblem], name: str, value: str | None, maximum: int
) -> str | None:
    """Empty means "not sent": an empty form field is the operator leaving it out."""
    if value is None or value == "":
        return None
    _check_length(problems, name, value, minimum=1, maximum=maximum)
    return value


def build_request(
    *,
    client_id: str,
    username: str,
    client_metadata: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    analytics_endpoint_id: str | None = None,
    ip_address: str | None = None,
    encoded_data: str | None = None,
    secret: SecretStr | None = None,
) -> ResendRequest:
    """Validate every field and build the request, or raise :class:`RequestError`.

    ``client_metadata`` may be a mapping or a sequence of (key, value) rows as
    typed in a form; rows let duplicates be reported instead of silently merged.
    Values are taken exactly as given: nothing is stripped or normalised,
    because the SecretHash and the user lookup depend on the exact string.
    """
    problems: list[FieldProblem] = []
    _check_client_id(problems, client_id)
    _check_username(problems, username)
    rows = client_metadata.items() if isinstance(client_metadata, Mapping) else client_metadata
    metadata = _check_metadata(problems, rows)
    endpoint = _optional(
        problems, "analytics_endpoint_id", analytics_endpoint_id, MAX_METADATA_LENGTH
    )
    ip = _optional(problems, "ip_address", ip_address, MAX_METADATA_LENGTH)
    if ip is not None and not any(p.field == "ip_address" for p in problems):
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            problems.append(FieldProblem("ip_address", "must be an IPv4 or IPv6 address"))
    encoded = _optional(problems, "encoded_data", encoded_data, MAX_METADATA_LENGTH)
    if secret is not None and secret.get_secret_value() == "":
        problems.append(FieldProblem("client_secret", "is empty"))
    if problems:
        raise RequestError(problems)
    return ResendRequest(
        client_id=client_id,
        username=username,
        client_metadata=MappingProxyType(metadata),
        analytics_endpoint_id=endpoint,
        ip_address=ip,
        encoded_data=encoded,
        secret=secret,
    )
