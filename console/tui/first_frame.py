"""What the first frame can show before the config is validated: theme, profile name and pool.

:func:`console.tui.launch.preflight` reads the config file as TOML before the
terminal changes; validating it takes pydantic (~0.2 s of CPU) and happens in
a worker after the first frame. Meanwhile the operator should already see
where a send would go, so the first frame draws the active profile's name,
description, region, pool, client and endpoint from the raw TOML: only
strings are taken, nothing is checked, and the validated profile replaces it
(or the app leaves with the validation's one-line errors). Where an
environment override could change what is shown, nothing is shown early.

Everything here is untrusted text: the profile bar makes it visible.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["FirstFrame", "ProfileHint", "facts_line", "first_frame"]

_ENV_PREFIX = "COGNITO_CONSOLE_"  # console.config.file.ENV_PREFIX (imported lazily there)


@dataclass(frozen=True, slots=True)
class ProfileHint:
    """The active profile as the TOML names it, unvalidated (every field untrusted)."""

    name: str
    user_pool_id: str
    region: str = ""
    client_id: str = ""
    description: str = ""
    endpoint_url: str = ""

    def facts(self) -> str:
        """Region, pool, client and endpoint, as the validated profile's facts line reads."""
        return facts_line(self.region, self.user_pool_id, self.client_id, self.endpoint_url)


def facts_line(
    region: str, user_pool_id: str, client_id: str, endpoint_url: str, secret: str = ""
) -> str:
    """A profile's facts in one line, validated or from the raw TOML (empty parts left out).

    The secret is its source only (none, env:NAME, command or inline), never its value.
    """
    parts = [region] if region else []
    parts.append(f"pool {user_pool_id}")
    if client_id:
        parts.append(f"client {client_id}")
    if endpoint_url:
        parts.append(f"endpoint {endpoint_url}")
    if secret:
        parts.append(f"secret: {secret}")
    return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class FirstFrame:
    """What the first frame is drawn with: the theme and the profile, when the TOML tells."""

    theme: str | None = None
    profile: ProfileHint | None = None


def _text(table: Mapping[str, Any], key: str) -> str:
    value = table.get(key)
    return value if isinstance(value, str) else ""


def _overridden(name: str | None, *, requested: bool, environ: Mapping[str, str]) -> bool:
    """Whether a ``COGNITO_CONSOLE_`` variable could change the profile chosen or shown."""
    mine = f"{_ENV_PREFIX}PROFILES__{(name or '').upper()}"
    for variable, value in environ.items():
        upper = variable.upper()
        if not value or not upper.startswith(_ENV_PREFIX):
            continue  # empty values are ignored by the loader too
        if upper == f"{_ENV_PREFIX}PROFILES" or upper == mine or upper.startswith(mine + "__"):
            return True
        if not requested and upper in (
            f"{_ENV_PREFIX}CONSOLE",
            f"{_ENV_PREFIX}CONSOLE__DEFAULT_PROFILE",
        ):
            return True
    return False


def _theme(data: Mapping[str, Any], environ: Mapping[str, str]) -> str | None:
    if any(name.upper().startswith(f"{_ENV_PREFIX}CONSOLE") for name in environ):
        return None  # an override may change it: only the validated config says
    console = data.get("console")
    theme = console.get("theme") if isinstance(console, dict) else None
    return theme if isinstance(theme, str) else None


def _profile(
    data: Mapping[str, Any], requested: str | None, environ: Mapping[str, str]
) -> ProfileHint | None:
    profiles = data.get("profiles")
    if not isinstance(profiles, dict):
        return None
    name = requested
    if name is None:
        console = data.get("console")
        default = console.get("default_profile") if isinstance(console, dict) else None
        if isinstance(default, str):
            name = default
        elif len(profiles) == 1:
            name = next(iter(profiles))
    table = profiles.get(name) if name is not None else None
    if name is None or not isinstance(table, dict):
        return None
    if _overridden(name, requested=requested is not None, environ=environ):
        return None
    pool = _text(table, "user_pool_id")
    if not pool:
        return None  # validation will say what is wrong; nothing to show meanwhile
    return ProfileHint(
        name=name,
        user_pool_id=pool,
        region=_text(table, "region"),
        client_id=_text(table, "client_id"),
        description=_text(table, "description"),
        endpoint_url=_text(table, "endpoint_url"),
    )


def first_frame(
    data: Mapping[str, Any],
    requested: str | None,
    *,
    sandbox: bool = False,
    environ: Mapping[str, str] | None = None,
) -> FirstFrame:
    """The theme and profile the raw TOML *data* names (``--profile`` *requested* first).

    With *sandbox* (``--sandbox``) and no *requested* profile, the sandbox's own
    profile will be the active one: no profile of the file is shown early.
    """
    env = os.environ if environ is None else environ
    profile = None if sandbox and requested is None else _profile(data, requested, env)
    return FirstFrame(theme=_theme(data, env), profile=profile)
