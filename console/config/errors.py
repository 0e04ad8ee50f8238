"""The one error type for bad config, and turning pydantic's errors into it.

Every problem with a config file, an environment override or a profile choice
ends as one :class:`ConfigError` whose ``str`` is a single line of the form
``<where>: <dotted.key>: <what is wrong and what is allowed>``. The CLI prints
it and exits 2; the TUI shows it. It never contains a value read from the file
or the environment: pydantic's ``ValidationError`` text echoes raw input (a
secret typed into the wrong key would be printed), so we build the message
from ``errors(include_input=False)`` and a table of our own wording.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console.text import visible

if TYPE_CHECKING:
    from pydantic import ValidationError
    from pydantic_core import ErrorDetails

__all__ = ["ConfigError", "dotted", "error_from_validation"]


class ConfigError(Exception):
    """A bad config file, environment override, profile choice or client secret source.

    ``str(error)`` is one line: ``"<where>: <dotted.key>: <problem>"`` (or
    ``"<where>: <problem>"`` when no key is involved). Control characters are
    shown as escapes, so it is safe to print. ``where`` is usually the file
    path, or ``environment variable NAME`` for an override.
    """

    def __init__(
        self,
        where: str,
        problem: str,
        *,
        key: str | None = None,
        path: Path | None = None,
        more: Sequence[str] = (),
    ) -> None:
        """*more*: the other problems found at once, each one line of the same form."""
        self.where = where
        self.key = key
        self.problem = problem
        self.path = path
        parts = [where] if key is None else [where, key]
        # visible() turns newlines and terminal escapes into "\x.." text: each
        # problem stays on its line and cannot drive the terminal.
        self.lines: tuple[str, ...] = (
            visible(": ".join([*parts, problem])),
            *(visible(line) for line in more),
        )
        """Every problem, one line each; ``str(error)`` is the first (one line, always)."""
        super().__init__(self.lines[0])


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def dotted(loc: Iterable[str | int]) -> str:
    """A key path as TOML would spell it: ``profiles.prod.region``, ``profiles."a.b".region``."""
    out: list[str] = []
    for part in loc:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _BARE_KEY.fullmatch(part):
            out.append(part)
        else:
            out.append(json.dumps(part, ensure_ascii=False))
    return ".".join(out).replace(".[", "[")


# What a value of a field may look like, used instead of pydantic's regex
# text when a pattern or length check fails.
FIELD_HINTS: dict[str, str] = {
    "region": "should be an AWS Region code such as us-east-1",
    "user_pool_id": "should be a user pool ID such as us-east-1_AbCdEf123 (up to 55 characters)",
    "client_id": "should be an app client ID: 1-128 letters, digits, _ or +",
    "client_secret_env": "should be an environment variable name: letters, digits and _, "
    "not starting with a digit",
    "default_profile": "should be a profile name: 1-64 of A-Z a-z 0-9 _ . -",
    "theme": "should be a theme name (not empty)",
    "aws_profile": "should be an AWS CLI profile name (not empty)",
    "analytics_endpoint_id": "should be an Amazon Pinpoint endpoint ID (not empty)",
    "client_secret": "should be the app client secret (not empty)",
}

PROFILE_NAME_HINT = "is not a valid profile name: use 1-64 of A-Z a-z 0-9 _ . -"

# too_short/too_long are what a SecretStr's length check reports.
_HINTED_TYPES = frozenset(
    {"string_pattern_mismatch", "string_too_short", "string_too_long", "too_short", "too_long"}
)

# Plain wording for pydantic's error types; anything not listed keeps
# pydantic's own message, which never contains the input for these types.
_TYPE_TEXT: dict[str, str] = {
    "missing": "required key is missing",
    "string_type": "should be a string",
    "bool_type": "should be true or false",
    "bool_parsing": "should be true or false",
    "dict_type": "should be a table",
    "model_type": "should be a table",
    "model_attributes_type": "should be a table",
    "float_type": "should be a number",
    "float_parsing": "should be a number",
    "finite_number": "should be a finite number",
    "int_type": "should be a whole number",
    "int_parsing": "should be a whole number",
    "int_from_float": "should be a whole number",
    "path_type": "should be a file path (a string)",
}


def _problem(error: ErrorDetails, allowed_keys: Sequence[str]) -> str:
    kind = error["type"]
    loc = error["loc"]
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    field = next((part for part in reversed(loc) if isinstance(part, str)), "")
    if kind == "extra_forbidden":
        if not allowed_keys:
            return "unknown key"
        import difflib  # only to word an error

        close = difflib.get_close_matches(field, allowed_keys, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        return f"unknown key{hint}; allowed: {', '.join(allowed_keys)}"
    if kind in _HINTED_TYPES and field in FIELD_HINTS:
        return FIELD_HINTS[field]
    if kind == "greater_than":
        return f"should be greater than {ctx.get('gt')}"
    if kind == "greater_than_equal":
        return f"should be at least {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"should be at most {ctx.get('le')}"
    if kind in _TYPE_TEXT:
        return _TYPE_TEXT[kind]
    message = error["msg"]
    # Our own validators raise ValueError("..."); pydantic prefixes it.
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message[:1].lower() + message[1:]


def _in_table(data: Mapping[str, Any] | None, parts: Sequence[str]) -> bool:
    """Whether the table at key path *parts* exists in *data*."""
    node: Any = data
    for part in parts:
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def _culprit(
    parts: Sequence[str],
    kind: str,
    where: str,
    env_names: Mapping[tuple[str, ...], str],
    file_data: Mapping[str, Any] | None,
) -> str:
    """The file, or the environment variable that set (or created) the bad key."""
    for length in range(len(parts), 0, -1):
        name = env_names.get(tuple(parts[:length]))
        if name is not None:
            return f"environment variable {name}"
    parent = tuple(parts[:-1])
    if kind == "missing" and parent and file_data is not None and not _in_table(file_data, parent):
        created = sorted(n for p, n in env_names.items() if p[: len(parent)] == parent)
        if created:
            return f"environment variable {created[0]}"
    return where


def error_from_validation(
    exc: ValidationError,
    *,
    where: str,
    path: Path | None,
    allowed_keys: Mapping[tuple[str, ...], Sequence[str]] | None = None,
    env_names: Mapping[tuple[str, ...], str] | None = None,
    file_data: Mapping[str, Any] | None = None,
) -> ConfigError:
    """One :class:`ConfigError` for every problem in *exc*, one line each (the first its own).

    ``allowed_keys`` maps a table's key path (with ``"*"`` for any profile
    name) to the keys it accepts, for the "unknown key" message.
    ``env_names`` maps key paths set by environment variables to the
    variable's name, so an override is blamed instead of the file; with
    *file_data* (the file's table) a key missing from a table that only the
    environment created is blamed on the environment too.
    """
    errors = exc.errors(include_input=False, include_url=False, include_context=True)
    found = [
        _one(
            error, where=where, allowed_keys=allowed_keys, env_names=env_names, file_data=file_data
        )
        for error in errors
    ]
    culprit, key, problem = found[0]
    more = [f"{c}: {k}: {p}" for c, k, p in found[1:]]
    return ConfigError(culprit, problem, key=key, path=path, more=more)


def _one(
    error: ErrorDetails,
    *,
    where: str,
    allowed_keys: Mapping[tuple[str, ...], Sequence[str]] | None,
    env_names: Mapping[tuple[str, ...], str] | None,
    file_data: Mapping[str, Any] | None,
) -> tuple[str, str, str]:
    """(culprit, dotted key, problem) for one of pydantic's errors."""
    loc = error["loc"]
    parts = [str(part) for part in loc]
    if parts and parts[-1] == "[key]":
        # A dict key failed its own check: the only keyed dict we constrain
        # is the profiles table.
        key_loc: list[str | int] = list(loc[:-1])
        problem = PROFILE_NAME_HINT
    else:
        key_loc = list(loc)
        table = tuple("*" if i == 1 and parts[0] == "profiles" else p for i, p in enumerate(parts))
        keys = (allowed_keys or {}).get(table[:-1], ())
        problem = _problem(error, keys)
    culprit = _culprit(parts, error["type"], where, env_names or {}, file_data)
    return culprit, dotted(key_loc) or "(top level)", problem
