"""Which Cognito operations exist, and whether a request body has the model's types.

Both come from botocore's service model for cognito-idp (moto loads botocore
anyway, so this costs nothing a running sandbox does not already pay). The
JSON layer of the real service answers a member of the wrong type with 400
``SerializationException`` before the operation sees it; we do the same for
every operation, ours and moto's, so that moto never crashes on a number
where it expected a string.

The service's own SerializationException messages are Java type names
(public reports quote "NUMBER_VALUE can not be converted to a String"); ours
name the member instead, which no client branches on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from console.sandbox.faults import ServiceError

if TYPE_CHECKING:
    from botocore.model import ServiceModel, Shape

__all__ = ["SERVICE_PREFIX", "check_types", "input_shape", "is_operation"]

SERVICE_PREFIX = "AWSCognitoIdentityProviderService"
"""The ``X-Amz-Target`` prefix of every cognito-idp operation."""

_lock = threading.Lock()
_model: ServiceModel | None = None


def _service_model() -> ServiceModel:
    global _model
    with _lock:
        if _model is None:
            import botocore.session

            _model = botocore.session.get_session().get_service_model("cognito-idp")
        return _model


def is_operation(name: str) -> bool:
    """Whether *name* is a cognito-idp operation (``SignUp``, ``ListUsers``...)."""
    return name in _service_model().operation_names


def input_shape(operation: str) -> Shape | None:
    """The model's input shape of *operation* (which must exist)."""
    return _service_model().operation_model(operation).input_shape


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null"


_WANTED: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "structure": ("an object", lambda v: isinstance(v, dict)),
    "map": ("an object", lambda v: isinstance(v, dict)),
    "list": ("a list", lambda v: isinstance(v, list)),
    "string": ("a string", lambda v: isinstance(v, str)),
    "blob": ("a string", lambda v: isinstance(v, str)),
    "boolean": ("a boolean", lambda v: isinstance(v, bool)),
    "integer": ("a whole number", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    "long": ("a whole number", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    "float": ("a number", lambda v: isinstance(v, int | float) and not isinstance(v, bool)),
    "double": ("a number", lambda v: isinstance(v, int | float) and not isinstance(v, bool)),
    "timestamp": ("a number", lambda v: isinstance(v, int | float) and not isinstance(v, bool)),
}


def _anything(_value: Any) -> bool:
    return True


def _check(shape: Shape, value: Any, path: str) -> None:
    if value is None:
        return  # a null member is an absent one
    wanted, fits = _WANTED.get(shape.type_name, ("", _anything))
    if not fits(value):
        raise ServiceError(
            "SerializationException", f"{path} must be {wanted}, not {_kind(value)}."
        )
    if shape.type_name == "structure":
        members = shape.members  # type: ignore[attr-defined]
        for name, item in value.items():
            if name in members:
                _check(members[name], item, f"{path}.{name}" if path else name)
    elif shape.type_name == "list":
        for index, item in enumerate(value):
            _check(shape.member, item, f"{path}[{index}]")  # type: ignore[attr-defined]
    elif shape.type_name == "map":
        for key, item in value.items():
            _check(shape.value, item, f"{path}.{key}")  # type: ignore[attr-defined]


def check_types(operation: str, body: object) -> dict[str, Any]:
    """The body as an object whose known members have the model's types; else ServiceError.

    Unknown members are ignored, as the service ignores them.
    """
    if not isinstance(body, dict):
        raise ServiceError("SerializationException", "The request body must be a JSON object.")
    shape = input_shape(operation)
    if shape is not None:
        _check(shape, body, "")
    return body
