"""`cognito-console doctor` against the sandbox: text, JSON, exit codes (issue #14, item 2).

The four stories a helpdesk meets: erin (suppressed), frank (opted out), a
pool whose COGNITO_DEFAULT budget is spent, a pool in the SES sandbox.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from console.cli import main
from console.cognito.outcomes import Delivery, Outcome, OutcomeKind
from console.history import History
from console.sandbox import Sandbox

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def history_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def run(
    box: Sandbox,
    tmp_path: Path,
    history_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Run:
    info = box.info
    config = tmp_path / "cognito-console.toml"
    config.write_text(
        f"""
[console]
default_profile = "sandbox"
history_path = "{history_path}"
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
    config.chmod(0o600)
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDDOCTORCLI")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "dummy")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    def _run(*argv: str) -> tuple[int, str, str]:
        try:
            code = main(["--config", str(config), *argv])
        except SystemExit as exc:  # argparse's own usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return _run


def _first_blocking(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("BLOCKING"))


def test_erin_after_a_delivered_resend(box: Sandbox, run: Run) -> None:
    box.apply_scenario({"name": "ses"})
    code, out, _ = run("resend", "--username", "erin")
    assert (code, out.startswith("delivered: EMAIL to e***@e***.com")) == (0, True)
    code, out, err = run("doctor", "--username", "erin")
    assert code == 1, err
    lines = out.splitlines()
    assert lines[0].startswith("doctor: erin in us-east-1_")
    assert lines[1].startswith(
        "BLOCKING  ses-suppression: erin@example.com is on the account's suppression list: BOUNCE"
    )
    assert (
        "fix: once the address works again, remove it: aws sesv2 delete-suppressed-destination "
        "--email-address erin@example.com --region us-east-1"
    ) in out
    assert "BLOCKING  delivery-logs: 1 delivery error for erin in 24 h" in out
    assert "recent-attempts: 1 of 5 resends in the last hour; last: delivered" in out
    assert lines[-1].startswith("verdict: blocking: 2 causes stop delivery")


def test_erin_json(box: Sandbox, run: Run) -> None:
    box.apply_scenario({"name": "ses"})
    code, out, _ = run("doctor", "--username", "erin", "--json")
    assert code == 1
    report = json.loads(out)
    assert report["verdict"] == "blocking"
    assert report["username"] == "erin"
    checks = {c["id"]: c for c in report["checks"]}
    assert len(checks) == 13
    assert set(report["checks"][0]) >= {"id", "status", "evidence", "remedy", "permission"}
    assert checks["ses-suppression"]["status"] == "blocking"
    assert "erin@example.com" in checks["ses-suppression"]["evidence"]
    assert checks["ses-suppression"]["permission"] is None


def test_frank_text_and_json(run: Run) -> None:
    code, out, _ = run("doctor", "-u", "frank")
    assert code == 1
    assert _first_blocking(out) == (
        "BLOCKING  sns-opt-out: +15555550199 has opted out of SMS from this account"
    )
    assert "fix: if the user asks to receive texts again (once in 30 days): aws sns " in out
    code, out, _ = run("doctor", "-u", "frank", "--json")
    checks = {c["id"]: c for c in json.loads(out)["checks"]}
    assert checks["sns-opt-out"]["status"] == "blocking"
    assert checks["sns-spend-limit"]["status"] == "warn"


