"""Fixtures for the main-screen tests: a sandbox of their own, apps wired to it, polling.

The TUI tests get their own sandbox (not the session one from tests/conftest.py):
they send to the seeded alice and bob, and the sandbox allows 5 resends per
user per hour, which other modules sending to alice would use up.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from console.cognito import Gateway
    from console.config import AppConfig, Profile
    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp

SIZE = (120, 40)
FIXED_TIME = datetime(2025, 1, 31, 9, 15, 2)


@pytest.fixture(scope="session")
def tui_sandbox() -> Iterator[Sandbox]:
    """A sandbox for the TUI tests only."""
    from console.sandbox import start_sandbox

    running = start_sandbox()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def tui_user(tui_sandbox: Sandbox) -> Callable[..., str]:
    """A factory: a fresh UNCONFIRMED user (email by default) in the TUI sandbox."""

    def make(*, phone_number: str | None = None, email: bool = True) -> str:
        username = f"t-{uuid.uuid4().hex[:12]}"
        tui_sandbox.add_user(
            username,
            email=f"{username}@example.com" if email else None,
            phone_number=phone_number,
        )
        return username

    return make


def sandbox_config(
    sandbox: Sandbox,
    history_path: Path,
    *,
    keymap: dict[str, str] | None = None,
    extra: dict[str, Profile] | None = None,
    **settings: Any,
) -> AppConfig:
    """A config with the sandbox's two profiles (and *extra*), history under *history_path*."""
    from console.config import AppConfig, ConsoleSettings, sandbox_profiles

    info = sandbox.info
    public = info.client("public")
    confidential = info.client("confidential")
    profiles = sandbox_profiles(
        info.endpoint_url,
        info.region,
        info.user_pool_id,
        public.client_id,
        confidential.client_id,
        confidential.client_secret or "",
    )
    profiles.update(extra or {})
    return AppConfig(
        console=ConsoleSettings(history_path=history_path, keymap=keymap or {}, **settings),
        profiles=profiles,
    )


@pytest.fixture(scope="session")
def shared_gateway() -> Gateway:
    """One gateway for every test app: its botocore client is built once, not per test."""
    from console.cognito import Gateway

    return Gateway()


@pytest.fixture
def make_app(
    tui_sandbox: Sandbox, tmp_path: Path, shared_gateway: Gateway
) -> Callable[..., ConsoleApp]:
    """A factory: ``make_app(profile="sandbox", keymap=..., extra=...)`` -> ConsoleApp."""
    from console.tui.app import ConsoleApp

    def make(
        profile: str = "sandbox",
        *,
        keymap: dict[str, str] | None = None,
        extra: dict[str, Profile] | None = None,
        settings: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> ConsoleApp:
        config = sandbox_config(
            tui_sandbox,
            tmp_path / "history.sqlite3",
            keymap=keymap,
            extra=extra,
            **(settings or {}),
        )
        info = tui_sandbox.info
        kwargs.setdefault("simulating_client_ids", {info.client("confidential").client_id})
        kwargs.setdefault("sandbox_endpoints", {info.endpoint_url})
        kwargs.setdefault("gateway", shared_gateway)
        app = ConsoleApp(config, profile_name=profile, **kwargs)
        # Scrolling a focused field into view animates; the pilot waits for
        # every animation after every key. The tests are about outcomes.
        app.animation_level = "none"
        return app

    return make


async def wait_until(
    pilot: Pilot[Any], predicate: Callable[[], bool], *, timeout: float = 10.0
) -> None:
    """Let the app run until *predicate* holds (workers report through messages)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.02)


async def ready(pilot: Pilot[Any]) -> None:
    """Wait until the history is open and the active profile's client is warm."""
    app = pilot.app
    await wait_until(
        pilot,
        lambda: (
            app.history is not None  # type: ignore[attr-defined]
            and app.main.profile_bar.status_text == "ready"
        ),  # type: ignore[attr-defined]
    )


async def send_and_wait(
    pilot: Pilot[Any], username: str | None = None, *, again: bool = True
) -> str:
    """Type *username* (replacing the field), press Enter, wait for the new log entry.

    With *again*, a "Send again?" question (the same user moments ago, or five
    codes this hour) is answered yes: these tests mean every send they make.
    """
    from console.tui.screens.confirm import ConfirmScreen

    app: ConsoleApp = pilot.app  # type: ignore[assignment]
    log = app.main.log_pane
    before = len(log.entries)
    if username is not None:
        app.main.form.username_input.value = username
    app.main.form.username_input.focus()
    await pilot.press("enter")

    def asked_again() -> bool:
        screen = app.screen
        return isinstance(screen, ConfirmScreen) and screen.title_text == "Send again?"

    await wait_until(pilot, lambda: len(log.entries) > before or (again and asked_again()))
    if len(log.entries) == before:
        await pilot.press("y")
        await wait_until(pilot, lambda: len(log.entries) > before)
    return log.entries[-1].plain()


@pytest.fixture
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_credentials: None) -> Path:
    """A newcomer's machine: no config file anywhere we would look, user dirs under
    *tmp_path* (the working folder), no AWS credentials."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COGNITO_CONSOLE_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path


@pytest.fixture(autouse=True)
def _no_terminal_app_left_running() -> Iterator[None]:
    """Kill the real-terminal apps a failed test left: orphaned, they take CPU from the rest."""
    yield
    module = sys.modules.get("tests.tui.test_hostile_tui")
    if module is not None:
        module.PtyApp.close_all()
