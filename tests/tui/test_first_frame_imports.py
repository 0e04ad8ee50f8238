"""The first frame needs only what draws it: no helpdesk code, no AWS SDK, no moto.

Each case starts a fresh interpreter (this one has imported everything
already), builds the app as ``cognito-console`` does and runs it headless.
The app's first work after the first refresh (``_profile_background`` with a
config profile, ``start_background`` always) is replaced by a probe that
records what is imported and running at that moment, and then lets the test
end: nothing slow starts. No timing is involved: what is asserted is which
modules were needed before that point, which is the same on every run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HELPDESK_MODULES = (
    "console.tui.admin_access",
    "console.tui.batch_job",
    "console.tui.screens.lookup",
    "console.tui.screens.pool_facts",
    "console.tui.screens.batch",
    "console.tui.screens.confirm",
    "console.tui.screens.help",
    "console.tui.screens.history",
    "console.tui.screens.outbox",
    "console.cognito.lookup",
    "console.cognito.pool_facts",
    "console.cognito.pool_explain",
    "console.cognito.admin_client",
    "console.usecases.batch",
    "console.history.export",
)
"""Lookup, pool facts, batch/bulk, their screens, admin access and export: first use only."""

SDK_PACKAGES = ("boto3", "botocore", "moto", "console.sandbox", "console.history.store")
"""The AWS SDK, the sandbox and the history: opened by workers after the first frame."""

CONFIG_MODULES = (
    "pydantic",
    "pydantic_core",
    "console.config.loading",
    "console.config.models",
    "tomlkit",
    "console.usecases.resend",
    "console.cognito.gateway",
)
"""Validating the config (~0.2 s of CPU), and the send path: after the first frame."""

PROBE = r"""
import argparse, asyncio, json, sys

from console.tui.launch import build_app
from console.tui.app import ConsoleApp
from console.tui.commands import ConsoleCommands

found = {}
probed = None


def probe(app):
    if "modules" in found:
        return
    found["modules"] = sorted(sys.modules)
    # The config loader may still be winding down: it posted its result just now.
    found["workers"] = sorted(
        f"{w.group}:{w.name}" for w in app.workers if w.name != "_load_config"
    )
    found["placeholder"] = app.main.form.username_input.placeholder
    found["focused"] = getattr(app.focused, "id", None)
    found["binding_ids"] = sorted(
        b.binding.id for b in app.screen.active_bindings.values() if b.binding.id
    )
    # The palette lists every action from the bindings table, importing nothing more.
    provider = ConsoleCommands(app.screen)
    found["palette"] = [title for title, _, _ in provider._commands()]
    found["modules_after_palette"] = sorted(sys.modules)
    probed.set()


def start_background(self):
    probe(self)


def profile_background(self, name, profile):
    probe(self)


ConsoleApp.start_background = start_background
ConsoleApp._profile_background = profile_background
load_config = ConsoleApp._load_config


def load_config_after_first_frame(self):
    found["first_frame_modules"] = sorted(sys.modules)
    found["first_frame_status"] = self.main.profile_bar.status_text
    return load_config(self)


ConsoleApp._load_config = load_config_after_first_frame

config = sys.argv[1] or None
args = argparse.Namespace(config=config, profile=None, sandbox=config is None, debug=False)
app = build_app(args)


async def main():
    global probed
    probed = asyncio.Event()
    async with app.run_test(size=(120, 40)):
        await probed.wait()


asyncio.run(main())
print(json.dumps(found))
"""


def _first_frame(tmp_path: Path, config: Path | None) -> dict[str, Any]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "COGNITO_CONSOLE_")) and k not in ("COLUMNS", "LINES")
    }
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH", "")]
    ).rstrip(os.pathsep)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(config or "")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard, not a measurement
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _within(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)]


def _one_profile_config(tmp_path: Path) -> Path:
    path = tmp_path / "one.toml"
    path.write_text(
        "[console]\n"
        f'history_path = "{tmp_path / "history.sqlite3"}"\n\n'
        "[profiles.team]\n"
        'region = "eu-west-1"\n'
        'user_pool_id = "eu-west-1_TeamPool1"\n'
        'client_id = "clientabcdefghijklmnop"\n'
        'endpoint_url = "http://127.0.0.1:9"\n',
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


@pytest.mark.parametrize("launch", ["sandbox", "config"])
def test_first_frame_imports_no_helpdesk_code_and_no_sdk(tmp_path: Path, launch: str) -> None:
    config = _one_profile_config(tmp_path) if launch == "config" else None
    found = _first_frame(tmp_path, config)

    # The probe ran on the main screen, as drawn, the username focused.
    assert found["placeholder"] == "username, alias or sub (exact)"
    assert found["focused"] == "username"

    # The first frame was drawn before the config was validated.
    assert found["first_frame_status"] == "loading config…"
    first = _within(found["first_frame_modules"], CONFIG_MODULES)
    assert first == [], f"imported before the first frame: {first}"

    modules = found["modules"]
    assert "console.tui.app" in modules  # the probe saw the real app
    early = _within(modules, HELPDESK_MODULES)
    assert early == [], f"imported before the first frame: {early}"
    sdk = _within(modules, SDK_PACKAGES)
    assert sdk == [], f"imported before the first frame: {sdk}"
    # Nothing started before the first frame (a warm-up thread would import botocore).
    assert found["workers"] == []

    # Keys and palette entries of the helpdesk actions are there all the same.
    assert {"lookup", "pool-facts", "batch", "help", "history", "outbox", "send"} <= set(
        found["binding_ids"]
    )
    palette = found["palette"]
    assert {"Lookup", "Pool facts", "Batch", "Help", "History", "Send"} <= set(palette)
    assert _within(found["modules_after_palette"], (*HELPDESK_MODULES, *SDK_PACKAGES)) == []
