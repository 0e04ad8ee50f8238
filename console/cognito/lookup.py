"""Finding the user: by username, email or phone number, exact or by prefix.

A helpdesk operator rarely has the username: the customer gives an email
address or a phone number. :func:`find_users` asks ListUsers with a
``Filter`` (``email = "v"`` or ``email ^= "v"``), page by page (at most 60
users a page), up to a maximum count; :func:`get_user` asks AdminGetUser for
one user's details. Both need AWS credentials (see
:mod:`console.cognito.admin_client`) and never raise: every call returns a
:class:`LookupResult`, with a one-line :class:`AdminFailure` when it failed.

Filter values: ListUsers' filter syntax has no documented escape for a ``"``
inside the quoted value (a raw one makes Cognito answer "Error while parsing
filter"), so a value with ``"``, ``\\`` or a control character is refused with
a message naming the field, before any call. The one exception is an exact
username: AdminGetUser takes it as a plain JSON member, so such a name is
looked up that way instead. The whole filter may be at most 256 characters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from console.cognito.admin_client import AdminFailure, AdminGateway, AdminSettings
from console.cognito.request import FieldProblem, RequestError

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient as CognitoClient

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_FILTER_LENGTH",
    "MAX_LIMIT",
    "PAGE_SIZE",
    "LookupKey",
    "LookupQuery",
    "LookupResult",
    "UserSummary",
    "build_query",
    "find_users",
    "get_user",
    "preflight_warning",
]

PAGE_SIZE = 60
"""ListUsers' largest ``Limit``."""
MAX_FILTER_LENGTH = 256
"""ListUsers' ``Filter`` is at most 256 characters."""
DEFAULT_LIMIT = 50
"""How many users a lookup returns unless told otherwise."""
MAX_LIMIT = 1000
"""The most a lookup may ask for: a search, not an export (17 pages of 60)."""
_MAX_PAGES = 200
"""Pages a filtered ListUsers may return empty in a row; stop well before a runaway."""


class LookupKey(StrEnum):
    """What to search by: the ListUsers attribute names."""

    USERNAME = "username"
    EMAIL = "email"
    PHONE = "phone_number"

    @property
    def label(self) -> str:
        """The field as the operator knows it."""
        return {"username": "username", "email": "email", "phone_number": "phone"}[self.value]


_PHONE_PUNCTUATION = str.maketrans("", "", " -().\u00a0")


@dataclass(frozen=True, slots=True)
class LookupQuery:
    """A validated search. Build it with :func:`build_query`."""

    key: LookupKey
    value: str
    prefix: bool = False
    limit: int = DEFAULT_LIMIT

    @property
    def uses_filter(self) -> bool:
        """False for an exact username the filter cannot carry (AdminGetUser instead)."""
        return _filter_problem(self.value) is None

    def filter_expression(self) -> str:
        """The ListUsers ``Filter``: ``email = "a@b.c"`` or ``email ^= "a@"``."""
        operator = "^=" if self.prefix else "="
        return f'{self.key.value} {operator} "{self.value}"'

    def describe(self) -> str:
        """The search in words, for messages: ``email starting with "a@"``."""
        how = "starting with" if self.prefix else "="
        return f'{self.key.label} {how} "{self.value}"'


def _filter_problem(value: str) -> str | None:
    for char in value:
        if char == '"':
            return 'cannot contain a double quote (") in a ListUsers search'
        if char == "\\":
            return "cannot contain a backslash (\\) in a ListUsers search"
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
            return f"cannot contain control or format characters (U+{ord(char):04X})"
    return None


