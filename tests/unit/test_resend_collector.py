"""A single resend runs without the cyclic garbage collector; a batch keeps it; both restore it."""

from __future__ import annotations

import argparse
import gc
from pathlib import Path

import pytest

from console.cli import main
from console.commands import resend_cmd


def seen_by_the_command(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> bool:
    """Whether the collector was on while the command's body ran."""
    seen: list[bool] = []

    def body(args: argparse.Namespace) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(resend_cmd, "_run", body)
    assert main(argv) == 0
    return seen[0]


def test_one_resend_runs_without_the_collector_and_gives_it_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert gc.isenabled()
    assert seen_by_the_command(monkeypatch, ["resend", "-u", "alice"]) is False
    assert gc.isenabled()


def test_a_batch_keeps_the_collector(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    users.write_text("alice\n", encoding="utf-8")
    assert seen_by_the_command(monkeypatch, ["resend", "--from-file", str(users)]) is True


def test_a_failing_resend_gives_the_collector_back(tmp_path: Path) -> None:
    assert main(["--config", str(tmp_path / "missing.toml"), "resend", "-u", "alice"]) == 2
    assert gc.isenabled()
