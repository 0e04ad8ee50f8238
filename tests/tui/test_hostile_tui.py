"""The hostile-input corpus through the TUI: every value is rejected naming the field, or
sent exactly and shown literally; nothing is parsed as markup, nothing crashes, and no
raw ESC, C1 or lone surrogate reaches the terminal.

"The terminal" is checked two ways: in Pilot, the text segments of a full repaint
(what Textual would write, minus its own control codes: any ESC there came from a
value); and once for real, the raw bytes a TUI process writes to a pseudo-terminal.

Complements tests/tui/test_main_hostile.py (markup usernames, one escape username,
metadata, a profile description) and tests/tui/test_history_screen.py
::test_hostile_values_show_literally (the history browser).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pytest

from console.text import visible
from tests.data.hostile import (
    CORPUS,
    expected_problem,
    raw_hazards,
    screen_hazards,
    toml_string,
)
from tests.tui.conftest import SIZE, ready, sandbox_config, send_and_wait

if TYPE_CHECKING:
    from console.cognito import Gateway
    from console.config import AppConfig
    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp

BY_ID = {case.id: case for case in CORPUS}
# One value per kind of trouble, for the inputs whose rules the CLI suite already walks
# through with the whole corpus (test_hostile_cli.py): here the question is the form,
# what is sent, and the screen. The username goes through the whole corpus here too.
SAMPLE = [
    BY_ID[name]
    for name in ("markup-link-file", "osc52-clipboard", "c1-csi", "lone-surrogate", "len-131073")
]
EXTRA = {  # where a field's own rule makes a value interesting
    "client-id": [BY_ID["empty"]],  # empty: the profile's client id
    "meta-value": [BY_ID["empty"], BY_ID["nul"]],
    "ip-address": [BY_ID["ipv6-scoped-escape"]],  # a valid address with an ESC in its scope
    "encoded-data": [BY_ID["bidi-override"]],
}
# Server messages: every markup and escape value, and one of each other kind.
MESSAGES = [c for c in CORPUS if c.family in ("markup", "escape")] + [
    BY_ID[name]
    for name in ("bidi-override", "zero-width", "nul", "newline", "len-200000", "emoji-zwj-family")
]


# -- helpers shared with test_faults_tui.py ---------------------------------------


def screen_output(app: ConsoleApp) -> tuple[str, str]:
    """A full repaint of the current screen: (raw terminal data, its text segments only).

    Textual writes its own control codes as control segments; any ESC, C1 or
    surrogate inside a *text* segment would reach the terminal raw.
    """
    update = app.screen._compositor.render_update(full=True)
    raw = update.render_segments(app.console)
    texts = "".join(
        segment.text
        for line in update.strips
        for strip in line
        for segment in strip
        if not segment.control
    )
    return raw, texts


def assert_screen_safe(app: ConsoleApp) -> None:
    raw, texts = screen_output(app)
    assert screen_hazards(texts) == [], "a raw control character reached the screen"
    assert "\x1b]8;" not in raw, "a link was made (markup parsed)"
    assert app.is_running and app.return_code is None


def assert_no_actions(app: ConsoleApp) -> None:
    """No log entry carries a click action or a link: nothing was parsed as markup."""
    from textual.content import Content
    from textual.visual import Padding

    from console.tui.widgets.attempt_log import EntryVisual
    from console.tui.widgets.hanging import Hanging

    log = app.main.log_pane
    for index in range(log.option_count):
        prompt = log.get_option_at_index(index).prompt
        assert isinstance(prompt, EntryVisual)
        for part in prompt.parts:
            content = part._visual if isinstance(part, Padding) else part
            if isinstance(content, Hanging):  # the headline: its mark and time, then its text
                content = content.prefix + content.text
            assert isinstance(content, Content)
            for span in content.spans:
                assert "@click" not in str(span.style)
                assert "link" not in str(span.style)


@pytest.fixture(scope="module")
def hostile_tui_sandbox() -> Iterator[Sandbox]:
    """This module's own sandbox: hostile usernames become real users here only."""
    from console.sandbox import start_sandbox

    running = start_sandbox()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def app_for(
    hostile_tui_sandbox: Sandbox, tmp_path: Path, shared_gateway: Gateway
) -> Callable[..., ConsoleApp]:
    from console.tui.app import ConsoleApp

    def make(config: AppConfig | None = None, profile: str = "sandbox") -> ConsoleApp:
        config = config or sandbox_config(hostile_tui_sandbox, tmp_path / "history.sqlite3")
        info = hostile_tui_sandbox.info
        app = ConsoleApp(
            config,
            profile_name=profile,
            gateway=shared_gateway,
            simulating_client_ids={info.client("confidential").client_id},
            sandbox_endpoints={info.endpoint_url},
        )
        app.animation_level = "none"
        return app

    return make


