"""Settings: the TOML config file, environment overrides and profiles.

Where the file is found, in order:

1. ``--config PATH`` (the *explicit* argument of :func:`load_config`);
2. the ``COGNITO_CONSOLE_CONFIG`` environment variable;
3. ``./cognito-console.toml`` in the working directory;
4. ``config.toml`` in the user config dir (:func:`default_config_path`).

A file named by 1 or 2 must exist; when 3 and 4 are missing there is simply
no config file (no profiles). ``COGNITO_CONSOLE_<TABLE>__<KEY>`` environment
variables override single settings, e.g.
``COGNITO_CONSOLE_CONSOLE__READ_TIMEOUT=3``.

The file is read by :mod:`console.config.file` (not by pydantic-settings'
TOML source, whose errors do not name the file). The overrides are parsed by
pydantic-settings' environment source (:mod:`console.config.env`), imported
only when one is set: pydantic-settings brings asyncio, dotenv and its cloud
source providers, ~80 ms or more of every start-up. Their values are merged
over the file's table and the result is validated by :class:`AppConfig`, a
plain pydantic model. Every problem becomes one :class:`ConfigError` with a
one-line message that never echoes a value.

This module is domain code: it must not import Textual.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from console.config.errors import ConfigError, dotted, error_from_validation
from console.config.file import (
    CONFIG_ENV_VAR,
    ENV_PREFIX,
    ENV_SETTABLE,
    LOCAL_CONFIG_NAME,
    default_config_path,
    find_config_file,
    read_config_file,
)
from console.config.models import (
    PROFILE_NAME_PATTERN,
    ConsoleSettings,
    Profile,
    ProfileName,
)
from console.config.team import TeamSettings

__all__ = [
    "CONFIG_ENV_VAR",
    "ENV_PREFIX",
    "LOCAL_CONFIG_NAME",
    "AppConfig",
    "ConfigError",
    "ConsoleSettings",
    "Profile",
    "default_config_path",
    "field_docs",
    "find_config_file",
    "has_overrides",
    "load_config",
    "sandbox_profiles",
    "with_profiles",
]


def _env_names(environ: Mapping[str, str]) -> dict[tuple[str, ...], str]:
    """Key path → name of the environment variable that sets it."""
    names: dict[tuple[str, ...], str] = {}
    for name, value in environ.items():
        upper = name.upper()
        if value and upper.startswith(ENV_PREFIX) and upper != CONFIG_ENV_VAR:
            path = name[len(ENV_PREFIX) :].lower().split("__")
            names[tuple(path)] = name
    return names


def has_overrides(environ: Mapping[str, str]) -> bool:
    """Whether *environ* sets any ``COGNITO_CONSOLE_<TABLE>...`` override (non-empty).

    Exactly the variables pydantic-settings' source would read for
    :class:`AppConfig`'s fields; without one it is not imported at all.
    """
    return any(path[0] in AppConfig.model_fields for path in _env_names(environ))


def _deep_update(base: dict[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """*base* with *update* merged in: tables merge key by key, anything else is replaced.

    The merge pydantic-settings applies between its sources.
    """
    merged = dict(base)
    for key, value in update.items():
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merged[key] = _deep_update(current, value)
        else:
            merged[key] = value
    return merged


def _with_env_overrides(values: dict[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    """*values* with the environment's overrides merged over them (pydantic-settings, lazily).

    Raises pydantic-settings' ``SettingsError`` (a ``ValueError``) for a
    table-valued override that is not JSON.
    """
    if not has_overrides(environ):
        return values
    from console.config.env import env_overrides

    return _deep_update(values, env_overrides(environ, AppConfig))


class AppConfig(BaseModel):
    """The whole configuration: console settings, profiles, and where they came from.

    Built directly (``AppConfig(...)``), the ``COGNITO_CONSOLE_<TABLE>__<KEY>``
    variables in ``os.environ`` override the values given, as they would for
    a pydantic-settings model; :func:`load_config` applies its own environment.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    console: ConsoleSettings = Field(
        default_factory=ConsoleSettings, description="The [console] table."
    )
    profiles: dict[ProfileName, Profile] = Field(
        default_factory=dict, description="The [profiles.NAME] tables, by name."
    )
    team: TeamSettings | None = Field(
        default=None, description="The [team] table; None keeps the history local only."
    )
    source: Path | None = Field(default=None, description="The config file read, if any.")
    warnings: list[str] = Field(
        default_factory=list, description="Problems worth telling the user that are not errors."
    )

    @model_validator(mode="before")
    @classmethod
    def _environment_over_values(cls, values: Any, info: ValidationInfo) -> Any:
        """Environment variables over the values given (no .env files), unless the
        caller applied them already (``context={"env_applied": True}``)."""
        if not isinstance(values, dict) or (info.context or {}).get("env_applied"):
            return values
        return _with_env_overrides(values, os.environ)

    def profile(self, name: str | None) -> tuple[str, Profile]:
        """The profile called *name*; for None the default profile, or the only one there is.

        Raises :class:`ConfigError` listing the available names when there is
        no such profile or no way to choose one.
        """
        where = str(self.source) if self.source is not None else "no config file"
        available = ", ".join(sorted(self.profiles)) or "none"
        if name is None:
            name = self.console.default_profile
        if name is None:
            if len(self.profiles) == 1:
                return next(iter(self.profiles.items()))
            if not self.profiles:
                raise ConfigError(
                    where,
                    "no profiles configured; add a [profiles.NAME] table "
                    "(see config.example.toml) or use --sandbox",
                    key="profiles",
                    path=self.source,
                )
            raise ConfigError(
                where,
                f"not set and there are {len(self.profiles)} profiles; "
                f"name one with --profile (available: {available})",
                key="console.default_profile",
                path=self.source,
            )
        if name not in self.profiles:
            raise ConfigError(
                where,
                f"no profile named {name!r} (available: {available})",
                key="profiles",
                path=self.source,
            )
        return name, self.profiles[name]


