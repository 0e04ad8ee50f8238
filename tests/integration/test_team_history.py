"""The team's shared history on DynamoDB (moto's server on loopback, over HTTP).

What a helpdesk relies on: every attempt reaches the team's table exactly
once and in its final state, whatever the network does meanwhile; the
operator's own history never waits for it; and a table of the wrong shape is
named, not written into.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.cognito import Delivery, Outcome, OutcomeKind
from console.history import (
    History,
    HistoryError,
    TeamUploader,
    init_table,
    recent_for_user,
    team_client,
)
from tests.helpers.team_db import (
    all_items,
    failing_proxy,
    moto_dynamodb,
    raw_client,
    settings,
)

POOL = "eu-west-1_Team1"


@pytest.fixture(autouse=True)
def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dummy keys: moto checks none, and nothing may reach a real AWS account."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def endpoint() -> Iterator[str]:
    with moto_dynamodb() as url:
        yield url


@pytest.fixture
def table(endpoint: str) -> str:
    """A new table per test: moto's state is per process, shared by every server in it."""
    name = f"team-{uuid.uuid4().hex[:12]}"
    init_table(team_client(settings(endpoint, table=name)), name)
    return name


def delivered() -> Outcome:
    return Outcome(
        OutcomeKind.DELIVERED,
        delivery=Delivery("EMAIL", "b***@e***.com", "email"),
        request_id="r-1",
        latency_ms=12.5,
    )


def send(history: History, username: str, outcome: Outcome | None = None) -> int:
    """One attempt recorded as the resend path records it: pending, then its outcome."""
    attempt = history.start_attempt(
        profile="prod",
        region="eu-west-1",
        user_pool_id=POOL,
        client_id="client1",
        username=username,
        client_metadata={"lang": "de"},
        analytics_endpoint_id=None,
    )
    history.finish_attempt(attempt, outcome or delivered())
    return attempt


def test_team_init_creates_the_table_the_console_needs(endpoint: str) -> None:
    name = f"init-{uuid.uuid4().hex[:12]}"
    report = init_table(team_client(settings(endpoint, table=name)), name)
    assert report.status == "created"
    table = raw_client(endpoint).describe_table(TableName=name)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert {i["IndexName"] for i in table["GlobalSecondaryIndexes"]} == {"by_day", "by_operator"}
    ttl = raw_client(endpoint).describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    backups = raw_client(endpoint).describe_continuous_backups(TableName=name)
    pitr = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert pitr["PointInTimeRecoveryStatus"] == "ENABLED"
    again = init_table(team_client(settings(endpoint, table=name)), name)
    assert (again.status, again.warnings) == ("exists", [])


def test_a_table_of_the_wrong_shape_is_named_not_used(endpoint: str) -> None:
    raw_client(endpoint).create_table(
        TableName=(other := f"other-{uuid.uuid4().hex[:12]}"),
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    )
    with pytest.raises(HistoryError) as caught:
        init_table(team_client(settings(endpoint, table=other)), other)
    message = str(caught.value)
    assert message.startswith(f"team table {other} is not one the console can use: ")
    assert "key schema is id (HASH), expected pk (HASH), sk (RANGE)" in message
    assert "global secondary index by_day is missing" in message
    assert "\n" not in message


def test_an_attempt_reaches_the_team_once_in_its_final_state(
    tmp_path: Path, endpoint: str, table: str
) -> None:
    with History.open(tmp_path / "h.sqlite3", team=True) as history:
        history.operator = "ana"
        send(history, "bob")
        uploader = TeamUploader(history, team_client(settings(endpoint, table=table)), table)
        assert uploader.waiting() == 1
        assert uploader.drain(10)
        assert uploader.waiting() == 0
        # Again: nothing is queued, nothing is written twice.
        assert uploader.upload_round().uploaded == 0
    items = all_items(endpoint, table)
    assert len(items) == 1
    item = items[0]
    assert item["pk"] == {"S": f"POOL#{POOL}#USER#bob"}
    assert item["outcome"] == {"S": "delivered"}
    assert item["operator"] == {"S": "ana"}
    assert item["client_metadata"] == {"M": {"lang": {"S": "de"}}}
    assert item["day"]["S"].startswith("DAY#20")
    recent = recent_for_user(
        team_client(settings(endpoint, table=table)), table, POOL, "bob", since="2000-01-01"
    )
    assert [(a.username, a.operator, a.outcome, a.medium) for a in recent] == [
        ("bob", "ana", "delivered", "EMAIL")
    ]


def test_a_late_pending_upload_never_overwrites_the_final_state(
    tmp_path: Path, endpoint: str, table: str
) -> None:
    with History.open(tmp_path / "h.sqlite3", team=True) as history:
        uploader = TeamUploader(history, team_client(settings(endpoint, table=table)), table)
        attempt = history.start_attempt(
            profile="prod", region="eu-west-1", user_pool_id=POOL, client_id="c",
            username="carol", client_metadata={}, analytics_endpoint_id=None,
        )  # fmt: skip
        assert uploader.drain(10)  # the team sees it pending
        assert [i["outcome"]["S"] for i in all_items(endpoint, table)] == ["pending"]
        history.finish_attempt(attempt, delivered())
        assert uploader.drain(10)
        with history.connection("test", write=True) as conn:
            # A second console on this file, slower, uploads the pending state it read.
            from console.history import enqueue

            enqueue(conn, attempt)
        assert uploader.drain(10)
    assert [i["outcome"]["S"] for i in all_items(endpoint, table)] == ["delivered"]


