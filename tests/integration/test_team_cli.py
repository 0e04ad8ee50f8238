"""`cognito-console team ...` and `resend` with a [team] table, through the real CLI.

Cognito is the sandbox over HTTP; the team table is moto's DynamoDB server
on loopback, behind a proxy that can refuse connections.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers.team_db import (
    FailingProxy,
    all_items,
    failing_proxy,
    moto_dynamodb,
    raw_client,
    sent_by,
)
from tests.integration.conftest import Run


@pytest.fixture(scope="module")
def dynamodb() -> Iterator[str]:
    with moto_dynamodb() as url:
        yield url


@pytest.fixture
def proxy(dynamodb: str) -> Iterator[FailingProxy]:
    with failing_proxy(dynamodb) as proxy:
        yield proxy


@pytest.fixture(autouse=True)
def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def table(config_file: Path, proxy: FailingProxy) -> str:
    """A [team] table (new per test) added to the CLI's config, reached through the proxy."""
    name = f"team-{uuid.uuid4().hex[:12]}"
    with config_file.open("a", encoding="utf-8") as f:
        f.write(
            f'\n[team]\ntable = "{name}"\nregion = "eu-west-1"\n'
            f'endpoint_url = "{proxy.url}"\noperator = "ana"\n'
        )
    return name


def test_team_init_creates_then_checks_the_table(run: Run, table: str, dynamodb: str) -> None:
    code, out, err = run("team", "init")
    assert code == 0, err
    assert out.strip().startswith(f"team table {table} created at http://127.0.0.1:")
    assert out.strip().endswith(": ACTIVE")
    assert f"creating table {table}" in err
    code, out, _ = run("team", "init")
    assert code == 0
    assert f"team table {table} checked" in out
    assert raw_client(dynamodb).describe_table(TableName=table)["Table"]["TableStatus"] == "ACTIVE"


def test_team_init_names_a_wrong_table_and_exits_1(run: Run, table: str, dynamodb: str) -> None:
    raw_client(dynamodb).create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )
    code, out, err = run("team", "init")
    assert code == 1
    assert out == ""
    assert err.strip().splitlines() == [
        f"team table {table} is not one the console can use: "
        "key schema is pk (HASH), expected pk (HASH), sk (RANGE); "
        "global secondary index by_day is missing; "
        "global secondary index by_operator is missing "
        "(name a new table in [team] and run team init to create it)"
    ]


def test_team_commands_without_a_team_table_exit_2(run: Run) -> None:
    code, out, err = run("team", "status")
    assert code == 2
    assert out == ""
    assert "no [team] table; add one" in err


def test_a_resend_reaches_the_team_table(
    run: Run, table: str, dynamodb: str, fresh_user: Callable[..., str]
) -> None:
    assert run("team", "init")[0] == 0
    user = fresh_user(email=None, phone_number="+15555550100")
    code, out, err = run("resend", "--username", user)
    assert code == 0
    assert out.startswith("delivered: SMS to +*******0100")
    assert "team:" not in err
    (item,) = all_items(dynamodb, table)
    assert item["username"] == {"S": user}
    assert item["operator"] == {"S": "ana"}
    assert item["outcome"] == {"S": "delivered"}
    assert run("team", "status", "--json")[1].strip() == json.dumps(
        {"table": table, "waiting": 0, "last_error": None}
    )


def test_an_unreachable_team_table_queues_and_the_next_run_sends(
    run: Run, table: str, dynamodb: str, proxy: FailingProxy, fresh_user: Callable[..., str]
) -> None:
    assert run("team", "init")[0] == 0
    proxy.mode = "drop"
    user = fresh_user()
    code, out, err = run("resend", "--username", user)
    assert code == 0  # Cognito's answer decides the exit code, never the team table
    assert out.startswith("delivered: EMAIL to u***@e***.com")
    (line,) = [line for line in err.splitlines() if line.startswith("team: attempt")]
    assert line.startswith("team: attempt queued, 1 waiting: ")
    assert line.endswith("the next cognito-console run on this history sends it")
    assert all_items(dynamodb, table) == []
    code, out, _ = run("team", "status")
    assert out.splitlines()[0] == f"team table {table}: 1 attempt waiting"
    assert out.splitlines()[1].startswith("  last upload error: ")
    proxy.mode = "pass"
    code, out, _ = run("team", "sync")
    assert (code, out.strip()) == (0, "sent 1 of 1; 0 waiting")
    assert [i["username"]["S"] for i in all_items(dynamodb, table)] == [user]


