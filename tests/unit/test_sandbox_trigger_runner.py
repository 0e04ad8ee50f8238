"""The CustomMessage trigger runner in-process: loading, calling, checking answers."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from console.sandbox import TriggerSpecError
from console.sandbox.faults import ServiceError
from console.sandbox.trigger import TriggerRunner, build_event, check_response, load_trigger


def _event() -> dict[str, Any]:
    return build_event(
        region="eu-west-1",
        user_pool_id="eu-west-1_x",
        username="alice",
        client_id="c1",
        user_attributes={"email": "alice@example.com", "cognito:user_status": "UNCONFIRMED"},
        client_metadata={"lang": "fr"},
        sdk_version="aws-sdk-boto3-1.44.0",
    )


def test_event_shape() -> None:
    event = _event()
    assert event["triggerSource"] == "CustomMessage_ResendCode"
    assert event["response"] == {"smsMessage": None, "emailMessage": None, "emailSubject": None}
    assert event["request"]["codeParameter"] == "{####}"
    assert event["request"]["usernameParameter"] is None
    assert event["callerContext"] == {"awsSdkVersion": "aws-sdk-boto3-1.44.0", "clientId": "c1"}


def test_runner_passes_a_copy_and_a_lambda_like_context() -> None:
    seen: dict[str, Any] = {}

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen["remaining"] = context.get_remaining_time_in_millis()
        seen["arn"] = context.invoked_function_arn
        event["request"]["clientMetadata"]["mutated"] = "yes"
        event["response"]["emailMessage"] = "Code: {####}"
        return event

    original = _event()
    produced = TriggerRunner(handler, name="fn", timeout_s=1.0).run(original)
    assert produced.email_message == "Code: {####}"
    assert produced.sms_message is None
    assert "mutated" not in original["request"]["clientMetadata"]
    assert 0 < seen["remaining"] <= 1000
    assert seen["arn"].endswith(":function:fn")


def test_runner_reports_the_handlers_error() -> None:
    def handler(event: dict[str, Any], context: Any) -> None:
        raise RuntimeError("no template for locale")

    with pytest.raises(ServiceError) as excinfo:
        TriggerRunner(handler).run(_event())
    assert excinfo.value.code == "UserLambdaValidationException"
    assert excinfo.value.message == "CustomMessage failed with error no template for locale."


def test_runner_stops_waiting_after_the_timeout() -> None:
    release = threading.Event()

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        release.wait(10)
        return event

    try:
        with pytest.raises(ServiceError) as excinfo:
            TriggerRunner(handler, timeout_s=0.05).run(_event())
    finally:
        release.set()
    assert excinfo.value.code == "UnexpectedLambdaException"
    assert "timed out after 0.05 seconds" in excinfo.value.message


def test_timeout_must_be_positive() -> None:
    with pytest.raises(ValueError):
        TriggerRunner(lambda e, c: e, timeout_s=0)


@pytest.mark.parametrize(
    "response",
    [
        {"smsMessage": 5, "emailMessage": None, "emailSubject": None},
        {"smsMessage": "no code", "emailMessage": None, "emailSubject": None},
    ],
)
def test_bad_responses(response: dict[str, Any]) -> None:
    with pytest.raises(ServiceError) as excinfo:
        check_response({"response": response})
    assert excinfo.value.code == "InvalidLambdaResponseException"


def test_limits_are_inclusive() -> None:
    produced = check_response(
        {
            "response": {
                "smsMessage": "{####}" + "x" * 134,
                "emailMessage": "{####}" + "x" * 19994,
                "emailSubject": "s" * 140,
            }
        }
    )
    assert produced.sms_message is not None and len(produced.sms_message) == 140


def test_load_trigger_errors_are_one_line(tmp_path: Path) -> None:
    good = tmp_path / "good.py"
    good.write_text("def handler(event, context):\n    return event\nnot_callable = 3\n")
    handler, name = load_trigger(f"{good}:handler")
    assert name == "handler" and handler({"x": 1}, None) == {"x": 1}
    failing = tmp_path / "failing.py"
    failing.write_text("raise ImportError('missing dependency\\nsecond line')\n")
    cases = {
        "handler": "trigger must be FILE.py:FUNCTION",
        f"{good}:": "trigger must be FILE.py:FUNCTION",
        f"{good}:not-a-name": "is not a Python function name",
        f"{tmp_path / 'absent.py'}:handler": "trigger file not found",
        f"{good}:missing": "has no function 'missing'",
        f"{good}:not_callable": "is not callable",
        f"{failing}:handler": "cannot import",
    }
    for spec, needle in cases.items():
        with pytest.raises(TriggerSpecError) as excinfo:
            load_trigger(spec)
        assert needle in str(excinfo.value)
        assert "\n" not in str(excinfo.value)
