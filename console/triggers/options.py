"""The command-line options that name a trigger, shared by ``sandbox`` and ``--sandbox``.

Here, beside the trigger runner, so that the top-level parser (which opens
the TUI) gets them without importing any subcommand module.
"""

from __future__ import annotations

import argparse

__all__ = ["add_trigger_options"]


def add_trigger_options(
    parser: argparse.ArgumentParser, *, embedded: bool = False, spec: bool = True
) -> None:
    """``--custom-message-trigger`` (unless *spec* is False) and the interpreter and env file."""
    where = " (with --sandbox)" if embedded else ""
    if spec:
        parser.add_argument(
            "--custom-message-trigger",
            metavar="PATH:EXPORT",
            help="run this CustomMessage Lambda handler for every message the sandbox sends"
            f"{where}: a .py function or a .js/.mjs/.cjs export, in a child process per call",
        )
    parser.add_argument(
        "--trigger-python",
        metavar="PYTHON",
        help="the Python that runs a .py trigger (default: the first python3 on PATH "
        "outside this tool's own environment)",
    )
    parser.add_argument(
        "--trigger-env-file",
        metavar="FILE",
        help="KEY=VALUE lines added to the trigger's Lambda environment",
    )
