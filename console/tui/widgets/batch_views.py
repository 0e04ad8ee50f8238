"""The batch screen's two views of a run: the progress bar with its line, and the failures.

:class:`BatchProgressView` shows a :class:`~console.usecases.batch.BatchProgress` as a
bar and ``12/20 · delivered 11 · failed 1 · 5.0/s · ETA 0:02``. The run's
threads report one at a time but their messages may arrive out of order, so
an update older than the one shown is dropped. :class:`FailuresTable` lists
the users a run did not deliver; every cell is made visible (usernames and
Cognito's messages are untrusted).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, ProgressBar, Static

from console.bulk import BatchProgress, BatchSummary
from console.tui.batch_job import progress_line
from console.tui.safe_text import safe_cell
from console.tui.widgets.scroll_bars import use_whole_cell_bars

__all__ = ["BatchProgressView", "FailuresTable"]

_FAILURE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Line", 5),
    ("Username", 20),
    ("Outcome", 17),  # "skipped uncertain"
    ("Error", 28),  # "CodeDeliveryFailureException"
    ("Message", 60),
)
"""Columns and widths: at 80 columns (78 beside the scroll bar) the error code is whole;
a longer username ends in "…" (the CSV export has it whole)."""


class BatchProgressView(Vertical):
    """A bar (count / total) and one line with the counts, the rate and the ETA."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.last: BatchProgress | None = None
        """The newest progress shown (None before a run)."""

    def compose(self) -> ComposeResult:
        """The bar (no ETA of its own: the line has ours) and the line."""
        yield ProgressBar(total=None, show_eta=False, id="batch-progress-bar")
        yield Static(Content(""), id="batch-progress-text", markup=False)

    def on_mount(self) -> None:
        """Hidden until a run starts: an idle bar would pulse as if something ran."""
        self.display = False

    @property
    def text(self) -> str:
        """The progress line as shown."""
        return str(self.query_one("#batch-progress-text", Static).content)

    def reset(self) -> None:
        """Back to zero for a new run, and shown."""
        self.last = None
        self.display = True
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one("#batch-progress-text", Static).update(Content(""))

    def show(self, progress: BatchProgress) -> None:
        """Show *progress*, unless a newer one is already shown."""
        last = self.last
        if last is not None and (progress.done, progress.attempts) < (last.done, last.attempts):
            return
        self.last = progress
        # An empty run (everyone skipped on resume) is a full bar, not an endless one.
        self.query_one(ProgressBar).update(
            total=max(progress.total, 1), progress=progress.done if progress.total else 1
        )
        self.query_one("#batch-progress-text", Static).update(Content(progress_line(progress)))


class FailuresTable(DataTable[Text]):
    """One row per user not delivered: line, username, outcome, error code, message."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """The columns."""
        for label, width in _FAILURE_COLUMNS:
            self.add_column(label, width=width)
        use_whole_cell_bars(self)

    def show(self, summary: BatchSummary) -> None:
        """List the failures of *summary* (replacing what was there)."""
        self.clear()
        for item in summary.failures:
            cells = (
                str(item.line),
                item.username,
                item.outcome.replace("_", " "),
                item.error_code or "-",
                item.message or "",
            )
            self.add_row(
                *(safe_cell(c) for c in cells),
                key=str(item.line),
            )
