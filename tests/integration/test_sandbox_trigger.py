"""The CustomMessage trigger runner, through real resends.

One sandbox runs a test trigger whose behaviour is chosen per call by
ClientMetadata["mode"]; another runs the shipped example trigger.
"""

from __future__ import annotations

import json
import textwrap
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from console.sandbox import Sandbox, start_sandbox

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "custom_message_trigger.py"

TRIGGER_SOURCE = """
import json
import time

DUMP = {dump!r}


def handler(event, context):
    with open(DUMP, "w") as f:
        json.dump({{"event": event, "function_name": context.function_name,
                   "remaining": context.get_remaining_time_in_millis()}}, f)
    mode = event["request"]["clientMetadata"].get("mode", "ok")
    response = event["response"]
    if mode == "ok":
        response["emailSubject"] = "Custom subject for " + event["userName"]
        response["emailMessage"] = "Hello " + event["userName"] + ", your code: {{####}}"
        response["smsMessage"] = "SMS code {{####}}"
    elif mode == "raise":
        raise ValueError("boom from trigger")
    elif mode == "nocode":
        response["emailMessage"] = "no placeholder here"
    elif mode == "longsms":
        response["smsMessage"] = "{{####}}" + "x" * 140
    elif mode == "longemail":
        response["emailMessage"] = "{{####}}" + "x" * 20000
    elif mode == "longsubject":
        response["emailSubject"] = "s" * 141
    elif mode == "notdict":
        return "not an event"
    elif mode == "noresponse":
        return {{"version": "1"}}
    elif mode == "nonjson":
        response["emailMessage"] = {{1, 2}}
    elif mode == "slow":
        time.sleep(2)
    return event
"""


@pytest.fixture(scope="module")
def dump_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("trigger") / "last_event.json"


@pytest.fixture(scope="module")
def triggered(dump_path: Path) -> Iterator[Sandbox]:
    source = dump_path.parent / "trigger_under_test.py"
    source.write_text(textwrap.dedent(TRIGGER_SOURCE.format(dump=str(dump_path))))
    with start_sandbox(
        custom_message_trigger=f"{source}:handler", trigger_timeout_s=0.3
    ) as running:
        yield running


@pytest.fixture
def client(triggered: Sandbox, cognito_for: Callable[..., Any]) -> Any:
    return cognito_for(triggered)


def _user(sandbox: Sandbox, *, phone: bool = False) -> str:
    name = f"t-{uuid.uuid4().hex[:10]}"
    if phone:
        sandbox.add_user(name, phone_number="+15555550142")
    else:
        sandbox.add_user(name, email=f"{name}@example.com")
    return name


def _resend(sandbox: Sandbox, client: Any, user: str, **metadata: str) -> Any:
    return client.resend_confirmation_code(
        ClientId=sandbox.info.client("public").client_id,
        Username=user,
        ClientMetadata=metadata,
    )


def _error(sandbox: Sandbox, client: Any, user: str, **metadata: str) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        _resend(sandbox, client, user, **metadata)
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def test_trigger_gets_cognitos_event_and_writes_the_message(
    triggered: Sandbox, client: Any, dump_path: Path
) -> None:
    user = _user(triggered)
    answer = _resend(triggered, client, user, mode="ok", campaign="spring")
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    [delivery] = [d for d in triggered.outbox() if d["user"] == user]
    assert delivery["trigger"] is True
    assert delivery["subject"] == f"Custom subject for {user}"
    assert delivery["body"] == f"Hello {user}, your code: {delivery['code']}"

    seen = json.loads(dump_path.read_text())
    event = seen["event"]
    assert event["version"] == "1"
    assert event["region"] == triggered.info.region
    assert event["userPoolId"] == triggered.info.user_pool_id
    assert event["userName"] == user
    assert event["triggerSource"] == "CustomMessage_ResendCode"
    assert event["callerContext"]["clientId"] == triggered.info.client("public").client_id
    assert event["callerContext"]["awsSdkVersion"].startswith("aws-sdk-")
    request = event["request"]
    assert request["codeParameter"] == "{####}"
    assert request["usernameParameter"] is None
    assert request["clientMetadata"] == {"mode": "ok", "campaign": "spring"}
    attributes = request["userAttributes"]
    assert attributes["email"] == f"{user}@example.com"
    assert attributes["cognito:user_status"] == "UNCONFIRMED"
    assert uuid.UUID(attributes["sub"])
    assert seen["function_name"] == "handler"
    assert 0 <= seen["remaining"] <= 300


