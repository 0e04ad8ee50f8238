"""Bulk resend: many users at a held rate, every attempt in history under one batch id.

- :class:`TokenBucket` holds the rate (requests per second; a burst of 1 by
  default) and can be held back for everyone when Cognito throttles.
- :class:`BatchRun` sends to each user through
  :func:`console.usecases.resend.perform_resend` (history pending before, completed
  after), from a few worker threads so a slow answer does not lower the rate.
  TooManyRequestsException backs off (exponential, jittered, bounded) and
  retries that user; LimitExceededException and every other per-user error is
  recorded and never retried; an unknown outcome (the code may have gone) is
  never retried either.
- Stop with :meth:`BatchRun.stop` (a :class:`threading.Event`): calls in
  flight finish and are recorded, nobody new is started. Resuming with the
  same batch id skips the users already delivered in that batch (and, unless
  told otherwise, those whose outcome there is unknown or still pending).
- With a guard (:mod:`console.usecases.team_limit`), users the team sent 5 codes
  in the last hour are skipped, nothing recorded: resuming later tries them.
- The :class:`BatchSummary` counts each outcome, lists the failures and
  writes them as CSV (with a ``username`` column, so it can be fed back in).

Callbacks (``on_attempt``, ``on_progress``) run on worker threads, one at a
time; a TUI hands them to its UI thread.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from console.bulk import (
    DEFAULT_RATE,
    BatchItem,
    BatchProgress,
    BatchSummary,
    BulkRow,
    Clock,
    InvalidRow,
    ItemOutcome,
    TokenBucket,
    backoff_delay,
    default_workers,
    new_batch_id,
    resume_plan,
)
from console.cognito import OutcomeKind, RequestError, ResendRequest
from console.usecases.batch_state import RunState, Task, progress_of
from console.usecases.resend import AttemptResult, perform_resend

if TYPE_CHECKING:
    from console.cognito import ClientSettings, Gateway
    from console.config import Profile
    from console.history import History
    from console.usecases.team_limit import LimitGuard

__all__ = ["BatchRun"]

THROTTLE_CODE = "TooManyRequestsException"
MAX_THROTTLE_RETRIES = 8
"""Retries of one user after TooManyRequestsException before it is recorded as failed."""


class BatchRun:
    """One bulk run. Build it, then :meth:`run` (blocking); :meth:`stop` from any thread."""

    def __init__(
        self,
        *,
        gateway: Gateway,
        history: History,
        profile_name: str,
        profile: Profile,
        settings: ClientSettings,
        make_request: Callable[[str], ResendRequest],
        rate: float = DEFAULT_RATE,
        batch_id: str | None = None,
        workers: int | None = None,
        may_simulate: bool | None = False,
        skip_uncertain: bool = True,
        retry_failed: bool = False,
        max_throttle_retries: int = MAX_THROTTLE_RETRIES,
        guard: LimitGuard | None = None,
        on_attempt: Callable[[BulkRow, AttemptResult, bool], None] | None = None,
        on_progress: Callable[[BatchProgress], None] | None = None,
        on_stop: Callable[[str], None] | None = None,
        clock: Clock = time.monotonic,
        bucket: TokenBucket | None = None,
        rng: Callable[[], float] = random.random,
        stop_event: threading.Event | None = None,
    ) -> None:
        """``make_request(username)`` builds each request (RequestError marks the row invalid).

        ``on_attempt(row, result, will_retry)`` follows every call;
        ``on_progress`` follows every call and every skipped row. A *guard* skips the
        users the team sent 5 codes in the last hour (asked before each user's first try).
        """
        self.batch_id = batch_id or new_batch_id()
        self.stop_event = stop_event or threading.Event()
        self.bucket = bucket or TokenBucket(rate, clock=clock)
        self._gateway = gateway
        self._history = history
        self._profile_name = profile_name
        self._profile = profile
        self._settings = settings
        self._make_request = make_request
        self._workers = workers if workers is not None else default_workers(self.bucket.rate)
        self._may_simulate = may_simulate
        self._skip_uncertain = skip_uncertain
        self._retry_failed = retry_failed
        self._max_throttle_retries = max_throttle_retries
        self.guard = guard
        """Skips users at the team's hourly limit; None sends to everyone (``--force``)."""
        self._on_attempt = on_attempt
        self._on_progress = on_progress
        self._on_stop = on_stop
        self._alive = 0
        self._clock = clock
        self._rng = rng
        self._cond = threading.Condition()
        self._callback_lock = threading.RLock()  # stop() may come from a callback
        self._state = RunState()
        self._total = 0
        self._started = 0.0
        self.interrupted = False
        """Whether a Ctrl+C stopped the run (the CLI exits 130 then)."""

    def stop(self, reason: str = "stopped by the operator") -> None:
        """Start nobody new; calls in flight finish and are recorded."""
        with self._cond:
            first = self._state.stop_reason is None
            if first:
                self._state.stop_reason = reason
            self.stop_event.set()
            self._cond.notify_all()
        if first and self._on_stop is not None:
            with self._callback_lock:
                self._on_stop(reason)

    def _wait(self, seconds: float) -> bool:
        return self.stop_event.wait(seconds)

    # -- running ----------------------------------------------------------

    def run(self, rows: Sequence[BulkRow], invalid: Sequence[InvalidRow] = ()) -> BatchSummary:
        """Send to every row not already done in this batch; return the summary."""
        state = self._state
        self._started = self._clock()
        for bad in invalid:
            kind = ItemOutcome.INVALID if bad.duplicate_of is None else ItemOutcome.DUPLICATE
            state.results[bad.line] = BatchItem(bad.line, bad.text, kind, None, bad.problem)
        try:
            to_send, skipped = self._plan(rows)
        except Exception as exc:  # HistoryError: resuming blind could send twice
            reason = f"history not read, nothing sent: {exc}"
            for row in rows:
                state.results[row.line] = BatchItem(
                    row.line, row.username, ItemOutcome.NOT_SENT, None, reason
                )
            return self._summary(stop_reason=reason)
        for item in skipped:
            state.results[item.line] = item
        state.queue.extend(Task(row) for row in to_send)
        self._total = state.outstanding = len(state.queue)
        self._progress(None)
        count = min(self._workers, max(1, self._total))
        with self._cond:
            self._alive = count
        for number in range(count):
            threading.Thread(target=self._worker, name=f"bulk-{number}", daemon=True).start()
        self._wait_for_workers()
        for task in state.queue:  # left behind by a stop
            state.results.setdefault(
                task.row.line,
                BatchItem(
                    task.row.line, task.row.username, ItemOutcome.NOT_SENT, attempts=task.tries
                ),
            )
        return self._summary(stop_reason=state.stop_reason)

    def _plan(self, rows: Sequence[BulkRow]) -> tuple[list[BulkRow], list[BatchItem]]:
        return resume_plan(
            self._history,
            self.batch_id,
            rows,
            skip_uncertain=self._skip_uncertain,
            retry_failed=self._retry_failed,
        )

    def planned(self, rows: Sequence[BulkRow]) -> list[BulkRow]:
        """The rows :meth:`run` would send to now (the rest the batch has done or skips).

        Reads the history (blocking); raises what it raises.
        """
        return self._plan(rows)[0]

    def _summary(self, *, stop_reason: str | None) -> BatchSummary:
        state = self._state
        order = sorted(state.results.values(), key=lambda item: item.line)
        span = (
            (state.last_start - state.first_start)
            if state.first_start is not None and state.last_start is not None
            else 0.0
        )
        achieved = (state.attempts - 1) / span if span > 0 else float(state.attempts)
        not_sent = any(item.outcome == ItemOutcome.NOT_SENT for item in order)
        return BatchSummary(
            batch_id=self.batch_id,
            items=tuple(order),
            stopped=not_sent,
            stop_reason=stop_reason,
            elapsed_s=self._clock() - self._started,
            attempts=state.attempts,
            throttled=state.throttled,
            achieved_rate=achieved,
            rate=self.bucket.rate,
        )

    def _next_task(self) -> Task | None:
        with self._cond:
            while True:
                if self.stop_event.is_set() or self._state.outstanding <= 0:
                    return None
                if self._state.queue:
                    return self._state.queue.popleft()
                self._cond.wait(0.1)  # a throttled task may come back

    def _wait_for_workers(self) -> None:
        """Wait for the workers; a first Ctrl+C stops the run cleanly, a second one is raised.

        Not Thread.join: on Python 3.11 a KeyboardInterrupt inside join() can
        mark a still-running thread as finished.
        """
        interrupted = False
        while True:
            try:
                with self._cond:
                    while self._alive > 0:
                        self._cond.wait(0.1)
                return
            except KeyboardInterrupt:
                if interrupted:
                    raise
                interrupted = True
                self.interrupted = True
                self.stop("stopped by the operator (Ctrl+C)")

    def _worker(self) -> None:
        try:
            while True:
                task = self._next_task()
                if task is None:
                    return
                if self._skipped_at_limit(task):
                    continue
                if not self.bucket.acquire(self._wait):
                    with self._cond:
                        self._state.queue.appendleft(task)
                    return
                try:
                    self._attempt(task)
                except Exception as exc:  # a bug below must not hang the other workers
                    self._crashed(task, exc)
        finally:
            with self._cond:
                self._alive -= 1
                self._cond.notify_all()

    def _skipped_at_limit(self, task: Task) -> bool:
        """Skip (and record in the summary only) a user at the team's hourly limit."""
        if self.guard is None or task.tries:
            return False
        try:
            skip = self.guard.check(task.row.username)
        except Exception:  # a bug in the look-up must not stop the batch: send
            return False
        if skip is None:
            return False
        row = task.row
        reason = skip.reason
        self._finish(
            task, BatchItem(row.line, row.username, ItemOutcome.SKIPPED_AT_LIMIT, None, reason)
        )
        return True

    def _attempt(self, task: Task) -> None:
        row = task.row
        try:
            request = self._make_request(row.username)
        except RequestError as exc:
            self._finish(
                task, BatchItem(row.line, row.username, ItemOutcome.INVALID, None, str(exc))
            )
            return
        now = self._clock()
        with self._cond:
            state = self._state
            state.attempts += 1
            state.first_start = now if state.first_start is None else state.first_start
            state.last_start = now
        task.tries += 1
        result = perform_resend(
            self._gateway,
            self._history,
            profile_name=self._profile_name,
            profile=self._profile,
            settings=self._settings,
            request=request,
            batch_id=self.batch_id,
            may_simulate=self._may_simulate,
        )
        outcome = result.outcome
        code = outcome.error.code if outcome.error is not None else None
        retry = (
            outcome.kind is OutcomeKind.FAILED
            and code == THROTTLE_CODE
            and task.throttled < self._max_throttle_retries
            and result.history_problem is None
        )
        if self._on_attempt is not None:
            with self._callback_lock:
                self._on_attempt(row, result, retry)
        if result.history_problem is not None:
            self.stop(f"{result.history_problem}; stopped so that nobody is sent a code twice")
        if retry:
            task.throttled += 1
            self.bucket.hold(backoff_delay(task.throttled, rng=self._rng))
            with self._cond:
                self._state.throttled += 1
                self._state.queue.appendleft(task)
                self._cond.notify_all()
            self._progress(row.username)
            return
        kind = {
            OutcomeKind.DELIVERED: ItemOutcome.DELIVERED,
            OutcomeKind.UNKNOWN: ItemOutcome.UNKNOWN,
        }.get(outcome.kind, ItemOutcome.FAILED)
        if kind == ItemOutcome.DELIVERED and outcome.may_be_simulated:
            kind = ItemOutcome.MAY_BE_SIMULATED
        message = outcome.error.message if outcome.error is not None else None
        item = BatchItem(row.line, row.username, kind, code, message, task.tries, result.history_id)
        self._finish(task, item)

    def _crashed(self, task: Task, exc: Exception) -> None:
        """Record an attempt that failed inside us: the call may have gone out; stop the run."""
        row = task.row
        message = f"{type(exc).__name__} in cognito-console; the code may have been sent"
        self.stop(f"internal failure ({type(exc).__name__}); stopped so that nobody is sent twice")
        item = BatchItem(
            row.line, row.username, ItemOutcome.UNKNOWN, "InternalFailure", message, task.tries
        )
        self._finish(task, item)

    def _finish(self, task: Task, item: BatchItem) -> None:
        with self._cond:
            state = self._state
            state.results[item.line] = item
            state.outstanding -= 1
            if item.outcome in (ItemOutcome.DELIVERED, ItemOutcome.MAY_BE_SIMULATED):
                state.delivered += 1
            elif item.outcome == ItemOutcome.SKIPPED_AT_LIMIT:
                state.skipped += 1
            else:
                state.failed += 1
            self._cond.notify_all()
        self._progress(task.row.username)

    def _progress(self, username: str | None) -> None:
        if self._on_progress is None:
            return
        with self._cond:
            progress = progress_of(
                self._state,
                batch_id=self.batch_id,
                total=self._total,
                elapsed=self._clock() - self._started,
                max_rate=self.bucket.rate,
                username=username,
            )
        with self._callback_lock:
            self._on_progress(progress)
