"""config.example.toml documents every key with its field description, and loads."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from console.config import ConsoleSettings, Profile, TeamSettings, field_docs, load_config
from console.config import file as config_file

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"
REAL_PROFILES_MARKER = "# ---- Real AWS user pools"


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config_file, "default_config_path", lambda: tmp_path / "none.toml")


def squash(text: str) -> str:
    return " ".join(text.split())


def sections(text: str) -> dict[str, list[str]]:
    """Lines under each table header (``[x]`` or ``# [x]``), in order."""
    out: dict[str, list[str]] = {"": []}
    current = ""
    for line in text.splitlines():
        header = re.fullmatch(r"#?\s*\[([^\]]+)\]\s*", line)
        if header:
            current = header.group(1)
            out[current] = []
        else:
            out[current].append(line)
    return out


def comment_above(lines: list[str], key: str) -> str | None:
    """The comment block right above ``key = ...`` (set or commented out), or None."""
    for index, line in enumerate(lines):
        if re.match(rf"#?\s*{re.escape(key)} = ", line):
            block: list[str] = []
            for above in reversed(lines[:index]):
                if not above.startswith("#") or re.match(r"#\s*\w+ = ", above):
                    break
                block.insert(0, above.lstrip("#"))
            return squash(" ".join(block))
    return None


def test_field_docs_cover_every_field() -> None:
    docs = field_docs()
    expected = (
        {f"console.{n}" for n in ConsoleSettings.model_fields}
        | {f"profiles.*.{n}" for n in Profile.model_fields}
        | {f"team.{n}" for n in TeamSettings.model_fields}
    )
    assert set(docs) == expected
    for key, doc in docs.items():
        assert doc.strip(), f"{key} has no description"
        assert doc.rstrip().endswith("."), f"{key}: descriptions are sentences"


@pytest.mark.parametrize("key", sorted(field_docs()))
def test_every_key_is_in_the_example_with_its_description(key: str) -> None:
    table = sections(EXAMPLE.read_text(encoding="utf-8"))
    section = key.split(".")[0] if key.startswith(("console.", "team.")) else "profiles.sandbox"
    name = key.rsplit(".", 1)[1]
    comment = comment_above(table[section], name)
    assert comment is not None, f"{key} is missing from [{section}] in {EXAMPLE.name}"
    assert squash(field_docs()[key]) in comment


def test_example_loads_and_has_the_sandbox_profile() -> None:
    config = load_config(str(EXAMPLE), env={})
    assert list(config.profiles) == ["sandbox"]
    sandbox = config.profiles["sandbox"]
    assert sandbox.endpoint_url == "http://127.0.0.1:9229"
    assert sandbox.region == "us-east-1"
    assert not sandbox.has_secret()


def test_commented_console_values_are_the_defaults() -> None:
    lines = sections(EXAMPLE.read_text(encoding="utf-8"))["console"]
    shown = "\n".join(
        line[2:]
        for line in lines
        if re.match(r"# \w+ = ", line) and not line.startswith(("# default_profile", "# keymap"))
    )
    values = tomllib.loads(shown)
    defaults = ConsoleSettings()
    for key, value in values.items():
        if key == "history_path":
            assert Path(value).expanduser().name == defaults.history_path.name
        else:
            assert getattr(defaults, key) == value, key


def test_the_uncommented_team_table_loads(tmp_path: Path) -> None:
    team = sections(EXAMPLE.read_text(encoding="utf-8"))["team"]
    toml_lines = ["[team]", *(line[2:] for line in team if re.match(r"# \w+ = ", line))]
    path = write_private(tmp_path / "team.toml", "\n".join(toml_lines) + "\n")
    config = load_config(str(path), env={})
    assert config.team is not None
    assert config.team.table == "cognito-console-history"
    assert config.team.retention_days == 400


def write_private(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def test_uncommented_real_aws_profiles_load_and_show_each_secret_source(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    tail = text[text.index(REAL_PROFILES_MARKER) :]
    toml_lines = [
        line[2:]
        for line in tail.splitlines()
        if re.match(r"# (\[profiles\.[\w.-]+\]|\w+ = )", line)
    ]
    path = tmp_path / "real.toml"
    path.write_text("\n".join(toml_lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    config = load_config(str(path), env={})
    sources = {name: p.secret_source() for name, p in config.profiles.items()}
    assert sorted(s or "none" for s in sources.values()) == [
        "command",
        "env:PROD_COGNITO_CLIENT_SECRET",
        "inline",
        "none",
    ]
    assert all(p.is_aws_endpoint for p in config.profiles.values())


def test_a_bad_team_table_name_says_what_is_allowed(tmp_path: Path) -> None:
    from console.config import ConfigError

    path = write_private(tmp_path / "c.toml", '[team]\ntable = "t1"\nregion = "eu-west-1"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(str(path), env={})
    assert str(caught.value) == (
        f"{path}: team.table: should be 3-255 letters, digits, '_', '-' or '.' (DynamoDB's rule)"
    )
