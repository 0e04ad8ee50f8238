"""The hostile-input corpus through every CLI input, and hostile answers from the server.

For every value exactly one holds: it is rejected (exit 2, a message naming
the flag and the rule, nothing sent), or it is sent exactly (proven by what
the sandbox received) and shown literally (control characters as escapes,
via console.text.visible). Either way nothing crashes and no raw ESC or C1
character reaches stdout or stderr. Most cases run ``console.cli.main``
in-process (fast); a few run a real process and read its raw bytes.

The oracle of what must be accepted is tests/data/hostile.py, written from
the reference, not imported from the code under test.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.cli import main
from console.text import visible
from tests.data.hostile import (
    CORPUS,
    FIELDS,
    Case,
    expected_problem,
    hostile_text,
    raw_hazards,
    terminal_hazards,
)

if TYPE_CHECKING:
    from console.sandbox import Sandbox

Run = Callable[..., tuple[int, str, str]]

_FLAG = {
    "username": "--username",
    "meta-key": "--meta[1].key",
    "meta-value": "--meta[1].value",
    "analytics-endpoint-id": "--analytics-endpoint-id",
    "client-id": "--client-id",
    "ip-address": "--ip-address",
    "encoded-data": "--encoded-data",
}


@pytest.fixture(scope="module")
def hostile_sandbox() -> Iterator[Sandbox]:
    """A sandbox of this module's own: hostile usernames become real users here."""
    from console.sandbox import start_sandbox

    running = start_sandbox()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def config_file(tmp_path_factory: pytest.TempPathFactory, hostile_sandbox: Sandbox) -> Path:
    info = hostile_sandbox.info
    folder = tmp_path_factory.mktemp("hostile-cli")
    path = folder / "cognito-console.toml"
    path.write_text(
        f"""
[console]
default_profile = "sandbox"
history_path = "{folder / "history.sqlite3"}"
connect_timeout = 2
read_timeout = 5
max_attempts = 1

[profiles.sandbox]
region = "{info.region}"
user_pool_id = "{info.user_pool_id}"
client_id = "{info.client("public").client_id}"
endpoint_url = "{info.endpoint_url}"
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def run(config_file: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    def _run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--config", str(config_file), *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return _run


def new_user(sandbox: Sandbox, name: str | None = None) -> str:
    """Add a user (a fresh uuid name by default); for a taken name, just use it."""
    username = name if name is not None else f"h-{uuid.uuid4().hex[:12]}"
    # ValueError: already there (a hypothesis example repeated a corpus value).
    with contextlib.suppress(ValueError):
        sandbox.add_user(username, email="someone@example.com")
    return username


def assert_terminal_safe(*texts: str) -> None:
    for text in texts:
        assert terminal_hazards(text) == [], "raw ESC/C1 reached the terminal"
        assert "Traceback" not in text


def _argv_and_expectation(
    field: str, value: str, user: str
) -> tuple[list[str], str | None, Callable[[dict[str, Any]], object], object]:
    """The resend argv for *value* in *field*, the expected problem, and how to find it sent."""
    if field == "username":
        return (
            [f"--username={value}"],
            expected_problem(field, value),
            lambda b: b["Username"],
            value,
        )
    argv = [f"--username={user}"]
    if field in ("meta-key", "meta-value"):
        arg = f"{value}=v" if field == "meta-key" else f"k={value}"
        key, _, meta_value = arg.partition("=")  # the documented split: at the first "="
        problem = expected_problem("meta-key", key) or expected_problem("meta-value", meta_value)
        return (
            [*argv, f"--meta={arg}"],
            problem,
            lambda b: b.get("ClientMetadata"),
            {key: meta_value},
        )
    flag = _FLAG[field]
    argv.append(f"{flag}={value}")
    problem = expected_problem(field, value)
    if field == "client-id":
        return argv, problem, lambda b: b["ClientId"], value
    if field == "analytics-endpoint-id":
        sent: object = None if value == "" else {"AnalyticsEndpointId": value}
        return argv, problem, lambda b: b.get("AnalyticsMetadata"), sent
    member = "IpAddress" if field == "ip-address" else "EncodedData"
    sent = None if value == "" else {member: value}
    return argv, problem, lambda b: b.get("UserContextData"), sent


def check_input(run: Run, sandbox: Sandbox, field: str, value: str, *, deliverable: bool) -> str:
    """Send *value* in *field* through the CLI; assert the one-of-two rule. Returns the verdict."""
    user = new_user(sandbox)
    if field == "username" and deliverable and expected_problem(field, value) is None:
        new_user(sandbox, value)
    argv, problem, member, sent = _argv_and_expectation(field, value, user)
    before = len(sandbox.received())
    code, out, err = run("resend", *argv)
    assert_terminal_safe(out, err)
    received = sandbox.received()
    if problem is not None:
        assert code == 2, (out, err)
        assert out == ""
        lines = err.splitlines()
        assert len(lines) == 1, lines
        prefix = "invalid input: --meta[1]." if field.startswith("meta") else "invalid input: "
        flag = "" if field.startswith("meta") else _FLAG[field]
        assert lines[0].startswith(prefix + flag), lines[0]
        assert problem in lines[0], (problem, lines[0])
        assert len(received) == before, "a rejected value was sent"
        return "rejected"
    assert code in (0, 1), (code, out, err)
    assert len(received) == before + 1, "an accepted value was not sent exactly once"
    body = received[-1]
    assert member(body) == sent, "not sent exactly"
    first = out.splitlines()[0]
    assert first.startswith(("delivered: ", "failed: ")), first
    assert f"user {visible(body['Username'])} " in out  # shown literally, escaped
    if field == "username" and deliverable:
        assert code == 0 and first.startswith("delivered: EMAIL"), first
    return "sent"


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("case", CORPUS, ids=[c.id for c in CORPUS])
def test_every_corpus_value_in_every_request_input(
    run: Run, hostile_sandbox: Sandbox, field: str, case: Case
) -> None:
    check_input(run, hostile_sandbox, field, case.value, deliverable=True)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(field=st.sampled_from(FIELDS), value=hostile_text)
def test_generated_hostile_text_in_any_input(
    run: Run, hostile_sandbox: Sandbox, field: str, value: str
) -> None:
    check_input(run, hostile_sandbox, field, value, deliverable=False)


def test_the_accepted_values_come_back_exactly_from_history(
    run: Run, hostile_sandbox: Sandbox
) -> None:
    """What history shows (--json) is the value as sent, for the values that were sent."""
    sent = [c for c in CORPUS if expected_problem("meta-value", c.value) is None]
    user = new_user(hostile_sandbox)
    meta = [f"--meta=k{i}={c.value}" for i, c in enumerate(sent)]
    code, out, err = run("resend", f"--username={user}", *meta, "--json")
    assert code == 0, err
    assert_terminal_safe(out, err)
    code, out, err = run("history", "--json", "--limit", "1")
    assert code == 0
    assert_terminal_safe(out, err)
    record = json.loads(out)
    assert record["client_metadata"] == {f"k{i}": c.value for i, c in enumerate(sent)}


def _server_cases(cases: list[Case] | tuple[Case, ...]) -> list[Any]:
    return [pytest.param(c, id=c.id) for c in cases]


def _as_received(value: str) -> str:
    """Server text as the gateway keeps it: exact, except that text which is not
    valid Unicode (a lone surrogate) becomes its visible escape at the boundary,
    so the CLI, --json and history all agree and SQLite can store it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


@pytest.mark.parametrize("case", _server_cases(CORPUS))
def test_server_error_message_is_shown_literally(
    run: Run, hostile_sandbox: Sandbox, case: Case
) -> None:
    """A hostile message in Cognito's error answer: shown escaped, kept exactly in --json."""
    hostile_sandbox.set_fault("error", code="HostileTestException", message=case.value, count=2)
    try:
        user = new_user(hostile_sandbox)
        code, out, err = run("resend", f"--username={user}")
        assert code == 1
        assert_terminal_safe(out, err)
        shown = visible(case.value)
        assert out.splitlines()[0] == f"failed: HostileTestException (HTTP 400): {shown}"
        code, out, err = run("resend", f"--username={user}", "--json")
        assert code == 1
        assert_terminal_safe(out, err)
        assert json.loads(out)["error"]["message"] == _as_received(case.value)
    finally:
        hostile_sandbox.clear_fault()
    code, out, err = run("history", "--limit", "2")
    assert code == 0
    assert_terminal_safe(out, err)
    assert "HostileTestException" in out
    code, out, _ = run("history", "--json", "--limit", "1")
    # history keeps 4,000 chars
    assert json.loads(out)["error_message"] == _as_received(case.value)[:4000]


@pytest.mark.parametrize("case", _server_cases([c for c in CORPUS if len(c.value) < 1000]))
def test_hostile_error_code_neither_crashes_nor_reaches_the_terminal(
    run: Run, hostile_sandbox: Sandbox, case: Case
) -> None:
    hostile_sandbox.set_fault("error", code=case.value or "x", message="m", count=1)
    try:
        code, out, err = run("resend", f"--username={new_user(hostile_sandbox)}")
    finally:
        hostile_sandbox.clear_fault()
    assert code == 1
    assert out.startswith("failed: ")
    assert_terminal_safe(out, err)


def test_hostile_destination_in_a_delivery_is_escaped(run: Run, hostile_sandbox: Sandbox) -> None:
    """The masked destination comes from the server too: its first characters can be anything."""
    user = f"h-{uuid.uuid4().hex[:12]}"
    hostile_sandbox.add_user(user, email="\x9b2J@\x1b]0;x.example")
    code, out, err = run("resend", f"--username={user}")
    assert code == 0
    assert_terminal_safe(out, err)
    assert out.splitlines()[0] == "delivered: EMAIL to \\x9b***@\\x1b***.example (email)"


def test_everything_stored_lists_safely(run: Run) -> None:
    """After the whole corpus went through, listing history is still terminal-safe."""
    code, out, err = run("history", "--limit", "100000")
    assert code == 0
    assert_terminal_safe(out, err)
    code, out, err = run("history", "--json", "--limit", "100000")
    assert code == 0
    assert_terminal_safe(out, err)


def test_json_export_to_stdout_is_terminal_safe(run: Run, hostile_sandbox: Sandbox) -> None:
    user = new_user(hostile_sandbox)
    code, _, _ = run("resend", f"--username={user}", "--meta=k=\x9b2J \x1b[2J")
    assert code == 0
    code, out, _ = run("history", "export", "--format", "json")
    assert code == 0
    assert terminal_hazards(out) == []
    assert {"k": "\x9b2J \x1b[2J"} in [r["client_metadata"] for r in json.loads(out)]


# -- through a real process, raw bytes --------------------------------------------


def _raw(config_file: Path, *argv: str) -> tuple[int, bytes, bytes]:
    proc = subprocess.run(
        [sys.executable, "-m", "console", "--config", str(config_file), *argv],
        capture_output=True,
        timeout=60,
        check=False,
        env={**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"},
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_raw_bytes_of_a_rejected_escape_username(config_file: Path) -> None:
    code, out, err = _raw(config_file, "resend", "--username", "\x1b]52;c;aGVsbG8=\x07")
    assert code == 2
    assert out == b""
    assert raw_hazards(err) == []
    assert err.decode() == (
        "invalid input: --username: letters, marks, symbols, digits and punctuation only "
        "(no spaces or control characters); U+001B at position 1\n"
    )


def test_raw_bytes_of_sent_c1_and_bidi_values(config_file: Path, hostile_sandbox: Sandbox) -> None:
    username = "[@click=app.quit]x[/]\u05e9\u05dc\u05d5\u05dd\U0001f600"
    new_user(hostile_sandbox, username)
    value = "\x9b2J\x1b[2J\u200b\u202egnp.exe"
    code, out, err = _raw(config_file, "resend", "--username", username, "--meta", f"note={value}")
    assert code == 0, err
    assert raw_hazards(out) == [] and raw_hazards(err) == []
    assert out.decode().splitlines()[0].startswith("delivered: EMAIL")
    assert f"user {visible(username)} ".encode() in out
    assert hostile_sandbox.received()[-1]["ClientMetadata"] == {"note": value}


def test_raw_bytes_of_a_hostile_server_message(config_file: Path, hostile_sandbox: Sandbox) -> None:
    """The fault armed over HTTP (POST /_sandbox/faults), as another process would."""
    from urllib.request import Request, urlopen

    message = "\x1b]0;owned\x07\x9b2J[link=file:///etc/passwd]x[/]"
    request = Request(  # noqa: S310 - loopback sandbox, http
        hostile_sandbox.info.endpoint_url + "/_sandbox/faults",
        data=json.dumps(
            {"kind": "error", "code": "HostileTestException", "message": message, "count": 1}
        ).encode(),
        method="POST",
    )
    with urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback sandbox, http
        assert json.loads(answer.read())["remaining"] == 1
    code, out, err = _raw(config_file, "resend", "--username", new_user(hostile_sandbox))
    assert hostile_sandbox.fault_state() == {"fault": None, "remaining": None}
    assert code == 1
    assert raw_hazards(out) == [] and raw_hazards(err) == []
    assert out.decode().splitlines()[0] == (
        f"failed: HostileTestException (HTTP 400): {visible(message)}"
    )


def test_csv_export_to_a_terminal_is_terminal_safe(
    config_file: Path, run: Run, hostile_sandbox: Sandbox
) -> None:
    """Read through a pseudo-terminal: what the operator's terminal would receive."""
    import pty

    user = new_user(hostile_sandbox)
    # A plain text column (metadata is JSON-encoded in CSV cells, which escapes C0).
    assert run("resend", f"--username={user}", "--analytics-endpoint-id=\x1b]0;owned\x07")[0] == 0
    leader, follower = pty.openpty()
    try:
        argv = ["history", "export", "--format", "csv", "--user", user]
        proc = subprocess.Popen(
            [sys.executable, "-m", "console", "--config", str(config_file), *argv],
            stdout=follower,
            stderr=follower,
            env={**os.environ, "NO_COLOR": "1"},
        )
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the process closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.wait(timeout=60) == 0
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    screen = b"".join(chunks)
    assert user.encode() in screen
    assert raw_hazards(screen) == []


def _log_delivery_error(sandbox: Sandbox, username: str, details: str) -> None:
    """A userNotification error event naming *username*, as Cognito would log it."""
    import time

    from moto.logs.models import logs_backends

    logs = logs_backends["123456789012"][sandbox.info.region]
    group = f"/aws/cognito/userpools/{sandbox.info.user_pool_id}/userNotification"
    if "userNotification" not in logs.groups[group].streams:
        logs.create_log_stream(group, "userNotification")
    event = {
        "eventSource": "USER_NOTIFICATION",
        "message": {"userName": username, "details": details},
    }
    logs.put_log_events(
        group,
        "userNotification",
        [{"timestamp": int(time.time() * 1000), "message": json.dumps(event)}],
    )


@pytest.mark.parametrize("case", CORPUS, ids=[c.id for c in CORPUS])
def test_doctor_output_is_terminal_safe_for_every_corpus_value(
    run: Run, hostile_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, case: Any
) -> None:
    """The value as a username, as the user's email, and in a logged delivery error."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDHOSTILEDOCTOR")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "dummy")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    value = case.value
    problem = expected_problem("username", value)
    if problem is None:
        named = new_user(hostile_sandbox, value)
    else:
        code, out, err = run("doctor", f"--username={value}")
        assert_terminal_safe(out, err)
        assert (code, out) == (2, "")
        (line,) = err.splitlines()
        assert line.startswith("invalid input: --username: "), line
        named = new_user(hostile_sandbox)
    mailed = f"h-{uuid.uuid4().hex[:12]}"
    hostile_sandbox.add_user(mailed, email=value)
    _log_delivery_error(hostile_sandbox, mailed, value)
    for user in (named, mailed):
        code, out, err = run("doctor", f"--username={user}")
        assert code in (0, 1), (out, err)
        assert_terminal_safe(out, err)
        assert out.splitlines()[-1].startswith("verdict: ")
        code, out, err = run("doctor", f"--username={user}", "--json")
        assert_terminal_safe(out, err)
        report = json.loads(out)
        assert report["username"] == user
        checks = {c["id"]: c for c in report["checks"]}
        if user == mailed and value:
            assert f"email {value} (unverified)" in checks["user"]["evidence"]
            (detail,) = checks["delivery-logs"]["details"]
            assert " ".join(value.split())[:200] in detail
