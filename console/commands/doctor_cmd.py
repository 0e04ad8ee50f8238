"""`cognito-console doctor`: why a "delivered" code may never arrive.

``doctor --username U`` runs every check for one user of the profile's pool
(in parallel, each within the console's timeouts); ``doctor --pool`` runs
only the pool-wide ones. Blocking causes print first, each with its remedy.
Needs AWS credentials (the profile's ``aws_profile`` or the standard chain);
a check whose permission is missing ends ``unknown`` naming it.

The user's real address is printed for the operator; ``--mask`` prints it
masked (for a ticket). Nothing is written to history.

Exit codes: 0 nothing blocks, 1 a check is blocking, 2 bad usage or config.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from console.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    add_common_options,
    err,
    load_config,
    open_history,
    out,
    print_json,
    safe,
    select_profile,
)

if TYPE_CHECKING:
    from console.cognito import CheckResult, DoctorReport

__all__ = ["add_parser", "format_check", "run"]

_MARKS = {"blocking": "BLOCKING", "warn": "WARN", "unknown": "UNKNOWN", "ok": "ok"}


def add_parser(sub: Any) -> None:
    """Add the `doctor` subcommand."""
    parser = sub.add_parser(
        "doctor",
        help='why a "delivered" code never arrived: checks the user, pool, SES, SNS and logs',
        description="Check everything between Cognito's \"delivered\" and the user's inbox or "
        "phone: the user, the pool's sending setup, the COGNITO_DEFAULT budget, SES (account, "
        "identity, suppression list, sandbox), SNS (SMS sandbox, opt-out, spend limit, "
        "origination number), Cognito's delivery error log and recent attempts. Needs AWS "
        "credentials; a missing permission is named. Exit codes: 0 nothing blocks, 1 a check "
        "is blocking, 2 bad usage or config.",
    )
    add_common_options(parser)
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--username", "-u", metavar="NAME", help="the user whose code did not arrive")
    who.add_argument("--pool", action="store_true", help="run only the pool-wide checks")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--mask",
        action="store_true",
        help="mask the user's email address and phone number (to paste into a ticket)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the doctor and print its report; exit 1 when a check is blocking."""
    from console.cognito import AdminGateway, RequestError, admin_settings, validate_username
    from console.usecases import HistoryCounts, run_doctor

    config = load_config(args)
    name, profile = select_profile(config, getattr(args, "profile", None))
    username: str | None = None if args.pool else args.username
    if username is not None:
        try:
            validate_username(username)
        except RequestError as exc:
            for problem in exc.problems:
                err(f"invalid input: --username: {problem.rule}")
            return EXIT_USAGE
    history = open_history(config)
    try:
        report = run_doctor(
            AdminGateway(),
            admin_settings(profile, config.console),
            profile=name,
            user_pool_id=profile.user_pool_id,
            username=username,
            history=None if history is None else HistoryCounts(history, name),
        )
    finally:
        if history is not None:
            history.close()
    if args.mask:
        report = report.redacted()
    if args.json:
        print_json(report.to_json())
    else:
        _print_human(report)
    return EXIT_FAILED if report.blocking else EXIT_OK


def format_check(check: CheckResult) -> list[str]:
    """One check as lines: status, id and title, evidence, remedy, permission, details."""
    mark = _MARKS.get(check.status.value, check.status.value)
    lines = [f"{mark:<8}  {safe(check.id)}: {safe(check.evidence)}"]
    lines.extend(f"          {safe(line)}" for line in check.details)
    if check.permission:
        lines.append(f"          missing permission: {safe(check.permission)}")
    if check.remedy and check.status.value != "ok":
        lines.append(f"          fix: {safe(check.remedy)}")
    return lines


def _print_human(report: DoctorReport) -> None:
    who = f"{safe(report.username)} in " if report.username is not None else "the pool "
    out(f"doctor: {who}{safe(report.user_pool_id)} (profile {safe(report.profile)})")
    for check in report.ordered():
        for line in format_check(check):
            out(line)
    blocking = len(report.blocking)
    verdict = report.verdict.value
    if blocking:
        verdict += f": {blocking} {'causes stop' if blocking != 1 else 'cause stops'} delivery"
    out(f"verdict: {verdict} ({report.elapsed_ms:.0f} ms)")
