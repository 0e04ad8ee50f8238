"""The service model's length, pattern and required-member rules, for the operations we answer.

Cognito checks these on the server (botocore checks only minimum lengths)
and answers InvalidParameterException listing every failed member:
``2 validation errors detected: Value at 'username' failed to satisfy
constraint: ...; Value null at 'clientId' ...``. Members are named as the
service names them (first letter lowercased; list items as
``userAttributes.1.member.value``, counted from 1). Values are never echoed:
most members of these operations are marked sensitive in the model.

The model's patterns are Java regexes. Python's ``re`` has no ``\\p{..}``
classes, so those patterns are checked by Unicode category; the others
(``[\\w+]+``, ``[\\S]+``...) run with ``re.ASCII``, Java's meaning of ``\\w``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from console.sandbox.request_checks import Violations
from console.sandbox.shapes import input_shape

if TYPE_CHECKING:
    from botocore.model import Shape

__all__ = ["check_constraints", "matches_pattern"]

_CATEGORY_RE = re.compile(r"\\p\{(\w)\}")
_LITERAL_ESCAPES = {"\\t": "\t", "\\n": "\n", "\\r": "\r"}


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.ASCII)


def matches_pattern(pattern: str, value: str) -> bool:
    """Whether all of *value* matches the model's (Java) *pattern*."""
    categories = set(_CATEGORY_RE.findall(pattern))
    if not categories:
        return _compiled(pattern).fullmatch(value) is not None
    extras = {char for escape, char in _LITERAL_ESCAPES.items() if escape in pattern}
    if " " in pattern:
        extras.add(" ")
    return bool(value) and all(
        unicodedata.category(char)[0] in categories or char in extras for char in value
    )


def _path(parent: str, name: str) -> str:
    own = name[:1].lower() + name[1:]
    return f"{parent}.{own}" if parent else own


def _check_string(problems: Violations, shape: Shape, value: str, path: str) -> None:
    meta = shape.metadata
    low, high = int(meta.get("min", 0)), int(meta.get("max", 1 << 31))
    problems.length(path, value, low, high)
    pattern = meta.get("pattern")
    if pattern and value and not matches_pattern(pattern, value):
        problems.add(path, f"Member must satisfy regular expression pattern: {pattern}")


def _check(problems: Violations, shape: Shape, value: Any, path: str) -> None:
    if shape.type_name == "string" and isinstance(value, str):
        _check_string(problems, shape, value, path)
    elif shape.type_name == "structure" and isinstance(value, dict):
        members = shape.members  # type: ignore[attr-defined]
        for name in shape.required_members:
            if value.get(name) is None:
                problems.null(_path(path, name))
        for name, member in members.items():
            if value.get(name) is not None:
                _check(problems, member, value[name], _path(path, name))
    elif shape.type_name == "list" and isinstance(value, list):
        for index, item in enumerate(value, start=1):
            _check(problems, shape.member, item, f"{path}.{index}.member")  # type: ignore[attr-defined]


def check_constraints(operation: str, body: dict[str, Any]) -> None:
    """Raise one InvalidParameterException listing every member outside the model's bounds.

    *body* has already passed :func:`console.sandbox.shapes.check_types`.
    """
    shape = input_shape(operation)
    if shape is None:
        return
    problems = Violations()
    _check(problems, shape, body, "")
    problems.raise_if_any()
