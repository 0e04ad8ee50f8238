"""The sandbox's outbox: every message the sandbox "sent", beside the trigger call that wrote it.

This is the admin's workbench for a CustomMessage trigger: send (or press
``R`` to repeat the last request after editing the handler), and read the
subject and body the trigger produced (the code highlighted; an HTML email
rendered, or its source with ``v``; ``b`` opens it in the browser), its length
against Cognito's limit with the characters Cognito rejects flagged, the
metadata the request carried, and the invocation: duration, attempts, logs
and, when it failed, the traceback. A failed invocation is a row of its own
(nothing was delivered).

Any endpoint that serves ``/_sandbox/outbox`` works: the embedded sandbox or
a standalone one. Reads happen in a thread worker (:mod:`outbox_read`), so a
sandbox that is gone costs one status line, not a frozen screen. Everything
read is untrusted and shown through :func:`console.text.visible`.
"""

from __future__ import annotations

import os
import tempfile
import webbrowser
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from console.sandbox import Delivery
from console.text import one_line, plural, visible
from console.tui.screens.outbox_detail import entry_detail, row_detail
from console.tui.screens.outbox_read import (
    OutboxError,
    OutboxRead,
    OutboxRow,
    fetch_outbox,
    post_repeat,
)
from console.tui.styles import stylesheet
from console.tui.widgets.email_text import looks_like_html
from console.tui.widgets.fitting_footer import FittingFooter
from console.tui.widgets.history_table import short_time
from console.tui.widgets.labelled_text import LabelledText
from console.tui.widgets.scroll_bars import use_whole_cell_bars
from console.tui.widgets.title_line import TitleLine

__all__ = ["OutboxError", "OutboxRead", "OutboxScreen", "entry_detail", "fetch_outbox"]

NARROW = 100
"""Below this width the invocation pane goes under the message."""
_FIXED = {"Time (UTC)": 19, "Medium": 6, "Outcome": 8, "Code": 8}
"""Columns that keep their width at any size; User and Destination share the rest."""


def _outcome(row: OutboxRow) -> str:
    """FAILED (the trigger call), dropped (the channel), else who wrote the message."""
    if row.delivery is None:
        return "FAILED"
    if row.delivery.status == "dropped":
        return "dropped"  # Cognito said delivered; the detail says why it never arrived
    return "trigger" if row.delivery.trigger else "default"


def _row_style(row: OutboxRow) -> str:
    if row.delivery is None:
        return "bold red"
    return "bold yellow" if row.delivery.status == "dropped" else ""


