"""The outbox screen's detail pane: the message, its length against Cognito's limit, the
metadata, and the trigger invocation that wrote it (duration, attempts, logs, traceback).

Everything here came from the sandbox, the caller or the admin's trigger:
untrusted, shown through :func:`console.text.visible` into ``Text`` (never
markup).
"""

from __future__ import annotations

from rich.text import Text

from console.sandbox import Delivery
from console.text import plural, visible
from console.triggers.answer import (
    EMAIL_MESSAGE_MAX,
    SMS_MESSAGE_MAX,
    cognito_length,
    rejected_characters,
)
from console.tui.screens.outbox_read import InvocationView, OutboxRow
from console.tui.widgets.email_text import looks_like_html, render_html
from console.tui.widgets.labelled_text import LABEL_STYLE, LABEL_WIDTH

__all__ = ["entry_detail", "gauge", "row_detail"]

GAUGE_WIDTH = 20


def _label(text: Text, label: str, value: str, style: str = "") -> None:
    text.append(f"{label:<{LABEL_WIDTH}}", style=LABEL_STYLE)
    text.append(visible(value) if value else "-", style=style if value else "dim")
    text.append("\n")


def _metadata_lines(text: Text, title: str, values: dict[str, str] | None, missing: str) -> None:
    text.append(f"\n{title}", style="bold")
    if not values:
        text.append(f" {missing}", style="dim")
        return
    for key, value in sorted(values.items()):
        text.append("\n  ")
        text.append(visible(key), style="cyan")
        text.append(" = ")
        text.append(visible(value))


def gauge(body: str, medium: str) -> Text:
    """``Length 57 / 20000 ███░░░`` and the characters Cognito's pattern rejects, flagged."""
    limit = EMAIL_MESSAGE_MAX if medium == "EMAIL" else SMS_MESSAGE_MAX
    length = cognito_length(body)
    filled = min(GAUGE_WIDTH, round(GAUGE_WIDTH * length / limit)) if limit else 0
    over = length > limit
    text = Text()
    text.append(f"{'Length':<{LABEL_WIDTH}}", style=LABEL_STYLE)
    text.append(f"{length} / {limit} ")
    text.append("█" * filled + "░" * (GAUGE_WIDTH - filled), style="red" if over else "green")
    if over:
        text.append(" over Cognito's limit", style="bold red")
    text.append("\n")
    if medium == "EMAIL":
        bad = rejected_characters(body)
        if bad:
            shown = ", ".join(f"U+{ord(ch):04X} at {index}" for index, ch in bad[:5])
            more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
            text.append(f"{'Rejected':<{LABEL_WIDTH}}", style=LABEL_STYLE)
            refused = plural(len(bad), "character")
            text.append(f"{refused} Cognito refuses: {shown}{more}", style="bold red")
            text.append("\n")
    return text


def _body(text: Text, entry: Delivery, rendered: bool) -> None:
    code = visible(entry.code)
    html = entry.medium == "EMAIL" and looks_like_html(entry.body)
    if html and rendered:
        shown, links = render_html(entry.body)
        text.append("Body (rendered; v: source)\n", style="bold")
    else:
        shown, links = entry.body, []
        text.append("Body (source; v: rendered)\n" if html else "Body\n", style="bold")
    # Newlines stay line breaks in a body; every other control character is escaped.
    body = Text(visible(shown, keep_newlines=True))
    if code:
        body.highlight_words([code], style="bold reverse")
    text.append_text(body)
    text.append("\n")
    if links:
        text.append("Links\n", style="bold")
        for number, link in enumerate(links, start=1):
            text.append(f"  [{number}] ", style="cyan")
            text.append(visible(link))
            text.append("\n")


def entry_detail(entry: Delivery, *, rendered: bool = True) -> Text:
    """The full message of *entry* and what produced it, safe to show."""
    text = Text()
    _label(text, "To", f"{entry.user}")
    _label(text, "Via", f"{entry.medium} {entry.destination} ({entry.attribute})")
    if entry.status == "dropped":
        # Cognito answered "delivered"; the channel behind it never delivered it.
        _label(text, "DROPPED", entry.dropped_reason or "by the channel", "bold red")
    _label(text, "Time", entry.time)
    written = "the CustomMessage trigger" if entry.trigger else "the pool's default message"
    _label(text, "Written by", written, "bold magenta" if entry.trigger else "")
    _label(text, "Code", entry.code, "bold reverse")
    _label(text, "Request id", entry.request_id)
    _label(text, "User pool", entry.user_pool_id)
    _label(text, "App client", entry.client_id)
    if entry.subject is not None:
        subject = Text(visible(entry.subject))
        if entry.code:
            subject.highlight_words([visible(entry.code)], style="bold reverse")
        text.append(f"{'Subject':<{LABEL_WIDTH}}", style=LABEL_STYLE)
        text.append_text(subject)
        text.append("\n")
    text.append_text(gauge(entry.body, entry.medium))
    text.append("\n")
    _body(text, entry, rendered)
    _metadata_lines(text, "ClientMetadata", entry.client_metadata, "(none sent)")
    _metadata_lines(text, "AnalyticsMetadata", entry.analytics_metadata, "(none sent)")
    return text


def invocation_detail(view: InvocationView) -> Text:
    """The trigger invocation: outcome, duration, attempts, logs, traceback."""
    text = Text()
    failed = view.outcome != "ok"
    _label(text, "Trigger", view.outcome or "?", "bold red" if failed else "bold green")
    if view.error_code:
        _label(text, "Error", f"{view.error_code}: {view.error_message}", "red")
    _label(text, "Source", view.trigger_source)
    duration = "-" if view.duration_ms is None else f"{view.duration_ms:.0f} ms"
    _label(text, "Duration", f"{duration} in {plural(len(view.attempts), 'attempt')}")
    for number, outcome, ms in view.attempts:
        took = "" if ms is None else f", {ms:.0f} ms"
        _label(text, f"  attempt {number}"[:12], f"{outcome}{took}")
    if view.note:
        _label(text, "Note", view.note, "yellow")
    text.append("Logs\n", style="bold")
    if not view.logs:
        text.append("  (none)\n", style="dim")
    for line in view.logs:
        # Lambda separates a log line's fields with tabs: spaces read better.
        text.append("  " + visible(line.replace("\t", "  ")) + "\n")
    if view.traceback:
        text.append("Traceback\n", style="bold red")
        text.append(visible(view.traceback, keep_newlines=True), style="red")
        text.append("\n")
    return text


def row_detail(row: OutboxRow, *, rendered: bool = True) -> tuple[Text, Text]:
    """A list row's two panes: the message (or why none was delivered), and its invocation."""
    text = Text()
    if row.delivery is not None:
        text.append_text(entry_detail(row.delivery, rendered=rendered))
    elif row.invocation is not None:
        call = row.invocation
        text.append("Not delivered: the trigger failed\n", style="bold red")
        _label(text, "To", call.user)
        _label(text, "Time", call.time)
        key = "emailMessage" if call.medium == "EMAIL" else "smsMessage"
        if key in call.returned:
            text.append(f"\nThe {key} it returned\n", style="bold")
            text.append_text(gauge(call.returned[key], call.medium))
            text.append(visible(call.returned[key], keep_newlines=True))
            text.append("\n")
    if row.invocation is not None:
        return text, invocation_detail(row.invocation)
    if row.delivery is not None and row.delivery.trigger:
        return text, Text("No invocation record at this endpoint.", style="dim")
    return text, Text("The pool's default message: no trigger ran.", style="dim")
