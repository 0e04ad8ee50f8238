"""At 80x24 nothing is cut mid-label and no lone glyph stands for a bar (#17 point 12).

Each test looks at what an operator sees: the footer's keys, the preview's
sideways bar, the ClientMetadata hint, the batch fields' hints.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from rich.text import Text

from tests.tui.conftest import SIZE, ready, wait_until

if TYPE_CHECKING:
    from textual.pilot import Pilot
    from textual.screen import Screen

    from console.tui.app import ConsoleApp

SMALL = (80, 24)


def footer_keys(screen: Screen[Any]) -> tuple[list[Any], Any]:
    """The footer's shown keys (in order) and its palette key."""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    footer = screen.query_one(Footer)
    keys = [key for key in footer.query(FooterKey) if key.display]
    palette = [key for key in keys if key.has_class("-command-palette")]
    assert len(palette) == 1, "the palette key is always shown"
    return [key for key in keys if key is not palette[0]], palette[0]


def assert_footer_whole(screen: Screen[Any]) -> list[str]:
    """Every key shown ends before the palette key, which is whole at the right edge."""
    keys, palette = footer_keys(screen)
    for key in keys:
        label = f"{key.key_display} {key.description}"
        assert key.region.width >= len(label), label
        assert key.region.right <= palette.region.x, f"{label!r} runs under the palette key"
    assert palette.region.right <= screen.size.width
    return [key.description for key in keys]


async def test_the_main_footer_shows_whole_labels_at_80(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        await pilot.pause()
        shown = assert_footer_whole(app.main)
        assert shown[:3] == ["Send", "Profile", "History"]
        assert "Lookup" not in shown  # it did not fit whole: gone, not cut


async def test_the_footer_shows_every_key_again_when_wide(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        await pilot.resize_terminal(*SIZE)
        await wait_until(pilot, lambda: "Lookup" in assert_footer_whole(app.main))
        assert "Help" in assert_footer_whole(app.main)


async def _open(pilot: Pilot[Any], key: str, screen_name: str) -> Screen[Any]:
    await pilot.press(key)
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == screen_name)
    await pilot.pause()
    return pilot.app.screen


async def test_every_screen_footer_is_whole_at_80(make_app: Callable[..., ConsoleApp]) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        for key, name in (
            ("f3", "HistoryScreen"),
            ("f4", "OutboxScreen"),
            ("f12", "BatchScreen"),
            ("f8", "LookupScreen"),
            ("f9", "PoolFactsScreen"),
        ):
            screen = await _open(pilot, key, name)
            await wait_until(pilot, lambda s=screen: bool(footer_keys(s)[0]))
            assert_footer_whole(screen)
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is app.main)


def lines_of(app: ConsoleApp) -> list[str]:
    """The current screen as painted, one string per row."""
    update = app.screen._compositor.render_update(full=True)
    return ["".join(strip.text for strip in line) for line in update.strips]


PARTIAL_BLOCKS = set("▏▎▍▌▋▊▉")
"""The ends Textual draws a sideways bar's thumb with: alone, they read as stray characters."""


