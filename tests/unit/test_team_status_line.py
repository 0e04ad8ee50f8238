"""The profile bar's team part: short, and true about what the uploader saw."""

from __future__ import annotations

from console.history import UploadStatus
from console.tui.team_link import status_line


def test_waiting_and_drained() -> None:
    assert status_line(UploadStatus(3, None, None, permanent=False)) == ("team: 3 waiting", "busy")
    assert status_line(UploadStatus(0, None, None, permanent=False)) == ("team: all sent", "ready")


def test_a_passing_failure_says_it_is_retried() -> None:
    status = UploadStatus(2, "Could not connect", "EndpointConnectionError", permanent=False)
    assert status_line(status) == ("team: 2 waiting, retrying", "busy")


def test_a_refusal_that_needs_a_person_is_named() -> None:
    missing = UploadStatus(1, "ResourceNotFoundException: x", "ResourceNotFoundException", True)
    assert status_line(missing) == ("team: 1 waiting · no such table", "error")
    creds = UploadStatus(4, "Unable to locate credentials", "NoCredentialsError", True)
    assert status_line(creds) == ("team: 4 waiting · no AWS credentials", "error")
    odd = UploadStatus(1, "SomethingNew: x", "SomethingNewException\x1b[2J", True)
    text, kind = status_line(odd)
    assert kind == "error" and text.startswith("team: 1 waiting · SomethingNew")
    assert len(text) <= 45


def test_an_unreadable_queue_is_said() -> None:
    assert status_line(UploadStatus(None, "locked", "HistoryError", permanent=False)) == (
        "team: local queue unreadable",
        "error",
    )


def test_an_uploader_that_could_not_be_made_says_why() -> None:
    status = UploadStatus(
        None, "The config profile (x) could not be found", "ProfileNotFound", True
    )
    assert status_line(status) == ("team: not started · no such AWS profile", "error")
