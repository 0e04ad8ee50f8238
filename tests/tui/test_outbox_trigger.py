"""The outbox screen as the trigger workbench, against a standalone sandbox over HTTP.

A real Node.js handler (tests/data/triggers/node_esm, copied) runs in the
sandbox's child processes; the screen shows each message beside its
invocation (duration, attempts, logs, traceback), renders the HTML email,
opens it in a browser, and repeats the last request after an edit.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from rich.text import Text
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static

from console.sandbox import Sandbox, start_sandbox
from console.tui.screens.outbox import OutboxScreen
from tests.helpers.fault_server import fault_server
from tests.helpers.triggers import TriggerCopy


class Host(App[None]):
    """A bare app that opens the outbox screen on any endpoint."""

    def __init__(self, endpoint_url: str) -> None:
        super().__init__()
        self.endpoint_url = endpoint_url

    def on_mount(self) -> None:
        self.push_screen(OutboxScreen(self.endpoint_url))


@pytest.fixture
def standalone(tmp_path: Path) -> Iterator[tuple[Sandbox, TriggerCopy]]:
    trigger = TriggerCopy("node", tmp_path)
    with start_sandbox(
        custom_message_trigger=trigger.spec, trigger_env_file=str(trigger.env_file)
    ) as running:
        yield running, trigger


def _resend(sandbox: Sandbox, client: Any, **metadata: str) -> str:
    user = f"w-{uuid.uuid4().hex[:8]}"
    sandbox.add_user(user, email=f"{user}@example.com")
    with contextlib.suppress(ClientError):  # a failing trigger: the screen shows the failed call
        client.resend_confirmation_code(
            ClientId=sandbox.info.client("public").client_id,
            Username=user,
            **({"ClientMetadata": metadata} if metadata else {}),
        )
    return user


async def _loaded(pilot: Pilot[None]) -> OutboxScreen:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, OutboxScreen)
    return screen


def _detail(screen: OutboxScreen) -> str:
    """The message pane and the invocation pane, one after the other."""
    texts = []
    for selector in ("#outbox-message-text", "#outbox-invocation-text"):
        content = screen.query_one(selector, Static).content
        assert isinstance(content, Text)
        texts.append(content.plain)
    return "\n".join(texts)


async def test_message_and_its_invocation_with_logs_and_a_failure(
    standalone: tuple[Sandbox, TriggerCopy], cognito_for: Callable[..., Any]
) -> None:
    sandbox, _ = standalone
    client = cognito_for(sandbox)
    ok = _resend(sandbox, client)
    failed = _resend(sandbox, client, mode="raise")
    app = Host(sandbox.info.endpoint_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _loaded(pilot)
        [newest, older] = screen.rows[:2]
        assert newest.delivery is None and newest.invocation is not None
        assert newest.invocation.user == failed
        plain = _detail(screen)
        assert "Not delivered: the trigger failed" in plain
        assert "UserLambdaValidationException: CustomMessage failed with error " in plain
        assert "template missing for locale" in plain
        assert "Traceback" in plain and "at handler (file://" in plain
        assert "ERROR  about to fail" in plain  # the handler's console.error, tabs as spaces

        await pilot.press("down")
        await pilot.pause()
        assert older.delivery is not None and older.delivery.user == ok
        plain = _detail(screen)
        assert "Body (rendered; v: source)" in plain
        assert f"Hello from Node {ok}, your code is {older.delivery.code}." in plain
        assert "<p>" not in plain
        assert "Length       " in plain and " / 20000 " in plain
        assert "Trigger      ok" in plain
        assert "in 1 attempt" in plain and "attempt(s)" not in plain
        assert (
            "START RequestId: " in plain and "INFO  mode ok for CustomMessage_ResendCode" in plain
        )
        status = screen.query_one("#outbox-status", Static).content
        assert "1 failed trigger call" in str(status) and "(s)" not in str(status)

        await pilot.press("v")
        await pilot.pause()
        assert f"<p>Hello from Node {ok}" in _detail(screen)


async def test_repeat_after_an_edit_shows_the_new_message(
    standalone: tuple[Sandbox, TriggerCopy], cognito_for: Callable[..., Any]
) -> None:
    sandbox, trigger = standalone
    user = _resend(sandbox, cognito_for(sandbox))
    app = Host(sandbox.info.endpoint_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _loaded(pilot)
        assert "Hello from Node" in _detail(screen)
        (trigger.folder / "greeting.txt").write_text("Edited greeting")
        await pilot.press("R")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        screen = await _loaded(pilot)
        assert len(screen.entries) == 2
        assert screen.entries[0].user == user
        assert "Edited greeting" in _detail(screen)
        status = screen.query_one("#outbox-status", Static).content
        assert f"sent again: CustomMessage_ResendCode to {user}" in str(status)


async def test_the_html_email_opens_in_the_browser(
    standalone: tuple[Sandbox, TriggerCopy],
    cognito_for: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sandbox, _ = standalone
    _resend(sandbox, cognito_for(sandbox))
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    app = Host(sandbox.info.endpoint_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await _loaded(pilot)
        await pilot.press("b")
        await pilot.pause()
    [url] = opened
    path = Path(url.removeprefix("file://"))
    assert path.read_text().startswith("<p>Hello from Node ")
    assert path.stat().st_mode & 0o077 == 0  # mkstemp: only the user reads it
    path.unlink()


async def test_outcome_and_code_columns_fit_80_columns(
    standalone: tuple[Sandbox, TriggerCopy], cognito_for: Callable[..., Any]
) -> None:
    sandbox, _ = standalone
    _resend(sandbox, cognito_for(sandbox))
    app = Host(sandbox.info.endpoint_url)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _loaded(pilot)
        table = screen.query_one("#outbox-table")
        widths = sum(column.get_render_width(table) for column in table.columns.values())  # type: ignore[attr-defined]
        assert widths <= 80
        labels = [str(column.label) for column in table.columns.values()]  # type: ignore[attr-defined]
        assert labels[-2:] == ["Outcome", "Code"]


INVOCATION_OK = "11111111-1111-4111-8111-111111111111"
FIXED = {
    "deliveries": [
        {
            "time": "2026-12-05T03:00:00.000Z",
            "user_pool_id": "us-east-1_Demo",
            "user": "ann-with-a-rather-long-name",
            "client_id": "client123",
            "medium": "EMAIL",
            "destination": "ann-with-a-rather-long-name@example.com",
            "attribute": "email",
            "subject": "Welcome, ann",
            "body": "<p>Hello ann, your code is <b>654321</b>.</p><a href='https://x.example/c'>go</a>",
            "code": "654321",
            "client_metadata": {"lang": "fr"},
            "analytics_metadata": None,
            "trigger": True,
            "request_id": "req-1",
            "invocation_id": INVOCATION_OK,
        }
    ],
    "invocations": [
        {
            "id": INVOCATION_OK,
            "time": "2026-12-05T03:00:00.000Z",
            "trigger_source": "CustomMessage_ResendCode",
            "medium": "EMAIL",
            "event": {"userName": "ann-with-a-rather-long-name"},
            "outcome": "ok",
            "duration_ms": 131.5,
            "attempts": [{"number": 1, "outcome": "answered", "duration_ms": 131.5}],
            "logs": [
                "START RequestId: r-1 Version: $LATEST",
                "2026-12-05T03:00:00.050Z\tr-1\tINFO\tmode ok",
                "END RequestId: r-1",
            ],
        },
        {
            "id": "22222222-2222-4222-8222-222222222222",
            "time": "2026-12-05T03:01:00.000Z",
            "trigger_source": "CustomMessage_SignUp",
            "medium": "EMAIL",
            "event": {"userName": "bob"},
            "outcome": "failed",
            "error_code": "UnexpectedLambdaException",
            "error_message": "CustomMessage invocation failed due to error "
            "Socket timeout while invoking Lambda function.",
            "duration_ms": 15012.0,
            "attempts": [
                {"number": n, "outcome": "timed out", "duration_ms": 5004.0} for n in (1, 2, 3)
            ],
            "logs": [],
        },
    ],
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_outbox_snapshot(snap_compare: Callable[..., bool], size: tuple[int, int]) -> None:
    with fault_server() as server:
        server.answer = (200, "application/json", json.dumps(FIXED).encode())

        async def loaded(pilot: Pilot[None]) -> None:
            await _loaded(pilot)
            await pilot.press("down")  # the delivery, below the newer failed call
            await pilot.pause()

        assert snap_compare(Host(server.url), terminal_size=size, run_before=loaded)


async def test_f4_opens_the_outbox_of_a_standalone_sandbox_profile(
    standalone: tuple[Sandbox, TriggerCopy],
    cognito_for: Callable[..., Any],
    make_app: Callable[..., Any],
) -> None:
    from console.config import Profile
    from tests.tui.conftest import ready, wait_until

    sandbox, _ = standalone
    user = _resend(sandbox, cognito_for(sandbox))
    info = sandbox.info
    other = Profile(
        region=info.region,
        user_pool_id=info.user_pool_id,
        client_id=info.client("public").client_id,
        endpoint_url=info.endpoint_url,
    )
    app = make_app("standalone", extra={"standalone": other})  # not the embedded sandbox
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, OutboxScreen))
        screen = await _loaded(pilot)
        assert [e.user for e in screen.entries] == [user]
        plain = _detail(screen)
        assert f"Hello from Node {user}" in plain
        assert "INFO  mode ok for CustomMessage_ResendCode" in plain


async def test_the_triggers_cloudwatch_logs_appear_beside_the_attempt(
    standalone: tuple[Sandbox, TriggerCopy],
    make_app: Callable[..., Any],
    tui_sandbox: Sandbox,
) -> None:
    from console.config import Profile
    from tests.tui.conftest import ready, wait_until

    sandbox, _ = standalone
    info = sandbox.info
    profile = Profile(
        region=info.region,
        user_pool_id=info.user_pool_id,
        client_id=info.client("public").client_id,
        endpoint_url=info.endpoint_url,
    )
    app = make_app(
        "triggered",
        extra={"triggered": profile},
        sandbox_endpoints={tui_sandbox.info.endpoint_url, info.endpoint_url},
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await wait_until(pilot, lambda: app.admin.known_facts("triggered", profile) is not None)
        app.main.form.username_input.value = "alice"
        await pilot.press("ctrl+j")

        def logged() -> bool:
            return any("trigger logs (" in e.headline for e in app.main.log_pane.entries)

        await wait_until(pilot, logged)
        [entry] = [e for e in app.main.log_pane.entries if "trigger logs (" in e.headline]
        assert entry.headline.startswith("trigger logs (/aws/lambda/sandbox-handler): ")
        text = "\n".join(entry.detail_lines())
        assert "START RequestId: " in text
        assert "INFO  mode ok for CustomMessage_ResendCode" in text
        assert "REPORT RequestId: " in text