async def test_the_preview_sideways_bar_is_a_line_not_a_lone_glyph(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        app.main.form.username_input.value = "alice"
        await wait_until(pilot, lambda: '"Username": "alice"' in app.main.preview.text)
        await pilot.pause()
        preview = app.main.preview.region
        bar_row = lines_of(app)[preview.bottom - 2][preview.x + 1 : preview.right - 1]
        assert not PARTIAL_BLOCKS & set(bar_row), bar_row
        # The payload is about twice the pane's width: the thumb is half the track.
        assert bar_row.strip().startswith("━━━━━━━━")
        assert set(bar_row.strip()) == {"━"}


async def test_the_metadata_heading_is_whole_at_80(make_app: Callable[..., ConsoleApp]) -> None:
    from console.tui.widgets.metadata_heading import MetadataHeading

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        heading = app.main.form.query_one(MetadataHeading)
        await pilot.press("ctrl+n")  # a row: the form scrolls down to it, the heading shows
        await wait_until(pilot, lambda: heading.region.height == 2)
        rows = lines_of(app)[heading.region.y : heading.region.bottom]
        shown = [row[heading.region.x : heading.region.right].rstrip() for row in rows]
        assert shown == ["ClientMetadata", "ctrl+n add · ctrl+t on/off · ctrl+r remove"]


async def test_a_new_metadata_row_is_scrolled_into_view_at_80(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        form = app.main.form
        await pilot.press("ctrl+n", *"campaign")
        key = app.main.form.metadata.row_widgets[-1].key_input
        await wait_until(pilot, lambda: key.value == "campaign")
        await wait_until(pilot, lambda: form.scrollable_content_region.contains_region(key.region))
        assert app.focused is key


def assert_placeholders_whole(screen: Screen[Any]) -> None:
    """Every shown field's placeholder fits its field (a collapsed one has no width)."""
    from textual.widgets import Input

    for field in screen.query(Input):
        width = field.content_region.width
        if field.display and field.placeholder and width:
            assert len(field.placeholder) <= width, f"{field.placeholder!r} in {width} cells"


async def test_every_placeholder_is_whole_at_80(make_app: Callable[..., ConsoleApp]) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        assert_placeholders_whole(app.main)
        await pilot.press("ctrl+b")  # the advanced fields too
        await wait_until(pilot, lambda: app.main.form.query_one("#ip-address").region.width > 0)
        assert_placeholders_whole(app.main)
        for key, name in (("f12", "BatchScreen"), ("f8", "LookupScreen"), ("f3", "HistoryScreen")):
            screen = await _open(pilot, key, name)
            assert_placeholders_whole(screen)
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is app.main)


async def test_the_doctors_wrapped_lines_hang_under_their_text_at_80(
    make_app: Callable[..., ConsoleApp],
) -> None:
    from tests.tui.conftest import send_and_wait
    from tests.tui.test_doctor_screen import open_doctor

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        await send_and_wait(pilot, "alice")  # COGNITO_DEFAULT: a warning with a long fix
        screen = await open_doctor(pilot)
        area = screen.checks.content_region
        await wait_until(pilot, lambda: "fix: " in "".join(lines_of(app)))
        rows = [row[area.x : area.right] for row in lines_of(app)[area.y : area.bottom]]
        fix = next(i for i, row in enumerate(rows) if row.lstrip().startswith("fix: "))
        column = rows[fix].index("fix: ") + len("fix: ")
        # The first check's fix wraps (three lines or more), each under the text after "fix: ".
        more = rows[fix + 1 : fix + 3]
        assert all(row[:column].strip() == "" and row[column] != " " for row in more), rows
        # The check's own text hangs under its id, after the mark.
        first = rows[0]
        assert first.lstrip().startswith("! warn")
        assert rows[1][: first.index("pool-sending")].strip() == ""


async def test_a_long_log_note_hangs_right_of_its_time_at_80(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        words = " ".join(f"word{i}" for i in range(30))
        app.main.show_note(words, warning=True)
        log = app.main.log_pane
        await pilot.pause()
        area = log.content_region
        rows = [row[area.x : area.right] for row in lines_of(app)[area.y : area.bottom]]
        first = next(i for i, row in enumerate(rows) if "word0 " in row)
        column = rows[first].index("word0")
        assert rows[first].startswith("! ") and column == len("! 09:15:02  ")
        follow = rows[first + 1 : first + 3]
        assert all(row[:column].strip() == "" and row[column] != " " for row in follow), rows
        assert "word29" in "".join(rows)


async def test_the_batch_failures_show_whole_error_codes_at_80(
    make_app: Callable[..., ConsoleApp], tui_user: Callable[..., str], tmp_path: Any
) -> None:
    from tests.tui.test_batch_screen import open_batch, run_to_end, users_file

    no_address = tui_user(email=False)  # InvalidParameterException: nowhere to send
    path = users_file(tmp_path, ["nobody-at-all", no_address])
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        screen = await open_batch(pilot, path, rate="50")
        await run_to_end(pilot, screen)
        table = screen.query_one("#batch-failures")
        await wait_until(pilot, lambda: table.row_count == 2)  # type: ignore[attr-defined]
        await pilot.pause()
        shown = "\n".join(lines_of(app))
        assert "UserNotFoundException" in shown
        assert "InvalidParameterException" in shown
        assert_footer_whole(screen)


async def test_help_shows_every_binding_id_whole_at_80(
    make_app: Callable[..., ConsoleApp],
) -> None:
    from rich.console import Console
    from textual.widgets import Static

    from console.tui.screens.help import HelpScreen, render_help

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        screen = await _open(pilot, "f1", "HelpScreen")
        assert isinstance(screen, HelpScreen)
        width = screen.query_one("#help-text", Static).content_region.width
        console = Console(width=width, record=True, file=io.StringIO())
        console.print(render_help(screen.groups))
        shown = console.export_text()
        ids = {row.binding_id for group in screen.groups for row in group.rows if row.binding_id}
        assert "history-export-confirm" in ids
        assert {i for i in ids if i not in shown} == set()
        assert "…" not in shown


PALETTE_ROOM_AT_80 = 72
"""Cells the command palette has for a help line at 80 columns (2 go to its margin)."""


def test_every_palette_help_fits_the_palette_at_80() -> None:
    from console.tui import bindings

    specs = [
        spec
        for value in vars(bindings).values()
        if isinstance(value, tuple)
        for spec in value
        if isinstance(spec, bindings.ActionSpec)
    ]
    assert len(specs) > 30
    assert {s.id: s.help for s in specs if len(s.help) > PALETTE_ROOM_AT_80} == {}


async def test_the_longest_palette_help_is_whole_at_80(
    make_app: Callable[..., ConsoleApp],
) -> None:
    from console.tui.bindings import ACTIONS

    wanted = max(ACTIONS, key=lambda spec: len(spec.help))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*wanted.label.lower())
        await wait_until(pilot, lambda: any(wanted.label in row for row in lines_of(app)))
        await pilot.pause()
        assert any(wanted.help in row for row in lines_of(app)), wanted.help


async def test_the_trigger_workbench_error_hangs_under_its_value_at_80() -> None:
    from textual.app import App, ComposeResult

    from console.tui.screens.outbox_detail import invocation_detail
    from console.tui.screens.outbox_read import InvocationView
    from console.tui.widgets.labelled_text import LABEL_WIDTH, LabelledText

    message = "CustomMessage failed with error template variable 'firstName' is missing"
    view = InvocationView(
        id="i-1",
        time="2026-12-05T07:36:04.238Z",
        trigger_source="CustomMessage_ResendCode",
        user="alice",
        medium="EMAIL",
        outcome="failed",
        error_code="UserLambdaValidationException",
        error_message=f"{message} from the user's attributes and cannot be rendered.",
        note="",
        duration_ms=81.0,
        attempts=[("1", "error", 81.0)],
        logs=["[ERROR] ValueError: " + "a long log line " * 8],
    )

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield LabelledText(invocation_detail(view), id="pane")

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rows = [row.rstrip() for row in lines_of(app)]  # type: ignore[arg-type]
        error = next(i for i, row in enumerate(rows) if row.startswith("Error "))
        assert rows[error].startswith("Error        UserLambdaValidationException: ")
        following = rows[error + 1]
        assert following.startswith(" " * LABEL_WIDTH) and following[LABEL_WIDTH] != " "
        log = next(i for i, row in enumerate(rows) if row.startswith("  [ERROR]"))
        assert rows[log + 1].startswith("  a long") or rows[log + 1].startswith("  line")
        assert isinstance(app.query_one("#pane", LabelledText).content, Text)


async def test_a_long_trigger_log_line_hangs_under_its_indent_at_80(
    make_app: Callable[..., ConsoleApp],
) -> None:
    from console.tui.log_entries import trigger_logs_entry

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        words = " ".join(f"w{i}" for i in range(40))
        entry = trigger_logs_entry(
            "trigger logs (/aws/lambda/f): 1 line",
            [f"  [ERROR] {words}"],
            display=app.display_options,
        )
        app.main.log_pane.add_entry(entry)
        await pilot.pause()
        area = app.main.log_pane.content_region
        rows = [row[area.x : area.right] for row in lines_of(app)[area.y : area.bottom]]
        first = next(i for i, row in enumerate(rows) if "[ERROR] w0 " in row)
        column = rows[first].index("[ERROR]")
        assert column == 4 + 2  # the details' indent, then the line's own
        assert rows[first + 1][:column].strip() == "" and rows[first + 1][column] != " "


@pytest.mark.parametrize("size", [SMALL, (68, 24)])
async def test_a_long_status_wraps_beside_the_profile_select(
    make_app: Callable[..., ConsoleApp], size: tuple[int, int]
) -> None:
    from textual.widgets import Select

    app = make_app()
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        bar = app.main.profile_bar
        # A profile whose aws_profile is missing, with a [team] table through it.
        bar.set_team("team: not started · no such AWS profile", "error")
        bar.set_status("client setup failed (ProfileNotFound)", "error")
        await pilot.pause()
        await pilot.pause()
        select = bar.query_one(Select)
        assert select.region.width == 28 and bar.region.contains_region(select.region)
        rows = lines_of(app)[bar.region.y : bar.region.bottom]
        assert "sandbox" in rows[0][:28]  # the active profile, in the select
        shown = " ".join(" ".join(rows).split())
        assert "client setup failed (ProfileNotFound) · team: not started · no such AWS" in shown
        assert "secret: none" in shown  # the facts are all still there


async def test_the_metadata_hints_name_the_keys_a_keymap_set(
    make_app: Callable[..., ConsoleApp],
) -> None:
    from console.tui.widgets.metadata_heading import EmptyHint, MetadataHeading

    app = make_app(keymap={"add-meta-row": "f11", "delete-meta-row": "alt+r"})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        heading = app.main.form.query_one(MetadataHeading)
        empty = app.main.form.query_one(EmptyHint)
        wanted = "ClientMetadata  (f11 add · ctrl+t on/off · alt+r remove)"
        await wait_until(pilot, lambda: any(wanted in row for row in lines_of(app)))
        assert str(heading.render()) == wanted
        assert str(empty.render()) == "no ClientMetadata: f11 adds a row"
        await pilot.press("f11")  # the key the hint names adds a row
        await wait_until(pilot, lambda: len(app.main.form.metadata.row_widgets) == 1)
