"""ClientMetadata rows: add, edit, switch off, remove, by keyboard; what reaches the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.tui.conftest import SIZE, ready, send_and_wait, wait_until

if TYPE_CHECKING:
    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp


async def test_rows_edited_by_keyboard_arrive_in_the_outbox(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox, tui_user: Callable[..., str]
) -> None:
    user = tui_user()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.main.form.username_input.value = user
        rows = app.main.form.metadata
        # Three rows, typed: ctrl+n focuses the new key, tab moves to its value.
        for key, value in (("lang", "fr"), ("x", "1"), ("off", "no")):
            await pilot.press("ctrl+n")
            await wait_until(pilot, lambda: app.focused is rows.row_widgets[-1].key_input)
            await pilot.press(*key, "tab", *value)
        # Switch the last row off, then remove the middle one (up to reach it).
        await pilot.press("ctrl+t")
        await pilot.press("up", "ctrl+r")
        await wait_until(pilot, lambda: len(rows.row_widgets) == 2)
        assert [(r.key, r.value, r.enabled) for r in rows.rows()] == [
            ("lang", "fr", True),
            ("off", "no", False),
        ]
        # The focus stays in the value column (moved after the removed row is gone:
        # asserting it at once raced that move under load); up reaches lang's value.
        await wait_until(pilot, lambda: app.focused is rows.row_widgets[1].value_input)
        await pilot.press("up", "end", *"-CA")
        await wait_until(pilot, lambda: '"lang": "fr-CA"' in app.main.preview.text)
        assert '"off"' not in app.main.preview.text
        text = await send_and_wait(pilot)
        assert "delivered: EMAIL" in text
    delivery = [d for d in tui_sandbox.outbox() if d["user"] == user][-1]
    assert delivery["client_metadata"] == {"lang": "fr-CA"}


async def test_duplicate_and_empty_keys_are_flagged_on_their_rows(
    make_app: Callable[..., ConsoleApp],
) -> None:
    from console.tui.form_values import MetadataRow

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.main.form.username_input.value = "alice"
        rows = app.main.form.metadata
        await rows.set_rows(
            [
                MetadataRow("k", "1"),
                MetadataRow("", ""),  # blank: ignored, not flagged
                MetadataRow("k", "2"),
                MetadataRow("", "orphan value"),
            ]
        )
        await wait_until(pilot, lambda: bool(rows.row_widgets[2].error.messages))
        widgets = rows.row_widgets
        assert widgets[0].error.messages == ()
        assert widgets[1].error.messages == ()
        assert widgets[2].error.messages == ("key duplicate key: each key may appear once",)
        assert widgets[3].error.messages == ("key must not be empty",)
        assert "Not sendable yet" in app.main.preview.text


async def test_profile_defaults_seed_the_rows_and_the_analytics_id(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox
) -> None:
    from textual.widgets import Input

    from console.config import Profile

    info = tui_sandbox.info
    seeded = Profile(
        region=info.region,
        user_pool_id=info.user_pool_id,
        client_id=info.client("public").client_id,
        endpoint_url=info.endpoint_url,
        client_metadata={"brand": "acme", "lang": "de"},
        analytics_endpoint_id="pinpoint-42",
    )
    app = make_app("seeded", extra={"seeded": seeded})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        rows = app.main.form.metadata
        assert [(r.key, r.value) for r in rows.rows()] == [("brand", "acme"), ("lang", "de")]
        assert app.main.form.query_one("#analytics-id", Input).value == "pinpoint-42"
        await app.switch_profile("sandbox")
        assert rows.rows() == ()
        assert app.main.form.query_one("#analytics-id", Input).value == ""
