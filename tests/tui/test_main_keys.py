"""Keys: the keymap from the config, copying, focus moves and the other screens."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.tui.conftest import SIZE, ready, send_and_wait, wait_until

if TYPE_CHECKING:
    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp


async def test_keymap_moves_send_to_another_key(
    make_app: Callable[..., ConsoleApp], tui_user: Callable[..., str]
) -> None:
    user = tui_user()
    app = make_app(keymap={"send": "f11", "no-such-action": "f11"})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        log = app.main.log_pane
        warnings = [e.plain() for e in log.entries if e.mark == "!"]
        assert any("console.keymap: no binding with id 'no-such-action'" in w for w in warnings)
        app.main.form.username_input.value = user
        before = len(log.entries)
        await pilot.press("ctrl+j")  # no longer bound to send
        assert app.main.send_status.busy is False
        assert len(log.entries) == before
        await pilot.press("f11")
        await wait_until(pilot, lambda: len(log.entries) > before)
        assert "delivered: EMAIL" in log.entries[-1].plain()


async def test_keymap_accepts_resend_as_the_send_id(make_app: Callable[..., ConsoleApp]) -> None:
    app = make_app(keymap={"resend": "f11"})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        keys = [key for key, b in app.active_bindings.items() if b.binding.id == "send"]
        assert keys == ["f11"]


async def test_a_keymap_cannot_take_a_metadata_rows_key(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox
) -> None:
    app = make_app(keymap={"resend": "ctrl+r,f5"})  # the README's old example
    received = len(tui_sandbox.received())
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        log = app.main.log_pane
        warnings = [e.plain() for e in log.entries if e.mark == "!"]
        assert any(
            "console.keymap: send = 'ctrl+r': ctrl+r is already the key of delete-meta-row" in w
            for w in warnings
        )
        rows = app.main.form.metadata
        app.main.form.username_input.value = "nobody-keymapped"
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: app.focused is rows.row_widgets[-1].key_input)
        await pilot.press(*"k", "ctrl+r")
        await wait_until(pilot, lambda: len(rows.row_widgets) == 0)
        assert not any("nobody-keymapped" in e.headline for e in log.entries)
        assert len(tui_sandbox.received()) == received
        keys = [key for key, b in app.active_bindings.items() if b.binding.id == "send"]
        assert "f5" in keys


async def test_a_keymap_cannot_take_another_actions_key(
    make_app: Callable[..., ConsoleApp],
) -> None:
    from console.tui.screens.pool_facts import PoolFactsScreen

    app = make_app(keymap={"send": "f9,ctrl+j"})  # the README's old example
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        warnings = [e.plain() for e in app.main.log_pane.entries if e.mark == "!"]
        assert any(
            "console.keymap: send = 'f9': f9 is already the key of pool-facts; "
            "it keeps that meaning" in w
            for w in warnings
        )
        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(app.screen, PoolFactsScreen))


async def test_every_main_action_has_a_binding_id(make_app: Callable[..., ConsoleApp]) -> None:
    from console.tui.bindings import ACTIONS

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        ids = {b.binding.id for b in app.active_bindings.values()}
        assert {spec.id for spec in ACTIONS} | {"quit"} <= ids
        for spec in ACTIONS:  # none of the terminal aliases
            assert not {"ctrl+h", "ctrl+i", "ctrl+m"} & set(spec.keys.split(","))


async def test_copy_cli_line_has_a_placeholder_not_the_hash(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox
) -> None:
    app = make_app("sandbox-confidential")
    secret = tui_sandbox.info.client("confidential").client_secret
    assert secret
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.main.form.username_input.value = "alice"
        await pilot.press("f6")
        line = app.clipboard
        info = tui_sandbox.info
        assert line.startswith(
            "aws cognito-idp resend-confirmation-code --region us-east-1 "
            f"--endpoint-url {info.endpoint_url} "
            f"--client-id {info.client('confidential').client_id} --username alice"
        )
        assert "--secret-hash '<SECRET_HASH>'" in line
        assert secret not in line


async def test_copy_entry_copies_the_highlighted_entry(make_app: Callable[..., ConsoleApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        first = await send_and_wait(pilot, "nobody-one")
        await send_and_wait(pilot, "nobody-two")
        await pilot.press("ctrl+l")
        assert app.focused is app.main.log_pane
        await pilot.press("up", "f7")
        assert app.clipboard == first
        assert app.clipboard.startswith("✗ ")
        await pilot.press("ctrl+g")
        assert app.focused is app.main.form.username_input


async def test_preview_redacts_the_hash_and_never_runs_a_secret_command(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox, tmp_path, tui_user
) -> None:
    from console.config import Profile

    info = tui_sandbox.info
    confidential = info.client("confidential")
    marker = tmp_path / "command-ran"
    by_command = Profile(
        region=info.region,
        user_pool_id=info.user_pool_id,
        client_id=confidential.client_id,
        endpoint_url=info.endpoint_url,
        client_secret_command=f"sh -c 'touch {marker}; echo {confidential.client_secret}'",
    )
    user = tui_user()
    app = make_app("by-command", extra={"by-command": by_command})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "secret: command" in str(app.main.profile_bar.query_one("#profile-facts").content)
        app.main.form.username_input.value = user
        await wait_until(
            pilot, lambda: '"SecretHash": "computed when sending"' in app.main.preview.text
        )
        assert not marker.exists()
        text = await send_and_wait(pilot)
        assert "delivered: EMAIL" in text
        assert marker.exists()
        # An inline secret: the preview shows the hash as stars and its last 4 characters.
        await app.switch_profile("sandbox-confidential")
        await wait_until(pilot, lambda: '"SecretHash": "****************' in app.main.preview.text)


async def test_history_replay_fills_the_form_without_sending(
    make_app: Callable[..., ConsoleApp],
) -> None:
    from textual.widgets import Input

    from console.tui.form_values import MetadataRow

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await app.main.form.metadata.set_rows([MetadataRow("lang", "fr")])
        app.main.form.query_one("#analytics-id", Input).value = "pin-1"
        await send_and_wait(pilot, "nobody-replayed")
        await app.main.form.metadata.set_rows([])
        app.main.form.username_input.value = ""
        app.main.form.query_one("#analytics-id", Input).value = ""
        sends = len(app.main.log_pane.entries)
        await pilot.press("f3")
        from console.tui.screens.history import HistoryScreen

        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        assert app.history is not None
        record = app.history.query(limit=1)[0]
        app.screen.dismiss(record)
        await wait_until(pilot, lambda: app.main.form.username_input.value == "nobody-replayed")
        assert app.main.form.metadata.rows() == (MetadataRow("lang", "fr"),)
        assert app.main.form.query_one("#analytics-id", Input).value == "pin-1"
        assert app.main.form.query_one("#client-id", Input).value == ""
        assert len(app.main.log_pane.entries) == sends + 1  # a note, no attempt
        assert "put back into the form; not sent" in app.main.log_pane.entries[-1].plain()


async def test_outbox_only_for_the_sandbox_and_help_opens(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox
) -> None:
    from console.config import Profile
    from console.tui.screens.help import HelpScreen
    from console.tui.screens.main import MainScreen
    from console.tui.screens.outbox import OutboxScreen

    aws = Profile(region="eu-west-1", user_pool_id="eu-west-1_abc", client_id="abc123")
    app = make_app(extra={"aws": aws})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, OutboxScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await app.switch_profile("aws")
        assert "endpoint" not in str(app.main.profile_bar.query_one("#profile-facts").content)
        await pilot.press("f4")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
