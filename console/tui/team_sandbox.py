"""``cognito-console --sandbox --team``: several TUIs on one sandbox, sharing one team history.

The demo of the team's shared history needs two consoles writing to one
DynamoDB table. With ``--team`` the embedded sandbox listens on a
well-known loopback port (:data:`TEAM_PORT`, the ``sandbox`` subcommand's
default too; ``--team-port`` changes it). The first console started that
way starts the sandbox there; a later one finds it listening, checks that it
is a cognito-console sandbox (``GET /_sandbox/info`` answers with the port
it was asked on), and joins it instead of starting another. Each console
gets a ``[team]`` table on that sandbox (:data:`DEMO_TABLE`, created by
whoever gets there first), so every attempt goes to one shared history.

The sandbox lives in the console that started it. When that one quits, the
others' sends fail (nothing answers) and their team uploads wait in their
local queue; nothing is lost, and a console started again with ``--sandbox
--team`` serves the port anew (a new demo pool: its users start afresh).

Nothing here imports Textual; it runs in the app's start-up worker.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from console.config import AppConfig, TeamSettings
    from console.sandbox import Sandbox, SandboxInfo

__all__ = [
    "DEMO_REGION",
    "DEMO_TABLE",
    "TEAM_PORT",
    "JoinedSandbox",
    "NotOurSandbox",
    "TeamSandbox",
    "demo_team",
    "ensure_demo_table",
    "is_demo_team",
    "probe",
    "start_or_join",
    "start_team_sandbox",
    "with_demo_team",
]

TEAM_PORT = 9229
"""The loopback port ``--sandbox --team`` uses unless ``--team-port`` says otherwise."""
DEMO_TABLE = "cognito-console-demo"
"""The team table the demo creates on the sandbox."""
DEMO_REGION = "us-east-1"
"""The sandbox's region: its DynamoDB keeps the demo table there."""
_RACE_TRIES = 20
"""Tries at start-or-join while another console is starting on the port (0.25 s apart)."""


class NotOurSandbox(OSError):
    """Something else listens on the team port: one line naming it and what to do."""


@dataclass(frozen=True)
class JoinedSandbox:
    """Another console's sandbox, joined: what it serves; stopping it is for its owner."""

    info: SandboxInfo
    owned = False
    """This console did not start it: quitting here leaves it running for the others."""

    def stop(self) -> None:
        """Nothing to stop: the console that started the sandbox stops it when it quits."""


def demo_team(port: int, operator: str | None = None) -> TeamSettings:
    """The demo's ``[team]``: the table on the sandbox at *port*, as *operator* (None: the
    OS user)."""
    from console.config import TeamSettings

    return TeamSettings(
        table=DEMO_TABLE,
        region=DEMO_REGION,
        endpoint_url=f"http://127.0.0.1:{port}",
        operator=operator,
    )


def is_demo_team(team: TeamSettings | None) -> bool:
    """Whether *team* is the demo's table on a loopback team sandbox (:func:`demo_team`)."""
    return (
        team is not None
        and team.table == DEMO_TABLE
        and (team.endpoint_url or "").startswith("http://127.0.0.1:")
    )


def with_demo_team(config: AppConfig, port: int) -> AppConfig:
    """*config* with the demo's ``[team]``, its operator the config's ``[team]`` one if set.

    The config's own ``[team]`` is replaced: demo attempts never reach a real team table.
    """
    from console.history import sign_for_sandbox

    operator = config.team.operator if config.team is not None else None
    team = demo_team(port, operator)
    if team.endpoint_url is not None:
        sign_for_sandbox(team.endpoint_url)
    return config.model_copy(update={"team": team})


def probe(port: int, *, timeout_s: float = 2.0) -> SandboxInfo | None:
    """The sandbox listening on 127.0.0.1:*port*, or None when nothing listens there.

    Raises :class:`NotOurSandbox` when something else answers: an open port is
    not enough, it must answer ``/_sandbox/info`` as our sandbox does, for
    this very address.
    """
    import http.client

    from console.sandbox import SandboxClient, SandboxInfo

    url = f"http://127.0.0.1:{port}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout_s)
    try:
        connection.request("GET", "/_sandbox/info")
        answer = connection.getresponse()
        body = answer.read(8 << 20)  # a sandbox seeded with --users 100000 says so in 2 MB
    except ConnectionRefusedError:
        return None
    except (OSError, http.client.HTTPException) as exc:
        raise _not_ours(port, f"it does not answer HTTP ({type(exc).__name__})") from None
    finally:
        connection.close()
    try:
        data: Any = json.loads(body)
        if answer.status != 200 or data.get("endpoint_url") != url:
            raise ValueError("not our endpoint")
        clients = tuple(
            SandboxClient(str(c["name"]), str(c["client_id"]), c.get("client_secret"))
            for c in data["clients"]
        )
        info = SandboxInfo(
            endpoint_url=url,
            region=str(data["region"]),
            user_pool_id=str(data["user_pool_id"]),
            clients=clients,
            users=tuple(str(u) for u in data.get("users", [])),
        )
        for name in ("public", "confidential"):  # both must be there (KeyError otherwise)
            info.client(name)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise _not_ours(port, f"GET /_sandbox/info answered HTTP {answer.status}") from None
    return info


