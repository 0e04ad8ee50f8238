"""The sandbox outbox screen, against a real sandbox reached over HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from rich.text import Text
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from console.sandbox import Delivery, DeliveryFormatError
from console.tui.screens.outbox import OutboxScreen
from console.tui.widgets.title_line import TitleLine
from tests.data.hostile import terminal_hazards
from tests.helpers.fault_server import fault_server

if TYPE_CHECKING:
    from console.sandbox import Sandbox

TRIGGER = """
def handler(event, context):
    meta = event["request"]["clientMetadata"]
    event["response"]["emailSubject"] = "Code for " + meta.get("brand", "?")
    event["response"]["emailMessage"] = (
        "Hello " + event["userName"] + ",\\nyour code is " + event["request"]["codeParameter"]
        + "\\n[@click=app.quit]x[/] [/oops]"
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
    with start_sandbox(custom_message_trigger=f"{path}:handler") as running:
        yield running


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
    widget = screen.query_one(selector, Static)
    if isinstance(widget, TitleLine):  # what follows the screen's name
        return Text(widget.status_text)
    content = widget.content
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
        ClientMetadata={"brand": "Acme", "[/oops]": "v\x1b[2J \u202e"},
        AnalyticsMetadata={"AnalyticsEndpointId": "endpoint-42"},
    )
    app = Host(trigger_sandbox.info.endpoint_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        entries = screen.entries
        assert [e.user for e in entries[:2]] == [username, first]  # newest first
        newest: Delivery = entries[0]
        assert newest.trigger is True
        assert len(newest.code) >= 6

        detail = text_of(screen, "#outbox-message-text")
        plain = detail.plain
        assert "the CustomMessage trigger" in plain
        assert "Code for Acme" in plain
        assert f"Hello {username},\nyour code is {newest.code}\n" in plain  # newlines kept
        assert "[@click=app.quit]x[/] [/oops]" in plain  # literal
        assert terminal_hazards(plain) == []
        assert "brand = Acme" in plain
        assert "[/oops] = v\\x1b[2J \\u202e" in plain  # control characters made visible
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


DELIVERY = Delivery(
    time="2025-01-31T12:00:00.123Z",
    user_pool_id="us-east-1_Demo",
    user="alice",
    client_id="client123",
    medium="EMAIL",
    destination="alice@example.com",
    attribute="email",
    subject="Your code",
    body="Your code is 123456",
    code="123456",
    client_metadata={"brand": "Acme"},
    analytics_metadata=None,
    trigger=False,
    request_id="req-1",
)


def test_a_delivery_reads_back_from_the_outbox_json() -> None:
    wire = json.loads(json.dumps(DELIVERY.to_json()))
    assert Delivery.from_json(wire) == DELIVERY
    sms = Delivery.from_json(
        {**wire, "subject": None, "analytics_metadata": {"AnalyticsEndpointId": "e-1"}}
    )
    assert (sms.subject, sms.analytics_metadata) == (None, {"AnalyticsEndpointId": "e-1"})
    del wire["user"]  # "username" stands in; unknown keys are ignored
    assert Delivery.from_json({**wire, "added_later": [1]}) == DELIVERY


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": None}, '"code" is null, not text'),
        ({"user": 5, "username": 5}, '"user" is a number, not text'),
        ({"trigger": "yes"}, '"trigger" is text, not true or false'),
        ({"client_metadata": [1]}, '"client_metadata" is a list, not an object'),
        ({"client_metadata": {"a": 1}}, '"client_metadata" has a value that is a number, not text'),
        ({"analytics_metadata": "x"}, '"analytics_metadata" is text, not an object'),
        ({"subject": {"\x1b[2J": 1}}, '"subject" is an object, not text'),
    ],
)
def test_a_malformed_entry_is_rejected_in_one_line_naming_the_key(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(DeliveryFormatError) as caught:
        Delivery.from_json({**DELIVERY.to_json(), **change})
    assert str(caught.value) == message


def test_a_missing_key_or_a_non_object_is_rejected() -> None:
    entry = DELIVERY.to_json()
    del entry["body"]
    with pytest.raises(DeliveryFormatError, match=r'^"body" is missing$'):
        Delivery.from_json(entry)
    with pytest.raises(DeliveryFormatError, match=r"^not an object but text$"):
        Delivery.from_json("junk")


async def test_malformed_entries_are_left_out_and_named_on_one_line() -> None:
    hostile = {"user": "\x1b[2J[@click=app.quit]x[/]", "code": 5}
    payload = {"deliveries": [DELIVERY.to_json(), hostile, "junk"]}
    with fault_server() as server:
        server.answer = (200, "application/json", json.dumps(payload).encode())
        app = Host(server.url)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await loaded(pilot)
            assert screen.entries == [DELIVERY]
            assert screen.rejected == [
                'entry 2: "time" is missing',
                "entry 3: not an object but text",
            ]
            status = text_of(screen, "#outbox-status").plain
            assert status == (
                "1 delivery · newest first · 2 malformed entries left out"
                ' (entry 2: "time" is missing)'
            )
            assert "Your code is 123456" in text_of(screen, "#outbox-message-text").plain


def test_the_screen_gets_the_delivery_type_without_loading_the_sandbox() -> None:
    # A fresh interpreter, so that what other tests imported does not count.
    loaded = subprocess.check_output(
        [
            sys.executable,
            "-c",
            "import sys, console.tui.screens.outbox\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('moto', 'werkzeug')"
            " or m.startswith('console.sandbox.')))",
        ],
        text=True,
        timeout=60,
    )
    # The sandbox package loads its modules lazily: only the delivery type comes.
    assert loaded.strip() == "['console.sandbox.delivery']"


async def test_a_message_the_channel_dropped_says_dropped_in_the_list(
    cognito_for: Callable[..., Any],
) -> None:
    """erin is on the SES suppression list (scenario ``ses``): Cognito says delivered."""
    from console.sandbox import start_sandbox

    with start_sandbox() as box:
        box.apply_scenario({"name": "ses"})
        client = cognito_for(box)
        public = box.info.client("public").client_id
        for username in ("alice", "erin"):
            client.resend_confirmation_code(ClientId=public, Username=username)
        app = Host(box.info.endpoint_url)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await loaded(pilot)
            table = screen.query_one("#outbox-table", DataTable)
            columns = [str(column.label) for column in table.ordered_columns]
            outcome = columns.index("Outcome")
            rows = {
                table.get_row_at(i)[1].plain: table.get_row_at(i)[outcome].plain
                for i in range(table.row_count)
            }
            assert rows == {"erin": "dropped", "alice": "default"}
            status = text_of(screen, "#outbox-status").plain
            assert "2 deliveries · newest first · 1 dropped by the channel" in status
            detail = text_of(screen, "#outbox-message-text").plain  # erin's, the newest
            assert "DROPPED" in detail and "suppression list" in detail
