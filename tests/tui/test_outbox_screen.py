"""The sandbox outbox screen, against a real sandbox reached over HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from rich.text import Text
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from console.tui.screens.outbox import OutboxEntry, OutboxScreen

if TYPE_CHECKING:
    from console.sandbox import Sandbox

TRIGGER = """
def handler(event, context):
    meta = event["request"]["clientMetadata"]
    event["response"]["emailSubject"] = "Code for " + meta.get("brand", "?")
    event["response"]["emailMessage"] = (
        "Hello " + event["userName"] + ",\\nyour code is " + event["request"]["codeParameter"]
        + "\\n[@click=app.quit]x[/] [/oops] \\x1b[2J \\u202e"
    )
    return event
"""


class Host(App[None]):
    """A bare app that opens the outbox screen."""

    def __init__(self, endpoint_url: str) -> None:
        super().__init__()
        self.endpoint_url = endpoint_url

    def on_mount(self) -> None:
        self.push_screen(OutboxScreen(self.endpoint_url))


@pytest.fixture(scope="module")
def trigger_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    from console.sandbox import start_sandbox

    path = tmp_path_factory.mktemp("trigger") / "custom_message.py"
    path.write_text(TRIGGER, encoding="utf-8")
    running = start_sandbox(custom_message_trigger=f"{path}:handler")
    try:
        yield running
    finally:
        running.stop()


def resend(sandbox: Sandbox, client: Any, **extra: Any) -> str:
    username = f"o-{uuid.uuid4().hex[:10]}"
    sandbox.add_user(username, email=f"{username}@example.com")
    client.resend_confirmation_code(
        ClientId=sandbox.info.client("public").client_id, Username=username, **extra
    )
    return username


async def loaded(pilot: Pilot[None]) -> OutboxScreen:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, OutboxScreen)
    return screen


def text_of(screen: OutboxScreen, selector: str) -> Text:
    content = screen.query_one(selector, Static).content
    assert isinstance(content, Text)
    return content


async def test_shows_the_trigger_message_code_and_metadata(
    trigger_sandbox: Sandbox, cognito_for: Callable[..., Any]
) -> None:
    client = cognito_for(trigger_sandbox)
    first = resend(trigger_sandbox, client, ClientMetadata={"brand": "Old"})
    username = resend(
        trigger_sandbox,
        client,
        ClientMetadata={"brand": "Acme", "[/oops]": "v"},
        AnalyticsMetadata={"AnalyticsEndpointId": "endpoint-42"},
    )
    app = Host(trigger_sandbox.info.endpoint_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        entries = screen.entries
        assert [e.user for e in entries[:2]] == [username, first]  # newest first
        newest: OutboxEntry = entries[0]
        assert newest.trigger is True
        assert len(newest.code) >= 6

        detail = text_of(screen, "#outbox-message-text")
        plain = detail.plain
        assert "the CustomMessage trigger" in plain
        assert "Code for Acme" in plain
        assert f"Hello {username},\nyour code is {newest.code}\n" in plain  # newlines kept
        assert "[@click=app.quit]x[/] [/oops] \\x1b[2J \\u202e" in plain  # literal, escaped
        assert "\x1b" not in plain
        assert "brand = Acme" in plain
        assert "[/oops] = v" in plain
        assert "AnalyticsEndpointId = endpoint-42" in plain
        assert f"{username}@example.com" in plain
        body_start = plain.index("your code is ") + len("your code is ")
        highlighted = [span for span in detail.spans if span.start == body_start]
        assert highlighted
        assert "reverse" in str(highlighted[0].style)  # the code stands out

        await pilot.press("down")  # the older delivery
        await pilot.pause()
        assert "Code for Old" in text_of(screen, "#outbox-message-text").plain
        assert "(none sent)" in text_of(screen, "#outbox-message-text").plain


async def test_refresh_picks_up_new_deliveries(
    sandbox: Sandbox, cognito_for: Callable[..., Any]
) -> None:
    client = cognito_for(sandbox)
    app = Host(sandbox.info.endpoint_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        before = len(screen.entries)
        username = resend(sandbox, client)
        await pilot.press("r")
        screen = await loaded(pilot)
        assert len(screen.entries) == before + 1
        assert screen.entries[0].user == username
        assert screen.entries[0].trigger is False
        plain = text_of(screen, "#outbox-message-text").plain
        assert "the pool's default message" in plain
        assert screen.entries[0].code in plain
        assert screen.query_one("#outbox-table", DataTable).row_count == before + 1
        assert "deliver" in text_of(screen, "#outbox-status").plain


async def test_unreachable_sandbox_is_one_line() -> None:
    app = Host("http://127.0.0.1:9")  # discard port: nothing listens on loopback
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        status = text_of(screen, "#outbox-status").plain
        assert status.startswith("sandbox not reachable at http://127.0.0.1:9/_sandbox/outbox")
        assert "\n" not in status
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, OutboxScreen)


def test_entries_are_read_defensively() -> None:
    entry = OutboxEntry.from_json({"username": 5, "trigger": "yes", "client_metadata": [1]})
    assert entry.user == "5"
    assert entry.trigger is False
    assert entry.client_metadata == {}
    assert entry.analytics_metadata is None
    assert OutboxEntry.from_json("junk").body == ""
