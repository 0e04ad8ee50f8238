"""The benchmark suite still runs end to end (CI's smoke run). No time is judged here.

``python benchmarks/run.py --smoke``: one round per comparison, tiny counts,
every figure exercised (the tmux-driven ones are skipped where tmux is
missing, and the AWS CLI comparison where no AWS CLI is installed). About
30-50 s on two cores.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_smoke_run_completes_and_writes_every_figure(tmp_path: Path) -> None:
    output = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--smoke", "--output", str(output)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(output.read_text())
    assert result["mode"] == "smoke"
    assert result["errors"] == {}
    figures = {row["figure"] for row in result["rows"]}
    assert figures == {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}
    for row in result["rows"]:
        assert not row["value"].startswith("ERROR"), row
    assert {"nproc", "cpu", "python", "textual", "boto3"} <= set(result["machine"])
