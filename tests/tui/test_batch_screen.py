"""The batch screen: a users file at a held rate, progress, summary, export, stop and resume."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.tui.conftest import SIZE, ready, wait_until

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp
    from console.tui.screens.batch import BatchScreen


async def open_batch(pilot: Pilot[Any], path: Path, *, rate: str) -> BatchScreen:
    """Press F12, fill the file and rate fields."""
    from textual.widgets import Input

    from console.tui.screens.batch import BatchScreen

    await pilot.press("f12")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, BatchScreen))
    screen = pilot.app.screen
    assert isinstance(screen, BatchScreen)
    screen.query_one("#batch-file", Input).value = str(path)
    screen.query_one("#batch-rate", Input).value = rate
    return screen


async def start(pilot: Pilot[Any]) -> str:
    """Press F5, wait for the question with the count, answer yes; return the question."""
    from console.tui.screens.confirm import ConfirmScreen

    await pilot.press("f5")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    question = pilot.app.screen
    assert isinstance(question, ConfirmScreen)
    await pilot.press("y")
    return question.message


async def run_to_end(pilot: Pilot[Any], screen: BatchScreen) -> str:
    """Start (F5, yes) and wait for the new summary (F5 clears the last one)."""
    before = screen.summary
    question = await start(pilot)
    await wait_until(
        pilot,
        lambda: not screen.running and screen.summary is not None and screen.summary is not before,
        timeout=20,
    )
    return question


def users_file(tmp_path: Path, names: list[str], name: str = "users.txt") -> Path:
    path = tmp_path / name
    path.write_text("# users of the outage\n" + "\n".join(names) + "\n", encoding="utf-8")
    return path


def sent_counts(sandbox: Sandbox, names: list[str]) -> Counter[str]:
    """How many resend requests reached the sandbox for each of *names*."""
    wanted = set(names)
    return Counter(
        str(body.get("Username")) for body in sandbox.received() if body.get("Username") in wanted
    )


async def test_a_batch_runs_to_the_end_and_exports_its_failures(
    make_app: Callable[..., ConsoleApp],
    tui_sandbox: Sandbox,
    tui_user: Callable[..., str],
    tmp_path: Path,
) -> None:
    from console.history import HistoryFilter

    names = [tui_user() for _ in range(20)]
    path = users_file(tmp_path, [*names, "nobody-in-this-batch", "not a username"])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_batch(pilot, path, rate="200")
        await pilot.press("f2")  # load: count the users first
        await wait_until(pilot, lambda: "21 users in" in screen.status_text)
        assert "1 row will not be sent (line 23:" in screen.status_text
        await run_to_end(pilot, screen)

        summary = screen.summary
        assert summary is not None
        assert summary.counts() == {"delivered": 20, "failed": 1, "invalid": 1}
        progress = screen.last_progress
        assert progress is not None
        assert (progress.done, progress.total, progress.delivered) == (21, 21, 20)
        assert "21/21 · delivered 20 · failed 1" in screen.progress_text
        assert "ETA 0:00" in screen.progress_text
        assert "20 delivered, 1 failed, 1 invalid" in screen.status_text
        assert sent_counts(tui_sandbox, names) == Counter(dict.fromkeys(names, 1))
        # Every attempt is in the history under the batch id.
        history = app.history
        assert history is not None
        records = history.query(HistoryFilter(batch_id=summary.batch_id), limit=100)
        assert len(records) == 21
        # The failures, listed and exported.
        table = screen.query_one("#batch-failures")
        assert table.row_count == 2  # type: ignore[attr-defined]
        export = tmp_path / "failures.csv"
        from textual.widgets import Input

        screen.query_one("#batch-export", Input).value = str(export)
        await pilot.press("f7")
        await wait_until(pilot, lambda: "2 failures written to" in screen.status_text)
        with export.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert [(r["username"], r["outcome"]) for r in rows] == [
            ("nobody-in-this-batch", "failed"),
            ("not a username", "invalid"),
        ]
        assert rows[0]["error_code"] == "UserNotFoundException"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main)
        note = app.main.log_pane.entries[-1].plain()
        assert f"batch {summary.batch_id}: 20 delivered, 1 failed, 1 invalid" in note


async def test_a_stopped_batch_resumes_and_sends_nobody_twice(
    make_app: Callable[..., ConsoleApp],
    tui_sandbox: Sandbox,
    tui_user: Callable[..., str],
    tmp_path: Path,
) -> None:
    from textual.widgets import Input

    names = [tui_user() for _ in range(20)]
    path = users_file(tmp_path, names)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_batch(pilot, path, rate="10")  # 2 s: time to stop it
        await start(pilot)
        await wait_until(
            pilot, lambda: screen.last_progress is not None and screen.last_progress.done >= 4
        )
        await pilot.press("escape")  # refused while running
        assert app.screen is screen
        await pilot.press("f6")
        await wait_until(pilot, lambda: not screen.running, timeout=20)
        first = screen.summary
        assert first is not None
        assert first.stopped
        assert first.stop_reason == "stopped by the operator"
        delivered_first = first.counts()["delivered"]
        assert 4 <= delivered_first < 20
        assert first.counts()["not_sent"] == 20 - delivered_first
        assert "F5 resumes this batch" in screen.status_text
        assert " · stopped by the operator · " in screen.status_text  # said once
        assert "stopped: stopped" not in screen.status_text
        # The batch id is filled in: F5 resumes the same batch.
        assert screen.query_one("#batch-id", Input).value == first.batch_id
        screen.query_one("#batch-rate", Input).value = "200"
        question = await run_to_end(pilot, screen)
        assert f"to {20 - delivered_first} users of" in question
        second = screen.summary
        assert second is not None
        assert second.batch_id == first.batch_id
        assert f"{delivered_first} users of the file are skipped" in question
        assert second.counts() == {
            "delivered": 20 - delivered_first,
            "already_delivered": delivered_first,
        }
        assert second.all_delivered
        assert sent_counts(tui_sandbox, names) == Counter(dict.fromkeys(names, 1))


async def test_bad_input_is_one_line_and_sends_nothing(
    make_app: Callable[..., ConsoleApp], tmp_path: Path
) -> None:
    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_batch(pilot, tmp_path / "missing.txt", rate="5")
        await pilot.press("f5")
        await wait_until(pilot, lambda: "no such file" in screen.status_text)
        assert not screen.running
        assert screen.summary is None
        screen.query_one("#batch-rate", Input).value = "0"
        await pilot.press("f5")
        assert "rate: requests per second above 0 and at most 1000" in screen.status_text
        screen.query_one("#batch-rate", Input).value = "5"
        screen.query_one("#batch-id", Input).value = "[b]x[/b]"
        await pilot.press("f5")
        assert "batch id: letters, digits" in screen.status_text
        await pilot.press("f7")  # nothing to export yet: a notification, no crash
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main)


async def test_the_batch_asks_with_the_count_before_sending(
    make_app: Callable[..., ConsoleApp],
    tui_sandbox: Sandbox,
    tui_user: Callable[..., str],
    tmp_path: Path,
) -> None:
    from console.tui.screens.confirm import ConfirmScreen

    names = [tui_user() for _ in range(3)]
    path = users_file(tmp_path, [*names, names[0]])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_batch(pilot, path, rate="200")
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert question.message.startswith(f"Send a confirmation code to 3 users of {path} now")
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is screen and not screen.running)
        assert "not started: nothing sent" in screen.status_text
        assert sent_counts(tui_sandbox, names) == Counter()
        await run_to_end(pilot, screen)
        assert screen.summary is not None
        assert screen.summary.counts() == {"delivered": 3, "duplicate": 1}
        assert screen.summary.all_delivered


async def test_an_unknown_or_foreign_batch_id_sends_nothing(
    make_app: Callable[..., ConsoleApp],
    tui_sandbox: Sandbox,
    tui_user: Callable[..., str],
    tmp_path: Path,
) -> None:
    from textual.widgets import Input

    names = [tui_user() for _ in range(2)]
    path = users_file(tmp_path, names)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_batch(pilot, path, rate="200")
        screen.query_one("#batch-id", Input).value = "typo-batch"
        await pilot.press("f5")
        await wait_until(pilot, lambda: "no batch typo-batch in the history" in screen.status_text)
        screen.query_one("#batch-id", Input).value = ""
        await run_to_end(pilot, screen)
        assert screen.summary is not None
        batch_id = screen.summary.batch_id
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main)
        await app.switch_profile("sandbox-confidential")
        screen = await open_batch(pilot, path, rate="200")
        screen.query_one("#batch-id", Input).value = batch_id
        await pilot.press("f5")
        await wait_until(pilot, lambda: "was sent with profile sandbox" in screen.status_text)
        assert "this run would send with profile sandbox-confidential" in screen.status_text
    assert sent_counts(tui_sandbox, names) == Counter(dict.fromkeys(names, 1))


async def test_a_bad_form_field_is_named_as_the_form_names_it(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox, tmp_path: Path
) -> None:
    from textual.widgets import Input

    path = users_file(tmp_path, ["someone-batch"])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.main.form.query_one("#ip-address", Input).value = "not-an-ip"
        screen = await open_batch(pilot, path, rate="200")
        await pilot.press("f5")
        await wait_until(pilot, lambda: "fix the form first" in screen.status_text)
        assert "UserContextData IpAddress: must be an IPv4 or IPv6 address" in screen.status_text
        assert "ip_address" not in screen.status_text
