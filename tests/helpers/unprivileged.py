"""Run a piece of a test as an unprivileged user, so permission paths run under root CI too.

Root reads any file and writes into any folder, so "permission denied" can
only be seen by someone else. Under root, :func:`run_unprivileged` forks, and
the child drops to ``nobody`` (setgroups, setgid, setuid) before calling the
function; its result or its exception comes back through a pipe. Not root:
the function simply runs here, as the unprivileged user we already are.

The child can only import what its parent had imported (Python may live
under a folder ``nobody`` cannot read): call the code under test once in the
parent first. :func:`unprivileged_folder` makes a folder the child may use:
``tmp_path`` sits under pytest's own 0700 folder, out of ``nobody``'s reach.
"""

from __future__ import annotations

import os
import pickle
import select
import shutil
import signal
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

NOBODY = 65534
CHILD_TIMEOUT_S = 60


def is_root() -> bool:
    """Whether this process could read anything (so a denial needs someone else)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


@contextmanager
def unprivileged_folder() -> Iterator[Path]:
    """A fresh folder the unprivileged user owns (under root) or we own (otherwise)."""
    folder = Path(tempfile.mkdtemp(prefix="cc-unprivileged-"))
    try:
        if is_root():
            os.chown(folder, NOBODY, NOBODY)
        yield folder
    finally:
        for path in (folder, *folder.rglob("*")):
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o700)
        shutil.rmtree(folder, ignore_errors=True)


def run_unprivileged(function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)`` as an unprivileged user; its exception is raised here again."""
    if not is_root():
        return function(*args)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root for good, run, report, leave without cleanup
        os.close(read_end)
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            outcome: tuple[str, Any] = ("ok", function(*args))
        except BaseException as exc:  # reported to the parent, which re-raises it
            outcome = ("error", (exc, traceback.format_exc()))
        try:
            payload = pickle.dumps(outcome)
        except Exception:  # an unpicklable exception: its text is enough
            payload = pickle.dumps(("error", (RuntimeError(repr(outcome[1])), "")))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        # A child stuck for good (a lock another thread held at fork time) is
        # killed rather than left to hold the test run.
        ready, _, _ = select.select([pipe], [], [], CHILD_TIMEOUT_S)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise TimeoutError(f"the unprivileged child gave no answer in {CHILD_TIMEOUT_S} s")
        data = pipe.read()
    os.waitpid(pid, 0)
    kind, value = pickle.loads(data)  # noqa: S301 - our own child's answer
    if kind == "error":
        exc, text = value
        raise exc from RuntimeError(f"in the unprivileged child:\n{text}")
    return value


def chown_to_unprivileged(*paths: Path) -> None:
    """Give *paths* to the unprivileged user (under root; a no-op otherwise)."""
    if is_root():
        for path in paths:
            os.chown(path, NOBODY, NOBODY)
