"""F10 picks a theme and the choice is written to the config file, to be used next start."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from console.config import load_config
from tests.tui.conftest import SIZE, ready, sandbox_config, wait_until

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from console.cognito import Gateway
    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp

OURS = "# written by hand\n[console]\nread_timeout = 9  # seconds\n"


def app_reading(
    sandbox: Sandbox, tmp_path: Path, gateway: Gateway, source: Path | None
) -> ConsoleApp:
    """An app on the sandbox whose config says it came from *source*."""
    from console.tui.app import ConsoleApp

    config = sandbox_config(sandbox, tmp_path / "history.sqlite3")
    config = config.model_copy(update={"source": source})
    app = ConsoleApp(
        config,
        profile_name="sandbox",
        gateway=gateway,
        sandbox_endpoints={sandbox.info.endpoint_url},
    )
    app.animation_level = "none"
    return app


async def pick_theme(pilot: Pilot[Any], name: str) -> None:
    """F10, type the theme's name, wait for it to be offered, Enter."""
    from textual.command import CommandPalette
    from textual.widgets import OptionList

    await pilot.press("f10")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*name)
    options = pilot.app.screen.query_one(OptionList)
    await wait_until(
        pilot,
        lambda: options.option_count > 0 and name in str(options.get_option_at_index(0).prompt),
    )
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(pilot.app.screen, CommandPalette))


async def logged(pilot: Pilot[Any], app: ConsoleApp, text: str) -> str:
    """Wait for the attempt-log line containing *text* and return it."""

    def found() -> str | None:
        lines = (entry.plain() for entry in app.main.log_pane.entries)
        return next((line for line in lines if text in line), None)

    await wait_until(pilot, lambda: found() is not None)
    line = found()
    assert line is not None
    return line


@pytest.fixture
def ours(tmp_path: Path) -> Path:
    """A hand-written config file with a comment."""
    path = tmp_path / "config.toml"
    path.write_text(OURS, encoding="utf-8")
    return path


async def test_the_chosen_theme_is_written_to_the_config_in_use(
    tui_sandbox: Sandbox, tmp_path: Path, shared_gateway: Gateway, ours: Path
) -> None:
    path = ours
    app = app_reading(tui_sandbox, tmp_path, shared_gateway, path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pick_theme(pilot, "nord")

        line = await logged(pilot, app, "saved in")
        assert line.endswith(f"theme nord saved in {path}")
        assert app.theme == "nord"

    assert path.read_text(encoding="utf-8") == OURS + 'theme = "nord"\n'
    # What the next start reads.
    assert load_config(str(path), env={}).console.theme == "nord"


async def test_with_no_config_file_the_users_config_is_created(
    tui_sandbox: Sandbox, tmp_path: Path, shared_gateway: Gateway
) -> None:
    from console.config import default_config_path

    app = app_reading(tui_sandbox, tmp_path, shared_gateway, None)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pick_theme(pilot, "dracula")
        await logged(pilot, app, "saved in")

    created = default_config_path()
    assert created.read_text(encoding="utf-8") == '[console]\ntheme = "dracula"\n'
    assert created.stat().st_mode & 0o777 == 0o600


async def test_a_config_that_cannot_be_edited_keeps_the_theme_for_the_session(
    tui_sandbox: Sandbox, tmp_path: Path, shared_gateway: Gateway, ours: Path
) -> None:
    path = ours
    app = app_reading(tui_sandbox, tmp_path, shared_gateway, path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        broken = "[console\n"  # someone edited it since start-up
        path.write_text(broken, encoding="utf-8")
        await pick_theme(pilot, "nord")

        line = await logged(pilot, app, "not saved")
        assert app.theme == "nord"
        assert f"theme nord for this session only, not saved: {path}: invalid TOML" in line
        assert line.endswith("not changed")

    assert path.read_text(encoding="utf-8") == broken


async def test_the_config_theme_is_applied_at_start(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app(settings={"theme": "gruvbox"})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.theme == "gruvbox"
        # Applying the configured theme is not a choice to save.
        assert not any("saved" in entry.plain() for entry in app.main.log_pane.entries)


async def test_an_environment_override_is_named_when_saving(
    tui_sandbox: Sandbox,
    tmp_path: Path,
    shared_gateway: Gateway,
    ours: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A whole-table override beats the file's theme as surely as CONSOLE__THEME.
    monkeypatch.setenv("COGNITO_CONSOLE_CONSOLE", '{"theme": "dracula"}')
    app = app_reading(tui_sandbox, tmp_path, shared_gateway, ours)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pick_theme(pilot, "nord")

        line = await logged(pilot, app, "saved in")
        assert line.endswith(
            f"theme nord saved in {ours}; but the environment sets theme dracula at start-up"
        )


async def test_going_back_while_a_save_is_writing_ends_on_the_screen_theme(
    tui_sandbox: Sandbox,
    tmp_path: Path,
    shared_gateway: Gateway,
    ours: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from console.config import set_console_setting
    from console.tui import theme_keymap

    writing = threading.Event()
    release = threading.Event()

    def slow_for_dracula(path: Path, key: str, value: str) -> Path:
        if value == "dracula":
            writing.set()
            release.wait(60)  # set by the test, or its finally
        return set_console_setting(path, key, value)

    monkeypatch.setattr(theme_keymap, "set_console_setting", slow_for_dracula)
    app = app_reading(tui_sandbox, tmp_path, shared_gateway, ours)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            app.theme = "nord"
            await logged(pilot, app, "theme nord saved")
            app.theme = "dracula"
            await wait_until(pilot, writing.is_set)
            app.theme = "nord"  # back, while dracula is still being written
            release.set()
            await wait_until(
                pilot,
                lambda: (
                    sum("theme nord saved" in e.plain() for e in app.main.log_pane.entries) == 2
                ),
            )
            assert app.theme == "nord"
    finally:
        release.set()
    assert load_config(str(ours), env={}).console.theme == "nord"
