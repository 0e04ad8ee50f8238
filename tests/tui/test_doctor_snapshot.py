"""A snapshot of the delivery doctor for frank after a "delivered" resend (120x40).

Pinned as in test_snapshots.py: a sandbox at a fixed loopback address, its
pool and public client also answering to fixed ids (moto makes up random
ones), the log's clock fixed. The pool's log delivery is configured under
its real id; the alias gets its own, empty log group: no changing times on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from textual.widgets import Input

from tests.tui.conftest import FIXED_TIME, SIZE, wait_until

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp

HOST, PORT = "127.0.0.43", 19231
POOL_ID = "us-east-1_Doctor1"
CLIENT_ID = "doctorpublicclient00000001"


@pytest.fixture(scope="module")
def doctor_sandbox() -> Iterator[Sandbox]:
    from moto.cognitoidp.models import cognitoidp_backends

    from console.sandbox import start_sandbox
    from console.sandbox.seed import DEFAULT_ACCOUNT_ID

    running = start_sandbox(HOST, PORT)
    backend = cognitoidp_backends[DEFAULT_ACCOUNT_ID][running.info.region]
    pool = backend.user_pools[running.info.user_pool_id]
    pool.clients[CLIENT_ID] = pool.clients[running.info.client("public").client_id]
    backend.user_pools[POOL_ID] = pool
    group = f"arn:aws:logs:us-east-1:{DEFAULT_ACCOUNT_ID}:log-group:/aws/cognito/{POOL_ID}"
    running.channels.set_log_configurations(
        POOL_ID,
        [
            {
                "LogLevel": "ERROR",
                "EventSource": "userNotification",
                "CloudWatchLogsConfiguration": {"LogGroupArn": group},
            }
        ],
    )
    from moto.logs.models import logs_backends

    logs = logs_backends[DEFAULT_ACCOUNT_ID][running.info.region]
    if f"/aws/cognito/{POOL_ID}" not in logs.groups:
        logs.create_log_group(f"/aws/cognito/{POOL_ID}", {})
    try:
        yield running
    finally:
        backend.user_pools.pop(POOL_ID, None)
        running.stop()


@pytest.fixture
def doctor_app(doctor_sandbox: Sandbox, tmp_path: Path) -> Callable[[], ConsoleApp]:
    from console.config import AppConfig, ConsoleSettings, Profile
    from console.tui.app import ConsoleApp
    from console.tui.log_entries import LogDisplay

    def make() -> ConsoleApp:
        endpoint = doctor_sandbox.info.endpoint_url
        profile = Profile(
            description="Local sandbox, public app client (no secret)",
            region="us-east-1",
            user_pool_id=POOL_ID,
            client_id=CLIENT_ID,
            endpoint_url=endpoint,
        )
        config = AppConfig(
            console=ConsoleSettings(history_path=tmp_path / "history.sqlite3"),
            profiles={"sandbox": profile},
        )
        display = LogDisplay(clock=lambda: FIXED_TIME, latency=None, request_ids=False)
        return ConsoleApp(
            config, profile_name="sandbox", display=display, sandbox_endpoints={endpoint}
        )

    return make


async def _send_frank_and_open_the_doctor(pilot: Pilot[Any]) -> None:
    from console.tui.screens.doctor import DoctorScreen

    app: ConsoleApp = pilot.app  # type: ignore[assignment]
    await wait_until(
        pilot,
        lambda: app.history is not None and app.main.profile_bar.status_text == "ready",
    )
    await pilot.press(*"frank", "enter")
    await wait_until(pilot, lambda: bool(app.main.log_pane.entries))
    await wait_until(pilot, lambda: not app.main.send_status.busy)
    await pilot.press("ctrl+y")
    await wait_until(pilot, lambda: isinstance(app.screen, DoctorScreen))
    screen = app.screen
    assert isinstance(screen, DoctorScreen)
    await wait_until(pilot, lambda: screen.report is not None)
    for field in app.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def test_doctor_screen_for_frank(
    snap_compare: Callable[..., bool], doctor_app: Callable[[], ConsoleApp]
) -> None:
    assert snap_compare(
        doctor_app(), terminal_size=SIZE, run_before=_send_frank_and_open_the_doctor
    )
