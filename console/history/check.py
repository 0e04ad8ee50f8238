"""The check marker: when opening the history may skip ``PRAGMA quick_check``.

quick_check reads the whole file (1.5-3.4 s at a million rows). A marker file
``<history>-checked`` records the main file's ``stat`` when a check passed,
and again after each change whose "before" state was itself vouched for (our
own WAL checkpoints and the last connection's close). Opening skips the check
only for a file exactly in the marked state whose last real check is recent;
anything else (a crash mid-checkpoint, a restore, a copy, another writer)
changes the state without a stamp, and the next open checks.
:mod:`console.history.file` decides with :func:`needs_check`;
:class:`console.history.store.History` keeps the marker true with :func:`vouched_change`.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ALWAYS_CHECK_BELOW",
    "RECHECK_AFTER_S",
    "CheckMarker",
    "FileState",
    "file_state",
    "marker_path",
    "needs_check",
    "read_marker",
    "stamp_marker",
    "vouched_change",
]

ALWAYS_CHECK_BELOW = 1 << 20
"""Bytes. Below this, quick_check costs under ~5 ms: always run it, marker or not."""
RECHECK_AFTER_S = 24 * 3600.0
"""Whatever the marker says, check again after this long (damage the file's
metadata does not show, such as a bad disk block)."""
_MARKER_SUFFIX = "-checked"


@dataclass(frozen=True, slots=True)
class FileState:
    """What ``stat`` says about the main history file: any write changes it.

    Any write sets mtime/ctime to the current time, and a check marker is only
    stamped once the clock has moved past them (:func:`stamp_marker`), so a
    write after the stamp can never leave the same state behind.
    """

    dev: int
    ino: int
    size: int
    mtime_ns: int
    ctime_ns: int


@dataclass(frozen=True, slots=True)
class CheckMarker:
    """``<name>-checked``: the main file was sound in this state.

    Stamped after a quick_check passed, and after a checkpoint or close whose
    "before" state was itself vouched for, so the only writes in between were
    SQLite's own (ours, or another cognito-console's following the same rule).
    A crash mid-checkpoint, a restore, a copy or any other writer changes the
    state without stamping, and the next open checks. Losing the marker only
    costs a check.
    """

    state: FileState
    checked_at: float


def file_state(path: Path) -> FileState | None:
    """The main file's :class:`FileState`, or None if it cannot be read."""
    try:
        st = path.stat()
    except OSError:
        return None
    return FileState(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def needs_check(state: FileState | None, marker: CheckMarker | None) -> bool:
    """Whether opening must run quick_check.

    Yes for a small file (it is cheap), when there is no marker, when the
    file is not in the state the marker vouches for, or when the last check is
    more than :data:`RECHECK_AFTER_S` old (or in the future: a clock change).
    """
    if state is None or state.size < ALWAYS_CHECK_BELOW or marker is None:
        return True
    age = time.time() - marker.checked_at
    return marker.state != state or not 0 <= age < RECHECK_AFTER_S


def marker_path(path: Path) -> Path:
    """Where the check marker of the history at *path* lives."""
    return path.with_name(path.name + _MARKER_SUFFIX)


def read_marker(path: Path) -> CheckMarker | None:
    """The check marker of the history at *path*; None if missing or unreadable."""
    try:
        data = json.loads(marker_path(path).read_text(encoding="utf-8"))
        return CheckMarker(FileState(*(int(v) for v in data["state"])), float(data["checked_at"]))
    except (OSError, ValueError, TypeError, KeyError):
        return None


# Linux stamps files from CLOCK_REALTIME_COARSE (5; Python names it from 3.13),
# a tick (1-4 ms) behind the fine clock, or from the fine clock itself.
_COARSE_CLOCK: int | None = getattr(
    time, "CLOCK_REALTIME_COARSE", 5 if sys.platform == "linux" else None
)


def _coarse_now_ns() -> int:
    """The earliest timestamp a file written from now on can get."""
    if _COARSE_CLOCK is not None:
        return time.clock_gettime_ns(_COARSE_CLOCK)
    return time.time_ns()


def stamp_marker(path: Path, state: FileState, checked_at: float) -> FileState | None:
    """Vouch for *path* in *state*; returns the state stamped, or None if it moved.

    First waits (a clock tick, a few ms at most) until the clock is past the
    file's timestamps: a write in the same tick could otherwise leave an
    equal mtime and size behind. Then the file must still be in *state*. The
    marker is written 0600 and replaced atomically; failure to write it is
    ignored (the next open just checks).
    """
    if state.size < ALWAYS_CHECK_BELOW:
        return state  # checked on every open anyway: no marker, no wait
    if state.mtime_ns % 1_000_000 == 0:
        # Whole milliseconds: a file system with coarse timestamps (FAT, exFAT,
        # HFS+: 10 ms to 2 s), where a later write can keep the same mtime.
        return None
    newest = max(state.mtime_ns, state.ctime_ns)
    deadline = time.monotonic() + 0.05
    while _coarse_now_ns() <= newest:
        if time.monotonic() > deadline:  # timestamps in the future: cannot vouch
            return None
        time.sleep(0.001)
    if file_state(path) != state:
        return None
    target = marker_path(path)
    temp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    text = json.dumps(
        {"state": [state.dev, state.ino, state.size, state.mtime_ns, state.ctime_ns],
         "checked_at": checked_at}
    )  # fmt: skip
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        temp.replace(target)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        return None
    return state


def vouched_change(
    path: Path, verified: FileState | None, checked_at: float, change: Callable[[], object]
) -> tuple[FileState | None, float]:
    """Run *change* (a checkpoint or the last close), which may write the main
    file; returns the state now vouched for (None: none) and the last check time.

    The file is vouched for if it is in the state *verified* (what this
    connection checked or last stamped) or the one the marker holds (perhaps
    stamped by another cognito-console): then the only writer since was
    SQLite, and the state after *change* is stamped. Otherwise nothing is
    stamped and the next open checks.
    """
    before = file_state(path)
    trusted = before is not None and before == verified
    if before is not None and not trusted:
        marker = read_marker(path)
        if marker is not None and marker.state == before:
            trusted, checked_at = True, marker.checked_at
    change()  # if it raises, nothing is vouched for
    after = file_state(path)
    if not trusted or after is None:
        return None, checked_at
    return stamp_marker(path, after, checked_at), checked_at
