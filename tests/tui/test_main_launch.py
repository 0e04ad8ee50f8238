"""Launching: config errors, the config loaded after the first frame, --sandbox, crash reports.

A config file that cannot be read or parsed is refused before the terminal
changes. Validation (pydantic) runs after the first frame; what it refuses
makes the app leave with exit code 2 and one stderr line.
"""

from __future__ import annotations

import argparse
import socket
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from tests.tui.conftest import SIZE, wait_until

if TYPE_CHECKING:
    from console.sandbox import Sandbox


def _args(**kwargs: Any) -> argparse.Namespace:
    values: dict[str, Any] = {"config": None, "profile": None, "sandbox": False, "debug": False}
    values.update(kwargs)
    return argparse.Namespace(**values)


def test_bad_config_is_one_line_on_stderr_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from console.tui.launch import run_tui

    bad = tmp_path / "bad.toml"
    bad.write_text("[profiles.x\nregion = 1\n", encoding="utf-8")
    assert run_tui(_args(config=str(bad))) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("cognito-console: ")
    assert "invalid TOML" in err


def test_garbage_collection_is_back_on_after_a_config_error(tmp_path: Path) -> None:
    import gc

    from console.tui.launch import run_tui

    bad = tmp_path / "bad.toml"
    bad.write_text("[profiles.x\nregion = 1\n", encoding="utf-8")
    assert gc.isenabled()
    assert run_tui(_args(config=str(bad))) == 2
    # Start-up pauses collections while it loads; an early return must not leave them off.
    assert gc.isenabled()


async def _refused(args: argparse.Namespace, capsys: pytest.CaptureFixture[str]) -> str:
    """Run the app as run_tui builds it until it leaves; stderr as run_tui would print it."""
    from console.tui.launch import build_app, exit_code, preflight

    app = build_app(args, hints=preflight(args))  # as run_tui builds it
    async with app.run_test(size=SIZE) as pilot:
        assert app.main.form.username_input.placeholder  # the first frame came first
        await wait_until(pilot, lambda: app.config_error is not None)
    assert exit_code(app, app.return_value) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("cognito-console: ")
    return err


async def test_unknown_profile_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "ok.toml"
    good.write_text(
        '[profiles.prod]\nregion = "us-east-1"\nuser_pool_id = "us-east-1_abc"\n'
        'client_id = "abc"\n',
        encoding="utf-8",
    )
    err = await _refused(_args(config=str(good), profile="nope"), capsys)
    assert "no profile named 'nope' (available: prod)" in err
    err = await _refused(_args(config=str(good), profile="nope", sandbox=True), capsys)
    assert "available: prod, sandbox, sandbox-confidential" in err


