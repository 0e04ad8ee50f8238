"""`cognito-console --sandbox --team`: consoles meet on one sandbox and one team table.

Real sandboxes on loopback: the first console starts one on the team port,
the next finds it (it answers /_sandbox/info as ours) and joins; both get the
same demo table on its DynamoDB. Something else on the port is refused, and
`--team` without `--sandbox` is a usage error.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from console.cli import main
from console.tui.launch import start_loopback_sandbox
from console.tui.team_sandbox import (
    DEMO_TABLE,
    NotOurSandbox,
    TeamSandbox,
    demo_team,
    probe,
    start_team_sandbox,
    with_demo_team,
)
from tests.conftest import free_port


def _start(port: int) -> Any:
    return start_loopback_sandbox(port=port)


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture(autouse=True)
def no_aws_keys(no_credentials: None) -> None:
    """A newcomer trying the demo: no AWS credentials anywhere."""


@pytest.fixture
def started() -> Iterator[list[TeamSandbox]]:
    """Every team sandbox a test starts or joins, stopped at the end (owners last)."""
    found: list[TeamSandbox] = []
    yield found
    for sandbox in sorted(found, key=lambda s: s.owned):
        sandbox.stop()


def _tables(port: int) -> list[str]:
    """The tables the sandbox on *port* serves (moto's in-process state: other tests' too)."""
    from console.history import team_client

    return list(team_client(demo_team(port)).list_tables()["TableNames"])


def test_the_second_console_joins_the_first_ones_sandbox_and_table(
    port: int, started: list[TeamSandbox]
) -> None:
    first = start_team_sandbox(port, _start)
    started.append(first)
    assert first.owned
    assert first.info.endpoint_url == f"http://127.0.0.1:{port}"
    assert first.note.startswith(f"team sandbox started at http://127.0.0.1:{port}, team table ")
    assert "quitting this one stops it for them" in first.note
    second = start_team_sandbox(port, _start)
    started.append(second)
    assert not second.owned
    assert second.info == first.info  # one pool, the same clients and secret
    assert second.note.startswith(f"joined the team sandbox at http://127.0.0.1:{port}")
    assert "nothing is lost" in second.note
    assert DEMO_TABLE in _tables(port)  # created by the first, checked by the joiner
    # The joiner quitting leaves the sandbox to its owner and the others.
    second.stop()
    assert probe(port) == first.info
    first.stop()
    assert probe(port) is None


def test_two_consoles_starting_at_once_share_one_sandbox(
    port: int, started: list[TeamSandbox]
) -> None:
    barrier = threading.Barrier(2)
    results: list[TeamSandbox] = []
    errors: list[BaseException] = []

    def launch() -> None:
        barrier.wait()
        try:
            results.append(start_team_sandbox(port, _start))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=launch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    started.extend(results)
    assert errors == []
    assert sorted(s.owned for s in results) == [False, True]
    assert results[0].info == results[1].info
    assert DEMO_TABLE in _tables(port)


def test_a_team_history_written_through_one_is_read_through_the_other(
    port: int, started: list[TeamSandbox], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A resend through the demo's [team] lands in the shared table; `history --team` reads it."""
    first = start_team_sandbox(port, _start)
    started.append(first)
    started.append(start_team_sandbox(port, _start))
    info = first.info
    config = tmp_path / "c.toml"
    config.write_text(
        f'[console]\nhistory_path = "{tmp_path / "h.sqlite3"}"\n\n'
        f'[profiles.demo]\nregion = "{info.region}"\nuser_pool_id = "{info.user_pool_id}"\n'
        f'client_id = "{info.client("public").client_id}"\nendpoint_url = "{info.endpoint_url}"\n\n'
        f'[team]\ntable = "{DEMO_TABLE}"\nregion = "us-east-1"\n'
        f'endpoint_url = "{info.endpoint_url}"\noperator = "ana"\n',
        encoding="utf-8",
    )
    config.chmod(0o600)
    user = info.users[0]
    assert main(["--config", str(config), "resend", "--username", user]) == 0
    capsys.readouterr()
    # Signed with the dummy keys only because this process started the demo (no keys exist).
    assert main(["--config", str(config), "history", "--team", "--json"]) == 0
    out = capsys.readouterr().out
    assert f'"username": "{user}"' in out
    assert '"operator": "ana"' in out


