"""`cognito-console resend --from-file FILE`: the bulk side of `resend`.

``resend`` calls :func:`run_bulk` when ``--from-file`` is given. Progress goes
to stderr (a bar on a terminal, a line every so many users otherwise); with
``--json`` stdout gets one object per attempt (``resend --json``'s shape plus
``batch_id``, ``line`` and ``will_retry``) and then one summary object.
Ctrl+C stops cleanly: calls in flight finish and are recorded, and the batch
can be resumed with ``--batch-id``. Exit codes: 0 every user delivered, 1
otherwise (or stopped), 2 bad usage, config or input.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from console.commands.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    err,
    open_history,
    out,
    print_json,
    result_json,
    safe,
)

if TYPE_CHECKING:
    from console.bulk import BatchProgress, BatchSummary, BulkRow
    from console.config import AppConfig, Profile
    from console.usecases import AttemptResult

__all__ = ["add_bulk_arguments", "bulk_requested", "run_bulk"]

BATCH_ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"
_SHOWN_FAILURES = 20
_BULK_ONLY = (
    ("rate", "--rate"),
    ("batch_id", "--batch-id"),
    ("failures_csv", "--failures-csv"),
    ("new_batch", "--new-batch"),
    ("retry_failed", "--retry-failed"),
)


def _rate(text: str) -> float:
    from console.bulk import MAX_RATE

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= MAX_RATE:
        raise argparse.ArgumentTypeError(
            f"must be requests per second above 0 and at most {MAX_RATE:g}, got {text}"
        )
    return value


def _batch_id(text: str) -> str:
    if not re.fullmatch(BATCH_ID_PATTERN, text):
        raise argparse.ArgumentTypeError("letters, digits and . _ : - only, at most 64 characters")
    return text


def add_bulk_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --from-file, --rate, --batch-id and --failures-csv to the resend parser."""
    group = parser.add_argument_group("bulk resend")
    group.add_argument(
        "--from-file",
        metavar="FILE",
        help="resend to every user in FILE: users.txt (one username a line, # comments) "
        "or users.csv (a username column, else the first column)",
    )
    group.add_argument(
        "--rate",
        type=_rate,
        metavar="N",
        help="bulk: requests per second (default 5)",
    )
    group.add_argument(
        "--batch-id",
        type=_batch_id,
        metavar="ID",
        help="bulk: the batch id; give an earlier one to resume it (users already "
        "delivered in it are skipped); an id the history does not know needs --new-batch",
    )
    group.add_argument(
        "--new-batch",
        action="store_const",
        const=True,
        help="bulk: start a new batch under the --batch-id given",
    )
    group.add_argument(
        "--retry-failed",
        action="store_const",
        const=True,
        help="bulk: on resume, send again to users that failed for good in the batch "
        "(already confirmed, nowhere to send), skipped otherwise",
    )
    group.add_argument(
        "--failures-csv",
        metavar="FILE",
        help="bulk: write the users not delivered to FILE as CSV (it can be fed back in)",
    )


def bulk_requested(args: argparse.Namespace) -> bool:
    """True for a bulk run; CommandError (exit 2) for a mix that makes no sense."""
    from_file = getattr(args, "from_file", None)
    username = getattr(args, "username", None)
    if from_file is not None:
        if username is not None:
            raise CommandError("resend: give --username or --from-file, not both")
        return True
    for dest, flag in _BULK_ONLY:
        if getattr(args, dest, None) is not None:
            raise CommandError(f"resend: {flag} only goes with --from-file")
    if username is None:
        raise CommandError("resend: give --username NAME, or --from-file FILE for many users")
    return False


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


