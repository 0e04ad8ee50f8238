"""The attempt list of the history screen, and the detail text of one attempt.

Every value shown here was read back from history and is untrusted: usernames,
metadata, server messages. Cells and details are built as ``rich.text.Text``
from :func:`console.text.visible`, never as markup strings, so ``[@click=...]``
stays text and ESC or bidi overrides show as escapes.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import DataTable

from console.history import AttemptRecord
from console.text import visible

__all__ = ["OUTCOME_STYLES", "HistoryTable", "record_detail", "record_row", "short_time"]

OUTCOME_STYLES: dict[str, str] = {
    "delivered": "bold green",
    "failed": "bold red",
    "unknown": "bold yellow",
    "pending": "dim",
}
"""How each outcome is coloured, in the table and the detail pane."""

# (label, width): fixed widths, so a 2,000-character hostile username is cut
# with an ellipsis instead of pushing every other column off the screen.
_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Started (UTC)", 19),
    ("Outcome", 9),
    ("Username", 30),
    ("Profile", 14),
    ("Result", 34),
)


def _cell(value: str | None, style: str = "") -> Text:
    return Text(visible(value or ""), style=style, no_wrap=True, overflow="ellipsis")


def short_time(iso: str | None) -> str:
    """``2025-01-31T09:15:02.123Z`` as ``2025-01-31 09:15:02``; other text unchanged."""
    if not iso:
        return ""
    if len(iso) >= 19 and iso[10] == "T":
        return f"{iso[:10]} {iso[11:19]}"
    return iso


def _result(record: AttemptRecord) -> str:
    """What the attempt came to, in a few words: where the code went, or why not."""
    if record.outcome == "delivered":
        return f"{record.medium or '?'} {record.destination or ''}".strip()
    return record.error_code or ""


def record_row(record: AttemptRecord) -> tuple[Text, ...]:
    """The table cells of one attempt."""
    return (
        _cell(short_time(record.started_at)),
        _cell(record.outcome, OUTCOME_STYLES.get(record.outcome, "")),
        _cell(record.username),
        _cell(record.profile),
        _cell(_result(record)),
    )


def _value(value: str | None, style: str = "") -> Text:
    if value is None or value == "":
        return Text("-", style="dim")
    return Text(visible(value), style=style)


def _fields(rows: Iterable[tuple[str, str | None, str]]) -> Table:
    """Label/value pairs; a long value folds inside its own column, under itself."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, min_width=12)
    grid.add_column(overflow="fold")
    for label, value, style in rows:
        grid.add_row(Text(label, style="bold"), _value(value, style))
    return grid


def record_detail(record: AttemptRecord) -> RenderableType:
    """Every field of *record*, in two columns, safe to show."""
    latency = None if record.latency_ms is None else f"{record.latency_ms:.0f} ms"
    status = None if record.http_status is None else str(record.http_status)
    outcome_style = OUTCOME_STYLES.get(record.outcome, "")
    left = [
        ("Outcome", record.outcome, outcome_style),
        ("Started", record.started_at, ""),
        ("Finished", record.finished_at, ""),
        ("Latency", latency, ""),
        ("Username", record.username, "bold"),
        ("Profile", record.profile, ""),
        ("Region", record.region, ""),
        ("User pool", record.user_pool_id, ""),
        ("App client", record.client_id, ""),
    ]
    right = [
        ("Medium", record.medium, ""),
        ("Destination", record.destination, ""),
        ("Attribute", record.attribute, ""),
        ("Error code", record.error_code, ""),
        ("HTTP status", status, ""),
        ("Request id", record.request_id, ""),
        ("Analytics", record.analytics_endpoint_id, ""),
        ("Batch", record.batch_id, ""),
        ("Operator", record.operator, ""),
    ]
    columns = Table.grid(expand=True, padding=(0, 2))
    # width=1 is the minimum a ratio column has anyway, so the halves come out
    # the same; with it rich skips measuring every field twice (a third of
    # the detail's cost, paid on each cursor move).
    columns.add_column(ratio=1, width=1)
    columns.add_column(ratio=1, width=1)
    columns.add_row(_fields(left), _fields(right))
    title = Text(f"Attempt #{record.id}", style="bold")
    if record.may_be_simulated:
        title.append("  may be simulated: the client hides unknown users, so a delivery", "yellow")
        title.append(" does not prove a message was sent", "yellow")
    message = _fields([("Message", record.error_message, "")])
    metadata = Text("ClientMetadata", style="bold")
    if not record.client_metadata:
        metadata.append(" (none)", style="dim")
    for key, value in sorted(record.client_metadata.items()):
        metadata.append("\n  ")
        metadata.append(visible(key), style="cyan")
        metadata.append(" = ")
        metadata.append(visible(value))
    return Group(title, columns, message, metadata)


class HistoryTable(DataTable[Text]):
    """A row-cursor table of attempts that remembers the records behind its rows."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.records: list[AttemptRecord] = []

    def on_mount(self) -> None:
        """Add the fixed columns."""
        for label, width in _COLUMNS:
            self.add_column(label, width=width)

    def set_records(self, records: Iterable[AttemptRecord]) -> None:
        """Replace all rows (a new filter's first page)."""
        self.clear()
        self.records = []
        self.add_records(records)

    def add_records(self, records: Iterable[AttemptRecord]) -> None:
        """Append rows (the next page)."""
        for record in records:
            self.records.append(record)
            self.add_row(*record_row(record), key=str(record.id))

    @property
    def current(self) -> AttemptRecord | None:
        """The attempt under the cursor, if any."""
        row = self.cursor_row
        if 0 <= row < len(self.records):
            return self.records[row]
        return None

    def move_to(self, attempt_id: int) -> bool:
        """Put the cursor on the attempt with this id, if it is loaded."""
        for index, record in enumerate(self.records):
            if record.id == attempt_id:
                self.move_cursor(row=index)
                return True
        return False
