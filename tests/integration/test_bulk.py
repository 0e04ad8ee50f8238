"""Bulk resend against the sandbox over HTTP: rate held, throttling survived, stop and resume.

Every attempt must be in the history under the batch id, and nobody may be
sent a code twice: the sandbox's ``received()`` list is the witness.
"""

from __future__ import annotations

import _thread
import argparse
import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from console.bulk import BatchSummary, BulkRow, ItemOutcome, read_users, request_maker
from console.cognito import ClientSettings, Gateway
from console.config import ConsoleSettings, Profile
from console.history import History, HistoryFilter
from console.sandbox import Sandbox, start_sandbox
from console.usecases import BatchRun


def profile_for(sandbox: Sandbox) -> Profile:
    info = sandbox.info
    return Profile(
        region=info.region,
        user_pool_id=info.user_pool_id,
        client_id=info.client("public").client_id,
        endpoint_url=info.endpoint_url,
    )


def client_settings(prof: Profile) -> ClientSettings:
    return ClientSettings(
        region=prof.region,
        endpoint_url=prof.endpoint_url,
        connect_timeout=2,
        read_timeout=5,
        max_attempts=1,
    )


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    store = History.open(tmp_path / "history.sqlite3")
    try:
        yield store
    finally:
        store.close()


def batch(sandbox: Sandbox, history: History, **options: Any) -> BatchRun:
    prof = profile_for(sandbox)
    return BatchRun(
        gateway=Gateway(),
        history=history,
        profile_name="sandbox",
        profile=prof,
        settings=client_settings(prof),
        make_request=request_maker(client_id=prof.client_id),
        **options,
    )


def rows_for(names: list[str]) -> list[BulkRow]:
    return [BulkRow(number, name) for number, name in enumerate(names, start=1)]


def received_counts(sandbox: Sandbox, names: list[str]) -> Counter[str]:
    wanted = set(names)
    return Counter(
        str(body.get("Username"))
        for body in sandbox.received()
        if str(body.get("Username")) in wanted
    )


def assert_history_complete(history: History, summary: BatchSummary) -> None:
    flt = HistoryFilter(batch_id=summary.batch_id)
    assert history.count(flt) == summary.attempts
    assert history.count(HistoryFilter(batch_id=summary.batch_id, outcome="pending")) == 0


def test_500_users_at_100_per_second(history: History) -> None:
    with start_sandbox(users=500) as sandbox:
        names = [f"user{n:04d}" for n in range(1, 501)]
        summary = batch(sandbox, history, rate=100).run(rows_for(names))
        assert summary.counts() == {ItemOutcome.DELIVERED: 500}
        assert summary.all_delivered and not summary.stopped
        assert 90 <= summary.achieved_rate <= 110, summary.achieved_rate
        assert 4.5 <= summary.elapsed_s <= 6.5
        assert_history_complete(history, summary)
        assert len(history.delivered_usernames(summary.batch_id)) == 500
        assert set(received_counts(sandbox, names).values()) == {1}


def test_throttled_run_completes_with_nothing_lost(history: History) -> None:
    with start_sandbox(users=40, rate_limit=15) as sandbox:
        names = [f"user{n:04d}" for n in range(1, 41)]
        summary = batch(sandbox, history, rate=40).run(rows_for(names))
        assert summary.counts() == {ItemOutcome.DELIVERED: 40}
        assert summary.throttled > 0
        assert summary.attempts == 40 + summary.throttled
        assert_history_complete(history, summary)
        throttled = history.count(HistoryFilter(batch_id=summary.batch_id, outcome="failed"))
        assert throttled == summary.throttled
        assert set(received_counts(sandbox, names).values()) >= {1}
        assert len(sandbox.outbox()) == 40


