"""One call of a handler in a child process: Lambda's environment, a time limit, bounded output.

The child runs in the handler's folder with an environment built from
scratch (Lambda's variables, PATH, the ``--trigger-env-file`` values: no
credentials, no virtual environment of ours), in its own process group, so
that at the time limit the whole group is killed. Its stdout and stderr are
read as they come and kept up to :data:`OUTPUT_LIMIT` bytes each (the rest is
counted and dropped: a handler printing forever costs no memory). The answer
comes back through a file in a private temporary folder, never through
stdout, which is the handler's own.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import IO, Any

from console.triggers.bootstrap_python import BOOTSTRAP
from console.triggers.spec import TriggerSpec

__all__ = [
    "ACCOUNT_ID",
    "OUTPUT_LIMIT",
    "RESULT_LIMIT",
    "ChildRun",
    "check_loads",
    "lambda_environment",
    "run_child",
]

OUTPUT_LIMIT = 256 * 1024
"""Bytes of stdout (and of stderr) kept per call."""
RESULT_LIMIT = 6 * 1024 * 1024
"""Lambda's limit on a synchronous answer (6 MB); a bigger answer is an error."""
ACCOUNT_ID = "123456789012"
"""The account in the stand-in function's ARN (moto's default account)."""


@dataclass(frozen=True, slots=True)
class ChildRun:
    """What one child process did."""

    request_id: str
    started: float
    """Wall-clock start, seconds since the epoch."""
    duration_ms: float
    timed_out: bool
    exit_code: int | None
    stdout: str
    stderr: str
    dropped_bytes: int
    """Output past :data:`OUTPUT_LIMIT` that was read and thrown away."""
    payload: dict[str, Any] | None
    """``{"result": value}`` or Lambda's error payload; None when no answer came back."""
    log_stream: str = ""
    """``AWS_LAMBDA_LOG_STREAM_NAME`` of this call."""


