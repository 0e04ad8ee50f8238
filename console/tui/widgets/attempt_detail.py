"""Every field of one attempt, for the history screen's detail pane.

The values were read back from history and are untrusted: they are built as
``rich.text.Text`` from :func:`console.text.visible`, never as markup, so
``[@click=...]`` stays text and ESC or bidi overrides show as escapes.

The fields are laid out by hand, line by line, rather than with rich tables:
the pane is redrawn on every cursor move and once when the screen opens, and
nested ``rich.table.Table`` grids measured and rendered every cell several
times (issue 6, figure 4). The layout is the one those grids gave: two halves
split as a two-column ratio grid splits them, labels 12 cells wide, a long
value folding under itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import zip_longest

from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.segment import Segment
from rich.text import Text

from console.history import AttemptRecord
from console.text import visible
from console.tui.widgets.history_table import OUTCOME_STYLES, text_segments

__all__ = ["record_detail"]

LABEL_WIDTH = 11
"""Labels take at least this many cells (the longest, "Destination"); values start one
cell after them, so a full timestamp (24 cells) fits its half at 80 columns."""
GAP = 2
"""Cells between the two halves."""

Line = list[Segment]


def _value(value: str | None, style: str = "") -> Text:
    if value is None or value == "":
        return Text("-", style="dim")
    return Text(visible(value), style=style)


class Fields:
    """Label/value pairs, one under another; a long value folds inside its own column."""

    def __init__(self, rows: Iterable[tuple[str, str | None, str]]) -> None:
        self.rows = [
            (Text(label, style="bold"), _value(value, style)) for label, value, style in rows
        ]

    def lines(self, console: Console, width: int) -> list[Line]:
        """The pairs as lines at most *width* cells wide (unpadded)."""
        label_width = max([LABEL_WIDTH, *(label.cell_len for label, _ in self.rows)])
        # A pane narrower than a label and a value: cut the labels, not the values.
        label_width = max(1, min(label_width, width - 2))
        value_width = max(1, width - label_width - 1)
        indent = Segment(" " * (label_width + 1))
        lines: list[Line] = []
        for label, value in self.rows:
            shown = label.copy()
            shown.truncate(label_width)
            head = [
                *text_segments(shown, console),
                Segment(" " * (label_width + 1 - shown.cell_len)),
            ]
            for index, part in enumerate(value.wrap(console, value_width, overflow="fold")):
                lines.append([*(head if index == 0 else [indent]), *text_segments(part, console)])
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        for line in self.lines(console, options.max_width):
            yield from line
            yield Segment.line()


class Halves:
    """Two :class:`Fields` side by side, each half folding its own long values."""

    def __init__(self, left: Fields, right: Fields) -> None:
        self.left = left
        self.right = right

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        width = options.max_width
        # As a grid of two ratio-1 columns splits it: the left half gets the
        # odd cell and ends with the gap.
        left_cell = -(-width // 2)
        left_width = max(1, left_cell - GAP)
        right_width = max(1, width - left_cell)
        left = self.left.lines(console, left_width)
        right = self.right.lines(console, right_width)
        blank: Line = []
        for left_line, right_line in zip_longest(left, right, fillvalue=blank):
            yield from left_line
            used = Segment.get_line_length(left_line)
            yield Segment(" " * (left_cell - used))
            yield from right_line
            yield Segment.line()


def record_detail(record: AttemptRecord) -> RenderableType:
    """Every field of *record*, in two columns, safe to show."""
    latency = None if record.latency_ms is None else f"{record.latency_ms:.0f} ms"
    status = None if record.http_status is None else str(record.http_status)
    outcome_style = OUTCOME_STYLES.get(record.outcome, "")
    left = Fields(
        [
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
    )
    right = Fields(
        [
            ("Medium", record.medium, ""),
            ("Destination", record.destination, ""),
            ("Attribute", record.attribute, ""),
            ("HTTP status", status, ""),
            ("Analytics", record.analytics_endpoint_id, ""),
            ("Batch", record.batch_id, ""),
            ("Operator", record.operator, ""),
        ]
    )
    title = Text(f"Attempt #{record.id}", style="bold")
    if record.id < 0:  # the team's table's (console.tui.screens.history_sources)
        title = Text("Team attempt by ", style="bold").append(visible(record.operator))
    if record.may_be_simulated:
        title.append("  may be simulated: the client hides unknown users, so a delivery", "yellow")
        title.append(" does not prove a message was sent", "yellow")
    elif record.may_be_simulated is None and record.outcome == "delivered":
        title.append("  cannot tell whether the client hides unknown users", "yellow")
    # Full width: a request id (36 cells) or an error code ("UserLambdaValidationException",
    # 29) would break mid-value in a half at 80 columns.
    message = Fields(
        [
            ("Request id", record.request_id, ""),
            ("Error code", record.error_code, ""),
            ("Message", record.error_message, ""),
        ]
    )
    metadata = Text("ClientMetadata", style="bold")
    if not record.client_metadata:
        metadata.append(" (none)", style="dim")
    for key, value in sorted(record.client_metadata.items()):
        metadata.append("\n  ")
        metadata.append(visible(key), style="cyan")
        metadata.append(" = ")
        metadata.append(visible(value))
    return Group(title, Halves(left, right), message, metadata)