def _allowed_keys() -> dict[tuple[str, ...], list[str]]:
    return {
        (): list(ENV_SETTABLE),
        ("console",): list(ConsoleSettings.model_fields),
        ("profiles", "*"): list(Profile.model_fields),
        ("team",): list(TeamSettings.model_fields),
    }


def _table_override_error(
    environ: Mapping[str, str], env_names: Mapping[tuple[str, ...], str], path: Path | None
) -> ConfigError:
    """Name the override whose table value is not a JSON object."""
    for key_path, name in env_names.items():
        if not _is_table_path(key_path):
            continue
        try:
            value = json.loads(environ[name])
        except ValueError:
            value = None
        if not isinstance(value, dict):
            return ConfigError(
                f"environment variable {name}",
                "should be a JSON object (this key holds a table)",
                key=dotted(key_path),
                path=path,
            )
    return ConfigError(
        "environment", f"a {ENV_PREFIX}... override should be a JSON object", path=path
    )


def _is_table_path(key_path: tuple[str, ...]) -> bool:
    """Whether an override sets a whole table (given as JSON) rather than a value."""
    match key_path:
        case ("console" | "profiles" | "team",) | ("console", "keymap") | ("profiles", _):
            return True
        case ("profiles", _, "client_metadata"):
            return True
    return False