def _not_ours(port: int, why: str) -> NotOurSandbox:
    return NotOurSandbox(
        f"port {port} on 127.0.0.1 is in use by something that is not a cognito-console "
        f"sandbox ({why}); stop it, or give --team-port PORT to every console of the demo"
    )


def start_or_join(
    port: int,
    start: Callable[[int], Sandbox],
    *,
    own_trigger: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> Sandbox | JoinedSandbox:
    """Join the sandbox on *port*, or ``start(port)`` one there.

    Two consoles starting at once race for the port: the loser's bind fails
    and it joins the winner's sandbox once that answers. *own_trigger*: this
    console was given a trigger, which a joined sandbox (started with its own
    options) cannot run: NotOurSandbox says so rather than join.
    """
    last: OSError | None = None
    for _ in range(_RACE_TRIES):
        info = probe(port)
        if info is not None and own_trigger:
            raise NotOurSandbox(
                f"--custom-message-trigger: the team sandbox on port {port} was started by "
                "another console, with its own options; give --team-port PORT for a sandbox "
                "of this console's own"
            )
        if info is not None:
            return JoinedSandbox(info)
        try:
            return start(port)
        except NotOurSandbox:
            raise
        except OSError as exc:  # the port was taken meanwhile: by whom, the next probe says
            last = exc
            sleep(0.25)
    reason = last.strerror if last is not None and last.strerror else str(last)
    raise NotOurSandbox(f"cannot listen on 127.0.0.1:{port}: {reason}; try --team-port PORT")


def ensure_demo_table(team: TeamSettings, *, tries: int = 3) -> str:
    """Create the demo table on the sandbox, or check it (another console may create it
    at the same moment: its CreateTable wins, ours then finds the table)."""
    from console.history import HistoryError, init_table, sign_for_sandbox, team_client

    if team.endpoint_url is not None:
        sign_for_sandbox(team.endpoint_url)
    client = team_client(team, connect_timeout=2, read_timeout=10)
    for attempt in range(tries):
        try:
            return init_table(client, team.table, wait_s=30, poll_s=0.2).status
        except HistoryError:
            if attempt == tries - 1:
                raise
            time.sleep(0.3)
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class TeamSandbox:
    """The sandbox of a ``--sandbox --team`` console, started here or joined, and what the
    operator is told about it (who owns it, and what its owner quitting means)."""

    running: Sandbox | JoinedSandbox

    @property
    def info(self) -> SandboxInfo:
        """What the sandbox serves (its endpoint, pool and clients)."""
        return self.running.info

    @property
    def owned(self) -> bool:
        """This console started the sandbox (and stops it when it quits)."""
        return not isinstance(self.running, JoinedSandbox)

    @property
    def note(self) -> str:
        """The log line when it is ready."""
        url = self.info.endpoint_url
        if self.owned:
            return (
                f"team sandbox started at {url}, team table {DEMO_TABLE}: consoles started with "
                "--sandbox --team join it; quitting this one stops it for them (their sends "
                "fail, their team uploads wait in their queues)"
            )
        return (
            f"joined the team sandbox at {url} (another console started it), team table "
            f"{DEMO_TABLE}: if that console quits, sends here fail and team uploads wait in "
            "the queue; nothing is lost"
        )

    def stop(self) -> None:
        """Stop the sandbox if this console started it; a joined one is its owner's."""
        self.running.stop()


def start_team_sandbox(
    port: int, start: Callable[[int], Sandbox], *, own_trigger: bool = False
) -> TeamSandbox:
    """Start or join the sandbox on *port* and make sure the demo table is there."""
    running = start_or_join(port, start, own_trigger=own_trigger)
    try:
        ensure_demo_table(demo_team(port))
    except BaseException:
        running.stop()
        raise
    return TeamSandbox(running)
