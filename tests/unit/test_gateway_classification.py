"""Each thing a botocore call can raise, classified: the code the operator
reads, and whether the code may have been sent (unknown) or not (failed)."""

from __future__ import annotations

import pytest
from botocore import exceptions as bx
from botocore.parsers import ResponseParserError

from console.cognito import OutcomeKind
from console.cognito.gateway import classify_exception


def _client_error(code: str, message: str, status: int, request_id: str = "") -> bx.ClientError:
    response = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status, "RequestId": request_id},
    }
    return bx.ClientError(response, "ResendConfirmationCode")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("exc", "code", "kind"),
    [
        (bx.ConnectTimeoutError(endpoint_url="http://x"), "ConnectTimeout", OutcomeKind.FAILED),
        (bx.ReadTimeoutError(endpoint_url="http://x"), "ReadTimeout", OutcomeKind.UNKNOWN),
        (
            bx.EndpointConnectionError(endpoint_url="http://x"),
            "ConnectionRefused",
            OutcomeKind.FAILED,
        ),
        (
            bx.ConnectionClosedError(endpoint_url="http://x"),
            "ConnectionDropped",
            OutcomeKind.UNKNOWN,
        ),
        (bx.HTTPClientError(error="boom"), "ConnectionDropped", OutcomeKind.UNKNOWN),
        (ResponseParserError("not json"), "BadResponse", OutcomeKind.UNKNOWN),
        (
            bx.ParamValidationError(report="bad"),
            "InvalidParameterException",
            OutcomeKind.FAILED,
        ),
        (RuntimeError("secret-ish detail"), "InternalFailure", OutcomeKind.UNKNOWN),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseException) else str(v),
)
def test_each_exception_gets_its_code_and_kind(exc: BaseException, code: str, kind: str) -> None:
    outcome = classify_exception(exc, 12.0)
    assert outcome.error is not None
    assert (outcome.error.code, outcome.kind) == (code, kind)
    assert outcome.latency_ms == 12.0


def test_an_unexpected_exception_shows_only_its_class() -> None:
    outcome = classify_exception(RuntimeError("secret-ish detail"), 1.0)
    assert outcome.error is not None
    assert outcome.error.message == "RuntimeError while calling Cognito"


def test_a_proxy_page_is_a_bad_response_with_its_status_and_message() -> None:
    with_message = classify_exception(_client_error("502", "Bad Gateway", 502), 1.0)
    assert with_message.error is not None
    assert (with_message.error.code, with_message.error.message) == (
        "BadResponse",
        "HTTP 502: Bad Gateway",
    )
    without = classify_exception(_client_error("", "", 503), 1.0)
    assert without.error is not None
    assert without.error.message == "HTTP 503 with a non-Cognito body"


def test_the_request_id_of_a_failure_is_kept() -> None:
    outcome = classify_exception(
        _client_error("UserNotFoundException", "no such user", 400, "req-42"), 1.0
    )
    assert outcome.request_id == "req-42"
    assert classify_exception(_client_error("UserNotFoundException", "x", 400), 1.0).request_id is (
        None
    )


def test_a_lone_surrogate_from_the_server_becomes_its_visible_escape() -> None:
    outcome = classify_exception(_client_error("SomeException", "bad \ud800 text", 400), 1.0)
    assert outcome.error is not None
    assert outcome.error.message == "bad \\ud800 text"
    outcome.error.message.encode("utf-8")  # storable, printable


def test_a_delivered_answer_keeps_its_request_id() -> None:
    # The request id is what AWS support asks for: shown and stored with the result.
    from botocore.stub import Stubber

    from console.cognito import ClientSettings, Gateway, build_request

    gateway = Gateway()
    settings = ClientSettings(region="us-east-1", endpoint_url="http://127.0.0.1:9")
    answer = {
        "CodeDeliveryDetails": {
            "Destination": "a***@e***.com",
            "DeliveryMedium": "EMAIL",
            "AttributeName": "email",
        },
        "ResponseMetadata": {"RequestId": "req-delivered-7", "HTTPStatusCode": 200},
    }
    with Stubber(gateway.client(settings)) as stub:
        stub.add_response("resend_confirmation_code", answer)
        outcome = gateway.resend(settings, build_request(client_id="abc123", username="alice"))
    assert outcome.kind is OutcomeKind.DELIVERED
    assert outcome.request_id == "req-delivered-7"