class ProgressPrinter:
    """Draws progress on *stream*: a redrawn bar on a terminal, else a line every *every*."""

    def __init__(self, stream: TextIO, *, tty: bool | None = None, every: int | None = None):
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.every = every
        self._last_draw = 0.0
        self._last_done = -1
        self._drawn = False

    def __call__(self, progress: BatchProgress) -> None:
        total = progress.total
        every = self.every or max(1, min(100, total // 10 or 1))
        if self.tty:
            now = time.monotonic()
            if progress.done < total and now - self._last_draw < 0.1:
                return
            self._last_draw = now
            width = 30
            filled = int(width * progress.fraction)
            bar = "#" * filled + "-" * (width - filled)
            self.stream.write(f"\r[{bar}] {progress.line()}\x1b[K")
            self.stream.flush()
            self._drawn = True
        elif progress.done != self._last_done and (
            progress.done % every == 0 or progress.done == total
        ):
            self._last_done = progress.done
            self.stream.write(f"bulk: {progress.line()}\n")
            self.stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def _request_maker(args: argparse.Namespace, name: str, profile: Profile, first: str) -> Any:
    """The per-user request builder, its shared fields checked once (exit 2 if bad)."""
    from console.bulk import request_maker
    from console.cognito import RequestError
    from console.commands.common import cli_field, metadata_rows
    from console.config import ConfigError

    try:
        secret = profile.resolve_secret(name)
    except ConfigError as exc:
        raise CommandError(str(exc)) from None
    analytics = getattr(args, "analytics_endpoint_id", None)
    client_id = getattr(args, "client_id", None)
    rows, from_profile = metadata_rows(dict(profile.client_metadata), getattr(args, "meta", []))
    make = request_maker(
        client_id=client_id if client_id is not None else profile.client_id,
        client_metadata=rows,
        analytics_endpoint_id=analytics if analytics is not None else profile.analytics_endpoint_id,
        ip_address=getattr(args, "ip_address", None),
        encoded_data=getattr(args, "encoded_data", None),
        secret=secret,
    )
    try:
        make(first)
    except RequestError as exc:
        shared = [p for p in exc.problems if p.field != "username"]
        if shared:
            for problem in shared:
                field = cli_field(problem.field, profile_name=name, from_profile=from_profile)
                err(f"invalid input: {field}: {problem.rule}")
            raise CommandError("resend: nothing sent", EXIT_USAGE) from None
    return make


def _checked_batch_id(args: argparse.Namespace, history: Any, name: str, profile: Profile) -> str:
    """The batch id to run under: a new one, or one the history knows from this profile."""
    from console.bulk import check_resume, new_batch_id

    if args.batch_id is None:
        if args.new_batch:
            raise CommandError("resend: --new-batch goes with --batch-id ID")
        return str(new_batch_id())
    client_id = getattr(args, "client_id", None) or profile.client_id
    try:
        check = check_resume(history, args.batch_id, name, client_id)
    except Exception as exc:  # HistoryError: resuming blind could send twice
        history.close()
        raise CommandError(f"--batch-id: history not read, nothing sent: {exc}", 1) from None
    problem = None
    if args.new_batch and check.exists:
        problem = f"--new-batch: batch {safe(args.batch_id)} is in the history already; "
        problem += "leave out --new-batch to resume it"
    elif not args.new_batch and not check.exists:
        problem = f"--batch-id: no batch {safe(args.batch_id)} in the history; "
        problem += "add --new-batch to start one with this id"
    elif check.problem is not None:
        problem = f"--batch-id: {check.problem}"
    if problem is not None:
        history.close()
        raise CommandError(problem)
    return str(args.batch_id)


def run_bulk(args: argparse.Namespace, config: AppConfig, name: str, profile: Profile) -> int:
    """Resend to every user of ``args.from_file``; the exit code says whether all were delivered."""
    from console.bulk import DEFAULT_RATE, BulkInputError, read_users
    from console.cognito import Gateway
    from console.commands.bulk_team import BulkTeam
    from console.usecases import BatchRun, ask_whether_simulated, client_settings

    try:
        users = read_users(Path(args.from_file))
    except BulkInputError as exc:
        raise CommandError(str(exc)) from None
    make = _request_maker(args, name, profile, users.rows[0].username)
    history = open_history(config)
    if history is None:
        raise CommandError(
            "bulk resend needs the history (to resume without sending anyone twice); "
            "fix console.history_path"
        )
    batch_id = _checked_batch_id(args, history, name, profile)
    rate = args.rate or DEFAULT_RATE
    as_json = bool(getattr(args, "json", False))
    printer = ProgressPrinter(sys.stderr)
    output_lock = threading.Lock()
    resumed = args.batch_id is not None and not args.new_batch
    team = BulkTeam(
        config,
        history,
        profile.user_pool_id,
        force=bool(getattr(args, "force", False)),
        output_lock=output_lock,
        end_bar=printer.close,
    )

    def on_attempt(row: BulkRow, result: AttemptResult, will_retry: bool) -> None:
        team.attempted()
        if as_json:
            obj = result_json(result, profile=name, username=row.username)
            obj.update({"batch_id": batch_id, "line": row.line, "will_retry": will_retry})
            with output_lock:
                print_json(obj)

    def on_stop(reason: str) -> None:
        printer.close()
        from console.bulk import stop_words

        err(f"{stop_words(reason)}; waiting for the calls in flight (Ctrl+C again to quit now)")

    gateway = Gateway()
    settings = client_settings(profile, config.console)
    # Creating the client takes 100+ ms (a second under load); inside the
    # batch it stalls the first sends and the rate never catches up. A client
    # that cannot be created is reported by the first attempt instead.
    with contextlib.suppress(Exception):
        gateway.warm_up(settings)
    run = BatchRun(
        gateway=gateway,
        history=history,
        profile_name=name,
        profile=profile,
        settings=settings,
        make_request=make,
        rate=rate,
        batch_id=batch_id,
        may_simulate=ask_whether_simulated(
            name, profile, config.console, getattr(args, "client_id", None) or profile.client_id
        ),
        retry_failed=bool(args.retry_failed),
        guard=team.guard,
        on_attempt=on_attempt,
        on_progress=printer,
        on_stop=on_stop,
    )
    duplicates = [row for row in users.invalid if row.duplicate_of is not None]
    invalid = [row for row in users.invalid if row.duplicate_of is None]
    err(
        f"batch {batch_id}: {len(users.rows)} users from {users.path} at {rate:g}/s"
        + (f", {_rows(len(invalid))} skipped as invalid" if invalid else "")
        + (f", {_rows(len(duplicates))} skipped as duplicates" if duplicates else "")
        + team.start_words()
        + f" (resume with --batch-id {batch_id})"
    )
    team.start()
    try:
        summary = run.run(users.rows, users.invalid)
    except KeyboardInterrupt:
        printer.close()
        err("interrupted again: calls in flight stay pending in the history")
        raise
    finally:
        printer.close()
        team.finish()
        history.close()
    if as_json:
        print_json({**summary.to_json(), "profile": name, **team.json_fields()})
    else:
        recorded = resumed or summary.attempts > 0
        _print_summary(summary, args, name, recorded=recorded, notes=team.summary_lines(summary))
    status = EXIT_OK if summary.all_delivered and not summary.stopped else EXIT_FAILED
    if run.interrupted:
        status = EXIT_INTERRUPTED
    if args.failures_csv:
        try:
            count = summary.write_failures_csv(Path(args.failures_csv))
        except OSError as exc:
            err(f"failures not written: {args.failures_csv}: {exc.strerror or exc}")
            return EXIT_FAILED
        err(f"{count} failure{'s' if count != 1 else ''} written to {args.failures_csv}")
    return status


def _print_summary(
    summary: BatchSummary, args: argparse.Namespace, name: str, *, recorded: bool, notes: list[str]
) -> None:
    """The headline, the failures, the team's *notes*, and the command that resumes the batch.

    A batch with nothing *recorded* (every user skipped at the hourly limit)
    is not in the history: its resume needs ``--new-batch``.
    """
    from console.bulk import ItemOutcome, outcome_words, stop_words

    out(summary.headline())
    if summary.stop_reason:
        out(f"  {safe(stop_words(summary.stop_reason))}")
    for item in summary.items:
        if item.outcome == ItemOutcome.DUPLICATE:
            out(f"  line {item.line}: {safe(item.username)}: skipped: {safe(item.message or '')}")
    failures = summary.failures
    for item in failures[:_SHOWN_FAILURES]:
        why = f"{item.error_code}: {item.message}" if item.error_code else item.message or ""
        line = f"  line {item.line}: {safe(item.username)}: {outcome_words(item.outcome)}"
        out(f"{line}: {safe(why)}" if why else line)
    if any(item.outcome == ItemOutcome.SKIPPED_FAILED for item in failures):
        out("  --retry-failed sends to the users skipped as failed for good")
    if len(failures) > _SHOWN_FAILURES:
        out(f"  ... and {len(failures) - _SHOWN_FAILURES} more (--failures-csv FILE lists all)")
    for note in notes:
        out(note)
    if failures:
        out(
            f"  resume: cognito-console resend --profile {safe(name)} "
            f"--from-file {safe(args.from_file)} --batch-id {safe(summary.batch_id)}"
            + ("" if recorded else " --new-batch")
        )
