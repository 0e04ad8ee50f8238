"""One hostile value on every screen of the TUI.

The value is planted where each screen gets its text from outside: a pool's
and an app client's name and a trigger's ARN (a pool created over HTTP
through the sandbox's admin API), a user's email, phone and name, the
server's error message, a users file, ClientMetadata in the outbox, a
profile's description, the history. Each screen is opened as the operator
opens it, and a full repaint must hold no hazard by the wide oracle of
tests/data/hostile.py, no link (markup parsed), and the value shown escaped.

:func:`test_every_screen_is_in_the_sweep` fails when a screen class is
added to console/tui/screens without being visited here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import admin_client_for, cognito_client_for
from tests.data.hostile import CORPUS, screen_hazards
from tests.helpers.team_db import sent_by
from tests.tui.conftest import SIZE, ready, sandbox_config, wait_until
from tests.tui.test_hostile_tui import screen_output

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from console.cognito import Gateway
    from console.history import TeamStats
    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp

HOSTILE = (
    "[@click=app.quit]x[/] \x1b]52;c;aGk=\x07 \rFAKE\x08\x07 \u202eabc \u200b \u2028 \x7f \x9b2J"
)
SHOWN = "\\x1b]52;c;aGk=\\x07"
"""Part of the value as console.text.visible shows it, which proves it was shown."""

EVERY_HAZARD = (
    HOSTILE
    + " "
    + " ".join(case.value for case in CORPUS if case.family in ("escape", "invisible"))
)
"""The value and every escape and invisible value of the corpus, as the server's message."""

TEAM_TABLE = "hostile-team"
BAD_NAME = "bad" + HOSTILE.replace("\r", "").replace("\u2028", "") + "name"


@pytest.fixture(scope="module")
def hostile_pool_sandbox() -> Iterator[Sandbox]:
    """A sandbox of this module's own, with a second pool whose names are hostile."""
    from console.sandbox import start_sandbox

    running = start_sandbox()
    try:
        yield running
    finally:
        running.stop()


def _hostile_pool(sandbox: Sandbox) -> dict[str, str]:
    admin = admin_client_for(sandbox)
    pool = admin.create_user_pool(
        PoolName=f"pool {HOSTILE}",
        AutoVerifiedAttributes=["email"],
        LambdaConfig={"CustomMessage": f"arn:aws:lambda:us-east-1:1:function:f{HOSTILE}"},
    )["UserPool"]["Id"]
    client = admin.create_user_pool_client(UserPoolId=pool, ClientName=f"client {HOSTILE}")
    return {"pool": pool, "client": client["UserPoolClient"]["ClientId"]}


def _hostile_user(sandbox: Sandbox) -> str:
    """A user of the demo pool whose email, phone and name are hostile (admin API, HTTP)."""
    username = f"hostile-{uuid.uuid4().hex[:8]}"
    admin_client_for(sandbox).admin_create_user(
        UserPoolId=sandbox.info.user_pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": f"evil-{username}{HOSTILE}@example.com"},
            {"Name": "phone_number", "Value": f"+1555{HOSTILE}0100"},
            {"Name": "name", "Value": f"Name {HOSTILE}"},
        ],
    )
    return username


def _app(sandbox: Sandbox, tmp_path: Path, gateway: Gateway) -> ConsoleApp:
    from console.config import Profile, TeamSettings
    from console.history import init_table, team_client
    from console.tui.app import ConsoleApp

    info = sandbox.info
    pool = _hostile_pool(sandbox)
    extra = {
        "hostile": Profile(
            description=f"desc {HOSTILE}",
            region=info.region,
            user_pool_id=pool["pool"],
            client_id=pool["client"],
            endpoint_url=info.endpoint_url,
        )
    }
    config = sandbox_config(sandbox, tmp_path / "history.sqlite3", extra=extra)
    # A [team] table on the sandbox: the batch's start question names who is at the limit.
    team = TeamSettings(table=TEAM_TABLE, region="eu-west-1", endpoint_url=info.endpoint_url)
    init_table(team_client(team), TEAM_TABLE)
    config = config.model_copy(update={"team": team})
    app = ConsoleApp(
        config,
        profile_name="sandbox",
        sandbox_endpoints={info.endpoint_url},
        simulating_client_ids={info.client("confidential").client_id},
        gateway=gateway,
    )
    app.animation_level = "none"
    return app


def _assert_safe(app: ConsoleApp, where: str, *, shown: str | None = SHOWN) -> None:
    raw, texts = screen_output(app)
    assert screen_hazards(texts) == [], f"{where}: a raw control character reached the screen"
    assert "\x1b]8;" not in raw, f"{where}: a link was made (markup parsed)"
    assert app.is_running and app.return_code is None, f"{where}: the app stopped"
    if shown is not None:
        assert shown in texts, f"{where}: the value never showed (escaped)"


