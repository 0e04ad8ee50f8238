"""Run a CLI command as the operator would see it: stdout on a pseudo-terminal.

stdout goes to a pty (so the command takes its terminal paths: an export
escapes its cells, a progress line may redraw); stderr to a pipe, read
separately. The child is always killed and reaped, whether the command ends,
hangs past its time, or the test fails while reading.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class PtyResult:
    """What one command wrote: its exit code, the pty's bytes (stdout), and stderr."""

    code: int
    out: bytes
    err: bytes


def run_on_pty(
    argv: list[str], *, env: dict[str, str] | None = None, timeout: float = 60.0
) -> PtyResult:
    """``python -m console ARGV`` with stdout on a fresh pty and stderr on a pipe."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "console", *argv],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        start_new_session=True,
    )
    os.close(follower)
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the process closed the terminal
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        _, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        reader.join(timeout=5)
        os.close(leader)
    return PtyResult(proc.returncode, b"".join(chunks), err)
