"""The sandbox plays the delivery failures, over HTTP, through real boto3 clients (#14, item 4).

Each test starts its own sandbox: a scenario changes the account's email and
SMS setup, which the session's sandbox must not see.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from console.sandbox import Sandbox, start_sandbox


def client(box: Sandbox, service: str, key: str = "AKIDTESTING") -> Any:
    return boto3.client(
        service,
        endpoint_url=box.info.endpoint_url,
        region_name=box.info.region,
        aws_access_key_id=key,
        aws_secret_access_key="dummy",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )


def scenario(box: Sandbox, body: object) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(  # noqa: S310 - the loopback sandbox
        box.info.endpoint_url + "/_sandbox/scenario",
        data=json.dumps(body).encode(),
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def resend(box: Sandbox, username: str) -> dict[str, Any]:
    cognito = client(box, "cognito-idp")
    public = box.info.client("public").client_id
    answer = cognito.resend_confirmation_code(ClientId=public, Username=username)
    return dict(answer["CodeDeliveryDetails"])


def last_delivery(box: Sandbox, username: str) -> dict[str, Any]:
    return [d for d in box.outbox() if d["user"] == username][-1]


def log_events(box: Sandbox) -> list[dict[str, Any]]:
    logs = client(box, "logs")
    group = f"/aws/cognito/userpools/{box.info.user_pool_id}/userNotification"
    return [json.loads(e["message"]) for e in logs.filter_log_events(logGroupName=group)["events"]]


def test_ses_account_defaults_to_production_and_plays_the_sandbox(box: Sandbox) -> None:
    ses = client(box, "sesv2")
    account = ses.get_account()
    assert (account["ProductionAccessEnabled"], account["SendingEnabled"]) == (True, True)
    assert account["EnforcementStatus"] == "HEALTHY"
    assert scenario(box, {"name": "ses-sandbox"})[0] == 200
    account = ses.get_account()
    assert account["ProductionAccessEnabled"] is False
    assert account["SendQuota"]["Max24HourSend"] == 200.0
    scenario(box, {"ses_sending_enabled": False})
    assert ses.get_account()["SendingEnabled"] is False


def test_suppression_list_holds_erin_and_answers_like_sesv2(box: Sandbox) -> None:
    ses = client(box, "sesv2")
    erin = ses.get_suppressed_destination(EmailAddress="erin@example.com")["SuppressedDestination"]
    assert (erin["EmailAddress"], erin["Reason"]) == ("erin@example.com", "BOUNCE")
    assert erin["LastUpdateTime"].year >= 2024
    with pytest.raises(ClientError) as missing:
        ses.get_suppressed_destination(EmailAddress="alice@example.com")
    assert missing.value.response["Error"]["Code"] == "NotFoundException"
    ses.put_suppressed_destination(EmailAddress="alice@example.com", Reason="COMPLAINT")
    assert (
        ses.get_suppressed_destination(EmailAddress="alice@example.com")["SuppressedDestination"][
            "Reason"
        ]
        == "COMPLAINT"
    )
    ses.delete_suppressed_destination(EmailAddress="erin@example.com")
    with pytest.raises(ClientError):
        ses.get_suppressed_destination(EmailAddress="erin@example.com")


def test_ses_identity_is_moto_s_and_verified_until_told_otherwise(box: Sandbox) -> None:
    ses = client(box, "sesv2")
    assert ses.get_email_identity(EmailIdentity="no-reply@example.com")["VerifiedForSendingStatus"]
    scenario(box, {"name": "ses-identity-unverified"})
    identity = ses.get_email_identity(EmailIdentity="no-reply@example.com")
    assert identity["VerifiedForSendingStatus"] is False
    with pytest.raises(ClientError) as missing:
        ses.get_email_identity(EmailIdentity="nobody@example.com")
    assert missing.value.response["Error"]["Code"] == "NotFoundException"


def test_sns_sandbox_origination_and_opt_outs(box: Sandbox) -> None:
    sns = client(box, "sns")
    assert sns.get_sms_sandbox_account_status()["IsInSandbox"] is False
    assert sns.list_sms_sandbox_phone_numbers()["PhoneNumbers"] == []
    numbers = sns.list_origination_numbers()["PhoneNumbers"]
    assert [n["PhoneNumber"] for n in numbers] == ["+18445550100"]
    assert sns.check_if_phone_number_is_opted_out(phoneNumber="+15555550199")["isOptedOut"]
    assert not sns.check_if_phone_number_is_opted_out(phoneNumber="+15555550100")["isOptedOut"]
    scenario(box, {"name": "sms-sandbox"})
    scenario(box, {"name": "no-origination-number"})
    assert sns.get_sms_sandbox_account_status()["IsInSandbox"] is True
    assert sns.list_origination_numbers()["PhoneNumbers"] == []
    from moto.sns.models import sns_backends

    try:
        sns.set_sms_attributes(attributes={"MonthlySpendLimit": "5"})  # moto's
        assert sns.get_sms_attributes()["attributes"]["MonthlySpendLimit"] == "5"
    finally:
        # moto's state is the process's: a limit left here changes every later
        # doctor's sns-spend-limit (the TUI doctor tests saw USD 5, not the default).
        sns_backends["123456789012"][box.info.region].sms_attributes.pop("MonthlySpendLimit", None)


def test_opting_in_through_moto_lets_frank_receive(box: Sandbox) -> None:
    sns = client(box, "sns")
    resend(box, "frank")
    assert last_delivery(box, "frank")["status"] == "dropped"
    sns.opt_in_phone_number(phoneNumber="+15555550199")
    assert not sns.check_if_phone_number_is_opted_out(phoneNumber="+15555550199")["isOptedOut"]
    resend(box, "frank")
    assert last_delivery(box, "frank")["status"] == "delivered"
    # moto's opt-out list is shared by every sandbox in the process: put frank back.
    from moto.sns.models import sns_backends

    sns_backends["123456789012"][box.info.region].opt_out_numbers.append("+15555550199")


def test_log_delivery_configuration_is_served_and_settable(box: Sandbox) -> None:
    cognito = client(box, "cognito-idp")
    pool = box.info.user_pool_id
    config = cognito.get_log_delivery_configuration(UserPoolId=pool)["LogDeliveryConfiguration"]
    (entry,) = config["LogConfigurations"]
    assert (entry["EventSource"], entry["LogLevel"]) == ("userNotification", "ERROR")
    assert entry["CloudWatchLogsConfiguration"]["LogGroupArn"].endswith(
        f"log-group:/aws/cognito/userpools/{pool}/userNotification"
    )
    cognito.set_log_delivery_configuration(UserPoolId=pool, LogConfigurations=[])
    config = cognito.get_log_delivery_configuration(UserPoolId=pool)["LogDeliveryConfiguration"]
    assert config["LogConfigurations"] == []
    with pytest.raises(ClientError) as missing:
        cognito.get_log_delivery_configuration(UserPoolId="us-east-1_nothere")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_erin_is_delivered_as_cognito_says_but_dropped_and_logged(box: Sandbox) -> None:
    scenario(box, {"name": "ses"})
    details = resend(box, "erin")
    assert details["DeliveryMedium"] == "EMAIL"
    delivery = last_delivery(box, "erin")
    assert delivery["status"] == "dropped"
    assert "suppression list (BOUNCE)" in delivery["dropped_reason"]
    (event,) = log_events(box)
    assert event["eventSource"] == "USER_NOTIFICATION"
    assert event["logLevel"] == "ERROR"
    assert event["message"]["userName"] == "erin"
    assert "suppression list" in event["message"]["details"]
    assert event["logSourceId"]["userPoolId"] == box.info.user_pool_id


def test_erin_with_cognito_default_sending_is_not_dropped(box: Sandbox) -> None:
    resend(box, "erin")  # Cognito's own sender does not use the account's suppression list
    assert last_delivery(box, "erin")["status"] == "delivered"
    assert log_events(box) == []


def test_ses_sandbox_drops_unverified_recipients(box: Sandbox) -> None:
    scenario(box, {"name": "ses-sandbox"})
    resend(box, "alice")
    assert "sandbox" in last_delivery(box, "alice")["dropped_reason"]


def test_exhausted_cognito_default_budget_drops_email(box: Sandbox) -> None:
    state = scenario(box, {"name": "cognito-default-exhausted"})[1]
    assert state["cognito_default_sent_today"] == 50
    resend(box, "alice")
    delivery = last_delivery(box, "alice")
    assert delivery["status"] == "dropped"
    assert "COGNITO_DEFAULT daily email limit" in delivery["dropped_reason"]
    assert "COGNITO_DEFAULT" in log_events(box)[0]["message"]["details"]


def test_sms_sandbox_and_missing_origination_drop_bob(box: Sandbox) -> None:
    scenario(box, {"name": "sms-sandbox"})
    resend(box, "bob")
    assert "SMS sandbox" in last_delivery(box, "bob")["dropped_reason"]
    scenario(box, {"sms_sandbox": False, "origination_numbers": False})
    resend(box, "bob")
    assert "origination" in last_delivery(box, "bob")["dropped_reason"]


def test_configuration_failures_show_in_describe_user_pool_and_drop(box: Sandbox) -> None:
    cognito = client(box, "cognito-idp")
    pool = cognito.describe_user_pool(UserPoolId=box.info.user_pool_id)["UserPool"]
    assert "EmailConfigurationFailure" not in pool
    assert pool["SmsConfiguration"]["SnsCallerArn"].endswith(":role/sandbox-cognito-sms")
    scenario(box, {"email_configuration_failure": "SES identity policy denies Cognito"})
    scenario(box, {"name": "sms-configuration-failure"})
    pool = cognito.describe_user_pool(UserPoolId=box.info.user_pool_id)["UserPool"]
    assert pool["EmailConfigurationFailure"] == "SES identity policy denies Cognito"
    assert "trust policy" in pool["SmsConfigurationFailure"]
    resend(box, "alice")
    assert last_delivery(box, "alice")["dropped_reason"].startswith("EmailConfigurationFailure")


def test_without_log_delivery_nothing_is_logged(box: Sandbox) -> None:
    scenario(box, {"name": "no-delivery-logs"})
    cognito = client(box, "cognito-idp")
    config = cognito.get_log_delivery_configuration(UserPoolId=box.info.user_pool_id)
    assert config["LogDeliveryConfiguration"]["LogConfigurations"] == []
    resend(box, "frank")
    assert last_delivery(box, "frank")["status"] == "dropped"
    assert log_events(box) == []


def test_denied_actions_answer_in_each_protocol(box: Sandbox) -> None:
    denied = ["ses:GetAccount", "sns:GetSMSSandboxAccountStatus", "logs:FilterLogEvents"]
    scenario(box, {"deny": [*denied, "cognito-idp:GetLogDeliveryConfiguration"]})
    calls = {
        "ses:GetAccount": lambda: client(box, "sesv2").get_account(),
        "sns:GetSMSSandboxAccountStatus": lambda: client(
            box, "sns"
        ).get_sms_sandbox_account_status(),
        "logs:FilterLogEvents": lambda: client(box, "logs").filter_log_events(logGroupName="x"),
        "cognito-idp:GetLogDeliveryConfiguration": lambda: client(
            box, "cognito-idp"
        ).get_log_delivery_configuration(UserPoolId=box.info.user_pool_id),
    }
    for action, call in calls.items():
        with pytest.raises(ClientError) as refused:
            call()
        error = refused.value.response["Error"]
        assert error["Code"] in ("AccessDeniedException", "AuthorizationError"), action
        assert f"not authorized to perform: {action}" in error["Message"]
    assert client(box, "sesv2").get_email_identity(EmailIdentity="no-reply@example.com")
    scenario(box, {"deny": []})
    assert client(box, "sesv2").get_account()["SendingEnabled"]


def test_bad_scenarios_are_one_line_400s(box: Sandbox) -> None:
    for body, named in (
        ({"ses_sandbox": "yes"}, "ses_sandbox"),
        ({"nonsense": True}, "nonsense"),
        ({"name": "nope"}, "unknown scenario name"),
        ({"deny": ["GetAccount"]}, "deny"),
        ([1, 2], "JSON object"),
    ):
        status, answer = scenario(box, body)
        assert status == 400
        assert answer["__type"] == "InvalidParameterException"
        assert named in answer["message"]
        assert "\n" not in answer["message"]


def test_unknown_scenario_flag_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="unknown scenario 'nope'"):
        start_sandbox(scenarios=("nope",))


def test_the_outbox_shows_a_dropped_message_on_the_cli(
    box: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    from console.cli import main

    resend(box, "frank")
    resend(box, "bob")
    assert main(["sandbox-outbox", "--endpoint-url", box.info.endpoint_url]) == 0
    out = capsys.readouterr().out
    blocks = out.split("\n\n")
    frank = next(b for b in blocks if "frank ->" in b)
    bob = next(b for b in blocks if "bob ->" in b)
    assert (
        "  DROPPED:            the phone number has opted out of SMS (SNS opt-out list) "
        "(Cognito said delivered)"
    ) in frank
    assert "DROPPED" not in bob


def test_the_outbox_screen_detail_says_dropped() -> None:
    from console.sandbox import Delivery
    from console.tui.screens.outbox import entry_detail

    entry = Delivery.from_json(
        {
            "time": "2026-12-05T02:00:00.000Z",
            "user_pool_id": "us-east-1_X",
            "user": "frank",
            "client_id": "c",
            "medium": "SMS",
            "destination": "+15555550199",
            "attribute": "phone_number",
            "subject": None,
            "body": "Your code is 123456",
            "code": "123456",
            "client_metadata": {},
            "analytics_metadata": None,
            "trigger": False,
            "request_id": "r",
            "status": "dropped",
            "dropped_reason": "opted out \x1b[2J",
        }
    )
    plain = entry_detail(entry).plain
    assert "DROPPED      opted out \\x1b[2J" in plain
    assert "\x1b" not in plain


def test_an_outbox_entry_with_a_bad_status_is_refused_naming_the_key() -> None:
    from console.sandbox import Delivery, DeliveryFormatError

    entry = {
        "time": "t", "user_pool_id": "p", "user": "u", "client_id": "c", "medium": "SMS",
        "destination": "d", "attribute": "a", "subject": None, "body": "b", "code": "1",
        "client_metadata": {}, "analytics_metadata": None, "trigger": False, "request_id": "r",
    }  # fmt: skip
    assert Delivery.from_json(entry).status == "delivered"  # an older sandbox's entry
    with pytest.raises(DeliveryFormatError, match='"status" is text, not "delivered" or'):
        Delivery.from_json({**entry, "status": "lost"})
    with pytest.raises(DeliveryFormatError, match='"dropped_reason" is a number'):
        Delivery.from_json({**entry, "status": "dropped", "dropped_reason": 3})
