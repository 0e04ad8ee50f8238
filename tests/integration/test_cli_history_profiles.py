"""`cognito-console history`, `history export` and `profiles` as a user runs them."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.data.hostile import terminal_hazards
from tests.integration.conftest import Run


def test_history_lists_newest_first_and_filters(run: Run, fresh_user: Callable[..., str]) -> None:
    user = fresh_user()
    run("resend", "--username", user)
    run("resend", "--username", "carol")
    status, out, _ = run("history", "--limit", "2")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["#", "time"]
    assert " carol " in lines[1] and "InvalidParameterException" in lines[1]
    assert f" {user} " in lines[2] and "EMAIL" in lines[2]
    status, out, _ = run("history", "--user", user[-6:].upper(), "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["username"] for r in rows] == [user]
    assert rows[0]["outcome"] == "delivered"
    status, out, _ = run("history", "--outcome", "failed", "--json")
    assert {json.loads(line)["outcome"] for line in out.splitlines()} == {"failed"}


def test_history_shows_untrusted_values_literally_and_escaped(run: Run) -> None:
    run("resend", "--username", "[/oops]evil", "--meta", "k=\x1b[2J")
    _, out, _ = run("history", "--user", "]evil")
    assert "[/oops]evil" in out
    _, out, _ = run("history", "--user", "]evil", "--json")
    assert terminal_hazards(out) == []
    assert json.loads(out.splitlines()[0])["client_metadata"] == {"k": "\x1b[2J"}


def test_history_export_csv_and_json(
    run: Run, fresh_user: Callable[..., str], tmp_path: Path
) -> None:
    user = fresh_user()
    run("resend", "--username", user, "--meta", "lang=fr")
    csv_path = tmp_path / "out.csv"
    status, _, err = run("history", "export", "--format", "csv", "--output", str(csv_path))
    assert status == 0
    assert err.startswith("exported ")
    with csv_path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    mine = [r for r in rows if r["username"] == user]
    assert mine and mine[0]["outcome"] == "delivered"
    assert json.loads(mine[0]["client_metadata"]) == {"lang": "fr"}
    assert (csv_path.stat().st_mode & 0o777) == 0o600
    status, out, _ = run("history", "export", "--format", "json", "--user", user)
    assert [r["username"] for r in json.loads(out)] == [user]


def test_history_export_to_an_unwritable_place_is_one_line(run: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    status, _, err = run(
        "history", "export", "--format", "csv", "--output", str(blocker / "sub" / "x.csv")
    )
    assert status == 1
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("--output: ")


def test_profiles_lists_every_profile_with_masked_secret(run: Run, sandbox: Any) -> None:
    status, out, _ = run("profiles")
    assert status == 0
    secret = sandbox.info.client("confidential").client_secret
    assert secret not in out
    lines = {line[2:].split()[0]: line for line in out.splitlines() if line[2:3] != " "}
    assert lines["sandbox"].startswith("* sandbox")
    assert "endpoint http://127.0.0.1:" in lines["sandbox"]
    assert "secret: none" in lines["sandbox"]
    assert f"secret: inline {'*' * 16}{secret[-4:]}" in lines["conf-inline"]
    assert "secret: env SANDBOX_CANARY_SECRET " in lines["conf-env"]
    assert "secret: command (run when sending)" in lines["conf-cmd"]
    status, out, _ = run("profiles", "--json")
    names = [json.loads(line)["name"] for line in out.splitlines()]
    assert names == sorted(names) and "conf-none" in names


def test_csv_export_keeps_utf8_text_as_is(run: Any, fresh_user: Any, tmp_path: Path) -> None:
    user = fresh_user()
    code, _, _ = run("resend", "--username", user, "--meta", "greeting=héllo wörld ✓ 日本")
    assert code == 0
    target = tmp_path / "export.csv"
    code, _, err = run("history", "export", "--format", "csv", "--output", str(target))
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert '{""greeting"":""héllo wörld ✓ 日本""}' in text
    assert "\\u00e9" not in text
