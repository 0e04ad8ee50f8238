"""The gateway turns every answer and fault into an outcome, and never raises.

Modeled errors that the sandbox can't produce (SMS/email role, WAF) go through
botocore's Stubber; answers that are not Cognito's go through a loopback
server that misbehaves on purpose.
"""

from __future__ import annotations

import socket

import pytest
from botocore.stub import Stubber

from console.cognito import MODELED_ERRORS, ClientSettings, Gateway, OutcomeKind, build_request
from tests.helpers.fault_server import fault_server

REQUEST = build_request(client_id="abc123", username="alice")


def settings(url: str, **kwargs: float) -> ClientSettings:
    return ClientSettings(region="us-east-1", endpoint_url=url, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("code", sorted(MODELED_ERRORS))
def test_every_modeled_error_becomes_a_failed_outcome_with_its_remedy(code: str) -> None:
    gateway = Gateway()
    s = settings("http://127.0.0.1:9", max_attempts=1)
    client = gateway.client(s)
    with Stubber(client) as stub:
        stub.add_client_error(
            "resend_confirmation_code",
            service_error_code=code,
            service_message=f"message for {code}",
            http_status_code=400,
        )
        outcome = gateway.resend(s, REQUEST)
    assert outcome.kind is OutcomeKind.FAILED
    assert outcome.error is not None
    assert outcome.error.code == code
    assert outcome.error.message == f"message for {code}"
    assert outcome.error.http_status == 400
    assert outcome.error.remedy


def test_refused_connection_is_a_failure_saying_nothing_was_sent() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    outcome = Gateway().resend(settings(f"http://127.0.0.1:{port}", max_attempts=1), REQUEST)
    assert outcome.kind is OutcomeKind.FAILED
    assert outcome.error is not None
    assert outcome.error.code == "ConnectionRefused"
    assert "never reached" in outcome.error.meaning


@pytest.mark.parametrize(
    ("answer", "kind", "status"),
    [
        ((500, "text/html", b"<html>Internal Server Error</html>"), OutcomeKind.FAILED, 500),
        ((502, "text/html", b"<html>Bad gateway</html>"), OutcomeKind.FAILED, 502),
        ((200, "application/x-amz-json-1.1", b""), OutcomeKind.UNKNOWN, 200),
        ((200, "text/plain", b"not json"), OutcomeKind.UNKNOWN, 200),
    ],
)
def test_answers_that_are_not_cognito_json_are_bad_responses(
    answer: tuple[int, str, bytes], kind: OutcomeKind, status: int
) -> None:
    with fault_server() as server:
        server.answer = answer
        outcome = Gateway().resend(settings(server.url, max_attempts=1), REQUEST)
    assert outcome.kind is kind
    assert outcome.error is not None
    assert outcome.error.code == "BadResponse"
    assert outcome.error.http_status == status


def test_connection_dropped_mid_answer_is_unknown() -> None:
    with fault_server() as server:
        server.drop = True
        outcome = Gateway().resend(settings(server.url, max_attempts=1), REQUEST)
    assert outcome.kind is OutcomeKind.UNKNOWN


def test_limit_exceeded_is_never_retried() -> None:
    body = b'{"__type": "LimitExceededException", "message": "Attempt limit exceeded"}'
    with fault_server() as server:
        server.answer = (400, "application/x-amz-json-1.1", body)
        outcome = Gateway().resend(settings(server.url, max_attempts=3), REQUEST)
        assert server.requests == 1
    assert outcome.error is not None
    assert outcome.error.code == "LimitExceededException"


def test_throttling_is_retried_up_to_max_attempts() -> None:
    body = b'{"__type": "TooManyRequestsException", "message": "Rate exceeded"}'
    with fault_server() as server:
        server.answer = (400, "application/x-amz-json-1.1", body)
        outcome = Gateway().resend(settings(server.url, max_attempts=2), REQUEST)
        assert server.requests == 2
    assert outcome.error is not None
    assert outcome.error.code == "TooManyRequestsException"


def test_unmodeled_error_code_keeps_its_code_and_message() -> None:
    body = b'{"__type": "WeirdException", "message": "hmm"}'
    with fault_server() as server:
        server.answer = (400, "application/x-amz-json-1.1", body)
        outcome = Gateway().resend(settings(server.url, max_attempts=1), REQUEST)
    assert outcome.error is not None
    assert (outcome.error.code, outcome.error.message) == ("WeirdException", "hmm")
    assert outcome.request_id == "fault-req-1"


def test_clients_are_cached_per_settings() -> None:
    gateway = Gateway()
    a = gateway.client(settings("http://127.0.0.1:9"))
    assert gateway.client(settings("http://127.0.0.1:9")) is a
    assert gateway.client(settings("http://127.0.0.1:10")) is not a


def test_simulated_success_is_flagged() -> None:
    body = (
        b'{"CodeDeliveryDetails": {"Destination": "a***@e***.com", '
        b'"DeliveryMedium": "EMAIL", "AttributeName": "email"}}'
    )
    with fault_server() as server:
        server.answer = (200, "application/x-amz-json-1.1", body)
        outcome = Gateway().resend(settings(server.url), REQUEST, may_simulate=True)
    assert outcome.kind is OutcomeKind.DELIVERED
    assert outcome.may_be_simulated
    assert outcome.delivery is not None
    assert outcome.delivery.destination == "a***@e***.com"
