"""What every benchmark module shares: timing, statistics, fixtures, subprocesses, tmux.

Benchmarks are not tests: nothing here asserts a time. Every figure is a set
of samples; :func:`summary` turns them into median/min/max, and ratios are
taken between medians of samples taken interleaved in the same run.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
PYTHON = sys.executable
CONSOLE_BIN = Path(PYTHON).with_name("cognito-console")
TERM_SIZE = (120, 40)


# -- configuration of one run -------------------------------------------------


@dataclass
class RunConfig:
    """How big a run is: ``--quick`` shrinks counts, never the interleaving."""

    quick: bool = False
    rounds: int = 7
    smoke: bool = False
    only: frozenset[str] = frozenset()
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="ccbench-")))

    @property
    def warmup(self) -> int:
        """Uncounted warm-up rounds before the measured ones (none in a smoke run)."""
        return 0 if self.smoke else 1

    def n(self, full: int, quick: int, smoke: int | None = None) -> int:
        """A count for this run's size."""
        if self.smoke and smoke is not None:
            return smoke
        return quick if self.quick else full


# -- statistics -----------------------------------------------------------------


def summary(samples: Sequence[float]) -> dict[str, float]:
    """Median, min, max, p95 and count of *samples* (any unit)."""
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "median": statistics.median(ordered),
        "min": ordered[0],
        "max": ordered[-1],
        "p95": percentile(ordered, 95),
    }


def percentile(samples: Sequence[float], pct: float) -> float:
    """The *pct* percentile by the nearest-rank method (no interpolation)."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), int(-(-pct * len(ordered) // 100))))
    return ordered[rank - 1]


def ratio(numerator: Sequence[float], denominator: Sequence[float]) -> float:
    """Median of *numerator* over median of *denominator*."""
    if not numerator or not denominator:
        return float("nan")
    bottom = statistics.median(denominator)
    return statistics.median(numerator) / bottom if bottom else float("nan")


def paired_ratios(numerator: Sequence[float], denominator: Sequence[float]) -> dict[str, float]:
    """Round-by-round ratios (samples taken side by side): median, min and max."""
    values = [a / b for a, b in zip(numerator, denominator, strict=False) if b]
    return summary(values)


def ms(seconds: float) -> float:
    return seconds * 1000.0


# -- a figure's result ------------------------------------------------------------


@dataclass
class Row:
    """One line of the results table: a measured figure and its target."""

    figure: str
    metric: str
    value: str
    target: str
    met: bool | None
    """None: no target, or not measured."""
    detail: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "figure": self.figure,
            "metric": self.metric,
            "value": self.value,
            "target": self.target,
            "met": self.met,
            "note": self.note,
            "detail": self.detail,
        }


def fmt_ms(stats: dict[str, float], digits: int = 0) -> str:
    """``median ms [min-max]`` from a summary in milliseconds."""
    if not stats.get("n"):
        return "n/a"
    f = f"{{:.{digits}f}}"
    return f"{f.format(stats['median'])} ms [{f.format(stats['min'])}-{f.format(stats['max'])}]"


# -- processes ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def quiet_env(**extra: str) -> dict[str, str]:
    """The environment for child processes: no AWS config or credentials leak in."""
    env = {
        k: v
        for k, v in os.environ.items()
        # COLUMNS/LINES (pytest sets them) would override a tmux pane's real size.
        if not k.startswith(("AWS_", "COGNITO_CONSOLE_")) and k not in ("COLUMNS", "LINES")
    }
    env.update(
        {
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "AWS_EC2_METADATA_DISABLED": "true",
            "PYTHONDONTWRITEBYTECODE": "",
        }
    )
    env.pop("PYTHONDONTWRITEBYTECODE")
    env.update(extra)
    return env


def time_process(
    argv: Sequence[str], env: dict[str, str], *, timeout: float = 60
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Wall time of one process run to completion, and its result."""
    started = time.perf_counter()
    done = subprocess.run(
        list(argv), capture_output=True, text=True, env=env, timeout=timeout, check=False
    )
    return time.perf_counter() - started, done