def test_stopped_and_resumed_batch_sends_nobody_twice(
    history: History, fresh_user: Callable[..., str], sandbox: Sandbox
) -> None:
    names = [fresh_user(prefix="bulk") for _ in range(30)]
    rows = rows_for(names)
    seen: list[str] = []

    first: BatchRun

    def stop_after_ten(row: BulkRow, result: Any, will_retry: bool) -> None:
        seen.append(row.username)
        if len(seen) == 10:
            first.stop()

    first = batch(sandbox, history, rate=50, on_attempt=stop_after_ten)
    stopped = first.run(rows)
    assert stopped.stopped
    delivered = stopped.counts()[ItemOutcome.DELIVERED]
    assert 10 <= delivered < 30
    assert stopped.counts()[ItemOutcome.NOT_SENT] == 30 - delivered
    assert_history_complete(history, stopped)

    resumed = batch(sandbox, history, rate=50, batch_id=stopped.batch_id).run(rows)
    counts = resumed.counts()
    assert counts == {
        ItemOutcome.DELIVERED: 30 - delivered,
        ItemOutcome.ALREADY_DELIVERED: delivered,
    }
    assert resumed.all_delivered
    assert len(history.delivered_usernames(stopped.batch_id)) == 30
    assert received_counts(sandbox, names) == Counter(dict.fromkeys(names, 1))


def test_per_user_errors_are_recorded_not_retried(
    history: History, sandbox: Sandbox, fresh_user: Callable[..., str]
) -> None:
    limited = fresh_user(prefix="limit")
    for _ in range(5):  # use up the user's five resends an hour
        batch(sandbox, history, rate=100).run(rows_for([limited]))
    good = fresh_user(prefix="ok")
    summary = batch(sandbox, history, rate=100).run(
        rows_for([limited, "carol", "no-such-user-x", good])
    )
    by_name = {item.username: item for item in summary.items}
    assert by_name[limited].error_code == "LimitExceededException"
    assert by_name["carol"].error_code == "InvalidParameterException"
    assert by_name["no-such-user-x"].error_code == "UserNotFoundException"
    assert all(by_name[n].attempts == 1 for n in (limited, "carol", "no-such-user-x"))
    assert by_name[good].outcome == ItemOutcome.DELIVERED
    assert summary.attempts == 4
    assert_history_complete(history, summary)
    assert [f.username for f in summary.failures] == [limited, "carol", "no-such-user-x"]


# -- the CLI --------------------------------------------------------------------


@pytest.fixture
def cli_config(tmp_path: Path, sandbox: Sandbox) -> Path:
    info = sandbox.info
    path = tmp_path / "cognito-console.toml"
    path.write_text(
        f"""
[console]
default_profile = "sandbox"
history_path = "{tmp_path / "history.sqlite3"}"
connect_timeout = 2
read_timeout = 5
max_attempts = 1

[profiles.sandbox]
region = "{info.region}"
user_pool_id = "{info.user_pool_id}"
client_id = "{info.client("public").client_id}"
endpoint_url = "{info.endpoint_url}"
""",
        encoding="utf-8",
    )
    return path


def run_bulk_directly(config_path: Path, *argv: str) -> int:
    """resend --from-file through bulk_cmd, with a parser of our own (works before wiring)."""
    from console.commands.bulk_cmd import add_bulk_arguments, run_bulk
    from console.commands.common import load_config, select_profile

    parser = argparse.ArgumentParser()
    parser.add_argument("--config")
    parser.add_argument("--profile")
    parser.add_argument("--username")
    parser.add_argument("--meta", action="append", default=[])
    parser.add_argument("--json", action="store_true")
    add_bulk_arguments(parser)
    args = parser.parse_args(["--config", str(config_path), *argv])
    config = load_config(args)
    name, prof = select_profile(config, args.profile)
    return run_bulk(args, config, name, prof)