def build_query(
    key: LookupKey | str, value: str, *, prefix: bool = False, limit: int = DEFAULT_LIMIT
) -> LookupQuery:
    """Validate a search or raise :class:`RequestError` naming the field.

    A phone number loses spaces, dashes, dots and parentheses (``+1 555-555-0100``
    is stored as ``+15555550100``) and must then be ``+`` and digits (E.164).
    Other values are searched exactly as given: only surrounding whitespace is
    removed, which no username, email or phone number can hold anyway.
    """
    lookup_key = LookupKey(key)
    field = lookup_key.label
    problems: list[FieldProblem] = []
    text = value.strip()
    if lookup_key is LookupKey.PHONE:
        text = text.translate(_PHONE_PUNCTUATION)
    if not text:
        problems.append(FieldProblem(field, "is required"))
    elif lookup_key is LookupKey.PHONE and not (
        text.startswith("+") and text[1:].isdigit() and text[1:].isascii()
    ):
        if not (prefix and text == "+"):
            problems.append(
                FieldProblem(field, "use the international form: + then digits, e.g. +15555550100")
            )
    elif lookup_key is LookupKey.PHONE and len(text) > 16:
        problems.append(FieldProblem(field, "must be at most 15 digits after the +"))
    if text and not problems:
        problem = _filter_problem(text)
        if problem is not None and (prefix or lookup_key is not LookupKey.USERNAME):
            problems.append(FieldProblem(field, problem))
        elif problem is None:
            operator = "^=" if prefix else "="
            overhead = len(f'{lookup_key.value} {operator} ""')
            if len(text) + overhead > MAX_FILTER_LENGTH:
                problems.append(
                    FieldProblem(
                        field,
                        f"must be at most {MAX_FILTER_LENGTH - overhead} characters for a "
                        f"search (it has {len(text)})",
                    )
                )
        elif len(text) > 128:
            problems.append(FieldProblem(field, "must be at most 128 characters"))
    if not 1 <= limit <= MAX_LIMIT:
        problems.append(FieldProblem("limit", f"must be between 1 and {MAX_LIMIT}"))
    if problems:
        raise RequestError(problems)
    return LookupQuery(lookup_key, text, prefix, limit)


