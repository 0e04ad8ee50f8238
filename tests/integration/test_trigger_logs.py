"""The trigger's CloudWatch Logs: the sandbox writes them under /aws/lambda/<function>, the
console reads them back with logs:FilterLogEvents, as it would from a real pool."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from console.cognito import AdminGateway, AdminSettings, fetch_pool_facts, fetch_trigger_logs
from console.cognito.admin_client import static_credentials
from console.sandbox import Sandbox, start_sandbox
from console.sandbox.denials import DENIED_ACCESS_KEY_ID
from tests.helpers.triggers import TriggerCopy


@pytest.fixture(scope="module")
def triggered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    trigger = TriggerCopy("python", tmp_path_factory.mktemp("logs"))
    with start_sandbox(
        custom_message_trigger=trigger.spec, trigger_env_file=str(trigger.env_file)
    ) as running:
        yield running


def _settings(sandbox: Sandbox) -> AdminSettings:
    return AdminSettings(region=sandbox.info.region, endpoint_url=sandbox.info.endpoint_url)


def _arn(sandbox: Sandbox, gateway: AdminGateway) -> str:
    info = sandbox.info
    result = fetch_pool_facts(
        gateway,
        _settings(sandbox),
        profile_name="sandbox",
        user_pool_id=info.user_pool_id,
        client_id=info.client("public").client_id,
        profile_has_secret=False,
    )
    assert result.facts is not None
    trigger = result.facts.trigger("CustomMessage")
    assert trigger is not None
    return trigger.arn


def _resend(sandbox: Sandbox, cognito_for: Any, **metadata: str) -> str:
    user = f"l-{uuid.uuid4().hex[:8]}"
    sandbox.add_user(user, email=f"{user}@example.com")
    try:
        cognito_for(sandbox).resend_confirmation_code(
            ClientId=sandbox.info.client("public").client_id,
            Username=user,
            **({"ClientMetadata": metadata} if metadata else {}),
        )
    except Exception as exc:
        assert "UserLambdaValidationException" in str(exc)
    return user


def test_the_attempts_trigger_logs_are_read_back(triggered: Sandbox, cognito_for: Any) -> None:
    gateway = AdminGateway(static_credentials("AKIDLOGSREADER01", "dummy"))
    arn = _arn(triggered, gateway)
    assert arn.endswith(":function:sandbox-handler")
    start = int(time.time() * 1000) - 1000
    users = [_resend(triggered, cognito_for), _resend(triggered, cognito_for, mode="raise")]
    end = int(time.time() * 1000) + 1000
    logs = fetch_trigger_logs(gateway, _settings(triggered), arn, start, end)
    assert logs is not None and logs.failure is None
    assert logs.group == "/aws/lambda/sandbox-handler"
    text = "\n".join(logs.lines)
    requests = [
        attempt["request_id"]
        for record in triggered.invocations()
        if record["event"]["userName"] in users
        for attempt in record["attempts"]
    ]
    assert len(requests) >= 2
    for request_id in requests:  # every attempt of both calls, START to REPORT
        assert f"START RequestId: {request_id} Version: $LATEST" in text
        assert f"REPORT RequestId: {request_id}\tDuration: " in text
    assert "mode ok for CustomMessage_ResendCode" in text
    assert "[ERROR] ValueError: no template for this locale" in text
    assert "REPORT RequestId: " in text
    # A window before the attempts holds none of their lines (other sandboxes in this
    # process share moto's logs and the function name, so other lines may be there).
    earlier = fetch_trigger_logs(gateway, _settings(triggered), arn, start - 60_000, start - 30_000)
    assert earlier is not None
    assert not [line for line in earlier.lines for r in requests if r in line]


def test_a_denied_read_names_the_permission(triggered: Sandbox) -> None:
    gateway = AdminGateway(static_credentials(DENIED_ACCESS_KEY_ID, "dummy"))
    arn = "arn:aws:lambda:us-east-1:123456789012:function:sandbox-handler"
    logs = fetch_trigger_logs(gateway, _settings(triggered), arn, 0, int(time.time() * 1000))
    assert logs is not None and logs.failure is not None
    assert logs.failure.permission == "logs:FilterLogEvents"
    assert "may not call logs:FilterLogEvents" in logs.failure.message
    assert logs.summary() == [f"trigger logs (/aws/lambda/sandbox-handler): {logs.failure.message}"]


def test_a_function_that_never_logged(triggered: Sandbox) -> None:
    gateway = AdminGateway(static_credentials("AKIDLOGSREADER01", "dummy"))
    arn = "arn:aws:lambda:us-east-1:123456789012:function:never-ran"
    logs = fetch_trigger_logs(gateway, _settings(triggered), arn, 0, int(time.time() * 1000))
    assert logs is not None and logs.lines == () and logs.failure is None
    assert logs.note == "no such log group: the function has not logged here"
    assert fetch_trigger_logs(gateway, _settings(triggered), "not-an-arn", 0, 1) is None


def test_the_pools_arn_and_the_log_group_agree(tmp_path: Path) -> None:
    from console.sandbox.seed import custom_message_arn
    from console.triggers.spec import function_name_for

    arn = custom_message_arn("us-east-1", f"{tmp_path}/index.mjs:handler")
    assert arn.endswith(f":function:{function_name_for('handler')}")
