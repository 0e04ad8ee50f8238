"""The check marker: quick_check is skipped only for a file exactly as a check
or our own SQLite writes left it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import console.history.check as history_check
import console.history.file as history_file
from console.history import History
from console.history.store import CHECKPOINT_EVERY


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every file counts as big (the marker applies); record whether each open checked."""
    monkeypatch.setattr(history_check, "ALWAYS_CHECK_BELOW", 0)
    seen: list[bool] = []
    real = history_file._connect

    def spy(path: Path, warnings: list[str], *, check: bool) -> sqlite3.Connection:
        seen.append(check)
        return real(path, warnings, check=check)

    monkeypatch.setattr(history_file, "_connect", spy)
    return seen


def _add(history: History, name: str = "alice") -> int:
    return history.start_attempt(
        profile="p", region="eu-west-1", user_pool_id="eu-west-1_A", client_id="c",
        username=name, client_metadata={}, analytics_endpoint_id=None,
    )  # fmt: skip


def test_a_clean_reopen_skips_the_check_and_a_new_file_is_checked(
    tmp_path: Path, checks: list[bool]
) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        _add(history)
    with History.open(path) as history:
        assert history.count() == 1
    assert checks == [True, False]
    assert (tmp_path / "h.sqlite3-checked").stat().st_mode & 0o777 == 0o600


def test_many_writes_with_our_checkpoints_stay_vouched_for(
    tmp_path: Path, checks: list[bool]
) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        for i in range(CHECKPOINT_EVERY * 2 + 3):
            _add(history, f"u{i}")
    with History.open(path) as history, History.open(path) as other:
        _add(other)  # another process's writes and close, while the first stays open
        other.close()
        for i in range(CHECKPOINT_EVERY):
            _add(history, f"v{i}")
    History.open(path).close()
    assert checks == [True, False, False, False]


def test_a_write_by_another_program_makes_the_next_open_check(
    tmp_path: Path, checks: list[bool]
) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        _add(history)
    conn = sqlite3.connect(path)  # a plain SQLite client: sound, but not vouched for
    conn.execute("UPDATE attempts SET username = 'bob'")
    conn.commit()
    conn.close()
    History.open(path).close()
    History.open(path).close()
    assert checks == [True, True, False]


def test_damage_right_after_a_clean_close_is_found(tmp_path: Path, checks: list[bool]) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        for i in range(300):
            _add(history, f"user{i}@example.com")
    # At once, in the same clock tick if it can: only the file's timestamps tell.
    conn = sqlite3.connect(path)
    (root,) = conn.execute(
        "SELECT rootpage FROM sqlite_schema WHERE name = 'attempts_profile'"
    ).fetchone()
    conn.close()
    with path.open("r+b") as f:  # the index's cell pointers garbled, the size unchanged
        f.seek((root - 1) * 4096 + 12)
        f.write(b"\x5a" * (4096 - 12))
    with History.open(path) as history:
        assert len(history.warnings) == 1 and "damaged" in history.warnings[0]
    assert checks == [True, True, True]  # found; the fresh file is checked too
    assert len(list(tmp_path.glob("h.sqlite3.corrupt-*"))) == 1


def test_an_old_check_is_repeated(
    tmp_path: Path, checks: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "h.sqlite3"
    History.open(path).close()
    monkeypatch.setattr(history_check, "RECHECK_AFTER_S", 0.0)
    History.open(path).close()
    assert checks == [True, True]


def test_a_marker_for_another_file_is_ignored(tmp_path: Path, checks: list[bool]) -> None:
    path = tmp_path / "h.sqlite3"
    History.open(path).close()
    marker = tmp_path / "h.sqlite3-checked"
    saved = marker.read_bytes()
    path.rename(tmp_path / "old.sqlite3")
    History.open(path).close()  # a new file at the same path
    marker.write_bytes(saved)
    History.open(path).close()
    assert checks == [True, True, True]


def test_moving_aside_drops_the_marker(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"x")
    (tmp_path / "h.sqlite3-checked").write_text("{}")
    history_file._move_aside(path)
    assert not (tmp_path / "h.sqlite3-checked").exists()