def test_an_unreachable_team_loses_nothing_and_drains_when_back(
    tmp_path: Path, endpoint: str, table: str
) -> None:
    with failing_proxy(endpoint) as proxy, History.open(tmp_path / "h.sqlite3", team=True) as h:
        client = team_client(settings(proxy.url, table=table), connect_timeout=1, read_timeout=1)
        uploader = TeamUploader(h, client, table)
        send(h, "dave")
        proxy.mode = "drop"
        for name in ("erin", "frank"):
            send(h, name)  # the local history takes each at once, team or not
        assert not uploader.drain(0.5)
        assert uploader.waiting() == 3
        assert uploader.last_error is not None
        proxy.mode = "pass"
        assert uploader.drain(15)
    names = sorted(i["username"]["S"] for i in all_items(endpoint, table))
    assert names == ["dave", "erin", "frank"]
    assert proxy.seen.get("drop", 0) >= 1


def test_throttling_backs_off_then_gets_through(tmp_path: Path, endpoint: str, table: str) -> None:
    now = [1_000_000.0]
    with failing_proxy(endpoint) as proxy, History.open(tmp_path / "h.sqlite3", team=True) as h:
        uploader = TeamUploader(
            h, team_client(settings(proxy.url, table=table)), table, clock=lambda: now[0]
        )
        send(h, "gina")
        proxy.mode = "throttle"
        result = uploader.upload_round()
        assert result.uploaded == 0
        assert result.failed is not None
        assert result.failed.startswith("ProvisionedThroughputExceededException")
        with h.connection("test") as conn:
            tries, due_ms = conn.execute("SELECT tries, due_ms FROM team_queue").fetchone()
        assert tries == 1
        assert due_ms > now[0] * 1000  # not retried at once
        assert uploader.upload_round().uploaded == 0  # still backing off: no request sent
        throttled = proxy.seen["throttle"]
        proxy.mode = "pass"
        now[0] += 120
        assert uploader.upload_round().uploaded == 1
    assert proxy.seen["throttle"] == throttled
    assert [i["username"]["S"] for i in all_items(endpoint, table)] == ["gina"]


WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from console.cognito import Delivery, Outcome, OutcomeKind
    from console.history import History

    path, count, tag, die = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == "die"
    history = History.open(path, team=True)
    history.operator = tag
    for n in range(count):
        attempt = history.start_attempt(
            profile="prod", region="eu-west-1", user_pool_id="eu-west-1_Team1",
            client_id="c", username=f"{tag}-{n}", client_metadata={},
            analytics_endpoint_id=None,
        )
        delivery = Delivery("SMS", "+***1", "phone_number")
        history.finish_attempt(attempt, Outcome(OutcomeKind.DELIVERED, delivery=delivery))
    if die:
        os.kill(os.getpid(), signal.SIGKILL)  # after the local write, before any upload
    from console.history import TeamUploader, team_client
    from console.config import TeamSettings

    settings = TeamSettings(table=sys.argv[5], region="eu-west-1", endpoint_url=sys.argv[6])
    uploader = TeamUploader(history, team_client(settings), settings.table)
    ok = uploader.drain(120)
    history.close()
    sys.exit(0 if ok else 3)
    """
)


def _writer(path: Path, count: int, tag: str, die: bool, table: str, endpoint: str) -> list[str]:
    return [sys.executable, "-c", WRITER, str(path), str(count), tag,
            "die" if die else "live", table, endpoint]  # fmt: skip


def test_kill_9_after_the_local_write_loses_nothing_and_doubles_nothing(
    tmp_path: Path, endpoint: str, table: str
) -> None:
    path = tmp_path / "h.sqlite3"
    died = subprocess.run(_writer(path, 3, "kim", True, table, endpoint), timeout=60, check=False)
    assert died.returncode == -signal.SIGKILL
    assert all_items(endpoint, table) == []
    # The next start of any console on this history sends what the dead one queued.
    with History.open(path, team=True) as history:
        uploader = TeamUploader(history, team_client(settings(endpoint, table=table)), table)
        assert uploader.waiting() == 3
        assert uploader.drain(20)
        assert uploader.drain(5)  # and again: nothing more
    items = all_items(endpoint, table)
    assert sorted(i["username"]["S"] for i in items) == ["kim-0", "kim-1", "kim-2"]
    assert {i["outcome"]["S"] for i in items} == {"delivered"}


@pytest.mark.slow
def test_eight_consoles_at_once_give_exactly_one_final_item_per_attempt(
    tmp_path: Path, endpoint: str, table: str
) -> None:
    # Eight processes, two per history file (a TUI and a script on one
    # machine share a file and its queue), 250 attempts each.
    procs = [
        subprocess.Popen(
            _writer(tmp_path / f"h{n % 4}.sqlite3", 250, f"op{n}", False, table, endpoint),
            env={**os.environ},
        )
        for n in range(8)
    ]
    codes = [proc.wait(timeout=300) for proc in procs]
    assert codes == [0] * 8
    items = all_items(endpoint, table)
    assert len(items) == 2000
    assert len({(i["pk"]["S"], i["sk"]["S"]) for i in items}) == 2000
    assert {i["outcome"]["S"] for i in items} == {"delivered"}
    by_operator: dict[str, int] = {}
    for item in items:
        by_operator[item["operator"]["S"]] = by_operator.get(item["operator"]["S"], 0) + 1
    assert by_operator == {f"op{n}": 250 for n in range(8)}


def test_history_open_without_team_queues_nothing(tmp_path: Path) -> None:
    with History.open(tmp_path / "h.sqlite3") as history:
        send(history, "solo")
        with history.connection("test") as conn:
            assert conn.execute("SELECT count(*) FROM team_queue").fetchone() == (0,)
