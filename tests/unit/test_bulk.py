"""Bulk runs without a server: the token bucket, backoff, retries, resume, stop, summary."""

from __future__ import annotations

import _thread
import argparse
import io
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from console.bulk import (
    BatchProgress,
    BatchSummary,
    BulkRow,
    InvalidRow,
    ItemOutcome,
    TokenBucket,
    backoff_delay,
    default_workers,
    new_batch_id,
    request_maker,
)
from console.cognito import (
    ClientSettings,
    Delivery,
    ErrorInfo,
    Gateway,
    Outcome,
    OutcomeKind,
    ResendRequest,
)
from console.cognito import explain as catalogue
from console.commands.bulk_cmd import ProgressPrinter, bulk_requested
from console.commands.common import CommandError
from console.config import Profile
from console.history import History, HistoryError, HistoryFilter
from console.usecases import AttemptResult, BatchRun

PROFILE = Profile(region="us-east-1", user_pool_id="us-east-1_X", client_id="client1")
SETTINGS = ClientSettings(region="us-east-1", endpoint_url="http://127.0.0.1:9")


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


# -- the token bucket -----------------------------------------------------------


def test_bucket_paces_at_the_rate_without_hoarding() -> None:
    clock = FakeClock()
    bucket = TokenBucket(10, clock=clock)
    assert [round(bucket.reserve(), 3) for _ in range(3)] == [0.0, 0.1, 0.2]
    clock.now += 5  # idle: no credit beyond one request
    assert [round(bucket.reserve(), 3) for _ in range(2)] == [0.0, 0.1]


def test_bucket_burst_and_hold() -> None:
    clock = FakeClock()
    bucket = TokenBucket(4, burst=3, clock=clock)
    assert [bucket.reserve() for _ in range(4)] == [0.0, 0.0, 0.0, 0.25]
    clock.now += 10
    bucket.hold(2.0)
    assert bucket.reserve() == 2.0
    assert bucket.reserve() == 2.25


def test_bucket_acquire_reports_a_stop() -> None:
    bucket = TokenBucket(1, clock=FakeClock())
    assert bucket.acquire(lambda seconds: pytest.fail("no wait for the first"))
    waited: list[float] = []

    def stopped(seconds: float) -> bool:
        waited.append(seconds)
        return True

    assert not bucket.acquire(stopped)
    assert waited == [1.0]


@pytest.mark.parametrize("rate", [0, -1, float("nan"), 1001])
def test_bucket_rejects_bad_rates(rate: float) -> None:
    with pytest.raises(ValueError, match="rate"):
        TokenBucket(rate)


def test_backoff_is_exponential_jittered_and_bounded() -> None:
    lows = [backoff_delay(n, rng=lambda: 0.0) for n in range(1, 10)]
    highs = [backoff_delay(n, rng=lambda: 1.0) for n in range(1, 10)]
    assert lows[:4] == [0.125, 0.25, 0.5, 1.0]
    assert highs[:4] == [0.25, 0.5, 1.0, 2.0]
    assert max(highs) == 8.0 and max(lows) == 4.0


def test_workers_and_batch_ids() -> None:
    assert default_workers(1) == 2 and default_workers(5) == 3 and default_workers(500) == 16
    first, second = new_batch_id(), new_batch_id()
    assert first != second and first.startswith("b-")


# -- runs with a scripted gateway ----------------------------------------------


def delivered() -> Outcome:
    return Outcome(
        kind=OutcomeKind.DELIVERED,
        delivery=Delivery("EMAIL", "a***@e***.com", "email"),
        request_id="r",
    )


def failed(code: str, kind: OutcomeKind = OutcomeKind.FAILED) -> Outcome:
    entry = catalogue(code)
    return Outcome(
        kind=kind,
        error=ErrorInfo(code, f"{code} message", 400, entry.meaning, entry.remedy),
    )


