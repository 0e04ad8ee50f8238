"""Hostile profile names and descriptions in the config file, and hostile --profile values.

A profile name must be 1-64 of ``A-Z a-z 0-9 _ . -``: every corpus value is
rejected with exit 2 on one line naming the key and the rule. A description
may be anything: it is shown escaped by ``profiles`` and kept exactly in
``profiles --json``. Nothing raw (ESC, C1) reaches stdout or stderr.

The per-bad-file cases (missing, folder, invalid TOML, BOM, non-UTF-8, unknown
keys, wrong types, a secret in a wrong-typed field) are
tests/integration/test_config_cli.py::test_bad_config_exits_2.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from console.cli import main
from console.text import visible
from tests.data.hostile import CORPUS, Case, terminal_hazards, toml_string

# TOML strings cannot hold a lone surrogate: that value cannot be in a config file.
TOML_CORPUS = [c for c in CORPUS if c.id != "lone-surrogate"]
PROFILE_NAME_RULE = re.compile(r"[A-Za-z0-9_.-]{1,64}")  # from the config reference
PROFILE_BODY = """region = "us-east-1"
user_pool_id = "us-east-1_Abc123"
client_id = "abc123"
endpoint_url = "http://127.0.0.1:9"
"""


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cfg.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def _safe(*texts: str) -> None:
    for text in texts:
        assert terminal_hazards(text) == []
        assert "Traceback" not in text


@pytest.mark.parametrize("case", TOML_CORPUS, ids=[c.id for c in TOML_CORPUS])
def test_hostile_profile_name_in_the_file_is_rejected_naming_key_and_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Case
) -> None:
    assert not PROFILE_NAME_RULE.fullmatch(case.value)  # every corpus value breaks the rule
    config = _write(tmp_path, f"[profiles.{toml_string(case.value)}]\n{PROFILE_BODY}")
    code, out, err = _run(capsys, "--config", str(config), "profiles")
    assert code == 2
    assert out == ""
    _safe(err)
    [line] = err.splitlines()
    assert line.startswith(f"{config}: profiles")
    assert "is not a valid profile name: use 1-64 of A-Z a-z 0-9 _ . -" in line


@pytest.mark.parametrize("case", CORPUS, ids=[c.id for c in CORPUS])
def test_hostile_profile_option_is_one_safe_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Case
) -> None:
    config = _write(tmp_path, f"[profiles.good]\n{PROFILE_BODY}")
    code, out, err = _run(
        capsys, "--config", str(config), "resend", f"--profile={case.value}", "-u", "alice"
    )
    assert code == 2
    assert out == ""
    _safe(err)
    [line] = err.splitlines()
    assert "good" in line  # names the profiles there are


@pytest.mark.parametrize("case", TOML_CORPUS, ids=[c.id for c in TOML_CORPUS])
def test_hostile_description_is_shown_escaped_and_kept_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Case
) -> None:
    config = _write(
        tmp_path, f"[profiles.p]\ndescription = {toml_string(case.value)}\n{PROFILE_BODY}"
    )
    code, out, err = _run(capsys, "--config", str(config), "profiles")
    assert code == 0, err
    _safe(out, err)
    lines = out.splitlines()
    assert lines[0][2:].startswith("p  us-east-1  pool ")
    if case.value:
        assert lines[1:] == [f"    {visible(case.value)}"]
    code, out, err = _run(capsys, "--config", str(config), "profiles", "--json")
    assert code == 0
    _safe(out, err)
    assert json.loads(out)["description"] == case.value


def test_bad_metadata_in_the_profile_is_blamed_on_the_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _write(
        tmp_path, f'[profiles.p]\n{PROFILE_BODY}[profiles.p.client_metadata]\n"" = "x"\n'
    )
    code, out, err = _run(capsys, "--config", str(config), "resend", "-u", "alice")
    assert code == 2
    assert out == ""
    [line] = err.splitlines()
    assert "client_metadata" in line
    assert "--meta" not in line
