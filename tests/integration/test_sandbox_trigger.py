"""The admin's CustomMessage trigger, Node.js and Python, run in child processes by the sandbox.

Real handlers from tests/data/triggers/ (copied to a temporary folder), real
boto3 clients over HTTP. The behaviour of the test handlers comes from
ClientMetadata["mode"]; each dumps what it saw (see tests/helpers/triggers.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from console.sandbox import Sandbox, start_sandbox
from console.triggers import TriggerSpecError
from tests.helpers.cognito_answers import cognito_error
from tests.helpers.triggers import TriggerCopy

EMAIL_PATTERN = r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*"


def _name(prefix: str = "t") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _invocations(sandbox: Sandbox) -> list[dict[str, Any]]:
    url = sandbox.info.endpoint_url + "/_sandbox/invocations"
    with urlopen(url, timeout=10) as answer:  # noqa: S310 - the sandbox, http on loopback
        body: dict[str, Any] = json.loads(answer.read())
    return body["invocations"]


def _invocation_for(sandbox: Sandbox, user: str) -> dict[str, Any]:
    return [i for i in _invocations(sandbox) if i["event"]["userName"] == user][-1]


def _user(sandbox: Sandbox, *, phone: bool = False, confirmed: bool = False) -> str:
    name = _name()
    if phone:
        sandbox.add_user(name, phone_number="+15555550142", confirmed=confirmed)
    else:
        sandbox.add_user(name, email=f"{name}@example.com", confirmed=confirmed)
    return name


def _resend(sandbox: Sandbox, client: Any, user: str, **metadata: str) -> Any:
    extra = {"ClientMetadata": metadata} if metadata else {}
    return client.resend_confirmation_code(
        ClientId=sandbox.info.client("public").client_id, Username=user, **extra
    )


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sandbox, TriggerCopy]]:
    trigger = TriggerCopy("node", tmp_path_factory.mktemp("node"), APP_BRAND="Acme")
    with start_sandbox(
        custom_message_trigger=trigger.spec, trigger_env_file=str(trigger.env_file)
    ) as running:
        yield running, trigger


@pytest.fixture(scope="module")
def python(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sandbox, TriggerCopy]]:
    trigger = TriggerCopy("python", tmp_path_factory.mktemp("python"), APP_BRAND="Acme")
    with start_sandbox(
        custom_message_trigger=trigger.spec, trigger_env_file=str(trigger.env_file)
    ) as running:
        yield running, trigger


# -- the event, for every source the sandbox sends ----------------------------------------------


def test_node_resend_event_fields(node: tuple[Sandbox, TriggerCopy], cognito_for: Any) -> None:
    sandbox, trigger = node
    user = _user(sandbox)
    _resend(sandbox, cognito_for(sandbox), user)
    event = trigger.seen(user)["event"]
    assert set(event) == {
        "version", "triggerSource", "region", "userPoolId", "userName",
        "callerContext", "request", "response",
    }  # fmt: skip
    assert event["triggerSource"] == "CustomMessage_ResendCode"
    assert event["callerContext"] == {
        "awsSdkVersion": event["callerContext"]["awsSdkVersion"],
        "clientId": sandbox.info.client("public").client_id,
    }
    assert event["callerContext"]["awsSdkVersion"].startswith("aws-sdk-boto3-")
    request = event["request"]
    # No ClientMetadata sent: no key at all, as Cognito (a handler reading it crashes there too).
    assert set(request) == {"userAttributes", "codeParameter", "linkParameter", "usernameParameter"}
    assert request["codeParameter"] == "{####}"
    assert request["linkParameter"] == "{##Click Here##}"
    assert request["usernameParameter"] is None
    attributes = request["userAttributes"]
    assert attributes["cognito:user_status"] == "UNCONFIRMED"
    assert attributes["email_verified"] == "false"
    assert uuid.UUID(attributes["sub"])
    assert all(isinstance(value, str) for value in attributes.values())
    assert event["response"] == {"smsMessage": None, "emailMessage": None, "emailSubject": None}
    [delivery] = [d for d in sandbox.outbox() if d["user"] == user]
    assert delivery["subject"] == f"Hello from Node {user}"
    assert delivery["body"] == f"<p>Hello from Node {user}, your code is {delivery['code']}.</p>"


def test_client_metadata_only_when_sent(
    node: tuple[Sandbox, TriggerCopy], cognito_for: Any
) -> None:
    sandbox, trigger = node
    user = _user(sandbox)
    _resend(sandbox, cognito_for(sandbox), user, campaign="spring")
    assert trigger.seen(user)["event"]["request"]["clientMetadata"] == {"campaign": "spring"}


def test_node_sign_up_forgot_password_and_invitation_sources(
    node: tuple[Sandbox, TriggerCopy], cognito_for: Any, admin_for: Any
) -> None:
    sandbox, trigger = node
    client = cognito_for(sandbox)
    public = sandbox.info.client("public").client_id
    signed_up = _name("su")
    client.sign_up(
        ClientId=public,
        Username=signed_up,
        Password="Passw0rd!x",
        UserAttributes=[{"Name": "email", "Value": f"{signed_up}@example.com"}],
        ClientMetadata={"lang": "fr"},
    )
    event = trigger.seen(signed_up)["event"]
    assert event["triggerSource"] == "CustomMessage_SignUp"
    assert event["request"]["clientMetadata"] == {"lang": "fr"}

    reset = _user(sandbox, confirmed=True)
    client.forgot_password(ClientId=public, Username=reset)
    event = trigger.seen(reset)["event"]
    assert event["triggerSource"] == "CustomMessage_ForgotPassword"
    assert event["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"
    assert event["request"]["userAttributes"]["email_verified"] == "true"

    invited = _name("in")
    admin_for(sandbox).admin_create_user(
        UserPoolId=sandbox.info.user_pool_id,
        Username=invited,
        UserAttributes=[{"Name": "email", "Value": f"{invited}@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
    )
    event = trigger.seen(invited)["event"]
    assert event["triggerSource"] == "CustomMessage_AdminCreateUser"
    assert event["request"]["usernameParameter"] == "{username}"
    assert event["callerContext"]["clientId"] == "CLIENT_ID_NOT_APPLICABLE"
    assert event["request"]["userAttributes"]["cognito:user_status"] == "FORCE_CHANGE_PASSWORD"
    [delivery] = [d for d in sandbox.outbox() if d["user"] == invited]
    assert delivery["body"].endswith(f"User: {invited}")
    assert delivery["code"] in delivery["body"]


# -- the child process: folder, environment, interpreter, reload --------------------------------


@pytest.mark.parametrize("runtime", ["node", "python"])
def test_the_handler_runs_in_its_folder_with_lambdas_environment(
    runtime: str, request: pytest.FixtureRequest, cognito_for: Any
) -> None:
    sandbox, trigger = request.getfixturevalue(runtime)
    user = _user(sandbox)
    _resend(sandbox, cognito_for(sandbox), user)
    seen = trigger.seen(user)
    assert seen["pid"] != os.getpid()
    assert Path(seen["cwd"]) == trigger.folder.resolve()
    env = seen["env"]
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == sandbox.info.region
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == seen["functionName"] == "sandbox-handler"
    assert env["AWS_LAMBDA_LOG_GROUP_NAME"] == "/aws/lambda/sandbox-handler"
    assert env["_HANDLER"] == f"{trigger.file.stem}.handler"
    assert env["AWS_EXECUTION_ENV"].startswith(
        "AWS_Lambda_nodejs" if runtime == "node" else "AWS_Lambda_python3."
    )
    assert env["LAMBDA_TASK_ROOT"] == str(trigger.folder.resolve())
    assert env["TZ"] == ":UTC"
    assert env["APP_BRAND"] == "Acme"  # from --trigger-env-file
    assert env["VIRTUAL_ENV"] is None and env["AWS_ACCESS_KEY_ID"] is None
    assert 0 < seen["remaining"] <= 5000
    if runtime == "python":
        assert not seen["executable"].startswith(sys.prefix)


def test_an_edited_handler_is_loaded_afresh(
    node: tuple[Sandbox, TriggerCopy], cognito_for: Any
) -> None:
    sandbox, trigger = node
    client = cognito_for(sandbox)
    greeting = trigger.folder / "lib" / "greeting.mjs"
    original = greeting.read_text()
    first, second = _user(sandbox), _user(sandbox)
    _resend(sandbox, client, first)
    try:
        greeting.write_text(original.replace(".trim()", '.trim().toUpperCase() + "!"'))
        _resend(sandbox, client, second)
    finally:
        greeting.write_text(original)
    bodies = {d["user"]: d["body"] for d in sandbox.outbox() if d["user"] in (first, second)}
    assert bodies[first].startswith("<p>Hello from Node ")
    assert bodies[second].startswith("<p>HELLO FROM NODE! ")


def test_a_callback_style_commonjs_handler(tmp_path: Path, cognito_for: Any) -> None:
    trigger = TriggerCopy("node-callback", tmp_path)
    with start_sandbox(custom_message_trigger=trigger.spec) as sandbox:
        client = cognito_for(sandbox)
        user = _user(sandbox, phone=True)
        _resend(sandbox, client, user)
        [delivery] = [d for d in sandbox.outbox() if d["user"] == user]
        assert delivery["body"] == f"Callback code {delivery['code']}"
        failing = _user(sandbox)
        assert cognito_error(lambda: _resend(sandbox, client, failing, mode="raise")) == (
            "UserLambdaValidationException",
            "CustomMessage failed with error callback said no.",
        )


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A Python with no packages at all, like Lambda's runtime minus boto3."""
    bare = tmp_path_factory.mktemp("bare") / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True, timeout=60
    )
    return str(bare / "bin" / "python")


