"""Every bad config file ends the CLI with one line naming the file and key, exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CANARY = "CANARY-SECRET-9f8e7d6c"
GOOD_PROFILE = """
[profiles.p]
region = "us-east-1"
user_pool_id = "us-east-1_Abc123"
client_id = "abc123"
endpoint_url = "http://127.0.0.1:9"
"""

CASES: dict[str, tuple[bytes | None, str]] = {
    "missing": (None, "config file not found: "),
    "folder": (b"", "is a folder, not a config file"),
    "invalid-toml": (b"[console\nread_timeout = 1\n", "line 1, column 9: invalid TOML"),
    "bom": (b"\xef\xbb\xbf" + GOOD_PROFILE.encode(), "starts with a UTF-8 byte order mark"),
    "non-utf8": (b'[console]\ntheme = "\xff\xfe"\n', "not UTF-8 text: invalid byte at offset"),
    "unknown-top-key": (b"colour = 1\n" + GOOD_PROFILE.encode(), "colour: unknown key"),
    "unknown-nested-key": (
        GOOD_PROFILE.encode() + b'clinet_id = "x"\n',
        "profiles.p.clinet_id: unknown key (did you mean client_id?)",
    ),
    "unknown-console-key": (b"[console]\nread_timout = 3\n", "console.read_timout: unknown key"),
    "wrong-type": (
        b'[console]\nread_timeout = "soon"\n',
        "console.read_timeout: should be a number",
    ),
    "missing-field": (
        b'[profiles.p]\nregion = "us-east-1"\nclient_id = "abc"\n',
        "profiles.p.user_pool_id: required key is missing",
    ),
    "secret-in-wrong-type": (
        GOOD_PROFILE.encode() + f'client_secret = ["{CANARY}"]\n'.encode(),
        "profiles.p.client_secret:",
    ),
    "secret-in-unknown-key": (
        GOOD_PROFILE.encode() + f'client_secrte = "{CANARY}"\n'.encode(),
        "profiles.p.client_secrte: unknown key",
    ),
    "two-secret-sources": (
        GOOD_PROFILE.encode() + f'client_secret = "{CANARY}"\nclient_secret_env = "X"\n'.encode(),
        "set at most one client secret source",
    ),
}


def _write_case(tmp_path: Path, case: str) -> Path:
    content, _ = CASES[case]
    path = tmp_path / "cfg.toml"
    if case == "folder":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
        path.chmod(0o600)
    return path


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("command", [["resend", "--username", "alice"], ["profiles"]])
def test_bad_config_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, command: list[str]
) -> None:
    from console.cli import main

    path = _write_case(tmp_path, case)
    status = main(["--config", str(path), *command])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert str(path) in lines[0]
    assert CASES[case][1] in lines[0]
    assert CANARY not in captured.err
    assert "Traceback" not in captured.err


def test_bad_config_from_a_real_process_has_no_traceback(tmp_path: Path) -> None:
    path = _write_case(tmp_path, "secret-in-wrong-type")
    proc = subprocess.run(
        [sys.executable, "-m", "console", "--config", str(path), "profiles"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    assert CANARY not in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_usage_exits_2_on_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from console.cli import main

    with pytest.raises(SystemExit) as info:
        main(["resend", "--bogus"])
    assert info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("cognito-console resend: error: ") or "unrecognized" in err[-1]


def test_every_config_problem_is_listed_one_line_each(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "bad.toml"
    path.write_text(
        '[console]\nread_timeout = "slow"\n\n[profiles.prod]\nregion = "eu-west-1"\n',
        encoding="utf-8",
    )
    path.chmod(0o600)
    proc = subprocess.run(
        [sys.executable, "-m", "console", "--config", str(path), "profiles"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 3, proc.stderr
    assert all(line.startswith(f"{path}: ") for line in lines)
    assert any("console.read_timeout" in line for line in lines)
    assert any("profiles.prod.user_pool_id: required key is missing" in line for line in lines)
    assert any("profiles.prod.client_id: required key is missing" in line for line in lines)
    assert "more problem" not in proc.stderr
