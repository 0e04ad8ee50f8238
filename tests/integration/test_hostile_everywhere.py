"""One hostile value through every subcommand, as the operator's terminal receives it.

The value is planted everywhere text comes from outside: a user's email,
phone and name (created over HTTP through the sandbox's admin API), the
server's error message, a trigger's message body, subject and log, a
profile's description and metadata defaults, a users file, the history.
Every subcommand then runs as a real process with stdout on a
pseudo-terminal; its bytes (and its stderr) must hold no hazard by the
wide oracle of tests/data/hostile.py, and must show the value escaped,
which proves it went through.

:func:`test_every_subcommand_is_in_the_sweep` fails when a subcommand is
added without a case here: a new output path cannot skip this test.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import queue
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

import pytest

from tests.conftest import admin_client_for, cognito_client_for
from tests.data.hostile import CORPUS, raw_hazards, terminal_hazards, toml_string
from tests.helpers.pty_run import run_on_pty

HOSTILE = (
    "[@click=app.quit]x[/] \x1b]52;c;aGk=\x07 \x1b[2J \rFAKE\x08\x07 "
    "\u202eabc \u200b \u2028 \x7f \x9b2J"
)
"""Markup, OSC 52, CSI, CR, BS, BEL, RLO, ZWSP, LS, DEL and an 8-bit CSI in one value."""

SHOWN = "\\x1b]52;c;aGk=\\x07 \\x1b[2J \\x0dFAKE\\x08\\x07 \\u202eabc \\u200b \\u2028 \\x7f \\x9b2J"
"""The value as console.text.visible shows it (written out here, not computed)."""

SHOWN_START = "[@click=app.quit]x[/] \\x1b]52;c;aGk=\\x07 \\x1b[2J \\x0dFAKE"
"""Its start, for listings that cut long cells."""

IN_JSON = "\\u001b]52;c;aGk=\\u0007"
"""The start of the value as ASCII-only JSON shows it."""

EVERY_HAZARD = (
    HOSTILE
    + " "
    + " ".join(case.value for case in CORPUS if case.family in ("escape", "invisible"))
)
"""The value and every escape and invisible value of the corpus: where a text may be long
and span lines (a server message, a trigger's body, a profile's description)."""


def _no_surrogates(text: str) -> str:
    """*text* as TOML can hold it: TOML strings are Unicode scalar values only."""
    return "".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF)


BAD_NAME = "bad" + HOSTILE.replace("\r", "").replace("\u2028", "") + "name"
"""A users-file line: the value less what would split it into lines."""

READY_WITHIN_S = 30.0


@dataclass(frozen=True)
class World:
    """A sandbox process with a hostile trigger, a config, and the planted values."""

    endpoint: str
    config: Path
    folder: Path
    sandbox_stderr: Path
    process: subprocess.Popen[bytes]
    lookup_user: str
    resend_user: str
    email: str
    team_config: Path
    """The same config plus a [team] table on the sandbox's DynamoDB, the operator hostile."""