def test_a_package_only_our_venv_has_fails_as_in_lambda(
    tmp_path: Path, cognito_for: Any, bare_python: str
) -> None:
    import pydantic  # noqa: F401 - our venv has it; the bare one does not

    trigger = TriggerCopy("python-imports", tmp_path)
    with start_sandbox(custom_message_trigger=trigger.spec, trigger_python=bare_python) as sandbox:
        user = _user(sandbox)
        assert cognito_error(lambda: _resend(sandbox, cognito_for(sandbox), user)) == (
            "UserLambdaValidationException",
            "CustomMessage failed with error No module named 'pydantic'.",
        )
        record = _invocation_for(sandbox, user)
    assert record["attempts"][0]["error_type"] == "ModuleNotFoundError"
    assert "ModuleNotFoundError: No module named 'pydantic'" in record["traceback"]


def test_a_module_that_does_not_load_is_refused_at_start(tmp_path: Path, bare_python: str) -> None:
    trigger = TriggerCopy("python-imports", tmp_path)
    with pytest.raises(TriggerSpecError) as excinfo:
        start_sandbox(
            custom_message_trigger=f"{trigger.folder / 'eager.py'}:handler",
            trigger_python=bare_python,
        )
    assert str(excinfo.value) == (
        f"eager.py:handler ({bare_python}) does not load: Runtime.ImportModuleError: "
        "Unable to import module 'eager': No module named 'pydantic'"
    )


