"""`cognito-console --sandbox --team` in the TUI: start or join, and the log says which.

The console that starts the team sandbox says that quitting stops it for the
others; one that joins says what happens when the owner quits. Both get the
demo's [team] table on that sandbox in their config.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import free_port
from tests.tui.conftest import SIZE, wait_until


def _args(port: int) -> argparse.Namespace:
    return argparse.Namespace(
        config=None,
        profile=None,
        sandbox=True,
        sandbox_team=True,
        team_port=port,
        debug=False,
        custom_message_trigger=None,
        trigger_python=None,
        trigger_env_file=None,
    )


async def _note(pilot: Any, words: str) -> str:
    log = pilot.app.main.log_pane
    await wait_until(pilot, lambda: any(words in e.plain() for e in log.entries), timeout=60)
    return next(e.plain() for e in log.entries if words in e.plain())


async def test_a_console_joins_the_team_sandbox_and_leaves_it_running(
    no_user_config: Path,
) -> None:
    from console.tui.launch import build_app, start_loopback_sandbox
    from console.tui.team_sandbox import DEMO_TABLE, probe, start_team_sandbox

    port = free_port()
    owner = start_team_sandbox(port, lambda p: start_loopback_sandbox(port=p))
    try:
        app = build_app(_args(port))
        async with app.run_test(size=SIZE) as pilot:
            note = await _note(pilot, "joined the team sandbox at")
            assert f"http://127.0.0.1:{port} (another console started it)" in note
            team = app.config.team
            assert team is not None
            assert (team.table, team.endpoint_url) == (DEMO_TABLE, f"http://127.0.0.1:{port}")
            await wait_until(pilot, lambda: app.active_name == "sandbox")
            assert app.config.profiles["sandbox"].user_pool_id == owner.info.user_pool_id
        assert probe(port) == owner.info  # the joiner quit; the owner's sandbox serves on
    finally:
        owner.stop()


async def test_the_console_that_starts_it_says_so_and_stops_it_on_quit(
    no_user_config: Path,
) -> None:
    from console.tui.launch import build_app
    from console.tui.team_sandbox import probe

    port = free_port()
    app = build_app(_args(port))
    async with app.run_test(size=SIZE) as pilot:
        note = await _note(pilot, "team sandbox started at")
        assert "quitting this one stops it for them" in note
        assert probe(port) is not None
    assert probe(port) is None


@pytest.fixture
def foreign_server() -> Any:
    """An HTTP server that is not ours on a free loopback port (404 for every path)."""
    from tests.helpers.fault_server import fault_server

    with fault_server() as server:
        server.answer = (404, "text/html", b"<h1>Not Found</h1>")
        yield server


async def test_a_port_held_by_another_server_is_one_line_and_the_team_is_not_started(
    no_user_config: Path, foreign_server: Any
) -> None:
    from console.tui.launch import build_app

    port = foreign_server.server_address[1]
    app = build_app(_args(port))
    async with app.run_test(size=(80, 24)) as pilot:
        note = await _note(pilot, "the sandbox did not start")
        assert f"the sandbox did not start: port {port} on 127.0.0.1 is in use by" in note
        assert "--team-port PORT" in note and "NotOurSandbox" not in note
        bar = app.main.profile_bar
        await wait_until(pilot, lambda: app.history is not None)
        # Not "team: all sent" beside "sandbox failed": nothing was, or will be, sent.
        await wait_until(pilot, lambda: bar.team_text == "team: not started · no sandbox")
        assert bar.status_text == "sandbox failed"
        assert not app.team.on


async def test_the_team_uploads_start_once_the_team_sandbox_is_up(no_user_config: Path) -> None:
    from console.tui.launch import build_app

    app = build_app(_args(free_port()))
    async with app.run_test(size=SIZE) as pilot:
        await _note(pilot, "team sandbox started at")
        await wait_until(pilot, lambda: app.main.profile_bar.team_text == "team: all sent")
        assert app.team.on
