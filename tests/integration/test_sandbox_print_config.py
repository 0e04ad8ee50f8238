"""The standalone sandbox needs no secret knowledge: its config is printed ready, its
users are looked up without AWS credentials, and --verbose logs each request."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest


def _read_until_blank_twice(stdout: object, timeout: float = 30.0) -> str:
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stdout:  # type: ignore[attr-defined]
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    text, blanks = "", 0
    while blanks < 2:
        line = lines.get(timeout=timeout)
        text += line
        blanks += line.strip() == ""
    return text


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
        AWS_CONFIG_FILE=str(tmp_path / "none"),
        AWS_EC2_METADATA_DISABLED="true",
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    return env


def test_print_config_gives_a_profile_that_resends_and_looks_up(
    tmp_path: Path, no_credentials: dict[str, str]
) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "console", "sandbox", "--port", "0", "--print-config", "--verbose"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=no_credentials,
    )
    try:
        toml = _read_until_blank_twice(proc.stdout)
        assert "[profiles.sandbox]" in toml and "[profiles.sandbox-confidential]" in toml
        assert "hides_unknown_users = true" in toml
        config = tmp_path / "config.toml"
        config.write_text(toml, encoding="utf-8")
        config.chmod(0o600)

        def cli(*argv: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-m", "console", "--config", str(config), *argv],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
                env=no_credentials,
            )

        sent = cli("resend", "--profile", "sandbox", "--username", "alice")
        assert sent.returncode == 0, sent.stderr
        assert sent.stdout.startswith("delivered: EMAIL")
        simulated = cli("resend", "--profile", "sandbox-confidential", "--username", "nobody")
        assert "success may be simulated" in simulated.stdout  # no credentials needed
        found = cli("lookup", "--profile", "sandbox", "--email", "alice@example.com")
        assert found.returncode == 0, found.stdout + found.stderr
        assert found.stdout.startswith("alice  UNCONFIRMED")
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert "sandbox: " in err and "POST / HTTP/1.1" in err  # --verbose: each request