class ScriptedGateway(Gateway):
    """Answers each username from a list of outcomes (the last one repeats)."""

    def __init__(self, script: dict[str, list[Outcome]], delay: float = 0.0) -> None:
        super().__init__()
        self.script = script
        self.delay = delay
        self.sent: list[str] = []
        self.lock = threading.Lock()

    def resend(
        self, settings: ClientSettings, request: ResendRequest, *, may_simulate: bool = False
    ) -> Outcome:
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.sent.append(request.username)
            answers = self.script.get(request.username, [delivered()])
            return answers.pop(0) if len(answers) > 1 else answers[0]


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    store = History.open(tmp_path / "h.sqlite3")
    try:
        yield store
    finally:
        store.close()


def make_run(gateway: Gateway, history: History, **options: Any) -> BatchRun:
    options.setdefault("rate", 1000)
    options.setdefault("rng", lambda: 0.0)
    return BatchRun(
        gateway=gateway,
        history=history,
        profile_name="prod",
        profile=PROFILE,
        settings=SETTINGS,
        make_request=request_maker(client_id="client1"),
        **options,
    )


def rows(*names: str) -> list[BulkRow]:
    return [BulkRow(n, name) for n, name in enumerate(names, start=1)]


def test_throttling_retries_and_per_user_errors_do_not(history: History) -> None:
    throttle = failed("TooManyRequestsException")
    gateway = ScriptedGateway(
        {
            "bob": [throttle, throttle, delivered()],
            "carol": [failed("LimitExceededException")],
            "dave": [failed("ReadTimeout", OutcomeKind.UNKNOWN)],
        }
    )
    attempts: list[tuple[str, bool]] = []
    progress: list[BatchProgress] = []

    def on_attempt(row: BulkRow, result: AttemptResult, will_retry: bool) -> None:
        attempts.append((row.username, will_retry))

    run = make_run(gateway, history, on_attempt=on_attempt, on_progress=progress.append)
    summary = run.run(rows("alice", "bob", "carol", "dave"))
    assert sorted(gateway.sent) == ["alice", "bob", "bob", "bob", "carol", "dave"]
    assert sorted(attempts) == sorted(
        [("alice", False), ("bob", True), ("bob", True), ("bob", False), ("carol", False),
         ("dave", False)]
    )  # fmt: skip
    by_name = {item.username: item for item in summary.items}
    assert by_name["bob"].outcome == ItemOutcome.DELIVERED and by_name["bob"].attempts == 3
    assert by_name["carol"].error_code == "LimitExceededException"
    assert by_name["dave"].outcome == ItemOutcome.UNKNOWN
    assert summary.counts() == {"delivered": 2, "failed": 1, "unknown": 1}
    assert summary.error_counts() == {"LimitExceededException": 1, "ReadTimeout": 1}
    assert summary.throttled == 2 and summary.attempts == 6
    assert history.count(HistoryFilter(batch_id=run.batch_id)) == 6
    assert progress[0].done == 0 and progress[-1].done == 4 and progress[-1].total == 4
    assert progress[-1].fraction == 1.0


def test_throttle_retries_are_bounded(history: History) -> None:
    gateway = ScriptedGateway({"bob": [failed("TooManyRequestsException")]})
    summary = make_run(gateway, history, max_throttle_retries=2).run(rows("bob"))
    (item,) = summary.items
    assert item.outcome == ItemOutcome.FAILED and item.attempts == 3
    assert item.error_code == "TooManyRequestsException"


def _record(history: History, batch: str, name: str, outcome: Outcome | None) -> None:
    attempt = history.start_attempt(
        profile="prod",
        region="us-east-1",
        user_pool_id="us-east-1_X",
        client_id="client1",
        username=name,
        client_metadata={},
        analytics_endpoint_id=None,
        batch_id=batch,
    )
    if outcome is not None:
        history.finish_attempt(attempt, outcome)