def find_aws_cli() -> str | None:
    """A real AWS CLI (v1 or v2), resolving a pyenv shim to its binary; None if there is none."""
    path = shutil.which("aws")
    if path is None:
        return None
    if "/shims/" in path and shutil.which("pyenv"):
        found = subprocess.run(
            ["pyenv", "which", "aws"], capture_output=True, text=True, check=False
        )
        if found.returncode == 0 and found.stdout.strip():
            path = found.stdout.strip()
    try:
        version = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (version.stdout + version.stderr).strip()
    return path if text.startswith("aws-cli/") else None


def aws_cli_version(path: str) -> str:
    version = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    return (version.stdout + version.stderr).strip().split()[0]


# -- the sandbox and a config pointing at it -----------------------------------------


def sandbox_main() -> None:
    """The sandbox process: start, print the info line, then obey stdin commands.

    Arguments: USERS LATENCY_MS [RATE_LIMIT]. Commands, one per line:
    ``latency N``, ``outbox``, ``received``, ``stop``; each answers one line.
    """
    from console.sandbox import start_sandbox

    users, latency_ms = int(sys.argv[1]), int(sys.argv[2])
    rate_limit = float(sys.argv[3]) if len(sys.argv) > 3 else None
    box = start_sandbox("127.0.0.1", 0, users=users, latency_ms=latency_ms, rate_limit=rate_limit)
    try:
        print(json.dumps(box.info.to_json()), flush=True)
        for line in sys.stdin:
            command = line.split()
            if command and command[0] == "latency":
                box.set_latency_ms(int(command[1]))
                print("ok", flush=True)
            elif command and command[0] == "outbox":
                print(len(box.outbox()), flush=True)
            elif command and command[0] == "received":
                print(len(box.received()), flush=True)
            else:
                break
    finally:
        box.stop()