# -- failures as Cognito reports them -----------------------------------------------------------


def test_a_handler_that_throws(python: tuple[Sandbox, TriggerCopy], cognito_for: Any) -> None:
    sandbox, _ = python
    user = _user(sandbox)
    assert cognito_error(lambda: _resend(sandbox, cognito_for(sandbox), user, mode="raise")) == (
        "UserLambdaValidationException",
        "CustomMessage failed with error no template for this locale.",
    )
    record = _invocation_for(sandbox, user)
    assert record["outcome"] == "failed"
    assert record["error_code"] == "UserLambdaValidationException"
    [attempt] = record["attempts"]
    assert attempt["outcome"] == "error"
    assert "mode raise for CustomMessage_ResendCode" in attempt["stdout"]
    assert "[WARNING]" in attempt["stderr"] and "warning from the handler" in attempt["stderr"]
    assert record["traceback"].startswith("Traceback (most recent call last):")
    assert 'trigger.py", line' in record["traceback"]
    assert record["traceback"].rstrip().endswith("ValueError: no template for this locale")
    assert not [d for d in sandbox.outbox() if d["user"] == user]


@pytest.mark.parametrize(
    ("mode", "phone", "expected"),
    [
        ("nothing", False, ("InvalidLambdaResponseException", "Unrecognizable lambda output")),
        ("noresponse", False, ("InvalidLambdaResponseException", "Unrecognizable lambda output")),
        (
            "nocode",
            False,
            (
                "InvalidParameterException",
                "1 validation error detected: Value 'Welcome! No code here.' at 'emailBody' "
                f"failed to satisfy constraint: Member must satisfy regular expression "
                f"pattern: {EMAIL_PATTERN}",
            ),
        ),
        (
            "nbsp",
            False,
            (
                "InvalidParameterException",
                "1 validation error detected: Value 'Your code:\u00a0{####}' at 'emailBody' "
                f"failed to satisfy constraint: Member must satisfy regular expression "
                f"pattern: {EMAIL_PATTERN}",
            ),
        ),
    ],
)
def test_unusable_answers(
    node: tuple[Sandbox, TriggerCopy],
    cognito_for: Any,
    mode: str,
    phone: bool,
    expected: tuple[str, str],
) -> None:
    sandbox, _ = node
    user = _user(sandbox, phone=phone)
    assert (
        cognito_error(lambda: _resend(sandbox, cognito_for(sandbox), user, mode=mode)) == expected
    )


