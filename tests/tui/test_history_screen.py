"""The history browser: order, paging, filters, detail, replay, export, hostile text."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from console.cognito import Delivery, ErrorInfo, Outcome, OutcomeKind
from console.history import ALL_ATTEMPTS, AttemptRecord, History, HistoryFilter
from console.text import visible
from console.tui.screens import history as history_screen
from console.tui.screens.history import ExportDialog, HistoryScreen
from console.tui.widgets.history_table import HistoryTable
from tests.data.hostile import terminal_hazards

TOTAL = 250  # two and a half pages


class Host(App[None]):
    """A bare app that opens one history screen and keeps what it dismissed with."""

    def __init__(self, history: History) -> None:
        super().__init__()
        self.history = history
        self.results: list[AttemptRecord | None] = []
        self.notes: list[tuple[str, str]] = []

    def on_mount(self) -> None:
        self.push_screen(HistoryScreen(self.history), self.results.append)

    def notify(self, message: str, **kwargs: object) -> None:  # type: ignore[override]
        self.notes.append((message, str(kwargs.get("severity", "information"))))
        super().notify(message, **kwargs)  # type: ignore[arg-type]


def outcome_for(i: int) -> Outcome:
    """A mix of outcomes: every 4th failed, every 7th (else) unknown, the rest delivered."""
    if i % 4 == 0:
        error = ErrorInfo("UserNotFoundException", "User does not exist.", 400, "m", "r")
        return Outcome(OutcomeKind.FAILED, error=error, request_id=f"req-{i}", latency_ms=40.0)
    if i % 7 == 0:
        error = ErrorInfo("ReadTimeoutError", "Read timed out.", None, "m", "r")
        return Outcome(OutcomeKind.UNKNOWN, error=error, latency_ms=5000.0)
    delivery = Delivery("EMAIL", f"u***{i}@e***.com", "email")
    return Outcome(OutcomeKind.DELIVERED, delivery=delivery, request_id=f"req-{i}", latency_ms=i)


def add_attempt(history: History, i: int, username: str, profile: str = "dev") -> int:
    attempt = history.start_attempt(
        profile=profile,
        region="eu-west-1",
        user_pool_id="eu-west-1_Pool",
        client_id="client-abc",
        username=username,
        client_metadata={"source": "helpdesk", "ticket": f"T-{i}"},
        analytics_endpoint_id=None,
    )
    history.finish_attempt(attempt, outcome_for(i))
    return attempt


def name_for(i: int) -> str:
    return f"alice{i:03d}" if i % 10 == 0 else f"user{i:03d}"


@pytest.fixture(scope="module")
def big_history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    path = tmp_path_factory.mktemp("history") / "history.sqlite3"
    history = History.open(path)
    history.operator = "helpdesk"
    # synchronous=FULL makes each commit an fsync; a test database does not need that.
    assert history._conn is not None
    history._conn.execute("PRAGMA synchronous = OFF")
    for i in range(TOTAL):
        add_attempt(history, i, name_for(i), "prod" if i % 3 == 0 else "dev")
    yield history
    history.close()


async def settle(pilot: Pilot[None]) -> None:
    """Let messages, then workers, then their result messages run."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot[None], check: Callable[[], bool], what: str) -> None:
    """Poll (with the app running) until *check* holds: debounce timers fire on their own."""
    for _ in range(200):
        await settle(pilot)
        if check():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def screen_of(app: App[None]) -> HistoryScreen:
    assert isinstance(app.screen, HistoryScreen)
    return app.screen


def table_of(app: App[None]) -> HistoryTable:
    return screen_of(app).query_one(HistoryTable)


def status_of(app: App[None]) -> str:
    from console.tui.widgets.title_line import TitleLine

    return screen_of(app).query_one("#history-status", TitleLine).status_text


def detail_of(app: App[None]) -> str:
    """The detail pane as plain text, wide enough that nothing wraps."""
    content = screen_of(app).query_one("#history-detail-text", Static).content
    console = Console(width=400, record=True, file=io.StringIO(), color_system=None)
    console.print(content)
    return console.export_text()


