"""How a headless command's output ends: all of it in a file, none of it after the reader left."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from console.cognito import Delivery, Outcome, OutcomeKind
from console.history import History

ROWS = 400  # ~190 KB of JSON lines: more than a pipe holds, so the writer blocks


@pytest.fixture
def config_with_history(tmp_path: Path) -> Path:
    history_path = tmp_path / "history.sqlite3"
    history = History.open(history_path)
    assert history._conn is not None
    history._conn.execute("PRAGMA synchronous = OFF")  # a test file needs no fsync
    for i in range(ROWS):
        attempt = history.start_attempt(
            profile="p",
            region="us-east-1",
            user_pool_id="us-east-1_Pool",
            client_id="client-abc",
            username=f"user{i:04d}@example.com",
            client_metadata={"ticket": f"T-{i}", "note": "x" * 200},
            analytics_endpoint_id=None,
        )
        delivery = Delivery("EMAIL", "u***@e***.com", "email")
        history.finish_attempt(attempt, Outcome(OutcomeKind.DELIVERED, delivery=delivery))
    history.close()
    config = tmp_path / "config.toml"
    config.write_text(
        f'[console]\nhistory_path = "{history_path}"\n\n'
        '[profiles.p]\nregion = "us-east-1"\nuser_pool_id = "us-east-1_Pool"\n'
        'client_id = "clientabc"\nendpoint_url = "http://127.0.0.1:9"\n',
        encoding="utf-8",
    )
    config.chmod(0o600)
    return config


def command(config: Path) -> list[str]:
    return [sys.executable, "-m", "console", "--config", str(config), "history", "--json"]


# Buffered, as a user's shell runs it (a CI machine may set PYTHONUNBUFFERED).
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


def test_long_output_to_a_file_is_complete(config_with_history: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with out.open("wb") as sink:
        proc = subprocess.run(
            [*command(config_with_history), "--limit", str(ROWS)],
            stdout=sink,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
            env=ENV,
        )
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == ROWS  # nothing left in a buffer at exit
    assert json.loads(lines[-1])["username"] == "user0000@example.com"


def test_a_reader_that_stops_early_gets_no_traceback(config_with_history: Path) -> None:
    # As `cognito-console history --json | head -1`.
    proc = subprocess.Popen(
        [*command(config_with_history), "--limit", str(ROWS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141  # 128 + SIGPIPE, as a shell shows for `head`
    assert json.loads(first)["username"] == f"user{ROWS - 1:04d}@example.com"
    assert stderr == ""


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_an_export_whose_reader_stops_early_exits_141_quietly(
    config_with_history: Path, fmt: str
) -> None:
    # As `cognito-console history export --format json | head -c 10`.
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "console",
            "--config",
            str(config_with_history),
            "history",
            "export",
            "--format",
            fmt,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    assert proc.stdout is not None and proc.stderr is not None
    head = proc.stdout.read(10)
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert len(head) == 10
    assert stderr == ""
