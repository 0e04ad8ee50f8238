"""The TUI in team mode: the uploads' status, the recent-sends warning, the history toggle.

Against moto's DynamoDB server on loopback (tests/helpers/team_db.py), over
HTTP; a refusing or failing table is a real one: a name that does not exist,
or the proxy that drops connections. The sends go to the TUI tests' own
sandbox, as in every main-screen test.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.helpers.team_db import failing_proxy, moto_dynamodb, raw_client, settings
from tests.tui.conftest import SIZE, ready, sandbox_config, send_and_wait, wait_until

if TYPE_CHECKING:
    from console.cognito import Gateway
    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp


@pytest.fixture(autouse=True)
def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dummy keys: moto checks none, and nothing may reach a real AWS account."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with moto_dynamodb() as url:
        yield url


def new_table(endpoint: str) -> str:
    """A table of its own per test: moto's state is shared by every server in the process."""
    from console.history import init_table, team_client

    name = f"tui-{uuid.uuid4().hex[:12]}"
    init_table(team_client(settings(endpoint, table=name)), name)
    return name


@pytest.fixture
def team_app(
    tui_sandbox: Sandbox, tmp_path: Path, shared_gateway: Gateway
) -> Callable[..., ConsoleApp]:
    """A factory: ``team_app(endpoint, table, operator=...)`` -> a ConsoleApp in team mode."""
    from console.config import AppConfig
    from console.tui.app import ConsoleApp

    def make(
        endpoint: str, table: str, *, operator: str = "ana", aws_profile: str | None = None
    ) -> ConsoleApp:
        base = sandbox_config(tui_sandbox, tmp_path / "history.sqlite3")
        team = settings(endpoint, table=table, operator=operator)
        config = AppConfig(
            console=base.console,
            profiles=base.profiles,
            team=team.model_copy(update={"aws_profile": aws_profile}),
        )
        info = tui_sandbox.info
        app = ConsoleApp(
            config,
            profile_name="sandbox",
            gateway=shared_gateway,
            sandbox_endpoints={info.endpoint_url},
            simulating_client_ids={info.client("confidential").client_id},
        )
        app.animation_level = "none"
        return app

    return make


def team_items(endpoint: str, table: str) -> list[dict[str, Any]]:
    client = raw_client(endpoint)
    return list(client.scan(TableName=table)["Items"])


