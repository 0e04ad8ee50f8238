"""Profiles: choosing one, the three client secret sources, sandbox profiles."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from console.config import (
    AppConfig,
    ConfigError,
    ConsoleSettings,
    Profile,
    load_config,
    sandbox_profiles,
    with_profiles,
)
from console.config import file as config_file

CANARY = "CANARYSECRET"


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config_file, "default_config_path", lambda: tmp_path / "none.toml")


def profile(**extra: object) -> Profile:
    fields: dict[str, object] = {
        "region": "us-east-1",
        "user_pool_id": "us-east-1_Pool1",
        "client_id": "client1",
    }
    fields.update(extra)
    return Profile.model_validate(fields)


def config_with(*names: str, default: str | None = None) -> AppConfig:
    return AppConfig(
        console=ConsoleSettings(default_profile=default),
        profiles={name: profile() for name in names},
        source=Path("/etc/cc.toml"),
    )


def script(tmp_path: Path, body: str) -> str:
    """A command line running a tiny Python script (no shell involved)."""
    path = tmp_path / "secret_script.py"
    path.write_text(body, encoding="utf-8")
    return f"{sys.executable} {path}"


def secret_error(prof: Profile, **kwargs: object) -> str:
    with pytest.raises(ConfigError) as info:
        prof.resolve_secret("prod", **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message
    assert CANARY not in message
    return message


# ---- choosing a profile ---------------------------------------------------


def test_named_profile() -> None:
    config = config_with("a", "b")
    assert config.profile("b")[0] == "b"


def test_default_profile_is_used_for_none() -> None:
    config = config_with("a", "b", default="b")
    assert config.profile(None)[0] == "b"


def test_only_profile_is_used_for_none() -> None:
    name, prof = config_with("solo").profile(None)
    assert name == "solo"
    assert prof.client_id == "client1"


def test_no_profiles_at_all() -> None:
    config = AppConfig(source=None)
    with pytest.raises(ConfigError) as info:
        config.profile(None)
    assert str(info.value) == (
        "no config file: profiles: no profiles configured; add a [profiles.NAME] table "
        "(see config.example.toml) or use --sandbox"
    )


def test_several_profiles_and_no_default() -> None:
    with pytest.raises(ConfigError) as info:
        config_with("b", "a").profile(None)
    assert str(info.value) == (
        "/etc/cc.toml: console.default_profile: not set and there are 2 profiles; "
        "name one with --profile (available: a, b)"
    )


def test_unknown_profile_name() -> None:
    with pytest.raises(ConfigError) as info:
        config_with("b", "a").profile("c\x1b[2J")
    assert str(info.value) == (
        "/etc/cc.toml: profiles: no profile named 'c\\x1b[2J' (available: a, b)"
    )


# ---- secret sources -------------------------------------------------------


def test_public_client_has_no_secret() -> None:
    prof = profile()
    assert prof.secret_source() is None
    assert not prof.has_secret()
    assert prof.resolve_secret("prod") is None
    assert prof.is_aws_endpoint


def test_inline_secret() -> None:
    prof = profile(client_secret=CANARY)
    assert prof.secret_source() == "inline"
    assert prof.has_secret()
    secret = prof.resolve_secret("prod")
    assert isinstance(secret, SecretStr)
    assert secret.get_secret_value() == CANARY
    assert CANARY not in repr(prof)
    assert CANARY not in str(prof)


def test_env_secret_set() -> None:
    prof = profile(client_secret_env="PROD_SECRET")
    assert prof.secret_source() == "env:PROD_SECRET"
    secret = prof.resolve_secret("prod", env={"PROD_SECRET": f" {CANARY}\n"})
    assert secret is not None
    assert secret.get_secret_value() == CANARY


def test_env_secret_reads_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROD_SECRET", CANARY)
    secret = profile(client_secret_env="PROD_SECRET").resolve_secret("prod")
    assert secret is not None
    assert secret.get_secret_value() == CANARY


def test_env_secret_unset() -> None:
    prof = profile(client_secret_env="PROD_SECRET")
    assert secret_error(prof, env={}) == (
        "config: profiles.prod.client_secret_env: environment variable PROD_SECRET is not set"
    )


def test_env_secret_empty() -> None:
    prof = profile(client_secret_env="PROD_SECRET")
    assert secret_error(prof, env={"PROD_SECRET": "  "}) == (
        "config: profiles.prod.client_secret_env: environment variable PROD_SECRET is empty"
    )


def test_secret_errors_name_the_file_the_profile_came_from(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[profiles.prod]\nregion = "us-east-1"\nuser_pool_id = "us-east-1_P"\n'
        'client_id = "c"\nclient_secret_env = "PROD_SECRET"\n',
        encoding="utf-8",
    )
    prof = load_config(str(path), env={}).profiles["prod"]
    assert secret_error(prof, env={}) == (
        f"{path}: profiles.prod.client_secret_env: environment variable PROD_SECRET is not set"
    )


def test_command_secret(tmp_path: Path) -> None:
    command = script(tmp_path, f"print('  {CANARY}  ')\n")
    prof = profile(client_secret_command=command)
    assert prof.secret_source() == "command"
    assert prof.has_secret()
    secret = prof.resolve_secret("prod")
    assert secret is not None
    assert secret.get_secret_value() == CANARY


def test_command_gets_arguments_without_a_shell(tmp_path: Path) -> None:
    command = script(tmp_path, "import sys\nprint(sys.argv[1])\n") + " '$HOME;|x'"
    secret = profile(client_secret_command=command).resolve_secret("prod")
    assert secret is not None
    assert secret.get_secret_value() == "$HOME;|x"


def test_command_failing_does_not_show_its_output(tmp_path: Path) -> None:
    command = script(
        tmp_path,
        f"import sys\nprint('{CANARY}')\nprint('{CANARY}', file=sys.stderr)\nsys.exit(3)\n",
    )
    assert secret_error(profile(client_secret_command=command)) == (
        "config: profiles.prod.client_secret_command: "
        "the command exited with status 3 (its output is not shown)"
    )


def test_command_printing_nothing(tmp_path: Path) -> None:
    command = script(tmp_path, "print('   ')\n")
    assert secret_error(profile(client_secret_command=command)) == (
        "config: profiles.prod.client_secret_command: the command printed nothing on stdout"
    )


def test_command_printing_several_lines(tmp_path: Path) -> None:
    command = script(tmp_path, f"print('{CANARY}')\nprint('url: x')\n")
    assert secret_error(profile(client_secret_command=command)) == (
        "config: profiles.prod.client_secret_command: "
        "the command printed more than one line; it should print only the secret"
    )


def test_command_printing_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    command = script(tmp_path, "import sys\nsys.stdout.buffer.write(b'CANARY\\xff')\n")
    assert secret_error(profile(client_secret_command=command)) == (
        "config: profiles.prod.client_secret_command: the command's output is not UTF-8 text"
    )


def test_command_not_found(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-program"
    assert secret_error(profile(client_secret_command=f"{missing} {CANARY}")) == (
        f"config: profiles.prod.client_secret_command: command not found: {missing}"
    )


def test_command_not_executable(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("", encoding="utf-8")
    plain.chmod(0o600)
    message = secret_error(profile(client_secret_command=str(plain)))
    assert message.startswith(f"config: profiles.prod.client_secret_command: cannot run {plain}: ")


def test_command_timeout_kills_it_and_its_children(tmp_path: Path) -> None:
    marker = tmp_path / "child-survived"
    # The child starts a grandchild that holds stdout open and would write
    # the marker later if it were not killed along with its parent.
    grandchild = tmp_path / "grandchild.py"
    grandchild.write_text(
        f"import pathlib, time\ntime.sleep(1.5)\npathlib.Path({str(marker)!r}).touch()\n",
        encoding="utf-8",
    )
    body = (
        "import subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, {str(grandchild)!r}])\n"
        f"print('{CANARY}', flush=True)\n"
        "time.sleep(30)\n"
    )
    prof = profile(client_secret_command=script(tmp_path, body))
    started = time.monotonic()
    assert secret_error(prof, timeout=0.5) == (
        "config: profiles.prod.client_secret_command: "
        "the command did not finish within 0.5 s and was stopped"
    )
    assert time.monotonic() - started < 5
    time.sleep(2)
    assert not marker.exists()


def test_two_sources_in_a_model_are_rejected() -> None:
    with pytest.raises(ValidationError):
        profile(client_secret_env="X", client_secret_command="y")


# ---- sandbox profiles and adding profiles ---------------------------------


def sandbox() -> dict[str, Profile]:
    return sandbox_profiles(
        "http://127.0.0.1:9229", "us-east-1", "us-east-1_Sandbox1", "pub1", "conf1", CANARY
    )


def test_sandbox_profiles() -> None:
    profiles = sandbox()
    assert sorted(profiles) == ["sandbox", "sandbox-confidential"]
    public, confidential = profiles["sandbox"], profiles["sandbox-confidential"]
    assert public.client_id == "pub1"
    assert not public.has_secret()
    assert "public" in public.description
    assert confidential.client_id == "conf1"
    assert confidential.secret_source() == "inline"
    assert "confidential" in confidential.description
    secret = confidential.resolve_secret("sandbox-confidential")
    assert secret is not None
    assert secret.get_secret_value() == CANARY
    for prof in profiles.values():
        assert prof.endpoint_url == "http://127.0.0.1:9229"
        assert prof.region == "us-east-1"
        assert prof.user_pool_id == "us-east-1_Sandbox1"
        assert not prof.is_aws_endpoint
        assert CANARY not in repr(prof)


def test_sandbox_profiles_with_bad_values() -> None:
    with pytest.raises(ConfigError) as info:
        sandbox_profiles("ftp://x", "us-east-1", "us-east-1_S", "p", "c", CANARY)
    assert str(info.value).startswith("sandbox: endpoint_url: should be an http://")


def test_with_profiles_adds_and_replaces() -> None:
    config = config_with("prod", "sandbox")
    merged = with_profiles(config, sandbox(), default="sandbox")
    assert sorted(merged.profiles) == ["prod", "sandbox", "sandbox-confidential"]
    assert merged.profiles["sandbox"].endpoint_url == "http://127.0.0.1:9229"
    assert merged.profile(None)[0] == "sandbox"
    assert merged.source == config.source
    # The original is untouched.
    assert sorted(config.profiles) == ["prod", "sandbox"]
    assert config.console.default_profile is None


def test_with_profiles_keeps_the_default_when_none_given() -> None:
    merged = with_profiles(config_with("prod", default="prod"), sandbox())
    assert merged.console.default_profile == "prod"


def test_with_profiles_rejects_an_unknown_default() -> None:
    with pytest.raises(ConfigError) as info:
        with_profiles(config_with("prod"), sandbox(), default="nope")
    assert str(info.value) == (
        "profiles: no profile named 'nope' (available: prod, sandbox, sandbox-confidential)"
    )


def test_with_profiles_rejects_a_bad_name() -> None:
    with pytest.raises(ConfigError, match="not a valid profile name"):
        with_profiles(config_with("prod"), {"a b": profile()})
