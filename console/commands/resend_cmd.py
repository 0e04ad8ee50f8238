"""`cognito-console resend`: one ResendConfirmationCode call from the shell."""

from __future__ import annotations

import argparse
import gc
import sys
from typing import TYPE_CHECKING, Any

from console.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    CommandError,
    add_common_options,
    cli_field,
    err,
    load_config,
    metadata_rows,
    open_history,
    out,
    print_json,
    result_json,
    safe,
    select_profile,
)

if TYPE_CHECKING:
    from console.config import AppConfig
    from console.history import History
    from console.usecases import AttemptResult


def add_parser(sub: Any) -> None:
    """Add the `resend` subcommand."""
    parser = sub.add_parser(
        "resend",
        help="resend a sign-up confirmation code",
        description="Resend a sign-up confirmation code and say where it went or why not. "
        "Exit codes: 0 delivered, 1 failed or outcome unknown, 2 bad usage, config or input.",
    )
    add_common_options(parser)
    parser.add_argument(
        "--username", "-u", help="the user's username (exact); or --from-file for many"
    )
    parser.add_argument(
        "--meta",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="ClientMetadata entry for the CustomMessage trigger (repeatable; "
        "overrides the profile's default for the same key)",
    )
    parser.add_argument("--analytics-endpoint-id", metavar="ID", help="AnalyticsEndpointId")
    parser.add_argument("--client-id", metavar="ID", help="override the profile's client_id")
    parser.add_argument("--ip-address", metavar="IP", help="UserContextData.IpAddress")
    parser.add_argument("--encoded-data", metavar="DATA", help="UserContextData.EncodedData")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--force",
        action="store_true",
        help="with [team]: send even when the team already sent the user 5 codes this hour",
    )
    from console.commands.bulk_cmd import add_bulk_arguments

    add_bulk_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Validate, send, print; the exit code says what happened."""
    from console.commands.bulk_cmd import bulk_requested

    if bulk_requested(args):
        return _run(args)  # a batch runs for minutes: it keeps the collector
    # One call, then exit. Loading pydantic, the config and botocore's service
    # model makes ~100,000 objects that all live to the end; the cyclic
    # collector would walk them again and again for nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        if collecting:
            gc.enable()


def _run(args: argparse.Namespace) -> int:
    from console.cognito import Gateway, RequestError, build_request
    from console.commands.bulk_cmd import bulk_requested, run_bulk
    from console.config import ConfigError
    from console.usecases import ask_whether_simulated, client_settings, perform_resend

    bulk = bulk_requested(args)  # exit 2 for --username with --from-file, or neither
    config = load_config(args)
    name, profile = select_profile(config, getattr(args, "profile", None))
    if bulk:
        return run_bulk(args, config, name, profile)
    try:
        secret = profile.resolve_secret(name)
    except ConfigError as exc:
        raise CommandError(str(exc)) from None
    analytics = args.analytics_endpoint_id
    if analytics is None:
        analytics = profile.analytics_endpoint_id
    rows, from_profile = metadata_rows(dict(profile.client_metadata), args.meta)
    try:
        request = build_request(
            client_id=args.client_id if args.client_id is not None else profile.client_id,
            username=args.username,
            client_metadata=rows,
            analytics_endpoint_id=analytics,
            ip_address=args.ip_address,
            encoded_data=args.encoded_data,
            secret=secret,
        )
    except RequestError as exc:
        for problem in exc.problems:
            field = cli_field(problem.field, profile_name=name, from_profile=from_profile)
            err(f"invalid input: {field}: {problem.rule}")
        return 2
    if config.team is not None:
        _check_recent_sends(config, profile.user_pool_id, request.username, force=args.force)
    # Asked before the call (DescribeUserPoolClient, when credentials exist):
    # a delivery then says whether it may be simulated, or that nobody can tell.
    simulated = ask_whether_simulated(name, profile, config.console, request.client_id)
    deferred: list[str] = []
    history = open_history(config, deferred=deferred)
    try:
        result = perform_resend(
            Gateway(),
            history,
            profile_name=name,
            profile=profile,
            settings=client_settings(profile, config.console),
            request=request,
            may_simulate=simulated,
        )
        if args.json:
            print_json(result_json(result, profile=name, username=request.username))
        else:
            _print_human(result, profile=name, username=request.username)
        for note in [*deferred, *filter(None, [result.history_problem])]:
            err(note)
        if history is not None and config.team is not None:
            sys.stdout.flush()  # the result is out before the team upload starts
            _share_with_team(config, history, result.history_id)
    finally:
        if history is not None:
            history.close()
    return EXIT_OK if result.outcome.ok else EXIT_FAILED


def _check_recent_sends(config: AppConfig, pool: str, username: str, *, force: bool) -> None:
    """Say what the team sent this user in the last hour; at the limit, stop unless --force."""
    from datetime import UTC, datetime

    from console.history import LIMIT_PER_HOUR, default_operator
    from console.usecases import operator_name, team_recent

    recent, problem = team_recent(config, pool, username)
    if recent is None:
        if problem:
            err(safe(problem))
        return
    me = operator_name(config.team, default_operator())
    err(safe(recent.summary(me, datetime.now(UTC))))
    if recent.at_limit and not force:
        raise CommandError(
            f"not sent: Cognito allows about {LIMIT_PER_HOUR} codes an hour per user, so another "
            f"now would likely fail with LimitExceededException and keep {safe(username)} waiting "
            "longer; send anyway with --force"
        )


def _share_with_team(config: AppConfig, history: History, attempt_id: int | None) -> None:
    """Upload this attempt to the team's table, within the console's read timeout."""
    from console.usecases import open_team, upload_at_exit

    uploader = open_team(config, history)
    if uploader is None:
        return
    problem = upload_at_exit(uploader, attempt_id, config.console.read_timeout)
    if problem is not None:
        err(safe(problem))


def _print_human(result: AttemptResult, *, profile: str, username: str) -> None:
    outcome = result.outcome
    if outcome.delivery is not None:
        d = outcome.delivery
        out(f"delivered: {safe(d.medium)} to {safe(d.destination)} ({safe(d.attribute)})")
    elif outcome.error is not None:
        e = outcome.error
        label = "outcome unknown" if outcome.kind.value == "unknown" else "failed"
        status = f" (HTTP {e.http_status})" if e.http_status is not None else ""
        out(f"{label}: {safe(e.code)}{status}: {safe(e.message)}")
        out(f"  meaning:    {safe(e.meaning)}")
        out(f"  what to do: {safe(e.remedy)}")
    for note in outcome.notes:
        out(f"  note: {safe(note)}")
    facts = [f"profile {safe(profile)}", f"user {safe(username)}"]
    if outcome.request_id:
        facts.append(f"request id {safe(outcome.request_id)}")
    facts.append(f"{outcome.latency_ms:.0f} ms")
    if result.history_id is not None:
        facts.append(f"history #{result.history_id}")
    out("  " + " · ".join(facts))
