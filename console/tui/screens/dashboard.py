"""The team dashboard: the team's last 24 hours, for a team lead to read in two seconds.

From ``team_stats`` (two Queries on the ``by_day`` index, in a thread worker):
one sparkline per outcome over the 24 hours (delivered, failed, unknown), each
hour two cells wide (three on a wide terminal) over an axis of UTC hours, with
its total and its peak hour; then the top error codes, the busiest users and the busiest operators.
Fits 80x24. Usernames, operators and error codes come from the shared table,
written by other consoles: untrusted, shown through :mod:`console.tui.safe_text`.
A table that cannot be read is one line; ``r`` reads again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Sparkline, Static

from console.history import TeamStats
from console.tui.bindings import DASHBOARD_ACTIONS, ActionSpec, screen_bindings
from console.tui.safe_text import safe_content
from console.tui.styles import stylesheet
from console.tui.widgets.fitting_footer import FittingFooter
from console.tui.widgets.title_line import TitleLine

__all__ = ["CHART_ROWS", "DashboardScreen", "axis_line", "cells_per_hour", "top_block"]

LoadStats = Callable[[], TeamStats]
"""Reads the team's last 24 hours (blocking, in a worker); raises botocore's errors."""

CHART_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("delivered", ("delivered",)),
    ("failed", ("failed",)),
    ("unknown", ("unknown", "pending")),
)
"""Each chart row's label and the outcomes it counts (pending ones may still have sent)."""


def cells_per_hour(width: int) -> int:
    """How wide an hour is drawn: 2 cells at 80 columns, 3 from 110 (the totals keep room)."""
    return 3 if width >= 110 else 2


def axis_line(hours: list[str], cells: int = 2, every: int = 3) -> str:
    """The hours under the chart: ``14`` at every *every*-th hour, aligned to its *cells*."""
    line = [" "] * (len(hours) * cells)
    for n, label in enumerate(hours):
        if n % every == 0:
            line[n * cells : n * cells + 2] = list(label[-2:])
    return "".join(line)


def top_block(title: str, rows: list[tuple[str, int]], empty: str) -> Content:
    """A titled list of counts and names (names are untrusted: made visible)."""
    parts: list[str | tuple[str, str]] = [(title, "bold")]
    if not rows:
        parts.append(("\n" + empty, "$text-muted"))
    width = max((len(str(count)) for _, count in rows), default=1)
    for name, count in rows:
        parts.append((f"\n{count:>{width}} ", "bold"))
        parts.append(name or "(none)")
    return safe_content(*parts)


def _peak(counts: list[int], hours: list[str]) -> str:
    top = max(counts, default=0)
    if not top:
        return "0"
    return f"{sum(counts)} · peak {top} at {hours[counts.index(top)][-2:]}h"


