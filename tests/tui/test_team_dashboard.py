"""The team dashboard: the team's last 24 hours from moto's DynamoDB, and one snapshot of it.

The snapshot is pinned: a fixed table name, items at fixed times, and the
dashboard's clock fixed at the end of those 24 hours (the app's TeamLink
takes a clock); nothing on the screen depends on the wall clock or on the
random ports and ids of the servers behind it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tests.helpers.team_db import raw_client
from tests.tui import test_team_tui as team_tests
from tests.tui.conftest import SIZE, ready, wait_until
from tests.tui.test_screen_titles import top_line
from tests.tui.test_team_tui import new_table

# The team-mode fixtures of test_team_tui.py, used here by name.
endpoint = team_tests.endpoint
fake_credentials = team_tests.fake_credentials
team_app = team_tests.team_app

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp

NOW = datetime(2026, 12, 5, 14, 30, tzinfo=UTC)
HOSTILE = "[@click=app.quit]x[/] \x1b]52;c;aGk=\x07 \u202eabc"


def put_day(
    client: Any,
    table: str,
    *,
    now: datetime = NOW,
    hostile: bool = False,
    limit_code: str = "LimitExceededException",
) -> int:
    """A helpdesk's day: deliveries most hours, a burst of failures at 11 and 12 UTC.

    Deterministic (uids from uuid5); returns how many attempts were written.
    """
    from console.history import AttemptRecord, attempt_item

    users = ["bob", "alice", "carol", "dave"]
    operators = ["ana", "ben", "cleo"]
    written = 0
    for back in range(24):
        hour = now - timedelta(hours=back)
        delivered = (back * 7) % 5 + (3 if 2 <= back <= 6 else 0)
        failed = 4 if back in (2, 3) else (1 if back % 8 == 5 else 0)
        for n in range(delivered + failed):
            started = hour.replace(minute=min(59, n * 5), second=0).strftime(
                "%Y-%m-%dT%H:%M:%S.000Z"
            )
            if started > now.strftime("%Y-%m-%dT%H:%M:%S.000Z"):
                continue
            ok = n < delivered
            user = users[(back + n) % len(users)]
            if (back, n) == (2, 0):
                user = f"eve{HOSTILE}" if hostile else "eve"
            operator = operators[(back * 3 + n) % len(operators)]
            code = None if ok else (limit_code if n % 2 else "CodeMismatch")
            if not ok and back == 3 and hostile:
                code = f"Hostile{HOSTILE}"
            record = AttemptRecord(
                id=written + 1,
                started_at=started,
                finished_at=started,
                profile="prod",
                region="eu-west-1",
                user_pool_id="eu-west-1_Team",
                client_id="c",
                username=user,
                client_metadata={},
                analytics_endpoint_id=None,
                outcome="delivered" if ok else "failed",
                medium="EMAIL" if ok else None,
                destination="b***@e***.com" if ok else None,
                attribute="email" if ok else None,
                error_code=code,
                error_message=None if ok else "no",
                http_status=None if ok else 400,
                request_id="r",
                latency_ms=10.0,
                may_be_simulated=False,
                operator=operator,
                batch_id=None,
            )
            uid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{back}/{n}"))
            client.put_item(
                TableName=table, Item=attempt_item(record, uid=uid, host="h", operator=operator)
            )
            written += 1
    return written


async def open_dashboard(pilot: Pilot[Any]) -> Any:
    from console.tui.screens.dashboard import DashboardScreen

    app = pilot.app
    await ready(pilot)
    await wait_until(pilot, lambda: app.team.on)  # type: ignore[attr-defined]
    await pilot.press("ctrl+z")
    await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
    screen = app.screen
    await wait_until(pilot, lambda: screen.stats is not None or screen.problem is not None)
    return screen


async def test_the_dashboard_shows_the_teams_day(
    team_app: Callable[..., ConsoleApp], endpoint: str
) -> None:
    from console.tui.team_link import TeamLink

    table = new_table(endpoint)
    written = put_day(raw_client(endpoint), table)
    app = team_app(endpoint, table)
    app.team = TeamLink(clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_dashboard(pilot)
        stats = screen.stats
        assert stats is not None and stats.total == written
        text = screen.text
        heading = f"Team dashboard · {table} · {written} attempts since 4 Dec 15:00 UTC"
        assert heading in text
        assert top_line(app).startswith(f"Team dashboard · {table} · ")  # as painted, on top
        delivered = sum(stats.per_hour["delivered"])
        assert f"{delivered} · peak " in text
        assert "15    18    21    00    03    06    09    12" in text  # the UTC hours, aligned
        assert "Top error codes" in text and "LimitExceededException" in text
        assert "Busiest operators" in text and "ana" in text and "cleo" in text
        # The failures' sparkline peaks at the burst (11 and 12 UTC): its tallest bars there.
        from textual.widgets import Sparkline

        failed = list(screen.query_one("#dash-failed", Sparkline).data or [])
        assert failed[40:44] == [4, 4, 4, 4]  # two cells an hour at 80 columns
        assert max(failed) == 4 and failed.count(4) == 4
        # Another console's attempt since: r reads again.
        client = raw_client(endpoint)
        item = client.scan(TableName=table, Limit=1)["Items"][0]
        uid = str(uuid.uuid4())
        item["uid"] = {"S": uid}
        item["sk"] = {"S": f"{item['started_at']['S']}#{uid}"}
        client.put_item(TableName=table, Item=item)
        await pilot.press("r")
        await wait_until(pilot, lambda: screen.stats is not None and screen.stats.total > written)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main)


async def test_a_wide_terminal_draws_each_hour_wider_and_the_axis_follows(
    team_app: Callable[..., ConsoleApp], endpoint: str
) -> None:
    from textual.widgets import Sparkline

    from console.tui.team_link import TeamLink

    table = new_table(endpoint)
    put_day(raw_client(endpoint), table)
    app = team_app(endpoint, table)
    app.team = TeamLink(clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        await wait_until(pilot, lambda: "15       18       21       00" in screen.text)
        assert screen.query_one("#dash-delivered", Sparkline).size.width == 72
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: "15    18    21    00" in screen.text)
        assert screen.query_one("#dash-delivered", Sparkline).size.width == 48


async def test_the_dashboard_says_team_mode_is_off_without_team(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.screen is app.main
        notes = [n.message for n in app._notifications]
        assert any("team mode is off" in n for n in notes)


async def test_an_unreadable_table_is_one_line_on_the_dashboard(
    team_app: Callable[..., ConsoleApp], endpoint: str
) -> None:
    app = team_app(endpoint, "no-such-table")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        assert screen.stats is None
        assert screen.problem == "team: cannot read the team table: ResourceNotFoundException"
        assert screen.problem in screen.text


SNAPSHOT_TABLE = "helpdesk-history"


def test_dashboard_snapshot_80x24(
    snap_compare: Callable[..., bool],
    team_app: Callable[..., ConsoleApp],
    endpoint: str,
    tui_sandbox: Sandbox,
) -> None:
    from console.history import init_table, team_client
    from console.tui.team_link import TeamLink
    from tests.helpers.team_db import settings

    client = raw_client(endpoint)
    if SNAPSHOT_TABLE in client.list_tables()["TableNames"]:
        client.delete_table(TableName=SNAPSHOT_TABLE)
    init_table(team_client(settings(endpoint, table=SNAPSHOT_TABLE)), SNAPSHOT_TABLE)
    put_day(client, SNAPSHOT_TABLE)
    app = team_app(endpoint, SNAPSHOT_TABLE)
    app.team = TeamLink(clock=lambda: NOW)

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_dashboard(pilot)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_the_longest_error_code_is_whole_at_80(
    team_app: Callable[..., ConsoleApp], endpoint: str
) -> None:
    from console.tui.team_link import TeamLink
    from tests.tui.test_small_details import lines_of

    table = new_table(endpoint)
    put_day(raw_client(endpoint), table, limit_code="CodeDeliveryFailureException")
    app = team_app(endpoint, table)
    app.team = TeamLink(clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_dashboard(pilot)
        assert screen.stats is not None
        await pilot.pause()
        rows = lines_of(app)
        assert any("6 CodeDeliveryFailureException" in row for row in rows), rows
        assert any("18 dave" in row for row in rows)  # the users' column still there
        # As on every screen: the title in the first column, the footer edge to edge.
        assert rows[0].startswith(" Team dashboard · ") and rows[-1].startswith(" r Refresh ")
