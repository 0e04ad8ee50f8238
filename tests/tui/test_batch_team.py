"""The batch screen with a [team] table: the start question names the users at the hourly limit.

The team table lives on the TUI sandbox's own endpoint (it serves DynamoDB);
another operator's five sends are written there as their console writes them.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.helpers.team_db import sent_by
from tests.tui.conftest import SIZE, ready, sandbox_config, wait_until
from tests.tui.test_batch_screen import open_batch, sent_counts, users_file
from tests.tui.test_screen_titles import dialog_top

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from console.cognito import Gateway
    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp
    from console.tui.screens.batch import BatchScreen


@pytest.fixture
def team_app(
    tui_sandbox: Sandbox, tmp_path: Path, shared_gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> tuple[ConsoleApp, str]:
    """An app whose config has a [team] table (created) on the sandbox; and its table."""
    from console.config import TeamSettings
    from console.history import init_table, team_client
    from console.tui.app import ConsoleApp

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    info = tui_sandbox.info
    team = TeamSettings(
        table=f"team-{uuid.uuid4().hex[:12]}",
        region="eu-west-1",
        endpoint_url=info.endpoint_url,
        operator="ana",
    )
    init_table(team_client(team), team.table)
    config = sandbox_config(tui_sandbox, tmp_path / "history.sqlite3")
    config = config.model_copy(update={"team": team})
    app = ConsoleApp(
        config,
        profile_name="sandbox",
        gateway=shared_gateway,
        sandbox_endpoints={info.endpoint_url},
    )
    return app, team.table


async def _question(pilot: Pilot[Any]) -> Any:
    from console.tui.screens.batch_confirm import BatchConfirmScreen

    await pilot.press("f5")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, BatchConfirmScreen), timeout=20)
    return pilot.app.screen


async def _summary(pilot: Pilot[Any], screen: BatchScreen, key: str) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: screen.summary is not None and not screen.running, timeout=20)


async def test_the_question_names_the_users_at_the_limit_and_offers_force(
    team_app: tuple[ConsoleApp, str],
    tui_sandbox: Sandbox,
    tui_user: Callable[..., str],
    tmp_path: Path,
) -> None:
    app, table = team_app
    busy, quiet, other = tui_user(), tui_user(), tui_user()
    sent_by(tui_sandbox.info.endpoint_url, table, tui_sandbox.info.user_pool_id, busy, "ben", 5)
    path = users_file(tmp_path, [busy, quiet, other])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_batch(pilot, path, rate="50")
        question = await _question(pilot)
        assert question.message.startswith(
            f"Send a confirmation code to 2 users of {path} now, batch b-"
        )
        assert (
            f" 1 user at Cognito's hourly limit will be skipped, e.g. {busy}: 5 codes in the "
            "last hour (5 by ben); the last was delivered "
        ) in question.message
        assert "Enter or y: send, skip 1 · f: send all 3" in str(
            question.query_one("#confirm-question").content
        )
        assert " Start the batch? " in dialog_top(app, "#confirm-dialog")  # its title, painted
        await _summary(pilot, screen, "y")
        summary = screen.summary
        assert summary is not None
        assert summary.counts() == {"delivered": 2, "skipped_at_limit": 1}
        assert "2 delivered, 1 skipped at limit" in screen.status_text
        assert "3/3 · delivered 2 · failed 0 · at limit 1" in screen.progress_text
        assert screen.query_one("#batch-failures").row_count == 1  # type: ignore[attr-defined]
        assert sent_counts(tui_sandbox, [busy, quiet, other]) == Counter({quiet: 1, other: 1})

        # F5 again resumes the batch (its id is in the field): only the skipped user is left,
        # and the force choice sends to them.
        question = await _question(pilot)
        assert question.message.startswith("Send a confirmation code to 0 users of ")
        assert " 2 users of the file are skipped (done in this batch)." in question.message
        await _summary(pilot, screen, "f")
        summary = screen.summary
        assert summary is not None
        assert summary.counts() == {"delivered": 1, "already_delivered": 2}
        assert sent_counts(tui_sandbox, [busy, quiet, other]) == Counter([busy, quiet, other])


async def test_cancelling_the_question_sends_nobody(
    team_app: tuple[ConsoleApp, str],
    tui_sandbox: Sandbox,
    tui_user: Callable[..., str],
    tmp_path: Path,
) -> None:
    app, table = team_app
    busy = tui_user()
    sent_by(tui_sandbox.info.endpoint_url, table, tui_sandbox.info.user_pool_id, busy, "ben", 7)
    path = users_file(tmp_path, [busy])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_batch(pilot, path, rate="50")
        question = await _question(pilot)
        assert "7 codes in the last hour (7 by ben)" in question.message
        await pilot.press("escape")
        await wait_until(pilot, lambda: "not started: nothing sent" in screen.status_text)
        assert sent_counts(tui_sandbox, [busy]) == Counter()


async def test_an_unreadable_team_table_is_said_and_the_batch_still_sends(
    tui_sandbox: Sandbox,
    tui_user: Callable[..., str],
    tmp_path: Path,
    shared_gateway: Gateway,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Nothing listens where the team table should be: one warning, and everyone is sent."""
    from console.config import TeamSettings
    from console.tui.app import ConsoleApp
    from console.tui.screens.confirm import ConfirmScreen

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    info = tui_sandbox.info
    team = TeamSettings(table="team", region="eu-west-1", endpoint_url="http://127.0.0.1:9")
    config = sandbox_config(tui_sandbox, tmp_path / "history.sqlite3")
    app = ConsoleApp(
        config.model_copy(update={"team": team}),
        profile_name="sandbox",
        gateway=shared_gateway,
        sandbox_endpoints={info.endpoint_url},
    )
    names = [tui_user(), tui_user()]
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_batch(pilot, users_file(tmp_path, names), rate="50")
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), timeout=20)
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert question.message.endswith(
            "The team's table could not be read (Could not connect to the endpoint URL: "
            '"http://127.0.0.1:9/"): this console\'s history alone counts the codes sent.'
        )
        toasts = [n.message for n in app._notifications]
        assert toasts == [
            'team: recent sends not read (Could not connect to the endpoint URL: "http://'
            "127.0.0.1:9/\"); sending anyway, this console's history alone guards the hourly limit"
        ]
        await _summary(pilot, screen, "y")
        assert screen.summary is not None
        assert screen.summary.counts() == {"delivered": 2}
        assert sent_counts(tui_sandbox, names) == Counter(names)
        assert len(app._notifications) == 1  # said once, not again for each user
