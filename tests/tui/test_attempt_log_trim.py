"""The attempt log keeps only its newest entries on screen, and says where the rest are."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from console.tui.log_entries import EntryKind, LogEntry
from console.tui.widgets import attempt_log
from console.tui.widgets.attempt_log import AttemptLog


class LogApp(App[None]):
    def compose(self) -> ComposeResult:
        yield AttemptLog(id="log")


def _entry(n: int) -> LogEntry:
    return LogEntry(EntryKind.DELIVERED, "09:00:00", f"sandbox · user{n}", (("", f"#{n}"),))


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    # The real cap is a hundred; the rule is the same at ten.
    monkeypatch.setattr(attempt_log, "MAX_ENTRIES", 10)
    monkeypatch.setattr(attempt_log, "DROP_BATCH", 3)


async def test_under_the_cap_nothing_is_dropped_and_there_is_no_note() -> None:
    app = LogApp()
    async with app.run_test() as pilot:
        log = app.query_one(AttemptLog)
        for n in range(5):
            log.add_entry(_entry(n))
        await pilot.pause()
        assert log.dropped == 0
        assert log.option_count == 5
        assert log.selected_entry() == log.entries[-1]


@pytest.mark.usefixtures("small_cap")
async def test_the_oldest_entries_go_and_a_note_points_to_the_history() -> None:
    app = LogApp()
    async with app.run_test() as pilot:
        log = app.query_one(AttemptLog)
        for n in range(11):
            log.add_entry(_entry(n))
        await pilot.pause()
        # Over 10: back down to 10 - 3, the oldest gone.
        assert [e.headline for e in log.entries] == [f"sandbox · user{n}" for n in range(4, 11)]
        assert log.dropped == 4
        note = log.get_option_at_index(0)
        assert note.disabled
        assert str(note.prompt) == (
            "· 4 older entries no longer shown here; every attempt is in the history (F3)"
        )
        assert log.option_count == len(log.entries) + 1
        # The newest is highlighted, and what is highlighted is what gets copied.
        assert log.selected_entry() == log.entries[-1]
        assert "user10" in log.selected_entry().plain()  # type: ignore[union-attr]

        for n in range(11, 15):
            log.add_entry(_entry(n))
        await pilot.pause()
        assert log.dropped == 8
        assert "· 8 older entries" in str(log.get_option_at_index(0).prompt)
        assert log.entries[0].headline == "sandbox · user8"
        assert log.option_count == len(log.entries) + 1


@pytest.mark.usefixtures("small_cap")
async def test_the_cursor_skips_the_note_and_copy_follows_the_cursor() -> None:
    app = LogApp()
    async with app.run_test() as pilot:
        log = app.query_one(AttemptLog)
        for n in range(12):
            log.add_entry(_entry(n))
        log.focus()
        await pilot.press("home")
        assert log.highlighted == 1  # the first entry, not the note above it
        assert log.selected_entry() == log.entries[0]
        await pilot.press("down")
        assert log.selected_entry() == log.entries[1]
        await pilot.press("up")
        assert log.selected_entry() == log.entries[0]
        await pilot.press("end")
        assert log.selected_entry() == log.entries[-1]
        # The note itself highlighted (a click can do it): copy takes the newest.
        log.highlighted = 0
        assert log.selected_entry() == log.entries[-1]
        assert "user11" in log.plain_text().splitlines()[-2]


async def test_rendered_entries_are_cached_only_up_to_a_bound() -> None:
    # Cached renders cost more than the entries themselves; OptionList keeps 2,048.
    app = LogApp()
    async with app.run_test(size=(120, 40)) as pilot:
        log = app.query_one(AttemptLog)
        for n in range(attempt_log.RENDER_CACHE_SIZE + 40):
            log.add_entry(_entry(n))
            await pilot.pause()
        cache = log._option_render_cache
        assert cache.maxsize == attempt_log.RENDER_CACHE_SIZE
        assert len(cache) <= attempt_log.RENDER_CACHE_SIZE
