"""The SES v2, SNS and CloudWatch Logs operations the sandbox serves beside Cognito.

moto answers what it has (SES identities, SNS SMS attributes and opt-ins,
every CloudWatch Logs call); the sandbox answers what moto lacks, from
:class:`~console.sandbox.channels.Channels`:

- SES v2 (REST JSON): GetAccount, Get/Put/Delete/ListSuppressedDestination(s);
- SNS (query protocol, XML answers): GetSMSSandboxAccountStatus,
  ListSMSSandboxPhoneNumbers, ListOriginationNumbers, and
  CheckIfPhoneNumberIsOptedOut (moto's answers "opted out" for every number
  ending in 99 and ignores its own opt-out list; ours reads that list, so
  OptInPhoneNumber through moto really opts a number back in).
"""

from __future__ import annotations

import io
import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote
from xml.sax.saxutils import escape

from console.sandbox.aws_actions import Action, form_body
from console.sandbox.channels import Channels

if TYPE_CHECKING:
    from console.sandbox.channel_moto import MotoChannels

__all__ = ["ChannelService", "denied_answer"]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_SNS_NS = "http://sns.amazonaws.com/doc/2010-03-31/"
log = logging.getLogger("console.sandbox")


def _json(
    start_response: Callable[..., Any], status: str, payload: object, error: str | None = None
) -> list[bytes]:
    body = json.dumps(payload).encode("utf-8")
    headers = [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        ("x-amzn-RequestId", str(uuid.uuid4())),
    ]
    if error:
        headers.append(("x-amzn-ErrorType", error))
    start_response(status, headers)
    return [body]


def _xml(start_response: Callable[..., Any], status: str, text: str) -> list[bytes]:
    body = text.encode("utf-8")
    start_response(status, [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))])
    return [body]


def _sns_result(action: str, inner: str) -> str:
    return (
        f'<{action}Response xmlns="{_SNS_NS}"><{action}Result>{inner}</{action}Result>'
        f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
        f"</{action}Response>"
    )


def _sns_error(code: str, message: str, sender: bool = True) -> str:
    kind = "Sender" if sender else "Receiver"
    return (
        f'<ErrorResponse xmlns="{_SNS_NS}"><Error><Type>{kind}</Type><Code>{escape(code)}</Code>'
        f"<Message>{escape(message)}</Message></Error>"
        f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
    )


def denied_answer(
    start_response: Callable[..., Any], action: Action, principal: str, resource: str
) -> list[bytes]:
    """The access-denied answer each protocol gives (SNS: ``AuthorizationError``, XML)."""
    message = (
        f"User: {principal} is not authorized to perform: {action.iam_action} on resource: "
        f"{resource} because no identity-based policy allows the {action.iam_action} action"
    )
    if action.protocol == "query":
        return _xml(start_response, "403 Forbidden", _sns_error("AuthorizationError", message))
    if action.protocol == "rest-json":
        return _json(start_response, "403 Forbidden", {"message": message}, "AccessDeniedException")
    body = json.dumps({"__type": "AccessDeniedException", "message": message}).encode("utf-8")
    start_response(
        "400 Bad Request",
        [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("Content-Length", str(len(body))),
            ("x-amzn-RequestId", str(uuid.uuid4())),
            ("x-amzn-ErrorType", "AccessDeniedException:"),
        ],
    )
    return [body]