async def test_newest_first_then_pages_load_at_the_end(big_history: History) -> None:
    app = Host(big_history)
    async with app.run_test(size=(120, 40)) as pilot:
        # One screen (40 rows at 40 lines) first, then a whole page after it.
        first_then_page = 40 + 100
        await until(
            pilot,
            lambda: "250 matching" in status_of(app) and table_of(app).row_count == first_then_page,
            "the count and the rows after the first screen",
        )
        table = table_of(app)
        ids = [record.id for record in table.records]
        assert ids == sorted(ids, reverse=True)
        assert ids[0] == TOTAL  # the newest attempt on top
        assert f"{first_then_page} loaded" in status_of(app)
        assert "more below" in status_of(app)
        table.focus()
        await pilot.press("ctrl+end")
        await until(pilot, lambda: table.row_count == first_then_page + 100, "the next page")
        await pilot.press("ctrl+end")
        await until(pilot, lambda: table.row_count == TOTAL, "the last page")
        ids = [record.id for record in table.records]
        assert ids == list(range(TOTAL, 0, -1))  # no gap, no duplicate across pages
        assert "more below" not in status_of(app)


async def test_the_first_page_is_one_screen_and_the_rest_follows(big_history: History) -> None:
    asked: list[tuple[int | None, int]] = []
    real_query = big_history.query

    def spy(flt: HistoryFilter, *, before_id: int | None = None, limit: int = 50) -> list[Any]:
        asked.append((before_id, limit))
        return real_query(flt, before_id=before_id, limit=limit)

    app = Host(big_history)
    try:
        big_history.query = spy  # type: ignore[method-assign]
        async with app.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: len(asked) >= 2, "the rest of the page")
            # The terminal's height first, then a page below it without any scrolling.
            assert asked[:2] == [(None, 30), (TOTAL - 29, 100)]
            await until(pilot, lambda: f"Attempt #{TOTAL}" in detail_of(app), "the detail")
            assert table_of(app).row_count == 130
    finally:
        del big_history.query


async def test_nothing_counts_the_history_before_the_first_page_is_in(
    big_history: History,
) -> None:
    calls: list[str] = []
    real_query, real_count = big_history.query, big_history.count

    def slow_query(flt: HistoryFilter, **kwargs: Any) -> list[Any]:
        calls.append("query>")
        time.sleep(0.05)  # a slow disk: a count started meanwhile would hold the lock first
        try:
            return real_query(flt, **kwargs)
        finally:
            calls.append("<query")

    def count(flt: HistoryFilter = ALL_ATTEMPTS) -> int:
        calls.append("count")
        return real_count(flt)

    app = Host(big_history)
    try:
        big_history.query = slow_query  # type: ignore[method-assign]
        big_history.count = count  # type: ignore[method-assign]
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: calls.count("count") >= 2, "the counts")
            assert calls[:2] == ["query>", "<query"]
            assert "250 matching" in status_of(app)
    finally:
        del big_history.query
        del big_history.count


async def test_in_a_small_history_every_character_filters(big_history: History) -> None:
    app = Host(big_history)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: "250 matching" in status_of(app), "the count")
        await pilot.press("a", "l")
        # "a" alone may apply first on a slow machine (it also matches 25): wait for "al".
        await until(
            pilot,
            lambda: screen_of(app).filter.username == "al" and "25 matching" in status_of(app),
            "the filtered count",
        )
        assert "starts at" not in status_of(app)
        assert all("al" in record.username for record in table_of(app).records)


