"""The history file: modes, checks, recovery, schema, failures, several writers."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.cognito import Delivery, Outcome, OutcomeKind
from console.history import SCHEMA_VERSION, History, HistoryError, HistoryFilter, open_database
from console.history.file import _move_aside
from tests.helpers.unprivileged import chown_to_unprivileged, run_unprivileged, unprivileged_folder


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _add(history: History, username: str = "alice", **extra: str) -> int:
    return history.start_attempt(
        profile="prod",
        region="eu-west-1",
        user_pool_id="eu-west-1_AbC",
        client_id="client1",
        username=username,
        client_metadata=extra,
        analytics_endpoint_id=None,
    )


def _fill(path: Path, rows: int) -> None:
    with History.open(path) as history:
        for i in range(rows):
            _add(history, f"user{i}@example.com", note="x" * 50)


# -- modes --------------------------------------------------------------------


@pytest.mark.usefixtures("umask_022")
def test_new_folder_is_0700_and_file_wal_shm_are_0600(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "history.sqlite3"
    with History.open(path) as history:
        _add(history)  # a write while open: -wal and -shm exist now
        assert _mode(path.parent) == 0o700
        for name in ("history.sqlite3", "history.sqlite3-wal", "history.sqlite3-shm"):
            assert _mode(path.parent / name) == 0o600, name
        assert history.warnings == []


def test_wal_and_shm_copy_the_file_mode_even_with_an_open_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        path = tmp_path / "h.sqlite3"
        with History.open(path) as history:
            _add(history)
            assert {_mode(p) for p in tmp_path.iterdir()} == {0o600}
    finally:
        os.umask(old)


@pytest.mark.usefixtures("umask_022")
def test_existing_folder_is_left_alone_but_a_loose_file_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    path = folder / "h.sqlite3"
    _fill(path, 1)
    path.chmod(0o644)
    (folder / "h.sqlite3-wal").write_bytes(b"")
    (folder / "h.sqlite3-wal").chmod(0o644)
    with History.open(path) as history:
        assert history.count() == 1
    assert _mode(folder) == 0o755
    assert _mode(path) == 0o600


def test_pragmas_are_set(tmp_path: Path) -> None:
    with History.open(tmp_path / "h.sqlite3") as history:
        conn = history._conn  # the pragmas are per connection: look at ours
        assert conn is not None
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA busy_timeout").fetchone() == (5000,)
        assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


# -- damaged files ------------------------------------------------------------


def test_garbage_file_is_moved_aside_and_replaced(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not a database, just some garbage bytes " * 200)
    with History.open(path) as history:
        assert len(history.warnings) == 1
        warning = history.warnings[0]
        assert "damaged" in warning and "\n" not in warning
        assert history.get(_add(history)) is not None  # the fresh file works
    (moved,) = tmp_path.glob("history.sqlite3.corrupt-*")
    assert moved.name in warning
    assert moved.read_bytes().startswith(b"this is not a database")
    assert _mode(path) == 0o600


def test_moving_aside_takes_the_wal_and_shm_along(tmp_path: Path) -> None:
    # Through History.open SQLite itself drops a -wal it cannot use when the
    # failed connection closes, so check the move on its own.
    path = tmp_path / "history.sqlite3"
    for suffix, data in (("", b"main"), ("-wal", b"wal"), ("-shm", b"shm")):
        path.with_name(path.name + suffix).write_bytes(data)
    aside = _move_aside(path)
    assert aside.name.startswith("history.sqlite3.corrupt-")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        aside.name,
        aside.name + "-shm",
        aside.name + "-wal",
    ]
    assert (tmp_path / (aside.name + "-wal")).read_bytes() == b"wal"


def _damage_page(path: Path, table: str) -> None:
    """Overwrite *table*'s root page after its header with a repeated byte."""
    conn = sqlite3.connect(path)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = ?", (table,)).fetchone()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with path.open("r+b") as f:
        f.seek((root - 1) * page_size + 12)  # keep the page header, garble the cell pointers
        f.write(b"\x5a" * (page_size - 12))


