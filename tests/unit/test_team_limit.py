"""The hourly-limit guard of a bulk resend: counts, the local fallback, one note, the pause."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from console.history import RecentSends, TeamAttempt, recent_sends
from console.usecases.team_limit import RETRY_AFTER_S, LimitGuard


def _attempts(user: str, *operators: str) -> list[TeamAttempt]:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return [
        TeamAttempt(now, user, "pool", op, "delivered", "EMAIL", None, "prod", "h", f"u{i}")
        for i, op in enumerate(operators)
    ]


class Table:
    """A team table that answers from a dict, or fails while ``down``."""

    def __init__(self, sends: dict[str, list[TeamAttempt]]) -> None:
        self.sends = sends
        self.down = False
        self.asked: list[str] = []

    def __call__(self, username: str, since: str) -> RecentSends:
        self.asked.append(username)
        if self.down:
            raise ConnectionRefusedError("connection refused")
        return recent_sends(self.sends.get(username, []), username, since)


def _guard(table: Table, local: dict[str, int], notes: list[str], clock: list[float]) -> LimitGuard:
    return LimitGuard(
        read_team=table,
        count_local=lambda user: local.get(user, 0),
        me="ana",
        limit=5,
        on_note=notes.append,
        clock=lambda: clock[0],
    )


def test_five_by_the_team_skip_four_send() -> None:
    table = Table({"bob": _attempts("bob", "ben", "ben", "ben", "ana", "ana")})
    table.sends["carol"] = _attempts("carol", "ben", "ben", "ben", "ben")
    guard = _guard(table, {}, [], [0.0])
    skip = guard.check("bob")
    assert skip is not None and skip.codes == 5
    assert skip.reason.startswith("5 codes in the last hour (3 by ben, 2 by you); the last was ")
    assert guard.check("carol") is None
    assert guard.check("dave") is None


def test_this_consoles_queued_sends_count_when_the_team_has_fewer() -> None:
    table = Table({"bob": _attempts("bob", "ana", "ana")})
    skip = _guard(table, {"bob": 5}, [], [0.0]).check("bob")
    assert skip is not None and skip.codes == 5
    assert skip.reason.split("; at Cognito")[0].endswith(
        "; this console's history has 5 (not all uploaded yet)"
    )


def test_a_failed_read_is_said_once_paused_for_a_minute_and_the_local_count_guards() -> None:
    table = Table({"bob": _attempts("bob", *["ben"] * 6)})
    table.down = True
    notes: list[str] = []
    clock = [100.0]
    guard = _guard(table, {"carol": 5}, notes, clock)
    assert guard.check("bob") is None  # the team's 6 cannot be seen; locally 0
    skip = guard.check("carol")
    assert skip is not None
    assert skip.reason.startswith(
        "5 codes in the last hour in this console's history (the team's table was not read)"
    )
    assert notes == [
        "team: recent sends not read (connection refused); sending anyway, "
        "this console's history alone guards the hourly limit"
    ]
    assert table.asked == ["bob"]  # paused: carol's check did not wait on the table
    assert (guard.unread, guard.problem) == (2, "connection refused")
    table.down = False
    clock[0] += RETRY_AFTER_S
    skip = guard.check("bob")  # a minute later the table is asked again, and answers
    assert skip is not None and skip.codes == 6
    assert len(notes) == 1


@pytest.mark.parametrize("workers", [1, 8])
def test_preview_keeps_the_files_order(workers: int) -> None:
    names = [f"user{i}" for i in range(20)]
    table = Table({n: _attempts(n, *["ben"] * 5) for n in names[::3]})
    skips = _guard(table, {}, [], [0.0]).preview(names, workers=workers)
    assert [s.username for s in skips] == names[::3]
