"""Which handler to run and how: ``PATH:EXPORT``, its runtime, its interpreter, its environment.

Every problem is a :class:`TriggerSpecError` whose message is one line naming
the file or the flag and what is allowed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "RUNTIMES",
    "TriggerSpec",
    "TriggerSpecError",
    "default_python",
    "function_name_for",
    "parse_spec",
    "read_env_file",
]

RUNTIMES = {".py": "python", ".js": "node", ".mjs": "node", ".cjs": "node"}
"""Handler file suffix -> the runtime that runs it."""

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_JS_NAME = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


class TriggerSpecError(ValueError):
    """A trigger that cannot be run as given; ``str()`` is one line naming the file or flag."""


@dataclass(frozen=True, slots=True)
class TriggerSpec:
    """One handler, ready to run in a child process."""

    path: Path
    """The handler file, absolute."""
    export: str
    """The function (Python) or exported handler (Node.js) to call."""
    runtime: str
    """``python`` or ``node``."""
    interpreter: str
    """The executable that runs it: the chosen python3, or ``node`` from PATH."""
    runtime_version: str
    """e.g. ``python3.11`` or ``nodejs20.x``: what ``AWS_EXECUTION_ENV`` names."""
    function_name: str
    """The stand-in Lambda function's name (its log group is ``/aws/lambda/<name>``)."""
    env: dict[str, str] = field(default_factory=dict)
    """Extra environment variables (``--trigger-env-file``)."""

    @property
    def handler_setting(self) -> str:
        """Lambda's ``_HANDLER``: ``module.export`` (``index.handler``)."""
        return f"{self.path.stem}.{self.export}"

    @property
    def folder(self) -> Path:
        """Where the handler runs (Lambda's ``/var/task``)."""
        return self.path.parent

    def describe(self) -> str:
        """``trigger.mjs:handler (nodejs20.x)``, for messages and records."""
        return f"{self.path.name}:{self.export} ({self.runtime_version})"


def function_name_for(export: str) -> str:
    """The stand-in function name: ``sandbox-<export>``, as the demo pool's ARN shows."""
    name = "".join(c if c.isalnum() or c in "-_" else "-" for c in export)[:56]
    return f"sandbox-{name}"


def parse_spec(
    spec: str,
    *,
    python: str | None = None,
    env_file: str | None = None,
    node: str | None = None,
) -> TriggerSpec:
    """Check ``PATH:EXPORT`` and find its runtime; TriggerSpecError on any problem.

    *python* is ``--trigger-python`` (default: :func:`default_python`);
    *node* the Node.js executable (default: ``node`` on PATH); *env_file*
    ``--trigger-env-file``. The handler itself is not loaded here: it is
    loaded afresh on every call, in the child, as Lambda would load it.
    """
    path_text, sep, export = spec.rpartition(":")
    if not sep or not path_text or not export:
        raise TriggerSpecError(
            f"trigger must be PATH:EXPORT (e.g. index.mjs:handler), got {spec!r}"
        )
    path = Path(path_text).expanduser()
    runtime = RUNTIMES.get(path.suffix.lower())
    if runtime is None:
        raise TriggerSpecError(f"{path_text}: a trigger must be a .py, .js, .mjs or .cjs file")
    if not path.is_file():
        raise TriggerSpecError(f"trigger file not found: {path_text}")
    valid = export.isidentifier() if runtime == "python" else bool(_JS_NAME.match(export))
    if not valid:
        raise TriggerSpecError(f"{export!r} is not a function name for {path.name}")
    env = read_env_file(env_file) if env_file else {}
    if runtime == "python":
        interpreter, version = _python(python)
    else:
        interpreter, version = _node(node)
    return TriggerSpec(
        path=path.resolve(),
        export=export,
        runtime=runtime,
        interpreter=interpreter,
        runtime_version=version,
        function_name=function_name_for(export),
        env=env,
    )


def read_env_file(name: str) -> dict[str, str]:
    """``KEY=VALUE`` lines (``#`` comments, blank lines, optional quotes) as a dict."""
    path = Path(name).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TriggerSpecError(f"--trigger-env-file not found: {name}") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise TriggerSpecError(f"--trigger-env-file {name}: cannot read it: {reason}") from None
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        key, eq, value = line.partition("=")
        key = key.strip()
        if not eq or not _ENV_NAME.match(key):
            raise TriggerSpecError(
                f"{name}, line {number}: expected NAME=value (NAME of letters, digits and _)"
            )
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key] = value
    return values


def _is_our_venv(folder: str) -> bool:
    here = Path(sys.prefix).resolve()
    try:
        resolved = Path(folder).resolve()
    except OSError:
        return False
    return resolved == here / "bin" or resolved == here / "Scripts"


def default_python(search_path: str | None = None) -> str | None:
    """The first ``python3`` on PATH that is not in our own virtual environment, or None."""
    for folder in (search_path if search_path is not None else os.environ.get("PATH", "")).split(
        os.pathsep
    ):
        if not folder or _is_our_venv(folder):
            continue
        candidate = Path(folder) / "python3"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


_PROBE = (
    "import sys; print(sys.executable); print('%d.%d' % sys.version_info[:2]); print(sys.prefix)"
)


def _python(chosen: str | None) -> tuple[str, str]:
    flag = "--trigger-python"
    command = chosen or default_python()
    if command is None:
        raise TriggerSpecError(
            f"no python3 on PATH outside this tool's own environment: give {flag} PATH"
        )
    found = shutil.which(command)
    if found is None:
        raise TriggerSpecError(f"{flag} {command}: not found or not executable")
    try:
        # Resolves wrappers (pyenv shims) to the real interpreter, once.
        probe = subprocess.run(
            [found, "-c", _PROBE], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TriggerSpecError(f"{flag} {command}: does not run: {exc}") from None
    lines = probe.stdout.splitlines()
    if probe.returncode != 0 or len(lines) != 3 or not lines[1].startswith("3."):
        raise TriggerSpecError(f"{flag} {command}: is not a working Python 3")
    if Path(lines[2]).resolve() == Path(sys.prefix).resolve():
        raise TriggerSpecError(
            f"{flag} {command}: is this tool's own Python; the handler would see our packages"
        )
    return lines[0], f"python{lines[1]}"


def _node(chosen: str | None) -> tuple[str, str]:
    found = shutil.which(chosen or "node")
    if found is None:
        raise TriggerSpecError(
            "node not found on PATH: install Node.js (Debian: apt-get install nodejs) "
            "to run a .js, .mjs or .cjs trigger"
        )
    try:
        probe = subprocess.run(
            [found, "--version"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TriggerSpecError(f"{found}: does not run: {exc}") from None
    version = probe.stdout.strip()
    major = version.lstrip("v").split(".", 1)[0]
    if probe.returncode != 0 or not major.isdigit():
        raise TriggerSpecError(f"{found}: is not a working Node.js")
    return found, f"nodejs{major}.x"
