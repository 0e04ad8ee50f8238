"""Loading the config: search order, env overrides, and one clear line per bad file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from console.config import (
    AppConfig,
    ConfigError,
    ConsoleSettings,
    Profile,
    find_config_file,
    load_config,
)
from console.config import file as config_file
from tests.data.hostile import terminal_hazards
from tests.helpers.unprivileged import (
    chown_to_unprivileged,
    run_unprivileged,
    unprivileged_folder,
)

CANARY = "CANARYSECRET"

PROFILE = """
[profiles.prod]
region = "eu-west-1"
user_pool_id = "eu-west-1_AbC123"
client_id = "abc123client"
"""


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user config dir at an empty place, so a developer's own file never leaks in."""
    user = tmp_path / "user-config" / "config.toml"
    monkeypatch.setattr(config_file, "default_config_path", lambda: user)
    return user


def write(path: Path, text: str | bytes, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def load_error(path: Path | str, env: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(str(path), env=env or {})
    message = str(info.value)
    assert "\n" not in message
    assert CANARY not in message
    return message


# ---- search order ---------------------------------------------------------


def test_explicit_path_wins_over_everything(tmp_path: Path, no_user_config: Path) -> None:
    explicit = write(tmp_path / "a.toml", "")
    named = write(tmp_path / "b.toml", "")
    write(tmp_path / "cognito-console.toml", "")
    write(no_user_config, "")
    env = {"COGNITO_CONSOLE_CONFIG": str(named)}
    assert find_config_file(str(explicit), env=env, cwd=tmp_path) == (explicit, True)


def test_env_var_comes_second(tmp_path: Path, no_user_config: Path) -> None:
    named = write(tmp_path / "b.toml", "")
    write(tmp_path / "cognito-console.toml", "")
    write(no_user_config, "")
    env = {"COGNITO_CONSOLE_CONFIG": str(named)}
    assert find_config_file(None, env=env, cwd=tmp_path) == (named, True)


def test_working_directory_comes_third(tmp_path: Path, no_user_config: Path) -> None:
    local = write(tmp_path / "cognito-console.toml", "")
    write(no_user_config, "")
    assert find_config_file(None, env={}, cwd=tmp_path) == (local, False)


def test_user_config_dir_comes_last(tmp_path: Path, no_user_config: Path) -> None:
    write(no_user_config, "")
    assert find_config_file(None, env={}, cwd=tmp_path) == (no_user_config, False)


def test_no_file_anywhere_means_no_config(tmp_path: Path) -> None:
    assert find_config_file(None, env={}, cwd=tmp_path) == (None, False)
    config = load_config(None, env={}, cwd=tmp_path)
    assert config.source is None
    assert config.profiles == {}
    assert config.console == ConsoleSettings()
    assert config.warnings == []


def test_relative_and_home_paths_are_expanded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert find_config_file("sub/c.toml", env={}, cwd=tmp_path)[0] == tmp_path / "sub" / "c.toml"
    assert find_config_file("~/c.toml", env={}, cwd=tmp_path)[0] == tmp_path / "home" / "c.toml"
    env = {"COGNITO_CONSOLE_CONFIG": "rel.toml"}
    assert find_config_file(None, env=env, cwd=tmp_path)[0] == tmp_path / "rel.toml"


def test_empty_config_env_var_is_ignored(tmp_path: Path) -> None:
    env = {"COGNITO_CONSOLE_CONFIG": ""}
    assert find_config_file(None, env=env, cwd=tmp_path) == (None, False)


def test_load_reads_the_file_it_found(tmp_path: Path) -> None:
    local = write(tmp_path / "cognito-console.toml", PROFILE)
    config = load_config(None, env={}, cwd=tmp_path)
    assert config.source == local
    assert list(config.profiles) == ["prod"]


@pytest.mark.parametrize("how", ["--config", "env"])
def test_named_file_that_is_missing_is_an_error(tmp_path: Path, how: str) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as info:
        if how == "--config":
            load_config(str(missing), env={}, cwd=tmp_path)
        else:
            load_config(None, env={"COGNITO_CONSOLE_CONFIG": str(missing)}, cwd=tmp_path)
    assert str(info.value) == f"config file not found: {missing}"
    assert info.value.path == missing


# ---- a good file ----------------------------------------------------------


def test_full_file_loads(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.toml",
        """
[console]
default_profile = "prod"
history_path = "~/h.sqlite3"
theme = "nord"
connect_timeout = 1.5
read_timeout = 2
max_attempts = 10
keymap = { resend = "ctrl+r,f5" }
"""
        + PROFILE
        + """
description = "Production"
endpoint_url = "https://cognito-idp.eu-west-1.amazonaws.com"
aws_profile = "prod-ro"
analytics_endpoint_id = "ep-1"
client_secret_env = "PROD_SECRET"
client_metadata = { source = "helpdesk", empty = "" }
""",
    )
    config = load_config(str(path), env={})
    assert config.source == path
    assert config.console.default_profile == "prod"
    assert config.console.history_path == Path("~/h.sqlite3").expanduser()
    assert config.console.theme == "nord"
    assert config.console.connect_timeout == 1.5
    assert config.console.read_timeout == 2.0
    assert config.console.max_attempts == 10
    assert config.console.keymap == {"resend": "ctrl+r,f5"}
    prof = config.profiles["prod"]
    assert prof.description == "Production"
    assert prof.client_metadata == {"source": "helpdesk", "empty": ""}
    assert prof.secret_source() == "env:PROD_SECRET"
    assert not prof.is_aws_endpoint
    assert config.warnings == []


def test_defaults(tmp_path: Path) -> None:
    config = load_config(str(write(tmp_path / "c.toml", "")), env={})
    console = config.console
    assert console.default_profile is None
    assert console.history_path.name == "history.sqlite3"
    assert console.history_path.parent.name == "cognito-console"
    assert (console.theme, console.connect_timeout, console.read_timeout) == (
        "textual-dark",
        5.0,
        10.0,
    )
    assert console.max_attempts == 3
    assert console.keymap == {}


def test_the_settings_model_reads_os_environ_when_built_directly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COGNITO_CONSOLE_CONSOLE__THEME", "nord")
    assert AppConfig().console.theme == "nord"


# ---- environment overrides ------------------------------------------------


def test_env_overrides_single_settings(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", "[console]\nread_timeout = 7\ntheme = 'nord'\n" + PROFILE)
    env = {
        "COGNITO_CONSOLE_CONSOLE__READ_TIMEOUT": "3",
        "COGNITO_CONSOLE_PROFILES__PROD__DESCRIPTION": "from env",
        "COGNITO_CONSOLE_PROFILES__PROD__CLIENT_METADATA": '{"a": "b"}',
    }
    config = load_config(str(path), env=env)
    assert config.console.read_timeout == 3.0
    assert config.console.theme == "nord"  # untouched keys keep the file's value
    assert config.profiles["prod"].description == "from env"
    assert config.profiles["prod"].region == "eu-west-1"
    assert config.profiles["prod"].client_metadata == {"a": "b"}


def test_env_can_create_a_whole_profile_without_a_file(tmp_path: Path) -> None:
    env = {
        "COGNITO_CONSOLE_PROFILES__CI__REGION": "us-east-1",
        "COGNITO_CONSOLE_PROFILES__CI__USER_POOL_ID": "us-east-1_X1",
        "COGNITO_CONSOLE_PROFILES__CI__CLIENT_ID": "c1",
    }
    config = load_config(None, env=env, cwd=tmp_path)
    assert config.profile(None)[0] == "ci"


def test_empty_env_override_is_ignored(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", "[console]\ntheme = 'nord'\n")
    config = load_config(str(path), env={"COGNITO_CONSOLE_CONSOLE__THEME": ""})
    assert config.console.theme == "nord"


def test_env_cannot_set_source_or_warnings(tmp_path: Path) -> None:
    env = {"COGNITO_CONSOLE_SOURCE": "/etc/passwd", "COGNITO_CONSOLE_WARNINGS": '["x"]'}
    config = load_config(None, env=env, cwd=tmp_path)
    assert config.source is None
    assert config.warnings == []


def test_bad_env_value_blames_the_variable(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", "")
    message = load_error(path, {"COGNITO_CONSOLE_CONSOLE__READ_TIMEOUT": "soon"})
    assert message == (
        "environment variable COGNITO_CONSOLE_CONSOLE__READ_TIMEOUT: "
        "console.read_timeout: should be a number"
    )


def test_unknown_env_key_blames_the_variable(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", "")
    message = load_error(path, {"COGNITO_CONSOLE_CONSOLE__READ_TIMEUT": "3"})
    assert message.startswith(
        "environment variable COGNITO_CONSOLE_CONSOLE__READ_TIMEUT: console.read_timeut: "
        "unknown key (did you mean read_timeout?)"
    )


def test_env_table_that_is_not_json(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", "")
    message = load_error(path, {"COGNITO_CONSOLE_CONSOLE__KEYMAP": CANARY})
    assert message == (
        "environment variable COGNITO_CONSOLE_CONSOLE__KEYMAP: console.keymap: "
        "should be a JSON object (this key holds a table)"
    )


def test_half_a_profile_from_env_blames_the_env(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", PROFILE)
    message = load_error(path, {"COGNITO_CONSOLE_PROFILES__CI__REGION": "us-east-1"})
    assert message.startswith(
        "environment variable COGNITO_CONSOLE_PROFILES__CI__REGION: "
        "profiles.ci.user_pool_id: required key is missing"
    )


# ---- bad files: one line naming the file and the key ---------------------


def test_folder_at_the_path(tmp_path: Path) -> None:
    folder = tmp_path / "c.toml"
    folder.mkdir()
    assert load_error(folder) == f"{folder}: is a folder, not a config file"


def test_folder_at_an_implicit_path_is_reported_too(tmp_path: Path) -> None:
    (tmp_path / "cognito-console.toml").mkdir()
    with pytest.raises(ConfigError, match="is a folder"):
        load_config(None, env={}, cwd=tmp_path)


def test_not_a_regular_file(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "c.toml"
    os.mkfifo(fifo)
    assert load_error(fifo) == f"{fifo}: is not a regular file"


def test_huge_file(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", b"#" * (config_file.MAX_CONFIG_BYTES + 1))
    assert load_error(path) == f"{path}: is larger than 1 MiB; is this the right file?"


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "c.toml", "")

    def denied(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)
    assert load_error(path) == f"{path}: cannot read the file: permission denied"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_unreadable_file_for_real() -> None:
    # Run as an unprivileged user (under root CI too: root reads any file).
    with unprivileged_folder() as folder:
        readable = write(folder / "readable.toml", "[console]\nbogus = 1\n")
        path = write(folder / "c.toml", "", mode=0)
        chown_to_unprivileged(readable, path)
        # Read a file first: every import the reading needs is done before the drop.
        assert "bogus" in run_unprivileged(load_error, readable)
        assert run_unprivileged(load_error, path) == (
            f"{path}: cannot read the file: permission denied"
        )


def test_bad_toml_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", f'[console]\ntheme = "x"\nclient_secret = {CANARY}\n')
    assert load_error(path) == f"{path}: line 3, column 17: invalid TOML: invalid value"


def test_bad_toml_at_end_of_file(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", '[console]\ntheme = "unterminated')
    assert load_error(path) == f"{path}: end of file: invalid TOML: unterminated string"


def test_duplicate_key(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", "[console]\ntheme = 'a'\ntheme = 'b'\n")
    message = load_error(path)
    assert message.startswith(f"{path}: line 3, column ")
    assert "cannot overwrite a value" in message


def test_byte_order_mark(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", b"\xef\xbb\xbf[console]\n")
    assert load_error(path) == f"{path}: starts with a UTF-8 byte order mark; save it without BOM"


def test_not_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", b'[console]\ntheme = "caf\xe9"\n')
    assert load_error(path) == (
        f"{path}: not UTF-8 text: invalid byte at offset 22 (line 2); save it as UTF-8"
    )


@pytest.mark.parametrize(
    ("text", "key", "allowed"),
    [
        ("wat = 1\n", "wat", "allowed: console, profiles"),
        ("source = 'x'\n", "source", "allowed: console, profiles"),
        ("[console]\nread_timeut = 1\n", "console.read_timeut", "(did you mean read_timeout?)"),
        (PROFILE + f'clinet_id = "{CANARY}"\n', "profiles.prod.clinet_id", "did you mean"),
        (PROFILE + f'[profiles.prod.deeper]\nx = "{CANARY}"\n', "profiles.prod.deeper", "allowed"),
    ],
)
def test_unknown_keys_at_every_depth(tmp_path: Path, text: str, key: str, allowed: str) -> None:
    path = write(tmp_path / "cfg.toml", text)
    message = load_error(path)
    assert message.startswith(f"{path}: {key}: unknown key")
    assert allowed in message


def test_unknown_key_message_exactly(tmp_path: Path) -> None:
    path = write(tmp_path / "cfg.toml", PROFILE + 'clinet_id = "x"\n')
    assert load_error(path) == (
        f"{path}: profiles.prod.clinet_id: unknown key (did you mean client_id?); allowed: "
        "description, region, user_pool_id, client_id, endpoint_url, aws_profile, "
        "hides_unknown_users, analytics_endpoint_id, client_metadata, client_secret_env, "
        "client_secret_command, client_secret"
    )


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ("console = 3\n", "console", "should be a table"),
        ("[console]\nread_timeout = 'soon'\n", "console.read_timeout", "should be a number"),
        ("[console]\nread_timeout = 0\n", "console.read_timeout", "should be greater than 0"),
        ("[console]\nconnect_timeout = -1\n", "console.connect_timeout", "greater than 0"),
        ("[console]\nconnect_timeout = inf\n", "console.connect_timeout", "finite number"),
        ("[console]\nconnect_timeout = true\n", "console.connect_timeout", "not true or false"),
        ("[console]\nmax_attempts = 0\n", "console.max_attempts", "should be at least 1"),
        ("[console]\nmax_attempts = 11\n", "console.max_attempts", "should be at most 10"),
        ("[console]\nmax_attempts = 2.5\n", "console.max_attempts", "should be a whole number"),
        ("[console]\ntheme = ''\n", "console.theme", "should be a theme name"),
        ("[console]\nhistory_path = ''\n", "console.history_path", "should be a file path"),
        ("[console]\nkeymap = ['a']\n", "console.keymap", "should be a table"),
        ("[console]\nkeymap = { resend = 1 }\n", "console.keymap.resend", "should be a string"),
        ("[console]\ndefault_profile = 'a b'\n", "console.default_profile", "profile name"),
        ("profiles = 1\n", "profiles", "should be a table"),
        ("[profiles]\nprod = 'x'\n", "profiles.prod", "should be a table"),
    ],
)
def test_wrong_types_and_values(tmp_path: Path, text: str, key: str, problem: str) -> None:
    path = write(tmp_path / "cfg.toml", text)
    message = load_error(path)
    assert message.startswith(f"{path}: {key}: ")
    assert problem in message


@pytest.mark.parametrize(
    ("line", "key", "problem"),
    [
        ('region = "Europe"', "region", "AWS Region code such as us-east-1"),
        ('region = "us-east-1\\n"', "region", "AWS Region code"),
        ('user_pool_id = "nounderscore"', "user_pool_id", "user pool ID such as"),
        ('user_pool_id = "us-east-1_' + "a" * 50 + '"', "user_pool_id", "up to 55"),
        ('client_id = "has space"', "client_id", "1-128 letters, digits, _ or +"),
        ('client_id = ""', "client_id", "1-128"),
        ('endpoint_url = "ftp://x"', "endpoint_url", "http:// or https:// URL"),
        ('endpoint_url = "http://"', "endpoint_url", "with a host"),
        ('endpoint_url = "http://h:99999"', "endpoint_url", "http:// or https:// URL"),
        ('endpoint_url = "http://u:p@h"', "endpoint_url", "user name or password"),
        ('aws_profile = ""', "aws_profile", "AWS CLI profile name"),
        ("client_metadata = { a = 1 }", "client_metadata.a", "should be a string"),
        ('client_secret_env = "1BAD"', "client_secret_env", "environment variable name"),
        ('client_secret_command = "x \'unclosed"', "client_secret_command", "check the quotes"),
        ('client_secret_command = "  "', "client_secret_command", "not empty"),
        ('client_secret = ""', "client_secret", "app client secret (not empty)"),
    ],
)
def test_bad_profile_values(tmp_path: Path, line: str, key: str, problem: str) -> None:
    # Later lines win in our PROFILE + override order, so rebuild the table.
    base = {
        "region": '"eu-west-1"',
        "user_pool_id": '"eu-west-1_AbC123"',
        "client_id": '"abc"',
    }
    field = line.split(" = ")[0]
    base[field] = line.split(" = ", 1)[1]
    text = "[profiles.prod]\n" + "".join(f"{k} = {v}\n" for k, v in base.items())
    path = write(tmp_path / "cfg.toml", text)
    message = load_error(path)
    assert message.startswith(f"{path}: profiles.prod.{key}: ")
    assert problem in message


def test_missing_required_key(tmp_path: Path) -> None:
    path = write(tmp_path / "cfg.toml", '[profiles.prod]\nregion = "eu-west-1"\nclient_id = "c"\n')
    assert load_error(path) == f"{path}: profiles.prod.user_pool_id: required key is missing"


def test_several_problems_are_each_listed(tmp_path: Path) -> None:
    path = write(tmp_path / "cfg.toml", "[profiles.prod]\n")
    with pytest.raises(ConfigError) as caught:
        load_config(str(path), env={})
    assert load_error(path) == f"{path}: profiles.prod.region: required key is missing"
    assert list(caught.value.lines) == [
        f"{path}: profiles.prod.region: required key is missing",
        f"{path}: profiles.prod.user_pool_id: required key is missing",
        f"{path}: profiles.prod.client_id: required key is missing",
    ]


@pytest.mark.parametrize(("name", "shown"), [("a b", '"a b"'), ("x" * 65, "x" * 65), ("é", '"é"')])
def test_bad_profile_name(tmp_path: Path, name: str, shown: str) -> None:
    path = write(tmp_path / "cfg.toml", f'[profiles."{name}"]\n')
    message = load_error(path)
    assert message.startswith(f"{path}: profiles.{shown}: is not a valid profile name")
    assert "1-64 of A-Z a-z 0-9 _ . -" in message


def test_dotted_profile_names_are_quoted_in_paths(tmp_path: Path) -> None:
    path = write(tmp_path / "cfg.toml", '[profiles."eu.prod"]\nregion = "x"\n')
    assert load_error(path).startswith(f'{path}: profiles."eu.prod".region: ')


def test_two_secret_sources(tmp_path: Path) -> None:
    path = write(
        tmp_path / "cfg.toml",
        PROFILE + f'client_secret_env = "X"\nclient_secret = "{CANARY}"\n',
    )
    assert load_error(path) == (
        f"{path}: profiles.prod: set at most one client secret source, "
        "found 2: client_secret_env, client_secret"
    )


def test_default_profile_must_exist(tmp_path: Path) -> None:
    path = write(tmp_path / "cfg.toml", "[console]\ndefault_profile = 'stage'\n" + PROFILE)
    assert load_error(path) == (
        f"{path}: console.default_profile: names no profile; available: prod"
    )


def test_control_characters_in_keys_are_made_visible(tmp_path: Path) -> None:
    path = write(tmp_path / "cfg.toml", '[console]\n"evil\\u001b[2J" = 1\n')
    message = load_error(path)
    assert terminal_hazards(message) == []
    assert 'console."evil\\u001b[2J": unknown key' in message


# ---- secrets never reach a message ----------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        f'client_secret = ["{CANARY}"]',
        f'client_secret = {{ x = "{CANARY}" }}',
        f'client_secret_env = {{ x = "{CANARY}" }}',
        f'client_secret_command = ["{CANARY}"]',
        f'client_id = "{CANARY} with spaces"',
        f'client_metadata = "{CANARY}"',
        f'endpoint_url = "http://user:{CANARY}@host"',
        f'clinet_secret = "{CANARY}"',
    ],
)
def test_canary_secret_is_never_echoed(tmp_path: Path, line: str) -> None:
    path = write(tmp_path / "cfg.toml", PROFILE + line + "\n")
    load_error(path)  # asserts the canary is absent


def test_canary_in_env_override_is_never_echoed(tmp_path: Path) -> None:
    path = write(tmp_path / "cfg.toml", PROFILE)
    load_error(path, {"COGNITO_CONSOLE_PROFILES__PROD__CLIENT_ID": f"{CANARY} x"})
    load_error(path, {"COGNITO_CONSOLE_PROFILES__PROD__CLIENT_SECRET_ENV": f'{{"x": "{CANARY}"}}'})
    load_error(path, {"COGNITO_CONSOLE_PROFILES__PROD__CLIENT_METADATA": f'["{CANARY}"]'})


# ---- inline secrets and file permissions ----------------------------------


def test_inline_secret_in_a_private_file_gives_no_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "cfg.toml", PROFILE + f'client_secret = "{CANARY}"\n', mode=0o600)
    config = load_config(str(path), env={})
    assert config.warnings == []
    assert config.profiles["prod"].secret_source() == "inline"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644])
def test_inline_secret_in_a_readable_file_warns(tmp_path: Path, mode: int) -> None:
    path = write(tmp_path / "cfg.toml", PROFILE + f'client_secret = "{CANARY}"\n', mode=mode)
    config = load_config(str(path), env={})
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert config.warnings == [
        f"{path}: profiles.prod.client_secret: inline secret in a file that group or others "
        f"can read (mode {mode:04o}); run chmod 600 on it, "
        "or use client_secret_env / client_secret_command"
    ]
    assert CANARY not in " ".join(config.warnings)


def test_readable_file_without_inline_secret_is_fine(tmp_path: Path) -> None:
    path = write(tmp_path / "cfg.toml", PROFILE + 'client_secret_env = "X"\n', mode=0o644)
    assert load_config(str(path), env={}).warnings == []


def test_repr_and_dump_hide_the_secret(tmp_path: Path) -> None:
    path = write(tmp_path / "cfg.toml", PROFILE + f'client_secret = "{CANARY}"\n')
    config = load_config(str(path), env={})
    assert CANARY not in repr(config)
    assert CANARY not in str(config.profiles["prod"])
    assert CANARY not in config.model_dump_json()
    assert CANARY not in str(config.model_dump())


@pytest.mark.parametrize("field", sorted(Profile.model_fields))
def test_canary_in_any_profile_field_is_never_echoed(tmp_path: Path, field: str) -> None:
    values = {"region": '"eu-west-1"', "user_pool_id": '"eu-west-1_A1"', "client_id": '"c"'}
    values[field] = f'["{CANARY}", {{ x = "{CANARY}" }}]'
    text = "[profiles.prod]\n" + "".join(f"{k} = {v}\n" for k, v in values.items())
    path = write(tmp_path / "cfg.toml", text)
    assert load_error(path).startswith(f"{path}: profiles.prod.{field}: ")


@pytest.mark.parametrize("field", sorted(ConsoleSettings.model_fields))
def test_canary_in_any_console_field_is_never_echoed(tmp_path: Path, field: str) -> None:
    path = write(tmp_path / "cfg.toml", f'[console]\n{field} = ["{CANARY}"]\n')
    assert load_error(path).startswith(f"{path}: console.{field}: ")
