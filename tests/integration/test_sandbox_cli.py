"""`cognito-console sandbox` and `sandbox-outbox` as real processes.

The ready line must be the only thing on stdout (its 3 s target is measured by
benchmarks/), and the process must end with exit 0 on SIGTERM and on SIGINT.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from console.sandbox import Sandbox
from tests.data.hostile import terminal_hazards

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "custom_message_trigger.py"
# Time targets are measured by benchmarks/, not asserted here (a loaded CI
# machine must not fail on speed); this only bounds a hang.
READY_WITHIN_S = 30.0


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "console", *args]


def _run(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_cli(*args), capture_output=True, text=True, timeout=timeout, check=False)


class Running:
    """A sandbox process and its ready line."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            _cli("sandbox", *args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started = time.monotonic()
        lines: queue.Queue[str] = queue.Queue()
        assert self.process.stdout is not None
        stdout = self.process.stdout
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        try:
            self.line = lines.get(timeout=READY_WITHIN_S)
        except queue.Empty:
            self.process.kill()
            raise AssertionError("no ready line") from None
        self.ready_after = time.monotonic() - started
        self.info: dict[str, Any] = json.loads(self.line)

    def stop(self, sig: int) -> tuple[int, str, str]:
        self.process.send_signal(sig)
        rest, err = self.process.communicate(timeout=10)
        return self.process.returncode, rest, err


@pytest.fixture
def running() -> Iterator[Callable[..., Running]]:
    started: list[Running] = []

    def start(*args: str) -> Running:
        proc = Running(*args)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.process.poll() is None:
            proc.process.kill()
            proc.process.wait(timeout=10)


def test_ready_line_then_clean_exit_on_sigterm(
    running: Callable[..., Running], cognito_for: Callable[..., Any]
) -> None:
    proc = running("--port", "0", "--users", "3")
    info = proc.info
    assert set(info) == {"endpoint_url", "region", "user_pool_id", "clients", "users"}
    assert info["endpoint_url"].startswith("http://127.0.0.1:")
    assert info["region"] == "us-east-1"
    assert [c["name"] for c in info["clients"]] == ["public", "confidential"]
    assert "client_secret" not in info["clients"][0]
    assert info["clients"][1]["client_secret"]
    seeded = ["alice", "bob", "carol", "dave", "erin", "frank"]
    assert info["users"] == [*seeded, "user0001", "user0002", "user0003"]

    import boto3
    import botocore
    from botocore.config import Config

    client = boto3.client(
        "cognito-idp",
        endpoint_url=info["endpoint_url"],
        region_name=info["region"],
        config=Config(
            signature_version=botocore.UNSIGNED,
            retries={"mode": "standard", "total_max_attempts": 1},
        ),
    )
    answer = client.resend_confirmation_code(
        ClientId=info["clients"][0]["client_id"], Username="user0002"
    )
    assert answer["CodeDeliveryDetails"]["Destination"] == "u***@e***.com"

    shown = _run("sandbox-outbox", "--endpoint-url", info["endpoint_url"])
    assert shown.returncode == 0, shown.stderr
    assert "user0002 -> user0002@example.com" in shown.stdout

    status, rest, err = proc.stop(signal.SIGTERM)
    assert status == 0, err
    assert rest == ""  # nothing but the ready line ever reached stdout
    assert "Traceback" not in err