def _local_only_then_team(run: Run, config_file: Path, users: list[str]) -> None:
    """Attempts made before [team] existed: the config is swapped in after them."""
    text = config_file.read_text(encoding="utf-8")
    head, team = text.split("\n[team]\n")
    config_file.write_text(head, encoding="utf-8")
    for user in users:
        run("resend", "--username", user)
    config_file.write_text(head + "\n[team]\n" + team, encoding="utf-8")


def test_history_push_uploads_an_older_history_once(
    run: Run, config_file: Path, table: str, dynamodb: str
) -> None:
    _local_only_then_team(run, config_file, ["carol", "nobody-here", "dave"])
    assert run("team", "init")[0] == 0
    assert all_items(dynamodb, table) == []
    code, out, _ = run("history", "push")
    assert code == 0
    assert out.startswith("pushed 3 of 3 attempts (3 newly queued); 0 waiting.")
    first = {(i["pk"]["S"], i["sk"]["S"]): i for i in all_items(dynamodb, table)}
    assert len(first) == 3
    assert run("history", "push")[0] == 0
    again = {(i["pk"]["S"], i["sk"]["S"]): i for i in all_items(dynamodb, table)}
    assert again == first  # the same three items, not six


def test_history_team_lists_filters_and_exports(
    run: Run, config_file: Path, table: str, tmp_path: Path, fresh_user: Callable[..., str]
) -> None:
    assert run("team", "init")[0] == 0
    user = fresh_user(email=None, phone_number="+15555550100")
    for name in (user, "carol", "nobody-here"):
        run("resend", "--username", name)
    code, out, _ = run("history", "--team")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["time", "(UTC)", "operator", "profile", "user", "outcome", "detail"]
    assert [line.split()[4] for line in lines[1:]] == ["nobody-here", "carol", user]
    assert all(line.split()[2] == "ana" for line in lines[1:])
    code, out, _ = run("history", "--team", "--outcome", "delivered", "--json")
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert (row["username"], row["operator"], row["medium"]) == (user, "ana", "SMS")
    assert run("history", "--team", "--operator", "someone-else")[1].strip() == (
        "no team attempts found matching the filters"
    )
    code, out, err = run("history", "--operator", "ana")
    assert code == 2
    assert "--operator: only with --team" in err
    target = tmp_path / "team.csv"
    code, _, err = run("history", "export", "--team", "--format", "csv", "--output", str(target))
    assert code == 0
    assert err.strip() == f"exported 3 team attempts to {target}"
    header, *rows = target.read_text(encoding="utf-8").splitlines()
    assert header.startswith("uid,started_at,finished_at,operator,host,profile")
    assert len(rows) == 3
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_team_stats_counts_the_day(run: Run, table: str, fresh_user: Callable[..., str]) -> None:
    assert run("team", "init")[0] == 0
    user = fresh_user()
    for name in (user, user, "carol"):
        run("resend", "--username", name)
    code, out, _ = run("team", "stats", "--json")
    assert code == 0
    stats = json.loads(out)
    assert stats["total"] == 3
    assert sum(stats["per_hour"]["delivered"]) == 2
    assert sum(stats["per_hour"]["failed"]) == 1
    assert len(stats["hours"]) == 24
    assert stats["top_errors"] == [{"code": "InvalidParameterException", "count": 1}]
    assert stats["busiest_users"][0] == {"user": user, "count": 2}
    assert stats["busiest_operators"] == [{"operator": "ana", "count": 3}]
    code, out, _ = run("team", "stats")
    assert out.splitlines()[0].startswith(f"team table {table}: 3 attempts since ")
    assert any(
        line.strip().startswith("delivered") and line.endswith(" 2") for line in out.splitlines()
    )


def test_a_refused_team_read_is_one_line_exit_1(run: Run, table: str) -> None:
    code, out, err = run("history", "--team")  # no team init: the table does not exist
    assert code == 1
    assert out == ""
    assert err.strip().startswith(f"team table {table}: ResourceNotFoundException")
    assert len(err.strip().splitlines()) == 1