def new_user(sandbox: Sandbox, name: str | None = None) -> str:
    username = name if name is not None else f"ht-{uuid.uuid4().hex[:12]}"
    with contextlib.suppress(ValueError):  # already there
        sandbox.add_user(username, email="someone@example.com")
    return username


# -- the corpus through the form ---------------------------------------------------


async def test_every_corpus_value_as_username(
    app_for: Callable[..., ConsoleApp], hostile_tui_sandbox: Sandbox
) -> None:
    sandbox = hostile_tui_sandbox
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        log = app.main.log_pane
        for case in CORPUS:
            # The form trims the spaces and line ends a paste brings around a name.
            value = case.value.strip(" \t\r\n")
            problem = expected_problem("username", value)
            if problem is None:
                new_user(sandbox, value)
            before = len(sandbox.received())
            text = await send_and_wait(pilot, case.value)
            assert screen_hazards(text) == [], case.id
            assert screen_hazards(app.main.preview.text) == [], case.id
            received = sandbox.received()
            if problem is not None:
                assert log.entries[-1].mark == "✗", case.id
                assert "not sent: invalid input" in text, case.id
                assert problem in text, case.id
                assert len(received) == before, case.id
            else:
                assert len(received) == before + 1, case.id
                assert received[-1]["Username"] == value, case.id
                assert f"sandbox · {visible(value)}" in text, case.id
                assert log.entries[-1].mark == "✓", (case.id, text)
            # Off the form, the value is still on screen in the log: check the repaint.
            app.main.form.username_input.value = ""
            await pilot.pause()
            assert_screen_safe(app)
        assert_no_actions(app)


def _apply(field: str, value: str, profile_client_id: str) -> tuple[Any, str | None, object]:
    """How to put *value* in *field* of the form, the expected problem, what must be sent.

    Returns (FormValues changes, problem, (member getter, expected)).
    """
    from console.tui.form_values import MetadataRow

    if field == "meta-key":
        rows = (MetadataRow(value, "v"),)
        problem = expected_problem("meta-key", value) or expected_problem("meta-value", "v")
        return {"metadata": rows}, problem, (lambda b: b.get("ClientMetadata"), {value: "v"})
    if field == "meta-value":
        rows = (MetadataRow("k", value),)
        problem = expected_problem("meta-value", value)
        return {"metadata": rows}, problem, (lambda b: b.get("ClientMetadata"), {"k": value})
    if field == "analytics-endpoint-id":
        sent = None if value == "" else {"AnalyticsEndpointId": value}
        return (
            {"analytics_endpoint_id": value},
            expected_problem(field, value),
            (lambda b: b.get("AnalyticsMetadata"), sent),
        )
    if field == "client-id":
        # In the form, an empty override means "the profile's client id".
        problem = None if value == "" else expected_problem(field, value)
        return (
            {"client_id_override": value},
            problem,
            (lambda b: b["ClientId"], value or profile_client_id),
        )
    member = "IpAddress" if field == "ip-address" else "EncodedData"
    key = "ip_address" if field == "ip-address" else "encoded_data"
    sent = None if value == "" else {member: value}
    return {key: value}, expected_problem(field, value), (lambda b: b.get("UserContextData"), sent)


