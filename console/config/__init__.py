"""Settings: the TOML config file, environment overrides, profiles, and one-line errors.

- :mod:`~console.config.file`: where the file is found, reading it as TOML;
- :mod:`~console.config.models`: the console settings and profile models;
- :mod:`~console.config.loading`: the whole config validated, with environment overrides;
- :mod:`~console.config.env`: the ``COGNITO_CONSOLE_<TABLE>__<KEY>`` overrides (pydantic-settings);
- :mod:`~console.config.editing`: writing a setting back, keeping the file's comments;
- :mod:`~console.config.team`: the ``[team]`` table (the shared history on DynamoDB);
- :mod:`~console.config.secrets`: client secrets from a command or the environment;
- :mod:`~console.config.errors`: :class:`ConfigError`, one line naming the file and field.

Domain code: no Textual. Importing the package loads nothing else; each name
loads its own module on first use (pydantic only with the models).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from console.lazy import load_export

if TYPE_CHECKING:
    from console.config.editing import (
        set_console_setting,
    )
    from console.config.env import (
        env_overrides,
    )
    from console.config.errors import (
        ConfigError,
        dotted,
        error_from_validation,
    )
    from console.config.file import (
        APP_NAME,
        CONFIG_ENV_VAR,
        ENV_PREFIX,
        ENV_SETTABLE,
        LOCAL_CONFIG_NAME,
        default_config_path,
        find_config_file,
        read_config_file,
    )
    from console.config.loading import (
        AppConfig,
        field_docs,
        has_overrides,
        load_config,
        sandbox_profiles,
        with_profiles,
    )
    from console.config.models import (
        ConsoleSettings,
        Profile,
        ProfileName,
        default_history_path,
    )
    from console.config.secrets import (
        SECRET_COMMAND_TIMEOUT,
        secret_from_command,
        secret_from_env,
    )
    from console.config.team import (
        TeamSettings,
    )

_HOMES = {
    "APP_NAME": "file",
    "AppConfig": "loading",
    "CONFIG_ENV_VAR": "file",
    "ConfigError": "errors",
    "ConsoleSettings": "models",
    "ENV_PREFIX": "file",
    "ENV_SETTABLE": "file",
    "LOCAL_CONFIG_NAME": "file",
    "Profile": "models",
    "ProfileName": "models",
    "SECRET_COMMAND_TIMEOUT": "secrets",
    "TeamSettings": "team",
    "default_config_path": "file",
    "default_history_path": "models",
    "dotted": "errors",
    "env_overrides": "env",
    "error_from_validation": "errors",
    "field_docs": "loading",
    "find_config_file": "file",
    "has_overrides": "loading",
    "load_config": "loading",
    "read_config_file": "file",
    "sandbox_profiles": "loading",
    "secret_from_command": "secrets",
    "secret_from_env": "secrets",
    "set_console_setting": "editing",
    "with_profiles": "loading",
}
"""Each public name and the submodule that defines it."""

__all__ = [
    "APP_NAME",
    "CONFIG_ENV_VAR",
    "ENV_PREFIX",
    "ENV_SETTABLE",
    "LOCAL_CONFIG_NAME",
    "SECRET_COMMAND_TIMEOUT",
    "AppConfig",
    "ConfigError",
    "ConsoleSettings",
    "Profile",
    "ProfileName",
    "TeamSettings",
    "default_config_path",
    "default_history_path",
    "dotted",
    "env_overrides",
    "error_from_validation",
    "field_docs",
    "find_config_file",
    "has_overrides",
    "load_config",
    "read_config_file",
    "sandbox_profiles",
    "secret_from_command",
    "secret_from_env",
    "set_console_setting",
    "with_profiles",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its submodule on first use (see :mod:`console.lazy`)."""
    return load_export(__name__, _HOMES, name, globals())


def __dir__() -> list[str]:
    """The public names too, loaded or not (what ``dir()`` and completion show)."""
    return sorted({*globals(), *_HOMES})
