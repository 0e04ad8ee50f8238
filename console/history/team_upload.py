"""The uploader: drains the team queue into the team's DynamoDB table.

It never stands between the operator and Cognito: attempts are recorded
locally first (:mod:`console.history.store`), and this runs after, in a
background thread (the TUI) or for a bounded time at exit (the CLI). A
failed upload stays queued, with exponential backoff and jitter, and the
next round (or the next start of any console on this history) sends it.
Writes are conditional (:func:`console.history.team.put_attempt`), so an
upload repeated after a crash or by two consoles at once changes nothing.
Domain code: no Textual.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from console.history.file import HistoryError
from console.history.team import attempt_item, put_attempt, stable_uid
from console.history.team_queue import (
    QueuedAttempt,
    due_attempts,
    mark_done,
    mark_failed,
    queue_size,
)
from console.text import one_line

if TYPE_CHECKING:
    from console.history.store import History

__all__ = [
    "BATCH",
    "MAX_BACKOFF_S",
    "MAX_SETTLE_S",
    "SETTLE_S",
    "RoundResult",
    "TeamUploader",
    "UploadStatus",
    "backoff_s",
]

BATCH = 25
"""Attempts taken from the queue per round."""
MAX_BACKOFF_S = 60.0
"""The longest wait between two tries of one attempt."""
SETTLE_S = 0.3
"""After a nudge, the background uploader waits for this much quiet before uploading."""
MAX_SETTLE_S = 5.0
"""... but never longer than this after the first nudge (a long bulk run still uploads)."""
_PERMANENT = frozenset(
    {
        "AccessDeniedException",
        "ResourceNotFoundException",
        "UnrecognizedClientException",
        "ValidationException",
        "InvalidSignatureException",
    }
)


_NEEDS_SETUP = frozenset(
    {"NoCredentialsError", "PartialCredentialsError", "ProfileNotFound", "NoRegionError"}
)
"""botocore's failures before any request: no credentials or profile. Waiting will not help."""


def backoff_s(
    tries: int, *, permanent: bool = False, rand: Callable[[], float] = random.random
) -> float:
    """Seconds before try number *tries* + 1: 0.5 s doubling to a minute, with jitter.

    A permanent refusal (no table, no permission) waits the full minute: it
    needs a person, and retrying it fast only fills logs.
    """
    base = MAX_BACKOFF_S if permanent else min(MAX_BACKOFF_S, 0.5 * 2 ** max(tries, 0))
    return base * (0.5 + rand() / 2)  # "equal jitter": never less than half the base


@dataclass(frozen=True, slots=True)
class RoundResult:
    """One round: how many were written (or were already there), and the failure that stopped it."""

    uploaded: int
    failed: str | None


@dataclass(frozen=True, slots=True)
class UploadStatus:
    """What the background uploader last saw, for a status line."""

    waiting: int | None
    """Attempts the team has not received; None when the queue could not be read."""
    error: str | None
    """Why the newest upload failed (one line); None once one gets through."""
    code: str | None
    """That failure's error code, or the botocore class that raised it (``NoCredentialsError``)."""
    permanent: bool
    """Whether it needs a person (no table, no permission, no credentials)."""