OTHER_INPUTS = (
    "meta-key",
    "meta-value",
    "analytics-endpoint-id",
    "client-id",
    "ip-address",
    "encoded-data",
)


async def test_sample_values_in_every_other_input(
    app_for: Callable[..., ConsoleApp], hostile_tui_sandbox: Sandbox
) -> None:
    """Filled in as a history replay fills the form (form.load), then sent with Enter."""
    from dataclasses import replace

    from console.tui.form_values import FormValues

    sandbox = hostile_tui_sandbox
    client_id = sandbox.info.client("public").client_id
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        log = app.main.log_pane
        for field, case in ((f, c) for f in OTHER_INPUTS for c in SAMPLE + EXTRA.get(f, [])):
            changes, problem, (member, sent) = _apply(field, case.value, client_id)
            user = new_user(sandbox)
            await app.main.form.load(replace(FormValues(username=user), **changes))
            app.main.refresh_preview()  # now, not after the debounce
            assert screen_hazards(app.main.preview.text) == [], (field, case.id)
            before = len(sandbox.received())
            text = await send_and_wait(pilot)
            assert screen_hazards(text) == [], (field, case.id)
            received = sandbox.received()
            if problem is not None:
                assert "not sent: invalid input" in text, (field, case.id, text)
                assert problem in text, (field, case.id, text)
                assert len(received) == before, (field, case.id)
            else:
                assert len(received) == before + 1, (field, case.id, text)
                assert member(received[-1]) == sent, (field, case.id)
                assert log.entries[-1].mark in ("✓", "✗"), (field, case.id)
            await app.main.form.load(FormValues())  # the value leaves the form (see below)
            await pilot.pause()
            assert_screen_safe(app)
        assert_no_actions(app)


async def test_a_value_in_a_form_field_is_painted_safely(
    app_for: Callable[..., ConsoleApp],
) -> None:
    from console.tui.form_values import FormValues, MetadataRow

    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await app.main.form.load(
            FormValues(
                username="alice",
                metadata=(MetadataRow("note", BY_ID["osc52-clipboard"].value),),
                analytics_endpoint_id=BY_ID["c1-csi"].value,
            )
        )
        await pilot.pause()
        assert_screen_safe(app)


async def test_every_corpus_value_as_a_server_error_message(
    app_for: Callable[..., ConsoleApp], hostile_tui_sandbox: Sandbox
) -> None:
    sandbox = hostile_tui_sandbox
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for case in MESSAGES:  # the lone surrogate: test_lone_surrogate_in_a_server_message...
            sandbox.set_fault("error", code="HostileTestException", message=case.value, count=1)
            text = await send_and_wait(pilot, new_user(sandbox))
            assert "failed: HostileTestException (HTTP 400)" in text, (case.id, text)
            if case.value:
                assert f"Cognito says: {visible(case.value)}" in text, case.id
            assert screen_hazards(text) == [], case.id
            assert_screen_safe(app)
        assert_no_actions(app)
    sandbox.clear_fault()


async def test_lone_surrogate_in_a_server_message_is_shown_escaped(
    app_for: Callable[..., ConsoleApp], hostile_tui_sandbox: Sandbox
) -> None:
    sandbox = hostile_tui_sandbox
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        sandbox.set_fault("error", code="HostileTestException", message="a\ud800b", count=1)
        try:
            text = await send_and_wait(pilot, new_user(sandbox))
        finally:
            sandbox.clear_fault()
        assert "Cognito says: a\\ud800b" in text
        assert_screen_safe(app)


# -- a real TUI process on a pseudo-terminal -----------------------------------------