def test_exhausted_cognito_default_pool(box: Sandbox, run: Run, history_path: Path) -> None:
    history_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with History.open(history_path) as history:
        for _ in range(50):
            attempt = history.start_attempt(
                profile="sandbox",
                region=box.info.region,
                user_pool_id=box.info.user_pool_id,
                client_id="c",
                username="someone",
                client_metadata={},
                analytics_endpoint_id=None,
            )
            history.finish_attempt(
                attempt, Outcome(OutcomeKind.DELIVERED, Delivery("EMAIL", "s***@e***.com", "email"))
            )
    box.apply_scenario({"name": "cognito-default-exhausted"})
    code, out, _ = run("resend", "--username", "alice")
    assert code == 0  # Cognito still says delivered
    code, out, _ = run("doctor", "--username", "alice")
    assert code == 1
    assert _first_blocking(out).startswith(
        "BLOCKING  cognito-default-budget: 51 of 50 emails today (UTC)"
    )
    assert "COGNITO_DEFAULT daily email limit reached" in out  # from the delivery log
    code, out, _ = run("doctor", "--username", "alice", "--json")
    report = json.loads(out)
    blocking = [c["id"] for c in report["checks"] if c["status"] == "blocking"]
    assert (code, report["verdict"], blocking) == (
        1,
        "blocking",
        ["cognito-default-budget", "delivery-logs"],
    )
    code, out, _ = run("doctor", "--pool", "--json")
    pool = {c["id"]: c for c in json.loads(out)["checks"]}
    assert (code, pool["cognito-default-budget"]["status"]) == (1, "blocking")


def test_ses_sandbox_pool(box: Sandbox, run: Run) -> None:
    box.apply_scenario({"name": "ses-sandbox"})
    code, out, _ = run("doctor", "--username", "alice")
    assert code == 1
    assert _first_blocking(out).startswith(
        "BLOCKING  ses-recipient: the account is in the SES sandbox and alice@example.com is not"
    )
    assert "WARN      ses-account: SES sandbox, sending enabled" in out
    code, out, _ = run("doctor", "--username", "alice", "--json")
    checks = {c["id"]: c for c in json.loads(out)["checks"]}
    assert (checks["ses-recipient"]["status"], checks["ses-account"]["status"]) == (
        "blocking",
        "warn",
    )
    assert "aws sesv2 create-email-identity" in checks["ses-recipient"]["remedy"]
    code, out, _ = run("doctor", "--pool")
    assert code == 0  # the pool alone: a warning, nothing that blocks every message
    assert "WARN      ses-account" in out
    assert out.splitlines()[-1].startswith("verdict: warn")


def test_a_user_nothing_blocks_exits_0(run: Run) -> None:
    code, out, _ = run("doctor", "--username", "bob")
    assert code == 0
    assert "BLOCKING" not in out


def test_mask_hides_the_real_address(box: Sandbox, run: Run) -> None:
    box.apply_scenario({"name": "ses"})
    code, out, _ = run("doctor", "--username", "erin", "--mask")
    assert code == 1
    assert "erin@example.com" not in out
    assert "e***@e***.com is on the account's suppression list" in out
    code, out, _ = run("doctor", "--username", "frank", "--json", "--mask")
    assert "5555550199" not in out


def test_missing_permissions_are_named(box: Sandbox, run: Run) -> None:
    box.apply_scenario({"deny": ["ses:GetSuppressedDestination"], "name": "ses"})
    code, out, _ = run("doctor", "--username", "erin")
    assert code == 0  # unknown is not blocking
    assert "UNKNOWN   ses-suppression" in out
    assert "missing permission: ses:GetSuppressedDestination" in out


def test_the_history_file_gets_no_doctor_rows_and_no_address(
    box: Sandbox, run: Run, history_path: Path
) -> None:
    box.apply_scenario({"name": "ses"})
    run("resend", "--username", "erin")
    run("doctor", "--username", "erin")
    raw = history_path.read_bytes()
    assert b"erin@example.com" not in raw
    with History.open(history_path) as history:
        assert history.count() == 1


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["doctor"], "one of the arguments --username/-u --pool is required"),
        (["doctor", "--username", "a", "--pool"], "not allowed with argument"),
        (["doctor", "--username", "with space"], "invalid input: --username:"),
        (["doctor", "--username", ""], "invalid input: --username: is required"),
        (["doctor", "--pool", "--profile", "nope"], "nope"),
    ],
)
def test_bad_usage_exits_2_on_one_line(run: Run, argv: list[str], says: str) -> None:
    code, out, err = run(*argv)
    assert (code, out) == (2, "")
    assert says in err
    assert "Traceback" not in err