def test_the_teams_recent_sends_come_before_the_send(
    run: Run, table: str, dynamodb: str, sandbox: object, fresh_user: Callable[..., str]
) -> None:
    assert run("team", "init")[0] == 0
    user = fresh_user()
    pool = sandbox.info.user_pool_id  # type: ignore[attr-defined]
    sent_by(dynamodb, table, pool, user, "ben", 2)
    code, out, err = run("resend", "--username", user)
    assert (code, out.split(":")[0]) == (0, "delivered")
    assert err.splitlines()[0].startswith(
        f"{user}: 2 codes in the last hour (2 by ben); the last was delivered "
    )
    assert err.splitlines()[0].endswith(" by EMAIL")
    _, _, err = run("resend", "--username", user)
    assert err.splitlines()[0].startswith(f"{user}: 3 codes in the last hour (2 by ben, 1 by you)")


def test_at_the_hourly_limit_the_send_needs_force(
    run: Run, table: str, dynamodb: str, sandbox: object, fresh_user: Callable[..., str]
) -> None:
    assert run("team", "init")[0] == 0
    user = fresh_user()
    pool = sandbox.info.user_pool_id  # type: ignore[attr-defined]
    sent_by(dynamodb, table, pool, user, "ben", 5)
    code, out, err = run("resend", "--username", user)
    assert code == 2
    assert out == ""
    assert err.splitlines()[0].startswith(f"{user}: 5 codes in the last hour (5 by ben)")
    assert err.splitlines()[1] == (
        "not sent: Cognito allows about 5 codes an hour per user, so another now would likely "
        f"fail with LimitExceededException and keep {user} waiting longer; "
        "send anyway with --force"
    )
    code, out, _ = run("resend", "--username", user, "--force")
    assert code == 0
    assert out.startswith("delivered: EMAIL")


def test_an_unreachable_team_never_stops_a_send(
    run: Run, table: str, proxy: FailingProxy, fresh_user: Callable[..., str]
) -> None:
    proxy.mode = "drop"
    user = fresh_user()
    code, out, err = run("resend", "--username", user)
    assert code == 0
    assert out.startswith("delivered: EMAIL")
    assert err.splitlines()[0].startswith(f"team: recent sends to {user} unknown (")


def test_the_sandbox_serves_the_team_table(
    run: Run, config_file: Path, sandbox: object, fresh_user: Callable[..., str]
) -> None:
    """One loopback endpoint for everything: the sandbox relays DynamoDB to moto."""
    endpoint = sandbox.info.endpoint_url  # type: ignore[attr-defined]
    name = f"team-{uuid.uuid4().hex[:12]}"
    with config_file.open("a", encoding="utf-8") as f:
        f.write(f'\n[team]\ntable = "{name}"\nregion = "us-east-1"\nendpoint_url = "{endpoint}"\n')
    assert run("team", "init")[0] == 0
    user = fresh_user()
    code, out, err = run("resend", "--username", user)
    assert code == 0, err
    assert "team: attempt queued" not in err
    code, out, _ = run("history", "--team", "--json")
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert (row["username"], row["outcome"]) == (user, "delivered")


def test_a_missing_team_table_does_not_hold_the_cli(
    run: Run, table: str, fresh_user: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No team init: the refusal needs a person, so the CLI says so after one try."""
    from console.history import TeamUploader

    rounds: list[object] = []
    real_round = TeamUploader.upload_round

    def upload_round(self: TeamUploader) -> object:
        rounds.append(real_round(self))
        return rounds[-1]

    monkeypatch.setattr(TeamUploader, "upload_round", upload_round)
    code, out, err = run("resend", "--username", fresh_user())
    assert code == 0
    assert out.startswith("delivered: EMAIL")
    (line,) = [line for line in err.splitlines() if line.startswith("team: attempt")]
    assert "ResourceNotFoundException" in line
    assert len(rounds) == 1  # not one try after another until read_timeout runs out


def test_no_credentials_for_the_team_is_said_at_once(
    run: Run, table: str, fresh_user: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No keys at all: nothing to wait for, the push says why and stops."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/config")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    run("resend", "--username", fresh_user())  # its upload failed: backing off for a minute
    from console.history import TeamUploader

    rounds: list[object] = []
    real_round = TeamUploader.upload_round

    def upload_round(self: TeamUploader) -> object:
        rounds.append(real_round(self))
        return rounds[-1]

    monkeypatch.setattr(TeamUploader, "upload_round", upload_round)
    code, out, err = run("history", "push", "--timeout", "600")
    assert code == 1
    assert out.startswith("pushed 0 of 1 attempts")
    assert "last upload error: Unable to locate credentials" in err
    # Tried at once (the operator asked), and given up at once (nothing to wait for).
    assert len(rounds) == 1
    assert getattr(rounds[0], "uploaded", None) == 0
