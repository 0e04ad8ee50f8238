"""The trigger workbench (#13) and the delivery channels (#14) on one sandbox, over HTTP.

Every send goes through the trigger and then the channel: a message the
channel drops still names the invocation that wrote it, the repeat is judged
by the channel too, and the trigger's logs and the pool's delivery errors sit
in the same CloudWatch Logs, behind the same IAM denials.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from console.cognito import AdminGateway, AdminSettings, fetch_trigger_logs
from console.cognito.admin_client import static_credentials
from console.sandbox import Sandbox, start_sandbox
from tests.helpers.triggers import TriggerCopy

ARN = "arn:aws:lambda:us-east-1:123456789012:function:sandbox-handler"


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Sandbox]:
    trigger = TriggerCopy("node", tmp_path)
    with start_sandbox(
        custom_message_trigger=trigger.spec,
        trigger_env_file=str(trigger.env_file),
        scenarios=("ses",),
    ) as running:
        yield running


def _post(box: Sandbox, route: str, body: object | None = None) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310 - the loopback sandbox
        box.info.endpoint_url + route,
        data=None if body is None else json.dumps(body).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=15) as answer:  # noqa: S310 - loopback
        return dict(json.loads(answer.read()))


def _logs(box: Sandbox) -> Any:
    return boto3.client(
        "logs",
        endpoint_url=box.info.endpoint_url,
        region_name=box.info.region,
        aws_access_key_id="AKIDLOGSREADER01",
        aws_secret_access_key="dummy",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )


def _erin(box: Sandbox) -> list[dict[str, Any]]:
    return [d for d in box.outbox() if d["user"] == "erin"]


def test_a_dropped_message_names_its_invocation_and_the_repeat_is_dropped_too(
    box: Sandbox, cognito_for: Any
) -> None:
    public = box.info.client("public").client_id
    answer = cognito_for(box).resend_confirmation_code(ClientId=public, Username="erin")
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"  # Cognito says sent
    (first,) = _erin(box)
    assert (first["status"], first["trigger"]) == ("dropped", True)
    assert "suppression list" in first["dropped_reason"]
    calls = {c["id"]: c for c in box.invocations()}
    assert first["invocation_id"] in calls
    assert calls[first["invocation_id"]]["trigger_source"] == "CustomMessage_ResendCode"

    repeated = _post(box, "/_sandbox/repeat")
    assert repeated["user"] == "erin"
    first_again, second = _erin(box)
    assert first_again == first
    assert second["status"] == "dropped" and "suppression list" in second["dropped_reason"]
    assert second["invocation_id"] in {c["id"] for c in box.invocations()}
    assert second["invocation_id"] != first["invocation_id"]

    group = f"/aws/cognito/userpools/{box.info.user_pool_id}/userNotification"
    events = _logs(box).filter_log_events(logGroupName=group)["events"]
    erins = [json.loads(e["message"]) for e in events]
    assert [e["message"]["userName"] for e in erins].count("erin") == 2


def test_trigger_logs_and_delivery_errors_share_the_logs_and_the_denials(
    box: Sandbox, cognito_for: Any
) -> None:
    start = int(time.time() * 1000) - 1000
    public = box.info.client("public").client_id
    cognito_for(box).resend_confirmation_code(ClientId=public, Username="erin")
    end = int(time.time() * 1000) + 1000
    gateway = AdminGateway(static_credentials("AKIDLOGSREADER01", "dummy"))
    settings = AdminSettings(region=box.info.region, endpoint_url=box.info.endpoint_url)
    logs = fetch_trigger_logs(gateway, settings, ARN, start, end)
    assert logs is not None and logs.failure is None
    assert any(line.startswith("START RequestId: ") for line in logs.lines)
    group = f"/aws/cognito/userpools/{box.info.user_pool_id}/userNotification"
    assert _logs(box).filter_log_events(logGroupName=group)["events"]

    _post(box, "/_sandbox/scenario", {"deny": ["logs:FilterLogEvents"]})
    denied = fetch_trigger_logs(gateway, settings, ARN, start, end)
    assert denied is not None and denied.failure is not None
    assert denied.failure.permission == "logs:FilterLogEvents"
    with pytest.raises(Exception, match="AccessDenied"):
        _logs(box).filter_log_events(logGroupName=group)

    _post(box, "/_sandbox/scenario", {"deny": []})
    again = fetch_trigger_logs(gateway, settings, ARN, start, end)
    assert again is not None and again.failure is None and again.lines == logs.lines
