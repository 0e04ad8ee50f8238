"""`cognito-console team`: set up and look after the team's shared history on DynamoDB.

- ``team init``: create the ``[team]`` table (or check an existing one);
- ``team status``: how many local attempts the team has not received, and why;
- ``team sync``: send them now.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from console.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    CommandError,
    add_common_options,
    err,
    load_config,
    open_history,
    out,
    print_json,
    safe,
)

if TYPE_CHECKING:
    from console.config import AppConfig, TeamSettings


def add_parser(sub: Any) -> None:
    """Add the `team` subcommand and its actions."""
    parser = sub.add_parser(
        "team",
        help="the team's shared history on DynamoDB",
        description="Set up and look after the team's shared history (the [team] table "
        "of the config; see docs/team.md).",
    )
    add_common_options(parser, profile=False)
    actions = parser.add_subparsers(dest="team_action", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        help="create the team table, or check an existing one",
        description="Create the [team] table (on-demand billing, two indexes, TTL, "
        "point-in-time recovery) and wait until it is ACTIVE; or check that an existing "
        "table has the shape the console needs. Exit 0 ready, 1 refused or wrong shape.",
    )
    add_common_options(init, profile=False)
    init.add_argument(
        "--wait", type=_seconds, default=300.0, metavar="SECONDS",
        help="how long to wait for the table to be ACTIVE (default 300)",
    )  # fmt: skip
    init.set_defaults(handler=run_init)
    status = actions.add_parser(
        "status",
        help="attempts the team has not received yet",
        description="How many attempts in the local history wait for the team table, and why.",
    )
    add_common_options(status, profile=False)
    status.add_argument("--json", action="store_true", help="one JSON object")
    status.set_defaults(handler=run_status)
    sync = actions.add_parser(
        "sync",
        help="send waiting attempts to the team table now",
        description="Send the attempts that wait for the team table. Exit 0 when none is "
        "left waiting, 1 when some still wait (the reason is printed).",
    )
    add_common_options(sync, profile=False)
    sync.add_argument(
        "--timeout", type=_seconds, default=60.0, metavar="SECONDS",
        help="give up after this long (default 60); what is not sent stays queued",
    )  # fmt: skip
    sync.set_defaults(handler=run_sync)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError("should be more than 0 and at most 3600 seconds")
    return value


def _team(config: AppConfig) -> TeamSettings:
    if config.team is None:
        where = config.source or "the config"
        raise CommandError(
            f"{safe(where)}: no [team] table; add one (see config.example.toml, docs/team.md)"
        )
    return config.team


def run_init(args: argparse.Namespace) -> int:
    """Create or check the team table; print what was done and what was skipped."""
    from console.history import HistoryError, init_table, team_client

    config = load_config(args)
    team = _team(config)
    client = team_client(
        team,
        connect_timeout=config.console.connect_timeout,
        read_timeout=config.console.read_timeout,
    )
    try:
        report = init_table(client, team.table, wait_s=args.wait, progress=lambda s: err(safe(s)))
    except HistoryError as exc:
        err(safe(str(exc)))
        return EXIT_FAILED
    where = safe(team.endpoint_url or f"DynamoDB in {team.region}")
    verb = "created" if report.status == "created" else "checked"
    out(f"team table {safe(team.table)} {verb} at {where}: ACTIVE")
    for warning in report.warnings:
        err(f"warning: {safe(warning)}")
    return EXIT_OK


def run_status(args: argparse.Namespace) -> int:
    """Print the queue's size and newest upload error."""
    from console.history import queue_size

    config = load_config(args)
    team = _team(config)
    history = open_history(config)
    if history is None:
        return EXIT_FAILED
    try:
        with history.connection("team queue not read") as conn:
            waiting, error = queue_size(conn)
    finally:
        history.close()
    if args.json:
        print_json({"table": team.table, "waiting": waiting, "last_error": error})
    else:
        out(
            f"team table {safe(team.table)}: {waiting} attempt{'s' if waiting != 1 else ''} waiting"
        )
        if error:
            out(f"  last upload error: {safe(error)}")
    return EXIT_OK


def run_sync(args: argparse.Namespace) -> int:
    """Drain the queue for up to --timeout."""
    from console.usecases import open_team

    config = load_config(args)
    _team(config)
    history = open_history(config)
    if history is None:
        return EXIT_FAILED
    try:
        uploader = open_team(config, history)
        assert uploader is not None  # _team checked [team]
        before = uploader.waiting()
        done = uploader.drain(args.timeout)
        left = uploader.waiting()
    finally:
        history.close()
    out(f"sent {before - left} of {before}; {left} waiting")
    if not done and uploader.last_error:
        err(f"last upload error: {safe(uploader.last_error)}")
    return EXIT_OK if left == 0 else EXIT_FAILED