SWEPT = {
    "MainScreen",
    "LookupScreen",
    "ConfirmScreen",
    "StartConfirmScreen",
    "BatchScreen",
    "BatchConfirmScreen",
    "HistoryScreen",
    "ExportDialog",
    "OutboxScreen",
    "HelpScreen",
    "PoolFactsScreen",
    "DoctorScreen",
    "DashboardScreen",
}
"""The screens the sweep visits; it checks it visited each."""

VISITED: set[str] = set()


async def _visit(pilot: Pilot[Any], screen_type: type, where: str) -> Any:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen_type))
    VISITED.add(screen_type.__name__)
    return pilot.app.screen


async def _back_to_main(pilot: Pilot[Any]) -> None:
    app: Any = pilot.app
    await pilot.press("escape")
    await wait_until(pilot, lambda: app.screen is app.main)


def _hostile_team_stats(sandbox: Sandbox) -> Callable[[], TeamStats]:
    """The team dashboard's reader, for a table on the sandbox's DynamoDB whose usernames,
    operators and error codes are hostile (another console wrote them)."""
    import boto3

    from console.history import init_table, team_stats
    from tests.tui.test_team_dashboard import NOW, put_day

    client = boto3.client(
        "dynamodb",
        endpoint_url=sandbox.info.endpoint_url,
        region_name=sandbox.info.region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    table = f"hostile-{uuid.uuid4().hex[:8]}"
    init_table(client, table)
    put_day(client, table, hostile=True)
    return lambda: team_stats(client, table, now=NOW)


def _arm(sandbox: Sandbox, count: int = 1) -> None:
    sandbox.set_fault("error", code="HostileException", message=EVERY_HAZARD, count=count)


async def test_every_screen_shows_the_value_escaped(
    hostile_pool_sandbox: Sandbox,
    tmp_path: Path,
    shared_gateway: Gateway,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from textual.widgets import Input

    from console.tui.screens.batch import BatchScreen
    from console.tui.screens.batch_confirm import BatchConfirmScreen, start_question
    from console.tui.screens.confirm import ConfirmScreen, StartConfirmScreen
    from console.tui.screens.dashboard import DashboardScreen
    from console.tui.screens.doctor import DoctorScreen
    from console.tui.screens.help import HelpScreen
    from console.tui.screens.history import HistoryScreen
    from console.tui.screens.history_export import ExportDialog
    from console.tui.screens.lookup import LookupScreen
    from console.tui.screens.main import MainScreen
    from console.tui.screens.outbox import OutboxScreen
    from console.tui.screens.pool_facts import PoolFactsScreen

    sandbox = hostile_pool_sandbox
    looked_up = _hostile_user(sandbox)
    sendable = f"ok-{uuid.uuid4().hex[:8]}"
    sandbox.add_user(sendable, email=f"{sendable}@example.com")
    cognito_client_for(sandbox).resend_confirmation_code(
        ClientId=sandbox.info.client("public").client_id,
        Username=sendable,
        ClientMetadata={"note": HOSTILE},
    )
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    busy = f"busy-{uuid.uuid4().hex[:8]}"
    users = tmp_path / "users.txt"
    users.write_text(f"{sendable}\n{BAD_NAME}\n{busy}\n", encoding="utf-8")
    app = _app(sandbox, tmp_path, shared_gateway)
    pool = sandbox.info.user_pool_id
    sent_by(sandbox.info.endpoint_url, TEAM_TABLE, pool, busy, f"ben {HOSTILE}", 5)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        # Main: the server's message in the attempt log.
        _arm(sandbox)
        before = len(app.main.log_pane.entries)
        app.main.form.username_input.value = sendable
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(app.main.log_pane.entries) > before)
        await wait_until(pilot, lambda: "HostileException" in app.main.log_pane.entries[-1].plain())
        await _visit(pilot, MainScreen, "main")
        _assert_safe(app, "main screen")

        # Doctor for that attempt's user: the hostile text is the server's, in recent
        # attempts at most (a logged delivery error holding every corpus value is
        # test_hostile_tui.py::test_the_doctor_screen_paints_hostile_values_safely).
        await pilot.press("ctrl+y")
        doctor = await _visit(pilot, DoctorScreen, "doctor")
        await wait_until(pilot, lambda: doctor.report is not None, timeout=15)
        _assert_safe(app, "doctor", shown=None)
        await _back_to_main(pilot)

        # Lookup: the user's hostile email and phone in results and detail.
        await pilot.press("f8")
        lookup = await _visit(pilot, LookupScreen, "lookup")
        field = lookup.query_one("#lookup-value", Input)
        field.value = looked_up
        field.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: not lookup.searching and bool(lookup.users), timeout=15)
        await wait_until(pilot, lambda: SHOWN in screen_output(app)[1])
        _assert_safe(app, "lookup results")
        # Enter takes the user to the form; a send asks first (status not UNCONFIRMED).
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is app.main)
        await pilot.press("enter")
        confirm = await _visit(pilot, ConfirmScreen, "confirm")
        _assert_safe(app, "confirm", shown=None)
        assert looked_up in screen_output(app)[1]
        confirm.dismiss(False)
        await wait_until(pilot, lambda: app.screen is app.main)

        # Batch: a hostile username and a hostile server message in the failures table.
        _arm(sandbox)
        await pilot.press("f12")
        batch = await _visit(pilot, BatchScreen, "batch")
        batch.query_one("#batch-file", Input).value = str(users)
        batch.query_one("#batch-rate", Input).value = "50"
        await pilot.press("f5")  # it asks first, with the count and who is at the team's limit
        await _visit(pilot, BatchConfirmScreen, "batch confirm")
        _assert_safe(app, "batch confirm")  # the other operator's name
        await pilot.press("y")
        await wait_until(pilot, lambda: not batch.running and batch.summary is not None, timeout=20)
        assert batch.query_one("#batch-failures").row_count == 3  # type: ignore[attr-defined]
        _assert_safe(app, "batch failures", shown="HostileException")
        shown = screen_output(app)[1]  # cells are cut to their column
        assert "HostileException              [@click=app.quit]x[/] \\x1b]52;c;a" in shown
        assert "bad[@click=app.quit…" in shown
        # A start with no one at the limit asks plainly; the file's name is the user's.
        app.push_screen(start_question(f"Send a code to 2 users of {HOSTILE}.txt now", 2, 0))
        await _visit(pilot, StartConfirmScreen, "batch start")
        await wait_until(pilot, lambda: SHOWN in screen_output(app)[1])
        _assert_safe(app, "batch start")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is batch)
        await _back_to_main(pilot)

        # History: the rows just recorded, the server's message in the detail.
        await pilot.press("f3")
        await _visit(pilot, HistoryScreen, "history")
        await wait_until(pilot, lambda: SHOWN in screen_output(app)[1])
        _assert_safe(app, "history")
        app.push_screen(ExportDialog(3))
        await _visit(pilot, ExportDialog, "history export")
        _assert_safe(app, "history export", shown=None)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await _back_to_main(pilot)

        # Outbox: ClientMetadata the sandbox recorded for a delivery.
        await pilot.press("f4")
        outbox = await _visit(pilot, OutboxScreen, "outbox")
        await wait_until(pilot, lambda: bool(outbox.entries), timeout=15)
        await wait_until(pilot, lambda: SHOWN in screen_output(app)[1])
        _assert_safe(app, "outbox")
        await _back_to_main(pilot)

        # Help: every key; nothing hostile of its own, but no screen is left out.
        await pilot.press("f1")
        await _visit(pilot, HelpScreen, "help")
        _assert_safe(app, "help", shown=None)
        await _back_to_main(pilot)

        # Pool facts of the hostile pool: its name, client name, trigger ARN, description.
        await app.switch_profile("hostile")
        await wait_until(pilot, lambda: app.active_name == "hostile")
        await pilot.press("f9")
        facts = await _visit(pilot, PoolFactsScreen, "pool facts")
        await wait_until(pilot, lambda: facts.result is not None, timeout=15)
        _assert_safe(app, "pool facts")
        text = facts.text
        assert f"pool [@click=app.quit]x[/] {SHOWN}" in text
        assert f"client [@click=app.quit]x[/] {SHOWN}" in text
        assert f"function:f[@click=app.quit]x[/] {SHOWN}" in text
        await _back_to_main(pilot)
        _assert_safe(app, "main screen, hostile profile", shown=None)

        # Team dashboard: usernames, operators and error codes from the shared table.
        app.push_screen(DashboardScreen(_hostile_team_stats(sandbox), table=f"t{HOSTILE}"))
        dashboard = await _visit(pilot, DashboardScreen, "team dashboard")
        await wait_until(pilot, lambda: dashboard.stats is not None, timeout=15)
        # The stats are in; their rows are drawn on the next refresh.
        await wait_until(pilot, lambda: "eve[@click=app.quit]x[/]" in screen_output(app)[1])
        _assert_safe(app, "team dashboard")
        await _back_to_main(pilot)
    sandbox.clear_fault()
    assert VISITED == SWEPT


def _screen_classes() -> set[str]:
    """Every Screen class defined in console/tui/screens."""
    from textual.screen import Screen

    import console.tui.screens as package

    found: set[str] = set()
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__:
                found.add(cls.__name__)
    return found


def test_every_screen_is_in_the_sweep() -> None:
    missing = _screen_classes() - SWEPT
    assert not missing, f"no hostile visit for: {sorted(missing)}; add one above"