def test_lengths_are_checked_for_the_medium_sent(
    node: tuple[Sandbox, TriggerCopy], cognito_for: Any
) -> None:
    sandbox, _ = node
    client = cognito_for(sandbox)
    code, message = cognito_error(
        lambda: _resend(sandbox, client, _user(sandbox, phone=True), mode="longsms")
    )
    assert code == "InvalidParameterException"
    assert message.endswith(
        "at 'smsMessage' failed to satisfy constraint: "
        "Member must have length less than or equal to 140"
    )
    code, message = cognito_error(
        lambda: _resend(sandbox, client, _user(sandbox), mode="longemail")
    )
    assert message.endswith("Member must have length less than or equal to 20000")
    # Only the medium sent is checked: an SMS goes out though the email would be refused.
    user = _user(sandbox, phone=True)
    _resend(sandbox, client, user, **{"mode": "email-only-bad"})
    [delivery] = [d for d in sandbox.outbox() if d["user"] == user]
    assert delivery["body"] == f"SMS with {delivery['code']}"


def test_output_is_bounded(node: tuple[Sandbox, TriggerCopy], cognito_for: Any) -> None:
    sandbox, _ = node
    user = _user(sandbox)
    _resend(sandbox, cognito_for(sandbox), user, mode="spam")
    [attempt] = _invocation_for(sandbox, user)["attempts"]
    assert len(attempt["stdout"].encode()) <= 256 * 1024
    assert attempt["dropped_bytes"] > 500_000


def test_a_slow_handler_is_killed_and_retried_three_times(tmp_path: Path, cognito_for: Any) -> None:
    trigger = TriggerCopy("python", tmp_path)
    with start_sandbox(
        custom_message_trigger=trigger.spec,
        trigger_env_file=str(trigger.env_file),
        trigger_timeout_s=1.0,
    ) as sandbox:
        user = _user(sandbox)
        assert cognito_error(lambda: _resend(sandbox, cognito_for(sandbox), user, mode="slow")) == (
            "UnexpectedLambdaException",
            "CustomMessage invocation failed due to error Socket timeout while invoking "
            "Lambda function.",
        )
        record = _invocation_for(sandbox, user)
    assert [a["outcome"] for a in record["attempts"]] == ["timed out"] * 3
    assert all(a["duration_ms"] >= 1000 for a in record["attempts"])
    pid = trigger.seen(user)["pid"]
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the stuck child was killed, not left running


def test_outbox_entries_name_their_invocation(
    python: tuple[Sandbox, TriggerCopy], cognito_for: Any
) -> None:
    sandbox, _ = python
    user = _user(sandbox)
    _resend(sandbox, cognito_for(sandbox), user)
    [delivery] = [d for d in sandbox.outbox() if d["user"] == user]
    record = _invocation_for(sandbox, user)
    assert delivery["invocation_id"] == record["id"]
    assert record["outcome"] == "ok" and record["wrote_message"] is True
    assert record["response"]["result"]["response"]["emailMessage"].endswith("{####}.")
    assert record["logs"][0].startswith("START RequestId: ")
    assert any(line.startswith("REPORT RequestId: ") for line in record["logs"])


# -- the signed-in user's attribute codes ---------------------------------------------------------