async def test_a_short_filter_typed_before_the_size_is_known_applies_once_it_is(
    big_history: History,
) -> None:
    # The size arrives late (a slow disk): meanwhile the operator filters by
    # profile, then types two letters of a username.
    release = threading.Event()
    real_count = big_history.count

    def slow_unfiltered_count(flt: HistoryFilter | None = None) -> int:
        flt = flt or HistoryFilter()
        if flt == HistoryFilter():
            release.wait(60)  # set by the test, or its finally
        return real_count(flt)

    async def meanwhile(pilot: Pilot[None], check: Callable[[], bool], what: str) -> None:
        # Not `until`: it waits for every worker, and one is held on purpose.
        for _ in range(500):
            await pilot.pause(0.02)
            if check():
                return
        raise AssertionError(f"timed out waiting for {what}")

    app = Host(big_history)
    try:
        big_history.count = slow_unfiltered_count  # type: ignore[method-assign]
        async with app.run_test(size=(120, 40)) as pilot:
            screen = screen_of(app)
            screen.query_one("#history-profile", Input).focus()
            await pilot.press(*"dev")
            await meanwhile(pilot, lambda: screen.filter.profile == "dev", "the profile filter")
            screen.query_one("#history-username", Input).focus()
            await pilot.press("a", "l")
            await meanwhile(pilot, lambda: "starts at 3 characters" in status_of(app), "the hint")

            release.set()  # 250 attempts: a small history, short filters apply
            await until(pilot, lambda: screen.filter.username == "al", "the short filter")
            await until(pilot, lambda: "starts at" not in status_of(app), "the hint gone")
            records = table_of(app).records
            assert records
            assert all("al" in r.username and r.profile == "dev" for r in records)
    finally:
        release.set()
        del big_history.count


async def test_short_username_filters_wait_for_three_characters_in_a_big_history(
    big_history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 250 rows stand in for a million: over the limit, short filters would scan.
    monkeypatch.setattr(history_screen, "SHORT_FILTER_MAX_ROWS", 100)
    app = Host(big_history)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: "250 matching" in status_of(app), "the count")
        screen = screen_of(app)
        await pilot.press("a", "l")
        await until(pilot, lambda: "starts at 3 characters" in status_of(app), "the hint")
        # Not applied, and said so: the whole list stays.
        assert screen.filter.username is None
        assert "250 matching" in status_of(app)
        await pilot.press("i")
        await until(pilot, lambda: screen.filter.username == "ali", "the username filter")
        await until(pilot, lambda: "25 matching" in status_of(app), "the filtered count")
        assert "starts at 3 characters" not in status_of(app)
        assert all("ali" in record.username for record in table_of(app).records)
        await pilot.press("backspace")  # back to two: the filter comes off again
        await until(pilot, lambda: screen.filter.username is None, "the filter removed")
        await until(pilot, lambda: "250 matching" in status_of(app), "the whole list")
        assert "starts at 3 characters" in status_of(app)