class PtyApp:
    """``python -m console ...`` on a pseudo-terminal: send keys, read every byte it writes.

    Every one started is closed after its test, passed or failed (see
    :meth:`close_all`, run by tests/tui/conftest.py).
    """

    running: ClassVar[list[PtyApp]] = []

    def __init__(
        self, argv: list[str], env: dict[str, str] | None = None, module: str = "console"
    ) -> None:
        self.leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module, *argv],
            stdin=follower,
            stdout=follower,
            stderr=follower,
            # COLUMNS/LINES win over the pty's window size, and pytest-xdist's
            # workers set them to 80x24: the app then drew at 80x24 and the
            # history detail's metadata fell below the screen (failed under -n 2).
            env={
                **os.environ,
                "TERM": "xterm-256color",
                "COLUMNS": str(SIZE[0]),
                "LINES": str(SIZE[1]),
                **(env or {}),
            },
            start_new_session=True,
        )
        os.close(follower)
        PtyApp.running.append(self)
        self.data = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.leader, 65536)
            except OSError:  # EIO once the process has closed the terminal
                return
            if not chunk:
                return
            self.data.extend(chunk)

    def wait_for(self, needle: bytes, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.data:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                tail = bytes(self.data[-2000:])
                # A failed test must not leave the app behind: orphaned, it keeps
                # running and takes CPU from every test after it.
                self.close()
                raise TimeoutError(f"{needle!r} never appeared; last output: {tail!r}")
            time.sleep(0.05)

    def send(self, keys: bytes) -> None:
        os.write(self.leader, keys)

    def quit(self) -> bytes:
        """Ctrl+Q, wait for the exit, and return everything written."""
        self.send(b"\x11")
        try:
            self.proc.wait(timeout=15)
        finally:
            self.close()
        return bytes(self.data)

    def close(self) -> None:
        """Kill the app if it still runs and release its terminal (once)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.leader >= 0:
            self._reader.join(timeout=5)
            os.close(self.leader)
            self.leader = -1
        if self in PtyApp.running:
            PtyApp.running.remove(self)

    @classmethod
    def close_all(cls) -> None:
        """Close every app still running (a test that failed midway left it)."""
        for app in list(cls.running):
            app.close()


TEXTUAL_OSC = {b"\x1b]22;"}
"""The OSC sequences Textual itself writes (22: pointer shape); any other came from a value."""


def osc_sequences(data: bytes) -> set[bytes]:
    """The distinct OSC introducers (ESC ] number ;) in *data*."""
    import re

    return set(re.findall(rb"\x1b\][0-9]*;?", data))


def pty_config(tmp_path: Path, sandbox: Sandbox, *, description: str = "", extra: str = "") -> Path:
    info = sandbox.info
    path = tmp_path / "cfg.toml"
    path.write_text(
        f"""
[console]
history_path = "{tmp_path / "history.sqlite3"}"
connect_timeout = 2
read_timeout = 5
max_attempts = 1