def _signed_in(sandbox: Sandbox, client: Any) -> tuple[str, str]:
    """A new CONFIRMED user with an email, and its access token."""
    public = sandbox.info.client("public").client_id
    user = _name("at")
    client.sign_up(
        ClientId=public,
        Username=user,
        Password="Passw0rd!x",
        UserAttributes=[{"Name": "email", "Value": f"{user}@example.com"}],
    )
    [code] = [d["code"] for d in sandbox.outbox() if d["user"] == user]
    client.confirm_sign_up(ClientId=public, Username=user, ConfirmationCode=code)
    tokens = client.initiate_auth(
        ClientId=public,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user, "PASSWORD": "Passw0rd!x"},
    )["AuthenticationResult"]
    return user, tokens["AccessToken"]


def test_attribute_codes_run_the_update_and_verify_sources(
    node: tuple[Sandbox, TriggerCopy], cognito_for: Any
) -> None:
    sandbox, trigger = node
    client = cognito_for(sandbox)
    user, token = _signed_in(sandbox, client)

    answer = client.get_user_attribute_verification_code(
        AccessToken=token, AttributeName="email", ClientMetadata={"lang": "de"}
    )
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    event = trigger.seen(user)["event"]
    assert event["triggerSource"] == "CustomMessage_VerifyUserAttribute"
    assert event["request"]["clientMetadata"] == {"lang": "de"}
    assert event["callerContext"]["clientId"] == sandbox.info.client("public").client_id

    answer = client.update_user_attributes(
        AccessToken=token,
        UserAttributes=[{"Name": "email", "Value": f"new-{user}@example.com"}],
    )
    [details] = answer["CodeDeliveryDetailsList"]
    assert details["AttributeName"] == "email"
    event = trigger.seen(user)["event"]
    assert event["triggerSource"] == "CustomMessage_UpdateUserAttribute"
    assert event["request"]["userAttributes"]["email"] == f"new-{user}@example.com"
    assert event["request"]["userAttributes"]["email_verified"] == "false"
    assert "clientMetadata" not in event["request"]

    newest = [d for d in sandbox.outbox() if d["user"] == user][-1]
    assert newest["destination"] == f"new-{user}@example.com"
    assert (
        cognito_error(
            lambda: client.verify_user_attribute(
                AccessToken=token, AttributeName="email", Code="000000"
            )
        )[0]
        == "CodeMismatchException"
    )
    client.verify_user_attribute(AccessToken=token, AttributeName="email", Code=newest["code"])
    got = client.get_user(AccessToken=token)
    attributes = {a["Name"]: a["Value"] for a in got["UserAttributes"]}
    assert attributes["email_verified"] == "true"
    assert cognito_error(
        lambda: client.get_user_attribute_verification_code(
            AccessToken="not-a-token", AttributeName="email"
        )
    ) == ("NotAuthorizedException", "Invalid Access Token")


def test_repeat_sends_the_last_message_again_through_the_edited_handler(
    tmp_path: Path, cognito_for: Any
) -> None:
    trigger = TriggerCopy("node", tmp_path)
    with start_sandbox(
        custom_message_trigger=trigger.spec, trigger_env_file=str(trigger.env_file)
    ) as sandbox:
        url = sandbox.info.endpoint_url + "/_sandbox/repeat"
        with pytest.raises(HTTPError) as nothing:
            urlopen(Request(url, method="POST"), timeout=10)  # noqa: S310 - loopback sandbox
        assert json.loads(nothing.value.read())["__type"] == "ResourceNotFoundException"
        user = _user(sandbox)
        _resend(sandbox, cognito_for(sandbox), user, lang="fr")
        (trigger.folder / "greeting.txt").write_text("Bonjour")
        with urlopen(Request(url, method="POST"), timeout=10) as answer:  # noqa: S310
            repeated = json.loads(answer.read())
        assert repeated["user"] == user
        assert repeated["trigger_source"] == "CustomMessage_ResendCode"
        first, second = [d for d in sandbox.outbox() if d["user"] == user]
        assert first["body"].startswith("<p>Hello from Node ")
        assert second["body"].startswith("<p>Bonjour ")
        assert second["code"] != first["code"] or second["invocation_id"] != first["invocation_id"]
        assert trigger.seen(user)["event"]["request"]["clientMetadata"] == {"lang": "fr"}
