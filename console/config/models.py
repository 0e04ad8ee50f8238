"""The config's tables as pydantic models: ``[console]`` and ``[profiles.NAME]``.

Each field carries a description: it is the documentation of that key, shown
in ``config.example.toml`` (a test keeps the two in step) and by
:func:`console.config.loading.field_docs`. Every model forbids unknown keys, nested
ones included, so a typo such as ``clinet_id`` is an error rather than a
silently ignored line. Domain code: no Textual import.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    field_validator,
    model_validator,
)

from console.config.errors import dotted
from console.config.file import APP_NAME
from console.config.secrets import SECRET_COMMAND_TIMEOUT, secret_from_command, secret_from_env

__all__ = [
    "APP_NAME",
    "ConsoleSettings",
    "Profile",
    "ProfileName",
    "check_endpoint_url",
    "default_history_path",
]

PROFILE_NAME_PATTERN = r"^[A-Za-z0-9_.-]{1,64}$"
# Region codes: us-east-1, us-gov-west-1, ap-southeast-7, eusc-de-east-1.
REGION_PATTERN = r"^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$"
# From the Cognito API model (UserPoolIdType, ClientIdType), anchored.
USER_POOL_ID_PATTERN = r"^[\w-]+_[0-9a-zA-Z]+$"
CLIENT_ID_PATTERN = r"^[\w+]+$"
ENV_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"

ProfileName = Annotated[str, Field(pattern=PROFILE_NAME_PATTERN)]
NonEmpty = Annotated[str, Field(min_length=1)]


def default_history_path() -> Path:
    """The history database in the user data dir."""
    import platformdirs  # only when the config does not name one

    return platformdirs.user_data_path(APP_NAME) / "history.sqlite3"


def check_endpoint_url(value: str | None) -> str | None:
    """*value* if it is an http(s) URL with a host and no credentials; raises ValueError."""
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError for a bad port
    except ValueError:
        raise ValueError("should be an http:// or https:// URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or re.search(r"\s", value):
        raise ValueError("should be an http:// or https:// URL with a host")
    if parts.username is not None or parts.password is not None:
        raise ValueError("should not contain a user name or password")
    return value


class ConsoleSettings(BaseModel):
    """The ``[console]`` table: how the console itself behaves."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default_profile: ProfileName | None = Field(
        default=None,
        description="Profile used when none is named with --profile. "
        "Not needed when there is exactly one profile.",
    )
    history_path: Path = Field(
        default_factory=default_history_path,
        description="SQLite file that records every resend attempt. "
        "~ is expanded; the default is history.sqlite3 in the user data dir.",
    )
    theme: NonEmpty = Field(
        default="textual-dark",
        description="TUI color theme name; picking one with F10 in the TUI saves it here.",
    )
    connect_timeout: float = Field(
        default=5.0,
        gt=0,
        allow_inf_nan=False,
        description="Seconds to wait for a connection to Cognito before giving up.",
    )
    read_timeout: float = Field(
        default=10.0,
        gt=0,
        allow_inf_nan=False,
        description="Seconds to wait for Cognito's answer once connected.",
    )
    max_attempts: int = Field(
        default=3,
        ge=1,
        le=10,
        description="Total attempts per call, the first one included (1-10). "
        "Only throttling, server errors and network failures are retried.",
    )
    keymap: dict[str, NonEmpty] = Field(
        default_factory=dict,
        description="TUI key bindings to change: binding id = keys, "
        'e.g. resend = "ctrl+s". Several keys are separated by commas.',
    )

    @field_validator("history_path", mode="before")
    @classmethod
    def _expand_home(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                raise ValueError("should be a file path (not empty)")
            return Path(value).expanduser()
        if isinstance(value, Path):
            return value.expanduser()
        return value

    @field_validator("connect_timeout", "read_timeout", "max_attempts", mode="before")
    @classmethod
    def _no_booleans(cls, value: object) -> object:
        # Lax validation (needed for environment strings) would read true as 1.
        if isinstance(value, bool):
            raise ValueError("should be a number, not true or false")
        return value


class Profile(BaseModel):
    """A ``[profiles.NAME]`` table: one user pool app client to work with."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = Field(default="", description="What this profile is for, shown in lists.")
    region: str = Field(
        pattern=REGION_PATTERN, description="AWS Region of the user pool, e.g. us-east-1."
    )
    user_pool_id: str = Field(
        min_length=1,
        max_length=55,
        pattern=USER_POOL_ID_PATTERN,
        description="User pool ID, e.g. us-east-1_AbCdEf123.",
    )
    client_id: str = Field(
        min_length=1,
        max_length=128,
        pattern=CLIENT_ID_PATTERN,
        description="App client ID that resend calls are made for.",
    )
    endpoint_url: str | None = Field(
        default=None,
        description="Cognito endpoint to call instead of AWS, e.g. the local sandbox "
        "http://127.0.0.1:9229. Leave unset for AWS.",
    )
    aws_profile: NonEmpty | None = Field(
        default=None,
        description="AWS CLI profile for admin lookups (resend itself needs no credentials).",
    )
    hides_unknown_users: bool | None = Field(
        default=None,
        description="Whether the app client hides unknown users (PreventUserExistenceErrors "
        "ENABLED: an unknown user gets a simulated success). Unset: asked of the pool when "
        "credentials exist; without them a success is marked 'cannot tell'.",
    )
    analytics_endpoint_id: NonEmpty | None = Field(
        default=None,
        description="Default Amazon Pinpoint endpoint ID sent as AnalyticsMetadata.",
    )
    client_metadata: dict[str, str] = Field(
        default_factory=dict,
        description="Default ClientMetadata key/value pairs passed to the CustomMessage trigger.",
    )
    client_secret_env: str | None = Field(
        default=None,
        pattern=ENV_NAME_PATTERN,
        description="Client secret source 1 of 3: name of the environment variable "
        "that holds the app client secret.",
    )
    client_secret_command: str | None = Field(
        default=None,
        description="Client secret source 2 of 3: command that prints the app client "
        "secret; run without a shell, 10 s timeout, its output is never shown.",
    )
    client_secret: SecretStr | None = Field(
        default=None,
        min_length=1,
        description="Client secret source 3 of 3: the app client secret itself. "
        "Keep the file private (chmod 600). Set at most one source; none for a public client.",
    )

    # The file this profile came from, to name it in secret errors.
    _origin: Path | None = PrivateAttr(default=None)

    @field_validator("endpoint_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        return check_endpoint_url(value)

    @field_validator("client_secret_command")
    @classmethod
    def _check_command(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            argv = shlex.split(value)
        except ValueError:
            raise ValueError("cannot be split into words: check the quotes") from None
        if not argv:
            raise ValueError("should be a command (not empty)")
        return value

    @model_validator(mode="after")
    def _one_secret_source(self) -> Profile:
        given = self._sources_given()
        if len(given) > 1:
            raise ValueError(
                f"set at most one client secret source, found {len(given)}: {', '.join(given)}"
            )
        return self

    def _sources_given(self) -> list[str]:
        names = ("client_secret_env", "client_secret_command", "client_secret")
        return [name for name in names if getattr(self, name) is not None]

    def secret_source(self) -> str | None:
        """The secret's source: ``"env:NAME"``, ``"command"``, ``"inline"`` or None."""
        if self.client_secret_env is not None:
            return f"env:{self.client_secret_env}"
        if self.client_secret_command is not None:
            return "command"
        if self.client_secret is not None:
            return "inline"
        return None

    def has_secret(self) -> bool:
        """Whether the app client has a secret configured (a confidential client)."""
        return self.secret_source() is not None

    def resolve_secret(
        self,
        name: str,
        *,
        env: Mapping[str, str] | None = None,
        timeout: float = SECRET_COMMAND_TIMEOUT,
    ) -> SecretStr | None:
        """Fetch the client secret now; None for a public client.

        *name* is the profile's name, for the message. Reads ``os.environ``
        unless *env* is given. Raises :class:`ConfigError` naming the profile
        and key when the variable is unset or empty, or the command is missing,
        fails, times out or prints nothing; the secret and the command's
        output are never part of the message.
        """
        where = str(self._origin) if self._origin is not None else "config"
        if self.client_secret_env is not None:
            return secret_from_env(
                self.client_secret_env,
                env=os.environ if env is None else env,
                where=where,
                key=dotted(("profiles", name, "client_secret_env")),
            )
        if self.client_secret_command is not None:
            return secret_from_command(
                self.client_secret_command,
                where=where,
                key=dotted(("profiles", name, "client_secret_command")),
                timeout=timeout,
            )
        return self.client_secret

    @property
    def is_aws_endpoint(self) -> bool:
        """True when calls go to AWS itself (no ``endpoint_url``)."""
        return self.endpoint_url is None
