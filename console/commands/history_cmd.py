"""`cognito-console history`: past attempts, newest first, and their export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from console.commands.common import (
    EXIT_OK,
    CommandError,
    TerminalSafeStream,
    add_common_options,
    err,
    load_config,
    out,
    print_json,
    safe,
)

if TYPE_CHECKING:
    from console.history import AttemptRecord, HistoryFilter

OUTCOMES = ("delivered", "failed", "unknown", "pending")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= 100_000:
        raise argparse.ArgumentTypeError("must be between 1 and 100000")
    return value


def _add_filters(parser: argparse.ArgumentParser) -> None:
    add_common_options(parser, profile=False)
    parser.add_argument("--user", metavar="TEXT", help="username contains TEXT (any case)")
    parser.add_argument(
        "--profile", metavar="NAME", dest="filter_profile", help="only this profile"
    )
    parser.add_argument("--outcome", choices=OUTCOMES, help="only this outcome")
    parser.add_argument(
        "--team", action="store_true", help="the team's shared history ([team] table), not ours"
    )
    parser.add_argument(
        "--operator", metavar="NAME", help="with --team: only this operator's attempts"
    )


def add_parser(sub: Any) -> None:
    """Add `history` and `history export`."""
    parser = sub.add_parser(
        "history",
        help="list past attempts (newest first) or export them",
        description="List past attempts, newest first. `history export` writes CSV or JSON.",
    )
    _add_filters(parser)
    parser.add_argument("--limit", type=_positive, default=20, help="how many (default 20)")
    parser.add_argument("--json", action="store_true", help="one JSON object per attempt, per line")
    parser.set_defaults(handler=run_list)
    actions = parser.add_subparsers(dest="history_action", metavar="ACTION")
    export = actions.add_parser(
        "export", help="export attempts as CSV or JSON", description="Export attempts."
    )
    _add_filters(export)
    export.add_argument("--format", choices=("csv", "json"), required=True)
    export.add_argument("--output", "-o", metavar="FILE", help="file to write (default stdout)")
    export.set_defaults(handler=run_export)
    push = actions.add_parser(
        "push",
        help="upload the local history to the team table",
        description="Upload every attempt of the local history to the [team] table: for a "
        "history that predates [team]. Safe to repeat: the team keeps one item per attempt. "
        "Exit 0 when all are sent, 1 when some still wait (they stay queued).",
    )
    add_common_options(push, profile=False)
    push.add_argument(
        "--timeout", type=_positive, default=600, metavar="SECONDS",
        help="give up after this long (default 600); what is not sent stays queued",
    )  # fmt: skip
    push.set_defaults(handler=run_push)


def _filter(args: argparse.Namespace) -> HistoryFilter:
    from console.history import HistoryFilter

    return HistoryFilter(
        username=args.user or None,
        profile=getattr(args, "filter_profile", None),
        outcome=args.outcome,
    )


def _open(args: argparse.Namespace) -> Any:
    from console.history import History, HistoryError

    config = load_config(args)
    try:
        history = History.open(config.console.history_path)
    except HistoryError as exc:
        raise CommandError(f"history: {exc}", exit_code=1) from None
    for warning in history.warnings:
        err(f"warning: {warning}")
    return history


def _detail(record: AttemptRecord) -> str:
    if record.outcome == "delivered":
        return f"{record.medium} {record.destination}"
    if record.error_code:
        return f"{record.error_code}: {record.error_message or ''}"
    return ""


def _team_or_local(args: argparse.Namespace) -> bool:
    """Whether --team was given; --operator without it is bad usage."""
    if getattr(args, "operator", None) and not args.team:
        raise CommandError("--operator: only with --team (the local history is all yours)")
    return bool(args.team)


def run_list(args: argparse.Namespace) -> int:
    """Print the newest attempts matching the filters."""
    if _team_or_local(args):
        from console.commands.team_cmd import team_list

        return team_list(args)
    with _open(args) as history:
        records = history.query(_filter(args), limit=args.limit)
    if args.json:
        for record in records:
            print_json(record.to_dict())
        return EXIT_OK
    if not records:
        out("no attempts recorded" + (" matching the filters" if args.user or args.outcome else ""))
        return EXIT_OK
    out(f"{'#':>6}  {'time (UTC)':19}  {'profile':14}  {'user':20}  {'outcome':9}  detail")
    for r in records:
        when = r.started_at[:19].replace("T", " ")
        out(
            f"{r.id:>6}  {when:19}  {safe(r.profile)[:14]:14}  {safe(r.username)[:20]:20}  "
            f"{r.outcome:9}  {safe(_detail(r))[:80]}"
        )
    return EXIT_OK


def _export_target(args: argparse.Namespace) -> Path | TextIO:
    if args.output:
        return Path(args.output)
    if sys.stdout.isatty():
        return cast("TextIO", TerminalSafeStream(sys.stdout))
    return sys.stdout


def run_push(args: argparse.Namespace) -> int:
    """Queue every local attempt for the team and send them."""
    from console.commands.team_cmd import push_history

    return push_history(args)


def run_export(args: argparse.Namespace) -> int:
    """Write the matching attempts as CSV or JSON to a file or stdout."""
    from console.history import HistoryError

    if _team_or_local(args):
        from console.commands.team_cmd import team_export

        return team_export(args, _export_target(args))
    with _open(args) as history:
        target = _export_target(args)
        try:
            count = history.export(target, args.format, _filter(args))
        except HistoryError as exc:
            raise CommandError(f"--output: {exc}", exit_code=1) from None
        if args.output:
            err(f"exported {count} attempts to {args.output}")
    return EXIT_OK
