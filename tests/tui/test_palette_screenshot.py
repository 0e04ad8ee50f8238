"""The palette's screenshot is saved (in the working folder) and says where."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.tui.conftest import SIZE, ready, wait_until

if TYPE_CHECKING:
    from console.tui.app import ConsoleApp


async def test_the_screenshot_is_saved_and_named(
    make_app: Callable[..., ConsoleApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    # As on a server: no Downloads folder.
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(tmp_path / "no-such-downloads"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.deliver_screenshot()
        await wait_until(pilot, lambda: any(tmp_path.glob("*.svg")))
        await wait_until(
            pilot,
            lambda: any("Saved screenshot" in n.message for n in app._notifications),
        )
        saved = next(tmp_path.glob("*.svg"))
        assert saved.read_text(encoding="utf-8").startswith("<svg")
