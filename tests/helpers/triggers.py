"""The test triggers under tests/data/triggers/, copied where a test may edit them.

Each handler dumps what it saw (event, environment, working folder, pid) to
``$DUMP_DIR/<userName>.json``; ``DUMP_DIR`` comes from a ``--trigger-env-file``
written here, so every run also proves the env file reaches the handler.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

TRIGGERS = Path(__file__).resolve().parents[1] / "data" / "triggers"

HANDLERS = {
    "node": ("node_esm", "index.mjs"),
    "node-callback": ("node_callback", "handler.js"),
    "python": ("python", "trigger.py"),
    "python-imports": ("python_imports", "trigger.py"),
}
"""Name -> (folder under tests/data/triggers, handler file)."""


class TriggerCopy:
    """One handler folder copied into a temporary folder, with its env file and dumps."""

    def __init__(self, name: str, root: Path, **env: str) -> None:
        folder, filename = HANDLERS[name]
        self.folder = root / folder
        shutil.copytree(TRIGGERS / folder, self.folder)
        self.file = self.folder / filename
        self.dumps = root / "dumps"
        self.dumps.mkdir()
        self.env_file = root / "trigger.env"
        lines = [f"DUMP_DIR={self.dumps}", "# a comment", "", *(f"{k}={v}" for k, v in env.items())]
        self.env_file.write_text("\n".join(lines) + "\n")

    @property
    def spec(self) -> str:
        """``PATH:handler``, for --custom-message-trigger."""
        return f"{self.file}:handler"

    def seen(self, user: str) -> dict[str, Any]:
        """What the handler saw when called for *user* (the last call)."""
        return json.loads((self.dumps / f"{user}.json").read_text())
