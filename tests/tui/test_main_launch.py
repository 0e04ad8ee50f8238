"""Launching: config errors before any TUI, --sandbox with no config, crash reports."""

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


@pytest.fixture
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No config file anywhere we would look; user dirs under *tmp_path*."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COGNITO_CONSOLE_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path


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


def test_unknown_profile_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from console.tui.launch import run_tui

    good = tmp_path / "ok.toml"
    good.write_text(
        '[profiles.prod]\nregion = "us-east-1"\nuser_pool_id = "us-east-1_abc"\n'
        'client_id = "abc"\n',
        encoding="utf-8",
    )
    assert run_tui(_args(config=str(good), profile="nope")) == 2
    assert "no profile named 'nope' (available: prod)" in capsys.readouterr().err
    assert run_tui(_args(config=str(good), profile="nope", sandbox=True)) == 2
    assert "available: prod, sandbox, sandbox-confidential" in capsys.readouterr().err


def test_sandbox_needs_no_config_file(no_user_config: Path) -> None:
    from console.tui.app import ConsoleApp
    from console.tui.launch import build_app

    app = build_app(_args(sandbox=True))
    assert isinstance(app, ConsoleApp)
    assert app.config.source is None
    assert app.config.profiles == {}


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
        await wait_until(pilot, lambda: any(e.mark == "✓" for e in log.entries))
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
