"""Figure 7: bulk resend, ``cognito-console resend --from-file FILE --rate R --json``.

Each run is a fresh process against a sandbox in another process (a config
file whose profile points at it; the history in the work folder), sending to
N seeded users from a users file:

- ``rate``: at the requested ``--rate`` (500 users at 100/s; ``--quick`` 100
  at 50/s; ``--smoke`` 10 at 20/s, one round). The achieved rate is taken
  from the history: the attempts' start times, (calls - 1) / (last start -
  first start), the same definition as the summary's ``achieved_rate``,
  which is kept alongside as a cross-check.
  Target: within 10% of ``--rate`` in every round.
- ``ceiling``: the same users at ``--rate 1000`` (the most ``--rate``
  allows): what one process reaches with its default workers (16 at that
  rate) against this sandbox. Context, no target.
- ``team``: ``rate`` again with a ``[team]`` table on the sandbox's own
  DynamoDB (its own history file): before each user's send the batch asks
  the table for the team's sends in the last hour, and its attempts are
  uploaded as it goes. Target: the same 10% of ``--rate``; every attempt
  in the team table by the end.

Both run in every round, in a rotating order, after one uncounted warm-up
round. After every run: every attempt of the batch is in the history (as
many rows as calls, none pending, each ``--json`` line's ``history_id`` there
with its outcome), every user delivered once (the sandbox's outbox grew by
N). A user may be sent 5 codes an hour, so each run takes the next block of
N users once a block has had 5 runs.

Once per run of the suite, the throttling case: a second sandbox answers
TooManyRequestsException beyond ``--rate-limit`` 15/s while the batch asks
for 40/s (60 users, ``--quick`` 40; smoke: 8 users, 20/s against 5/s).
Everyone must be delivered. botocore's standard retries (the config's
``max_attempts``, 3) take a throttled call first; what still fails reaches
the batch, which backs off, retries that user and records the throttled
attempt in the history as failed. The row counts both: every throttled
answer the sandbox gave (requests that reached it minus deliveries) and the
batch's own retries. Both sandboxes start side by side before anything is
measured; the second one idles until its case runs.
"""

from __future__ import annotations

import json
import math
import statistics
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.common import (
    CONSOLE_BIN,
    Row,
    RunConfig,
    SandboxProcess,
    quiet_env,
    summary,
    time_process,
    tui_env,
    write_config,
)

TOLERANCE = 0.10
"""Achieved rate within 10% of --rate."""
CEILING_RATE = 1000.0
"""The highest --rate the CLI accepts (console.bulk.rate.MAX_RATE)."""
RESENDS_PER_USER = 5
"""The sandbox, like Cognito, allows 5 resends a user an hour."""


@dataclass
class BulkRun:
    """One ``resend --from-file`` process and what its batch left behind."""

    variant: str
    users: int
    requested: float
    exit_code: int
    wall_s: float
    summary: dict[str, Any]
    history_rate: float
    problems: list[str] = field(default_factory=list)
    requests: int = 0
    """ResendConfirmationCode requests that reached the sandbox (botocore's retries too)."""

    @property
    def achieved(self) -> float:
        """Starts per second, from the history's start times."""
        return self.history_rate

    @property
    def delivered(self) -> int:
        return int(self.summary.get("counts", {}).get("delivered", 0))

    def to_json(self) -> dict[str, Any]:
        keep = ("attempts", "throttled", "elapsed_s", "achieved_rate", "counts")
        return {
            "variant": self.variant,
            "users": self.users,
            "requested": self.requested,
            "exit_code": self.exit_code,
            "wall_s": round(self.wall_s, 3),
            "history_rate": round(self.history_rate, 2),
            "requests": self.requests,
            "summary": {k: self.summary.get(k) for k in keep},
            "problems": self.problems,
        }


def _started(stamp: str) -> float:
    """Seconds since the epoch of a history ``started_at`` (``...T09:15:02.123Z``)."""
    return datetime.fromisoformat(stamp).timestamp()


