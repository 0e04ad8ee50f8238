"""--state-dir: the pool id, client ids, secret and users survive a restart.

Through the API (start_sandbox(state_dir=...)) with boto3, and through the CLI
with raw HTTP (urllib). Bad folders and damaged files get one line, never a
traceback, and are never replaced.
"""

from __future__ import annotations

import json
import queue
import signal
import stat
import subprocess
import sys
import threading
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from console.sandbox import start_sandbox
from console.sandbox.resend import secret_hash
from console.sandbox.state_file import STATE_FILE_NAME, StateError

PASSWORD = "Passw0rd!x"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_ids_secret_and_users_survive_a_restart(
    tmp_path: Path, cognito_for: Callable[..., Any], admin_for: Callable[..., Any]
) -> None:
    folder = tmp_path / "state"
    confirmed, pending = (f"k-{uuid.uuid4().hex[:8]}" for _ in range(2))
    with start_sandbox(state_dir=folder) as first:
        before = first.info
        client = cognito_for(first)
        public = before.client("public").client_id
        for name in (confirmed, pending):
            client.sign_up(
                ClientId=public,
                Username=name,
                Password=PASSWORD,
                UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}],
            )
        code = [d["code"] for d in first.outbox() if d["user"] == confirmed][-1]
        client.confirm_sign_up(ClientId=public, Username=confirmed, ConfirmationCode=code)
    state = folder / STATE_FILE_NAME
    assert _mode(folder) == 0o700
    assert _mode(state) == 0o600
    with start_sandbox(state_dir=folder) as second:
        after = second.info
        assert after.user_pool_id == before.user_pool_id
        assert after.clients == before.clients  # ids and the confidential secret
        assert {confirmed, pending, "alice", "carol"} <= set(after.users)
        admin = admin_for(second)
        statuses = {
            name: admin.admin_get_user(UserPoolId=after.user_pool_id, Username=name)
            for name in (confirmed, pending)
        }
        assert statuses[confirmed]["UserStatus"] == "CONFIRMED"
        assert statuses[pending]["UserStatus"] == "UNCONFIRMED"
        email = {a["Name"]: a["Value"] for a in statuses[confirmed]["UserAttributes"]}
        assert email["email"] == f"{confirmed}@example.com"
        # The password came along: the user signs in after the restart.
        tokens = cognito_for(second).initiate_auth(
            ClientId=after.client("public").client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": confirmed, "PASSWORD": PASSWORD},
        )
        assert tokens["AuthenticationResult"]["AccessToken"]


def test_without_a_state_dir_ids_are_new_each_time() -> None:
    with start_sandbox() as first:
        pool = first.info.user_pool_id
    with start_sandbox() as second:
        assert second.info.user_pool_id != pool


def test_a_damaged_state_file_is_refused_and_kept(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    folder.mkdir(mode=0o700)
    state = folder / STATE_FILE_NAME
    state.write_text("{not json")
    with pytest.raises(StateError) as excinfo:
        start_sandbox(state_dir=folder)
    message = str(excinfo.value)
    assert "\n" not in message
    assert str(state) in message
    assert state.read_text() == "{not json"
    state.write_text(json.dumps({"version": 1, "clients": [], "users": "x"}))
    with pytest.raises(StateError, match="damaged sandbox state"):
        start_sandbox(state_dir=folder)


def test_a_folder_open_to_others_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "open"
    folder.mkdir()
    folder.chmod(0o755)
    with pytest.raises(StateError, match="open to other users"):
        start_sandbox(state_dir=folder)
    assert not (folder / STATE_FILE_NAME).exists()


def test_one_state_dir_serves_one_sandbox_at_a_time(tmp_path: Path) -> None:
    with start_sandbox(state_dir=tmp_path / "s"), pytest.raises(ValueError, match="already"):
        start_sandbox(state_dir=tmp_path / "s")


def test_a_state_for_another_region_is_refused(tmp_path: Path) -> None:
    with start_sandbox(state_dir=tmp_path / "s", region="eu-west-1"):
        pass
    with pytest.raises(StateError, match="eu-west-1"):
        start_sandbox(state_dir=tmp_path / "s")


# -- the CLI, over raw HTTP ---------------------------------------------------------------------


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "console", "sandbox", "--port", "0", *args]


def _start(*args: str) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    process = subprocess.Popen(
        _cli(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    stdout = process.stdout
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    try:
        return process, json.loads(lines.get(timeout=30))
    except BaseException:
        process.kill()
        process.wait(timeout=10)
        raise


def _stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=10)
    return process.returncode


def _post(endpoint: str, operation: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310 - the sandbox's loopback URL
        endpoint + "/",
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        result: dict[str, Any] = json.loads(answer.read())
        return result


def test_the_cli_keeps_ids_across_restarts(tmp_path: Path) -> None:
    folder = str(tmp_path / "state")
    process, first = _start("--state-dir", folder)
    try:
        confidential = next(c for c in first["clients"] if c["name"] == "confidential")
        user = f"c-{uuid.uuid4().hex[:8]}"
        hashed = secret_hash(user, confidential["client_id"], confidential["client_secret"])
        _post(
            first["endpoint_url"],
            "SignUp",
            {
                "ClientId": confidential["client_id"],
                "Username": user,
                "Password": PASSWORD,
                "SecretHash": hashed,
                "UserAttributes": [{"Name": "email", "Value": f"{user}@example.com"}],
            },
        )
    finally:
        assert _stop(process) == 0
    process, second = _start("--state-dir", folder)
    try:
        assert {k: second[k] for k in ("user_pool_id", "clients")} == {
            k: first[k] for k in ("user_pool_id", "clients")
        }
        assert user in second["users"]
        # The saved secret still signs: the user is there, UNCONFIRMED, and gets a code.
        answer = _post(
            second["endpoint_url"],
            "ResendConfirmationCode",
            {"ClientId": confidential["client_id"], "Username": user, "SecretHash": hashed},
        )
        assert answer["CodeDeliveryDetails"]["Destination"] == "c***@e***.com"
    finally:
        assert _stop(process) == 0


@pytest.mark.parametrize("damage", ["file-as-folder", "damaged-file"])
def test_the_cli_gives_one_line_and_exit_2(tmp_path: Path, damage: str) -> None:
    target = tmp_path / "state"
    if damage == "file-as-folder":
        target.write_text("just a file")
    else:
        target.mkdir(mode=0o700)
        (target / STATE_FILE_NAME).write_text('{"version": 1}')
    result = subprocess.run(
        _cli("--state-dir", str(target)), capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert str(target) in lines[0]
    assert lines[0].startswith("cognito-console sandbox: ")