def lambda_environment(
    spec: TriggerSpec, region: str, request_id: str, stream: str | None = None
) -> dict[str, str]:
    """The child's whole environment: Lambda's defined variables, then the env file's."""
    env = {
        "PATH": _path_without_our_venv(),
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "_HANDLER": spec.handler_setting,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime_version}",
        "AWS_LAMBDA_FUNCTION_NAME": spec.function_name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{spec.function_name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": stream or _stream_name(request_id),
        "LAMBDA_TASK_ROOT": str(spec.folder),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.update(spec.env)
    return env


def _stream_name(request_id: str) -> str:
    day = time.strftime("%Y/%m/%d", time.gmtime())
    return f"{day}/[$LATEST]{request_id.replace('-', '')}"


def _path_without_our_venv() -> str:
    import sys

    ours = str(Path(sys.prefix).resolve() / "bin")
    kept = [
        folder
        for folder in os.environ.get("PATH", os.defpath).split(os.pathsep)
        if folder and str(Path(folder).resolve()) != ours
    ]
    return os.pathsep.join(kept)


class _Collector:
    """Reads one pipe to its end, keeping the first *limit* bytes."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._stream = stream
        self._limit = limit
        self._kept = bytearray()
        self.dropped = 0
        self.thread = threading.Thread(target=self._read, daemon=True, name="trigger-output")
        self.thread.start()

    def _read(self) -> None:
        try:
            while chunk := self._stream.read1(65536):  # type: ignore[attr-defined]
                room = self._limit - len(self._kept)
                if room > 0:
                    self._kept += chunk[:room]
                self.dropped += max(0, len(chunk) - max(room, 0))
        except (OSError, ValueError):
            pass

    def text(self) -> str:
        return self._kept.decode("utf-8", errors="replace")


def _command(spec: TriggerSpec) -> list[str]:
    if spec.runtime == "python":
        return [spec.interpreter, "-c", BOOTSTRAP]
    script = resources.files("console.triggers").joinpath("node_child.mjs")
    return [spec.interpreter, str(script)]


def run_child(
    spec: TriggerSpec,
    event: dict[str, Any],
    *,
    region: str,
    timeout_s: float,
    check_only: bool = False,
) -> ChildRun:
    """Run the handler once on *event*; kill its process group after *timeout_s*.

    *check_only*: load the module and look for the export, but call nothing.
    """
    request_id = str(uuid.uuid4())
    workdir = tempfile.mkdtemp(prefix="cognito-trigger-")
    result_path = Path(workdir) / "result.json"
    started = time.time()
    begin = time.monotonic()
    stream = _stream_name(request_id)
    job = {
        "file": str(spec.path),
        "module": spec.path.stem,
        "export": spec.export,
        "event": event,
        "result_path": str(result_path),
        "check": check_only,
        "deadline_epoch_ms": (started + timeout_s) * 1000,
        "context": {
            "function_name": spec.function_name,
            "function_version": "$LATEST",
            "invoked_function_arn": (
                f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{spec.function_name}"
            ),
            "memory_limit_in_mb": "128",
            "aws_request_id": request_id,
            "log_group_name": f"/aws/lambda/{spec.function_name}",
            "log_stream_name": stream,
        },
    }
    try:
        process = subprocess.Popen(
            _command(spec),
            cwd=spec.folder,
            env=lambda_environment(spec, region, request_id, stream),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        return ChildRun(
            request_id, started, 0.0, False, None, "", "", 0,
            {
                "errorType": "Runtime.InvalidEntrypoint",
                "errorMessage": f"cannot start {spec.interpreter}: {exc.strerror or exc}",
            },
        )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None and process.stdin is not None
    out = _Collector(process.stdout, OUTPUT_LIMIT)
    err = _Collector(process.stderr, OUTPUT_LIMIT)
    timed_out = False
    try:
        try:
            process.stdin.write(json.dumps(job).encode("utf-8"))
            process.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            timed_out = True
    finally:
        _kill_group(process)
        duration_ms = (time.monotonic() - begin) * 1000
        # A grandchild that left the group could keep the pipes open: do not wait forever.
        out.thread.join(timeout=2)
        err.thread.join(timeout=2)
        for pipe in (process.stdout, process.stderr):
            pipe.close()
        payload = None if timed_out else _read_payload(result_path)
        shutil.rmtree(workdir, ignore_errors=True)
    return ChildRun(
        request_id=request_id,
        started=started,
        duration_ms=duration_ms,
        timed_out=timed_out,
        exit_code=None if timed_out else process.returncode,
        stdout=out.text(),
        stderr=err.text(),
        dropped_bytes=out.dropped + err.dropped,
        payload=payload,
        log_stream=stream,
    )


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()


def _read_payload(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("rb") as handle:
            raw = handle.read(RESULT_LIMIT + 1)
    except OSError:
        return None
    if len(raw) > RESULT_LIMIT:
        return {
            "errorType": "Function.ResponseSizeTooLarge",
            "errorMessage": "Response payload size exceeded maximum allowed payload size "
            f"({RESULT_LIMIT} bytes).",
        }
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return payload if isinstance(payload, dict) else None


INIT_TIMEOUT_S = 10.0
"""Lambda's limit on loading a function (its init phase)."""


def check_loads(spec: TriggerSpec, region: str) -> None:
    """Load the handler once without calling it; TriggerSpecError (one line) if it fails.

    Catches what is certainly the admin's slip before the first call: a
    missing export, a syntax error, an import that fails with this interpreter.
    """
    from console.triggers.spec import TriggerSpecError

    run = run_child(spec, {}, region=region, timeout_s=INIT_TIMEOUT_S, check_only=True)
    where = f"{spec.path.name}:{spec.export} ({spec.interpreter})"
    if run.timed_out:
        raise TriggerSpecError(f"{where} did not load within {INIT_TIMEOUT_S:.0f} s")
    payload = run.payload
    if payload is None:
        raise TriggerSpecError(f"{where} did not load: the runtime exited ({run.exit_code})")
    if "errorType" in payload:
        message = str(payload.get("errorMessage", "")).splitlines() or [""]
        raise TriggerSpecError(f"{where} does not load: {payload['errorType']}: {message[0]}")