async def test_a_wrong_value_in_the_config_is_exit_2_after_the_first_frame(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from console.tui.launch import preflight

    bad = tmp_path / "bad-value.toml"
    bad.write_text(
        '[profiles.prod]\nregion = 1\nuser_pool_id = "us-east-1_abc"\nclient_id = "abc"\n',
        encoding="utf-8",
    )
    hints = preflight(_args(config=str(bad)))  # valid TOML: the screen opens, with prod
    assert hints.profile is not None and hints.profile.user_pool_id == "us-east-1_abc"
    err = await _refused(_args(config=str(bad)), capsys)
    assert f"{bad}: profiles.prod.region" in err


async def test_the_first_frame_shows_the_profile_before_the_config_is_validated(
    tmp_path: Path, tui_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name, description and pool come from the TOML; validation (made slow) follows."""
    import console.tui.launch as launch
    from console.tui.screens.main import MainScreen
    from tests.tui.test_hostile_tui import screen_output

    info = tui_sandbox.info
    config = tmp_path / "team.toml"
    config.write_text(
        "[console]\n"
        'default_profile = "helpdesk"\n'
        f'history_path = "{tmp_path / "history.sqlite3"}"\n\n'
        "[profiles.helpdesk]\n"
        'description = "EU helpdesk \\u001b[2J pool"\n'
        f'region = "{info.region}"\n'
        f'user_pool_id = "{info.user_pool_id}"\n'
        f'client_id = "{info.client("public").client_id}"\n'
        f'endpoint_url = "{info.endpoint_url}"\n',
        encoding="utf-8",
    )
    gate = threading.Event()
    validate = launch.load_checked_config

    def slow_validation(args: argparse.Namespace) -> Any:
        gate.wait(10)  # pydantic is "still validating" until the test says so
        return validate(args)

    monkeypatch.setattr(launch, "load_checked_config", slow_validation)
    first_frames: list[str] = []
    from console.tui.app import ConsoleApp

    original = ConsoleApp.after_first_frame

    async def record_first_frame(self: ConsoleApp) -> None:
        first_frames.append(screen_output(self)[1])  # what the first frame painted
        await original(self)

    monkeypatch.setattr(ConsoleApp, "after_first_frame", record_first_frame)
    args = _args(config=str(config))
    app = launch.build_app(args, hints=launch.preflight(args))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(first_frames))
        assert isinstance(app.screen, MainScreen)
        bar = app.main.profile_bar
        assert not app.config_loaded and bar.status_text == "loading config…"
        first = first_frames[0]
        assert "helpdesk  EU helpdesk \\x1b[2J pool" in first  # the control character shown
        assert f"pool {info.user_pool_id}" in first
        assert info.endpoint_url in first
        gate.set()
        await wait_until(pilot, lambda: bar.status_text == "ready")
        assert app.active_name == "helpdesk"
        assert "secret: none" in str(bar.query_one("#profile-facts").content)  # validated
        # Then the parts a first send does without: the Select in its stand-in's place.
        await wait_until(
            pilot, lambda: bool(bar.query("#profile-select")) and bar.select.value == "helpdesk"
        )
        assert not bar.query("#profile-select-placeholder")


def test_the_first_frame_is_drawn_in_the_configured_theme(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from console.tui.launch import preflight

    themed = tmp_path / "themed.toml"
    themed.write_text('[console]\ntheme = "nord"\n', encoding="utf-8")
    assert preflight(_args(config=str(themed))).theme == "nord"
    # An environment override may change it: then only the validated config says.
    monkeypatch.setenv("COGNITO_CONSOLE_CONSOLE__THEME", "dracula")
    assert preflight(_args(config=str(themed))).theme is None


async def test_a_send_typed_while_the_config_loads_goes_out_once_it_is_there(
    tmp_path: Path, tui_sandbox: Sandbox, tui_user: Any
) -> None:
    from console.tui.app import ConsoleApp
    from console.tui.widgets.held_footer import HeldFooter
    from tests.tui.conftest import sandbox_config

    gate = threading.Event()
    config = sandbox_config(tui_sandbox, tmp_path / "history.sqlite3", theme="nord")
    user = tui_user()

    def slow_load() -> Any:
        gate.wait(10)  # the config is "loading" until the test says so
        return config

    app = ConsoleApp(None, config_loader=slow_load, theme_hint="nord", profile_name="sandbox")
    async with app.run_test(size=SIZE) as pilot:
        bar = app.main.profile_bar
        await wait_until(pilot, lambda: bar.status_text == "loading config…")
        assert app.theme == "nord"  # drawn in the configured theme from the first frame
        assert app.profile_names() == []
        # Until "ready" the Select's stand-in holds its place and the footer no keys.
        assert bar.query("#profile-select-placeholder") and not bar.query("#profile-select")
        footer = app.main.query_one(HeldFooter)
        assert footer.held and not footer.children
        await pilot.press("f2")  # nothing to offer yet
        assert any("the config is loading" in str(n.message) for n in app._notifications)
        app.main.form.username_input.focus()
        await pilot.press(*user, "enter")
        assert app.main.send_status.busy  # queued, not refused
        log = app.main.log_pane
        assert not [e for e in log.entries if e.mark in "✓✗?"]
        gate.set()
        await wait_until(pilot, lambda: any(e.mark == "✓" for e in log.entries))
        text = next(e.plain() for e in log.entries if e.mark == "✓")
        assert f"sandbox · {user}" in text
        assert app.active_name == "sandbox"
        # The history opened after "ready"; the send released then waited for it.
        assert app.history is not None
        assert [r.username for r in app.history.query()] == [user]
        assert "history not saved" not in text
        # After "ready": the Select in its place, the footer's keys.
        await wait_until(pilot, lambda: bool(bar.query("#profile-select")))
        assert not bar.query("#profile-select-placeholder")
        assert bar.select.value == "sandbox"
        await wait_until(pilot, lambda: bool(footer.children))
        assert not footer.held


async def test_sandbox_needs_no_config_file(no_user_config: Path) -> None:
    from textual.widgets import Collapsible, Input

    from console.tui.app import ConsoleApp
    from console.tui.launch import build_app, preflight

    args = _args(sandbox=True)
    assert preflight(args).theme is None
    app = build_app(args)
    assert isinstance(app, ConsoleApp)
    app.start.sandbox_factory = None  # the config is the point here, not moto
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.config_loaded)
        assert app.config.source is None
        assert app.config.profiles == {}
        assert app.config_error is None
        # The collapsed Advanced fields came after the first frame, and work.
        form = app.main.form
        await wait_until(pilot, lambda: bool(form.query("#ip-address")))
        form.query_one("#advanced", Collapsible).collapsed = False
        form.query_one("#ip-address", Input).focus()
        await pilot.press(*"203.0.113.7")
        assert form.values().ip_address == "203.0.113.7"


async def test_sandbox_app_first_frame_waits_for_nothing_and_a_send_waits_for_it(
    no_user_config: Path,
) -> None:
    from console.config import AppConfig
    from console.sandbox import start_sandbox
    from console.tui.app import ConsoleApp

    gate = threading.Event()
    started: list[Sandbox] = []

    def slow_start() -> Sandbox:
        gate.wait(10)  # the sandbox is "starting" until the test says so
        started.append(start_sandbox())
        return started[0]

    app = ConsoleApp(AppConfig(), sandbox_factory=slow_start)
    async with app.run_test(size=SIZE) as pilot:
        bar = app.main.profile_bar
        assert bar.status_text == "starting sandbox…"
        assert app.focused is app.main.form.username_input
        await pilot.press(*"alice", "enter")
        assert app.main.send_status.busy  # queued until the sandbox answers
        assert not [e for e in app.main.log_pane.entries if e.mark in "✓✗?"]
        gate.set()
        log = app.main.log_pane
        # Starting a sandbox imports moto and seeds a pool: seconds on a loaded
        # 2-core machine, past wait_until's 10 s once. A hang guard, not a target.
        await wait_until(pilot, lambda: any(e.mark == "✓" for e in log.entries), timeout=60)
        text = next(e.plain() for e in log.entries if e.mark == "✓")
        assert "sandbox · alice" in text
        assert "delivered: EMAIL to a***@e***.com" in text
        assert app.active_name == "sandbox"
        assert sorted(app.config.profiles) == ["sandbox", "sandbox-confidential"]
        assert any("sandbox ready at http://127.0.0.1:" in e.plain() for e in log.entries)
        await wait_until(pilot, lambda: bar.status_text == "ready")
    # Stopped on exit: its port no longer answers.
    url = urlsplit(started[0].info.endpoint_url)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((url.hostname, url.port), timeout=2).close()


def _segments_text(app: Any) -> str:
    return "".join(
        segment.text for renderable in app._exit_renderables for segment in renderable.segments
    )


async def test_crash_report_shows_no_local_variables(make_app: Any) -> None:
    from textual.app import App

    app = make_app()
    leaked = "TOPSECRET-hash-1234"

    def crash(report: Any) -> None:
        client_secret = leaked  # a local a crash report must not show
        try:
            raise RuntimeError("boom " + str(len(client_secret)))
        except RuntimeError:
            report(app)

    async with app.run_test(size=SIZE):
        crash(App._fatal_error)  # Textual's own report, for contrast
        textual_report = _segments_text(app)
        app._exit_renderables.clear()
        crash(type(app)._fatal_error)
        ours = _segments_text(app)
        app._exit_renderables.clear()
    assert leaked in textual_report
    assert "boom 19" in ours
    assert leaked not in ours


def test_stylesheets_are_found() -> None:
    from console.tui.styles import styles_dir, stylesheet

    assert stylesheet("app.tcss").is_file()
    assert stylesheet("main.tcss").is_file()
    assert styles_dir().name == "styles"


async def test_pool_facts_are_asked_for_after_the_client_is_made(
    tmp_path: Path, tui_sandbox: Sandbox
) -> None:
    """Both take the interpreter: "ready" (the client) comes first, the facts after it."""
    from console.cognito import Gateway
    from console.tui.app import ConsoleApp
    from tests.tui.conftest import sandbox_config

    gate = threading.Event()

    class SlowGateway(Gateway):
        def warm_up(self, settings: Any) -> None:
            gate.wait(10)  # the client is "being made" until the test says so
            super().warm_up(settings)

    config = sandbox_config(tui_sandbox, tmp_path / "history.sqlite3")
    app = ConsoleApp(
        config,
        profile_name="sandbox",
        gateway=SlowGateway(),
        sandbox_endpoints={tui_sandbox.info.endpoint_url},  # facts worth asking for
    )
    async with app.run_test(size=SIZE) as pilot:
        bar = app.main.profile_bar
        await wait_until(pilot, lambda: bar.status_text == "connecting…")
        await wait_until(pilot, lambda: any(w.group == "warmup" for w in app.workers))
        # Not asked beside the client: no worker for them, nothing in the cache.
        assert not [w for w in app.workers if w.group == "pool-facts"]
        assert app.admin.facts.peek("sandbox") is None
        gate.set()
        await wait_until(pilot, lambda: bar.status_text == "ready")
        await wait_until(pilot, lambda: app.admin.facts.peek("sandbox") is not None)
