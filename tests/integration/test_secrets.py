"""A canary client secret, and the SecretHash it produces, never leave the process.

Looked for (whole, and their first 10 characters, and the hash URL-encoded) in:
every CLI command's stdout and stderr in human and --json modes with --debug
logging on; the history database with its -wal/-shm; CSV and JSON exports to
files and to stdout; and the output of a crash forced inside the call path
(tests/helpers/crash_in_call.py makes the gateway's resend raise with the
secret and the SecretHash in clear in its frame's locals), human and --json.

The secret is the sandbox's confidential app client secret (the config's
``conf-inline`` / ``conf-env`` profiles in tests/integration/conftest.py).
Complements test_cli_resend.py::test_canary_secret_and_hash_never_leave_the_process
and ::test_debug_log_redacts_the_secret_hash.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from console.cognito import compute_secret_hash
from tests.helpers.crash_in_call import CRASH_MESSAGE

if TYPE_CHECKING:
    from console.sandbox import Sandbox

Run = Callable[..., tuple[int, str, str]]

CRASHING_CONSOLE = "tests.helpers.crash_in_call"
"""``python -m`` this: the console, with a crash injected into the call path."""
REPO_ROOT = str(Path(__file__).resolve().parents[2])


class Canary:
    """The secret and every SecretHash made from it in this test, and how to find them."""

    def __init__(self, sandbox: Sandbox) -> None:
        client = sandbox.info.client("confidential")
        assert client.client_secret is not None
        self.secret = client.client_secret
        self.client_id = client.client_id
        self.hashes: list[str] = []
        self.places_checked = 0

    def user(self, sandbox: Sandbox) -> str:
        """A fresh user whose SecretHash joins the ones looked for."""
        name = f"s-{uuid.uuid4().hex[:12]}"
        sandbox.add_user(name, email=f"{name}@example.com")
        self.hashes.append(compute_secret_hash(self.secret, name, self.client_id))
        return name

    def needles(self) -> list[str]:
        found = [self.secret, self.secret[:10]]
        for secret_hash in self.hashes:
            found += [secret_hash, secret_hash[:10], urllib.parse.quote(secret_hash, safe="")]
        return found

    def assert_absent(self, where: str, blob: str | bytes) -> None:
        self.places_checked += 1
        text = blob.decode("latin-1") if isinstance(blob, bytes) else blob
        leaked = [n for n in self.needles() if n in text]
        assert leaked == [], f"secret material found in {where}"


@pytest.fixture
def canary(sandbox: Sandbox) -> Canary:
    return Canary(sandbox)


@pytest.fixture
def debug_logging() -> Iterator[None]:
    """--debug in-process adds a root handler and lowers library loggers: put them back."""
    root = logging.getLogger()
    names = ("botocore", "boto3", "urllib3", "s3transfer", "werkzeug", "moto")
    saved = (root.level, list(root.handlers), {n: logging.getLogger(n).level for n in names})
    try:
        yield
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
        for name, level in saved[2].items():
            logging.getLogger(name).setLevel(level)


def test_secret_is_absent_from_every_output_file_and_debug_log(
    run: Run,
    sandbox: Sandbox,
    config_file: Path,
    canary: Canary,
    tmp_path: Path,
    debug_logging: None,
) -> None:
    outputs: dict[str, str] = {}

    def capture(name: str, *argv: str) -> int:
        code, out, err = run("--debug", *argv)
        outputs[f"{name} stdout"], outputs[f"{name} stderr"] = out, err
        return code

    db_dir = config_file.parent / "data"
    keeper: sqlite3.Connection | None = None
    for profile in ("conf-inline", "conf-env", "conf-cmd"):
        for mode in ([], ["--json"]):
            user = canary.user(sandbox)
            argv = ["resend", "--profile", profile, "-u", user, *mode]
            assert capture(f"resend {profile} {mode}", *argv) == 0
            if keeper is None:
                # Held open to the end: the last connection to close would checkpoint
                # and delete the -wal, and the WAL is one of the places looked at.
                keeper = sqlite3.connect(db_dir / "history.sqlite3")
                keeper.execute("SELECT count(*) FROM attempts").fetchone()
    # A simulated answer (unknown user behind PreventUserExistenceErrors) and a failure.
    canary.hashes.append(compute_secret_hash(canary.secret, "ghost-s", canary.client_id))
    capture("resend simulated", "resend", "--profile", "conf-inline", "-u", "ghost-s", "--json")
    user = canary.user(sandbox)
    sandbox.set_fault("throttle", count=5)  # throttled on every attempt: a failure
    try:
        capture("resend throttled", "resend", "--profile", "conf-inline", "-u", user)
    finally:
        sandbox.clear_fault()
    assert "botocore" in outputs["resend conf-inline [] stderr"]  # the debug log did run
    for argv in (
        ["history"],
        ["history", "--json"],
        ["history", "export", "--format", "json"],
        ["history", "export", "--format", "csv"],
        ["history", "export", "--format", "json", "--output", str(tmp_path / "e.json")],
        ["history", "export", "--format", "csv", "--output", str(tmp_path / "e.csv")],
        ["profiles"],
        ["profiles", "--json"],
    ):
        assert capture(" ".join(argv[:4]), *argv) == 0
    for name, text in outputs.items():
        canary.assert_absent(name, text)
    for export in ("e.json", "e.csv"):
        canary.assert_absent(export, (tmp_path / export).read_bytes())
    files = sorted(db_dir.iterdir())
    assert any(p.name.endswith("-wal") and p.stat().st_size for p in files)
    for path in files:
        canary.assert_absent(path.name, path.read_bytes())
    assert keeper is not None
    keeper.close()
    assert canary.places_checked >= 30


@pytest.mark.parametrize("mode", [[], ["--debug"]], ids=["plain", "debug"])
@pytest.mark.parametrize("output", [[], ["--json"]], ids=["human", "json"])
def test_crash_inside_the_call_path_prints_no_secret(
    config_file: Path, sandbox: Sandbox, canary: Canary, mode: list[str], output: list[str]
) -> None:
    canary.hashes.append(compute_secret_hash(canary.secret, "alice", canary.client_id))
    before = len(sandbox.received())
    argv = ["resend", "--profile", "conf-inline", "-u", "alice", *output]
    proc = subprocess.run(
        [sys.executable, "-m", CRASHING_CONSOLE, *mode, "--config", str(config_file), *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONPATH": REPO_ROOT, "NO_COLOR": "1"},
    )
    assert proc.returncode != 0
    assert CRASH_MESSAGE in proc.stderr  # the forced crash did happen...
    assert len(sandbox.received()) == before  # ...before anything was sent
    canary.assert_absent("crash stdout", proc.stdout)
    canary.assert_absent("crash stderr", proc.stderr)


def test_no_environment_variable_crashes_the_call_path(
    run: Run, sandbox: Sandbox, canary: Canary, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The old test-only switch is gone from the product: tests inject the crash.
    monkeypatch.setenv("COGNITO_CONSOLE_TEST_CRASH", "worker")
    code, out, _ = run("resend", "--profile", "conf-inline", "-u", canary.user(sandbox))
    assert code == 0 and out.startswith("delivered: ")


def test_the_doctor_leaks_no_secret_and_keeps_real_addresses_out_of_logs_and_history(
    run: Run,
    sandbox: Sandbox,
    config_file: Path,
    canary: Canary,
    monkeypatch: pytest.MonkeyPatch,
    debug_logging: None,
) -> None:
    """The doctor shows the operator the real address; its debug log and the history never."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDSECRETSWEEP")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "sweep-secret-key")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    emailed = canary.user(sandbox)
    email = f"{emailed}@example.com"
    texted = f"p-{uuid.uuid4().hex[:12]}"
    phone = "+15555557788"
    sandbox.add_user(texted, phone_number=phone)
    canary.hashes.append(compute_secret_hash(canary.secret, texted, canary.client_id))
    for user in (emailed, texted):
        code, _out, _err = run("resend", "--profile", "conf-inline", "-u", user)
        assert code == 0
    for user, address in ((emailed, email), (texted, phone)):
        for mode in ([], ["--json"]):
            code, out, err = run("--debug", "doctor", "--profile", "conf-inline", "-u", user, *mode)
            assert code in (0, 1), err
            assert address in out  # the operator sees it...
            assert "botocore" in err  # ...the debug log ran...
            assert address not in err  # ...and kept it masked
            assert "sweep-secret-key" not in out + err
            canary.assert_absent(f"doctor {user} {mode} stdout", out)
            canary.assert_absent(f"doctor {user} {mode} stderr", err)
        code, out, _err = run("doctor", "--profile", "conf-inline", "-u", user, "--json", "--mask")
        assert address not in out
    db_dir = config_file.parent / "data"
    for path in sorted(db_dir.iterdir()):
        blob = path.read_bytes()
        assert email.encode() not in blob, path.name
        assert phone.encode() not in blob, path.name
    for argv in (["history", "--json"], ["history", "export", "--format", "csv"]):
        code, out, _err = run(*argv)
        assert code == 0
        assert email not in out and phone not in out
