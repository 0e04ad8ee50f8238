"""History survives what processes and disks do: kill -9, two writers, damage, no room.

- ``kill -9`` of the CLI during a slow call leaves a pending row; the next
  start marks it unknown (the code may have been sent: the sandbox's outbox
  proves it was).
- Two processes making 500 real calls each at the same time leave 1,000 rows.
- A corrupt file (garbage, or truncated mid-page) is moved aside and a fresh one
  created, with a warning, and the CLI still works.
- A read-only folder and a full disk (small tmpfs mounts, made by the test as
  root; skipped with the reason otherwise) still show the API result and say
  "history not saved".
- Files 0600 and the folder 0700, even under umask 000.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from console.cli import main

if TYPE_CHECKING:
    from console.sandbox import Sandbox

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def durable_sandbox() -> Iterator[Sandbox]:
    """A sandbox of this module's own (latency changes must not reach other tests)."""
    from console.sandbox import start_sandbox

    running = start_sandbox(users=1000)
    try:
        yield running
    finally:
        running.stop()


def write_config(
    folder: Path, sandbox: Sandbox, history: Path, *, read_timeout: float = 10
) -> Path:
    info = sandbox.info
    path = folder / "cognito-console.toml"
    path.write_text(
        f"""
[console]
history_path = "{history}"
connect_timeout = 2
read_timeout = {read_timeout}
max_attempts = 1

[profiles.p]
region = "{info.region}"
user_pool_id = "{info.user_pool_id}"
client_id = "{info.client("public").client_id}"
endpoint_url = "{info.endpoint_url}"
""",
        encoding="utf-8",
    )
    return path


def new_user(sandbox: Sandbox) -> str:
    name = f"d-{uuid.uuid4().hex[:12]}"
    sandbox.add_user(name, email=f"{name}@example.com")
    return name


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def _run(config: Path, *argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--config", str(config), *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return _run


def rows(db: Path) -> list[dict[str, Any]]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM attempts ORDER BY id")]


def has_row_for(db: Path, user: str) -> bool:
    try:
        return any(r["username"] == user for r in rows(db))
    except sqlite3.Error:  # not created yet, or mid-migration
        return False


def wait_for(predicate: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


# -- kill -9 -------------------------------------------------------------------


def test_kill_9_mid_call_leaves_pending_then_unknown_at_next_start(
    tmp_path: Path, durable_sandbox: Sandbox, run: Run
) -> None:
    history = tmp_path / "data" / "history.sqlite3"
    config = write_config(tmp_path, durable_sandbox, history, read_timeout=60)
    user = new_user(durable_sandbox)
    durable_sandbox.set_latency_ms(30_000)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "console", "--config", str(config), "resend", "-u", user],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            umask=0,  # the modes below must not depend on the umask
        )
        try:
            wait_for(lambda: has_row_for(history, user), "the pending row")
            wait_for(
                lambda: any(b.get("Username") == user for b in durable_sandbox.received()),
                "the request to arrive",
            )
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
    finally:
        durable_sandbox.set_latency_ms(0)

    # What the killed process left: the WAL files (checked first: the next connection to
    # close would checkpoint and delete them), all private, and a pending row.
    assert mode(history.parent) == 0o700
    for name in ("history.sqlite3", "history.sqlite3-wal", "history.sqlite3-shm"):
        assert mode(history.parent / name) == 0o600, name
    [row] = rows(history)
    assert (row["outcome"], row["finished_at"]) == ("pending", None)
    # The call did go through: "unknown", not "failed", is the right word.
    assert any(d["username"] == user for d in durable_sandbox.outbox())

    code, out, err = run(config, "history", "--json")  # the next start
    assert code == 0, err
    [record] = [json.loads(line) for line in out.splitlines()]
    assert record["outcome"] == "unknown"
    assert record["error_code"] == "Interrupted"
    assert "may have been sent" in record["error_message"]

    code, out, _ = run(config, "resend", "-u", new_user(durable_sandbox))
    assert code == 0 and out.startswith("delivered: ")


# -- two writers -----------------------------------------------------------------

_WORKER = """
import sys
from pathlib import Path
from console.usecases import perform_resend
from console.cognito import ClientSettings, Gateway
from console.cognito import build_request
from console.config import Profile
from console.history import History

endpoint, region, pool, client_id, db, first, count = sys.argv[1:]
profile = Profile(region=region, user_pool_id=pool, client_id=client_id, endpoint_url=endpoint)
settings = ClientSettings(region=region, endpoint_url=endpoint, read_timeout=20, max_attempts=1)
gateway = Gateway()
gateway.warm_up(settings)
sys.stdin.read()  # both start when the test closes our stdin
bad = 0
with History.open(Path(db)) as history:
    for n in range(int(first), int(first) + int(count)):
        request = build_request(client_id=client_id, username=f"user{n:04d}")
        result = perform_resend(
            gateway, history, profile_name="p", profile=profile, settings=settings,
            request=request,
        )
        if not result.outcome.ok or result.history_problem:
            bad += 1
            print(n, result.outcome.kind, result.history_problem, file=sys.stderr)
print(bad)
"""