def load_config(
    explicit: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> AppConfig:
    """Find, read and validate the config; environment variables override the file.

    *explicit* is ``--config``; *env* replaces ``os.environ`` and *cwd* the
    working directory (for tests). Raises :class:`ConfigError` for every
    problem: a named file missing, unreadable, not UTF-8 or not TOML, unknown
    keys, wrong types, missing keys, two secret sources in one profile.
    """
    environ: Mapping[str, str] = os.environ if env is None else env
    path, _named = find_config_file(explicit, env=environ, cwd=cwd)
    data: dict[str, Any] = {}
    mode = 0
    if path is not None:
        data, mode = read_config_file(path)
    where = str(path) if path is not None else "no config file"
    for key in data:
        # The settings model also has source/warnings; the file may not set them.
        if key not in ENV_SETTABLE:
            raise ConfigError(
                where,
                f"unknown key; allowed: {', '.join(ENV_SETTABLE)}",
                key=dotted([key]),
                path=path,
            )
    env_names = _env_names(environ)
    values = data
    if has_overrides(environ):
        from console.config.env import SettingsError, env_overrides

        try:
            values = _deep_update(data, env_overrides(environ, AppConfig))
        except SettingsError:
            # A table-valued override (a whole table, keymap, client_metadata)
            # that is not JSON; pydantic-settings only names the top-level field.
            raise _table_override_error(environ, env_names, path) from None
    try:
        # The overrides above came from *environ*: os.environ's are not wanted on top.
        config = AppConfig.model_validate(
            {**values, "source": path, "warnings": []}, context={"env_applied": True}
        )
    except ValidationError as exc:
        raise error_from_validation(
            exc,
            where=where,
            path=path,
            allowed_keys=_allowed_keys(),
            env_names=env_names,
            file_data=data,
        ) from None
    default = config.console.default_profile
    if default is not None and default not in config.profiles:
        culprit = env_names.get(("console", "default_profile"))
        raise ConfigError(
            f"environment variable {culprit}" if culprit else where,
            "names no profile; available: " + (", ".join(sorted(config.profiles)) or "none"),
            key="console.default_profile",
            path=path,
        )
    warnings: list[str] = []
    file_profiles = data.get("profiles", {})
    for name, profile in config.profiles.items():
        profile._origin = path
        in_file = (
            isinstance(file_profiles.get(name), dict) and "client_secret" in file_profiles[name]
        )
        if in_file and os.name == "posix" and mode & 0o077:
            warnings.append(
                f"{where}: {dotted(('profiles', name, 'client_secret'))}: inline secret in a file "
                f"that group or others can read (mode {mode:04o}); run chmod 600 on it, "
                "or use client_secret_env / client_secret_command"
            )
    return config.model_copy(update={"warnings": warnings})


def sandbox_profiles(
    endpoint_url: str,
    region: str,
    user_pool_id: str,
    public_client_id: str,
    confidential_client_id: str,
    confidential_secret: str,
) -> dict[str, Profile]:
    """Profiles for a local sandbox: ``sandbox`` (public client) and ``sandbox-confidential``."""
    try:
        return {
            "sandbox": Profile(
                description="Local sandbox, public app client (no secret)",
                region=region,
                user_pool_id=user_pool_id,
                client_id=public_client_id,
                endpoint_url=endpoint_url,
            ),
            "sandbox-confidential": Profile(
                description="Local sandbox, confidential app client (inline secret)",
                region=region,
                user_pool_id=user_pool_id,
                client_id=confidential_client_id,
                endpoint_url=endpoint_url,
                client_secret=SecretStr(confidential_secret),
            ),
        }
    except ValidationError as exc:
        raise error_from_validation(exc, where="sandbox", path=None) from None


def with_profiles(
    config: AppConfig, extra: dict[str, Profile], default: str | None = None
) -> AppConfig:
    """A copy of *config* with *extra* profiles added (replacing any of the same name).

    *default*, when given, becomes ``console.default_profile``; it must name a
    profile of the result. Used by ``--sandbox``.
    """
    for name in extra:
        if not re.fullmatch(PROFILE_NAME_PATTERN, name):
            raise ConfigError("profiles", "is not a valid profile name", key=dotted([name]))
    profiles = {**config.profiles, **extra}
    console = config.console
    if default is not None:
        if default not in profiles:
            raise ConfigError(
                "profiles",
                f"no profile named {default!r} (available: {', '.join(sorted(profiles))})",
            )
        console = console.model_copy(update={"default_profile": default})
    return config.model_copy(update={"profiles": profiles, "console": console})


def field_docs() -> dict[str, str]:
    """Dotted key → its description: ``console.read_timeout``, ``profiles.*.region``, ..."""
    docs: dict[str, str] = {}
    models = (("console", ConsoleSettings), ("profiles.*", Profile), ("team", TeamSettings))
    for prefix, model in models:
        for name, info in model.model_fields.items():
            docs[f"{prefix}.{name}"] = info.description or ""
    return docs
