"""Bulk resend: every user of a users.txt / users.csv, at a held rate, stoppable and resumable.

After an email outage hundreds of users need a new code. The operator types
the file's path (F2 or Enter loads it and counts the users), a rate (5 a
second unless changed) and starts (F5). A bar shows the count, the rate and
the ETA; F6 stops (calls in flight finish and are recorded), and F5 again
resumes the same batch id: users already delivered in it are skipped, as read
from the history. At the end a summary counts each outcome and lists the
failures; F7 writes them as CSV to the path given (it can be fed back in).
With ``[team]``, the start question says who is at the hourly limit (``f`` forces).

Every request carries the form's ClientMetadata, analytics id and overrides,
with the active profile, captured when the screen opened. The run's thread
worker only posts messages; the handlers here update the widgets.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from console.bulk import DEFAULT_RATE, BatchProgress, BatchSummary, BulkInput, stop_words
from console.text import one_line, visible
from console.tui.batch_job import (
    BatchContext,
    BatchSetupError,
    confirmation,
    count_words,
    default_export_path,
    load_users,
    parse_batch_id,
    parse_rate,
    prepare_run,
    summary_line,
)
from console.tui.bindings import BATCH_ACTIONS, ActionSpec, screen_bindings
from console.tui.screens.batch_messages import (
    Exported,
    Finished,
    Loaded,
    Prepared,
    Progressed,
    Started,
    TeamNoted,
)
from console.tui.state import console_state
from console.tui.styles import stylesheet
from console.tui.widgets.batch_views import BatchProgressView, FailuresTable
from console.tui.widgets.fitting_footer import FittingFooter
from console.tui.widgets.title_line import TitleLine
from console.usecases import BatchRun

__all__ = ["BatchScreen"]


class BatchScreen(Screen[None]):
    """Load a users file, run the batch with progress, stop, resume, summarise, export."""

    CSS_PATH = stylesheet("batch.tcss")
    HELP_TITLE: ClassVar[str] = "Batch resend"
    ACTION_SPECS: ClassVar[tuple[ActionSpec, ...]] = BATCH_ACTIONS
    """Also offered by the command palette while this screen is open."""
    BINDINGS: ClassVar[list[BindingType]] = list(screen_bindings(BATCH_ACTIONS, namespace=None))

    def __init__(
        self,
        context: BatchContext,
        *,
        on_finished: Callable[[BatchSummary], None] | None = None,
        path: str = "",
    ) -> None:
        """*on_finished* gets each run's summary on the UI thread (the app logs it)."""
        super().__init__()
        self._batch_context = context
        self._on_finished = on_finished
        self._initial_path = path
        self._run: BatchRun | None = None
        self._stop_event: threading.Event | None = None
        self.running = False
        """A run is under way (from F5 until its summary)."""
        self.summary: BatchSummary | None = None
        """The last run's summary."""

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """What is sent with; file, rate and batch id; progress; failures; export path."""
        yield TitleLine(self.HELP_TITLE, Content(self._batch_context.describe()), id="batch-where")
        with Horizontal(classes="batch-row"):
            yield Label("Users file", classes="batch-label")
            hint = "users.txt (one username a line) or .csv (username column)"  # whole at 80
            yield Input(self._initial_path, placeholder=hint, id="batch-file")
        with Horizontal(classes="batch-row"):
            yield Label("Rate (per second)", classes="batch-label")
            yield Input(f"{DEFAULT_RATE:g}", id="batch-rate")
            yield Label("Batch id", classes="batch-label batch-label-right")
            yield Input(placeholder="empty: new batch · an old id resumes it", id="batch-id")
        yield Static(Content(""), id="batch-status", markup=False)
        yield BatchProgressView(id="batch-progress")
        yield FailuresTable(id="batch-failures")
        with Horizontal(classes="batch-row"):
            yield Label("Export failures to", classes="batch-label")
            yield Input(placeholder="path of a CSV file (F7 writes it)", id="batch-export")
        yield FittingFooter()

    def on_mount(self) -> None:
        """The opening hint, focus in the file field."""
        self._status(
            "Type the users file and press Enter to load it, F5 to start. "
            "Every attempt goes to the history under the batch id."
        )
        self.query_one("#batch-file", Input).focus()

    def on_unmount(self) -> None:
        """Leaving (or quitting) stops the run: nobody new is started behind the operator."""
        self._stop("the batch screen closed")

    # -- helpers -------------------------------------------------------------

    @property
    def status_text(self) -> str:
        """The status line as shown."""
        return str(self.query_one("#batch-status", Static).content)

    @property
    def progress_text(self) -> str:
        """The progress line as shown."""
        return self.query_one(BatchProgressView).text

    @property
    def last_progress(self) -> BatchProgress | None:
        """The newest progress of the run shown (None before a run)."""
        return self.query_one(BatchProgressView).last

    def _value(self, input_id: str) -> str:
        return self.query_one(f"#{input_id}", Input).value

    def _status(self, text: str, style: str = "") -> None:
        status = self.query_one("#batch-status", Static)
        status.update(Content.styled(one_line(text), style) if style else Content(one_line(text)))

    def _stop(self, reason: str) -> None:
        if self._stop_event is not None:
            self._stop_event.set()
        if self._run is not None:
            self._run.stop(reason)

    # -- loading -------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "batch-file":
            self.action_load()
        elif event.input.id == "batch-export":
            self.action_export()
        else:
            self.focus_next()

    def action_load(self) -> None:
        """Read the users file in a worker and say how many users it holds."""
        path = self._value("batch-file")
        self._status("reading the users file…", "$text-warning")

        def run() -> None:
            try:
                users = load_users(path)
            except BatchSetupError as exc:
                self.post_message(Loaded(None, str(exc)))
            except Exception as exc:  # a worker must not take the app down
                self.post_message(Loaded(None, one_line(f"{type(exc).__name__}: {exc}")))
            else:
                self.post_message(Loaded(users))

        self.run_worker(run, thread=True, group="batch-load", exit_on_error=False)

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        if self.running:
            return  # the run's own messages tell the story now
        users = event.users
        if users is None:
            self._status(event.problem or "the users file cannot be used", "bold $text-error")
            return
        text = f"{count_words(len(users.rows))} in {visible(str(users.path))}"
        if users.invalid:
            first = users.invalid[0]
            text += (
                f"; {count_words(len(users.invalid), 'row')} will not be sent "
                f"(line {first.line}: {visible(first.problem)})"
            )
        self._status(text + " · F5 starts")

    # -- running -------------------------------------------------------------

    def action_start(self) -> None:
        """Start the batch (or resume the batch id given) in a thread worker."""
        if self.running:
            self.notify("the batch is already running (F6 stops it)", markup=False)
            return
        try:
            rate = parse_rate(self._value("batch-rate"))
            batch_id = parse_batch_id(self._value("batch-id"))
        except BatchSetupError as exc:
            self._status(str(exc), "bold $text-error")
            return
        path, context = self._value("batch-file"), self._batch_context
        stop_event = threading.Event()
        self._stop_event, self._run = stop_event, None
        self.running = True
        if context.idle is not None:
            context.idle.clear()  # here, not in the worker: a quit right now must see it
        self.summary = None
        self.query_one(FailuresTable).clear()
        self.query_one(BatchProgressView).reset()
        resuming = f"resuming batch {batch_id}" if batch_id else "starting a new batch"
        self._status(f"{resuming} at {rate:g}/s…", "$text-warning")

        def progress(update: BatchProgress) -> None:
            self.post_message(Progressed(update))  # called on the run's threads

        def note(text: str) -> None:  # said once, from a worker thread
            self.post_message(TeamNoted(text))

        def prepare() -> None:
            try:
                users = load_users(path)
                batch = prepare_run(
                    context,
                    users,
                    rate=rate,
                    batch_id=batch_id,
                    stop_event=stop_event,
                    on_progress=progress,
                    on_note=note,
                )
                to_send = batch.planned(users.rows)
                # For the question; the run asks again before each send (the team sends on).
                skips = batch.guard.preview(r.username for r in to_send) if batch.guard else []
            except Exception as exc:  # BatchSetupError, HistoryError: one line, nothing sent
                known = isinstance(exc, BatchSetupError)
                reason = str(exc) if known else f"{type(exc).__name__}: {exc}"
                self.post_message(Finished(None, one_line(reason, 300)))
                if context.idle is not None:
                    context.idle.set()
            else:
                self.post_message(Prepared(batch, users, len(to_send), skips))

        self.run_worker(prepare, thread=True, group="batch", exit_on_error=False)

    @on(Prepared)
    def _prepared(self, event: Prepared) -> None:
        from console.tui.screens.batch_confirm import start_question

        batch, users, skips = event.run, event.users, event.skips

        def answered(answer: bool | str | None) -> None:
            if answer in (True, "send", "force"):
                if answer == "force":
                    batch.guard = None  # the operator chose: users at the limit get a code too
                self._launch(batch, users)
                return
            self.post_message(Finished(None, "not started: nothing sent"))
            if self._batch_context.idle is not None:
                self._batch_context.idle.set()

        text = confirmation(self._batch_context, batch, users, event.count, skips)
        self.app.push_screen(start_question(text, event.count - len(skips), len(skips)), answered)

    @on(TeamNoted)
    def _team_noted(self, event: TeamNoted) -> None:
        self.notify(event.text, severity="warning", markup=False)

    def _launch(self, batch: BatchRun, users: BulkInput) -> None:
        context = self._batch_context

        def run() -> None:
            try:
                self.post_message(Started(batch, users))
                summary = batch.run(users.rows, users.invalid)
            except Exception as exc:  # a worker must not take the app down
                self.post_message(Finished(None, one_line(f"{type(exc).__name__}: {exc}")))
            else:
                self.post_message(Finished(summary))
            finally:
                if context.idle is not None:
                    context.idle.set()

        self.run_worker(run, thread=True, group="batch", exit_on_error=False)

    @on(Started)
    def _started(self, event: Started) -> None:
        self._run = event.run
        if self._stop_event is not None and self._stop_event.is_set():
            event.run.stop("stopped by the operator")  # F6 came before the run existed
        users = event.users
        left_out = count_words(len(users.invalid), "invalid row")
        invalid = f", {left_out} left out" if users.invalid else ""
        self._status(
            f"batch {visible(event.run.batch_id)}: {count_words(len(users.rows))} from "
            f"{visible(str(users.path))}{invalid} at {event.run.bucket.rate:g}/s · F6 stops",
            "$text-warning",
        )
        self.query_one("#batch-id", Input).value = event.run.batch_id

    @on(Progressed)
    def _progressed(self, event: Progressed) -> None:
        self.query_one(BatchProgressView).show(event.progress)
        console_state(self).team.nudge()  # with [team]: uploaded once the sends pause

    def action_stop(self) -> None:
        """Start nobody new; calls in flight finish and are recorded; F5 resumes."""
        if not self.running:
            self.notify("no batch is running", markup=False)
            return
        self._stop("stopped by the operator")
        self._status("stopping: waiting for the calls in flight…", "$text-warning")

    @on(Finished)
    def _finished(self, event: Finished) -> None:
        self.running = False
        self._run = None
        summary = event.summary
        if summary is None:
            self._status(event.problem or "the batch did not start", "bold $text-error")
            self.query_one(BatchProgressView).display = False  # nothing ran
            return
        self.summary = summary
        self._show_summary(summary)
        if self._on_finished is not None:
            self._on_finished(summary)

    def _show_summary(self, summary: BatchSummary) -> None:
        line = summary_line(summary)
        if summary.stop_reason:
            line += f" · {visible(stop_words(summary.stop_reason))}"
        if summary.stopped:
            line += " · F5 resumes this batch"
        style = "bold $text-success" if summary.all_delivered else "bold $text-warning"
        self._status(line, style)
        self.query_one(FailuresTable).show(summary)
        export = self.query_one("#batch-export", Input)
        if not export.value.strip() or export.value.startswith("~/cognito-console-failures-"):
            export.value = default_export_path(summary.batch_id)

    # -- export --------------------------------------------------------------

    def action_export(self) -> None:
        """Write the last run's failures as CSV to the export path, in a worker."""
        summary = self.summary
        if summary is None:
            self.notify("nothing to export: run a batch first", severity="warning", markup=False)
            return
        raw = self._value("batch-export").strip()
        if not raw:
            self._status("type the path of the CSV file to write", "bold $text-error")
            return
        path = Path(raw).expanduser()

        def run() -> None:
            try:
                count = summary.write_failures_csv(path)
            except OSError as exc:
                reason = one_line(f"{path}: {exc.strerror or exc}", 300)
                self.post_message(Exported(path, 0, reason))
            except Exception as exc:  # a worker must not take the app down
                self.post_message(Exported(path, 0, one_line(f"{type(exc).__name__}: {exc}")))
            else:
                self.post_message(Exported(path, count))

        self.run_worker(run, thread=True, group="batch-export", exit_on_error=False)

    @on(Exported)
    def _exported(self, event: Exported) -> None:
        if event.problem is not None:
            self._status(f"failures not written: {event.problem}", "bold $text-error")
            self.notify(f"failures not written: {event.problem}", severity="error", markup=False)
            return
        text = f"{count_words(event.count, 'failure')} written to {visible(str(event.path))}"
        self._status(text, "bold $text-success")
        self.notify(text, markup=False)

    def action_close(self) -> None:
        """Back to the form; not while a batch runs (F6 stops it first)."""
        if self.running:
            self.notify("a batch is running: F6 stops it first", severity="warning", markup=False)
            return
        self.dismiss(None)