def test_two_processes_making_500_calls_each_leave_1000_rows(
    tmp_path: Path, durable_sandbox: Sandbox
) -> None:
    """Real calls to the sandbox (users user0001..user1000), both writing one history file."""
    info = durable_sandbox.info
    db = tmp_path / "history.sqlite3"  # not there yet: both race to create it too
    client_id = info.client("public").client_id
    worker_args = [info.endpoint_url, info.region, info.user_pool_id, client_id, str(db)]
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, *worker_args, str(first), "500"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for first in (1, 501)
    ]
    outputs = []
    try:
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.close()
            proc.stdin = None  # communicate() below must not touch it again
        for proc in procs:
            out, err = proc.communicate(timeout=60)
            outputs.append((proc.returncode, out.strip(), err[-2000:]))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    elapsed = time.monotonic() - started
    assert outputs == [(0, "0", ""), (0, "0", "")], outputs
    stored = rows(db)
    assert len(stored) == 1000, f"{1000 - len(stored)} rows lost"
    assert {r["outcome"] for r in stored} == {"delivered"}
    assert sorted(r["username"] for r in stored) == [f"user{n:04d}" for n in range(1, 1001)]
    assert len({r["pid"] for r in stored}) == 2
    delivered = {d["username"] for d in durable_sandbox.outbox()}
    assert {f"user{n:04d}" for n in range(1, 1001)} <= delivered
    print(f"\n1000 calls from 2 processes in {elapsed:.1f} s")  # the figure in reliability.md


# -- damaged files ---------------------------------------------------------------


def _check_recovered(history: Path, out: str, err: str, code: int, before: bytes) -> None:
    assert code == 0, err
    assert out.startswith("delivered: ")
    [warning] = err.splitlines()
    assert warning.startswith("warning: history file was damaged (")
    assert "started a new one" in warning
    [aside] = history.parent.glob("history.sqlite3.corrupt-*")
    assert aside.name in warning
    assert aside.read_bytes() == before  # kept for a post-mortem, untouched
    [row] = rows(history)
    assert row["outcome"] == "delivered"
    assert mode(history) == 0o600


def test_garbage_file_is_moved_aside_and_the_cli_still_works(
    tmp_path: Path, durable_sandbox: Sandbox, run: Run
) -> None:
    history = tmp_path / "history.sqlite3"
    garbage = os.urandom(8192) + b"not a database" * 100
    history.write_bytes(garbage)
    config = write_config(tmp_path, durable_sandbox, history)
    code, out, err = run(config, "resend", "-u", new_user(durable_sandbox))
    _check_recovered(history, out, err, code, garbage)


def test_truncated_file_is_moved_aside_and_the_cli_still_works(
    tmp_path: Path, durable_sandbox: Sandbox, run: Run
) -> None:
    history = tmp_path / "history.sqlite3"
    config = write_config(tmp_path, durable_sandbox, history)
    for _ in range(3):
        assert (
            run(config, "resend", "-u", new_user(durable_sandbox), "--meta", "k=" + "v" * 3000)[0]
            == 0
        )
    assert not history.with_name("history.sqlite3-wal").exists()  # all in the main file
    size = history.stat().st_size
    with history.open("r+b") as f:
        f.truncate(size - 4096 - 1000)  # the last page gone, and the one before cut in half
    truncated = history.read_bytes()
    code, out, err = run(config, "resend", "-u", new_user(durable_sandbox))
    _check_recovered(history, out, err, code, truncated)


# -- read-only folder, full disk -------------------------------------------------


@contextlib.contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of *size* mounted at *folder* for the block; skips when mounting is not allowed."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs (read-only / full-disk cases)")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"mount -t tmpfs not permitted here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def remount(folder: Path, how: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{how}", str(folder)], check=True, capture_output=True)