def check_history(history_path: Path, batch_id: str, lines: list[dict[str, Any]]) -> float:
    """Every attempt of *batch_id* is in the history; returns its rate (starts a second).

    Raises AssertionError with what is missing. *lines* are the run's
    ``--json`` attempt objects.
    """
    from console.history import History, HistoryFilter

    flt = HistoryFilter(batch_id=batch_id)
    with History.open(history_path) as history:
        count = history.count(flt)
        records = history.query(flt, limit=max(1, count))
    by_id = {record.id: record for record in records}
    assert count == len(lines), f"{count} history rows for {len(lines)} calls"
    pending = [r.id for r in records if r.outcome == "pending"]
    assert not pending, f"{len(pending)} attempts still pending"
    for line in lines:
        record = by_id.get(int(line.get("history_id") or -1))
        assert record is not None, f"history_id {line.get('history_id')} not in the batch"
        assert record.outcome == line["outcome"], (record.id, record.outcome, line["outcome"])
        assert record.username == line["username"], (record.id, record.username)
    starts = sorted(_started(r.started_at) for r in records)
    span = starts[-1] - starts[0] if len(starts) > 1 else 0.0
    return (len(starts) - 1) / span if span > 0 else float("nan")


def bulk_run(
    variant: str,
    box: SandboxProcess,
    *,
    config: Path,
    history: Path,
    env: dict[str, str],
    users_file: Path,
    names: list[str],
    rate: float,
    batch_id: str,
) -> BulkRun:
    """Run one batch in a fresh process and check what it left behind."""
    before, asked_before = box.delivered(), box.received()
    argv = [
        str(CONSOLE_BIN), "--config", str(config), "resend", "--from-file", str(users_file),
        "--rate", f"{rate:g}", "--batch-id", batch_id, "--new-batch", "--json",
    ]  # fmt: skip
    wall, done = time_process(argv, env, timeout=60 + 3 * len(names) / rate)
    run = BulkRun(variant, len(names), rate, done.returncode, wall, {}, float("nan"))
    try:
        objects = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    except ValueError as exc:
        run.problems.append(f"stdout is not JSON lines: {exc}")
        return run
    if not objects or not objects[-1].get("summary"):
        run.problems.append(f"no summary line; exit {done.returncode}: {done.stderr[-300:]}")
        return run
    run.summary, lines = objects[-1], objects[:-1]
    if done.returncode != 0 or run.delivered != len(names):
        run.problems.append(
            f"exit {done.returncode}, counts {run.summary.get('counts')}, "
            f"errors {run.summary.get('error_counts')}"
        )
    if len(lines) != run.summary.get("attempts"):
        run.problems.append(f"{len(lines)} attempt lines for {run.summary.get('attempts')} calls")
    try:
        run.history_rate = check_history(history, batch_id, lines)
    except AssertionError as exc:
        run.problems.append(f"history: {exc}")
    run.requests = box.received() - asked_before
    delivered = box.delivered() - before
    if delivered != len(names):
        run.problems.append(f"the sandbox delivered {delivered} codes for {len(names)} users")
    return run


def _within(run: BulkRun) -> bool:
    return abs(run.achieved - run.requested) <= TOLERANCE * run.requested


def _rates(runs: list[BulkRun]) -> str:
    values = [r.achieved for r in runs]
    if not values or any(math.isnan(v) for v in values):
        return "n/a"
    stats = summary(values)
    return f"{stats['median']:.1f}/s [{stats['min']:.1f}-{stats['max']:.1f}]"


def _elapsed(runs: list[BulkRun]) -> str:
    values = [float(r.summary.get("elapsed_s") or "nan") for r in runs]
    return f"{statistics.median(values):.2f} s" if values else "n/a"


def start_side_by_side(
    stack: ExitStack, *specs: tuple[int, int, float | None]
) -> list[SandboxProcess]:
    """Start a sandbox process per (users, latency_ms, rate_limit), at once; *stack* stops them."""
    with ThreadPoolExecutor(len(specs)) as pool:
        futures = [pool.submit(SandboxProcess, *spec) for spec in specs]
    started: list[SandboxProcess] = []
    failure: BaseException | None = None
    for future in futures:
        try:
            box = future.result()
        except Exception as exc:
            failure = failure or exc
            continue
        stack.callback(box.stop)
        started.append(box)
    if failure is not None:
        raise failure
    return started