class OutboxScreen(Screen[None]):
    """Deliveries of the sandbox at *endpoint_url*, newest first, with the full message."""

    CSS_PATH = stylesheet("outbox.tcss")
    HELP_TITLE: ClassVar[str] = "Sandbox outbox"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="outbox-close"),
        Binding("r", "refresh", "Refresh", id="outbox-refresh"),
        Binding("R", "repeat", "Repeat last", id="outbox-repeat"),
        Binding("v", "toggle_view", "Rendered/source", id="outbox-view"),
        Binding("b", "open_browser", "Browser", id="outbox-browser"),
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

    class Repeated(Message):
        """The sandbox answered a repeat; *line* says what was sent again, or why not."""

        def __init__(self, line: str) -> None:
            super().__init__()
            self.line = line

    def __init__(self, endpoint_url: str) -> None:
        """*endpoint_url*: the sandbox's base URL, e.g. ``http://127.0.0.1:5000``."""
        super().__init__()
        self._endpoint_url = endpoint_url
        self._rows: list[OutboxRow] = []
        self._rejected: list[str] = []
        self._serial = 0  # a newer refresh's answer wins over a slower older one
        self._rendered = True
        self._note = ""

    @property
    def entries(self) -> list[Delivery]:
        """The deliveries shown, newest first."""
        return [row.delivery for row in self._rows if row.delivery is not None]

    @property
    def rows(self) -> list[OutboxRow]:
        """Every row shown (deliveries and failed invocations), newest first."""
        return list(self._rows)

    @property
    def rejected(self) -> list[str]:
        """The malformed entries left out of the last read, one line each."""
        return list(self._rejected)

    def compose(self) -> ComposeResult:
        """A status line, the deliveries, and the selected message below."""
        yield TitleLine(self.HELP_TITLE, Text("loading…"), id="outbox-status")
        yield DataTable[Text](id="outbox-table", cursor_type="row", zebra_stripes=True)
        with ScrollableContainer(id="outbox-panes"):
            with VerticalScroll(id="outbox-message"):
                yield LabelledText("", id="outbox-message-text")
            with VerticalScroll(id="outbox-invocation"):
                yield LabelledText("", id="outbox-invocation-text")
        yield FittingFooter()

    def _widths(self) -> list[tuple[str, int]]:
        # Each column costs 2 cells of padding; the cursor column 1 more.
        free = max(20, self.size.width - sum(_FIXED.values()) - 2 * 6 - 2)
        user = max(8, free * 2 // 5)
        return [
            ("Time (UTC)", _FIXED["Time (UTC)"]),
            ("User", user),
            ("Medium", _FIXED["Medium"]),
            ("Destination", max(8, free - user)),
            ("Outcome", _FIXED["Outcome"]),
            ("Code", _FIXED["Code"]),
        ]

    def on_mount(self) -> None:
        """Add the columns and read the outbox."""
        table: DataTable[Text] = self.query_one("#outbox-table", DataTable)
        for label, width in self._widths():
            table.add_column(label, width=width)
        use_whole_cell_bars(table)
        table.focus()
        self.action_refresh()

    def on_resize(self) -> None:
        """Share the width between User and Destination; Outcome and Code always show.

        Below 100 columns the invocation goes under the message instead of beside it.
        """
        self.set_class(self.size.width < NARROW, "-narrow")
        table: DataTable[Text] = self.query_one("#outbox-table", DataTable)
        for column, (_label, width) in zip(table.columns.values(), self._widths(), strict=True):
            column.width = width
            column.content_width = width
        table.refresh()

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
        self._rows = event.read.rows
        self._rejected = event.read.rejected
        table: DataTable[Text] = self.query_one("#outbox-table", DataTable)
        table.clear()
        for index, row in enumerate(self._rows):
            entry, call = row.delivery, row.invocation
            values = (
                short_time(row.time),
                entry.user if entry else (call.user if call else ""),
                entry.medium if entry else (call.medium if call else ""),
                entry.destination if entry else (call.error_code if call else ""),
                _outcome(row),
                entry.code if entry else "-",
            )
            style = _row_style(row)
            table.add_row(
                *(Text(visible(v), no_wrap=True, overflow="ellipsis", style=style) for v in values),
                key=str(index),
            )
        count = len(self.entries)
        status = Text(f"{count} deliver{'y' if count == 1 else 'ies'} · newest first")
        dropped = sum(1 for entry in self.entries if entry.status == "dropped")
        if dropped:
            status.append(f" · {dropped} dropped by the channel", style="bold yellow")
        failed = len(self._rows) - count
        if failed:
            status.append(f" · {plural(failed, 'failed trigger call')}", style="bold red")
        if not event.read.invocations_served:
            status.append(" · no invocation records here", style="dim")
        if self._note:
            status.append(f" · {visible(self._note)}")
            self._note = ""
        if self._rejected:
            left_out = len(self._rejected)
            status.append(
                f" · {left_out} malformed entr{'y' if left_out == 1 else 'ies'} left out"
                f" ({visible(self._rejected[0])})",
                style="bold red",
            )
        self.query_one("#outbox-status", TitleLine).show(status)
        self._show_message()  # the cursor is back on the newest

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        if event.serial == self._serial:
            status = self.query_one("#outbox-status", TitleLine)
            status.show(Text(event.reason, style="bold red"))

    @on(DataTable.RowHighlighted, "#outbox-table")
    def _highlighted(self) -> None:
        self._show_message()

    def _current(self) -> OutboxRow | None:
        row = self.query_one("#outbox-table", DataTable).cursor_row
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _show_message(self) -> None:
        current = self._current()
        if current is not None:
            detail, invocation = row_detail(current, rendered=self._rendered)
        else:
            detail = Text("Nothing delivered yet. Send a code, then press r.", style="dim")
            invocation = Text("")
        self.query_one("#outbox-message-text", Static).update(detail)
        self.query_one("#outbox-invocation-text", Static).update(invocation)

    def action_repeat(self) -> None:
        """Ask the sandbox to send the last code again (after an edit of the handler)."""
        url = self._endpoint_url
        self.query_one("#outbox-status", TitleLine).show(Text("Repeating the last request…"))

        def repeat() -> None:
            try:
                line = post_repeat(url)
            except Exception as exc:  # a worker must not take the app down
                line = one_line(f"repeat: {type(exc).__name__}: {exc}")
            self.post_message(self.Repeated(line))

        self.run_worker(repeat, thread=True, group="outbox-repeat", exit_on_error=False)

    @on(Repeated)
    def _repeated(self, event: Repeated) -> None:
        self._note = event.line
        self.action_refresh()

    def action_toggle_view(self) -> None:
        """Show an HTML email rendered, or as its source."""
        self._rendered = not self._rendered
        self._show_message()

    def action_open_browser(self) -> None:
        """Open the selected HTML email in the system browser, through a temporary file."""
        current = self._current()
        entry = current.delivery if current is not None else None
        status = self.query_one("#outbox-status", TitleLine)
        if entry is None or entry.medium != "EMAIL" or not looks_like_html(entry.body):
            status.show(Text("the selected message is not an HTML email", style="yellow"))
            return
        handle, path = tempfile.mkstemp(prefix="cognito-outbox-", suffix=".html")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(entry.body)
        opened = webbrowser.open(f"file://{path}")
        line = f"opened {path}" if opened else f"no browser found; the email is in {path}"
        status.show(Text(visible(line)))

    def action_close(self) -> None:
        """Go back."""
        self.dismiss(None)

    def action_focus_message(self) -> None:
        """Move focus to the message, to scroll a long body."""
        pane = "#outbox-panes" if self.has_class("-narrow") else "#outbox-message"
        self.query_one(pane).focus()

    def action_focus_list(self) -> None:
        """Move focus back to the list of deliveries."""
        self.query_one("#outbox-table", DataTable).focus()