def test_trigger_sms_message(triggered: Sandbox, client: Any) -> None:
    user = _user(triggered, phone=True)
    _resend(triggered, client, user, mode="ok")
    [delivery] = [d for d in triggered.outbox() if d["user"] == user]
    assert (delivery["medium"], delivery["trigger"]) == ("SMS", True)
    assert delivery["body"] == f"SMS code {delivery['code']}"


def test_trigger_leaving_messages_empty_means_the_default(triggered: Sandbox, client: Any) -> None:
    user = _user(triggered)
    _resend(triggered, client, user, mode="none")
    [delivery] = [d for d in triggered.outbox() if d["user"] == user]
    assert delivery["trigger"] is False
    assert delivery["subject"] == "Your verification code"
    assert delivery["body"] == f"Your verification code is {delivery['code']}. "


def test_trigger_that_raises(triggered: Sandbox, client: Any) -> None:
    user = _user(triggered)
    assert _error(triggered, client, user, mode="raise") == (
        "UserLambdaValidationException",
        "CustomMessage failed with error boom from trigger.",
    )
    assert not [d for d in triggered.outbox() if d["user"] == user]


@pytest.mark.parametrize(
    ("mode", "phone", "message"),
    [
        (
            "nocode",
            False,
            "Invalid lambda response: emailMessage does not contain the code parameter {####}.",
        ),
        (
            "longsms",
            True,
            "Invalid lambda response: smsMessage is 146 characters, more than the 140 allowed.",
        ),
        (
            "longemail",
            False,
            "Invalid lambda response: emailMessage is 20006 characters, "
            "more than the 20000 allowed.",
        ),
        (
            "longsubject",
            False,
            "Invalid lambda response: emailSubject is 141 characters, more than the 140 allowed.",
        ),
        ("notdict", False, "Invalid lambda response: the event was not returned."),
        (
            "noresponse",
            False,
            "Invalid lambda response: 'response' is missing or not an object.",
        ),
        ("nonjson", False, "Invalid lambda response: the response is not JSON."),
    ],
)
def test_trigger_with_a_bad_response(
    triggered: Sandbox, client: Any, mode: str, phone: bool, message: str
) -> None:
    user = _user(triggered, phone=phone)
    assert _error(triggered, client, user, mode=mode) == ("InvalidLambdaResponseException", message)


def test_slow_trigger_times_out_and_the_sandbox_keeps_serving(
    triggered: Sandbox, client: Any
) -> None:
    user = _user(triggered)
    assert _error(triggered, client, user, mode="slow") == (
        "UnexpectedLambdaException",
        "CustomMessage invocation failed due to error Task timed out after 0.30 seconds.",
    )
    # A failed trigger call does not use up one of the user's five resends.
    for _ in range(5):
        _resend(triggered, client, user, mode="ok")
    assert len([d for d in triggered.outbox() if d["user"] == user]) == 5


# -- the shipped example ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_sandbox() -> Iterator[Sandbox]:
    with start_sandbox(custom_message_trigger=f"{EXAMPLE}:handler") as running:
        yield running


def test_example_trigger_localizes_and_tags_the_campaign(
    example_sandbox: Sandbox, cognito_for: Callable[..., Any]
) -> None:
    client = cognito_for(example_sandbox)
    user = _user(example_sandbox)
    _resend(example_sandbox, client, user, lang="fr", campaign="spring sale")
    [delivery] = [d for d in example_sandbox.outbox() if d["user"] == user]
    assert delivery["trigger"] is True
    assert delivery["subject"] == "Votre nouveau code de vérification"
    body = str(delivery["body"])
    assert f"Voici votre nouveau code de vérification : {delivery['code']}" in body
    assert f"code={delivery['code']}" in body
    assert "utm_campaign=spring%20sale" in body
    assert delivery["client_metadata"] == {"lang": "fr", "campaign": "spring sale"}


def test_example_trigger_sms_defaults_to_english(
    example_sandbox: Sandbox, cognito_for: Callable[..., Any]
) -> None:
    client = cognito_for(example_sandbox)
    _resend(example_sandbox, client, "bob", lang="xx")
    delivery = example_sandbox.outbox()[-1]
    assert delivery["user"] == "bob"
    assert delivery["body"] == f"Your ExampleApp code is {delivery['code']}"


def test_example_trigger_leaves_other_sources_alone() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("example_trigger", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    event = {
        "triggerSource": "CustomMessage_ForgotPassword",
        "response": {"smsMessage": None, "emailMessage": None, "emailSubject": None},
    }
    assert module.handler(json.loads(json.dumps(event)), None) == event
