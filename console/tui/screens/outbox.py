"""The sandbox's outbox: every message the sandbox "sent", as the user would get it.

This is the admin's view for testing a CustomMessage trigger offline: resend,
press ``r`` here, and read the subject and body the trigger produced (the code
highlighted), whether the trigger or the pool's default message wrote it, and
the ClientMetadata and AnalyticsMetadata the request carried.

The outbox is read over HTTP (``GET {endpoint}/_sandbox/outbox``) in a thread
worker, so a sandbox that is gone costs one status line, not a frozen screen.
The answer is untrusted: each entry is read into the sandbox's own
:class:`~console.sandbox.delivery.Delivery` (a light module: no sandbox is
loaded), and an entry with a missing key or a wrong type is left out and named
on the status line. Everything in a delivery is untrusted too (the trigger is
the admin's own code, usernames are anyone's) and is shown through
:func:`console.text.visible`.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from console.sandbox import Delivery, DeliveryFormatError
from console.text import one_line, visible
from console.tui.styles import stylesheet
from console.tui.widgets.history_table import short_time

__all__ = ["OutboxError", "OutboxRead", "OutboxScreen", "entry_detail", "fetch_outbox"]

MAX_ANSWER_BYTES = 32 * 1024 * 1024  # 20,000-character bodies; a thousand of them fit
TIMEOUT_S = 5.0


class OutboxError(Exception):
    """The outbox could not be read; ``str()`` is one visible line."""


@dataclass(frozen=True)
class OutboxRead:
    """One read of the outbox: the deliveries, newest first, and the entries left out."""

    deliveries: list[Delivery]
    rejected: list[str]
    """One line per malformed entry, e.g. ``entry 3: "code" is missing`` (oldest is 1)."""


def fetch_outbox(endpoint_url: str, *, timeout: float = TIMEOUT_S) -> OutboxRead:
    """The sandbox's deliveries, newest first. Raises :class:`OutboxError`.

    An entry that is not a delivery (a key missing, a value of the wrong type)
    is left out and named in :attr:`OutboxRead.rejected`; the others are shown.
    """
    base = endpoint_url.rstrip("/")
    url = f"{base}/_sandbox/outbox"
    if not base.startswith(("http://", "https://")):
        raise OutboxError(one_line(f"not a sandbox URL: {endpoint_url}", 200))
    # No proxies: the sandbox is local, and an HTTP_PROXY meant for AWS must not see it.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as answer:
            raw = answer.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise OutboxError(one_line(f"sandbox answered HTTP {exc.code} at {url}", 300)) from None
    except urllib.error.URLError as exc:
        reason = exc.reason if isinstance(exc.reason, str) else str(exc.reason)
        raise OutboxError(one_line(f"sandbox not reachable at {url}: {reason}", 300)) from None
    except (OSError, ValueError) as exc:  # timeouts, resets, a malformed URL
        raise OutboxError(one_line(f"sandbox not reachable at {url}: {exc}", 300)) from None
    if len(raw) > MAX_ANSWER_BYTES:
        raise OutboxError(f"the outbox at {one_line(url)} is larger than we read")
    try:
        payload = json.loads(raw)
    except ValueError:
        raise OutboxError(one_line(f"{url} did not answer with JSON: is it a sandbox?")) from None
    deliveries = payload.get("deliveries") if isinstance(payload, dict) else None
    if not isinstance(deliveries, list):
        raise OutboxError(one_line(f"{url} answered without a deliveries list", 300))
    found: list[Delivery] = []
    rejected: list[str] = []
    for number, item in enumerate(deliveries, start=1):
        try:
            found.append(Delivery.from_json(item))
        except DeliveryFormatError as exc:
            rejected.append(one_line(f"entry {number}: {exc}", 200))
    found.reverse()
    return OutboxRead(found, rejected)


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


def entry_detail(entry: Delivery) -> Text:
    """The full message of *entry* and what produced it, safe to show."""
    text = Text()
    code = visible(entry.code)

    def line(label: str, value: str, style: str = "") -> None:
        text.append(f"{label:<13}", style="bold")
        text.append(visible(value) if value else "-", style=style if value else "dim")
        text.append("\n")

    line("To", f"{entry.user}")
    line("Via", f"{entry.medium} {entry.destination} ({entry.attribute})")
    if entry.status == "dropped":
        # Cognito answered "delivered"; the channel behind it never delivered it.
        line("DROPPED", entry.dropped_reason or "by the channel", "bold red")
    line("Time", entry.time)
    written = "the CustomMessage trigger" if entry.trigger else "the pool's default message"
    line("Written by", written, "bold magenta" if entry.trigger else "")
    line("Code", entry.code, "bold reverse")
    line("Request id", entry.request_id)
    line("User pool", entry.user_pool_id)
    line("App client", entry.client_id)
    if entry.subject is not None:
        subject = Text(visible(entry.subject))
        if code:
            subject.highlight_words([code], style="bold reverse")
        text.append(f"{'Subject':<13}", style="bold")
        text.append_text(subject)
        text.append("\n")
    text.append("\n")
    # Newlines stay line breaks in a body; every other control character is escaped.
    body = Text(visible(entry.body, keep_newlines=True))
    if code:
        body.highlight_words([code], style="bold reverse")
    text.append_text(body)
    text.append("\n")
    _metadata_lines(text, "ClientMetadata", entry.client_metadata, "(none sent)")
    _metadata_lines(text, "AnalyticsMetadata", entry.analytics_metadata, "(none sent)")
    return text


class OutboxScreen(Screen[None]):
    """Deliveries of the sandbox at *endpoint_url*, newest first, with the full message."""

    CSS_PATH = stylesheet("outbox.tcss")
    HELP_TITLE: ClassVar[str] = "Sandbox outbox"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="outbox-close"),
        Binding("r", "refresh", "Refresh", id="outbox-refresh"),
        Binding("m", "focus_message", "Message", id="outbox-message"),
        Binding("l", "focus_list", "List", id="outbox-list"),
    ]

    class Loaded(Message):
        """The outbox arrived from a worker."""

        def __init__(self, serial: int, read: OutboxRead) -> None:
            super().__init__()
            self.serial = serial
            self.read = read

    class Failed(Message):
        """The outbox could not be read; *reason* is one visible line."""

        def __init__(self, serial: int, reason: str) -> None:
            super().__init__()
            self.serial = serial
            self.reason = reason

    def __init__(self, endpoint_url: str) -> None:
        """*endpoint_url*: the sandbox's base URL, e.g. ``http://127.0.0.1:5000``."""
        super().__init__()
        self._endpoint_url = endpoint_url
        self._entries: list[Delivery] = []
        self._rejected: list[str] = []
        self._serial = 0  # a newer refresh's answer wins over a slower older one

    @property
    def entries(self) -> list[Delivery]:
        """The deliveries shown, newest first."""
        return list(self._entries)

    @property
    def rejected(self) -> list[str]:
        """The malformed entries left out of the last read, one line each."""
        return list(self._rejected)

    def compose(self) -> ComposeResult:
        """A status line, the deliveries, and the selected message below."""
        yield Static(Text("Loading the outbox…"), id="outbox-status")
        yield DataTable[Text](id="outbox-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="outbox-message"):
            yield Static("", id="outbox-message-text")
        yield Footer()

    def on_mount(self) -> None:
        """Add the columns and read the outbox."""
        table: DataTable[Text] = self.query_one("#outbox-table", DataTable)
        for label, width in (
            ("Time (UTC)", 19),
            ("User", 24),
            ("Medium", 6),
            ("Destination", 30),
            ("Written by", 10),
            ("Code", 8),
        ):
            table.add_column(label, width=width)
        table.focus()
        self.action_refresh()

    def action_refresh(self) -> None:
        """Read the outbox again."""
        self._serial += 1
        serial, url = self._serial, self._endpoint_url

        def load() -> None:
            try:
                read = fetch_outbox(url)
            except OutboxError as exc:
                self.post_message(self.Failed(serial, str(exc)))
            except Exception as exc:  # a worker must not take the app down
                self.post_message(self.Failed(serial, one_line(f"{type(exc).__name__}: {exc}")))
            else:
                self.post_message(self.Loaded(serial, read))

        self.run_worker(load, thread=True, group="outbox", exit_on_error=False)

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        if event.serial != self._serial:
            return
        self._entries = event.read.deliveries
        self._rejected = event.read.rejected
        table: DataTable[Text] = self.query_one("#outbox-table", DataTable)
        table.clear()
        for index, entry in enumerate(self._entries):
            table.add_row(
                *(
                    Text(visible(value), no_wrap=True, overflow="ellipsis")
                    for value in (
                        short_time(entry.time),
                        entry.user,
                        entry.medium,
                        entry.destination,
                        "trigger" if entry.trigger else "default",
                        entry.code,
                    )
                ),
                key=str(index),
            )
        count = len(self._entries)
        status = Text(f"{count} deliver{'y' if count == 1 else 'ies'} · newest first")
        if self._rejected:
            left_out = len(self._rejected)
            status.append(
                f" · {left_out} malformed entr{'y' if left_out == 1 else 'ies'} left out"
                f" ({visible(self._rejected[0])})",
                style="bold red",
            )
        self.query_one("#outbox-status", Static).update(status)
        self._show_message()  # the cursor is back on the newest

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        if event.serial == self._serial:
            status = self.query_one("#outbox-status", Static)
            status.update(Text(event.reason, style="bold red"))

    @on(DataTable.RowHighlighted, "#outbox-table")
    def _highlighted(self) -> None:
        self._show_message()

    def _show_message(self) -> None:
        row = self.query_one("#outbox-table", DataTable).cursor_row
        if 0 <= row < len(self._entries):
            detail = entry_detail(self._entries[row])
        else:
            detail = Text("Nothing delivered yet. Resend a code, then press r.", style="dim")
        self.query_one("#outbox-message-text", Static).update(detail)

    def action_close(self) -> None:
        """Go back."""
        self.dismiss(None)

    def action_focus_message(self) -> None:
        """Move focus to the message, to scroll a long body."""
        self.query_one("#outbox-message", VerticalScroll).focus()

    def action_focus_list(self) -> None:
        """Move focus back to the list of deliveries."""
        self.query_one("#outbox-table", DataTable).focus()