class TeamUploader:
    """Uploads *history*'s team queue to *table* through *client* (a boto3 DynamoDB client)."""

    def __init__(
        self,
        history: History,
        client: Any,
        table: str,
        *,
        retention_days: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """*clock* gives epoch seconds (tests pass their own to step through backoff)."""
        self.history = history
        self.client = client
        self.table = table
        self.retention_days = retention_days
        self._clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._nudge_lock = threading.Lock()
        self._first_nudge: float | None = None
        self._last_nudge = 0.0
        self.last_error: str | None = None
        """Why the newest failed upload failed; None once one gets through."""
        self.last_permanent = False
        """Whether that failure needs a person (no table, no permission): waiting will not help."""
        self.last_code: str | None = None
        """That failure's error code, or the botocore class that raised it."""
        self._on_status: Callable[[UploadStatus], None] | None = None

    # -- one round -------------------------------------------------------

    def upload_round(self) -> RoundResult:
        """Upload every attempt that is due, oldest first, stopping at the first failure.

        A failure marks that attempt for a later try; the rest stay due for
        the next round (an unreachable endpoint fails them all alike).
        """
        uploaded = 0
        while True:
            now_ms = int(self._clock() * 1000)
            with self.history.connection("team queue not read", write=True) as conn:
                batch = due_attempts(conn, now_ms, BATCH)
            if not batch:
                return RoundResult(uploaded, None)
            for queued in batch:
                error = self._upload(queued)
                if error is not None:
                    self.last_error = error
                    return RoundResult(uploaded, error)
                self.last_error = self.last_code = None  # the way through is open again
                self.last_permanent = False
                uploaded += 1

    def _upload(self, queued: QueuedAttempt) -> str | None:
        """Write one attempt; None when the team has it, else the one-line reason it does not."""
        record = queued.record
        uid = queued.uid or stable_uid(record, queued.host)
        item = attempt_item(
            record,
            uid=uid,
            host=queued.host,
            operator=record.operator,
            retention_days=self.retention_days,
        )
        try:
            put_attempt(self.client, self.table, item)
        except Exception as exc:  # botocore's many kinds: all mean "not written yet"
            code = _code(exc)
            self.last_code = code or type(exc).__name__
            reason = one_line(
                f"{code}: {_message(exc)}" if code else str(exc) or type(exc).__name__, 200
            )
            self.last_permanent = code in _PERMANENT or type(exc).__name__ in _NEEDS_SETUP
            delay = backoff_s(queued.tries, permanent=self.last_permanent)
            due_ms = int((self._clock() + delay) * 1000)
            with self.history.connection("team queue not updated", write=True) as conn:
                mark_failed(conn, record.id, due_ms=due_ms, error=reason)
            return reason
        with self.history.connection("team queue not updated", write=True) as conn:
            mark_done(conn, record.id, queued.version)
        return None

    def waiting(self) -> int:
        """How many attempts the team has not received yet."""
        with self.history.connection("team queue not read") as conn:
            count, _error = queue_size(conn)
        return count

    def is_queued(self, attempt_id: int) -> bool:
        """Whether *attempt_id*'s latest state still waits for the team."""
        with self.history.connection("team queue not read") as conn:
            row = conn.execute(
                "SELECT 1 FROM team_queue WHERE attempt_id = ?", (attempt_id,)
            ).fetchone()
        return row is not None

    # -- bounded wait (the CLI) -----------------------------------------

    def drain(self, timeout_s: float, *, attempt_id: int | None = None) -> bool:
        """Upload for up to *timeout_s*; True once *attempt_id* (or the whole queue) is sent.

        Waits out backoff within the time given. History errors end it early
        (False): the attempt stays in the local file's queue either way.
        """
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                self.upload_round()
                done = (
                    not self.is_queued(attempt_id) if attempt_id is not None else not self.waiting()
                )
                if done:
                    return True
                if self.last_error is not None and self.last_permanent:
                    return False  # no table or no permission: waiting out the time changes nothing
                wait = self._next_due_s()
            except HistoryError as exc:
                self.last_error = str(exc)
                return False
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if self._stop.wait(min(left, max(wait, 0.05))):
                return False

    def _next_due_s(self) -> float:
        with self.history.connection("team queue not read") as conn:
            (due_ms,) = conn.execute("SELECT min(due_ms) FROM team_queue").fetchone()
        if due_ms is None:
            return 0.0
        return max(0.0, float(due_ms) / 1000 - self._clock())

    # -- background thread (the TUI) ------------------------------------

    def start(self, on_status: Callable[[UploadStatus], None] | None = None) -> None:
        """Upload in a daemon thread until :meth:`stop`; :meth:`nudge` after each new attempt.

        *on_status* is called from that thread when it starts, when a nudge
        wakes it and after each round: a status line follows the queue
        without asking it. It must not block (post a message, set a value).
        """
        if self._thread is not None:
            return
        self._on_status = on_status
        self._thread = threading.Thread(target=self._run, name="team-upload", daemon=True)
        self._thread.start()

    def nudge(self) -> None:
        """Something was queued: upload soon rather than at the next due time.

        "Soon" is once the operator's sends pause for :data:`SETTLE_S` (at
        most :data:`MAX_SETTLE_S` after the first nudge): an upload runs
        Python in this process, and during a burst of sends it would compete
        with them for the interpreter.
        """
        now = time.monotonic()
        with self._nudge_lock:
            if self._first_nudge is None:
                self._first_nudge = now
            self._last_nudge = now
        self._wake.set()

    def stop(self, timeout_s: float = 2.0) -> None:
        """End the thread (what it has not sent stays queued in the history file)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def _settle(self) -> None:
        """Wait while nudges keep coming, up to MAX_SETTLE_S from the first."""
        while not self._stop.is_set():
            with self._nudge_lock:
                first, last = self._first_nudge, self._last_nudge
            if first is None:
                return
            now = time.monotonic()
            wait = min(last + SETTLE_S, first + MAX_SETTLE_S) - now
            if wait <= 0:
                with self._nudge_lock:
                    self._first_nudge = None
                return
            self._stop.wait(wait)

    def _report(self) -> None:
        """Tell *on_status* how the queue stands (never raises into the loop)."""
        if self._on_status is None or self._stop.is_set():
            return
        try:
            waiting: int | None = self.waiting()
        except HistoryError:
            waiting = None
        status = UploadStatus(waiting, self.last_error, self.last_code, self.last_permanent)
        try:
            self._on_status(status)
        except Exception:  # a listener's failure must not stop the uploads
            self._on_status = None

    def _run(self) -> None:
        self._report()  # what a previous run left queued shows before the first upload
        while not self._stop.is_set():
            if self._first_nudge is not None:
                self._report()  # a new attempt waits: shown while the sends settle
            self._settle()
            try:
                self.upload_round()
                wait = self._next_due_s() if self.waiting() else MAX_BACKOFF_S
            except HistoryError as exc:
                self.last_error = str(exc)
                self.last_code = "HistoryError"
                wait = MAX_BACKOFF_S
            self._report()
            self._wake.wait(max(wait, 0.05))
            self._wake.clear()


def _code(exc: BaseException) -> str | None:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        return str(code) if code else None
    return None


def _message(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Message") or "")
    return str(exc)
