"""The detail pane's layout: two halves, labels in a column, long values folding."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from console.history import AttemptRecord
from console.tui.widgets.attempt_detail import record_detail


def record(**changes: object) -> AttemptRecord:
    fields: dict[str, object] = {
        "id": 42,
        "started_at": "2025-01-31T09:05:00.000Z",
        "finished_at": "2025-01-31T09:05:01.250Z",
        "outcome": "failed",
        "profile": "prod",
        "region": "eu-west-1",
        "user_pool_id": "eu-west-1_Pool",
        "client_id": "client-abc",
        "username": "erin",
        "client_metadata": {"ticket": "T-8"},
        "analytics_endpoint_id": None,
        "medium": None,
        "destination": None,
        "attribute": None,
        "error_code": "UserNotFoundException",
        "error_message": "User does not exist.",
        "http_status": 400,
        "request_id": "8f14e45f-ceea-467f-a0e6-7c1a2b3c4d5e",
        "latency_ms": 40.2,
        "batch_id": None,
        "operator": "helpdesk",
        "may_be_simulated": False,
    }
    fields.update(changes)
    return AttemptRecord(**fields)  # type: ignore[arg-type]


def lines_at(width: int, attempt: AttemptRecord) -> list[str]:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(record_detail(attempt))
    return console.export_text().splitlines()


def test_two_halves_with_labels_in_a_column() -> None:
    lines = lines_at(80, record())
    assert lines[0] == "Attempt #42"
    assert lines[1].startswith("Outcome     failed")
    assert lines[1][40:].startswith("Medium      -")  # the right half starts mid-width
    assert lines[4][40:].startswith("HTTP status 400")
    assert lines[5].startswith("Username    erin")
    assert "Request id  8f14e45f-ceea-467f-a0e6-7c1a2b3c4d5e" in lines
    assert "Error code  UserNotFoundException" in lines  # full width, above its message
    assert "Message     User does not exist." in lines
    assert "  ticket = T-8" in lines


@pytest.mark.parametrize("width", [76, 80])
def test_at_80_columns_timestamps_and_the_request_id_are_never_broken(width: int) -> None:
    # The history's detail pane at an 80-column terminal is 76-80 cells wide.
    text = "\n".join(lines_at(width, record()))
    assert "Started     2025-01-31T09:05:00.000Z" in text
    assert "Finished    2025-01-31T09:05:01.250Z" in text
    assert "Request id  8f14e45f-ceea-467f-a0e6-7c1a2b3c4d5e" in text


@pytest.mark.parametrize("width", [76, 80])
def test_at_80_columns_the_longest_error_code_is_whole(width: int) -> None:
    text = "\n".join(lines_at(width, record(error_code="UserLambdaValidationException")))
    assert "Error code  UserLambdaValidationException" in text


def test_a_long_value_folds_under_itself_inside_its_half() -> None:
    lines = lines_at(80, record(username="x" * 60, batch_id="b" * 40))
    # Left half: 38 cells (40 less the gap); the value starts after 11 + 1.
    username = [line for line in lines if "xxxx" in line]
    assert [line[12:38].strip("x ") for line in username] == ["", "", ""]
    assert sum(line[12:38].count("x") for line in username) == 60
    assert username[0].startswith("Username    ")
    assert all(line.startswith(" " * 12) for line in username[1:])
    # The right half keeps its own lines beside the folded value.
    assert any(line[40:].startswith("Analytics   -") for line in username)
    batch = [line[40:] for line in lines if "bbb" in line]
    assert batch[0].startswith("Batch       ")
    assert sum(line.count("b") for line in batch) == 40


def test_a_very_narrow_pane_cuts_labels_not_values() -> None:
    lines = lines_at(20, record())
    assert all(len(line) <= 20 for line in lines)
    # Halves of 8 and 10 cells: labels cut to 6, each value folds in what is left.
    outcome = lines.index(next(line for line in lines if line.startswith("Outcom ")))
    column = [line[7] for line in lines[outcome : outcome + 6]]
    assert "".join(column) == "failed"