async def test_filters_by_username_profile_and_outcome(big_history: History) -> None:
    app = Host(big_history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        await pilot.press(*"alice")  # the username field has focus on opening
        await until(pilot, lambda: screen.filter.username == "alice", "the username filter")
        names = [record.username for record in table_of(app).records]
        assert len(names) == TOTAL // 10
        assert all("alice" in name for name in names)
        assert "25 matching" in status_of(app)

        screen.query_one("#history-profile", Input).focus()
        await pilot.press(*"prod")
        await until(pilot, lambda: screen.filter.profile == "prod", "the profile filter")
        expected = [i + 1 for i in range(TOTAL) if i % 10 == 0 and i % 3 == 0]
        assert [record.id for record in table_of(app).records] == sorted(expected, reverse=True)

        await pilot.press("ctrl+o")  # any -> delivered
        await until(pilot, lambda: screen.filter.outcome == "delivered", "the outcome filter")
        records = table_of(app).records
        assert records
        assert all(r.outcome == "delivered" and r.profile == "prod" for r in records)

        screen.query_one("#history-outcome", Select).value = "failed"
        await until(pilot, lambda: screen.filter.outcome == "failed", "the failed filter")
        assert all(r.outcome == "failed" for r in table_of(app).records)


async def test_detail_follows_the_cursor(big_history: History) -> None:
    app = Host(big_history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        detail = detail_of(app)
        assert f"Attempt #{TOTAL}" in detail  # i = 249: delivered
        assert "u***249@e***.com" in detail
        assert "req-249" in detail
        assert "249 ms" in detail
        assert "helpdesk" in detail
        assert "ticket = T-249" in detail
        await pilot.press("down")  # moves the list's cursor from the filter field
        await settle(pilot)
        detail = detail_of(app)
        assert f"Attempt #{TOTAL - 1}" in detail  # i = 248: failed
        assert "UserNotFoundException" in detail
        assert "User does not exist." in detail
        assert "400" in detail


def table_lines(app: App[None]) -> list[str]:
    """The list as drawn, line by line: the header, then the rows in view."""
    table = table_of(app)
    return [table.render_line(y).text for y in range(table.scrollable_content_region.height)]


async def focus_the_list(pilot: Pilot[None]) -> HistoryTable:
    """Wait for the first page, then move the focus from the filter to the list."""
    await settle(pilot)
    table = table_of(pilot.app)
    table.focus()
    await pilot.pause()
    return table


async def test_the_list_moves_like_a_table_with_its_header_on_top(big_history: History) -> None:
    app = Host(big_history)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await focus_the_list(pilot)
        lines = table_lines(app)
        assert lines[0].split() == ["Started", "(UTC)", "Outcome", "Result", "Username", "Profile"]
        assert name_for(TOTAL - 1) in lines[1]  # the newest attempt first
        page = table.scrollable_content_region.height - 1  # rows under the header
        await pilot.press("pagedown")
        await settle(pilot)
        assert table.cursor_row == page
        assert f"Attempt #{TOTAL - page}" in detail_of(app)
        await pilot.press("pagedown", "pagedown")
        await settle(pilot)
        lines = table_lines(app)
        assert table.scroll_y > 0
        assert lines[0].split()[:2] == ["Started", "(UTC)"]  # still on top
        cursor_name = name_for(TOTAL - 1 - table.cursor_row)
        assert any(cursor_name in line for line in lines[1:])  # the cursor row is in view
        await pilot.press("ctrl+home")
        await settle(pilot)
        assert table.cursor_row == 0
        assert table.scroll_y == 0
        await pilot.press("up")  # already at the top: nothing moves
        await settle(pilot)
        assert table.cursor_row == 0
        assert f"Attempt #{TOTAL}" in detail_of(app)


async def test_a_click_picks_a_row_and_the_header_picks_nothing(big_history: History) -> None:
    app = Host(big_history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.click("#history-table", offset=(30, 3))  # the third row
        await settle(pilot)
        assert table_of(app).cursor_row == 2
        assert f"Attempt #{TOTAL - 2}" in detail_of(app)
        await pilot.click("#history-table", offset=(30, 0))  # the header
        await settle(pilot)
        assert table_of(app).cursor_row == 2


async def test_a_narrow_terminal_scrolls_the_list_sideways(big_history: History) -> None:
    app = Host(big_history)
    async with app.run_test(size=(80, 30)) as pilot:
        await focus_the_list(pilot)
        header = table_lines(app)[0]
        # Outcome and result stay on screen; the arrow says more columns scroll in.
        assert "Outcome" in header and "Result" in header
        assert "Profile" not in header
        assert header.rstrip().endswith("▸")
        assert "EMAIL u***249@e***.com" in table_lines(app)[1]
        await pilot.press("end")
        await pilot.pause()
        lines = table_lines(app)
        assert "Profile" in lines[0]
        assert lines[0].startswith("◂")
        await pilot.press("home")
        await pilot.pause()
        assert table_lines(app)[0].split()[:2] == ["Started", "(UTC)"]


async def test_the_arrow_is_not_under_the_scroll_bar_at_80x24(big_history: History) -> None:
    from tests.tui.test_small_details import lines_of

    app = Host(big_history)
    async with app.run_test(size=(80, 24)) as pilot:
        await focus_the_list(pilot)
        table = table_of(app)
        assert table.max_scroll_y > 0  # more rows than fit: a scroll bar on the right
        region = table.region
        header = lines_of(app)[region.y][region.x : region.right]  # as painted
        assert header[: table.scrollable_content_region.width].rstrip().endswith("▸"), header


async def test_each_outcome_shows_in_its_colour(big_history: History) -> None:
    app = Host(big_history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = table_of(app)

        def style_of(word: str) -> Any:
            for y in range(2, table.size.height):  # below the header and the cursor row
                for segment in table.render_line(y):
                    if segment.text.strip() == word:
                        return segment.style
            raise AssertionError(f"no {word!r} cell on screen")

        for word, colour in (("delivered", "green"), ("failed", "red"), ("unknown", "yellow")):
            style = style_of(word)
            assert style.bold
            assert style.color is not None and style.color.name == colour

        def header_background() -> Any:
            return next(iter(table.render_line(0))).style.bgcolor

        dark = header_background()
        app.theme = "textual-light"
        await pilot.pause()
        assert header_background() != dark  # a new theme redraws the rows, not cached ones


async def test_enter_dismisses_with_the_record_and_escape_with_none(big_history: History) -> None:
    app = Host(big_history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert len(app.results) == 1
        record = app.results[0]
        assert record is not None
        assert record.id == TOTAL - 2
        assert record.client_metadata == {"source": "helpdesk", "ticket": f"T-{TOTAL - 3}"}

        app.push_screen(HistoryScreen(big_history), app.results.append)
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.results[1:] == [None]


async def test_export_writes_csv_and_json_with_the_current_filter(
    big_history: History, tmp_path: Path
) -> None:
    app = Host(big_history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        screen.query_one("#history-outcome", Select).value = "failed"
        await until(pilot, lambda: screen.filter.outcome == "failed", "the failed filter")
        expected = [i + 1 for i in range(TOTAL) if i % 4 == 0]

        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path_input = dialog.query_one("#export-path", Input)
        assert path_input.value.startswith("~/cognito-console-history-")
        assert path_input.value.endswith(".csv")
        path_input.value = str(tmp_path / "out.csv")
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.notes), "the export notification")
        target = tmp_path / "out.csv"
        assert app.notes[-1] == (f"Exported {len(expected)} attempts to {target}", "information")
        with target.open(newline="", encoding="utf-8") as stream:
            rows = list(csv.DictReader(stream))
        assert [int(row["id"]) for row in rows] == sorted(expected, reverse=True)
        assert {row["outcome"] for row in rows} == {"failed"}
        assert stat.S_IMODE(target.stat().st_mode) == 0o600

        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-path", Input).value = str(tmp_path / "out.csv")
        dialog.query_one("#export-format", Select).value = "json"
        await pilot.pause()  # the suffix follows the format
        assert dialog.query_one("#export-path", Input).value == str(tmp_path / "out.json")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: len(app.notes) == 2, "the second notification")
        data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
        assert [row["id"] for row in data] == sorted(expected, reverse=True)
        assert stat.S_IMODE((tmp_path / "out.json").stat().st_mode) == 0o600


async def test_export_failure_is_one_line(big_history: History, tmp_path: Path) -> None:
    app = Host(big_history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "missing" / "x.csv")
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.notes), "the error notification")
        message, severity = app.notes[-1]
        assert severity == "error"
        assert message.startswith("history not exported")
        assert "\n" not in message
        assert isinstance(app.screen, HistoryScreen)  # still browsing


async def test_refresh_shows_new_attempts_and_keeps_the_row(tmp_path: Path) -> None:
    history = History.open(tmp_path / "r.sqlite3")
    for i in range(3):
        add_attempt(history, i + 1, name_for(i + 1))
    app = Host(history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert table_of(app).current is not None
        assert table_of(app).current.id == 2
        newest = add_attempt(history, 9, "zed")  # made elsewhere (another window, the CLI)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: table_of(app).row_count == 4, "the refreshed list")
        assert table_of(app).records[0].id == newest
        assert table_of(app).current is not None
        assert table_of(app).current.id == 2  # the operator's place is kept
        assert "4 matching" in status_of(app)

        screen_of(app).query_one("#history-outcome", Select).focus()
        await pilot.press("enter")  # opens the outcome list; does not pick a row
        await pilot.pause()
        assert app.results == []
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("down", "down", "enter")  # moves in the open list, not the rows
        await settle(pilot)
        assert screen_of(app).query_one("#history-outcome", Select).value == "failed"
        assert app.results == []
    history.close()


async def test_down_then_enter_typed_at_once_picks_the_row_below(big_history: History) -> None:
    app = Host(big_history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # Both keys in one read, as from a fast typist or a paste: a plain
        # "down" binding would run only after the priority Enter had picked.
        app.post_message(events.Key("down", None))
        app.post_message(events.Key("enter", "\r"))
        await settle(pilot)
        assert [record.id for record in app.results if record] == [TOTAL - 1]


async def test_a_failing_history_is_one_status_line(tmp_path: Path) -> None:
    history = History.open(tmp_path / "c.sqlite3")
    history.close()  # every query now raises HistoryError
    app = Host(history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert status_of(app) == "history not read: the history is closed"
        assert app.is_running


HOSTILE = ["[@click=app.quit]x[/]", "[/oops]", "evil\x1b[2Jname", "bidi\u202eexe.txt"]


async def test_hostile_values_show_literally(tmp_path: Path) -> None:
    history = History.open(tmp_path / "h.sqlite3")
    for i, name in enumerate(HOSTILE):
        attempt = history.start_attempt(
            profile="[b]prof[/b]",
            region="eu-west-1",
            user_pool_id="eu-west-1_Pool",
            client_id="client-abc",
            username=name,
            client_metadata={"[/oops]": "\x1b]52;c;aGk=\x07"},
            analytics_endpoint_id="[@click=app.screenshot]a[/]",
        )
        error = ErrorInfo("Code[/x]", f"bad {name}", 400, "m", "r")
        history.finish_attempt(attempt, Outcome(OutcomeKind.FAILED, error=error, latency_ms=i))
    app = Host(history)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = table_of(app)
        shown = [table.row_cells(row)[3].plain for row in range(table.row_count)]
        assert shown == [visible(name) for name in reversed(HOSTILE)]
        assert "bidi\\u202eexe.txt" in shown
        detail = detail_of(app)
        assert "[@click=app.screenshot]a[/]" in detail
        assert "[/oops] = \\x1b]52;c;aGk=\\x07" in detail
        assert terminal_hazards(detail) == []
        for _ in HOSTILE:
            await pilot.press("down")
        await settle(pilot)
        assert "[@click=app.quit]x[/]" in detail_of(app)
        await pilot.press("ctrl+f", *"[/oops]")  # a hostile filter is just text too
        await until(pilot, lambda: screen_of(app).filter.username == "[/oops]", "the filter")
        assert [r.username for r in table_of(app).records] == ["[/oops]"]
        assert app.is_running
    history.close()


def test_history_snapshot(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    _history_snapshot(snap_compare, tmp_path, (120, 40))


def test_history_snapshot_80x24(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    """At 80x24 the outcome and result columns stay; the arrow says more scroll in."""
    _history_snapshot(snap_compare, tmp_path, (80, 24))


def _history_snapshot(
    snap_compare: Callable[..., bool], tmp_path: Path, size: tuple[int, int]
) -> None:
    path = tmp_path / "snap.sqlite3"
    history = History.open(path)
    history.operator = "helpdesk"
    for i, name in enumerate(["alice", "bob", "[@click=app.quit]carol[/]", "dave\u202e", "erin"]):
        add_attempt(history, i + 4, name, "prod" if i % 2 else "dev")
    # Fixed times: the API stamps "now", so rewrite them for a stable picture.
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE attempts SET started_at = printf('2025-01-31T09:%02d:00.000Z', id),"
            " finished_at = printf('2025-01-31T09:%02d:01.250Z', id)"
        )
    app = Host(history)

    async def loaded(pilot: Pilot[None]) -> None:
        await settle(pilot)
        # A blinking cursor is on or off depending on when the frame is taken.
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=size, run_before=loaded)
    finally:
        history.close()