def fill(folder: Path) -> None:
    """Write until the file system says it is full."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 65536)
    except OSError as exc:
        assert exc.errno == 28, exc  # ENOSPC
    try:  # the last partial page too
        while True:
            os.write(fd, b"\0")
    except OSError:
        pass
    finally:
        os.close(fd)


def merged_run(monkeypatch: pytest.MonkeyPatch, config: Path, *argv: str) -> tuple[int, str]:
    """Run the CLI with stdout and stderr into one stream, in the order a terminal shows them."""
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stream)
    monkeypatch.setattr(sys, "stderr", stream)
    try:
        code = main(["--config", str(config), *argv])
    finally:
        monkeypatch.undo()
    return code, stream.getvalue()


def _check_result_then_not_saved(code: int, text: str) -> None:
    assert code == 0, text
    lines = text.splitlines()
    result = next(i for i, line in enumerate(lines) if line.startswith("delivered: "))
    note = next(i for i, line in enumerate(lines) if "history not saved" in line)
    assert result < note, f"'history not saved' came before the API result:\n{text}"


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "disk", "256k") as folder:
        yield folder


def test_read_only_folder_still_shows_the_result_and_says_not_saved(
    tmp_path: Path, disk: Path, durable_sandbox: Sandbox, run: Run
) -> None:
    history = disk / "history.sqlite3"
    config = write_config(tmp_path, durable_sandbox, history)
    assert run(config, "resend", "-u", new_user(durable_sandbox))[0] == 0  # the file exists
    remount(disk, "ro")
    code, out, err = run(config, "resend", "-u", new_user(durable_sandbox))
    assert code == 0
    assert out.startswith("delivered: EMAIL")
    assert "history not saved" in err
    remount(disk, "rw")  # a WAL file in a read-only folder cannot even be read
    assert len(rows(history)) == 1  # the earlier row is still there


def test_full_disk_mid_call_shows_the_result_then_not_saved(
    tmp_path: Path,
    disk: Path,
    durable_sandbox: Sandbox,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The disk fills while the call is in flight: the completion cannot be written."""
    history = disk / "history.sqlite3"
    config = write_config(tmp_path, durable_sandbox, history)
    assert run(config, "resend", "-u", new_user(durable_sandbox))[0] == 0
    user = new_user(durable_sandbox)
    result: list[tuple[int, str]] = []
    durable_sandbox.set_latency_ms(1500)
    try:
        call = threading.Thread(
            target=lambda: result.append(merged_run(monkeypatch, config, "resend", "-u", user))
        )
        call.start()
        wait_for(
            lambda: any(b.get("Username") == user for b in durable_sandbox.received()),
            "the request to arrive (its pending row is written before)",
        )
        fill(disk)
        call.join(timeout=30)
    finally:
        durable_sandbox.set_latency_ms(0)
    [(code, text)] = result
    _check_result_then_not_saved(code, text)
    assert "database or disk is full" in text
    assert [r["outcome"] for r in rows(history)] == ["delivered", "pending"]  # earlier rows kept


def test_full_disk_before_the_call_still_shows_the_result_and_says_not_saved(
    tmp_path: Path, disk: Path, durable_sandbox: Sandbox, run: Run
) -> None:
    history = disk / "history.sqlite3"
    config = write_config(tmp_path, durable_sandbox, history)
    assert run(config, "resend", "-u", new_user(durable_sandbox))[0] == 0
    fill(disk)
    code, out, err = run(config, "resend", "-u", new_user(durable_sandbox))
    assert code == 0
    assert out.startswith("delivered: EMAIL")
    assert "history not saved" in err


@pytest.mark.parametrize("fault", ["read-only", "full"])
def test_history_failure_at_open_is_reported_after_the_result(
    tmp_path: Path,
    disk: Path,
    durable_sandbox: Sandbox,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    fault: str,
) -> None:
    config = write_config(tmp_path, durable_sandbox, disk / "history.sqlite3")
    assert run(config, "resend", "-u", new_user(durable_sandbox))[0] == 0
    if fault == "read-only":
        remount(disk, "ro")
    else:
        fill(disk)
    code, text = merged_run(monkeypatch, config, "resend", "-u", new_user(durable_sandbox))
    _check_result_then_not_saved(code, text)


# -- modes -----------------------------------------------------------------------


def test_files_are_0600_and_the_folder_0700_under_umask_000(
    tmp_path: Path, durable_sandbox: Sandbox
) -> None:
    """A real process with umask 000; the WAL files are checked in the kill -9 test."""
    history = tmp_path / "new" / "history.sqlite3"
    config = write_config(tmp_path, durable_sandbox, history)
    export = tmp_path / "export.csv"
    for argv in (
        ["resend", "-u", new_user(durable_sandbox)],
        ["history", "export", "--format", "csv", "--output", str(export)],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "console", "--config", str(config), *argv],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            umask=0,
        )
        assert done.returncode == 0, done.stderr
    assert mode(history.parent) == 0o700
    assert mode(history) == 0o600
    assert mode(export) == 0o600
