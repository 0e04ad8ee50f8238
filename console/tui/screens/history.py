"""The history browser: past attempts, filtered as you type, newest first.

A big history opens quickly: the first page is one screen of rows, and the
rest of a page follows after that first frame. Further rows come a page at a
time by keyset pagination (``before_id``) as the cursor nears the end. Every
query runs in a thread worker that posts its result back as a message; worker
threads never touch widgets. Each result carries the *generation* of the
filter it was asked for, so an answer to an older filter is dropped.

The filters are a widget (:class:`~console.tui.widgets.history_filters.HistoryFilterBar`,
which debounces typing). In a history of more than :data:`SHORT_FILTER_MAX_ROWS`
attempts the username filter applies from :data:`MIN_INDEXED_CHARS`
characters, and the status line says so while fewer are typed: shorter
substrings cannot use the trigram index, and one that matches nothing
scanned a million rows for 0.2 s on every pause in typing. A smaller history
is scanned at once, so there every character filters.

Enter dismisses the screen with the highlighted :class:`AttemptRecord` (the
app puts it back into the form without sending); Escape dismisses with None.
With a ``[team]`` table, ctrl+t shows the team's history instead, and back:
its pages are read from DynamoDB as the cursor nears the end
(:mod:`~console.tui.screens.history_sources`); without, it says team mode is off.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Select, Static

from console.history import MIN_INDEXED_CHARS, AttemptRecord, History, HistoryFilter
from console.tui.screens.history_export import (
    ExportChoice,
    ExportDialog,
    default_export_path,
    export_matching,
)
from console.tui.screens.history_sources import (
    CountLoaded,
    HistorySource,
    LoadFailed,
    LocalSource,
    PageLoaded,
    TotalCounted,
)
from console.tui.styles import stylesheet
from console.tui.widgets.attempt_detail import record_detail
from console.tui.widgets.fitting_footer import FittingFooter
from console.tui.widgets.history_filters import HistoryFilterBar
from console.tui.widgets.history_table import HistoryTable
from console.tui.widgets.title_line import TitleLine

__all__ = ["ExportChoice", "ExportDialog", "HistoryScreen", "default_export_path"]

PAGE_SIZE = 100
MIN_FIRST_PAGE = 10
"""The first page is one screen tall (the terminal's height, at least this):
adding 100 rows, most of them below the screen, before the first frame made a
big history open twice as slowly as an empty one."""
SHORT_FILTER_MAX_ROWS = 100_000
"""Up to this many attempts a 1-2 character filter (a scan) answers in ~20 ms."""
PREFETCH_ROWS = 25  # fetch the next page when the cursor is this close to the last loaded row


class HistoryScreen(Screen[AttemptRecord | None]):
    """Browse, filter and export past attempts; pick one to put back into the form."""

    CSS_PATH = stylesheet("history.tcss")
    HELP_TITLE: ClassVar[str] = "History"
    BINDINGS: ClassVar[list[BindingType]] = [
        # priority: Enter picks the highlighted row even while typing a filter
        # (type, arrow, Enter); action_replay steps aside for a Select.
        Binding("enter", "replay", "Put in form", id="history-replay", priority=True),
        Binding("escape", "close", "Back", id="history-close"),
        Binding("ctrl+s", "export", "Export", id="history-export"),
        Binding("ctrl+r", "refresh", "Refresh", id="history-refresh"),
        Binding("ctrl+f", "focus_filter", "Filter", id="history-filter"),
        Binding("ctrl+o", "cycle_outcome", "Outcome", id="history-outcome"),
        Binding("ctrl+t", "toggle_team", "Team/local", id="history-team", show=False),
        # Moving the list's cursor from the filter fields, so a filter never has to be left
        # to pick a row; action_cursor steps aside for a Select. priority, like Enter: a
        # priority binding runs as the key reaches the app, a plain one only once the focused
        # field has passed the key on, so "down" then "enter" typed fast would pick the row above.
        Binding(
            "down", "cursor('cursor_down')", "Next", show=False, id="history-next", priority=True
        ),
        Binding(
            "up",
            "cursor('cursor_up')",
            "Previous",
            show=False,
            id="history-previous",
            priority=True,
        ),
        Binding(
            "pagedown",
            "cursor('page_down')",
            "Page down",
            show=False,
            id="history-page-down",
            priority=True,
        ),
        Binding(
            "pageup",
            "cursor('page_up')",
            "Page up",
            show=False,
            id="history-page-up",
            priority=True,
        ),
    ]

    def __init__(
        self,
        history: History,
        *,
        profiles: tuple[str, ...] = (),
        team: HistorySource | str | None = None,
    ) -> None:
        """*profiles*: the configured profile names, offered as completions; *team*: the
        team's table to toggle to, or why there is none (ctrl+t says it)."""
        super().__init__()
        self._history = history
        self._profiles = profiles
        self._local: HistorySource = LocalSource(history)
        self._source: HistorySource = self._local
        self._team = None if isinstance(team, str) else team
        self._team_off = team if isinstance(team, str) else None
        self.sub_title = "local history"
        self._next: object | None = None  # where the next page starts
        self._filter = HistoryFilter()
        self._generation = 0
        self._count: int | None = None
        self._total: int | None = None  # every attempt, counted once: decides short filters
        self._total_asked = False
        self._has_more = False
        self._loading_more = False
        self._error: str | None = None
        self._keep_id: int | None = None  # the row to return to after a refresh

    @property
    def filter(self) -> HistoryFilter:
        """The filter the list currently shows."""
        return self._filter

    def compose(self) -> ComposeResult:
        """The title and counts, the filters, then the list and the highlighted attempt."""
        yield TitleLine(self.HELP_TITLE, id="history-status")
        yield HistoryFilterBar(profiles=self._profiles, id="history-filters")
        with Vertical(id="history-body"):
            yield HistoryTable(id="history-table")
            with VerticalScroll(id="history-detail"):
                yield Static("", id="history-detail-text")
        yield FittingFooter()

    @property
    def _filters(self) -> HistoryFilterBar:
        return self.query_one(HistoryFilterBar)

    def on_mount(self) -> None:
        """Load the first page; start in the username filter."""
        self._filters.focus_username()
        self._reload()

    def _count_total(self) -> None:
        """Count every attempt apart from any filter: it decides whether short filters apply.

        Asked once the first page is in: both hold the history's lock, and a
        count of a million attempts ahead of the page kept the list empty for
        its whole length.
        """
        self._total_asked = True
        history = self._history

        def work() -> None:
            try:
                self.post_message(TotalCounted(history.count()))
            except Exception:  # unknown size: short filters wait, as in a big history
                return

        self.run_worker(work, thread=True, group="history-total", exit_on_error=False)

    # -- loading ----------------------------------------------------------

    def _username_too_short(self) -> bool:
        if self._source.team:
            return False  # DynamoDB filters on the server: any length
        if self._total is not None and self._total <= SHORT_FILTER_MAX_ROWS:
            return False  # short filters scan fast
        return 0 < len(self._filters.username) < MIN_INDEXED_CHARS

    def _read_filter(self) -> HistoryFilter:
        # A username too short is not applied: the status line says why.
        return self._filters.read(with_username=not self._username_too_short())

    def _reload(self) -> None:
        """Query the first page and the count for the filter in the widgets."""
        self._filters.settle()
        self._filter = self._read_filter()
        self._generation += 1
        self._count = None
        self._has_more = False
        self._loading_more = False
        self._error = None
        self._show_status()
        # A refresh keeps its row, which may be deep in the page: fetch it whole.
        limit = PAGE_SIZE if self._keep_id is not None else self._first_page_size()
        self._fetch(after=None, limit=limit)

    def _first_page_size(self) -> int:
        return min(PAGE_SIZE, max(MIN_FIRST_PAGE, self.app.size.height))

    def _load_more(self) -> None:
        table = self.query_one(HistoryTable)
        if self._has_more and not self._loading_more and table.records:
            self._loading_more = True
            self._fetch(after=self._next, limit=PAGE_SIZE)

    def _fetch(self, after: object | None, limit: int) -> None:
        """Query one page in a thread (and the count, for a first page)."""
        generation, flt, source = self._generation, self._filter, self._source
        first = after is None

        def work() -> None:
            try:
                page = source.page(flt, after, limit)
                self.post_message(PageLoaded(generation, first, page.records, page.next))
                count = source.count(flt) if first else None
                if count is not None:  # after the page: the list shows before the count
                    self.post_message(CountLoaded(generation, count))
            except Exception as exc:  # a worker must not take the app down
                self.post_message(LoadFailed(generation, source.failure(exc)))

        self.run_worker(work, thread=True, group="history-query", exit_on_error=False)

    @on(PageLoaded)
    def _page_loaded(self, event: PageLoaded) -> None:
        if event.generation != self._generation:
            return  # an answer to a filter that has since changed
        table = self.query_one(HistoryTable)
        if event.first:
            table.set_records(event.records)
            if self._keep_id is not None:
                table.move_to(self._keep_id)
                self._keep_id = None
        else:
            table.add_records(event.records)
            self._loading_more = False
        self._has_more, self._next = event.next is not None, event.next
        self._show_status()
        self._show_detail()
        if event.first:
            # The rest of a page after this frame, whatever the cursor ("more
            # below" fills in): adding rows makes the table redraw every row.
            self.call_after_refresh(self._load_more)
            if not self._total_asked:
                self._count_total()
        elif table.row_count and table.cursor_row >= table.row_count - PREFETCH_ROWS:
            self._load_more()  # a short screen of results, or the cursor already near the end

    @on(CountLoaded)
    def _count_loaded(self, event: CountLoaded) -> None:
        if event.generation != self._generation:
            return
        self._count = event.count
        self._show_status()

    @on(TotalCounted)
    def _total_counted(self, event: TotalCounted) -> None:
        self._total = event.total
        if self._read_filter() != self._filter:
            self._reload()  # a short filter typed before the size was known
        else:
            self._show_status()

    @on(LoadFailed)
    def _load_failed(self, event: LoadFailed) -> None:
        if event.generation == self._generation:
            self._error = event.reason
            self._loading_more = False
            self._show_status()

    def _show_status(self) -> None:
        if self._error is not None:
            status = Text(self._error, style="bold red")
        else:
            loaded = len(self.query_one(HistoryTable).records)
            count = "counting…" if self._count is None else f"{self._count:,} matching"
            if self._source.team:
                count = "team history, newest first"
            elif self._team is not None:
                count = f"local history · {count}"
            status = Text(f"{count} · {loaded:,} loaded")
            if self._has_more:
                status.append(" · more below", style="dim")
            if self._team is not None:
                status.append(f" · ctrl+t: {'local' if self._source.team else 'team'}", "dim")
            if self._username_too_short():
                status.append(
                    f" · the username filter starts at {MIN_INDEXED_CHARS} characters",
                    style="bold yellow",
                )
        self.query_one("#history-status", TitleLine).show(status)

    def _show_detail(self) -> None:
        record = self.query_one(HistoryTable).current
        none = Text("No attempt matches.", style="dim")
        self.query_one("#history-detail-text", Static).update(
            none if record is None else record_detail(record)
        )

    # -- events -----------------------------------------------------------

    @on(HistoryTable.RowHighlighted, "#history-table")
    def _row_highlighted(self, event: HistoryTable.RowHighlighted) -> None:
        self._show_detail()
        if event.cursor_row >= event.table.row_count - PREFETCH_ROWS:
            self._load_more()

    @on(HistoryFilterBar.Settled)
    def _filter_settled(self) -> None:
        self._filters.settle()
        if self._read_filter() == self._filter and self._error is None:
            # "" -> "a" -> "al": the same list; keep it and the operator's place.
            self._show_status()
            return
        self._reload()

    @on(Select.Changed, "#history-outcome")
    def _outcome_changed(self) -> None:
        self._reload()

    # -- actions ----------------------------------------------------------

    def action_replay(self) -> None:
        """Dismiss with the highlighted attempt, for the form to take it."""
        if self._select_focused():
            raise SkipAction()  # Enter opens (or picks in) the outcome list
        record = self.query_one(HistoryTable).current
        if record is None:
            self.notify("No attempt selected.", severity="warning", markup=False)
            return
        self.dismiss(record)

    def _select_focused(self) -> bool:
        focused = self.focused
        return focused is not None and any(
            isinstance(node, Select) for node in focused.ancestors_with_self
        )

    def action_close(self) -> None:
        """Go back without picking anything."""
        self.dismiss(None)

    def action_refresh(self) -> None:
        """Query again (attempts made since opening), keeping the highlighted row."""
        current = self.query_one(HistoryTable).current
        self._keep_id = current.id if current is not None else None
        self._reload()

    def action_focus_filter(self) -> None:
        """Jump to the username filter."""
        self._filters.focus_username()

    def action_cycle_outcome(self) -> None:
        """Step the outcome filter: any, delivered, failed, unknown, pending, any."""
        self._filters.cycle_outcome()

    def action_cursor(self, table_action: str) -> None:
        """Run one of the list's cursor actions while focus stays in a filter field."""
        if self._select_focused():
            raise SkipAction()  # the keys move through the outcome list instead
        getattr(self.query_one(HistoryTable), f"action_{table_action}")()

    def action_toggle_team(self) -> None:
        """Show the team's history instead of the local one, or back."""
        if self._team is None:
            self.notify(self._team_off or "team mode is off", severity="warning", markup=False)
            return
        self._source = self._team if self._source is self._local else self._local
        self.sub_title = "team history" if self._source.team else "local history"
        self._keep_id = None
        self._reload()

    def action_export(self) -> None:
        """Ask for a format and file, then write the matching attempts there."""
        if self._source.team:
            hint = "the team's history: cognito-console history export --team (same filters)"
            self.notify(hint, markup=False)
            return
        if self._filters.unsettled:
            self._reload()  # a filter still waiting out its debounce: export what is typed
        export_matching(self, self._history, self._filter, self._count)
