"""Attempt log entries as plain data: what the log pane shows and what "copy entry" copies.

Every string that came from outside (usernames, Cognito's messages, request
ids, history warnings) passes through :func:`console.text.visible` here, once,
so the widget and the clipboard both get text that cannot drive a terminal.
Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from console.cognito import TRANSPORT_ERRORS, OutcomeKind
from console.text import visible

if TYPE_CHECKING:
    from console.usecases import AttemptResult

__all__ = [
    "EntryKind",
    "LogDisplay",
    "LogEntry",
    "attempt_entry",
    "invalid_entry",
    "note_entry",
    "trigger_logs_entry",
]


class EntryKind(StrEnum):
    """What an entry reports; decides its mark and colour."""

    DELIVERED = "delivered"
    FAILED = "failed"
    UNKNOWN = "unknown"
    NOT_SENT = "not-sent"
    """Refused before any call: invalid input, no secret, a send already in flight."""
    NOTE = "note"
    WARNING = "warning"


MARKS: dict[EntryKind, str] = {
    EntryKind.DELIVERED: "✓",
    EntryKind.FAILED: "✗",
    EntryKind.UNKNOWN: "?",
    EntryKind.NOT_SENT: "✗",
    EntryKind.NOTE: "·",
    EntryKind.WARNING: "!",
}


def _default_latency(ms: float) -> str:
    return f"{ms:.0f} ms"


@dataclass(frozen=True, slots=True)
class LogDisplay:
    """How volatile facts are shown; tests fix them to get stable snapshots."""

    clock: Callable[[], datetime] = datetime.now
    """Local time of each entry."""
    latency: Callable[[float], str] | None = _default_latency
    """Formats a latency in ms; None leaves latencies out."""
    request_ids: bool = True
    """Show Cognito's request ids (random per call)."""

    def now(self) -> str:
        """The entry time, HH:MM:SS."""
        return self.clock().strftime("%H:%M:%S")


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One entry: a headline and labelled detail lines, all already made visible."""

    kind: EntryKind
    time: str
    headline: str
    details: tuple[tuple[str, str], ...] = ()
    """(label, text) pairs; an empty label is a plain line."""
    attempt_of: tuple[str, str] | None = None
    """(profile, username) as sent, for an attempt: whom the delivery doctor checks.
    Raw, untrusted text: never shown from here."""

    @property
    def mark(self) -> str:
        """✓ delivered, ✗ failed or not sent, ? unknown, · note, ! warning."""
        return MARKS[self.kind]

    def detail_lines(self) -> list[str]:
        """The detail lines as text, label first."""
        return [f"{label}: {text}" if label else text for label, text in self.details]

    def plain(self) -> str:
        """The entry as plain text, for the clipboard."""
        lines = [f"{self.mark} {self.time}  {self.headline}"]
        lines += [f"    {line}" for line in self.detail_lines()]
        return "\n".join(lines)


def _who(profile: str, username: str) -> str:
    return f"{visible(profile)} · {visible(username) or '(no username)'}"


def attempt_entry(
    result: AttemptResult,
    *,
    profile: str,
    username: str,
    display: LogDisplay,
    explanations: Sequence[str] = (),
    risks: Sequence[str] = (),
    doctor_key: str = "",
    client_override: str | None = None,
    lookup_key: str | None = None,
) -> LogEntry:
    """The entry for one finished call: where the code went, or why not and what to do.

    *explanations* are what the pool's facts say about the outcome
    (:func:`console.cognito.pool_explain.explain_outcome`), one "pool facts" line each.
    *risks* (:func:`console.cognito.pool_explain.delivery_risks`) are why a
    delivered code may still not arrive: one "doctor" line naming *doctor_key*.
    *client_override*: the client id sent instead of the profile's, shown in the headline.
    *lookup_key*: the key that opens the lookup, named where a lookup is the remedy.
    """
    outcome = result.outcome
    details: list[tuple[str, str]] = []
    if outcome.kind is OutcomeKind.DELIVERED and outcome.delivery is not None:
        kind = EntryKind.DELIVERED
        d = outcome.delivery
        details.append(
            (
                "delivered",
                f"{visible(d.medium)} to {visible(d.destination)} "
                f"(attribute {visible(d.attribute)})",
            )
        )
    else:
        kind = EntryKind.UNKNOWN if outcome.kind is OutcomeKind.UNKNOWN else EntryKind.FAILED
        label = "outcome unknown" if kind is EntryKind.UNKNOWN else "failed"
        error = outcome.error
        if error is None:  # not produced by the gateway; shown rather than hidden
            details.append((label, "no error details"))
        else:
            status = f" (HTTP {error.http_status})" if error.http_status is not None else ""
            details.append((label, f"{visible(error.code)}{status}"))
            if error.message:
                # A timeout or a refused connection is the console's word, not Cognito's.
                said = "console says" if error.code in TRANSPORT_ERRORS else "Cognito says"
                details.append((said, visible(error.message)))
            details.append(("meaning", visible(error.meaning)))
            remedy = visible(error.remedy)
            if error.code == "UserNotFoundException" and lookup_key:
                remedy += f" {visible(lookup_key)} looks the user up by email or phone."
            details.append(("what to do", remedy))
    for note in outcome.notes:
        details.append(("note", visible(note)))
    if outcome.may_be_simulated and not outcome.notes:
        details.append(("note", "success may be simulated: this client hides unknown users"))
    notes = {text for label, text in details if label == "note"}
    for line in explanations:
        if visible(line) not in notes:  # the gateway may have said it already
            details.append(("pool facts", visible(line)))
    facts: list[str] = []
    if outcome.request_id and display.request_ids:
        facts.append(f"request id {visible(outcome.request_id)}")
    if display.latency is not None:
        facts.append(display.latency(outcome.latency_ms))
    if result.history_id is not None:
        facts.append(f"history #{result.history_id}")
    if facts:
        details.append(("", " · ".join(facts)))
    if risks and kind is EntryKind.DELIVERED:
        key = f"press {visible(doctor_key)}" if doctor_key else "open the delivery doctor"
        details.append(
            (
                "doctor",
                f"delivered, but the pool facts show a risk: {visible('; '.join(risks))}; "
                f"if it does not arrive, {key}",
            )
        )
    if result.history_problem:
        details.append(("", visible(result.history_problem)))
    headline = _who(profile, username)
    if client_override:
        headline += f" · client {visible(client_override)} (override)"
    return LogEntry(kind, display.now(), headline, tuple(details), (profile, username))


def invalid_entry(
    *, profile: str, username: str, reason: str, problems: Sequence[str], display: LogDisplay
) -> LogEntry:
    """A send that never left: bad input, no secret, already in flight."""
    details = [("not sent", visible(reason))]
    details += [("", visible(problem)) for problem in problems]
    return LogEntry(EntryKind.NOT_SENT, display.now(), _who(profile, username), tuple(details))


def note_entry(text: str, *, display: LogDisplay, warning: bool = False) -> LogEntry:
    """A line about the console itself (sandbox ready, history warnings, keymap problems)."""
    kind = EntryKind.WARNING if warning else EntryKind.NOTE
    return LogEntry(kind, display.now(), visible(text))


def trigger_logs_entry(
    headline: str, lines: list[str], *, display: LogDisplay, warning: bool = False
) -> LogEntry:
    """The CustomMessage trigger's CloudWatch Logs lines for the attempt just above."""
    kind = EntryKind.WARNING if warning else EntryKind.NOTE
    # Lambda separates a log line's fields with tabs: spaces read better.
    details = tuple(("", visible(line.replace("\t", "  "))) for line in lines)
    return LogEntry(kind, display.now(), visible(headline), details)
