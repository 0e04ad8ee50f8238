"""`cognito-console resend` against the sandbox over HTTP, through the real CLI."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from console.cognito import compute_secret_hash
from tests.integration.conftest import Run


def history_rows(config_file: Path) -> list[dict[str, Any]]:
    db = config_file.parent / "data" / "history.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM attempts ORDER BY id")]


def test_delivered_email(run: Run, fresh_user: Callable[..., str]) -> None:
    user = fresh_user(email="zoe@example.com")
    code, out, _ = run("resend", "--username", user)
    assert code == 0
    assert out.splitlines()[0] == "delivered: EMAIL to z***@e***.com (email)"


def test_delivered_sms_as_json(run: Run, fresh_user: Callable[..., str]) -> None:
    user = fresh_user(email=None, phone_number="+15555550199")
    code, out, _ = run("resend", "--username", user, "--json")
    assert code == 0
    result = json.loads(out)
    assert result["outcome"] == "delivered"
    assert result["delivery"] == {
        "medium": "SMS",
        "destination": "+*******0199",
        "attribute": "phone_number",
    }
    assert result["error"] is None
    assert result["profile"] == "sandbox"
    assert result["username"] == user
    assert result["request_id"]
    assert result["latency_ms"] > 0
    assert isinstance(result["history_id"], int)


@pytest.mark.parametrize(
    ("profile", "username", "code", "message"),
    [
        ("sandbox", "nobody-at-all", "UserNotFoundException", "combination not found."),
        ("sandbox", "carol", "InvalidParameterException", "User is already confirmed."),
        ("conf-none", "alice", "NotAuthorizedException", "SECRET_HASH was not received"),
    ],
)
def test_errors_exit_1_with_code_message_and_remedy(
    run: Run, profile: str, username: str, code: str, message: str
) -> None:
    status, out, _ = run("resend", "--profile", profile, "--username", username, "--json")
    assert status == 1
    result = json.loads(out)
    assert result["outcome"] == "failed"
    assert result["error"]["code"] == code
    assert message in result["error"]["message"]
    assert result["error"]["http_status"] == 400
    assert result["error"]["hint"]
    assert result["delivery"] is None


def test_no_deliverable_attribute(run: Run) -> None:
    status, out, _ = run("resend", "--username", "dave")
    assert status == 1
    assert out.startswith("failed: InvalidParameterException (HTTP 400): ")
    assert "what to do:" in out


def test_unknown_client_id_is_resource_not_found(run: Run) -> None:
    status, out, _ = run("resend", "--username", "alice", "--client-id", "nosuchclient", "--json")
    assert status == 1
    assert json.loads(out)["error"]["code"] == "ResourceNotFoundException"


def test_wrong_secret_is_not_authorized(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_CANARY_SECRET", "not-the-secret-at-all")
    status, out, _ = run("resend", "--profile", "conf-env", "--username", "alice", "--json")
    assert status == 1
    error = json.loads(out)["error"]
    assert error["code"] == "NotAuthorizedException"
    assert "Unable to verify secret hash" in error["message"]


@pytest.mark.parametrize("profile", ["conf-env", "conf-cmd", "conf-inline"])
def test_secret_hash_from_each_secret_source(
    run: Run, sandbox: Any, fresh_user: Callable[..., str], profile: str
) -> None:
    user = fresh_user()
    status, out, _ = run("resend", "--profile", profile, "--username", user, "--json")
    assert status == 0, out
    confidential = sandbox.info.client("confidential")
    received = [r for r in sandbox.received() if r.get("Username") == user]
    assert received[-1]["SecretHash"] == compute_secret_hash(
        confidential.client_secret, user, confidential.client_id
    )


def test_simulated_success_for_unknown_user_on_hiding_client(run: Run) -> None:
    status, out, _ = run("resend", "--profile", "conf-env", "--username", "ghost-user-1", "--json")
    assert status == 0
    assert json.loads(out)["outcome"] == "delivered"


def test_metadata_and_analytics_arrive_intact(
    run: Run, sandbox: Any, fresh_user: Callable[..., str]
) -> None:
    user = fresh_user()
    status, _, _ = run(
        "resend",
        "--username",
        user,
        "--meta",
        "lang=fr",
        "--meta",
        "note=a=b \x1b[2J",
        "--analytics-endpoint-id",
        "endpoint-42",
    )
    assert status == 0
    [delivery] = [d for d in sandbox.outbox() if d["username"] == user]
    assert delivery["client_metadata"] == {"lang": "fr", "note": "a=b \x1b[2J"}
    assert delivery["analytics_metadata"] == {"AnalyticsEndpointId": "endpoint-42"}


def test_limit_exceeded_after_five_resends(run: Run, fresh_user: Callable[..., str]) -> None:
    user = fresh_user()
    for _ in range(5):
        assert run("resend", "--username", user)[0] == 0
    status, out, _ = run("resend", "--username", user, "--json")
    assert status == 1
    assert json.loads(out)["error"]["code"] == "LimitExceededException"


def test_refused_connection_fails_with_a_clear_message(run: Run) -> None:
    status, out, _ = run("resend", "--profile", "dead", "--username", "alice")
    assert status == 1
    assert out.startswith("failed: ConnectionRefused: ")


def test_read_timeout_is_outcome_unknown(
    run: Run, sandbox: Any, fresh_user: Callable[..., str]
) -> None:
    user = fresh_user()
    sandbox.set_latency_ms(3000)
    try:
        status, out, _ = run("resend", "--username", user, "--json")
    finally:
        sandbox.set_latency_ms(0)
    assert status == 1
    result = json.loads(out)
    assert result["outcome"] == "unknown"
    assert result["error"]["code"] == "ReadTimeout"


def test_invalid_input_exits_2_naming_the_flag(run: Run) -> None:
    status, out, err = run("resend", "--username", "x" * 129, "--meta", "=v")
    assert status == 2
    assert out == ""
    assert "invalid input: --username: must be at most 128 characters (it has 129)" in err
    assert "invalid input: --meta[1].key: must not be empty" in err


def test_meta_without_equals_exits_2(run: Run) -> None:
    status, _, err = run("resend", "--username", "alice", "--meta", "novalue")
    assert status == 2
    assert err.strip() == "--meta: expected KEY=VALUE, got novalue"


def test_unknown_profile_exits_2(run: Run) -> None:
    status, _, err = run("resend", "--profile", "nope", "--username", "alice")
    assert status == 2
    assert "nope" in err
    assert len(err.strip().splitlines()) == 1


def test_every_attempt_leaves_a_history_row_with_the_exact_fields(
    run: Run, config_file: Path, fresh_user: Callable[..., str], sandbox: Any
) -> None:
    user = fresh_user()
    run("resend", "--username", user, "--meta", "k=v", "--analytics-endpoint-id", "ep")
    run("resend", "--username", "carol")
    rows = history_rows(config_file)
    ok = next(r for r in rows if r["username"] == user)
    assert ok["outcome"] == "delivered"
    assert ok["profile"] == "sandbox"
    assert ok["region"] == sandbox.info.region
    assert ok["user_pool_id"] == sandbox.info.user_pool_id
    assert ok["client_id"] == sandbox.info.client("public").client_id
    assert json.loads(ok["client_metadata"]) == {"k": "v"}
    assert ok["analytics_endpoint_id"] == "ep"
    assert (ok["medium"], ok["attribute"]) == ("EMAIL", "email")
    assert ok["destination"].endswith("@e***.com")
    assert ok["request_id"]
    assert ok["latency_ms"] > 0
    assert ok["finished_at"] and ok["started_at"]
    assert ok["operator"]
    failed = [r for r in rows if r["username"] == "carol"][-1]
    assert failed["outcome"] == "failed"
    assert failed["error_code"] == "InvalidParameterException"
    assert failed["error_message"] == "User is already confirmed."
    assert failed["http_status"] == 400
    db = config_file.parent / "data" / "history.sqlite3"
    assert (db.stat().st_mode & 0o777) == 0o600
    assert (db.parent.stat().st_mode & 0o777) == 0o700


def test_canary_secret_and_hash_never_leave_the_process(
    run: Run, sandbox: Any, config_file: Path, fresh_user: Callable[..., str], tmp_path: Path
) -> None:
    confidential = sandbox.info.client("confidential")
    user = fresh_user()
    secret_hash = compute_secret_hash(confidential.client_secret, user, confidential.client_id)
    outputs = []
    for args in (["--json"], []):
        outputs.extend(run("resend", "--profile", "conf-inline", "--username", user, *args)[1:])
    outputs.extend(run("profiles")[1:])
    outputs.extend(run("history", "--json")[1:])
    export = tmp_path / "export.json"
    run("history", "export", "--format", "json", "--output", str(export))
    run("history", "export", "--format", "csv", "--output", str(tmp_path / "export.csv"))
    blobs = [*outputs, export.read_text(), (tmp_path / "export.csv").read_text()]
    db_dir = config_file.parent / "data"
    blobs += [p.read_bytes().decode("latin-1") for p in db_dir.iterdir()]
    for blob in blobs:
        assert confidential.client_secret not in blob
        assert secret_hash not in blob


def test_debug_log_redacts_the_secret_hash(
    sandbox: Any, config_file: Path, fresh_user: Callable[..., str]
) -> None:
    confidential = sandbox.info.client("confidential")
    user = fresh_user()
    secret_hash = compute_secret_hash(confidential.client_secret, user, confidential.client_id)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "console",
            "--debug",
            "--config",
            str(config_file),
            "resend",
            "--profile",
            "conf-inline",
            "--username",
            user,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "botocore" in proc.stderr  # the debug log did run
    assert secret_hash not in proc.stderr + proc.stdout
    assert confidential.client_secret not in proc.stderr + proc.stdout


def test_exit_codes_from_a_real_process(config_file: Path) -> None:
    def code(*argv: str) -> int:
        return subprocess.run(
            [sys.executable, "-m", "console", "--config", str(config_file), *argv],
            capture_output=True,
            timeout=60,
            check=False,
        ).returncode

    assert code("resend", "--username", "carol") == 1
    assert code("resend") == 2
