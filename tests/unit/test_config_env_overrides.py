"""Environment overrides: pydantic-settings parses them, and is loaded only when one is set.

The config is validated by a plain pydantic model; ``COGNITO_CONSOLE_<TABLE>__<KEY>``
variables go through pydantic-settings' environment source
(``console.config.env``), imported only when such a variable is set, because
importing pydantic-settings costs every start-up. These tests pin both halves:
without overrides that module is never imported, and with them the result is
exactly what a pydantic-settings model (the config as it was built before)
gives for the same file and environment.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from console.config import (
    AppConfig,
    ConsoleSettings,
    Profile,
    ProfileName,
    TeamSettings,
    has_overrides,
    load_config,
    read_config_file,
)

FILE = """
[console]
theme = "nord"
read_timeout = 7
keymap = { resend = "ctrl+r" }

[profiles.prod]
description = "production"
region = "eu-west-1"
user_pool_id = "eu-west-1_Prod1"
client_id = "prodclient1"
client_metadata = { source = "helpdesk", team = "a" }
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def _reference(environ: Mapping[str, str], data: dict[str, Any]) -> dict[str, Any]:
    """What the config was when AppConfig itself was a pydantic-settings model."""

    class Source(EnvSettingsSource):
        def _load_env_vars(self) -> Mapping[str, str | None]:
            return {
                name.lower(): value
                for name, value in environ.items()
                if not (self.env_ignore_empty and value == "")
            }

        def __call__(self) -> dict[str, Any]:
            return {
                k: v for k, v in super().__call__().items() if k in ("console", "profiles", "team")
            }

    class Reference(BaseSettings):
        model_config = SettingsConfigDict(
            env_prefix="COGNITO_CONSOLE_",
            env_nested_delimiter="__",
            env_ignore_empty=True,
            extra="forbid",
            frozen=True,
        )

        console: ConsoleSettings = Field(default_factory=ConsoleSettings)
        profiles: dict[ProfileName, Profile] = Field(default_factory=dict)
        team: TeamSettings | None = None
        source: Path | None = None
        warnings: list[str] = Field(default_factory=list)

        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            return (Source(settings_cls), init_settings)

    return Reference(**data).model_dump(exclude={"source", "warnings"})


SAME_AS_PYDANTIC_SETTINGS: dict[str, dict[str, str]] = {
    "no overrides": {},
    "one value over the file's": {"COGNITO_CONSOLE_CONSOLE__READ_TIMEOUT": "3"},
    "lower-case names": {"cognito_console_console__theme": "dracula"},
    "a whole table as JSON merges with the file's": {
        "COGNITO_CONSOLE_CONSOLE": '{"theme": "monokai", "max_attempts": 2}'
    },
    "a nested table as JSON merges key by key": {
        "COGNITO_CONSOLE_PROFILES__PROD__CLIENT_METADATA": '{"team": "b", "extra": "x"}'
    },
    "keymap as JSON": {"COGNITO_CONSOLE_CONSOLE__KEYMAP": '{"quit": "ctrl+q"}'},
    "a profile from the environment only": {
        "COGNITO_CONSOLE_PROFILES__CI__REGION": "us-east-1",
        "COGNITO_CONSOLE_PROFILES__CI__USER_POOL_ID": "us-east-1_X1",
        "COGNITO_CONSOLE_PROFILES__CI__CLIENT_ID": "c1",
    },
    "the profiles table as JSON": {
        "COGNITO_CONSOLE_PROFILES": '{"ci": {"region": "us-east-1", '
        '"user_pool_id": "us-east-1_X1", "client_id": "c1"}}'
    },
    "empty values are ignored": {"COGNITO_CONSOLE_CONSOLE__THEME": ""},
    "source and warnings cannot be set": {
        "COGNITO_CONSOLE_SOURCE": "/etc/passwd",
        "COGNITO_CONSOLE_WARNINGS": '["x"]',
    },
    "unrelated variables": {"COGNITO_CONSOLE_CONFIG": "ignored-here", "HOME": "/nowhere"},
    "a secret source": {"COGNITO_CONSOLE_PROFILES__PROD__CLIENT_SECRET_ENV": "PROD_SECRET"},
    "history path, expanded": {"COGNITO_CONSOLE_CONSOLE__HISTORY_PATH": "~/h.sqlite3"},
    "the team table from the environment": {
        "COGNITO_CONSOLE_TEAM__TABLE": "helpdesk-history",
        "COGNITO_CONSOLE_TEAM__REGION": "eu-west-1",
        "COGNITO_CONSOLE_TEAM__OPERATOR": "ana",
    },
}