[profiles.p]
description = {toml_string(description)}
region = "{info.region}"
user_pool_id = "{info.user_pool_id}"
client_id = "{info.client("public").client_id}"
endpoint_url = "{info.endpoint_url}"
{extra}""",
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


def test_a_real_terminal_gets_no_raw_sequence_from_values(
    tmp_path: Path, hostile_tui_sandbox: Sandbox
) -> None:
    """Hostile profile description and server message; the raw bytes the process writes."""
    sandbox = hostile_tui_sandbox
    description = "\x1b]0;pwned-title\x07 [@click=app.quit]x[/] \x9b2J"
    message = "\x1b]52;c;aG9zdGlsZQ==\x07 \x9d0;t\x9c [link=file:///etc/passwd]x[/]"
    config = pty_config(tmp_path, sandbox, description=description)
    user = new_user(sandbox)
    sandbox.set_fault("error", code="HostileTestException", message=message, count=1)
    try:
        app = PtyApp(["--config", str(config)])
        app.wait_for(b"ready")
        app.send(user.encode() + b"\r")
        app.wait_for(b"HostileTestException")
        data = app.quit()
    finally:
        sandbox.clear_fault()
    assert app.proc.returncode == 0
    text = data.decode("utf-8", "replace")
    # Between Textual's own escape sequences, the text holds no hazard at all:
    # no C0 but newline and tab, no C1, no format character from a value.
    assert raw_hazards(data, pty=True, driver_sequences=True) == []
    for sequence in ("\x1b]0;pwned", "\x1b]52;c;aG9zdGlsZQ", "\x1b]8;"):
        assert sequence not in text, repr(sequence)
    assert osc_sequences(data) <= TEXTUAL_OSC
    assert "\\x1b]52;c;aG9zdGlsZQ==\\x07" in text  # shown, escaped
    assert "\\x1b]0;pwned-title\\x07" in text


def test_a_real_terminal_gets_no_raw_sequence_from_a_history_replay(
    tmp_path: Path, hostile_tui_sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    from console.cli import main

    sandbox = hostile_tui_sandbox
    config = pty_config(tmp_path, sandbox)
    stored = "\x1b]52;c;cmVwbGF5ZWQ=\x07"
    user = new_user(sandbox)
    assert main(["--config", str(config), "resend", "-u", user, f"--meta=k={stored}"]) == 0
    capsys.readouterr()
    app = PtyApp(["--config", str(config)])
    app.wait_for(b"ready")
    app.send(b"\x1bOR")  # F3: history
    app.wait_for(user.encode())
    app.wait_for(b"\\x1b]52;c;cmVwbGF5ZWQ=")  # the history detail shows it escaped
    app.send(b"\r")  # put the row in the form
    app.wait_for(b"\\u001b]52;c;cmVwbGF5ZWQ=")  # the preview (JSON) shows it escaped...
    data = app.quit()
    assert osc_sequences(data) <= TEXTUAL_OSC, "an OSC sequence from the value reached the tty"
    assert b"\x1b]52;c;cmVwbGF5ZWQ" not in data
    assert raw_hazards(data, pty=True, driver_sequences=True) == []


def test_a_failed_wait_leaves_no_terminal_app_running(
    tmp_path: Path, hostile_tui_sandbox: Sandbox
) -> None:
    # An app left running after its test failed spun on its closed terminal and
    # slowed every test after it, until others timed out too.
    app = PtyApp(["--config", str(pty_config(tmp_path, hostile_tui_sandbox))])
    app.wait_for(b"ready")
    with pytest.raises(TimeoutError):
        app.wait_for(b"never shown", timeout=0.5)
    assert app.proc.poll() is not None
    assert app not in PtyApp.running


# -- the delivery doctor's screen ----------------------------------------------------


async def test_the_doctor_screen_paints_hostile_values_safely(
    app_for: Callable[..., ConsoleApp], hostile_tui_sandbox: Sandbox
) -> None:
    """A hostile email, and a logged delivery error repeating it: shown, never parsed or raw."""
    import json

    from moto.logs.models import logs_backends
    from textual.content import Content

    from console.tui.screens.doctor import DoctorScreen
    from tests.tui.conftest import wait_until

    sandbox = hostile_tui_sandbox
    logs = logs_backends["123456789012"][sandbox.info.region]
    group = f"/aws/cognito/userpools/{sandbox.info.user_pool_id}/userNotification"
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for case in MESSAGES[:16]:
            user = f"hd-{uuid.uuid4().hex[:12]}"
            sandbox.add_user(user, email=case.value)
            if "userNotification" not in logs.groups[group].streams:
                logs.create_log_stream(group, "userNotification")
            event = {"message": {"userName": user, "details": case.value}}
            logs.put_log_events(
                group,
                "userNotification",
                [{"timestamp": int(time.time() * 1000), "message": json.dumps(event)}],
            )
            await send_and_wait(pilot, user)
            await pilot.press("ctrl+y")
            await wait_until(pilot, lambda: isinstance(app.screen, DoctorScreen))
            screen = app.screen
            assert isinstance(screen, DoctorScreen)
            await wait_until(pilot, lambda: screen.report is not None)  # noqa: B023
            await pilot.pause()
            assert screen_hazards(screen.text) == [], case.id
            assert "delivery-logs: 1 delivery error for" in screen.text, case.id
            assert_screen_safe(app)
            for index in range(screen.checks.option_count):
                prompt = screen.checks.get_option_at_index(index).prompt
                assert isinstance(prompt, Content)
                styles = [str(span.style) for span in prompt.spans]
                assert not any("@click" in style or "link" in style for style in styles)
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is app.main)
