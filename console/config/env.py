"""``COGNITO_CONSOLE_<TABLE>__<KEY>`` environment overrides, read by pydantic-settings.

Imported only when such a variable is set (:func:`console.config.loading.has_overrides`):
pydantic-settings pulls in asyncio, dotenv and all its cloud source providers,
which would cost every start-up (the one-shot ``resend`` most of all) for a
feature most runs don't use. Its environment source turns the variables into
the nested table the config file would give (JSON for whole tables, ``__``
for nesting, case-insensitive names, empty values ignored); the caller merges
that over the file's values and validates the result with
:class:`console.config.loading.AppConfig`. Domain code: no Textual import.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from typing import Any

from pydantic import BaseModel, create_model
from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict, SettingsError

from console.config.file import ENV_PREFIX, ENV_SETTABLE

__all__ = ["SettingsError", "env_overrides"]


class _Settings(BaseSettings):
    """How pydantic-settings reads our variables; the fields are AppConfig's (see _fields_model)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        env_ignore_empty=True,
        extra="forbid",
        frozen=True,
    )


@cache
def _fields_model(model: type[BaseModel]) -> type[BaseSettings]:
    """A settings class with exactly *model*'s fields (AppConfig's), so the source reads the
    same variables (and parses the same ones as JSON) as when AppConfig was a BaseSettings.

    The model is passed in, not imported: the loader imports this module, never the reverse.
    """
    fields: dict[str, Any] = {
        name: (info.annotation, info) for name, info in model.model_fields.items()
    }
    return create_model("AppConfigEnvironment", __base__=_Settings, **fields)


class _EnvSource(EnvSettingsSource):
    """pydantic-settings' environment source, reading the mapping it is given."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        if self._environ is os.environ:
            return super()._load_env_vars()
        return {
            name if self.case_sensitive else name.lower(): value
            for name, value in self._environ.items()
            if not (self.env_ignore_empty and value == "")
        }

    def __call__(self) -> dict[str, Any]:
        # The config's own bookkeeping (source, warnings) is never set from outside.
        return {k: v for k, v in super().__call__().items() if k in ENV_SETTABLE}


def env_overrides(environ: Mapping[str, str], model: type[BaseModel]) -> dict[str, Any]:
    """The values the variables in *environ* set, as a nested table (``{"console": {...}}``).

    Raises :class:`SettingsError` when a table-valued variable (a whole table,
    ``keymap``, ``client_metadata``) is not valid JSON.
    """
    return _EnvSource(_fields_model(model), environ)()