def _parse_bool(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.strip().lower() == "true"


@dataclass(frozen=True, slots=True)
class UserSummary:
    """One user as a lookup shows it. Every string is untrusted: show through visible()."""

    username: str
    status: str
    """UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED, EXTERNAL_PROVIDER..."""
    enabled: bool
    email: str | None = None
    email_verified: bool | None = None
    phone_number: str | None = None
    phone_number_verified: bool | None = None
    created: datetime | None = None
    last_modified: datetime | None = None
    sub: str | None = None

    @classmethod
    def from_api(cls, user: Mapping[str, Any], attributes_key: str = "Attributes") -> UserSummary:
        """From a ListUsers ``UserType`` (or, with ``UserAttributes``, an AdminGetUser answer)."""
        attrs = {
            str(a.get("Name")): str(a.get("Value"))
            for a in user.get(attributes_key) or []
            if isinstance(a, Mapping) and a.get("Value") is not None
        }
        created = user.get("UserCreateDate")
        modified = user.get("UserLastModifiedDate")
        return cls(
            username=str(user.get("Username") or ""),
            status=str(user.get("UserStatus") or "UNKNOWN"),
            enabled=bool(user.get("Enabled", True)),
            email=attrs.get("email"),
            email_verified=_parse_bool(attrs.get("email_verified")),
            phone_number=attrs.get("phone_number"),
            phone_number_verified=_parse_bool(attrs.get("phone_number_verified")),
            created=created if isinstance(created, datetime) else None,
            last_modified=modified if isinstance(modified, datetime) else None,
            sub=attrs.get("sub"),
        )

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict; times as ISO-8601 strings."""
        return {
            "username": self.username,
            "status": self.status,
            "enabled": self.enabled,
            "email": self.email,
            "email_verified": self.email_verified,
            "phone_number": self.phone_number,
            "phone_number_verified": self.phone_number_verified,
            "created": self.created.isoformat() if self.created else None,
            "last_modified": self.last_modified.isoformat() if self.last_modified else None,
            "sub": self.sub,
        }


@dataclass(frozen=True, slots=True)
class LookupResult:
    """What a lookup came to: the users found, or why none could be."""

    users: tuple[UserSummary, ...] = ()
    failure: AdminFailure | None = None
    truncated: bool = False
    """True when more users match than the limit allowed."""
    pages: int = 0
    """ListUsers pages read (0 for AdminGetUser)."""
    case_only: bool = False
    """No exact match: *users* are those whose email differs from it only in letter
    case (found by a prefix search of the email in lower case)."""

    @property
    def ok(self) -> bool:
        """The call(s) succeeded (finding nobody is still ok)."""
        return self.failure is None


def get_user(
    gateway: AdminGateway, settings: AdminSettings, user_pool_id: str, username: str
) -> LookupResult:
    """AdminGetUser: the user's details; no users (and no failure) when there is no such user."""

    def invoke(client: CognitoClient) -> Any:
        return client.admin_get_user(UserPoolId=user_pool_id, Username=username)

    response, failure = gateway.call(settings, "AdminGetUser", invoke)
    if failure is not None:
        if failure.code == "UserNotFoundException":
            return LookupResult()
        return LookupResult(failure=failure)
    return LookupResult(users=(UserSummary.from_api(response, "UserAttributes"),))


def find_users(
    gateway: AdminGateway, settings: AdminSettings, user_pool_id: str, query: LookupQuery
) -> LookupResult:
    """ListUsers with the query's filter, page by page, up to ``query.limit`` users.

    An exact username the filter cannot carry goes to :func:`get_user`. Users
    found before a failing page are kept alongside the failure.
    """
    if not query.uses_filter:
        return get_user(gateway, settings, user_pool_id, query.value)
    result = _list_users(gateway, settings, user_pool_id, query)
    if result.users or result.failure is not None or query.prefix:
        return result
    if query.key is LookupKey.EMAIL and query.value.lower() != query.value:
        # Emails are searched as stored: "Alice@Example.com" misses alice@example.com.
        lowered = replace(query, value=query.value.lower(), prefix=True)
        near = _list_users(gateway, settings, user_pool_id, lowered)
        same = tuple(u for u in near.users if (u.email or "").lower() == query.value.lower())
        if same:
            return LookupResult(same, pages=result.pages + near.pages, case_only=True)
    return result


def _list_users(
    gateway: AdminGateway, settings: AdminSettings, user_pool_id: str, query: LookupQuery
) -> LookupResult:
    found: list[UserSummary] = []
    seen: set[str] = set()
    token: str | None = None
    pages = 0
    expression = query.filter_expression()
    while True:
        wanted = min(PAGE_SIZE, query.limit - len(found))
        params: dict[str, Any] = {"UserPoolId": user_pool_id, "Filter": expression}
        params["Limit"] = wanted
        if token:
            params["PaginationToken"] = token

        def invoke(client: CognitoClient, params: dict[str, Any] = params) -> Any:
            return client.list_users(**params)

        response, failure = gateway.call(settings, "ListUsers", invoke)
        if failure is not None:
            return LookupResult(tuple(found), failure=failure, pages=pages)
        pages += 1
        for user in response.get("Users") or []:
            summary = UserSummary.from_api(user)
            if summary.username in seen:
                continue
            seen.add(summary.username)
            found.append(summary)
        raw_token = response.get("PaginationToken")
        token = str(raw_token) if raw_token else None
        if len(found) >= query.limit:
            return LookupResult(
                tuple(found[: query.limit]), truncated=token is not None, pages=pages
            )
        if token is None or pages >= _MAX_PAGES:
            return LookupResult(tuple(found), truncated=token is not None, pages=pages)


def preflight_warning(user: UserSummary) -> str | None:
    """What to tell the operator before resending to *user*, or None when all looks right.

    A resend only makes sense for an enabled UNCONFIRMED user with an email or
    phone number to send to; anything else will fail or do nothing.
    """
    name = user.username
    if not user.enabled:
        return (
            f"{name} is disabled: a resend will fail (NotAuthorizedException); "
            "enable the user first if they should get a code"
        )
    if user.status == "CONFIRMED":
        return (
            f"{name} is already CONFIRMED: a resend will fail "
            "(InvalidParameterException: User is already confirmed); they can sign in"
        )
    if user.status != "UNCONFIRMED":
        return (
            f"{name} has status {user.status}: there is no sign-up to confirm, so a resend "
            "will fail or do nothing (a password reset may be what they need)"
        )
    if not user.email and not user.phone_number:
        return f"{name} has no email or phone number: there is nowhere to send a code"
    return None