class DashboardScreen(Screen[None]):
    """Outcomes per hour as sparklines, the top errors, the busiest users and operators."""

    CSS_PATH = stylesheet("dashboard.tcss")
    HELP_TITLE: ClassVar[str] = "Team dashboard"
    ACTION_SPECS: ClassVar[tuple[ActionSpec, ...]] = DASHBOARD_ACTIONS
    """Also offered by the command palette while this screen is open."""
    BINDINGS: ClassVar[list[BindingType]] = list(screen_bindings(DASHBOARD_ACTIONS))

    @dataclass
    class Loaded(Message):
        """The stats arrived from the worker (or why they could not be read)."""

        serial: int
        stats: TeamStats | None
        problem: str | None = None

    def __init__(self, load: LoadStats, *, table: str) -> None:
        """*load* reads the stats; *table* is the team table's name (from the config)."""
        super().__init__()
        self._load = load
        self._table = table
        self._serial = 0
        self.stats: TeamStats | None = None
        """What is shown (None while reading, or when the table could not be read)."""
        self.problem: str | None = None

    def compose(self) -> ComposeResult:
        """Heading, chart rows and axis, the three top lists, the footer."""
        yield TitleLine("Team dashboard", "reading the team table…", id="dash-heading")
        with Vertical(id="dash-chart"):
            for label, _ in CHART_ROWS:
                with Horizontal(classes="dash-row"):
                    yield Static(Content(label), classes="dash-label", markup=False)
                    yield Sparkline([], id=f"dash-{label}", classes=f"dash-spark -{label}")
                    yield Static(Content(""), id=f"dash-{label}-total", classes="dash-total")
            with Horizontal(classes="dash-row"):
                yield Static(Content("UTC hour"), classes="dash-label -axis", markup=False)
                yield Static(Content(""), id="dash-axis", markup=False)
        with Horizontal(id="dash-tops"):
            yield Static(Content(""), id="dash-errors", classes="dash-top", markup=False)
            yield Static(Content(""), id="dash-users", classes="dash-top", markup=False)
            yield Static(Content(""), id="dash-operators", classes="dash-top", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        """Read the stats."""
        self._read()

    def on_resize(self) -> None:
        """Draw an hour wider on a wide terminal (the axis follows)."""
        self._draw_chart()

    def _draw_chart(self) -> None:
        """The sparklines and the axis, each hour as wide as the terminal allows.

        Each hour's count is repeated once per cell: the sparkline then draws
        one value per cell, and an hour never comes out a cell narrower than
        the next (its own bucketing rounds 24 into 72 unevenly).
        """
        cells = cells_per_hour(self.size.width)
        stats = self.stats
        for label, outcomes in CHART_ROWS:
            spark = self.query_one(f"#dash-{label}", Sparkline)
            spark.styles.width = 24 * cells
            if stats is not None:
                columns = zip(*(stats.per_hour.get(o, [0] * 24) for o in outcomes), strict=True)
                spark.data = [sum(hour) for hour in columns for _ in range(cells)]
        axis = self.query_one("#dash-axis", Static)
        axis.styles.width = 24 * cells
        if stats is not None:
            axis.update(Content(axis_line(stats.hours, cells)))

    @property
    def text(self) -> str:
        """Everything shown in words (for tests): heading, totals, axis and lists."""
        ids = ["dash-heading"] + [f"dash-{label}-total" for label, _ in CHART_ROWS]
        ids += ["dash-axis", "dash-errors", "dash-users", "dash-operators"]
        return "\n".join(str(self.query_one(f"#{i}", Static).content) for i in ids)

    def _read(self) -> None:
        self._serial += 1
        serial, load = self._serial, self._load

        def work() -> None:
            try:
                stats = load()
            except Exception as exc:  # botocore's kinds: one line, the console works on
                from console.usecases import failure_reason

                reason = f"team: cannot read the team table: {failure_reason(exc)}"
                self.post_message(self.Loaded(serial, None, reason))
                return
            self.post_message(self.Loaded(serial, stats))

        self.run_worker(work, thread=True, group="dashboard", exit_on_error=False)

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        if event.serial != self._serial:
            return
        self.stats, self.problem = event.stats, event.problem
        heading = self.query_one("#dash-heading", TitleLine)
        stats = event.stats
        if stats is None:
            heading.show(safe_content((event.problem or "", "bold $text-error")))
            return
        since = _short_time(stats.since)
        count = f"{stats.total} attempt{'s' if stats.total != 1 else ''}"
        heading.show(safe_content((self._table, "bold"), f" · {count} since {since}"))
        self._draw_chart()
        for label, outcomes in CHART_ROWS:
            columns = zip(*(stats.per_hour.get(o, [0] * 24) for o in outcomes), strict=True)
            counts = [sum(hour) for hour in columns]
            total = self.query_one(f"#dash-{label}-total", Static)
            total.update(Content(_peak(counts, stats.hours)))
        for widget_id, title, rows, empty in (
            ("dash-errors", "Top error codes", stats.errors, "no errors"),
            ("dash-users", "Busiest users", stats.users, "nobody"),
            ("dash-operators", "Busiest operators", stats.operators, "nobody"),
        ):
            self.query_one(f"#{widget_id}", Static).update(top_block(title, rows, empty))

    def action_refresh(self) -> None:
        """Read the team's last 24 hours again."""
        self.query_one("#dash-heading", TitleLine).show("reading the team table again…")
        self._read()

    def action_close(self) -> None:
        """Back to the form."""
        self.dismiss(None)


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _short_time(iso: str) -> str:
    """``2026-12-04T06:00:00.000Z`` as ``4 Dec 06:00 UTC``: the heading fits 80 columns."""
    try:
        month = _MONTHS[int(iso[5:7]) - 1]
        return f"{int(iso[8:10])} {month} {iso[11:16]} UTC"
    except (ValueError, IndexError):
        return iso  # the table's own text, shown as it is (escaped by the caller)