def test_resume_skips_delivered_and_uncertain_users(history: History) -> None:
    _record(history, "b1", "alice", delivered())
    _record(history, "b1", "bob", failed("ReadTimeout", OutcomeKind.UNKNOWN))
    _record(history, "b1", "carol", failed("LimitExceededException"))
    _record(history, "b1", "erin", None)  # still pending
    _record(history, "other", "dave", delivered())
    gateway = ScriptedGateway({})
    summary = make_run(gateway, history, batch_id="b1").run(
        rows("alice", "bob", "carol", "dave", "erin")
    )
    assert sorted(gateway.sent) == ["carol", "dave"]
    outcomes = {item.username: item.outcome for item in summary.items}
    assert outcomes == {
        "alice": ItemOutcome.ALREADY_DELIVERED,
        "bob": ItemOutcome.SKIPPED_UNCERTAIN,
        "carol": ItemOutcome.DELIVERED,
        "dave": ItemOutcome.DELIVERED,
        "erin": ItemOutcome.SKIPPED_UNCERTAIN,
    }
    assert not summary.all_delivered
    again = ScriptedGateway({})
    make_run(again, history, batch_id="b1", skip_uncertain=False).run(rows("alice", "bob"))
    assert again.sent == ["bob"]


def test_a_history_failure_stops_the_run(history: History, monkeypatch: Any) -> None:
    real = history.finish_attempt
    calls: list[int] = []

    def flaky(attempt_id: int, outcome: Outcome) -> None:
        calls.append(attempt_id)
        if len(calls) == 2:
            raise HistoryError("history not saved: database or disk is full")
        real(attempt_id, outcome)

    monkeypatch.setattr(history, "finish_attempt", flaky)
    gateway = ScriptedGateway({})
    summary = make_run(gateway, history, rate=50, workers=1).run(rows(*"abcdef"))
    assert len(gateway.sent) == 2
    assert summary.stopped
    assert summary.stop_reason is not None and "disk is full" in summary.stop_reason
    assert summary.counts()[ItemOutcome.NOT_SENT] == 4


def test_an_internal_failure_is_recorded_and_stops_the_run(history: History) -> None:
    class Broken(ScriptedGateway):
        def resend(self, settings: Any, request: ResendRequest, **kw: Any) -> Outcome:
            if request.username == "b":
                raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
            return super().resend(settings, request, **kw)

    gateway = Broken({})
    summary = make_run(gateway, history, rate=100, workers=1).run(rows("a", "b", "c"))
    outcomes = {item.username: item.outcome for item in summary.items}
    assert outcomes == {
        "a": ItemOutcome.DELIVERED,
        "b": ItemOutcome.UNKNOWN,
        "c": ItemOutcome.NOT_SENT,
    }
    assert summary.stopped and "UnicodeEncodeError" in (summary.stop_reason or "")


def test_invalid_rows_and_requests_are_never_sent(history: History) -> None:
    def picky(username: str) -> ResendRequest:
        return request_maker(client_id="bad id!")(username)

    gateway = ScriptedGateway({})
    run = BatchRun(
        gateway=gateway,
        history=history,
        profile_name="prod",
        profile=PROFILE,
        settings=SETTINGS,
        make_request=picky,
        rate=1000,
    )
    summary = run.run(rows("alice"), [InvalidRow(2, "bad name", "no spaces")])
    assert gateway.sent == []
    assert [(i.line, i.outcome) for i in summary.items] == [
        (1, ItemOutcome.INVALID),
        (2, ItemOutcome.INVALID),
    ]
    assert "client_id" in (summary.items[0].message or "")
    assert not summary.all_delivered


def test_stop_before_the_start_sends_nobody(history: History) -> None:
    gateway = ScriptedGateway({})
    run = make_run(gateway, history)
    run.stop()
    summary = run.run(rows("a", "b"))
    assert gateway.sent == [] and summary.stopped
    assert summary.counts() == {ItemOutcome.NOT_SENT: 2}


@pytest.mark.usefixtures("ctrl_c_raises")
def test_ctrl_c_during_a_run_stops_it_cleanly(history: History) -> None:
    gateway = ScriptedGateway({}, delay=0.02)
    stops: list[str] = []
    run = make_run(gateway, history, rate=50, workers=2, on_stop=stops.append)
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    try:
        summary = run.run(rows(*(f"user{n}" for n in range(200))))
    finally:
        timer.cancel()
    assert stops == ["stopped by the operator (Ctrl+C)"]
    assert summary.stopped and summary.stop_reason == "stopped by the operator (Ctrl+C)"
    sent = summary.counts()[ItemOutcome.DELIVERED]
    assert 0 < sent < 200 and sent == len(gateway.sent)
    assert history.count(HistoryFilter(batch_id=run.batch_id)) == sent
    assert history.count(HistoryFilter(batch_id=run.batch_id, outcome="pending")) == 0


