"""`cognito-console lookup`: find users by username, email or phone number.

Needs AWS credentials (the profile's ``aws_profile`` or the standard chain)
and ``cognito-idp:ListUsers`` (``cognito-idp:AdminGetUser`` for an exact
username ListUsers' filter cannot carry). Exit codes: 0 found, 1 nobody
found or the call failed, 2 bad usage, config or input.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING, Any

from console.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    add_common_options,
    err,
    load_config,
    out,
    print_json,
    safe,
    select_profile,
)

if TYPE_CHECKING:
    from console.cognito import LookupQuery, LookupResult, UserSummary

__all__ = ["add_parser", "run"]

_FLAGS = {"username": "--username", "email": "--email", "phone": "--phone", "limit": "--limit"}


def _limit(text: str) -> int:
    from console.cognito import MAX_LIMIT

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_LIMIT}")
    return value


def add_parser(sub: Any) -> None:
    """Add the `lookup` subcommand."""
    parser = sub.add_parser(
        "lookup",
        help="find users by username, email or phone number (needs AWS credentials)",
        description="Find users with ListUsers (exact, or by prefix with --prefix) and show "
        "their status, enabled flag, verified attributes and times. Needs AWS credentials "
        "from the profile's aws_profile or the standard chain, and cognito-idp:ListUsers. "
        "Exit codes: 0 found, 1 nobody found or the call failed, 2 bad usage, config or input.",
    )
    add_common_options(parser)
    key = parser.add_mutually_exclusive_group(required=True)
    key.add_argument("--username", "-u", metavar="NAME", help="the username")
    key.add_argument("--email", "-e", metavar="ADDRESS", help="the email address")
    key.add_argument("--phone", "-p", metavar="NUMBER", help="the phone number, e.g. +15555550100")
    parser.add_argument(
        "--prefix", action="store_true", help="match values starting with the text given"
    )
    parser.add_argument(
        "--limit", type=_limit, default=None, metavar="N", help="most users to show (default 50)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def _query(args: argparse.Namespace) -> LookupQuery:
    from console.cognito import DEFAULT_LIMIT, LookupKey, RequestError, build_query

    if args.username is not None:
        key, value = LookupKey.USERNAME, args.username
    elif args.email is not None:
        key, value = LookupKey.EMAIL, args.email
    else:
        key, value = LookupKey.PHONE, args.phone
    try:
        return build_query(key, value, prefix=args.prefix, limit=args.limit or DEFAULT_LIMIT)
    except RequestError as exc:
        for problem in exc.problems:
            err(f"invalid input: {_FLAGS.get(problem.field, problem.field)}: {problem.rule}")
        raise _UsageExit from None


class _UsageExit(Exception):
    pass


def run(args: argparse.Namespace) -> int:
    """Look the user up and print the matches; the exit code says what happened."""
    from console.cognito import admin_settings, find_users, gateway_for

    config = load_config(args)
    name, profile = select_profile(config, getattr(args, "profile", None))
    try:
        query = _query(args)
    except _UsageExit:
        return EXIT_USAGE
    settings = admin_settings(profile, config.console)
    result = find_users(gateway_for(settings), settings, profile.user_pool_id, query)
    if args.json:
        print_json(_as_json(result, query, profile=name))
    else:
        _print_human(result, query)
    if result.failure is not None:
        err(f"lookup failed: {result.failure.message}")
        return EXIT_FAILED
    return EXIT_OK if result.users and not result.case_only else EXIT_FAILED


def _as_json(result: LookupResult, query: LookupQuery, *, profile: str) -> dict[str, Any]:
    from console.cognito import preflight_warning

    return {
        "profile": profile,
        "query": {
            "key": query.key.value,
            "value": query.value,
            "prefix": query.prefix,
            "limit": query.limit,
        },
        "users": [{**u.to_json(), "warning": preflight_warning(u)} for u in result.users],
        "count": len(result.users),
        "truncated": result.truncated,
        "error": None if result.failure is None else result.failure.to_json(),
    }


def _time(value: datetime | None) -> str:
    if value is None:
        return "-"
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def _verified(value: str | None, verified: bool | None) -> str:
    if not value:
        return "-"
    mark = {True: "verified", False: "not verified", None: "verification unknown"}[verified]
    return f"{safe(value)} ({mark})"


def _user_lines(user: UserSummary) -> list[str]:
    from console.cognito import preflight_warning

    state = "enabled" if user.enabled else "DISABLED"
    lines = [
        f"{safe(user.username)}  {safe(user.status)}  {state}",
        f"  email: {_verified(user.email, user.email_verified)}",
        f"  phone: {_verified(user.phone_number, user.phone_number_verified)}",
        f"  created {_time(user.created)} · modified {_time(user.last_modified)}"
        + (f" · sub {safe(user.sub)}" if user.sub else ""),
    ]
    warning = preflight_warning(user)
    if warning:
        lines.append(f"  warning: {safe(warning)}")
    return lines


def _print_human(result: LookupResult, query: LookupQuery) -> None:
    for user in result.users:
        for line in _user_lines(user):
            out(line)
    if result.failure is not None and not result.users:
        return
    count = len(result.users)
    if count == 0:
        out(f"no user with {safe(query.describe())}")
        return
    if result.case_only:
        out(
            f"no user with {safe(query.describe())}: the email above differs only in letter "
            f"case (found with --prefix on the email in lower case)"
        )
        return
    more = f" (more match: raise --limit above {query.limit})" if result.truncated else ""
    out(f"{count} user{'s' if count != 1 else ''} with {safe(query.describe())}{more}")
