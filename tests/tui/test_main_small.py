"""The main screen at 80x24: every fact in view, JSON kept whole, one whole log entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.tui.conftest import ready, send_and_wait, wait_until

if TYPE_CHECKING:
    from console.tui.app import ConsoleApp

SMALL = (80, 24)


async def test_the_header_wraps_and_keeps_every_fact(make_app: Callable[..., ConsoleApp]) -> None:
    from textual.widgets import Static

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        bar = app.main.profile_bar
        facts = bar.query_one("#profile-facts", Static)
        # Nothing of the facts is cut off: the bar holds every line they wrap to.
        assert "endpoint " in str(facts.content) and "secret: none" in str(facts.content)
        assert facts.size.height >= 3
        assert facts.region.bottom <= bar.region.bottom
        assert facts.region.width >= 76  # the full width, under the select and status
        assert bar.status_text == "ready"


async def test_the_preview_keeps_each_json_value_on_its_line(
    make_app: Callable[..., ConsoleApp],
) -> None:
    from textual.widgets import Static

    from console.tui.form_values import MetadataRow

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        long_value = "a-long-value-" * 8
        await app.main.form.metadata.set_rows([MetadataRow("campaign", long_value)])
        app.main.form.username_input.value = "carol"
        await wait_until(pilot, lambda: long_value in app.main.preview.text)
        body = app.main.preview.query_one("#preview-body", Static)
        await pilot.pause()
        # One screen line per JSON line: no value is broken over two.
        assert body.size.height == len(app.main.preview.text.splitlines())
        assert body.size.width > app.main.preview.size.width  # it scrolls sideways instead


async def test_the_log_shows_a_whole_entry(make_app: Callable[..., ConsoleApp]) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        # dave's entry is the longest of the README's walk-through: ten lines at 80.
        await send_and_wait(pilot, "dave")
        entry = app.main.log_pane.entries[-1]
        lines = 1 + len(entry.details) + 3  # "what to do" and "pool facts" wrap
        assert app.main.log_pane.scrollable_content_region.height >= lines


async def test_ctrl_b_keeps_the_focused_username_in_view(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        form, username = app.main.form, app.main.form.username_input
        username.focus()
        await pilot.press("ctrl+b")
        await pilot.pause()
        await pilot.pause()
        assert app.focused is username
        assert form.scrollable_content_region.contains_region(username.region)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert form.scrollable_content_region.contains_region(username.region)


async def test_keys_typed_right_after_ctrl_n_land_in_the_new_row(
    make_app: Callable[..., ConsoleApp],
) -> None:
    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        from textual import events

        app.main.form.username_input.focus()
        # As a fast typist's keys arrive: all queued at once, none waiting for the last.
        for key in ("ctrl+n", *"lang"):
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await wait_until(pilot, lambda: app.main.form.metadata.rows() != ())
        await wait_until(pilot, lambda: app.main.form.metadata.rows()[0].key != "")
        await pilot.pause()
        await pilot.pause()
        rows = app.main.form.metadata.rows()
        assert [(r.key, r.value) for r in rows] == [("lang", "")]
        assert app.main.form.query_one("#analytics-id", Input).value == ""
        assert app.main.form.username_input.value == ""


async def test_under_70_columns_the_form_sits_above_the_preview(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(68, 24)) as pilot:
        await ready(pilot)
        form, preview = app.main.query_one("#form"), app.main.query_one("#preview")
        assert preview.region.y >= form.region.bottom  # below it, not beside it
        assert form.region.width >= 64 and preview.region.width >= 64  # the full width
        # The 5-row header leaves 18: the username and its label stay in the form's view.
        username = app.main.form.username_input
        assert username.region.height == 1 and username.region.width >= 60
        assert form.region.contains_region(username.region)
        assert preview.region.height >= 4  # its first two lines inside the border


async def test_from_70_columns_the_preview_sits_beside_the_form(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        form, preview = app.main.query_one("#form"), app.main.query_one("#preview")
        assert preview.region.x >= form.region.right  # beside it
        assert preview.region.y == form.region.y