def run(cfg: RunConfig) -> list[Row]:
    folder = cfg.workdir / "bulk-rate"
    folder.mkdir(parents=True, exist_ok=True)
    env = quiet_env(**tui_env(folder / "home"))
    users = cfg.n(500, 100, smoke=10)
    rate = float(cfg.n(100, 50, smoke=20))
    variants = {"rate": rate, "ceiling": CEILING_RATE, "team": rate}
    runs = (cfg.rounds + cfg.warmup) * len(variants)
    blocks = -(-runs // RESENDS_PER_USER)
    results: dict[str, list[BulkRun]] = {v: [] for v in variants}
    throttling = ThrottleCase(
        users=cfg.n(60, 40, smoke=8),
        rate=float(cfg.n(40, 40, smoke=20)),
        limit=float(cfg.n(15, 15, smoke=5)),
    )
    with ExitStack() as stack:
        # Both sandboxes start side by side, before anything is measured.
        box, throttling_box = start_side_by_side(
            stack, (users * blocks, 0, None), (throttling.users, 0, throttling.limit)
        )
        history = folder / "history.sqlite3"
        config = write_config(folder / "config.toml", box.info, history=history)
        team_history = folder / "team-history.sqlite3"
        team_env = {**env, **TEAM_KEYS}  # the other variants keep no keys, as before
        number = 0
        for r in range(-cfg.warmup, cfg.rounds):  # round -1: warm-up
            order = list(variants)
            shift = max(r, 0) % len(order)
            for variant in order[shift:] + order[:shift]:
                block = number // RESENDS_PER_USER
                names = [f"user{block * users + i:04d}" for i in range(1, users + 1)]
                users_file = folder / f"users-{number:02d}.txt"
                users_file.write_text("\n".join(names) + "\n", encoding="utf-8")
                team = variant == "team"
                if team:  # a new table each time: see TEAM_TABLE
                    table = f"{TEAM_TABLE}-{number:02d}"
                    team_config = _team_config(
                        folder / "team.toml", box, team_history, team_env, table
                    )
                result = bulk_run(
                    variant, box, config=team_config if team else config,
                    history=team_history if team else history, env=team_env if team else env,
                    users_file=users_file, names=names, rate=variants[variant],
                    batch_id=f"bench-{number:02d}-{variant}",
                )  # fmt: skip
                if team:
                    _check_team_table(box, result, table)
                number += 1
                if r >= 0:
                    results[variant].append(result)
        throttled = throttling.run(throttling_box, folder / "throttled", env)

    held, ceiling, teamed = results["rate"], results["ceiling"], results["team"]
    problems = [p for r in held + ceiling for p in r.problems]
    team_problems = [p for r in teamed for p in r.problems]
    team_within = sum(_within(r) for r in teamed)
    in_history = not problems
    within = sum(_within(r) for r in held)
    product_rates = [float(r.summary.get("achieved_rate") or "nan") for r in held]
    rows = [
        Row(
            "7",
            f"bulk rate, resend --from-file: {users} users at --rate {rate:g}",
            f"{_rates(held)} achieved ({within}/{len(held)} rounds within 10%); "
            f"batch {_elapsed(held)}; every attempt in history: "
            f"{'yes' if in_history else 'NO'}",
            "within 10%",
            bool(held) and within == len(held) and in_history,
            {
                "runs": [r.to_json() for r in held],
                "summary_achieved_rate": summary(product_rates),
                "problems": problems,
            },
        ),
        Row(
            "7",
            f"bulk ceiling: {users} users at --rate {CEILING_RATE:g}",
            f"{_rates(ceiling)} achieved; batch {_elapsed(ceiling)}",
            "(context)",
            None,
            {"runs": [r.to_json() for r in ceiling]},
        ),
        Row(
            "7",
            f"bulk rate with [team]: {users} users at --rate {rate:g}, a team look-up before "
            "each send, uploads as it goes",
            f"{_rates(teamed)} achieved ({team_within}/{len(teamed)} rounds within 10%); "
            f"batch {_elapsed(teamed)}; every attempt in the team table: "
            f"{'yes' if not team_problems else 'NO'}",
            "within 10%",
            bool(teamed) and team_within == len(teamed) and not team_problems,
            {"runs": [r.to_json() for r in teamed], "problems": team_problems},
        ),
        throttled,
    ]
    if team_problems:
        rows[2].note = f"{len(team_problems)} PROBLEMS, first: {team_problems[0][:200]}"
    if problems:
        rows[0].note = f"{len(problems)} PROBLEMS, first: {problems[0][:200]}"
    return rows


@dataclass(frozen=True)
class ThrottleCase:
    """One batch above the sandbox's --rate-limit: all delivered, throttles retried."""

    users: int
    rate: float
    limit: float

    def run(self, box: SandboxProcess, sub: Path, env: dict[str, str]) -> Row:
        sub.mkdir(exist_ok=True)
        history = sub / "history.sqlite3"
        config = write_config(sub / "config.toml", box.info, history=history)
        names = [f"user{i:04d}" for i in range(1, self.users + 1)]
        users_file = sub / "users.txt"
        users_file.write_text("\n".join(names) + "\n", encoding="utf-8")
        result = bulk_run(
            "throttled", box, config=config, history=history, env=env,
            users_file=users_file, names=names, rate=self.rate, batch_id="bench-throttled",
        )  # fmt: skip
        return self._row(result, history)

    def _row(self, result: BulkRun, history: Path) -> Row:
        users, rate, limit = self.users, self.rate, self.limit
        throttles = int(result.summary.get("throttled") or 0)
        failed_rows = _failed_rows(history, "bench-throttled")
        if failed_rows != throttles:
            result.problems.append(
                f"{failed_rows} failed rows in history for {throttles} throttles"
            )
        ok = not result.problems
        refused = result.requests - result.delivered  # every throttled answer, botocore's included
        value = (
            f"{result.delivered}/{users} delivered; {refused} throttled answers retried "
            f"({refused - throttles} by botocore, {throttles} by the batch); "
            f"{result.summary.get('attempts')} calls, {'all' if ok else 'NOT all'} in history "
            f"({float(result.summary.get('elapsed_s') or 0):.1f} s, {result.achieved:.1f}/s)"
        )
        row = Row(
            "7",
            f"bulk throttled: {users} users at --rate {rate:g}, sandbox limit {limit:g}/s",
            value,
            "all delivered",
            ok,
            {"run": result.to_json()},
        )
        if result.problems:
            row.note = f"PROBLEMS: {'; '.join(result.problems)[:200]}"
        elif refused == 0:
            row.note = "the sandbox throttled nothing: the case was not exercised"
        return row


TEAM_TABLE = "bench-team"
"""Each team run gets a new table of this prefix: moto's Query reads every item of a
table (16.7 ms at 1,500 items), where DynamoDB reads one partition; a table that grew
run after run would measure moto's scan, not the console."""
TEAM_KEYS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}
"""The sandbox checks no signature; the team's client needs some keys to sign with."""


