"""`cognito-console team`: set up and look after the team's shared history on DynamoDB.

- ``team init``: create the ``[team]`` table (or check an existing one);
- ``team status``: how many local attempts the team has not received, and why;
- ``team sync``: send them now;
- ``team stats``: the team's last 24 hours.

``history --team``, ``history export --team`` and ``history push`` are
parsed by :mod:`console.commands.history_cmd` and run here.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

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
    stats = actions.add_parser(
        "stats",
        help="the team's last 24 hours",
        description="Outcomes per hour over the last 24 hours, the top error codes, and the "
        "busiest users and operators, from the team table.",
    )
    add_common_options(stats, profile=False)
    stats.add_argument("--json", action="store_true", help="one JSON object")
    stats.set_defaults(handler=run_stats)


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
    from console.history import HistoryError, init_table

    config = load_config(args)
    team = _team(config)
    client = _client(config)
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
    """Drain the queue for up to --timeout, every attempt tried again at once."""
    sent = _send_queued(args, float(args.timeout), queue_all=False)
    if sent is None:
        return EXIT_FAILED
    _added, total, left, last_error = sent
    out(f"sent {total - left} of {total}; {left} waiting")
    if left and last_error:
        err(f"last upload error: {safe(last_error)}")
    return EXIT_OK if left == 0 else EXIT_FAILED


def _send_queued(
    args: argparse.Namespace, timeout_s: float, *, queue_all: bool
) -> tuple[int, int, int, str | None] | None:
    """End every backoff (the operator asked to send now), queue every local attempt
    too with *queue_all*, and upload for up to *timeout_s*.

    Returns (newly queued, waiting before, waiting after, the last upload
    error), or None when the history cannot be opened (already said).
    """
    from console.history import HistoryError, enqueue_all, make_due_now
    from console.usecases import open_team

    config = load_config(args)
    _team(config)
    history = open_history(config)
    if history is None:
        return None
    try:
        with history.connection("team queue not updated", write=True) as conn:
            added = enqueue_all(conn) if queue_all else 0
            make_due_now(conn)
        uploader = open_team(config, history)
        assert uploader is not None  # _team checked [team]
        total = uploader.waiting()
        uploader.drain(timeout_s)
        left = uploader.waiting()
    except HistoryError as exc:
        raise CommandError(safe(str(exc)), EXIT_FAILED) from None
    finally:
        history.close()
    return added, total, left, uploader.last_error


def _client(config: AppConfig) -> Any:
    from console.history import team_client

    return team_client(
        _team(config),
        connect_timeout=config.console.connect_timeout,
        read_timeout=config.console.read_timeout,
    )


def _team_read(config: AppConfig, read: Any) -> Any:
    """Run *read* (a call to the table); a refused or failed call exits 1 with one line."""
    from botocore.exceptions import BotoCoreError, ClientError

    team = _team(config)
    try:
        return read()
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code, message = error.get("Code", "Error"), error.get("Message", "")
        raise CommandError(
            f"team table {safe(team.table)}: {safe(code)}: {safe(message)}", EXIT_FAILED
        ) from None
    except BotoCoreError as exc:
        raise CommandError(
            f"team table {safe(team.table)}: {safe(str(exc))}", EXIT_FAILED
        ) from None


def _team_filter(args: argparse.Namespace) -> Any:
    from console.history import TeamFilter

    return TeamFilter(
        username=args.user or None,
        profile=getattr(args, "filter_profile", None),
        outcome=args.outcome,
        operator=args.operator or None,
    )


def team_list(args: argparse.Namespace) -> int:
    """`history --team`: the team's newest attempts matching the filters."""
    from console.history import team_attempts

    config = load_config(args)
    client = _client(config)
    table = _team(config).table
    rows = _team_read(
        config, lambda: team_attempts(client, table, _team_filter(args), limit=args.limit)
    )
    if args.json:
        for row in rows:
            print_json(row)
        return EXIT_OK
    if not rows:
        out("no team attempts found" + (" matching the filters" if _filtered(args) else ""))
        return EXIT_OK
    out(f"{'time (UTC)':19}  {'operator':12}  {'profile':14}  {'user':20}  {'outcome':9}  detail")
    for row in rows:
        when = str(row.get("started_at", ""))[:19].replace("T", " ")
        if row.get("outcome") == "delivered":
            detail = f"{row.get('medium', '')} {row.get('destination', '')}"
        else:
            detail = f"{row.get('error_code', '')}: {row.get('error_message', '')}".strip(": ")
        out(
            f"{safe(when):19}  {safe(row.get('operator'))[:12]:12}  "
            f"{safe(row.get('profile'))[:14]:14}  {safe(row.get('username'))[:20]:20}  "
            f"{safe(row.get('outcome'))[:9]:9}  {safe(detail)[:80]}"
        )
    return EXIT_OK


def _filtered(args: argparse.Namespace) -> bool:
    return any(getattr(args, n, None) for n in ("user", "outcome", "operator", "filter_profile"))


def team_export(args: argparse.Namespace, target: Path | TextIO) -> int:
    """`history export --team`: up to 100,000 team attempts matching the filters."""
    from console.history import TEAM_FIELDS, team_attempts, write_export

    config = load_config(args)
    client = _client(config)
    table = _team(config).table
    rows = _team_read(
        config, lambda: team_attempts(client, table, _team_filter(args), limit=100_000)
    )
    try:
        count = write_export(rows, TEAM_FIELDS, target, args.format)
    except OSError as exc:
        raise CommandError(
            f"--output: team history not exported: {exc.strerror or exc}", 1
        ) from None
    if args.output:
        err(f"exported {count} team attempts to {safe(args.output)}")
    return EXIT_OK


def push_history(args: argparse.Namespace) -> int:
    """`history push`: queue every local attempt for the team, then send for up to --timeout."""
    sent = _send_queued(args, float(args.timeout), queue_all=True)
    if sent is None:
        return EXIT_FAILED
    added, total, left, last_error = sent
    out(
        f"pushed {total - left} of {total} attempts ({added} newly queued); {left} waiting. "
        "The team table keeps one item per attempt: any it had are unchanged."
    )
    if left and last_error:
        err(f"last upload error: {safe(last_error)}")
    return EXIT_OK if left == 0 else EXIT_FAILED


def run_stats(args: argparse.Namespace) -> int:
    """`team stats`: the last 24 hours as a text chart (or JSON)."""
    from console.history import team_stats

    config = load_config(args)
    client = _client(config)
    table = _team(config).table
    stats = _team_read(config, lambda: team_stats(client, table))
    if args.json:
        print_json(stats.to_dict())
        return EXIT_OK
    out(f"team table {safe(table)}: {stats.total} attempts since {stats.since[:16]}Z")
    for outcome in ("delivered", "failed", "unknown", "pending"):
        counts = stats.per_hour.get(outcome)
        if counts:
            out(f"  {outcome:9} {_sparkline(counts)}  {sum(counts)}")
    for title, rows in (
        ("top errors", stats.errors),
        ("busiest users", stats.users),
        ("busiest operators", stats.operators),
    ):
        if rows:
            out(f"  {title}: " + ", ".join(f"{safe(name)} {n}" for name, n in rows))
    return EXIT_OK


_BARS = " ▁▂▃▄▅▆▇█"


def _sparkline(counts: list[int]) -> str:
    """One character per hour, its height the hour's count against the busiest hour's."""
    top = max(counts) or 1
    return "".join(_BARS[0 if n == 0 else max(1, round(n / top * 8))] for n in counts)