def put_sends(
    endpoint: str,
    table: str,
    pool: str,
    username: str,
    operators: list[str],
    *,
    minutes_ago: int = 4,
    medium: str = "SMS",
) -> None:
    """Attempts of other consoles: one delivered send per operator named, *minutes_ago* apart."""
    from console.history import AttemptRecord, attempt_item

    client = raw_client(endpoint)
    now = datetime.now(UTC)
    items = []
    for n, operator in enumerate(operators):
        started = (now - timedelta(minutes=minutes_ago + n)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        record = AttemptRecord(
            id=n + 1,
            started_at=started,
            finished_at=started,
            profile="prod",
            region="us-east-1",
            user_pool_id=pool,
            client_id="c",
            username=username,
            client_metadata={},
            analytics_endpoint_id=None,
            outcome="delivered",
            medium=medium,
            destination="+*******0100",
            attribute="phone_number",
            error_code=None,
            error_message=None,
            http_status=None,
            request_id="r",
            latency_ms=10.0,
            may_be_simulated=False,
            operator=operator,
            batch_id=None,
        )
        items.append(attempt_item(record, uid=str(uuid.uuid4()), host="other", operator=operator))
    for start in range(0, len(items), 25):
        batch = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
        client.batch_write_item(RequestItems={table: batch})


async def send(pilot: Any, username: str) -> str:
    """Send to *username*; the log entry of that attempt (team notes may come around it)."""
    app = pilot.app

    def entries() -> list[str]:
        return [
            e.plain()
            for e in app.main.log_pane.entries
            if e.attempt_of is not None and e.attempt_of[1] == username
        ]

    before = len(entries())
    await send_and_wait(pilot, username)
    await wait_until(pilot, lambda: len(entries()) > before)
    return entries()[-1]


# -- the status -------------------------------------------------------------------------


async def test_the_status_counts_waiting_attempts_down_to_all_sent(
    team_app: Callable[..., ConsoleApp], endpoint: str, tui_user: Callable[..., str]
) -> None:
    table = new_table(endpoint)
    user = tui_user()
    with failing_proxy(endpoint) as proxy:
        proxy.mode = "drop"  # the table is away: the send goes on, its attempt waits
        app = team_app(proxy.url, table)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            bar = app.main.profile_bar
            await wait_until(pilot, lambda: bar.team_text is not None)
            entry = await send(pilot, user)
            assert entry.startswith("✓")  # the send's result, whatever the team table does
            await wait_until(
                pilot, lambda: bar.team_text == "team: 1 waiting, retrying", timeout=15
            )
            assert bar.status_text == "ready"
            assert team_items(endpoint, table) == []
            proxy.mode = "pass"  # back: the backoff's next try sends it
            app.team.nudge()
            await wait_until(pilot, lambda: bar.team_text == "team: all sent", timeout=20)
            items = team_items(endpoint, table)
            assert [i["username"]["S"] for i in items] == [user]
            assert items[0]["outcome"]["S"] == "delivered"
            assert items[0]["operator"]["S"] == "ana"
            log = [e.plain() for e in app.main.log_pane.entries]
            assert any("team: uploads to" in line and "failed" in line for line in log)
            assert any("get through again" in line for line in log)


async def test_a_refusing_table_is_named_in_the_status_and_sending_works(
    team_app: Callable[..., ConsoleApp], endpoint: str, tui_user: Callable[..., str]
) -> None:
    app = team_app(endpoint, "no-such-table")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        bar = app.main.profile_bar
        entry = await send(pilot, tui_user())
        assert entry.startswith("✓")
        await wait_until(
            pilot, lambda: bar.team_text == "team: 1 waiting · no such table", timeout=15
        )
        warnings = [e.plain() for e in app.main.log_pane.entries if e.mark == "!"]
        assert any("ResourceNotFoundException" in w and "1 waiting" in w for w in warnings)


async def test_missing_credentials_are_named_in_the_status_and_sending_works(
    team_app: Callable[..., ConsoleApp],
    endpoint: str,
    tui_user: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    table = new_table(endpoint)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    app = team_app(endpoint, table)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        entry = await send(pilot, tui_user())
        assert entry.startswith("✓")
        bar = app.main.profile_bar
        await wait_until(
            pilot, lambda: bar.team_text == "team: 1 waiting · no AWS credentials", timeout=15
        )
        warnings = [e.plain() for e in app.main.log_pane.entries if e.mark == "!"]
        assert any("Unable to locate credentials" in w for w in warnings)


async def test_what_a_previous_run_left_queued_goes_out_at_start(
    team_app: Callable[..., ConsoleApp], endpoint: str, tmp_path: Path
) -> None:
    from console.cognito import Delivery, Outcome, OutcomeKind
    from console.history import History

    table = new_table(endpoint)
    with History.open(tmp_path / "history.sqlite3", team=True) as history:  # a crashed run's
        attempt = history.start_attempt(
            profile="sandbox",
            region="us-east-1",
            user_pool_id="us-east-1_x",
            client_id="c",
            username="left-behind",
            client_metadata={},
            analytics_endpoint_id=None,
        )
        delivery = Delivery("EMAIL", "l***@e***.com", "email")
        history.finish_attempt(attempt, Outcome(OutcomeKind.DELIVERED, delivery=delivery))
    app = team_app(endpoint, table)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        bar = app.main.profile_bar
        await wait_until(pilot, lambda: bar.team_text == "team: all sent", timeout=15)
        items = team_items(endpoint, table)
        assert [(i["username"]["S"], i["outcome"]["S"]) for i in items] == [
            ("left-behind", "delivered")
        ]


async def test_quitting_right_after_a_send_still_gives_it_to_the_team(
    team_app: Callable[..., ConsoleApp],
    endpoint: str,
    tui_user: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import console.history.team_upload as team_upload

    # The thread waits for the sends to pause longer than this test lasts: only the
    # app's last upload at quit can send the attempt.
    monkeypatch.setattr(team_upload, "SETTLE_S", 30.0)
    monkeypatch.setattr(team_upload, "MAX_SETTLE_S", 30.0)
    table = new_table(endpoint)
    user = tui_user()
    app = team_app(endpoint, table)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_until(pilot, lambda: app.main.profile_bar.team_text == "team: all sent")
        await send(pilot, user)
        await wait_until(pilot, lambda: app.main.profile_bar.team_text == "team: 1 waiting")
        assert team_items(endpoint, table) == []
    # The app is gone (its final, bounded upload done): the team has the attempt, final.
    items = team_items(endpoint, table)
    assert [(i["username"]["S"], i["outcome"]["S"]) for i in items] == [(user, "delivered")]


async def test_an_aws_profile_that_does_not_exist_is_named_and_sending_works(
    team_app: Callable[..., ConsoleApp],
    endpoint: str,
    tui_user: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    app = team_app(endpoint, "any-table", aws_profile="helpdesk-nope")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        bar = app.main.profile_bar
        await wait_until(pilot, lambda: bar.team_text == "team: not started · no such AWS profile")
        entry = await send(pilot, tui_user())
        assert entry.startswith("✓")
        warnings = [e.plain() for e in app.main.log_pane.entries if e.mark == "!"]
        assert any("helpdesk-nope" in w for w in warnings)


async def test_without_team_the_bar_has_no_team_part(
    make_app: Callable[..., ConsoleApp], tui_user: Callable[..., str]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, tui_user())
        assert app.main.profile_bar.team_text is None
        assert "team" not in str(app.main.query_one("#profile-status").render())
        assert not app.team.on


# -- the recent-sends warning in the form -----------------------------------------------


def team_note(app: ConsoleApp) -> tuple[str, ...]:
    from console.tui.widgets.field_error import FieldError

    return app.main.form.query_one("#username-team", FieldError).messages


async def type_username(pilot: Any, username: str) -> None:
    field = pilot.app.main.form.username_input
    field.focus()
    field.value = ""
    await pilot.press(*username)


async def test_the_form_shows_the_teams_sends_to_the_user_typed_and_only_to_them(
    team_app: Callable[..., ConsoleApp], endpoint: str, tui_sandbox: Sandbox
) -> None:
    from console.history import RecentSends
    from console.tui.team_link import TeamRecentRead

    table = new_table(endpoint)
    pool = tui_sandbox.info.user_pool_id
    bob = f"bob-{uuid.uuid4().hex[:6]}"
    put_sends(endpoint, table, pool, bob, ["ben", "ben", "ana"])
    app = team_app(endpoint, table, operator="ana")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await type_username(pilot, bob)
        expected = (
            f"{bob}: 3 codes in the last hour (2 by ben, 1 by you); "
            "the last was delivered 4 min ago by SMS"
        )
        await wait_until(pilot, lambda: team_note(app) == (expected,))
        # Another name: bob's answer is not shown under it, and carol has none.
        carol = f"carol-{uuid.uuid4().hex[:6]}"
        await type_username(pilot, carol)
        await wait_until(pilot, lambda: team_note(app) == ())
        # A late answer about bob (a slow Query) while the form holds carol: dropped.
        late = RecentSends(bob, 4, (("ben", 4),), None)
        app.main.post_message(TeamRecentRead(("sandbox", pool, bob), late))
        await pilot.pause()
        await pilot.pause()
        assert team_note(app) == ()
        # Back to bob: the newest answer about him, not the late one.
        await type_username(pilot, bob)
        await wait_until(pilot, lambda: team_note(app) == (expected,))


async def test_five_team_sends_ask_before_the_next_and_the_log_says_why(
    team_app: Callable[..., ConsoleApp],
    endpoint: str,
    tui_sandbox: Sandbox,
    tui_user: Callable[..., str],
) -> None:
    from console.tui.screens.confirm import ConfirmScreen

    table = new_table(endpoint)
    user = tui_user()
    put_sends(endpoint, table, tui_sandbox.info.user_pool_id, user, ["ben"] * 3 + ["cleo"] * 2)
    app = team_app(endpoint, table, operator="ana")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await type_username(pilot, user)
        await wait_until(pilot, lambda: bool(team_note(app)) and "5 codes" in team_note(app)[0])
        received = len(tui_sandbox.received())
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert (
            f"the team sent {user} 5 codes in the last hour (3 by ben, 2 by cleo)"
            in confirm.message
        )
        assert "LimitExceededException" in confirm.message
        await pilot.press("n")  # not sent
        await wait_until(pilot, lambda: app.screen is app.main)
        assert len(tui_sandbox.received()) == received
        assert "cancelled" in app.main.log_pane.entries[-1].plain()
        # Sent anyway: the team's line stands in the log above the attempt.
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: len(tui_sandbox.received()) > received)
        await wait_until(
            pilot,
            lambda: any(
                e.attempt_of is not None and e.attempt_of[1] == user
                for e in app.main.log_pane.entries
            ),
        )
        lines = [e.plain() for e in app.main.log_pane.entries]
        team_line = next(i for i, line in enumerate(lines) if f"{user}: 5 codes" in line)
        attempt = next(i for i, line in enumerate(lines) if line.startswith("✓") and user in line)
        assert team_line < attempt


async def test_an_unreadable_table_is_one_line_and_sending_works(
    team_app: Callable[..., ConsoleApp], endpoint: str, tui_user: Callable[..., str]
) -> None:
    app = team_app(endpoint, "no-such-table")
    user = tui_user()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await type_username(pilot, user)
        await wait_until(
            pilot,
            lambda: (
                team_note(app) == ("team: cannot read recent sends: ResourceNotFoundException",)
            ),
        )
        entry = await send(pilot, user)
        assert entry.startswith("✓")


# -- the history screen's team toggle ---------------------------------------------------


def screen_text(app: ConsoleApp) -> str:
    from tests.tui.test_hostile_tui import screen_output

    return screen_output(app)[1]


def history_status(app: ConsoleApp) -> str:
    """The history screen's status, after its title (``History · ``)."""
    from console.tui.widgets.title_line import TitleLine

    return app.screen.query_one("#history-status", TitleLine).status_text


async def open_history(pilot: Any) -> Any:
    from console.tui.screens.history import HistoryScreen

    app = pilot.app
    await pilot.press("f3")
    await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
    return app.screen


async def test_the_history_toggles_to_the_teams_pages_and_back(
    team_app: Callable[..., ConsoleApp],
    endpoint: str,
    tui_sandbox: Sandbox,
    tui_user: Callable[..., str],
) -> None:
    from console.tui.widgets.history_table import HistoryTable

    table = new_table(endpoint)
    pool = tui_sandbox.info.user_pool_id
    theirs = f"theirs-{uuid.uuid4().hex[:6]}"
    put_sends(endpoint, table, pool, theirs, [f"op{n:03}" for n in range(230)], minutes_ago=1)
    app = team_app(endpoint, table)
    mine = tui_user()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, mine)
        screen = await open_history(pilot)
        rows = screen.query_one(HistoryTable)
        await wait_until(pilot, lambda: "local history · 1 matching" in history_status(app))
        assert [r.username for r in rows.records] == [mine]
        assert "ctrl+t: team" in history_status(app)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: "team history" in history_status(app))
        await wait_until(pilot, lambda: bool(rows.records))
        assert screen.sub_title == "team history"
        # Pages on demand: a screen's worth and one page more, the rest as the cursor goes.
        await wait_until(pilot, lambda: "more below" in history_status(app))
        first = len(rows.records)
        assert 40 <= first < 231
        assert rows.records[0].username == mine  # ours reached the team, newest
        assert rows.records[1].username == theirs and rows.records[1].operator == "op000"
        assert rows.row_cells(1)[-1].plain == "op000"  # who sent it, where a profile would be
        await wait_until(pilot, lambda: "Team attempt by ana" in screen_text(app))
        for _ in range(40):  # the cursor goes down; the next pages come as it nears the end
            if len(rows.records) == 231:
                break
            await pilot.press("pagedown")
            await pilot.pause()
        await wait_until(
            pilot,
            lambda: len(rows.records) == 231 and "more below" not in history_status(app),
            timeout=15,
        )
        assert len({r.id for r in rows.records}) == 231  # each attempt once, none skipped
        assert {r.operator for r in rows.records} == {"ana"} | {f"op{n:03}" for n in range(230)}
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: "local history · 1 matching" in history_status(app))
        assert [r.username for r in rows.records] == [mine]


async def test_an_unreachable_team_table_is_one_line_and_the_local_view_works(
    team_app: Callable[..., ConsoleApp], endpoint: str, tui_user: Callable[..., str]
) -> None:
    from console.tui.widgets.history_table import HistoryTable

    app = team_app(endpoint, "no-such-table")
    mine = tui_user()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, mine)
        screen = await open_history(pilot)
        await wait_until(pilot, lambda: "1 matching" in history_status(app))
        await pilot.press("ctrl+t")
        await wait_until(
            pilot,
            lambda: (
                history_status(app) == "team: cannot read the team table: ResourceNotFoundException"
            ),
        )
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: "local history · 1 matching" in history_status(app))
        assert [r.username for r in screen.query_one(HistoryTable).records] == [mine]


async def test_without_team_the_toggle_says_team_mode_is_off(
    make_app: Callable[..., ConsoleApp], tui_user: Callable[..., str]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, tui_user())
        await open_history(pilot)
        await wait_until(pilot, lambda: "1 matching" in history_status(app))
        await pilot.press("ctrl+t")
        await wait_until(
            pilot, lambda: any("team mode is off" in n.message for n in app._notifications)
        )
        assert history_status(app).startswith("1 matching")  # no team words without [team]