def test_a_damaged_page_that_still_counts_is_caught_by_quick_check(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    _fill(path, 300)
    _damage_page(path, "attempts_profile")
    # The trap: the damaged file still answers a plain query...
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM attempts").fetchone() == (300,)
    assert conn.execute("PRAGMA quick_check").fetchone() != ("ok",)  # ...quick_check does not
    conn.close()
    with History.open(path) as history:
        assert len(history.warnings) == 1 and "damaged" in history.warnings[0]
        assert history.count() == 0
        _add(history)
        assert history.count() == 1
    assert len(list(tmp_path.glob("h.sqlite3.corrupt-*"))) == 1


def test_a_truncated_file_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    _fill(path, 300)
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.truncate(size // 2)
    with History.open(path) as history:
        assert len(history.warnings) == 1 and "damaged" in history.warnings[0]
        assert history.count() == 0


def test_two_recoveries_keep_both_damaged_files(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    for n in range(2):
        path.write_bytes(f"garbage {n}".encode() * 500)
        History.open(path).close()
    moved = sorted(tmp_path.glob("h.sqlite3.corrupt-*"))
    assert len(moved) == 2
    assert {p.read_bytes()[:9] for p in moved} == {b"garbage 0", b"garbage 1"}


def test_another_programs_database_is_refused_not_moved(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    with pytest.raises(HistoryError, match="another program"):
        History.open(path)
    assert sqlite3.connect(path).execute("SELECT count(*) FROM photos").fetchone() == (0,)
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_a_newer_schema_is_refused_not_moved(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    _fill(path, 1)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(HistoryError, match="newer"):
        History.open(path)
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_reopening_keeps_rows_and_schema(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    _fill(path, 3)
    with History.open(path) as history:
        assert history.count() == 3
        assert history.warnings == []


# -- cannot open, cannot write --------------------------------------------------


def test_folder_path_under_a_file_fails_cleanly(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(HistoryError) as info:
        History.open(blocker / "sub" / "h.sqlite3")
    assert "history not available" in str(info.value)
    assert "\n" not in str(info.value)


def test_path_that_is_a_folder_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="history not available"):
        History.open(tmp_path)


def _open_error(path: Path) -> str:
    """What opening the history at *path* says, or "" when it opens."""
    try:
        History.open(path).close()
    except HistoryError as exc:
        return str(exc)
    return ""


def test_read_only_folder_fails_cleanly() -> None:
    # Run as an unprivileged user (under root CI too: root ignores folder modes).
    with unprivileged_folder() as base:
        folder = base / "ro"
        path = folder / "h.sqlite3"
        _fill(path, 1)
        chown_to_unprivileged(folder, *folder.iterdir())
        assert run_unprivileged(_open_error, path) == ""  # readable: opens, imports done
        folder.chmod(0o500)
        # WAL needs to create -wal/-shm beside the file: even reading fails.
        assert "history not available" in run_unprivileged(_open_error, path)


def test_a_full_database_raises_history_error_and_keeps_earlier_rows(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        first = _add(history)
        conn = history._conn  # max_page_count is per connection: cap ours to fake a full disk
        assert conn is not None
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(HistoryError) as info:
            for i in range(200):
                _add(history, f"user{i}", padding="p" * 2000)
        assert str(info.value) == "history not saved: database or disk is full"
        assert history.get(first) is not None
    with History.open(path) as history:  # what was committed survived
        assert history.get(first) is not None


def test_history_error_is_one_line() -> None:
    assert str(HistoryError("history not saved:\n  disk\r\nfull")) == "history not saved: disk full"


# -- several processes ----------------------------------------------------------

_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from console.cognito import Delivery, Outcome, OutcomeKind
    from console.history import History

    path, tag = Path(sys.argv[1]), sys.argv[2]
    sys.stdin.read()  # both start writing when the test closes our stdin
    with History.open(path) as history:
        for i in range(500):
            attempt = history.start_attempt(
                profile="p", region="r", user_pool_id="u", client_id="c",
                username=f"{tag}-{i}", client_metadata={}, analytics_endpoint_id=None,
            )
            history.finish_attempt(
                attempt, Outcome(OutcomeKind.DELIVERED, Delivery("EMAIL", "a***", "email"))
            )
    """
)


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"  # not created yet: both processes race to create it too
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), tag],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("A", "B")
    ]
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.close()
    for proc in procs:
        assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
    with History.open(path) as history:
        assert history.count() == 1000
        assert history.count(HistoryFilter(outcome="delivered")) == 1000
        assert history.count(HistoryFilter(username="A-")) == 500
        assert history.count(HistoryFilter(username="B-")) == 500


def test_two_openers_creating_the_history_at_once_both_get_it(tmp_path: Path) -> None:
    # Switching a new file to WAL can fail at once with "database is locked" when
    # two connections race to do it (SQLite skips the busy handler to avoid a
    # deadlock). Before the retry, about a third of these races lost; fifty of
    # them leave no room for luck.
    for round_no in range(50):
        path = tmp_path / f"h{round_no}.sqlite3"
        barrier = threading.Barrier(2)
        errors: list[HistoryError] = []

        def open_it(
            path: Path = path,
            barrier: threading.Barrier = barrier,
            errors: list[HistoryError] = errors,
        ) -> None:
            barrier.wait()
            try:
                open_database(path).conn.close()
            except HistoryError as exc:
                errors.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == [], f"round {round_no}: {errors[0]}"
        with History.open(path) as history:
            assert history.count() == 0


def test_finish_records_the_outcome_after_reopen(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        attempt = _add(history)
        history.finish_attempt(
            attempt, Outcome(OutcomeKind.DELIVERED, Delivery("SMS", "+*******0100", "phone_number"))
        )
    with History.open(path) as history:
        record = history.get(attempt)
        assert record is not None
        assert (record.outcome, record.medium) == ("delivered", "SMS")
