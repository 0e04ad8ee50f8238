"""Pending rows: who wrote them, and when one counts as interrupted.

Every attempt is written ``pending`` before its call, with the writer's
operator name, host and pid. A pending row whose writer is gone (its pid no
longer runs on this host) or that is older than any call can take is the
trace of a crash: the store marks it ``unknown`` with
:data:`INTERRUPTED_CODE`, because the code may have been sent.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

__all__ = [
    "INTERRUPTED_CODE",
    "INTERRUPTED_MESSAGE",
    "STALE_AFTER_MS",
    "default_operator",
    "interrupted",
    "pid_alive",
    "utc_now",
]

STALE_AFTER_MS = 3600 * 1000
"""A pending row this old is a crash whatever its pid says: the SDK's timeouts
and retries end a call within a minute, so a live pid that old is a reused one."""
INTERRUPTED_CODE = "Interrupted"
INTERRUPTED_MESSAGE = "the process ended before the call finished; the code may have been sent"


def default_operator() -> str:
    """The OS user running us, for the ``operator`` column; ``"unknown"`` if it cannot be told."""
    try:
        name = getpass.getuser()
    except Exception:  # no env var and no passwd entry (containers): OSError/KeyError/ImportError
        return "unknown"
    return name or "unknown"


def utc_now() -> tuple[str, int]:
    """The current UTC time as (ISO-8601 with ms and Z, epoch ms)."""
    now = datetime.now(UTC)
    iso = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return iso, int(now.timestamp() * 1000)


def pid_alive(pid: int) -> bool:
    """Whether *pid* runs on this host. Errs on "alive": a live row must never be touched."""
    if sys.platform == "win32":
        return True  # os.kill(pid, 0) would terminate it there; the age rule still applies
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # PermissionError: it exists, another user's
    return True


def interrupted(
    pending: Iterable[tuple[int, int, str, int]], *, now_ms: int, host: str, pid: int
) -> list[int]:
    """The ids of the *pending* rows ``(id, pid, host, started_ms)`` whose call was interrupted.

    A row is interrupted when it is older than :data:`STALE_AFTER_MS`, or
    when another process on this *host* wrote it and no longer runs. Rows of
    other hosts are left to their own writers until they are stale.
    """
    return [
        row_id
        for row_id, row_pid, row_host, started_ms in pending
        if now_ms - started_ms > STALE_AFTER_MS
        or (row_host == host and row_pid != pid and not pid_alive(row_pid))
    ]