def _post_json(url: str, body: dict[str, Any]) -> None:
    request = Request(  # noqa: S310 - loopback sandbox
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urlopen(request, timeout=10):  # noqa: S310 - loopback sandbox
        pass


TRIGGER = f"""
import sys

HOSTILE = {HOSTILE!r}
EVERY_HAZARD = {EVERY_HAZARD!r}


def handler(event, context):
    print("trigger log: " + HOSTILE)
    print("trigger error: " + HOSTILE, file=sys.stderr)
    code = event["request"]["codeParameter"]
    if (event["request"].get("clientMetadata") or {{}}).get("fail"):
        # Cognito refuses control characters in a message: this call fails, and its
        # record (sandbox-invocations) carries the refused body.
        event["response"]["emailMessage"] = "Your code " + code + "\\n" + EVERY_HAZARD
        return event
    event["response"]["emailSubject"] = "Code [@click=app.quit]x[/]"
    event["response"]["emailMessage"] = "Your code " + code + "\\n[@click=app.quit]x[/] [/oops]"
    return event
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("hostile-everywhere")
    trigger = folder / "hostile_trigger.py"
    trigger.write_text(TRIGGER, encoding="utf-8")
    stderr_path = folder / "sandbox.stderr"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "console",
                "sandbox",
                "--port",
                "0",
                "--custom-message-trigger",
                f"{trigger}:handler",
            ],
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
    try:
        lines: queue.Queue[bytes] = queue.Queue()
        assert process.stdout is not None
        stdout = process.stdout
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        info = json.loads(lines.get(timeout=READY_WITHIN_S))
        yield _plant(info, folder, stderr_path, process)
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _Info:
    """Just enough of SandboxInfo for the shared client factories."""

    def __init__(self, info: dict[str, Any]) -> None:
        self.endpoint_url = info["endpoint_url"]
        self.region = info["region"]


class _Remote:
    def __init__(self, info: dict[str, Any]) -> None:
        self.info = _Info(info)


def _plant(
    info: dict[str, Any], folder: Path, stderr_path: Path, process: subprocess.Popen[bytes]
) -> World:
    endpoint, pool = info["endpoint_url"], info["user_pool_id"]
    client_id = next(c["client_id"] for c in info["clients"] if "client_secret" not in c)
    remote: Any = _Remote(info)
    admin = admin_client_for(remote)
    tag = uuid.uuid4().hex[:8]
    lookup_user = f"hostile-{tag}"
    email = f"evil-{tag}{HOSTILE}@example.com"
    admin.admin_create_user(
        UserPoolId=pool,
        Username=lookup_user,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "phone_number", "Value": f"+1555{HOSTILE}0100"},
            {"Name": "name", "Value": f"Name {HOSTILE}"},
        ],
    )
    # An UNCONFIRMED user to resend to; its sign-up code is a delivery the
    # trigger wrote, for sandbox-outbox.
    resend_user = f"signup-{tag}"
    cognito = cognito_client_for(remote)
    cognito.sign_up(
        ClientId=client_id,
        Username=resend_user,
        Password="Correct-Horse-9-battery",
        UserAttributes=[{"Name": "email", "Value": f"{resend_user}@example.com"}],
    )
    # The outbox shows this delivery's hostile ClientMetadata; a second call's
    # trigger answer is refused, and the refused text goes to its invocation record.
    cognito.resend_confirmation_code(
        ClientId=client_id, Username=resend_user, ClientMetadata={"note": HOSTILE}
    )
    with contextlib.suppress(Exception):
        cognito.resend_confirmation_code(
            ClientId=client_id, Username=resend_user, ClientMetadata={"fail": "1"}
        )
    credentials = folder / "aws-credentials"
    credentials.write_text(
        "[helpdesk]\naws_access_key_id = AKIDHELPDESK0000\naws_secret_access_key = dummy\n",
        encoding="utf-8",
    )
    config = folder / "cognito-console.toml"
    config.write_text(
        f"""
[console]
default_profile = "p"
history_path = "{folder / "history.sqlite3"}"
connect_timeout = 2
read_timeout = 5
max_attempts = 1

[profiles.p]
description = {toml_string(_no_surrogates(EVERY_HAZARD))}
region = "{info["region"]}"
user_pool_id = "{pool}"
client_id = "{client_id}"
endpoint_url = "{endpoint}"
aws_profile = "helpdesk"
analytics_endpoint_id = {toml_string("ep " + HOSTILE)}
client_metadata = {{ note = {toml_string(HOSTILE)} }}
""",
        encoding="utf-8",
    )
    config.chmod(0o600)
    team_config = folder / "cognito-console-team.toml"
    team_config.write_text(
        config.read_text(encoding="utf-8")
        + f"""
[team]
table = "hostile-team"
region = "{info["region"]}"
endpoint_url = "{endpoint}"
aws_profile = "helpdesk"
operator = {toml_string(HOSTILE)}
""",
        encoding="utf-8",
    )
    team_config.chmod(0o600)
    users = folder / "users.txt"
    users.write_text(f"{resend_user}\n{BAD_NAME}\n", encoding="utf-8")
    world = World(
        endpoint, config, folder, stderr_path, process, lookup_user, resend_user, email, team_config
    )
    # A history row holding the server's hostile answer (a fault armed over HTTP).
    _arm_hostile_fault(world)
    _cli(world, "--config", str(config), "resend", "-u", resend_user)
    # The team table holds one such attempt by the hostile operator, whatever
    # case runs first: under pytest-xdist each worker builds its own world.
    _cli(world, "--config", str(team_config), "team", "init")
    _arm_hostile_fault(world)
    _cli(world, "--config", str(team_config), "resend", "-u", resend_user)
    return world


def _cli(world: World, *argv: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "console", *argv],
        capture_output=True,
        env={**os.environ, **_env(world)},
        timeout=60,
        check=False,
    )


def _arm_hostile_fault(world: World) -> None:
    """The next resend is answered with the hostile value as Cognito's error message."""
    _post_json(
        f"{world.endpoint}/_sandbox/faults",
        {"kind": "error", "code": "HostileException", "message": EVERY_HAZARD, "count": 1},
    )


def _env(world: World) -> dict[str, str]:
    return {
        "AWS_SHARED_CREDENTIALS_FILE": str(world.folder / "aws-credentials"),
        "AWS_CONFIG_FILE": str(world.folder / "aws-credentials-config"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "XDG_CONFIG_HOME": str(world.folder / "xdg-config"),
        "XDG_DATA_HOME": str(world.folder / "xdg-data"),
    }


# (subcommand path, argv after --config, what must show the value escaped)
CASES: list[tuple[str, list[str], str]] = [
    ("resend", ["resend", "-u", "{user}"], SHOWN),
    ("resend", ["resend", "-u", "{user}", "--json"], IN_JSON),
    ("resend", ["resend", "--from-file", "{users}", "--rate", "50"], SHOWN),
    ("resend", ["resend", "--from-file", "{users}", "--rate", "50", "--json"], IN_JSON),
    ("history", ["history", "--limit", "50"], SHOWN_START),
    ("history", ["history", "--limit", "50", "--json"], IN_JSON),
    ("history export", ["history", "export", "--format", "csv"], SHOWN),
    ("history export", ["history", "export", "--format", "json"], IN_JSON),
    ("profiles", ["profiles"], SHOWN),
    ("profiles", ["profiles", "--json"], IN_JSON),
    ("lookup", ["lookup", "--email", "evil-", "--prefix"], SHOWN),
    ("lookup", ["lookup", "--email", "evil-", "--prefix", "--json"], IN_JSON),
    ("sandbox-outbox", ["sandbox-outbox", "--endpoint-url", "{endpoint}"], SHOWN),
    ("sandbox-outbox", ["sandbox-outbox", "--endpoint-url", "{endpoint}", "--json"], IN_JSON),
    # The trigger's calls: its logs and its message, as the sandbox recorded them.
    ("sandbox-invocations", ["sandbox-invocations", "--endpoint-url", "{endpoint}"], SHOWN),
    (
        "sandbox-invocations",
        ["sandbox-invocations", "--endpoint-url", "{endpoint}", "--json"],
        IN_JSON,
    ),
    # The admin's handler run once, outside the sandbox; a hostile user and metadata too.
    (
        "trigger invoke",
        [
            "trigger",
            "invoke",
            "{trigger}",
            "--source",
            "CustomMessage_SignUp",
            "--meta",
            "note={hostile}",
        ],
        SHOWN,
    ),
    (
        "trigger",
        ["trigger", "invoke", "{trigger}", "--source", "CustomMessage_SignUp", "--json"],
        IN_JSON,
    ),
    (
        "trigger event",
        ["trigger", "event", "--source", "CustomMessage_ResendCode", "--meta", "note={hostile}"],
        IN_JSON,
    ),
    # The doctor shows the user's real address (hostile here) to the operator.
    ("doctor", ["doctor", "-u", "{lookup}"], SHOWN),
    ("doctor", ["doctor", "-u", "{lookup}", "--json"], IN_JSON),
    # The team table: another console's items are untrusted (the operator is hostile).
    # "" where the output holds only our own words and validated config values.
    ("team init", ["team", "init", "--config", "{team}"], ""),
    ("resend", ["resend", "-u", "{user}", "--config", "{team}"], SHOWN),
    ("history push", ["history", "push", "--config", "{team}"], ""),
    ("history", ["history", "--team", "--config", "{team}"], SHOWN_START),
    ("history", ["history", "--team", "--json", "--config", "{team}"], IN_JSON),
    (
        "history export",
        ["history", "export", "--team", "--format", "csv", "--config", "{team}"],
        SHOWN,
    ),
    ("team stats", ["team", "stats", "--config", "{team}"], SHOWN),
    ("team", ["team", "stats", "--json", "--config", "{team}"], IN_JSON),
    ("team status", ["team", "status", "--config", "{team}"], ""),
    ("team sync", ["team", "sync", "--config", "{team}"], ""),
]
"""Each case stands alone: the world holds a hostile history row and team item."""

COVERED_ELSEWHERE = {"sandbox": "test_the_sandbox_process_writes_no_hazard (its own stderr)"}


def _subcommand_paths() -> set[str]:
    """Every subcommand the real parser knows, nested ones as "history export"."""
    from console.cli import build_parser

    def walk(parser: argparse.ArgumentParser, prefix: str) -> set[str]:
        found: set[str] = set()
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    path = f"{prefix} {name}".strip()
                    found |= {path} | walk(child, path)
        return found

    return walk(build_parser(), "")


def test_every_subcommand_is_in_the_sweep() -> None:
    swept = {path for path, _, _ in CASES} | set(COVERED_ELSEWHERE)
    missing = _subcommand_paths() - swept
    assert not missing, f"no hostile case for: {sorted(missing)}; add one to CASES"


@pytest.mark.parametrize(
    ("path", "argv", "shown"),
    CASES,
    ids=[" ".join(argv[:4]) for _, argv, _ in CASES],
)
def test_the_value_reaches_no_terminal_raw(
    world: World, path: str, argv: list[str], shown: str
) -> None:
    values = {"user": world.resend_user, "users": str(world.folder / "users.txt")}
    values["endpoint"] = world.endpoint
    values["lookup"] = world.lookup_user
    values["trigger"] = f"{world.folder / 'hostile_trigger.py'}:handler"
    values["hostile"] = HOSTILE
    values["team"] = str(world.team_config)
    filled = [arg.format(**values) for arg in argv]
    if filled[0] == "resend":
        _arm_hostile_fault(world)
    result = run_on_pty(["--config", str(world.config), *filled], env=_env(world))
    out = result.out.decode("utf-8", "replace")
    err = result.err.decode("utf-8", "replace")
    assert "Traceback" not in out + err, err
    assert raw_hazards(result.out, pty=True) == [], out
    assert raw_hazards(result.err) == [], err
    assert shown in out + err, f"{path}: the value never showed (escaped): {out}{err}"


def test_bulk_failures_csv_keeps_the_value_exactly(world: World) -> None:
    # The CSV is data for a spreadsheet or a retry, not terminal output: lossless.
    target = world.folder / "failures.csv"
    _arm_hostile_fault(world)
    result = run_on_pty(
        [
            "--config",
            str(world.config),
            "resend",
            "--from-file",
            str(world.folder / "users.txt"),
            "--rate",
            "50",
            "--failures-csv",
            str(target),
        ],
        env=_env(world),
    )
    assert result.code == 1
    assert raw_hazards(result.out, pty=True) == []
    assert raw_hazards(result.err) == []
    assert SHOWN in result.out.decode(), "the summary's failure line shows the server's message"
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    messages = {row["message"] for row in rows}
    usernames = {row["username"] for row in rows}
    # Byte for byte, but for the lone surrogate: the gateway stores server text
    # that is not valid Unicode as its visible escape (so SQLite can hold it).
    assert EVERY_HAZARD.replace("\ud800", "\\ud800") in messages
    assert BAD_NAME in usernames
    assert os.stat(target).st_mode & 0o777 == 0o600


def test_the_sandbox_process_writes_no_hazard(world: World) -> None:
    # By now the trigger has run (and printed the value) at least once.
    text = world.sandbox_stderr.read_bytes()
    # The trigger's prints go to its invocation records (sandbox-invocations), not to
    # the sandbox's stderr; whatever the sandbox itself writes there is safe.
    assert raw_hazards(text) == [], text
    assert terminal_hazards(text.decode("utf-8", "replace")) == []
