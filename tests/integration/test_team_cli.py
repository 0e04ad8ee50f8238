"""`cognito-console team ...` and `resend` with a [team] table, through the real CLI.

Cognito is the sandbox over HTTP; the team table is moto's DynamoDB server
on loopback, behind a proxy that can refuse connections.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.team_db import FailingProxy, all_items, failing_proxy, moto_dynamodb, raw_client
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
    run: Run, table: str, dynamodb: str, fresh_user: object
) -> None:
    assert run("team", "init")[0] == 0
    code, out, err = run("resend", "--username", "bob")
    assert code == 0
    assert out.startswith("delivered: SMS to +*******0100")
    assert "team:" not in err
    (item,) = all_items(dynamodb, table)
    assert item["username"] == {"S": "bob"}
    assert item["operator"] == {"S": "ana"}
    assert item["outcome"] == {"S": "delivered"}
    assert run("team", "status", "--json")[1].strip() == json.dumps(
        {"table": table, "waiting": 0, "last_error": None}
    )


def test_an_unreachable_team_table_queues_and_the_next_run_sends(
    run: Run, table: str, dynamodb: str, proxy: FailingProxy
) -> None:
    assert run("team", "init")[0] == 0
    proxy.mode = "drop"
    code, out, err = run("resend", "--username", "bob")
    assert code == 0  # Cognito's answer decides the exit code, never the team table
    assert out.startswith("delivered: SMS to +*******0100")
    (line,) = [line for line in err.splitlines() if line.startswith("team:")]
    assert line.startswith("team: attempt queued, 1 waiting: ")
    assert line.endswith("the next cognito-console run on this history sends it")
    assert all_items(dynamodb, table) == []
    code, out, _ = run("team", "status")
    assert out.splitlines()[0] == f"team table {table}: 1 attempt waiting"
    assert out.splitlines()[1].startswith("  last upload error: ")
    proxy.mode = "pass"
    code, out, _ = run("team", "sync")
    assert (code, out.strip()) == (0, "sent 1 of 1; 0 waiting")
    assert [i["username"]["S"] for i in all_items(dynamodb, table)] == ["bob"]
