"""Figure 8: a full delivery doctor run against the sandbox.

The sandbox (a process of its own) plays the SES scenario, so erin's run
finds her address on the suppression list and every one of the 13 checks
makes its calls (the user, the pool, SES, the log delivery and its log
group, history). Three ways an operator meets it:

- ``cli``: ``cognito-console doctor --username erin --json``, a fresh
  process each round (interpreter start, imports, four SDK clients, the
  checks, the answer). Target: under 1 s.
- ``cold``: :func:`console.usecases.run_doctor` in a process that has
  imported everything but made no client yet (the TUI's first doctor).
- ``warm``: the same again with the clients made (every later run).

Each round runs the three in a rotating order; the verdict must be
``blocking`` with ``ses-suppression`` among the causes, or the round fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

from benchmarks.common import (
    CONSOLE_BIN,
    PYTHON,
    REPO,
    Row,
    RunConfig,
    fmt_ms,
    ms,
    quiet_env,
    sandbox,
    summary,
    time_process,
    write_config,
)

TARGET_MS = 1000.0
_KEYS = {"AWS_ACCESS_KEY_ID": "AKIDBENCHMARK", "AWS_SECRET_ACCESS_KEY": "benchmark"}

_IN_PROCESS = r"""
import json, sys, time
from console.cognito import AdminGateway, AdminSettings
from console.usecases import run_doctor
endpoint, region, pool = sys.argv[1:4]
settings = AdminSettings(region=region, endpoint_url=endpoint)
gateway = AdminGateway()
out = []
for _ in range(2):
    started = time.perf_counter()
    report = run_doctor(gateway, settings, profile="bench", user_pool_id=pool, username="erin")
    out.append([time.perf_counter() - started, report.verdict.value,
                [c.id for c in report.blocking]])
print(json.dumps(out))
"""


def _scenario(endpoint: str, body: dict[str, object]) -> None:
    request = urllib.request.Request(
        endpoint + "/_sandbox/scenario", data=json.dumps(body).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()


def _check(verdict: str, blocking: list[str], where: str) -> None:
    if verdict != "blocking" or "ses-suppression" not in blocking:
        raise RuntimeError(f"{where}: unexpected doctor answer {verdict} {blocking}")


def run(cfg: RunConfig) -> list[Row]:
    """Measure the three ways, side by side, every round."""
    rounds = cfg.rounds
    cli_s: list[float] = []
    cold_s: list[float] = []
    warm_s: list[float] = []
    env = quiet_env(PYTHONPATH=str(REPO), **_KEYS)
    with sandbox(0) as box:
        info = box.info
        _scenario(info.endpoint_url, {"name": "ses"})
        work = cfg.workdir / "doctor"
        work.mkdir(parents=True, exist_ok=True)
        config = write_config(work / "config.toml", info, history=work / "history.sqlite3")
        cli = [str(CONSOLE_BIN), "--config", str(config), "doctor", "--username", "erin", "--json"]
        in_process = [PYTHON, "-c", _IN_PROCESS, info.endpoint_url, info.region, info.user_pool_id]
        for index in range(cfg.warmup + rounds):
            order = ["cli", "process"][index % 2 :] + ["cli", "process"][: index % 2]
            for which in order:
                if which == "cli":
                    wall, done = time_process(cli, env)
                    if done.returncode != 1:
                        raise RuntimeError(f"doctor exited {done.returncode}: {done.stderr[-300:]}")
                    report = json.loads(done.stdout)
                    blocking = [c["id"] for c in report["checks"] if c["status"] == "blocking"]
                    _check(report["verdict"], blocking, "cli")
                    if index >= cfg.warmup:
                        cli_s.append(wall)
                else:
                    done = subprocess.run(
                        in_process, capture_output=True, text=True, env=env, timeout=60, check=False
                    )
                    if done.returncode != 0:
                        raise RuntimeError(f"in-process doctor failed: {done.stderr[-300:]}")
                    (cold, verdict, causes), (warm, verdict2, causes2) = json.loads(done.stdout)
                    _check(verdict, causes, "cold")
                    _check(verdict2, causes2, "warm")
                    if index >= cfg.warmup:
                        cold_s.append(cold)
                        warm_s.append(warm)
    cli_ms = summary([ms(s) for s in cli_s])
    cold_ms = summary([ms(s) for s in cold_s])
    warm_ms = summary([ms(s) for s in warm_s])
    return [
        Row(
            "8",
            "full doctor run, one-shot `doctor --username erin --json` (13 checks, SES scenario)",
            fmt_ms(cli_ms),
            "< 1000 ms",
            cli_ms["max"] < TARGET_MS if cli_ms.get("n") else None,
            {"cli_ms": cli_ms},
        ),
        Row(
            "8",
            "same in process, first run (clients made during the run: the TUI's first doctor)",
            fmt_ms(cold_ms),
            "< 1000 ms",
            cold_ms["max"] < TARGET_MS if cold_ms.get("n") else None,
            {"cold_ms": cold_ms},
        ),
        Row(
            "8",
            "same in process, clients warm (every later doctor)",
            fmt_ms(warm_ms),
            "-",
            None,
            {"warm_ms": warm_ms},
        ),
    ]


if __name__ == "__main__":  # pragma: no cover - run through benchmarks/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    for row in run(RunConfig(quick=True, rounds=3)):
        print(row.to_json())
