"""Which handler, which runtime, which interpreter, which environment: one-line errors."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from console.triggers.answer import cognito_length, rejected_characters
from console.triggers.spec import TriggerSpecError, default_python, parse_spec, read_env_file


def _file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_text("")
    return path


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("index.mjs", "trigger must be PATH:EXPORT"),
        ("{tmp}/index.mjs:", "trigger must be PATH:EXPORT"),
        ("{tmp}/trigger.rb:handler", "a trigger must be a .py, .js, .mjs or .cjs file"),
        ("{tmp}/absent.mjs:handler", "trigger file not found"),
        ("{tmp}/index.mjs:not-a-name", "'not-a-name' is not a function name for index.mjs"),
        ("{tmp}/trigger.py:1handler", "'1handler' is not a function name for trigger.py"),
    ],
)
def test_bad_specs_are_one_line(tmp_path: Path, spec: str, message: str) -> None:
    _file(tmp_path, "index.mjs")
    _file(tmp_path, "trigger.py")
    with pytest.raises(TriggerSpecError) as excinfo:
        parse_spec(spec.format(tmp=tmp_path))
    assert message in str(excinfo.value)
    assert "\n" not in str(excinfo.value)


def test_node_missing_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(TriggerSpecError, match=r"node not found on PATH: install Node\.js"):
        parse_spec(f"{_file(tmp_path, 'index.js')}:handler")


def test_a_python_that_is_not_python(tmp_path: Path) -> None:
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\necho nope\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    with pytest.raises(TriggerSpecError, match="is not a working Python 3"):
        parse_spec(f"{_file(tmp_path, 'trigger.py')}:handler", python=str(fake))


def test_our_own_python_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TriggerSpecError, match="is this tool's own Python"):
        parse_spec(f"{_file(tmp_path, 'trigger.py')}:handler", python=sys.executable)


def test_the_default_python_skips_our_venv(tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    python3 = other / "python3"
    python3.write_text("#!/bin/sh\n")
    python3.chmod(0o755)
    ours = str(Path(sys.prefix) / "bin")
    assert default_python(os.pathsep.join([ours, str(other)])) == str(python3)
    assert default_python(ours) is None


def test_env_file(tmp_path: Path) -> None:
    path = tmp_path / "env"
    path.write_text('# comment\n\nAPP=one\nexport QUOTED="two words"\nEMPTY=\n')
    assert read_env_file(str(path)) == {"APP": "one", "QUOTED": "two words", "EMPTY": ""}
    path.write_text("APP=one\nnot a line\n")
    with pytest.raises(TriggerSpecError, match=r"env, line 2: expected NAME=value"):
        read_env_file(str(path))
    with pytest.raises(TriggerSpecError, match="--trigger-env-file not found"):
        read_env_file(str(tmp_path / "absent"))


def test_lengths_and_characters_as_cognito_counts_them() -> None:
    assert cognito_length("code 🙂") == 7  # an emoji is two UTF-16 units
    assert rejected_characters("a\u00a0b\u200bc\td") == [(1, "\u00a0"), (3, "\u200b")]
    assert rejected_characters("Hé, <b>{####}</b> *bold*") == []
    # A handler's JSON can hold a lone surrogate: counted, and named, not a crash.
    assert cognito_length("a\ud800b") == 3
    assert rejected_characters("a\ud800b") == [(1, "\ud800")]
