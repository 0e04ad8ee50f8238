"""Every screen says what it is: a full screen on its top line, a dialog on its frame.

Each screen is opened as the operator opens it (its key from the main screen)
and its title is read from the painted screen, not from the code: a title
that is set but pushed off the top, or overwritten by a status, fails here.
:func:`test_every_screen_has_a_title_case` fails when a screen class is added
to console/tui/screens without one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.tui.conftest import ready, send_and_wait, wait_until
from tests.tui.test_hostile_screens import _screen_classes

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from console.tui.app import ConsoleApp

TITLES = {
    "MainScreen": "sandbox",  # the profile bar: the profile is the main screen's subject
    "HistoryScreen": "History · ",
    "OutboxScreen": "Sandbox outbox · ",
    "LookupScreen": "User lookup · profile sandbox · pool",
    "BatchScreen": "Batch resend · profile sandbox · client",
    "DoctorScreen": "Delivery doctor · t-",
    "PoolFactsScreen": "╭─ Pool facts ─",
}
"""Full screens: what their top line starts with (after its one-cell margin)."""

DIALOG_TITLES = {
    "HelpScreen": ("#help-body", " Keys "),
    "ConfirmScreen": ("#confirm-dialog", " Send again? "),
    "StartConfirmScreen": ("#confirm-dialog", " Start the batch? "),
    "ExportDialog": ("#export-dialog", "Export 1 matching attempts"),
}
"""Dialogs: their frame, and the title on its first lines."""


def lines_of(app: ConsoleApp) -> list[str]:
    """The current screen as painted, one string per row."""
    update = app.screen._compositor.render_update(full=True)
    return ["".join(strip.text for strip in line) for line in update.strips]


def top_line(app: ConsoleApp) -> str:
    return lines_of(app)[0].strip()


def dialog_top(app: ConsoleApp, frame: str) -> str:
    region = app.screen.query_one(frame).region
    rows = lines_of(app)[region.y : region.y + 3]
    return "\n".join(row[region.x : region.right] for row in rows)


TITLES_ELSEWHERE = {
    "DashboardScreen": "test_team_dashboard.py::test_the_dashboard_shows_the_teams_day",
    "BatchConfirmScreen": "test_batch_team.py::test_the_question_names_the_users_at_the_limit_"
    "and_offers_force",
}
"""Screens that need a [team] table to open: their painted title is checked there."""


def test_every_screen_has_a_title_case() -> None:
    covered = set(TITLES) | set(DIALOG_TITLES) | set(TITLES_ELSEWHERE)
    missing = _screen_classes() - covered
    assert not missing, f"no title check for: {sorted(missing)}; add one above"


async def test_every_screen_opens_with_its_title(
    make_app: Callable[..., ConsoleApp], tui_user: Callable[..., str], tmp_path: Any
) -> None:
    from console.tui.screens.batch import BatchScreen
    from console.tui.screens.history import HistoryScreen

    users = tmp_path / "users.txt"
    users.write_text("nobody-here\n", encoding="utf-8")
    user = tui_user()
    app = make_app()
    seen: dict[str, str] = {}

    async def open_full(pilot: Pilot[Any], key: str, name: str) -> None:
        await pilot.press(key)
        await wait_until(pilot, lambda: type(app.screen).__name__ == name)
        try:
            await wait_until(pilot, lambda: top_line(app).startswith(TITLES[name]))
        finally:
            seen[name] = top_line(app)  # shown below when it is not the title

    async def back(pilot: Pilot[Any]) -> None:
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main)

    async def walk(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await wait_until(pilot, lambda: top_line(app).startswith(TITLES["MainScreen"]))
        seen["MainScreen"] = top_line(app)
        await send_and_wait(pilot, user)  # an attempt: the doctor's user, the history's row
        await pilot.press(*user, "enter")  # the same user again at once: the send asks
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        seen["ConfirmScreen"] = dialog_top(app, DIALOG_TITLES["ConfirmScreen"][0])
        assert "Send anyway" in lines_of(app)[-1]  # the footer: a warning to send despite
        await back(pilot)
        for key, name in (
            ("f4", "OutboxScreen"),
            ("f8", "LookupScreen"),
            ("f9", "PoolFactsScreen"),
            ("ctrl+y", "DoctorScreen"),
        ):
            await open_full(pilot, key, name)
            await back(pilot)

        await pilot.press("f1")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        seen["HelpScreen"] = dialog_top(app, DIALOG_TITLES["HelpScreen"][0])
        await back(pilot)

        await open_full(pilot, "f12", "BatchScreen")
        batch = app.screen
        assert isinstance(batch, BatchScreen)
        batch.query_one("#batch-file").value = str(users)  # type: ignore[attr-defined]
        await pilot.press("f5")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "StartConfirmScreen")
        seen["StartConfirmScreen"] = dialog_top(app, DIALOG_TITLES["StartConfirmScreen"][0])
        footer = lines_of(app)[-1]  # nothing to warn of: it starts, not "anyway"
        assert "Send" in footer and "Send anyway" not in footer, footer
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is batch)
        await back(pilot)

        await open_full(pilot, "f3", "HistoryScreen")
        history = app.screen
        assert isinstance(history, HistoryScreen)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ExportDialog")
        seen["ExportDialog"] = dialog_top(app, DIALOG_TITLES["ExportDialog"][0])

    async with app.run_test(size=(80, 24)) as pilot:
        try:
            await walk(pilot)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; lines seen: {seen}") from None

    for name, (_, title) in DIALOG_TITLES.items():
        assert title in seen[name], f"{name}: {seen[name]!r}"
    for name, title in TITLES.items():
        assert seen[name].startswith(title), f"{name}: {seen[name]!r}"
    assert set(seen) == set(TITLES) | set(DIALOG_TITLES)
