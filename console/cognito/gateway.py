"""The gateway: one ResendConfirmationCode call in, one :class:`Outcome` out.

Nothing here raises to the caller. boto3/botocore are imported lazily, the
first time a client is needed, so the CLI and the TUI's first frame don't pay
for them.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from console.cognito.errors import MODELED_ERRORS, explain
from console.cognito.outcomes import (
    CANNOT_TELL_NOTE,
    SIMULATED_NOTE,
    Delivery,
    ErrorInfo,
    Outcome,
    OutcomeKind,
)

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient as CognitoClient

    from console.cognito.request import ResendRequest

__all__ = ["ClientSettings", "Gateway", "classify_exception"]


@dataclass(frozen=True, slots=True)
class ClientSettings:
    """Where and how to call: everything that makes two clients different."""

    region: str
    endpoint_url: str | None = None
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    max_attempts: int = 3
    """Total attempts, the first included (botocore's ``total_max_attempts``)."""


def _text(value: object) -> str:
    """Server text as a valid string: a lone surrogate (JSON ``\\ud800``) becomes
    the visible ``\\ud800``, so it can be stored in SQLite, printed and compared."""
    text = "" if value is None else str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _make_failure(
    code: str,
    message: str,
    *,
    status: int | None,
    request_id: str | None,
    latency_ms: float,
    kind: OutcomeKind = OutcomeKind.FAILED,
) -> Outcome:
    explanation = explain(code, message)
    error = ErrorInfo(
        code=code,
        message=message,
        http_status=status,
        meaning=explanation.meaning,
        remedy=explanation.remedy,
    )
    return Outcome(kind=kind, error=error, request_id=request_id, latency_ms=latency_ms)


def _client_error_outcome(response: dict[str, Any], latency_ms: float) -> Outcome:
    error = response.get("Error", {})
    meta = response.get("ResponseMetadata", {})
    code = _text(error.get("Code"))
    message = _text(error.get("Message"))
    status = meta.get("HTTPStatusCode")
    request_id = _text(meta.get("RequestId")) or None
    if code in MODELED_ERRORS:
        return _make_failure(
            code, message, status=status, request_id=request_id, latency_ms=latency_ms
        )
    if code.isdigit() or not code:
        # botocore names an error after the HTTP status when the body is not
        # Cognito's JSON (an HTML error page from a proxy or web server).
        text = f"HTTP {status}: {message}" if message else f"HTTP {status} with a non-Cognito body"
        return _make_failure(
            "BadResponse", text, status=status, request_id=request_id, latency_ms=latency_ms
        )
    return _make_failure(code, message, status=status, request_id=request_id, latency_ms=latency_ms)


def classify_exception(exc: BaseException, latency_ms: float) -> Outcome:
    """Turn anything a botocore call can raise into an outcome."""
    from botocore import exceptions as bx
    from botocore.parsers import ResponseParserError

    if isinstance(exc, bx.ClientError):
        return _client_error_outcome(dict(exc.response), latency_ms)
    if isinstance(exc, bx.ConnectTimeoutError):
        return _make_failure(
            "ConnectTimeout", str(exc), status=None, request_id=None, latency_ms=latency_ms
        )
    if isinstance(exc, bx.ReadTimeoutError):
        return _make_failure(
            "ReadTimeout",
            str(exc),
            status=None,
            request_id=None,
            latency_ms=latency_ms,
            kind=OutcomeKind.UNKNOWN,
        )
    if isinstance(exc, bx.EndpointConnectionError):
        cause = exc.kwargs.get("error")
        code = (
            "DnsFailure" if "NameResolutionError" in type(cause).__name__ else "ConnectionRefused"
        )
        return _make_failure(code, str(exc), status=None, request_id=None, latency_ms=latency_ms)
    if isinstance(exc, (bx.ConnectionClosedError, bx.HTTPClientError)):
        return _make_failure(
            "ConnectionDropped",
            str(exc),
            status=None,
            request_id=None,
            latency_ms=latency_ms,
            kind=OutcomeKind.UNKNOWN,
        )
    if isinstance(exc, ResponseParserError):
        return _make_failure(
            "BadResponse",
            "the answer could not be parsed as Cognito JSON",
            status=None,
            request_id=None,
            latency_ms=latency_ms,
            kind=OutcomeKind.UNKNOWN,
        )
    if isinstance(exc, bx.ParamValidationError):
        return _make_failure(
            "InvalidParameterException",
            str(exc),
            status=None,
            request_id=None,
            latency_ms=latency_ms,
        )
    # Only the class name: an arbitrary exception's text or locals could hold
    # request values, and the outcome is shown and stored.
    return _make_failure(
        "InternalFailure",
        f"{type(exc).__name__} while calling Cognito",
        status=None,
        request_id=None,
        latency_ms=latency_ms,
        kind=OutcomeKind.UNKNOWN,
    )


def _success_outcome(response: dict[str, Any], latency_ms: float) -> Outcome:
    meta = response.get("ResponseMetadata", {})
    request_id = _text(meta.get("RequestId")) or None
    details = response.get("CodeDeliveryDetails")
    if not isinstance(details, dict) or not details.get("DeliveryMedium"):
        # A 200 without CodeDeliveryDetails is not a Cognito answer (an empty
        # or cut-off body): the request did arrive, so the code may be out.
        return _make_failure(
            "BadResponse",
            "HTTP 200 without CodeDeliveryDetails (empty, cut off or not Cognito JSON)",
            status=meta.get("HTTPStatusCode"),
            request_id=request_id,
            latency_ms=latency_ms,
            kind=OutcomeKind.UNKNOWN,
        )
    delivery = Delivery(
        medium=_text(details.get("DeliveryMedium")),
        destination=_text(details.get("Destination")),
        attribute=_text(details.get("AttributeName")),
    )
    return Outcome(
        kind=OutcomeKind.DELIVERED,
        delivery=delivery,
        request_id=request_id,
        latency_ms=latency_ms,
    )


def _install_resend_retry_policy(client: CognitoClient, max_attempts: int) -> None:
    """Standard retries, minus the ones that can send a user several codes.

    botocore's standard mode retries LimitExceededException (a per-user limit
    that retrying only makes worse) and read timeouts and dropped connections
    (where Cognito may already have sent the code). We keep its backoff and
    quota, and veto those three.
    """
    from botocore import exceptions as bx
    from botocore.retries import quota, standard

    class _ResendConditions(standard.StandardRetryConditions):
        def is_retryable(self, context: Any) -> bool:
            caught = context.caught_exception
            if isinstance(caught, (bx.ReadTimeoutError, bx.ConnectionClosedError)):
                return False
            if context.get_error_code() == "LimitExceededException":
                return False
            return bool(super().is_retryable(context))

    service = client.meta.service_model.service_id.hyphenize()
    adapter = standard.RetryEventAdapter()
    detector = standard.ThrottlingErrorDetector(adapter)
    handler = standard.RetryHandler(
        retry_policy=standard.RetryPolicy(
            retry_checker=_ResendConditions(max_attempts=max_attempts),
            retry_backoff=standard.ExponentialBackoff(
                service_name=service, throttling_detector=detector
            ),
        ),
        retry_event_adapter=adapter,
        # botocore passes the checker here too; its stubs say RetryQuota.
        retry_quota=standard.RetryQuotaChecker(quota.RetryQuota(), detector),  # type: ignore[arg-type]
        service_name=service,
    )
    unique_id = f"retry-config-{service}"
    client.meta.events.unregister(f"needs-retry.{service}", unique_id=unique_id)
    client.meta.events.register(
        f"needs-retry.{service}",
        handler.needs_retry,  # type: ignore[arg-type]  # handlers may return a delay
        unique_id=unique_id,
    )


_session_lock = threading.Lock()
_session: Any = None


def _shared_session() -> Any:
    """One botocore session for every client: it caches the parsed service
    model, which is most of the cost of creating a client. Its loader finds a
    model without listing every service first (:mod:`.model_loader`)."""
    global _session
    if _session is None:
        import botocore.session

        from console.cognito.model_loader import direct_loader

        session = botocore.session.get_session()
        session.register_component(
            "data_loader", direct_loader(session.get_config_variable("data_path"))
        )
        _session = session
    return _session


def _create_client(settings: ClientSettings) -> CognitoClient:
    # botocore rather than boto3: the same client, without boto3's resource
    # layer to import.
    from botocore import UNSIGNED
    from botocore.config import Config

    config = Config(
        # The operation is unauthenticated; an unsigned client also skips the
        # credential chain (and its ~2 s EC2 metadata probe off AWS).
        signature_version=UNSIGNED,
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        retries={"mode": "standard", "total_max_attempts": settings.max_attempts},
        user_agent_extra="cognito-console",
    )
    with _session_lock:  # botocore sessions are not safe to share while creating clients
        client = cast(
            "CognitoClient",
            _shared_session().create_client(
                "cognito-idp",
                region_name=settings.region,
                endpoint_url=settings.endpoint_url,
                config=config,
            ),
        )
    _install_resend_retry_policy(client, settings.max_attempts)
    return client


class _CollectionsPaused:
    """No garbage collection inside; what was made is frozen. Nestable, thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._was_enabled = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0:
                    gc.freeze()
                    if self._was_enabled:
                        gc.enable()


_collections_paused = _CollectionsPaused()


class Gateway:
    """Makes ResendConfirmationCode calls; one cached client per settings.

    Thread-safe: the TUI calls it from worker threads. botocore clients are
    themselves safe to share between threads.
    """

    def __init__(
        self, client_factory: Callable[[ClientSettings], CognitoClient] | None = None
    ) -> None:
        self._factory = client_factory or _create_client
        self._clients: dict[ClientSettings, CognitoClient] = {}
        self._lock = threading.Lock()

    def client(self, settings: ClientSettings) -> CognitoClient:
        """The cached client for *settings*, created on first use."""
        with self._lock:
            client = self._clients.get(settings)
            if client is None:
                client = self._factory(settings)
                self._clients[settings] = client
            return client

    def warm_up(self, settings: ClientSettings) -> None:
        """Create the client ahead of the first send (imports botocore, loads the model).

        The garbage collector waits meanwhile: the tens of thousands of objects
        botocore's modules and the model make live as long as the process, and
        walking them again and again took ~10 ms of the ~100. They are frozen
        out of every later collection (as :func:`console.tui.launch.run_tui` does
        for Textual's).
        """
        with _collections_paused():
            self.client(settings)

    def resend(
        self,
        settings: ClientSettings,
        request: ResendRequest,
        *,
        may_simulate: bool | None = False,
    ) -> Outcome:
        """Call ResendConfirmationCode; always returns an outcome, never raises.

        ``may_simulate`` says the app client is known to hide unknown users
        (PreventUserExistenceErrors ENABLED): a delivery is then marked as
        possibly simulated. None: nobody knows; a delivery says so, once.
        """
        # Latency is the call itself: creating the client (loading the service
        # model, once per process) is not Cognito's time.
        started = time.perf_counter()
        try:
            client = self.client(settings)
            started = time.perf_counter()
            response = client.resend_confirmation_code(**request.to_api_params())
        except Exception as exc:  # the contract: every failure becomes an outcome
            return classify_exception(exc, _elapsed_ms(started))
        outcome = _success_outcome(dict(response), _elapsed_ms(started))
        if may_simulate is not False and outcome.kind is OutcomeKind.DELIVERED:
            outcome = Outcome(
                kind=outcome.kind,
                delivery=outcome.delivery,
                request_id=outcome.request_id,
                latency_ms=outcome.latency_ms,
                may_be_simulated=may_simulate,
                notes=(SIMULATED_NOTE if may_simulate else CANNOT_TELL_NOTE,),
            )
        return outcome


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000.0, 1)