class ChannelService:
    """Answers SES v2, SNS, CloudWatch Logs and DynamoDB requests: ours where moto lacks them."""

    def __init__(self, channels: Channels, moto: MotoChannels, moto_app: WSGIApp) -> None:
        self._channels = channels
        self._moto = moto
        self._moto_app = moto_app
        # moto's DynamoDB tables are plain dicts: a Query iterating one while a PutItem
        # adds to it fails ("dictionary changed size during iteration", a 500). Two
        # consoles sharing a team table do exactly that, so its requests go one at a time.
        self._dynamodb_lock = threading.Lock()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any], action: Action
    ) -> Iterable[bytes]:
        self._moto.ensure()
        try:
            if action.service == "ses":
                answer = self._ses(environ, start_response, action.operation)
            elif action.service == "sns":
                answer = self._sns(environ, start_response, action.operation)
            else:
                answer = None
            if answer is not None:
                return answer
            return self._relay(environ, start_response, action)
        except Exception:
            log.exception("sandbox: %s failed unexpectedly", action.iam_action)
            if action.protocol == "query":
                return _xml(
                    start_response,
                    "500 Internal Server Error",
                    _sns_error("InternalError", "The sandbox failed internally.", sender=False),
                )
            return _json(
                start_response,
                "500 Internal Server Error",
                {"message": "The sandbox failed internally."},
                "InternalFailure",
            )

    def _relay(
        self, environ: dict[str, Any], start_response: Callable[..., Any], action: Action
    ) -> Iterable[bytes]:
        try:
            if action.service == "dynamodb":
                with self._dynamodb_lock:
                    return [b"".join(self._moto_app(environ, start_response))]
            chunks = self._moto_app(environ, start_response)
            return [b"".join(chunks)]
        except NotImplementedError:
            message = f"The sandbox does not answer {action.iam_action}."
            if action.protocol == "query":
                return _xml(start_response, "400 Bad Request", _sns_error("InvalidAction", message))
            return _json(
                start_response, "400 Bad Request", {"message": message}, "UnknownOperationException"
            )

    # ----- SES v2 -------------------------------------------------------------------

    def _ses(
        self, environ: dict[str, Any], start_response: Callable[..., Any], operation: str
    ) -> list[bytes] | None:
        path = str(environ.get("PATH_INFO") or "")
        if operation == "GetAccount":
            return _json(start_response, "200 OK", self._channels.ses_account())
        if operation in ("GetSuppressedDestination", "DeleteSuppressedDestination"):
            address = unquote(path.rstrip("/").rpartition("/")[2])
            if operation == "DeleteSuppressedDestination":
                if not self._channels.unsuppress(address):
                    return self._not_found(start_response, address)
                return _json(start_response, "200 OK", {})
            found = self._channels.suppression(address)
            if found is None:
                return self._not_found(start_response, address)
            return _json(
                start_response,
                "200 OK",
                {
                    "SuppressedDestination": {
                        "EmailAddress": found.address,
                        "Reason": found.reason,
                        "LastUpdateTime": found.since,
                        "Attributes": {"MessageId": "sandbox-" + found.address.split("@")[0][:20]},
                    }
                },
            )
        if operation == "PutSuppressedDestination":
            body = self._json_body(environ)
            given, reason = body.get("EmailAddress"), body.get("Reason")
            if not isinstance(given, str) or reason not in ("BOUNCE", "COMPLAINT"):
                return _json(
                    start_response,
                    "400 Bad Request",
                    {"message": "EmailAddress and Reason (BOUNCE or COMPLAINT) are required."},
                    "BadRequestException",
                )
            self._channels.suppress(given, str(reason))
            return _json(start_response, "200 OK", {})
        if operation == "ListSuppressedDestinations":
            entries = self._channels.to_json()["suppressed"]
            summaries = [
                {"EmailAddress": a, "Reason": v["reason"], "LastUpdateTime": v["since"]}
                for a, v in dict(entries).items()  # type: ignore[call-overload]
            ]
            return _json(start_response, "200 OK", {"SuppressedDestinationSummaries": summaries})
        return None

    @staticmethod
    def _json_body(environ: dict[str, Any]) -> dict[str, Any]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        raw = environ["wsgi.input"].read(length) if 0 < length <= 65536 else b""
        environ["wsgi.input"] = io.BytesIO(raw)
        try:
            value = json.loads(raw or b"{}")
        except (ValueError, UnicodeDecodeError):
            return {}
        return value if isinstance(value, dict) else {}

    @staticmethod
    def _not_found(start_response: Callable[..., Any], address: str) -> list[bytes]:
        return _json(
            start_response,
            "404 Not Found",
            {"message": f"Email address {address} does not exist on your suppression list."},
            "NotFoundException",
        )

    # ----- SNS ----------------------------------------------------------------------

    def _sns(
        self, environ: dict[str, Any], start_response: Callable[..., Any], operation: str
    ) -> list[bytes] | None:
        if operation == "GetSMSSandboxAccountStatus":
            inner = f"<IsInSandbox>{str(self._channels.sms_sandbox).lower()}</IsInSandbox>"
            return _xml(start_response, "200 OK", _sns_result(operation, inner))
        if operation == "ListSMSSandboxPhoneNumbers":
            members = "".join(
                f"<member><PhoneNumber>{escape(n)}</PhoneNumber><Status>{s}</Status></member>"
                for n, s in self._channels.sandbox_numbers().items()
            )
            inner = f"<PhoneNumbers>{members}</PhoneNumbers>"
            return _xml(start_response, "200 OK", _sns_result(operation, inner))
        if operation == "ListOriginationNumbers":
            members = "".join(
                f"<member><CreatedAt>2024-01-01T00:00:00Z</CreatedAt>"
                f"<PhoneNumber>{escape(n)}</PhoneNumber><Status>ACTIVE</Status>"
                f"<Iso2CountryCode>US</Iso2CountryCode><RouteType>Transactional</RouteType>"
                f"<NumberCapabilities><member>SMS</member></NumberCapabilities></member>"
                for n in self._channels.origination()
            )
            inner = f"<PhoneNumbers>{members}</PhoneNumbers>"
            return _xml(start_response, "200 OK", _sns_result(operation, inner))
        if operation == "CheckIfPhoneNumberIsOptedOut":
            number = form_body(environ).get("phoneNumber", "")
            if not number.startswith("+") or not number[1:].isdigit():
                return _xml(
                    start_response,
                    "400 Bad Request",
                    _sns_error(
                        "InvalidParameter",
                        "Invalid parameter: PhoneNumber Reason: input incorrectly formatted",
                    ),
                )
            inner = f"<isOptedOut>{str(self._moto.opted_out(number)).lower()}</isOptedOut>"
            return _xml(start_response, "200 OK", _sns_result(operation, inner))
        return None
