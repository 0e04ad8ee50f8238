"""Bulk resend with a ``[team]`` table: the hourly-limit guard and the uploads, for the CLI.

Before each user's send the batch asks the team's table what the team sent
them in the last hour and skips them at 5 or more (``--force`` sends to
everyone). The batch's attempts go to the team as they are made (a
background uploader), and what is left waits up to the read timeout at the
end, as a single resend's does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from console.commands.common import err, safe

if TYPE_CHECKING:
    from console.bulk import BatchSummary
    from console.config import AppConfig
    from console.history import History, TeamUploader
    from console.usecases import LimitGuard

__all__ = ["BulkTeam"]


class BulkTeam:
    """The team's side of one bulk run; every method is a no-op without ``[team]``."""

    def __init__(
        self,
        config: AppConfig,
        history: History,
        user_pool_id: str,
        *,
        force: bool,
        output_lock: threading.Lock,
        end_bar: Callable[[], None],
    ) -> None:
        """Builds the guard (unless *force*) and the uploader; no request is made yet.

        *end_bar* ends the progress bar's line before a note is printed.
        """
        from console.usecases import limit_guard, open_team

        self._config = config
        self._lock = output_lock
        self._end_bar = end_bar
        self.force = force and config.team is not None
        self.guard: LimitGuard | None = None
        if not force:
            self.guard = limit_guard(config, history, user_pool_id, on_note=self._note)
        self.uploader: TeamUploader | None = open_team(config, history)

    def _note(self, text: str) -> None:
        """Said once, from a worker thread, while the progress bar may be drawn."""
        with self._lock:
            self._end_bar()
            err(safe(text))

    def start_words(self) -> str:
        """What the start line adds: whether users at the limit are skipped."""
        if self.guard is not None:
            return "; users the team sent 5 codes in the last hour are skipped (--force sends)"
        if self.force:
            return "; --force: users at the team's hourly limit are sent too"
        return ""

    def start(self) -> None:
        """Upload in the background while the batch runs."""
        if self.uploader is not None:
            self.uploader.start()

    def attempted(self) -> None:
        """An attempt was recorded (and queued for the team): upload soon."""
        if self.uploader is not None:
            self.uploader.nudge()

    def finish(self) -> None:
        """Stop the background upload; send what is left within the read timeout."""
        from console.usecases import upload_at_exit

        if self.uploader is None:
            return
        self.uploader.stop()
        problem = upload_at_exit(self.uploader, None, self._config.console.read_timeout)
        if problem is not None:
            err(safe(problem.replace("attempt queued", "attempts queued")))

    def summary_lines(self, summary: BatchSummary) -> list[str]:
        """The limit's lines for the summary: how many were skipped, and any unread table."""
        from console.bulk import ItemOutcome

        lines: list[str] = []
        skipped = sum(1 for item in summary.items if item.outcome == ItemOutcome.SKIPPED_AT_LIMIT)
        if skipped:
            lines.append(
                f"  {skipped} skipped at Cognito's hourly limit (nothing sent, nothing recorded): "
                "resume the batch after the hour to try them, or add --force"
            )
        guard = self.guard
        if guard is not None and guard.problem is not None:
            lines.append(
                f"  team: recent sends not read for {guard.unread} of the users "
                f"({safe(guard.problem)}); this console's history alone guarded them"
            )
        return lines

    def json_fields(self) -> dict[str, object]:
        """The summary object's ``team_check`` (None without ``[team]`` or with --force)."""
        guard = self.guard
        if guard is None:
            return {"team_check": None}
        return {"team_check": {"unread": guard.unread, "problem": guard.problem}}