class SandboxProcess:
    """A sandbox in a process of its own, so it never competes for our GIL."""

    def __init__(self, users: int, latency_ms: int = 0, rate_limit: float | None = None) -> None:
        from console.sandbox import SandboxClient, SandboxInfo

        code = "from benchmarks.common import sandbox_main; sandbox_main()"
        limit = [] if rate_limit is None else [repr(float(rate_limit))]
        self._proc = subprocess.Popen(
            [PYTHON, "-c", code, str(users), str(latency_ms), *limit],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=quiet_env(PYTHONPATH=str(REPO)),
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            self._proc.kill()
            raise RuntimeError("the sandbox process did not start")
        data = json.loads(line)
        self.info = SandboxInfo(
            endpoint_url=data["endpoint_url"],
            region=data["region"],
            user_pool_id=data["user_pool_id"],
            clients=tuple(
                SandboxClient(c["name"], c["client_id"], c.get("client_secret"))
                for c in data["clients"]
            ),
            users=tuple(data["users"]),
        )
        self.pid = self._proc.pid

    def _ask(self, command: str) -> str:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(command + "\n")
        self._proc.stdin.flush()
        return self._proc.stdout.readline().strip()

    def set_latency_ms(self, value: int) -> None:
        self._ask(f"latency {value}")

    def delivered(self) -> int:
        """How many codes the sandbox delivered so far."""
        return int(self._ask("outbox"))

    def received(self) -> int:
        """How many ResendConfirmationCode requests reached the sandbox so far."""
        return int(self._ask("received"))

    def stop(self) -> None:
        if self._proc.poll() is None:
            with suppress(OSError, ValueError):
                self._ask("stop")
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(5)
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                stream.close()


@contextmanager
def sandbox(
    users: int, *, latency_ms: int = 0, rate_limit: float | None = None
) -> Iterator[SandboxProcess]:
    """A sandbox process with *users* extra UNCONFIRMED users (user0001...).

    *rate_limit*: answer TooManyRequestsException beyond that many resends a
    second (all users), as ``cognito-console sandbox --rate-limit`` does.
    """
    box = SandboxProcess(users, latency_ms, rate_limit)
    try:
        yield box
    finally:
        box.stop()


class UserPool:
    """Hands out seeded usernames so no user goes past the sandbox's 5 resends an hour."""

    PER_USER = 5

    def __init__(self, count: int) -> None:
        self._names = [f"user{i:04d}" for i in range(1, count + 1)]
        self._next = 0

    def take(self) -> str:
        name = self._names[(self._next // self.PER_USER) % len(self._names)]
        self._next += 1
        if self._next > self.PER_USER * len(self._names):
            raise RuntimeError("benchmark used more resends than the seeded users allow")
        return name

    @staticmethod
    def needed(calls: int) -> int:
        return -(-calls // UserPool.PER_USER)


def write_config(path: Path, box_info: Any, *, history: Path, extra_profiles: int = 0) -> Path:
    """A config file whose default profile reaches the sandbox, plus *extra_profiles* others."""
    public = box_info.client("public")
    lines = [
        "[console]",
        'default_profile = "sandbox"',
        f"history_path = {json.dumps(str(history))}",
        "",
        "[profiles.sandbox]",
        'description = "benchmark sandbox"',
        f'region = "{box_info.region}"',
        f'user_pool_id = "{box_info.user_pool_id}"',
        f'client_id = "{public.client_id}"',
        f'endpoint_url = "{box_info.endpoint_url}"',
        "",
    ]
    for i in range(extra_profiles):
        lines += [
            f"[profiles.team{i:02d}]",
            f'description = "team {i} pool"',
            'region = "eu-west-1"',
            f'user_pool_id = "eu-west-1_Team{i:02d}Pool"',
            f'client_id = "client{i:02d}abcdefghijklmnop"',
            f'endpoint_url = "{box_info.endpoint_url}"',
            'client_metadata = { source = "helpdesk" }',
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    path.chmod(0o600)
    return path


# -- a big history, built fast ---------------------------------------------------------

_INSERT = (
    "INSERT INTO attempts (started_at, started_ms, finished_at, profile, region, user_pool_id,"
    " client_id, username, client_metadata, analytics_endpoint_id, outcome, medium, destination,"
    " attribute, error_code, error_message, http_status, request_id, latency_ms,"
    " may_be_simulated, operator, pid, host, batch_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
DISTINCT_USERS = 200_000
"""A big history repeats users: 1,000,000 attempts over 200,000 people."""


def _history_rows(start: int, count: int) -> Iterator[tuple[object, ...]]:
    base_ms = 1_735_689_600_000  # 2025-01-01T00:00:00Z; one attempt every ~30 s after it
    for i in range(start, start + count):
        started_ms = base_ms + i * 30_000
        secs, milli = divmod(started_ms, 1000)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs)) + f".{milli:03d}Z"
        user = f"{_FIRST[i % len(_FIRST)]}.{_LAST[(i // 7) % len(_LAST)]}{i % DISTINCT_USERS}"
        username = f"{user}@example.com" if i % 3 else user
        kind = i % 20
        delivered = kind < 17
        failed_code = "UserNotFoundException" if kind < 19 else "LimitExceededException"
        yield (
            stamp,
            started_ms,
            stamp,
            "prod" if i % 4 else "staging",
            "eu-west-1",
            "eu-west-1_AbCdEf123",
            "3d05467c870442d9a64392c602",
            username,
            '{"source":"helpdesk"}',
            None,
            "delivered" if delivered else ("failed" if kind < 19 else "unknown"),
            "EMAIL" if delivered else None,
            "u***@e***.com" if delivered else None,
            "email" if delivered else None,
            None if delivered else failed_code,
            None if delivered else "User does not exist.",
            200 if delivered else 400,
            f"{i:08x}-74e7-474a-b1c2-3d4e5f6a7b8c",
            42.5,
            0,
            "benchmark",
            4242,
            "bench-host",
            None,
        )


_FIRST = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy")
_LAST = ("smith", "jones", "garcia", "miller", "davis", "lopez", "wilson", "moore", "taylor")


def build_history(path: Path, rows: int) -> float:
    """A history file of *rows* finished attempts; returns the seconds it took.

    The schema, triggers and FTS index are the product's (History.open makes
    the file); rows go in with one executemany per 50,000 and
    ``synchronous=OFF`` on this build connection only.
    """
    from console.history import History

    started = time.perf_counter()
    History.open(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")
        # The FTS index is filled in one 'rebuild' afterwards (its insert
        # trigger, row by row, would take 4x as long); the trigger is then
        # put back exactly as the schema has it.
        (trigger_sql,) = conn.execute(
            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'attempts_ai'"
        ).fetchone()
        conn.execute("BEGIN")
        conn.execute("DROP TRIGGER attempts_ai")
        chunk = 50_000
        for start in range(0, rows, chunk):
            conn.executemany(_INSERT, _history_rows(start, min(chunk, rows - start)))
        conn.execute("INSERT INTO attempts_username (attempts_username) VALUES ('rebuild')")
        conn.execute(trigger_sql)
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    History.open(path).close()  # the product's own open and close, once, as after real use
    return time.perf_counter() - started


def history_username(i: int) -> str:
    """The username of built row *i* (0-based), to pick filters that match."""
    for row in _history_rows(i, 1):
        return str(row[7])
    raise AssertionError("unreachable")


def file_size(path: Path) -> int:
    """The history's bytes on disk: the file and its -wal/-shm."""
    total = 0
    for suffix in ("", "-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            total += side.stat().st_size
    return total


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of *fn* takes."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


# -- tmux: driving a TUI as a user would -------------------------------------------------


class Tmux:
    """A private tmux server (its own socket), one session per launch.

    ``remain-on-exit`` keeps a dead pane's last screen, so a crash is seen
    rather than timed out on. Polls ``capture-pane`` for text: what is on
    the terminal, not what the app believes it drew.
    """

    def __init__(self, label: str, env: dict[str, str]) -> None:
        if shutil.which("tmux") is None:
            raise RuntimeError("tmux is not installed")
        self.socket = f"ccbench-{os.getpid()}-{label}"
        self._env = env
        width, height = TERM_SIZE
        self._tmux(
            "-f", "/dev/null", "new-session", "-d", "-s", "keep",
            "-x", str(width), "-y", str(height), "sleep 86400",
        )  # fmt: skip
        self._tmux("set", "-sg", "escape-time", "0")
        # Every window starts at this size: a program that reads its size
        # while tmux is still resizing the pane would draw for 80x24.
        self._tmux("set", "-g", "default-size", f"{width}x{height}")
        self._tmux("set", "-g", "remain-on-exit", "on")
        self._tmux("set", "-g", "history-limit", "0")
        found = self._tmux("display", "-p", "#{socket_path}", check=False).stdout.strip()
        self._socket_path = Path(found) if found else None

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            env=self._env,
            check=False,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args[:3])}: {done.stderr.strip()}")
        return done

    def launch(self, session: str, argv: Sequence[str], *, env: dict[str, str], cwd: Path) -> float:
        """Start *argv* in a new session; the perf_counter time just before launching."""
        width, height = TERM_SIZE
        extra: list[str] = []
        for key, value in env.items():
            extra += ["-e", f"{key}={value}"]
        command = " ".join(shlex.quote(a) for a in argv)
        started = time.perf_counter()
        self._tmux(
            "new-session", "-d", "-s", session, "-x", str(width), "-y", str(height),
            "-c", str(cwd), *extra, command,
        )  # fmt: skip
        size = self._tmux("display", "-p", "-t", session, "#{window_width}x#{window_height}")
        if size.stdout.strip() != f"{width}x{height}":
            # A terminal of another size would move what the checks look for.
            self._tmux("resize-window", "-t", session, "-x", str(width), "-y", str(height))
        return started

    def capture(self, session: str) -> str:
        return self._tmux("capture-pane", "-p", "-t", session, check=False).stdout

    def dead(self, session: str) -> bool:
        done = self._tmux("display", "-p", "-t", session, "#{pane_dead}", check=False)
        return done.returncode != 0 or done.stdout.strip() == "1"

    def pane_pid(self, session: str) -> int:
        return int(self._tmux("display", "-p", "-t", session, "#{pane_pid}").stdout.strip())

    def wait_for(
        self,
        session: str,
        found: Callable[[str], bool],
        *,
        timeout: float = 30.0,
        interval: float = 0.005,
    ) -> tuple[float, str]:
        """Poll until *found(screen)*: (perf_counter when seen, the screen).

        Raises TimeoutError, or RuntimeError when the program exits first.
        """
        deadline = time.perf_counter() + timeout
        while True:
            screen = self.capture(session)
            seen = time.perf_counter()
            if found(screen):
                return seen, screen
            if seen > deadline:
                raise TimeoutError(f"not on screen within {timeout:.0f} s:\n{screen}")
            if self.dead(session):
                raise RuntimeError(f"the program exited:\n{self.capture(session)}")
            time.sleep(interval)

    def send_text(self, session: str, text: str) -> None:
        self._tmux("send-keys", "-t", session, "-l", text)

    def send_key(self, session: str, key: str) -> None:
        self._tmux("send-keys", "-t", session, key)

    def kill(self, session: str) -> None:
        """Drop the session at once (its program gets SIGHUP)."""
        self._tmux("kill-session", "-t", session, check=False)

    def quit(self, session: str, key: str = "C-q", timeout: float = 15.0) -> None:
        """Send the quit key, wait for the program to end, drop the session."""
        if not self.dead(session):
            self.send_key(session, key)
            deadline = time.perf_counter() + timeout
            while not self.dead(session) and time.perf_counter() < deadline:
                time.sleep(0.02)
        self._tmux("kill-session", "-t", session, check=False)

    def close(self) -> None:
        self._tmux("kill-server", check=False)
        if self._socket_path is not None:
            self._socket_path.unlink(missing_ok=True)


def rss_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of *pid*, in KiB, from /proc."""
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def child_pid(pane_pid: int, name_part: str) -> int:
    """The process running *name_part* under a tmux pane (the pane pid itself if it is)."""
    if name_part in Path(f"/proc/{pane_pid}/cmdline").read_bytes().decode(errors="replace"):
        return pane_pid
    for task in Path(f"/proc/{pane_pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in children:
            found = child_pid(int(child), name_part)
            if found:
                return found
    return 0


def tui_env(home: Path) -> dict[str, str]:
    """A user's environment for a TUI under tmux: its own HOME and XDG dirs, no AWS setup."""
    for sub in ("config", "data", "cache", "state"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
    }


# What cognito-console's screen says (120x40): the profile bar is line 1; the
# request form is the left 72 columns of lines 4-24; the attempt log is below.
FORM_COLUMNS = 72


def tui_ready(screen: str) -> bool:
    """The profile bar's status says "ready": the first send can go out."""
    lines = screen.splitlines()
    return bool(lines) and re.search(r"\bready\s*$", lines[0]) is not None


def form_shows(text: str) -> Callable[[str], bool]:
    """A check that the form (not the preview beside it) shows *text* as a whole word."""
    pattern = re.compile(rf"(?<![\w.]){re.escape(text)}(?![\w.])")

    def found(screen: str) -> bool:
        return any(pattern.search(line[:FORM_COLUMNS]) for line in screen.splitlines()[3:24])

    return found


USERNAME_PLACEHOLDER = "username, alias or sub (exact)"


def clear_username(tmux: Tmux, session: str) -> None:
    """Empty the username field (Ctrl+U) and wait until it shows its placeholder.

    Waiting matters: Textual runs a key binding's action after keys that
    arrive right behind it, so text typed within a few ms of Ctrl+U can be
    deleted by it (seen 2 times in 60 with the baseline app too). So an
    empty field gets no Ctrl+U, and a full one is watched until it empties.
    """
    is_empty = form_shows(USERNAME_PLACEHOLDER)
    if is_empty(tmux.capture(session)):
        return
    tmux.send_key(session, "C-u")
    tmux.wait_for(session, is_empty, timeout=10, interval=0.002)
