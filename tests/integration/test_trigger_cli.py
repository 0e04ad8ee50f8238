"""`sandbox-invocations`, `sandbox-outbox` (newest first), `trigger invoke` and `trigger event`,
as real processes against a sandbox running the test triggers."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from console.sandbox import Sandbox, start_sandbox
from tests.helpers.triggers import TRIGGERS, TriggerCopy

NODE = TRIGGERS / "node_esm" / "index.mjs"
PYTHON = TRIGGERS / "python" / "trigger.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "console", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def triggered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    trigger = TriggerCopy("python", tmp_path_factory.mktemp("cli"))
    with start_sandbox(
        custom_message_trigger=trigger.spec, trigger_env_file=str(trigger.env_file)
    ) as running:
        yield running


def _resend(sandbox: Sandbox, cognito_for: Any, **metadata: str) -> str:
    user = f"c-{uuid.uuid4().hex[:10]}"
    sandbox.add_user(user, email=f"{user}@example.com")
    with contextlib.suppress(ClientError):  # a failing trigger is what some tests want
        cognito_for(sandbox).resend_confirmation_code(
            ClientId=sandbox.info.client("public").client_id,
            Username=user,
            **({"ClientMetadata": metadata} if metadata else {}),
        )
    return user


def test_invocations_newest_first_with_logs_and_traceback(
    triggered: Sandbox, cognito_for: Any
) -> None:
    ok = _resend(triggered, cognito_for)
    failed = _resend(triggered, cognito_for, mode="raise", note="\x1b]52;c;aGk=\x07")
    result = _run("sandbox-invocations", "--endpoint-url", triggered.info.endpoint_url)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "\x1b" not in text
    assert text.index(f"  {failed}  ") < text.index(f"  {ok}  ")  # newest first
    block = next(b for b in text.split("\n\n") if f"  {failed}  " in b)
    assert "CustomMessage_ResendCode" in block
    assert (
        "outcome:    failed: UserLambdaValidationException: "
        "CustomMessage failed with error no template for this locale." in block
    )
    assert "attempt 1: error" in block
    assert "    START RequestId: " in block
    assert "mode raise for CustomMessage_ResendCode" in block
    assert "warning from the handler" in block
    assert "  traceback:\n    Traceback (most recent call last):" in block
    assert "ValueError: no template for this locale" in block

    as_json = _run("sandbox-invocations", "--endpoint-url", triggered.info.endpoint_url, "--json")
    records = json.loads(as_json.stdout)["invocations"]
    [record] = [r for r in records if r["event"]["userName"] == failed]
    assert record["event"]["request"]["clientMetadata"]["note"] == "\x1b]52;c;aGk=\x07"


def test_outbox_is_newest_first_and_names_the_invocation(
    triggered: Sandbox, cognito_for: Any
) -> None:
    first = _resend(triggered, cognito_for)
    second = _resend(triggered, cognito_for)
    result = _run("sandbox-outbox", "--endpoint-url", triggered.info.endpoint_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.index(f"{second} ->") < result.stdout.index(f"{first} ->")
    [delivery] = [d for d in triggered.outbox() if d["user"] == second]
    assert f"invocation:         {delivery['invocation_id']}" in result.stdout


def test_invocations_errors() -> None:
    unreachable = _run("sandbox-invocations", "--endpoint-url", "http://127.0.0.1:9")
    assert unreachable.returncode == 1
    assert "cognito-console sandbox-invocations: cannot reach http://127.0.0.1:9" in (
        unreachable.stderr
    )


def test_trigger_event_writes_the_sandbox_event() -> None:
    result = _run(
        "trigger", "event", "--source", "CustomMessage_UpdateUserAttribute", "--user", "ann",
        "--meta", "lang=fr",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    event = json.loads(result.stdout)
    assert event["triggerSource"] == "CustomMessage_UpdateUserAttribute"
    assert event["userName"] == "ann"
    assert event["request"]["clientMetadata"] == {"lang": "fr"}
    assert event["request"]["linkParameter"] == "{##Click Here##}"
    assert event["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"
    without = json.loads(
        _run("trigger", "event", "--source", "CustomMessage_Authentication").stdout
    )
    assert "clientMetadata" not in without["request"]


def test_trigger_event_refuses_an_unknown_source() -> None:
    result = _run("trigger", "event", "--source", "CustomMessage_Nope")
    assert result.returncode == 2
    assert "invalid choice: 'CustomMessage_Nope'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("handler", "source"),
    [(NODE, "CustomMessage_VerifyUserAttribute"), (PYTHON, "CustomMessage_Authentication")],
)
def test_trigger_invoke_prints_the_message_logs_and_duration(handler: Path, source: str) -> None:
    result = _run("trigger", "invoke", f"{handler}:handler", "--source", source, "--user", "ann")
    assert result.returncode == 0, result.stderr
    assert f"  {source}  ann  EMAIL" in result.stdout
    assert "outcome:    ok" in result.stdout
    assert " ms in 1 attempt\n" in result.stdout
    assert f"mode ok for {source}" in result.stdout
    assert "message (EMAIL, code shown as 123456):" in result.stdout
    assert "your code is 123456" in result.stdout


def test_trigger_invoke_failure_and_json() -> None:
    result = _run(
        "trigger", "invoke", f"{NODE}:handler", "--source", "CustomMessage_SignUp",
        "--phone", "+15555550100", "--meta", "mode=longsms", "--json",
    )  # fmt: skip
    assert result.returncode == 1
    record = json.loads(result.stdout)
    assert record["medium"] == "SMS"
    assert record["error_code"] == "InvalidParameterException"
    assert record["rendered"] is None
    bad = _run("trigger", "invoke", "nowhere.mjs:handler", "--source", "CustomMessage_SignUp")
    assert bad.returncode == 2
    assert bad.stderr == "cognito-console trigger invoke: trigger file not found: nowhere.mjs\n"
