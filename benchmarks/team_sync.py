"""Figure 10: the team's shared history (#15): what a resend pays for it, and the drain rate.

- **Added latency.** ``perform_resend`` with a local-only history against the
  same with ``[team]`` on: the history queues each attempt for the team in the
  same transaction, and an uploader thread (as in the TUI), nudged after each
  call, writes it to DynamoDB while the next calls run. The two alternate
  call by call, against one sandbox; the goal is that the operator's resend
  waits for nothing new (within 5%).
- **Drain rate.** Attempts queued while the table was away, then sent in one
  go: attempts a second.

DynamoDB is moto's server in its own process on 127.0.0.1, as the sandbox
is: the uploader's requests cross a real socket to another process.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.common import PYTHON, Row, RunConfig, UserPool, fmt_ms, ms, sandbox, summary

_MOTO_CHILD = """
import sys
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server._server.server_address[1], flush=True)
sys.stdin.read()
server.stop()
"""


@contextmanager
def dynamodb_process() -> Iterator[str]:
    """moto's DynamoDB in a child process; yields its endpoint URL."""
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}
    proc = subprocess.Popen(
        [PYTHON, "-c", _MOTO_CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run(cfg: RunConfig) -> list[Row]:
    from console.cognito import (
        ClientSettings,
        Gateway,
        build_request,
    )
    from console.config import TeamSettings, sandbox_profiles
    from console.history import History, TeamUploader, init_table, team_client
    from console.usecases import perform_resend

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    calls = cfg.n(600, 200, smoke=10)
    rounds = cfg.rounds
    drain_n = cfg.n(1000, 300, smoke=20)
    users = UserPool.needed(calls * 2 + 20) + 1
    work = cfg.workdir / "team"
    work.mkdir(parents=True, exist_ok=True)
    with sandbox(users) as box, dynamodb_process() as endpoint:
        info = box.info
        team = TeamSettings(table="bench-team", region="eu-west-1", endpoint_url=endpoint)
        init_table(team_client(team), team.table)
        profiles = sandbox_profiles(
            endpoint_url=info.endpoint_url,
            region=info.region,
            user_pool_id=info.user_pool_id,
            public_client_id=info.client("public").client_id,
            confidential_client_id=info.client("confidential").client_id,
            confidential_secret=info.client("confidential").client_secret or "",
        )
        profile = profiles["sandbox"]
        settings = ClientSettings(region=info.region, endpoint_url=info.endpoint_url)
        gateway = Gateway()
        local = History.open(work / "local.sqlite3")
        shared = History.open(work / "team.sqlite3", team=True)
        uploader = TeamUploader(shared, team_client(team), team.table)
        uploader.start()
        pool = UserPool(users)
        failures = {"local": 0, "team": 0}

        def one(history: History, label: str) -> float:
            request = build_request(client_id=profile.client_id, username=pool.take())
            started = time.perf_counter()
            result = perform_resend(
                gateway, history, profile_name="sandbox", profile=profile,
                settings=settings, request=request,
            )  # fmt: skip
            took = time.perf_counter() - started
            if history is shared:
                uploader.nudge()  # what the TUI does after each attempt
            if not result.outcome.ok or result.history_problem:
                failures[label] += 1
            return took

        for _ in range(2 if cfg.smoke else 10):
            one(local, "local"), one(shared, "team")
        samples: dict[str, list[float]] = {"local": [], "team": []}
        per_round: list[float] = []
        per_round_count = max(1, calls // rounds)
        for r in range(rounds):
            block: dict[str, list[float]] = {"local": [], "team": []}
            count = per_round_count if r < rounds - 1 else calls - per_round_count * (rounds - 1)
            for i in range(count):
                order = ("local", "team") if (i + r) % 2 == 0 else ("team", "local")
                for label in order:
                    block[label].append(one(local if label == "local" else shared, label))
            for label in block:
                samples[label] += block[label]
            per_round.append(statistics.median(block["team"]) / statistics.median(block["local"]))
        uploaded_during = uploader.drain(30)
        uploader.stop()
        local.close()
        shared.close()
        drain = _drain_rate(work / "drain.sqlite3", team, drain_n)

    stats = {label: summary([ms(x) for x in samples[label]]) for label in samples}
    overall = stats["team"]["median"] / stats["local"]["median"]
    round_stats = summary(per_round)
    detail: dict[str, Any] = {
        "calls_per_variant": calls,
        "rounds": rounds,
        "latency_ms": stats,
        "ratio_per_round": round_stats,
        "failures": failures,
        "all_uploaded": uploaded_during,
        "drain": drain,
    }
    return [
        Row(
            "10",
            f"resend with [team] / local only ({calls} calls each, uploader running)",
            f"{overall:.3f}x (rounds {round_stats['min']:.2f}-{round_stats['max']:.2f}); "
            f"team {fmt_ms(stats['team'], 2)}, local {fmt_ms(stats['local'], 2)}",
            "<= 1.05x",
            overall <= 1.05,
            detail,
            note="" if not any(failures.values()) else f"FAILED CALLS {failures}",
        ),
        Row(
            "10",
            f"team queue drain ({drain['attempts']:.0f} queued attempts, one uploader)",
            f"{drain['per_second']:.0f} attempts/s ({drain['seconds']:.2f} s)",
            "(context)",
            None,
            detail=drain,
        ),
    ]


def _drain_rate(path: Path, team: Any, count: int) -> dict[str, float]:
    """Queue *count* attempts with no uploader, then time one uploader sending them all."""
    from console.cognito import Delivery, Outcome, OutcomeKind
    from console.history import History, TeamUploader, team_client

    outcome = Outcome(OutcomeKind.DELIVERED, delivery=Delivery("EMAIL", "a***@e***.com", "email"))
    with History.open(path, team=True) as history:
        for n in range(count):
            attempt = history.start_attempt(
                profile="bench", region="us-east-1", user_pool_id="us-east-1_Bench",
                client_id="c", username=f"drain{n:05d}", client_metadata={},
                analytics_endpoint_id=None,
            )  # fmt: skip
            history.finish_attempt(attempt, outcome)
        uploader = TeamUploader(history, team_client(team), team.table)
        started = time.perf_counter()
        done = uploader.drain(600)
        seconds = time.perf_counter() - started
    return {
        "attempts": float(count),
        "seconds": round(seconds, 3),
        "per_second": count / seconds if seconds else float("inf"),
        "all_sent": float(done),
    }


if __name__ == "__main__":  # pragma: no cover - run via benchmarks/run.py
    print(json.dumps([r.to_json() for r in run(RunConfig(quick=True))], indent=2))
    sys.exit(0)
