"""Writing the theme choice back into the config file: nothing else in the file changes."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from console.config import ConfigError, load_config, set_console_setting

HAND_WRITTEN = """\
# Our team's console settings.  Keep the comments!
[console]
# how long to wait
read_timeout = 7   # seconds

[profiles.prod]
region = "eu-west-1"            # Ireland
user_pool_id = "eu-west-1_AbC123"
client_id = "1example23456789"
"""


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_is_created_private_and_loads_back(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "config.toml"

    written = set_console_setting(path, "theme", "nord")

    assert written == path
    assert mode_of(path) == 0o600
    assert mode_of(path.parent) == 0o700
    assert load_config(str(path), env={}).console.theme == "nord"


def test_comments_order_and_other_values_survive(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    path.chmod(0o640)

    set_console_setting(path, "theme", "gruvbox")

    text = path.read_text(encoding="utf-8")
    assert text == HAND_WRITTEN.replace(
        "read_timeout = 7   # seconds\n", 'read_timeout = 7   # seconds\ntheme = "gruvbox"\n'
    )
    assert mode_of(path) == 0o640
    config = load_config(str(path), env={})
    assert config.console.theme == "gruvbox"
    assert config.console.read_timeout == 7
    assert list(config.profiles) == ["prod"]


def test_an_existing_theme_is_replaced_not_repeated(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[console]\ntheme = "nord"\n', encoding="utf-8")

    set_console_setting(path, "theme", "dracula")

    assert path.read_text(encoding="utf-8") == '[console]\ntheme = "dracula"\n'


def test_a_file_without_a_console_table_gets_one(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[profiles.a]\nregion = "us-east-1"\n', encoding="utf-8")

    set_console_setting(path, "theme", "nord")

    text = path.read_text(encoding="utf-8")
    assert text.startswith('[profiles.a]\nregion = "us-east-1"\n')
    assert "[console]" in text
    # The profile is incomplete, so only the TOML is checked here.
    import tomllib

    assert tomllib.loads(text)["console"] == {"theme": "nord"}


def test_a_symlinked_config_is_edited_at_its_target(tmp_path: Path) -> None:
    target = tmp_path / "dotfiles" / "cognito.toml"
    target.parent.mkdir()
    target.write_text("[console]\n", encoding="utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(target)

    written = set_console_setting(link, "theme", "nord")

    assert written == target
    assert link.is_symlink()
    assert 'theme = "nord"' in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[console\ntheme = 1\n", "invalid TOML"),
        ("console = 3\n", "console: should be a table"),
    ],
)
def test_a_file_we_cannot_edit_is_left_unchanged(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(ConfigError) as caught:
        set_console_setting(path, "theme", "nord")

    message = str(caught.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "not changed" in message
    assert "\n" not in message
    assert path.read_text(encoding="utf-8") == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


def test_a_path_through_a_file_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")

    with pytest.raises(ConfigError) as caught:
        set_console_setting(blocker / "config.toml", "theme", "nord")

    assert (
        str(caught.value)
        == f"{blocker / 'config.toml'}: cannot read the file: Not a directory; not changed"
    )
    assert blocker.read_text(encoding="utf-8") == ""
