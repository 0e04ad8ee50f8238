"""Fixtures for the CLI integration tests: a config file whose profiles point at the sandbox."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from console.cli import main

Run = Callable[..., tuple[int, str, str]]
PRINT_SECRET = "-c 'import os; print(os.environ[\\\"SANDBOX_CANARY_SECRET\\\"])'"


@pytest.fixture
def config_file(tmp_path: Path, sandbox: Any) -> Path:
    info = sandbox.info
    public = info.client("public")
    confidential = info.client("confidential")
    path = tmp_path / "cognito-console.toml"
    path.write_text(
        f"""
[console]
default_profile = "sandbox"
history_path = "{tmp_path / "data" / "history.sqlite3"}"
connect_timeout = 2
read_timeout = 2
max_attempts = 1

[profiles.sandbox]
description = "sandbox public client"
region = "{info.region}"
user_pool_id = "{info.user_pool_id}"
client_id = "{public.client_id}"
endpoint_url = "{info.endpoint_url}"

[profiles.conf-env]
region = "{info.region}"
user_pool_id = "{info.user_pool_id}"
client_id = "{confidential.client_id}"
endpoint_url = "{info.endpoint_url}"
client_secret_env = "SANDBOX_CANARY_SECRET"

[profiles.conf-cmd]
region = "{info.region}"
user_pool_id = "{info.user_pool_id}"
client_id = "{confidential.client_id}"
endpoint_url = "{info.endpoint_url}"
client_secret_command = "{sys.executable} {PRINT_SECRET}"

[profiles.conf-inline]
region = "{info.region}"
user_pool_id = "{info.user_pool_id}"
client_id = "{confidential.client_id}"
endpoint_url = "{info.endpoint_url}"
client_secret = "{confidential.client_secret}"

[profiles.conf-none]
region = "{info.region}"
user_pool_id = "{info.user_pool_id}"
client_id = "{confidential.client_id}"
endpoint_url = "{info.endpoint_url}"

[profiles.dead]
region = "{info.region}"
user_pool_id = "{info.user_pool_id}"
client_id = "{public.client_id}"
endpoint_url = "http://127.0.0.1:9"
""",
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


@pytest.fixture
def run(
    config_file: Path,
    sandbox: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Run:
    monkeypatch.setenv("SANDBOX_CANARY_SECRET", sandbox.info.client("confidential").client_secret)

    def _run(*argv: str) -> tuple[int, str, str]:
        code = main(["--config", str(config_file), *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return _run
