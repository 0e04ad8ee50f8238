"""The domain, use cases, config, history, text and sandbox never import Textual.

Runs in a fresh interpreter, so modules other tests imported do not count.
Modules are found on disk, so ones added later are checked too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import console

PACKAGE_ROOT = Path(console.__file__).resolve().parent


def _domain_modules() -> list[str]:
    names: list[str] = []
    for folder in ("cognito", "config", "history", "bulk", "usecases", "sandbox"):
        for path in sorted((PACKAGE_ROOT / folder).glob("*.py")):
            stem = path.stem
            names.append(f"console.{folder}" if stem == "__init__" else f"console.{folder}.{stem}")
    # Every top-level module but the CLI's entry points is domain code.
    for path in sorted(PACKAGE_ROOT.glob("*.py")):
        if path.stem not in {"__init__", "__main__", "cli"}:
            names.append(f"console.{path.stem}")
    return names


def test_domain_modules_do_not_import_textual() -> None:
    modules = _domain_modules()
    assert "console.sandbox.server" in modules and "console.text" in modules
    assert "console.sandbox.delivery" in modules and "console.config.editing" in modules
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'textual' "
        "or m.startswith('textual.'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [], f"Textual imported by one of {modules}"


def test_importing_the_sandbox_does_not_load_moto() -> None:
    # The CLI and the TUI import console.sandbox; moto costs most of a second.
    script = "import sys, console.sandbox; print('moto' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.strip() == "False", result.stderr