@pytest.mark.parametrize("case", sorted(SAME_AS_PYDANTIC_SETTINGS))
def test_overrides_give_what_a_pydantic_settings_model_gives(tmp_path: Path, case: str) -> None:
    env = SAME_AS_PYDANTIC_SETTINGS[case]
    path = write(tmp_path / "c.toml", FILE)
    data, _mode = read_config_file(path)
    config = load_config(str(path), env=env)
    assert config.model_dump(exclude={"source", "warnings"}) == _reference(env, data)
    assert config.source == path


def test_an_override_changes_the_value_and_keeps_the_rest(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", FILE)
    env = {
        "COGNITO_CONSOLE_CONSOLE__READ_TIMEOUT": "3",
        "COGNITO_CONSOLE_PROFILES__PROD__CLIENT_METADATA": '{"team": "b"}',
    }
    config = load_config(str(path), env=env)
    assert config.console.read_timeout == 3.0
    assert config.console.theme == "nord"
    assert config.console.keymap == {"resend": "ctrl+r"}
    assert config.profiles["prod"].client_metadata == {"source": "helpdesk", "team": "b"}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, False),
        ({"COGNITO_CONSOLE_CONFIG": "/some/config.toml"}, False),
        ({"COGNITO_CONSOLE_TEST_CRASH": "worker"}, False),
        ({"COGNITO_CONSOLE_CONSOLE__THEME": ""}, False),
        ({"AWS_PROFILE": "x", "HOME": "/root"}, False),
        ({"COGNITO_CONSOLE_CONSOLE__THEME": "nord"}, True),
        ({"cognito_console_console__theme": "nord"}, True),
        ({"COGNITO_CONSOLE_CONSOLE": "{}"}, True),
        ({"COGNITO_CONSOLE_PROFILES__CI__REGION": "us-east-1"}, True),
        ({"COGNITO_CONSOLE_WARNINGS": "[]"}, True),
    ],
)
def test_which_variables_are_overrides(env: dict[str, str], expected: bool) -> None:
    assert has_overrides(env) is expected


@pytest.fixture
def no_env_module(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any import of the pydantic-settings side fails from here on."""
    monkeypatch.setitem(sys.modules, "console.config.env", None)
    monkeypatch.setitem(sys.modules, "pydantic_settings", None)


@pytest.mark.usefixtures("no_env_module")
def test_without_overrides_pydantic_settings_is_not_needed(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", FILE)
    env = {"COGNITO_CONSOLE_CONFIG": str(path), "COGNITO_CONSOLE_TEST_CRASH": "", "PATH": "/bin"}
    config = load_config(None, env=env, cwd=tmp_path)
    assert config.console.theme == "nord"
    assert config.profile(None)[0] == "prod"


@pytest.mark.usefixtures("no_env_module")
def test_with_an_override_pydantic_settings_is_what_reads_it(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", FILE)
    with pytest.raises(ImportError):
        load_config(str(path), env={"COGNITO_CONSOLE_CONSOLE__THEME": "dracula"})


@pytest.mark.usefixtures("no_env_module")
def test_building_the_model_directly_without_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(__import__("os").environ):
        if name.upper().startswith("COGNITO_CONSOLE_"):
            monkeypatch.delenv(name)
    config = AppConfig(console=ConsoleSettings(theme="nord"))
    assert config.console.theme == "nord"
    assert config.profiles == {}


def test_building_the_model_directly_applies_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COGNITO_CONSOLE_CONSOLE__READ_TIMEOUT", "4")
    config = AppConfig(console={"theme": "nord"})
    assert (config.console.theme, config.console.read_timeout) == ("nord", 4.0)


def test_load_config_ignores_os_environ_when_given_an_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COGNITO_CONSOLE_CONSOLE__THEME", "from-os-environ")
    path = write(tmp_path / "c.toml", FILE)
    assert load_config(str(path), env={}).console.theme == "nord"
    assert load_config(str(path)).console.theme == "from-os-environ"