def test_bulk_command_json_and_failures_csv(
    cli_config: Path,
    tmp_path: Path,
    fresh_user: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    users = [fresh_user(prefix="cli") for _ in range(5)]
    source = tmp_path / "users.csv"
    source.write_text(
        "Username,email\n" + "".join(f"{u},{u}@example.com\n" for u in users) + "carol,x\n"
        "bad name,y\n",
        encoding="utf-8",
    )
    failures = tmp_path / "failures.csv"
    code = run_bulk_directly(
        cli_config, "--from-file", str(source), "--rate", "50", "--json",
        "--failures-csv", str(failures), "--meta", "campaign=outage",
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 1
    lines = [json.loads(line) for line in captured.out.splitlines()]
    attempts, summary = lines[:-1], lines[-1]
    assert len(attempts) == 6
    assert {a["username"] for a in attempts if a["outcome"] == "delivered"} == set(users)
    assert all(a["batch_id"] == summary["batch_id"] for a in attempts)
    assert summary["counts"] == {"delivered": 5, "failed": 1, "invalid": 1}
    assert summary["all_delivered"] is False
    exported = failures.read_text(encoding="utf-8").splitlines()
    assert exported[0] == "line,username,outcome,error_code,message,attempts,history_id"
    assert len(exported) == 3
    again = read_users(failures)  # the failures file feeds a new run
    assert again.usernames == ["carol"]
    assert [row.text for row in again.invalid] == ["bad name"]
    assert f"batch {summary['batch_id']}" in captured.err


@pytest.mark.usefixtures("ctrl_c_raises")
def test_bulk_command_ctrl_c_stops_cleanly_and_resumes(
    cli_config: Path,
    tmp_path: Path,
    fresh_user: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
    sandbox: Sandbox,
) -> None:
    users = [fresh_user(prefix="intr") for _ in range(40)]
    source = tmp_path / "users.txt"
    source.write_text("# outage 2025-01-31\n\n" + "\n".join(users) + "\n", encoding="utf-8")
    timer = threading.Timer(0.4, _thread.interrupt_main)
    timer.start()
    try:
        code = run_bulk_directly(
            cli_config,
            "--from-file",
            str(source),
            "--rate",
            "20",
            "--batch-id",
            "outage-1",
            "--new-batch",
        )
    finally:
        timer.cancel()
    captured = capsys.readouterr()
    assert code == 130  # interrupted, as the design's exit codes say
    assert "stopped by the operator (Ctrl+C); waiting for the calls in flight" in captured.err
    assert "  stopped by the operator (Ctrl+C)\n" in captured.out
    assert "stopped: stopped" not in captured.out + captured.err
    with sqlite3.connect(tmp_path / "history.sqlite3") as conn:
        outcomes = dict(
            conn.execute(
                "SELECT outcome, count(*) FROM attempts WHERE batch_id = 'outage-1'"
                " GROUP BY outcome"
            ).fetchall()
        )
    assert set(outcomes) == {"delivered"} and 0 < outcomes["delivered"] < 40
    code = run_bulk_directly(
        cli_config, "--from-file", str(source), "--rate", "50", "--batch-id", "outage-1"
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"{outcomes['delivered']} already delivered" in out
    assert received_counts(sandbox, users) == Counter(dict.fromkeys(users, 1))


def test_resend_from_file_through_main(
    cli_config: Path, tmp_path: Path, fresh_user: Callable[..., str], capsys: Any
) -> None:
    # A removed --from-file fails here (argparse exits 2), never skips.
    from console.cli import main

    users = [fresh_user(prefix="main") for _ in range(3)]
    source = tmp_path / "users.txt"
    source.write_text("\n".join(users), encoding="utf-8")
    code = main(["--config", str(cli_config), "resend", "--from-file", str(source), "--rate", "50"])
    out = capsys.readouterr().out
    assert code == 0
    assert "3 delivered" in out
    code = main(["--config", str(cli_config), "resend", "--from-file", str(source), "-u", "x"])
    assert code == 2
    assert "not both" in capsys.readouterr().err
    code = main(["--config", str(cli_config), "resend", "--rate", "5", "-u", users[0]])
    assert code == 2
    code = main(["--config", str(cli_config), "resend", "--from-file", str(tmp_path / "none.txt")])
    assert code == 2
    assert "no such file" in capsys.readouterr().err


def test_settings_default_rate_is_conservative() -> None:
    from console.bulk import DEFAULT_RATE

    assert DEFAULT_RATE == 5.0
    assert ConsoleSettings().max_attempts >= 1