def test_something_else_on_the_port_is_refused_by_name(port: int) -> None:
    class NotFound(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_error(404)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), NotFound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(NotOurSandbox) as raised:
            start_team_sandbox(port, _start)
    finally:
        server.shutdown()
        server.server_close()
    assert str(raised.value) == (
        f"port {port} on 127.0.0.1 is in use by something that is not a cognito-console "
        "sandbox (GET /_sandbox/info answered HTTP 404); stop it, or give --team-port PORT "
        "to every console of the demo"
    )


def test_a_joiner_with_its_own_trigger_is_told_to_take_another_port(
    port: int, started: list[TeamSandbox]
) -> None:
    started.append(start_team_sandbox(port, _start))
    with pytest.raises(NotOurSandbox, match="--custom-message-trigger: the team sandbox on port"):
        start_team_sandbox(port, _start, own_trigger=True)


def test_the_demo_team_replaces_the_configs_keeping_its_operator() -> None:
    from console.config import AppConfig, TeamSettings

    real = TeamSettings(table="prod-history", region="eu-west-1", operator="ana")
    config = with_demo_team(AppConfig(team=real), 9229)
    assert config.team is not None
    assert (config.team.table, config.team.endpoint_url, config.team.operator) == (
        DEMO_TABLE,
        "http://127.0.0.1:9229",
        "ana",
    )
    bare = with_demo_team(AppConfig(), 9300)
    assert bare.team is not None and bare.team.operator is None  # the OS user


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["--team"],
            "cognito-console: --team needs --sandbox (it is the sandbox's team demo; for a "
            "real team table, add [team] to the config: see docs/team.md)",
        ),
        (
            ["--sandbox", "--team-port", "9300"],
            "cognito-console: --team-port needs --sandbox --team",
        ),
        (
            ["--sandbox", "--team", "profiles"],
            "cognito-console: --team goes with --sandbox, without a subcommand",
        ),
    ],
)
def test_team_without_sandbox_is_one_usage_line(
    argv: list[str], line: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["--config", str(tmp_path / "none.toml"), *argv]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [line]
    assert captured.out == ""


def test_a_bad_team_port_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--sandbox", "--team", "--team-port", "70000"])
    assert raised.value.code == 2
    assert "--team-port: not a TCP port (1-65535): 70000" in capsys.readouterr().err


def test_the_sandboxs_dynamodb_serves_reads_and_writes_at_once(
    port: int, started: list[TeamSandbox]
) -> None:
    """Two consoles' uploads and look-ups meet on one table: no request may fail for it.

    moto's Query iterates every partition; a PutItem adding one meanwhile made
    it fail. Threads switch very often here, so that a bare moto meets it.
    """
    import sys
    from concurrent.futures import ThreadPoolExecutor

    from console.history import recent_for_user, team_client

    sandbox = start_team_sandbox(port, _start)
    started.append(sandbox)
    team = demo_team(port)
    client = team_client(team, max_attempts=1)
    pool = sandbox.info.user_pool_id
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)

    def write(worker: int) -> None:
        for n in range(60):
            key = {"S": f"POOL#{pool}#USER#w{worker}-{n}"}
            item = {"pk": key, "sk": {"S": f"2026-12-05T00:00:00.000Z#{n}"}}
            item |= {"day": {"S": "DAY#2026-12-05"}, "operator": {"S": f"w{worker}"}}
            client.put_item(TableName=DEMO_TABLE, Item=item)

    def read(_: int) -> None:
        for _n in range(60):
            recent_for_user(client, DEMO_TABLE, pool, "w0-1", "2026-12-05T00:00:00.000Z")

    try:
        with ThreadPoolExecutor(8) as workers:
            jobs = [workers.submit(write, w) for w in range(4)]
            jobs += [workers.submit(read, r) for r in range(4)]
            for job in jobs:
                job.result()  # an InternalFailure (HTTP 500) would raise here
    finally:
        sys.setswitchinterval(previous)
