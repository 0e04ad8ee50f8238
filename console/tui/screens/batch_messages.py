"""The batch screen's messages: what its thread workers report back to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from pathlib import Path

    from console.bulk import BatchProgress, BatchSummary, BulkInput
    from console.usecases import BatchRun, LimitSkip

__all__ = ["Exported", "Finished", "Loaded", "Prepared", "Progressed", "Started", "TeamNoted"]


class Loaded(Message):
    """The users file was read (a preview before starting)."""

    def __init__(self, users: BulkInput | None, problem: str | None = None) -> None:
        super().__init__()
        self.users = users
        self.problem = problem


class Prepared(Message):
    """The run was built and the history read: it would send to *count* users,
    of whom those in *skips* are at the team's hourly limit now."""

    def __init__(
        self, run: BatchRun, users: BulkInput, count: int, skips: list[LimitSkip] | None = None
    ) -> None:
        super().__init__()
        self.run = run
        self.users = users
        self.count = count
        self.skips = skips or []


class TeamNoted(Message):
    """The team's table could not be read (said once per batch): the local count guards."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class Started(Message):
    """The run was built and is about to send."""

    def __init__(self, run: BatchRun, users: BulkInput) -> None:
        super().__init__()
        self.run = run
        self.users = users


class Progressed(Message):
    """One more user done (or skipped, or throttled)."""

    def __init__(self, progress: BatchProgress) -> None:
        super().__init__()
        self.progress = progress


class Finished(Message):
    """The run ended (all done, or stopped); *summary* None when it never started."""

    def __init__(self, summary: BatchSummary | None, problem: str | None = None) -> None:
        super().__init__()
        self.summary = summary
        self.problem = problem


class Exported(Message):
    """The failures CSV was written (or not: *problem*)."""

    def __init__(self, path: Path, count: int, problem: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.count = count
        self.problem = problem
