"""The attempt list of the history screen.

Every value shown here was read back from history and is untrusted: usernames,
profiles, error codes. Cells are built as ``rich.text.Text`` from
:func:`console.text.visible`, never as markup strings, so ``[@click=...]``
stays text and ESC or bidi overrides show as escapes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from console.history import AttemptRecord
from console.text import visible
from console.tui.widgets.scroll_bars import use_whole_cell_bars

__all__ = ["OUTCOME_STYLES", "HistoryTable", "record_row", "short_time", "text_segments"]

OUTCOME_STYLES: dict[str, str] = {
    "delivered": "bold green",
    "failed": "bold red",
    "unknown": "bold yellow",
    "pending": "dim",
}
"""How each outcome is coloured, in the table and the detail pane."""

# (label, width): fixed widths, so a 2,000-character hostile username is cut
# with an ellipsis instead of pushing every other column off the screen.
# Outcome and result (error code, or where the code went) come first: at 80
# columns they stay on screen, and the header's arrow says more scroll in.
_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Started (UTC)", 19),
    ("Outcome", 9),
    ("Result", 30),
    ("Username", 30),
    ("Profile", 14),
)
_TABLE_WIDTH = sum(width + 2 for _, width in _COLUMNS)  # a space either side of a cell


def _cell(value: str | None, style: str = "") -> Text:
    return Text(visible(value or ""), style=style, no_wrap=True, overflow="ellipsis")


def text_segments(text: Text, console: Console) -> list[Segment]:
    """*text* on one line as segments, its own style included.

    ``Text.render`` leaves out the text's base style when it has no spans;
    rich adds it while wrapping, which a line drawn by hand skips.
    """
    segments = list(text.render(console))
    if text.style and not text.spans:
        return list(Segment.apply_style(segments, console.get_style(text.style)))
    return segments


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
    """The table cells of one attempt; a team attempt's (negative id) names its operator
    where a local one names its profile."""
    return (
        _cell(short_time(record.started_at)),
        _cell(record.outcome, OUTCOME_STYLES.get(record.outcome, "")),
        _cell(_result(record)),
        _cell(record.username),
        _cell(record.operator if record.id < 0 else record.profile),
    )


class HistoryTable(ScrollView, can_focus=True):
    """A row-cursor list of attempts, drawn a line at a time.

    It looks and moves like a ``DataTable`` with a row cursor and zebra
    stripes, but a row is one pre-built strip: a DataTable renders each of a
    row's five cells through rich and re-measures the table as rows arrive,
    which made a full history's screen open 1.4-1.5x slower than an empty
    one's (issue 6, figure 4). The header stays on top while the rows scroll.
    """

    DEFAULT_CSS = """
    HistoryTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .history-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .history-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .history-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .history-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .history-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .history-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .history-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "history-table--header",
        "history-table--cursor",
        "history-table--even-row",
        "history-table--odd-row",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home", "scroll_top", "Top", show=False),
        Binding("ctrl+end", "scroll_bottom", "Bottom", show=False),
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
        Binding("home", "scroll_home", "Home", show=False),
        Binding("end", "scroll_end", "End", show=False),
    ]

    class RowHighlighted(Message):
        """The cursor moved to another row."""

        def __init__(self, table: HistoryTable, cursor_row: int) -> None:
            super().__init__()
            self.table = table
            self.cursor_row = cursor_row

        @property
        def control(self) -> HistoryTable:
            """The table, so ``@on(..., "#id")`` selectors match."""
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.records: list[AttemptRecord] = []
        self._cells: list[tuple[Text, ...]] = []
        self._cursor = 0
        # (row, attempt id, cursor, focused, width) -> the row's uncropped strip
        self._strips: LRUCache[tuple[int, int, bool, bool, int], Strip] = LRUCache(256)
        self._header: tuple[tuple[bool, int], Strip] | None = None
        self._styles: dict[tuple[str, bool], Style] = {}  # (component, focused) -> style

    def on_mount(self) -> None:
        """Show the header even before any row arrives."""
        self.virtual_size = Size(_TABLE_WIDTH, 1)
        use_whole_cell_bars(self)

    # -- content ------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """How many attempts are loaded."""
        return len(self.records)

    @property
    def cursor_row(self) -> int:
        """The index of the highlighted row (0 when there are none)."""
        return self._cursor

    def row_cells(self, row: int) -> tuple[Text, ...]:
        """The five cells of one row, as shown (values made visible, not cut)."""
        return self._cells[row]

    def set_records(self, records: Iterable[AttemptRecord]) -> None:
        """Replace all rows (a new filter's first page); the cursor goes to the top."""
        self.records = []
        self._cells = []
        self._strips.clear()
        self._header = None  # its last column names the profile, or the team's operator
        self._cursor = 0
        if self.scroll_offset:
            self.scroll_to(0, 0, animate=False)
        self.add_records(records)

    def add_records(self, records: Iterable[AttemptRecord]) -> None:
        """Append rows (the next page)."""
        for record in records:
            self.records.append(record)
            self._cells.append(record_row(record))
        self.virtual_size = Size(_TABLE_WIDTH, len(self.records) + 1)
        self.refresh()

    @property
    def current(self) -> AttemptRecord | None:
        """The attempt under the cursor, if any."""
        if 0 <= self._cursor < len(self.records):
            return self.records[self._cursor]
        return None

    def move_to(self, attempt_id: int) -> bool:
        """Put the cursor on the attempt with this id, if it is loaded."""
        for index, record in enumerate(self.records):
            if record.id == attempt_id:
                self.move_cursor(row=index)
                return True
        return False

    def move_cursor(self, *, row: int) -> None:
        """Highlight *row* (clamped to the loaded rows) and scroll it into view."""
        row = max(0, min(row, len(self.records) - 1))
        if row != self._cursor:
            self._cursor = row
            self.refresh()
            self.post_message(self.RowHighlighted(self, row))
        self._scroll_cursor_into_view()

    def _scroll_cursor_into_view(self) -> None:
        # Row r is virtual line r + 1; the header covers the top line.
        region = Region(int(self.scroll_x), self._cursor + 1, 1, 1)
        self.scroll_to_region(region, animate=False, spacing=Spacing(top=1), force=True)

    # -- keys and mouse -------------------------------------------------------

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_down(self) -> None:
        """Move the cursor one row down."""
        self.move_cursor(row=self._cursor + 1)

    def action_cursor_up(self) -> None:
        """Move the cursor one row up."""
        self.move_cursor(row=self._cursor - 1)

    def action_page_down(self) -> None:
        """Move the cursor a screen down."""
        self.move_cursor(row=self._cursor + self._page())

    def action_page_up(self) -> None:
        """Move the cursor a screen up."""
        self.move_cursor(row=self._cursor - self._page())

    def action_scroll_top(self) -> None:
        """Move the cursor to the newest attempt."""
        self.move_cursor(row=0)

    def action_scroll_bottom(self) -> None:
        """Move the cursor to the last loaded attempt."""
        self.move_cursor(row=len(self.records) - 1)

    def action_scroll_home(self) -> None:
        """Scroll to the first column (a narrow terminal shows part of a row)."""
        self.scroll_to(x=0, animate=False)

    def action_scroll_end(self) -> None:
        """Scroll to the last column."""
        self.scroll_to(x=self.max_scroll_x, animate=False)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return  # the header
        row = int(self.scroll_y) + offset.y - 1
        if row < len(self.records):
            self.move_cursor(row=row)

    def notify_style_update(self) -> None:
        """Drop the drawn rows: the theme or the focus changed their colours."""
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()
        self._header = None
        self.refresh()

    # -- drawing --------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Line *y* of the widget: the header on top, then the rows scrolled into view."""
        width = self.size.width
        base = self.rich_style
        x = int(self.scroll_x)
        if y == 0:
            return self._with_arrows(self._header_strip(width).crop_extend(x, x + width, base), x)
        row = int(self.scroll_y) + y - 1
        if row >= len(self.records):
            return Strip.blank(width, base)
        return self._row_strip(row, width).crop_extend(x, x + width, base)

    def _with_arrows(self, header: Strip, x: int) -> Strip:
        """The header with ◂ / ▸ at an edge where more columns scroll in (left, right)."""
        # The visible width: with more rows than fit, the scroll bar covers the last cells.
        width = self.scrollable_content_region.width
        style = self._component("history-table--header")
        if x + width < _TABLE_WIDTH and width > 2:
            header = Strip.join([header.crop(0, width - 2), Strip([Segment(" ▸", style)], 2)])
        if x > 0 and width > 2:
            header = Strip.join([Strip([Segment("◂ ", style)], 2), header.crop(2, width)])
        return header

    def _component(self, name: str) -> Style:
        # Looked up once per row drawn otherwise, and a third of a row's cost.
        key = (name, self.has_focus)
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = self.get_component_styles(name).rich_style
        return style

    def _header_strip(self, width: int) -> Strip:
        key = (self.has_focus, width)
        if self._header is None or self._header[0] != key:
            style = self._component("history-table--header")
            labels = tuple(Text(label) for label, _ in _COLUMNS)
            if self.records and self.records[0].id < 0:  # the team's attempts
                labels = (*labels[:-1], Text("Operator"))
            self._header = (key, self._strip(labels, style, Style.null(), width))
        return self._header[1]

    def _row_strip(self, row: int, width: int) -> Strip:
        cursor = row == self._cursor
        key = (row, self.records[row].id, cursor, self.has_focus, width)
        strip = self._strips.get(key)
        if strip is None:
            stripe = "history-table--odd-row" if row % 2 else "history-table--even-row"
            style = self._component(stripe)
            post = Style.null()
            if cursor:
                # As a DataTable draws its cursor: over the row, and its colours
                # win over a cell's own (the outcome's green or red).
                cursor_style = self.get_component_rich_style("history-table--cursor")
                style += cursor_style
                post = Style.from_color(cursor_style.color, cursor_style.bgcolor)
            strip = self._strips[key] = self._strip(self._cells[row], style, post, width)
        return strip

    def _strip(self, cells: tuple[Text, ...], style: Style, post: Style, width: int) -> Strip:
        """One row: each cell cut to its column, padded by a space each side."""
        console = self.app.console
        plain = style + post  # padding, and text without a style of its own
        segments: list[Segment] = []
        for cell, (_, column_width) in zip(cells, _COLUMNS, strict=True):
            text = cell.copy()
            text.truncate(column_width, overflow="ellipsis")
            segments.append(Segment(" ", plain))
            segments.extend(
                Segment(seg.text, style + seg.style + post if seg.style else plain)
                for seg in text_segments(text, console)
            )
            segments.append(Segment(" " * (column_width - text.cell_len + 1), plain))
        if width > _TABLE_WIDTH:  # the row's colours run to the right edge
            segments.append(Segment(" " * (width - _TABLE_WIDTH), style))
        return Strip(segments).simplify()
