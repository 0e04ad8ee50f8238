"""A bulk resume takes no mistake silently: unknown ids, another profile, failures for good,
duplicate rows, and simulated successes counted apart (the CLI against the sandbox)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import Run


def _sent(sandbox: Any, names: list[str]) -> Counter[str]:
    wanted = set(names)
    return Counter(
        str(body.get("Username"))
        for body in sandbox.received()
        if str(body.get("Username")) in wanted
    )


def _users_file(tmp_path: Path, names: list[str]) -> str:
    path = tmp_path / "users.txt"
    path.write_text("\n".join(names) + "\n", encoding="utf-8")
    return str(path)


def test_an_unknown_batch_id_is_an_error_unless_new_batch(
    run: Run, tmp_path: Path, fresh_user: Callable[..., str], sandbox: Any
) -> None:
    users = [fresh_user(prefix="bid") for _ in range(2)]
    source = _users_file(tmp_path, users)
    code, _, err = run("resend", "--from-file", source, "--batch-id", "typo-1", "--rate", "50")
    assert code == 2
    assert "--batch-id: no batch typo-1 in the history; add --new-batch" in err
    assert _sent(sandbox, users) == Counter()
    code, out, _ = run(
        "resend", "--from-file", source, "--batch-id", "typo-1", "--new-batch", "--rate", "50"
    )
    assert code == 0, out
    code, _, err = run(
        "resend", "--from-file", source, "--batch-id", "typo-1", "--new-batch", "--rate", "50"
    )
    assert code == 2
    assert "batch typo-1 is in the history already" in err
    code, out, _ = run("resend", "--from-file", source, "--batch-id", "typo-1", "--rate", "50")
    assert code == 0
    assert "2 already delivered" in out
    assert _sent(sandbox, users) == Counter(dict.fromkeys(users, 1))


def test_resuming_under_another_profile_is_refused_naming_both(
    run: Run, tmp_path: Path, fresh_user: Callable[..., str], sandbox: Any
) -> None:
    users = [fresh_user(prefix="prof") for _ in range(2)]
    source = _users_file(tmp_path, users)
    first = ("--from-file", source, "--batch-id", "prof-1", "--rate", "50")
    assert run("resend", "--profile", "sandbox", *first, "--new-batch")[0] == 0
    code, _, err = run("resend", "--profile", "conf-inline", *first)
    assert code == 2
    public = sandbox.info.client("public").client_id
    confidential = sandbox.info.client("confidential").client_id
    assert f"batch prof-1 was sent with profile sandbox (client {public})" in err
    assert f"this run would send with profile conf-inline (client {confidential})" in err
    code, _, err = run("resend", "--profile", "sandbox", "--client-id", confidential, *first)
    assert code == 2
    assert f"(client {confidential})" in err
    assert _sent(sandbox, users) == Counter(dict.fromkeys(users, 1))


def test_a_resume_skips_failures_for_good_unless_retry_failed(
    run: Run, tmp_path: Path, fresh_user: Callable[..., str], sandbox: Any
) -> None:
    confirmed = fresh_user(prefix="conf", confirmed=True)
    nowhere = fresh_user(prefix="nowh", email=None)
    source = _users_file(tmp_path, [confirmed, nowhere])
    common = ("--from-file", source, "--batch-id", "perm-1", "--rate", "50")
    code, out, _ = run("resend", *common, "--new-batch")
    assert code == 1
    assert "2 failed" in out
    code, out, _ = run("resend", *common)
    assert code == 1
    assert "2 skipped failed" in out
    assert f"line 1: {confirmed}: skipped failed: failed earlier in this batch, for good" in out
    assert "--retry-failed sends to the users skipped as failed for good" in out
    assert _sent(sandbox, [confirmed, nowhere]) == Counter({confirmed: 1, nowhere: 1})
    code, out, _ = run("resend", *common, "--retry-failed")
    assert "2 failed" in out
    assert _sent(sandbox, [confirmed, nowhere]) == Counter({confirmed: 2, nowhere: 2})


def test_duplicate_rows_are_sent_once_and_each_is_listed(
    run: Run, tmp_path: Path, fresh_user: Callable[..., str], sandbox: Any
) -> None:
    first, second = fresh_user(prefix="dup"), fresh_user(prefix="dup")
    source = _users_file(tmp_path, [first, second, first, first])
    code, out, err = run("resend", "--from-file", source, "--rate", "50")
    assert code == 0, out
    assert "2 delivered, 2 duplicate" in out
    assert f"line 3: {first}: skipped: duplicate of line 1 (sent once)" in out
    assert f"line 4: {first}: skipped: duplicate of line 1 (sent once)" in out
    assert "2 rows skipped as duplicates" in err
    assert _sent(sandbox, [first, second]) == Counter({first: 1, second: 1})


def test_simulated_successes_are_counted_apart(
    run: Run, tmp_path: Path, fresh_user: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDTESTING")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    real = fresh_user(prefix="sim")
    source = _users_file(tmp_path, [real, "nobody-sim-1", "nobody-sim-2"])
    code, out, _ = run("resend", "--profile", "conf-inline", "--from-file", source, "--rate", "50")
    assert "3 may be simulated" in out
    assert "delivered" not in out.splitlines()[0].split("(")[0]
    assert code == 0