def test_clean_exit_on_sigint_with_a_trigger(running: Callable[..., Running]) -> None:
    proc = running("--port", "0", "--custom-message-trigger", f"{EXAMPLE}:handler")
    status, rest, err = proc.stop(signal.SIGINT)
    assert status == 0, err
    assert rest == ""
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--custom-message-trigger", "no-colon"], "trigger must be PATH:EXPORT"),
        (["--custom-message-trigger", "/nonexistent/t.py:handler"], "trigger file not found"),
        (
            ["--custom-message-trigger", f"{EXAMPLE}:missing"],
            "Runtime.HandlerNotFound: Handler 'missing' missing on module",
        ),
        (["--latency-ms", "-1"], "--latency-ms: must be 0 or more"),
        (["--rate-limit", "0"], "--rate-limit"),
        (["--users", "many"], "--users: not a whole number"),
        (["--region", "xx-nowhere-1"], "unknown region for Cognito user pools: xx-nowhere-1"),
        (["--scenario", "ses", "--scenario", "nope"], "unknown scenario 'nope'; known: ses, "),
    ],
    ids=["spec", "file", "function", "latency", "rate", "users", "region", "scenario"],
)
def test_bad_arguments_exit_2_with_one_line(args: list[str], needle: str) -> None:
    result = _run("sandbox", "--port", "0", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_broken_trigger_file_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("def handler(event, context:\n    return event\n")
    result = _run("sandbox", "--port", "0", "--custom-message-trigger", f"{broken}:handler")
    assert result.returncode == 2
    assert "does not load: Runtime.UserCodeSyntaxError: Syntax error in module 'broken'" in (
        result.stderr
    )
    assert len(result.stderr.strip().splitlines()) == 1


def test_taken_port_exits_1_with_one_line(sandbox: Sandbox) -> None:
    port = sandbox.info.endpoint_url.rsplit(":", 1)[1]
    result = _run("sandbox", "--port", port)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "cannot listen on 127.0.0.1:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


# -- sandbox-outbox against the in-process sandbox -------------------------------------------


def test_outbox_human_form_makes_control_characters_visible(
    sandbox: Sandbox, cognito: Any, fresh_user: Callable[..., str]
) -> None:
    user = fresh_user()
    cognito.resend_confirmation_code(
        ClientId=sandbox.info.client("public").client_id,
        Username=user,
        ClientMetadata={"note": "\x1b]52;c;aGk=\x07"},
        AnalyticsMetadata={"AnalyticsEndpointId": "ep-\u202e1"},
    )
    result = _run("sandbox-outbox", "--endpoint-url", sandbox.info.endpoint_url)
    assert result.returncode == 0, result.stderr
    assert terminal_hazards(result.stdout) == []
    block = next(b for b in result.stdout.split("\n\n") if f"{user} ->" in b)
    [delivery] = [d for d in sandbox.outbox() if d["user"] == user]
    assert f"code:               {delivery['code']}" in block
    assert "\\x1b]52;c;aGk=\\x07" in block
    assert "ep-\\u202e1" in block
    assert "subject:            Your verification code" in block
    assert f"    Your verification code is {delivery['code']}." in block


def test_outbox_json_form(sandbox: Sandbox, cognito: Any, fresh_user: Callable[..., str]) -> None:
    user = fresh_user()
    cognito.resend_confirmation_code(
        ClientId=sandbox.info.client("public").client_id, Username=user
    )
    result = _run("sandbox-outbox", "--endpoint-url", sandbox.info.endpoint_url, "--json")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == 1
    deliveries = json.loads(result.stdout)["deliveries"]
    assert deliveries == sandbox.outbox()[: len(deliveries)]
    assert any(d["user"] == user for d in deliveries)


def test_outbox_errors() -> None:
    unreachable = _run("sandbox-outbox", "--endpoint-url", "http://127.0.0.1:9")
    assert unreachable.returncode == 1
    assert "cannot reach http://127.0.0.1:9" in unreachable.stderr
    bad = _run("sandbox-outbox", "--endpoint-url", "ftp://example")
    assert bad.returncode == 2
    assert "not an http(s) URL" in bad.stderr


# -- the AWS CLI sees a Cognito-shaped answer too --------------------------------------------


def _aws() -> str | None:
    venv_aws = Path(sys.executable).with_name("aws")
    return str(venv_aws) if venv_aws.exists() else shutil.which("aws")


@pytest.mark.skipif(_aws() is None, reason="no aws executable")
def test_aws_cli_reads_the_answer(
    sandbox: Sandbox, fresh_user: Callable[..., str], tmp_path: Path
) -> None:
    aws = _aws()
    assert aws is not None
    env = {
        **os.environ,
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
    }
    base = [
        aws,
        "cognito-idp",
        "resend-confirmation-code",
        "--endpoint-url",
        sandbox.info.endpoint_url,
        "--region",
        sandbox.info.region,
        "--no-sign-request",
        "--output",
        "json",
        "--client-id",
        sandbox.info.client("public").client_id,
    ]
    user = fresh_user()
    ok = subprocess.run(
        [*base, "--username", user],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["CodeDeliveryDetails"]["Destination"] == "u***@e***.com"
    ghost = f"ghost-{uuid.uuid4().hex[:6]}"
    failed = subprocess.run(
        [*base, "--username", ghost],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert failed.returncode != 0
    assert "UserNotFoundException" in failed.stderr
    assert "Username/client id combination not found." in failed.stderr