def _team_config(
    path: Path, box: SandboxProcess, history: Path, env: dict[str, str], table: str
) -> Path:
    """The benchmark's config plus a [team] *table* on the sandbox's DynamoDB, created."""
    write_config(path, box.info, history=history)
    with path.open("a", encoding="utf-8") as f:
        f.write(
            f'\n[team]\ntable = "{table}"\nregion = "us-east-1"\n'
            f'endpoint_url = "{box.info.endpoint_url}"\noperator = "bench"\n'
        )
    _, done = time_process([str(CONSOLE_BIN), "--config", str(path), "team", "init"], env)
    if done.returncode != 0:
        raise RuntimeError(f"team init failed: {done.stderr.strip()[-300:]}")
    return path


def _check_team_table(box: SandboxProcess, run: BulkRun, table: str) -> None:
    """Every attempt of the batch reached the team table (uploaded during the run or at its end)."""
    import boto3

    batch_id = str(run.summary.get("batch_id"))
    client = boto3.client(
        "dynamodb",
        endpoint_url=box.info.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=TEAM_KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=TEAM_KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    found = 0
    for page in client.get_paginator("scan").paginate(
        TableName=table,
        FilterExpression="batch_id = :b",
        ExpressionAttributeValues={":b": {"S": batch_id}},
    ):
        found += len(page["Items"])
    if found != run.summary.get("attempts"):
        run.problems.append(
            f"{found} items in the team table for {run.summary.get('attempts')} calls"
        )
    if (run.summary.get("team_check") or {}).get("problem"):
        run.problems.append(f"team table not read: {run.summary['team_check']['problem']}")


def _failed_rows(history_path: Path, batch_id: str) -> int:
    from console.history import History, HistoryFilter

    with History.open(history_path) as history:
        return history.count(HistoryFilter(batch_id=batch_id, outcome="failed"))
