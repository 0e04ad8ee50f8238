"""What a one-shot ``cognito-console resend`` loads, in a real process against the sandbox.

Start-up is most of a one-shot resend's time (docs/performance.md, figure 2),
so the resend path must not import what it does not use: pydantic-settings
(only for ``COGNITO_CONSOLE_*`` overrides), the other subcommands, the TUI,
moto. These run the real command line in a fresh interpreter and read its
``sys.modules`` afterwards; no timing is asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# Runs the CLI's main() with argv, then prints its exit code and the modules loaded.
_SCRIPT = (
    "import json, sys\n"
    "from console.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(json.dumps({'code': code, 'modules': sorted(sys.modules)}))\n"
)

NOT_FOR_A_RESEND = (
    "pydantic_settings",
    "console.config.env",
    "console.commands.history_cmd",
    "console.commands.lookup_cmd",
    "console.commands.profiles_cmd",
    "console.commands.sandbox_cmd",
    "console.tui",
    "textual",
    "moto",
    "boto3",
)


def _environment(**extra: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.upper().startswith(("COGNITO_CONSOLE_", "AWS_"))
    }
    env.update(
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    env.update(extra)
    return env


def _run(argv: list[str], env: dict[str, str]) -> tuple[dict[str, Any], set[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT, *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    *printed, last = proc.stdout.strip().splitlines()
    report = json.loads(last)
    assert report["code"] == 0, proc.stdout + proc.stderr
    return json.loads(printed[-1]), set(report["modules"])


def _loaded(modules: set[str], name: str) -> bool:
    return any(m == name or m.startswith(f"{name}.") for m in modules)


def test_a_resend_without_overrides_loads_only_what_it_uses(
    config_file: Path, fresh_user: Callable[..., str]
) -> None:
    user = fresh_user()
    answer, modules = _run(
        ["--config", str(config_file), "resend", "--json", "-u", user], _environment()
    )
    assert answer["outcome"] == "delivered"
    assert answer["history_id"] is not None
    assert "console.config.loading" in modules and "botocore.client" in modules  # it did run
    loaded = [name for name in NOT_FOR_A_RESEND if _loaded(modules, name)]
    assert loaded == []


def test_an_override_is_read_by_pydantic_settings_and_used(
    config_file: Path, fresh_user: Callable[..., str], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere" / "history.sqlite3"
    user = fresh_user()
    env = _environment(COGNITO_CONSOLE_CONSOLE__HISTORY_PATH=str(elsewhere))
    answer, modules = _run(["--config", str(config_file), "resend", "--json", "-u", user], env)
    assert answer["outcome"] == "delivered"
    assert answer["history_id"] is not None
    assert elsewhere.exists()  # the attempt went to the overridden history
    assert "pydantic_settings" in modules


def test_a_bad_override_is_one_line_naming_the_variable(config_file: Path) -> None:
    env = _environment(COGNITO_CONSOLE_CONSOLE__MAX_ATTEMPTS="many")
    proc = subprocess.run(
        [sys.executable, "-m", "console", "--config", str(config_file), "resend", "-u", "x"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        "environment variable COGNITO_CONSOLE_CONSOLE__MAX_ATTEMPTS: "
        "console.max_attempts: should be a whole number"
    ]


@pytest.mark.parametrize("command", ["profiles", "history"])
def test_other_subcommands_still_run_from_a_real_process(config_file: Path, command: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "console", "--config", str(config_file), command],
        capture_output=True,
        text=True,
        env=_environment(),
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
