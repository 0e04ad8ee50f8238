"""A send at start-up and the history that opens just after "ready" (issue #17, point 16).

The history opens once the first send can go; a send released before it is
open waits for it, so it is recorded, but never for a history that hangs.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.tui.conftest import SIZE, wait_until

if TYPE_CHECKING:
    from console.tui.app import ConsoleApp


async def test_a_send_made_while_the_history_hangs_goes_out_and_says_it_was_not_saved(
    make_app: Any, tui_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import console.tui.screens.send_flow as send_flow
    import console.tui.start_sequence as start_module

    opening = threading.Event()
    release = threading.Event()
    real_open = start_module.open_history

    def hanging_open(config: Any) -> Any:
        opening.set()
        release.wait(30)  # a history on a stuck network share
        return real_open(config)

    monkeypatch.setattr(start_module, "open_history", hanging_open)
    monkeypatch.setattr(send_flow, "HISTORY_OPEN_WAIT_S", 0.3)
    app: ConsoleApp = make_app()
    user = tui_user()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: opening.is_set())
        await wait_until(pilot, lambda: app.main.profile_bar.status_text == "ready")
        await pilot.press(*user, "enter")
        log = app.main.log_pane
        await wait_until(pilot, lambda: any(e.mark == "✓" for e in log.entries))
        text = next(e.plain() for e in log.entries if e.mark == "✓")
        assert "history not saved: still opening after 0.3 s" in text
        assert app.history is None
        release.set()  # the history opens late; the next send is recorded
        await wait_until(pilot, lambda: app.history is not None)


async def test_a_send_released_before_the_history_opens_is_recorded(
    tmp_path: Path, tui_sandbox: Any, tui_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import console.tui.start_sequence as start_module
    from console.tui.app import ConsoleApp
    from tests.tui.conftest import sandbox_config

    gate = threading.Event()
    real_open = start_module.open_history

    def slow_open(config: Any) -> Any:
        gate.wait(10)  # the history is still opening when the send goes
        return real_open(config)

    monkeypatch.setattr(start_module, "open_history", slow_open)
    config = sandbox_config(tui_sandbox, tmp_path / "history.sqlite3")
    app = ConsoleApp(config, profile_name="sandbox")
    app.animation_level = "none"
    user = tui_user()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main.profile_bar.status_text == "ready")
        assert app.history is None
        await pilot.press(*user, "enter")
        await wait_until(pilot, lambda: app.main.send_status.busy)
        gate.set()
        log = app.main.log_pane
        await wait_until(pilot, lambda: any(e.mark == "✓" for e in log.entries))
        assert app.history is not None
        assert [r.username for r in app.history.query()] == [user]
        text = next(e.plain() for e in log.entries if e.mark == "✓")
        assert "history not saved" not in text


async def test_until_ready_the_form_and_bar_work_without_their_deferred_parts(
    tmp_path: Path, tui_sandbox: Any
) -> None:
    """Between the config and "ready" (the client being made), the bar names the
    profile in the Select's place, the form's values hold the Advanced fields as
    empty, and the footer waits; all of them are there once the client is."""
    from console.cognito import Gateway
    from console.tui.app import ConsoleApp
    from console.tui.widgets.held_footer import HeldFooter
    from tests.tui.conftest import sandbox_config

    gate = threading.Event()

    class SlowGateway(Gateway):
        def warm_up(self, settings: Any) -> None:
            gate.wait(10)  # botocore still importing
            super().warm_up(settings)

    config = sandbox_config(tui_sandbox, tmp_path / "history.sqlite3")
    app = ConsoleApp(
        None, config_loader=lambda: config, profile_name="sandbox", gateway=SlowGateway()
    )
    async with app.run_test(size=SIZE) as pilot:
        bar, form = app.main.profile_bar, app.main.form
        await wait_until(pilot, lambda: bar.status_text == "connecting…")
        stand_in = bar.query_one("#profile-select-placeholder")
        assert str(stand_in.render()).startswith("sandbox ")
        values = form.values()
        assert (values.client_id_override, values.ip_address, values.encoded_data) == ("", "", "")
        assert not form.query("#client-id")
        assert app.main.query_one(HeldFooter).held
        assert app.history is None  # it opens once the first send can go
        gate.set()
        await wait_until(pilot, lambda: bar.status_text == "ready")
        await wait_until(pilot, lambda: bool(form.query("#client-id")) and app.history is not None)
        client_id = config.profiles["sandbox"].client_id
        assert form.query_one("#client-id").placeholder == f"profile's: {client_id}"
        assert bar.select.value == "sandbox"
        assert not app.main.query_one(HeldFooter).held


async def test_history_pressed_before_the_history_is_open_opens_once_it_is(
    tmp_path: Path, tui_sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F3 right at "ready" is not told "no history this session": it opens the history
    once it is open (and says it is still opening if that takes a while)."""
    import console.tui.start_sequence as start_module
    from console.tui.app import ConsoleApp
    from console.tui.screens.history import HistoryScreen
    from tests.tui.conftest import sandbox_config

    gate = threading.Event()
    real_open = start_module.open_history

    def slow_open(config: Any) -> Any:
        gate.wait(10)
        return real_open(config)

    monkeypatch.setattr(start_module, "open_history", slow_open)
    config = sandbox_config(tui_sandbox, tmp_path / "history.sqlite3")
    app = ConsoleApp(config, profile_name="sandbox")
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main.profile_bar.status_text == "ready")
        await pilot.press("f3")
        await wait_until(
            pilot, lambda: any("still opening" in str(n.message) for n in app._notifications)
        )
        assert not isinstance(app.screen, HistoryScreen)
        assert not any("no history" in str(n.message) for n in app._notifications)
        gate.set()
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