# -- the summary ----------------------------------------------------------------


def test_summary_json_and_failures_csv(tmp_path: Path, history: History) -> None:
    gateway = ScriptedGateway({"bob": [failed("UserNotFoundException")]})
    summary: BatchSummary = make_run(gateway, history, batch_id="b9").run(
        rows("alice", "bob"), [InvalidRow(3, "x y", "no spaces")]
    )
    data = summary.to_json()
    assert data["counts"] == {"delivered": 1, "failed": 1, "invalid": 1}
    assert data["error_counts"] == {"UserNotFoundException": 1}
    assert data["batch_id"] == "b9" and data["all_delivered"] is False
    assert [f.username for f in summary.failures] == ["bob", "x y"]
    assert len(data["failures"]) == 2  # type: ignore[arg-type]
    buffer = io.StringIO()
    count = summary.write_failures_csv(buffer)
    assert count == len(summary.failures)
    assert buffer.getvalue().splitlines()[0] == (
        "line,username,outcome,error_code,message,attempts,history_id"
    )
    target = tmp_path / "failures.csv"
    summary.write_failures_csv(target)
    assert os.stat(target).st_mode & 0o777 == 0o600


# -- the CLI side ----------------------------------------------------------------


def progress(done: int, total: int = 10) -> BatchProgress:
    return BatchProgress("b1", total, done, done, 0, done, 0, 1.0, 5.0, (total - done) / 5)


def test_progress_lines_when_not_a_terminal() -> None:
    stream = io.StringIO()
    printer = ProgressPrinter(stream, tty=False, every=5)
    for done in range(11):
        printer(progress(done))
    lines = stream.getvalue().splitlines()
    assert lines == [
        "bulk: 0/10 · delivered 0 · failed 0 · 5.0/s · ETA 0:02",
        "bulk: 5/10 · delivered 5 · failed 0 · 5.0/s · ETA 0:01",
        "bulk: 10/10 · delivered 10 · failed 0 · 5.0/s · ETA 0:00",
    ]


def test_progress_bar_on_a_terminal() -> None:
    stream = io.StringIO()
    printer = ProgressPrinter(stream, tty=True)
    printer(progress(5))
    printer(progress(10))
    printer.close()
    text = stream.getvalue()
    assert text.startswith("\r[###############---------------] 5/10")
    assert "\r[##############################] 10/10" in text and text.endswith("\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from-file", "u.txt", "--username", "x"], "not both"),
        (["--rate", "5", "--username", "x"], "--rate only goes with --from-file"),
        (["--batch-id", "b1", "--username", "x"], "--batch-id only goes with --from-file"),
        ([], "give --username NAME, or --from-file FILE"),
    ],
)
def test_bulk_usage_errors(argv: list[str], message: str) -> None:
    from console.commands.bulk_cmd import add_bulk_arguments

    parser = argparse.ArgumentParser()
    parser.add_argument("--username")
    add_bulk_arguments(parser)
    with pytest.raises(CommandError, match=message) as caught:
        bulk_requested(parser.parse_args(argv))
    assert caught.value.exit_code == 2


def test_bulk_option_values_are_checked() -> None:
    from console.commands.bulk_cmd import add_bulk_arguments

    parser = argparse.ArgumentParser(exit_on_error=False)
    add_bulk_arguments(parser)
    for bad in (["--rate", "0"], ["--rate", "x"], ["--rate", "5000"], ["--batch-id", "a b"]):
        with pytest.raises((argparse.ArgumentError, SystemExit)):
            parser.parse_args(bad)
    args = parser.parse_args(["--from-file", "u.txt", "--rate", "2.5", "--batch-id", "b-1:x"])
    assert bulk_requested(argparse.Namespace(**vars(args), username=None))
    assert args.rate == 2.5
