"""Bulk resend with a [team] table: users the team sent 5 codes this hour are skipped.

Cognito is the sandbox over HTTP; the team table is moto's DynamoDB server on
loopback, behind a proxy that can refuse connections. The sandbox's
``received()`` list is the witness of who was sent a code.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.team_db import FailingProxy, all_items, raw_client, sent_by
from tests.integration import test_team_cli as team_cli
from tests.integration.conftest import Run

# The team CLI's fixtures: moto's DynamoDB server, the failing proxy, fake keys.
dynamodb = team_cli.dynamodb
proxy = team_cli.proxy
fake_credentials = team_cli.fake_credentials


@pytest.fixture
def table(config_file: Path, proxy: FailingProxy, run: Run) -> str:
    """A new [team] table (created by `team init`), reached through the proxy."""
    name = f"team-{uuid.uuid4().hex[:12]}"
    with config_file.open("a", encoding="utf-8") as f:
        f.write(
            f'\n[team]\ntable = "{name}"\nregion = "eu-west-1"\n'
            f'endpoint_url = "{proxy.url}"\noperator = "ana"\n'
        )
    assert run("team", "init")[0] == 0
    return name


def _users_file(tmp_path: Path, names: list[str]) -> Path:
    path = tmp_path / "users.txt"
    path.write_text("".join(f"{name}\n" for name in names), encoding="utf-8")
    return path


def _received(sandbox: Any, names: list[str]) -> Counter[str]:
    return Counter(
        str(body.get("Username"))
        for body in sandbox.received()
        if str(body.get("Username")) in set(names)
    )


def _batch_id(err: str) -> str:
    first = err.splitlines()[0]
    assert first.startswith("batch b-"), err
    return first.split()[1].rstrip(":")


def test_bulk_skips_users_at_the_limit_lists_them_and_force_sends(
    run: Run,
    table: str,
    dynamodb: str,
    sandbox: Any,
    tmp_path: Path,
    fresh_user: Callable[..., str],
) -> None:
    pool = sandbox.info.user_pool_id
    busy, some, quiet = fresh_user(), fresh_user(), fresh_user()
    sent_by(dynamodb, table, pool, busy, "ben", 5)
    sent_by(dynamodb, table, pool, some, "ben", 2)
    users = _users_file(tmp_path, [busy, some, quiet])
    code, out, err = run("resend", "--from-file", str(users))
    assert code == 1  # not everyone was sent a code
    batch = _batch_id(err)
    assert "users the team sent 5 codes in the last hour are skipped (--force sends)" in err
    lines = out.splitlines()
    assert lines[0].startswith(f"batch {batch}: 2 delivered, 1 skipped at limit (3 rows, 2 calls")
    (skip,) = [line for line in lines if line.startswith("  line 1:")]
    assert skip.startswith(
        f"  line 1: {busy}: skipped at limit: 5 codes in the last hour (5 by ben); "
        "the last was delivered "
    )
    assert skip.endswith(
        "by EMAIL; at Cognito's hourly limit another code would likely fail with "
        "LimitExceededException"
    )
    assert (
        "  1 skipped at Cognito's hourly limit (nothing sent, nothing recorded): "
        "resume the batch after the hour to try them, or add --force"
    ) in lines
    assert _received(sandbox, [busy, some, quiet]) == Counter({some: 1, quiet: 1})
    # The batch's own sends reached the team, as ana's.
    mine = [i for i in all_items(dynamodb, table) if i["operator"]["S"] == "ana"]
    assert sorted(i["username"]["S"] for i in mine) == sorted([some, quiet])
    assert all(i.get("batch_id") == {"S": batch} for i in mine)

    # Resumed within the hour: still at the limit, still skipped; the others are done.
    code, out, _ = run("resend", "--from-file", str(users), "--batch-id", batch)
    assert code == 1
    assert out.splitlines()[0].startswith(
        f"batch {batch}: 2 already delivered, 1 skipped at limit (3 rows, 0 calls"
    )
    # --force sends to the user at the limit, and to nobody twice.
    code, out, err = run("resend", "--from-file", str(users), "--batch-id", batch, "--force")
    assert code == 0, out + err
    assert "--force: users at the team's hourly limit are sent too" in err
    assert out.splitlines()[0].startswith(f"batch {batch}: 1 delivered, 2 already delivered")
    assert _received(sandbox, [busy, some, quiet]) == Counter({busy: 1, some: 1, quiet: 1})


def test_a_user_skipped_at_the_limit_is_tried_again_after_the_hour(
    run: Run,
    table: str,
    dynamodb: str,
    sandbox: Any,
    tmp_path: Path,
    fresh_user: Callable[..., str],
) -> None:
    pool = sandbox.info.user_pool_id
    busy = fresh_user()
    sent_by(dynamodb, table, pool, busy, "ben", 5)
    users = _users_file(tmp_path, [busy])
    code, out, err = run("resend", "--from-file", str(users), "--json")
    assert code == 1
    summary = json.loads(out.splitlines()[-1])
    assert summary["counts"] == {"skipped_at_limit": 1}
    assert summary["team_check"] == {"unread": 0, "problem": None}
    (item,) = summary["failures"]
    assert (item["outcome"], item["line"], item["attempts"]) == ("skipped_at_limit", 1, 0)
    assert item["message"].startswith("5 codes in the last hour (5 by ben)")
    batch = summary["batch_id"]
    # The hour passes: ben's sends are older than an hour now.
    client = raw_client(dynamodb)
    for old in all_items(dynamodb, table):
        client.delete_item(TableName=table, Key={"pk": old["pk"], "sk": old["sk"]})
    sent_by(dynamodb, table, pool, busy, "ben", 5, minutes_ago=61)
    # Nothing was recorded for the skip, so the batch is not in the history yet:
    # the plain-text summary said to resume with --new-batch.
    code, out, err = run("resend", "--from-file", str(users), "--batch-id", batch, "--new-batch")
    assert code == 0, out + err
    assert out.splitlines()[0].startswith(f"batch {batch}: 1 delivered (1 row, 1 call")
    assert _received(sandbox, [busy]) == Counter({busy: 1})


def test_the_resume_line_of_a_batch_with_nothing_recorded_says_new_batch(
    run: Run, table: str, dynamodb: str, sandbox: Any, tmp_path: Path, fresh_user: Any
) -> None:
    busy = fresh_user()
    sent_by(dynamodb, table, sandbox.info.user_pool_id, busy, "ben", 6)
    users = _users_file(tmp_path, [busy])
    code, out, err = run("resend", "--from-file", str(users))
    assert code == 1
    batch = _batch_id(err)
    (resume,) = [line for line in out.splitlines() if line.startswith("  resume:")]
    assert resume.endswith(f"--batch-id {batch} --new-batch")
    assert "6 codes in the last hour (6 by ben)" in out


def test_an_unreadable_team_table_is_said_once_and_the_batch_sends(
    run: Run,
    table: str,
    proxy: FailingProxy,
    sandbox: Any,
    tmp_path: Path,
    fresh_user: Callable[..., str],
) -> None:
    names = [fresh_user() for _ in range(3)]
    proxy.mode = "drop"
    code, out, err = run("resend", "--from-file", str(_users_file(tmp_path, names)))
    assert code == 0, out + err  # the team table never decides whether a code is sent
    notes = [line for line in err.splitlines() if line.startswith("team: recent sends not read")]
    assert len(notes) == 1
    assert notes[0].endswith(
        "; sending anyway, this console's history alone guards the hourly limit"
    )
    assert out.splitlines()[0].startswith("batch b-")
    assert " 3 delivered (3 rows, 3 calls" in out.splitlines()[0]
    assert any(
        line.startswith("  team: recent sends not read for 3 of the users (")
        and line.endswith("); this console's history alone guarded them")
        for line in out.splitlines()
    )
    # The uploads could not go either: queued, not lost.
    assert any(line.startswith("team: attempts queued, 3 waiting") for line in err.splitlines())
    assert _received(sandbox, names) == Counter(dict.fromkeys(names, 1))


def test_without_the_team_table_the_local_history_still_guards(
    run: Run,
    table: str,
    proxy: FailingProxy,
    sandbox: Any,
    tmp_path: Path,
    fresh_user: Callable[..., str],
) -> None:
    busy, other = fresh_user(), fresh_user()
    for _ in range(5):
        assert run("resend", "--username", busy)[0] == 0
    proxy.mode = "drop"
    code, out, _ = run("resend", "--from-file", str(_users_file(tmp_path, [busy, other])))
    assert code == 1
    (skip,) = [line for line in out.splitlines() if line.startswith("  line 1:")]
    assert skip == (
        f"  line 1: {busy}: skipped at limit: 5 codes in the last hour in this console's "
        "history (the team's table was not read); at Cognito's hourly limit another code "
        "would likely fail with LimitExceededException"
    )
    assert _received(sandbox, [busy, other]) == Counter({busy: 5, other: 1})
