"""The sandbox's write routes: ``/_sandbox/faults``, ``/_sandbox/scenario``, ``/_sandbox/repeat``.

``POST /_sandbox/faults`` arms a fault for the next resends (see
:func:`~console.sandbox.injected_faults.fault_from_json`), ``DELETE`` clears
it. ``POST /_sandbox/scenario`` changes the delivery channels' setup (see
:data:`~console.sandbox.channels.SCENARIOS`) and answers the new setup.
``POST /_sandbox/repeat`` sends the last code again through the trigger (see
:meth:`~console.sandbox.delivering.Courier.repeat`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol

from console.sandbox.faults import ServiceError
from console.sandbox.http_layer import error_answer, json_answer
from console.sandbox.injected_faults import Fault, fault_from_json

__all__ = ["faults_route", "repeat_route", "scenario_route"]


class _Faults(Protocol):
    def arm_fault(self, fault: Fault | None, count: int | None = None) -> None: ...

    def clear_fault(self) -> None: ...

    def fault_state(self) -> dict[str, object]: ...


class _Scenario(Protocol):
    def scenario(self) -> dict[str, object]: ...

    def apply_scenario(self, body: object) -> None: ...


class _Repeat(Protocol):
    def repeat_last(self, request_id: str) -> dict[str, object]: ...


def _body(environ: dict[str, Any]) -> object:
    from werkzeug.wrappers import Request

    raw = Request(environ).get_data(cache=False)
    try:
        return json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ValueError("the body is not JSON") from None


def faults_route(
    sandbox: _Faults,
    environ: dict[str, Any],
    start_response: Callable[..., Any],
    request_id: str,
) -> list[bytes]:
    """POST arms a fault (JSON body, see fault_from_json); DELETE clears it."""
    method = environ["REQUEST_METHOD"]
    if method == "DELETE":
        sandbox.clear_fault()
    elif method == "POST":
        try:
            fault, count = fault_from_json(_body(environ))
        except ValueError as exc:
            return error_answer(
                start_response, 400, "InvalidParameterException", str(exc), request_id
            )
        sandbox.arm_fault(fault, count)
    else:
        return error_answer(
            start_response, 405, "MethodNotAllowedException", "GET, POST or DELETE", request_id
        )
    return json_answer(start_response, 200, sandbox.fault_state(), request_id)


def scenario_route(
    sandbox: _Scenario,
    environ: dict[str, Any],
    start_response: Callable[..., Any],
    request_id: str,
) -> list[bytes]:
    """POST a scenario (see console.sandbox.channels.SCENARIOS); the new setup back."""
    try:
        sandbox.apply_scenario(_body(environ))
    except ValueError as exc:
        return error_answer(start_response, 400, "InvalidParameterException", str(exc), request_id)
    return json_answer(start_response, 200, sandbox.scenario(), request_id)


def repeat_route(
    sandbox: _Repeat, start_response: Callable[..., Any], request_id: str
) -> list[bytes]:
    """POST: the last code sent again (its CodeDeliveryDetails, user, trigger source)."""
    try:
        repeated = sandbox.repeat_last(request_id)
    except ServiceError as error:
        return error_answer(start_response, error.status, error.code, error.message, request_id)
    return json_answer(start_response, 200, repeated, request_id)
