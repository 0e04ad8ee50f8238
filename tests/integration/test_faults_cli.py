"""Network faults through `cognito-console resend`: each ends in a clear message, a
completed history row, and no wait beyond the configured timeouts.

Faults come from the sandbox's fault switch (``Sandbox.set_fault``), its
latency, a closed port, a listener whose backlog is full (connect timeout on
loopback), and a patched ``socket.getaddrinfo`` for the unresolvable host: it
raises ``socket.gaierror`` in-process, so no DNS query ever leaves the machine.
The faults and how to stage them are shared with the TUI's fault tests
(tests/helpers/network_faults.py).

The elapsed-time bound is a hang guard, not a speed target:
(connect_timeout + read_timeout) x max_attempts + 5 s.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from console.cli import main
from console.cognito import explain
from tests.data.hostile import terminal_hazards
from tests.helpers.network_faults import (
    CONNECT_TIMEOUT,
    FAULTS,
    HANG_GUARD_S,
    MAX_ATTEMPTS,
    READ_TIMEOUT,
    UNRESOLVABLE,
    FaultCase,
    arm,
    closed_port,
    disarm,
    new_user,
)

if TYPE_CHECKING:
    from console.sandbox import Sandbox


pytest_plugins = ["tests.helpers.fault_fixtures"]


def write_config(folder: Path, endpoint_url: str, sandbox: Sandbox) -> Path:
    info = sandbox.info
    path = folder / "cognito-console.toml"
    path.write_text(
        f"""
[console]
history_path = "{folder / "history.sqlite3"}"
connect_timeout = {CONNECT_TIMEOUT}
read_timeout = {READ_TIMEOUT}
max_attempts = {MAX_ATTEMPTS}

[profiles.p]
region = "{info.region}"
user_pool_id = "{info.user_pool_id}"
client_id = "{info.client("public").client_id}"
endpoint_url = "{endpoint_url}"
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def endpoint_for(
    request: pytest.FixtureRequest, fault_sandbox: Sandbox
) -> Iterator[Callable[[FaultCase], str]]:
    """Sets up *fault* and returns the endpoint URL to call; undoes it afterwards."""

    def setup(fault: FaultCase) -> str:
        if fault.endpoint == "refused":
            return f"http://127.0.0.1:{closed_port()}"
        if fault.endpoint == "no-dns":
            request.getfixturevalue("no_dns")
            return f"http://{UNRESOLVABLE}:9229"
        if fault.endpoint == "backlog":
            return f"http://127.0.0.1:{request.getfixturevalue('backlog_port')}"
        arm(fault_sandbox, fault)
        return fault_sandbox.info.endpoint_url

    try:
        yield setup
    finally:
        disarm(fault_sandbox)


def _run(config: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--config", str(config), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_fault_ends_in_a_clear_message_a_completed_row_and_no_hang(
    fault: FaultCase,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    fault_sandbox: Sandbox,
    endpoint_for: Callable[[FaultCase], str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(tmp_path, endpoint_for(fault), fault_sandbox)
    user = new_user(fault_sandbox)
    before = len(fault_sandbox.received())

    started = time.monotonic()
    code, out, err = _run(config, capsys, "resend", "--username", user)
    elapsed = time.monotonic() - started

    assert elapsed < HANG_GUARD_S, f"took {elapsed:.1f} s"
    assert code == 1
    assert terminal_hazards(out + err) == [] and "Traceback" not in err
    lines = out.splitlines()
    assert lines[0].startswith(f"{fault.headline}: "), lines[0]
    assert lines[1] == f"  meaning:    {explain(fault.code).meaning}"
    assert lines[2] == f"  what to do: {explain(fault.code).remedy}"
    assert "history #" in lines[-1]
    if fault.id == "unresolvable-host":
        assert UNRESOLVABLE in request.getfixturevalue("no_dns")
    if fault.sent is not None:
        # Retried only where nothing can have been sent; never where the code may be out.
        assert len(fault_sandbox.received()) - before == fault.sent

    code, out, _ = _run(config, capsys, "history", "--json")
    assert code == 0
    [row] = [json.loads(line) for line in out.splitlines()]
    assert row["outcome"] == fault.outcome != "pending"
    assert row["finished_at"] is not None
    assert row["error_code"] == fault.code
    assert row["username"] == user


def test_the_fault_switch_counts_down_then_answers_normally(
    tmp_path: Path, fault_sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, fault_sandbox.info.endpoint_url, fault_sandbox)
    user = new_user(fault_sandbox)
    fault_sandbox.set_fault("internal", count=1)  # one 500; the retry gets the real answer
    try:
        code, out, _ = _run(config, capsys, "resend", "--username", user)
    finally:
        fault_sandbox.clear_fault()
    assert code == 0
    assert out.startswith("delivered: EMAIL")
    assert fault_sandbox.fault_state() == {"fault": None, "remaining": None}
