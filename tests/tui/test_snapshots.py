"""Snapshots of the main screen: empty, after a success, after a failure (120x40; 80x24).

What would change between runs is pinned: the sandbox listens on a fixed
loopback address, the log's clock is fixed, latencies and request ids are
left out, and the app client gets a fixed id. moto makes up pool and client
ids; the profile shows a fixed pool id (the pool id is only displayed and
recorded, never sent), and the public client is also registered in moto's
pool under a fixed id, so the request really goes to the sandbox.
"""

from __future__ import annotations

import fcntl
import tempfile
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

HOST, PORT = "127.0.0.42", 19229
POOL_ID = "us-east-1_Snapshot1"
CLIENT_ID = "snapshotpublicclient000001"


@pytest.fixture(scope="module")
def snapshot_sandbox() -> Iterator[Sandbox]:
    """A sandbox at a fixed address whose public client also answers to CLIENT_ID."""
    from moto.cognitoidp.models import cognitoidp_backends

    from console.sandbox import start_sandbox
    from console.sandbox.seed import DEFAULT_ACCOUNT_ID

    # The address is fixed (it is in the picture): under xdist two workers may
    # both run tests of this module, so they take turns holding it.
    lock = (Path(tempfile.gettempdir()) / f"cognito-console-snapshot-{PORT}.lock").open("w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    running = start_sandbox(HOST, PORT)
    try:
        info = running.info
        pool = cognitoidp_backends[DEFAULT_ACCOUNT_ID][info.region].user_pools[info.user_pool_id]
        pool.clients[CLIENT_ID] = pool.clients[info.client("public").client_id]
        yield running
    finally:
        running.stop()
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


@pytest.fixture
def snapshot_app(
    snapshot_sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[], ConsoleApp]:
    """A factory for the app under snapshot: stable profile, clock and log facts."""
    # No AWS credentials: with some, the pool facts would add lines to the log.
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    from console.config import AppConfig, ConsoleSettings, Profile
    from console.tui.app import ConsoleApp
    from console.tui.log_entries import LogDisplay

    def make() -> ConsoleApp:
        profile = Profile(
            description="Local sandbox, public app client (no secret)",
            region="us-east-1",
            user_pool_id=POOL_ID,
            client_id=CLIENT_ID,
            endpoint_url=snapshot_sandbox.info.endpoint_url,
            hides_unknown_users=False,  # the public client is LEGACY; no credentials needed
        )
        config = AppConfig(
            console=ConsoleSettings(history_path=tmp_path / "history.sqlite3"),
            profiles={"sandbox": profile},
        )
        display = LogDisplay(clock=lambda: FIXED_TIME, latency=None, request_ids=False)
        return ConsoleApp(config, profile_name="sandbox", display=display)

    return make


async def _ready(pilot: Pilot[Any]) -> None:
    app: ConsoleApp = pilot.app  # type: ignore[assignment]
    await wait_until(
        pilot,
        lambda: app.history is not None and app.main.profile_bar.status_text == "ready",
    )
    # A blinking cursor is on or off depending on when the frame is taken.
    for field in app.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def _send(username: str) -> Callable[[Pilot[Any]], Any]:
    async def run_before(pilot: Pilot[Any]) -> None:
        app: ConsoleApp = pilot.app  # type: ignore[assignment]
        await _ready(pilot)
        await pilot.press(*username, "enter")
        await wait_until(pilot, lambda: bool(app.main.log_pane.entries))
        await wait_until(pilot, lambda: not app.main.send_status.busy)
        await wait_until(pilot, lambda: f'"Username": "{username}"' in app.main.preview.text)

    return run_before


def test_main_screen_empty(
    snap_compare: Callable[..., bool], snapshot_app: Callable[[], ConsoleApp]
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _ready(pilot)
        app: ConsoleApp = pilot.app  # type: ignore[assignment]
        await wait_until(pilot, lambda: "type a username" in app.main.preview.text)

    assert snap_compare(snapshot_app(), terminal_size=SIZE, run_before=run_before)


def test_main_screen_after_success(
    snap_compare: Callable[..., bool], snapshot_app: Callable[[], ConsoleApp]
) -> None:
    assert snap_compare(snapshot_app(), terminal_size=SIZE, run_before=_send("alice"))


def test_main_screen_after_failure(
    snap_compare: Callable[..., bool], snapshot_app: Callable[[], ConsoleApp]
) -> None:
    assert snap_compare(snapshot_app(), terminal_size=SIZE, run_before=_send("nobody"))


def test_main_screen_after_failure_80x24(
    snap_compare: Callable[..., bool], snapshot_app: Callable[[], ConsoleApp]
) -> None:
    """80x24: the header wraps (pool, client, endpoint, secret in view), the preview
    keeps each JSON value on its line, the log shows the whole entry, a clean footer."""
    assert snap_compare(snapshot_app(), terminal_size=(80, 24), run_before=_send("nobody"))
