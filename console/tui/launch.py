"""``cognito-console`` with no subcommand: check the config, then run the TUI.

Before the terminal changes, the config file is found and read as TOML
(:func:`preflight`): a missing, unreadable or malformed file is one stderr
line and exit code 2, the screen untouched. Validating it takes pydantic,
~0.2 s of CPU, so the app does that in a worker after its first frame
(:func:`load_checked_config`); a config that fails there (a wrong value, an
unknown ``--profile``) makes the app leave at once, and the same kind of
line and exit code follow on stderr. ``--sandbox`` needs no config file:
the sandbox is started by the app in a worker after the config (moto takes
a second to import) and its profiles are added then. ``--sandbox --team``
starts it on a well-known port or joins the one another console started
there, with a ``[team]`` table on it (:mod:`console.tui.team_sandbox`).
"""

from __future__ import annotations

import argparse
import gc
import sys
from functools import partial
from typing import TYPE_CHECKING

from console.config import ConfigError
from console.tui.first_frame import FirstFrame, first_frame

if TYPE_CHECKING:
    from console.config import AppConfig
    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp
    from console.tui.startup import RunningSandbox, SandboxFactory

__all__ = [
    "SANDBOX_PROFILES",
    "build_app",
    "check_team_options",
    "check_trigger_options",
    "load_checked_config",
    "preflight",
    "run_tui",
    "start_loopback_sandbox",
]

EXIT_USAGE = 2
SANDBOX_PROFILES = ("sandbox", "sandbox-confidential")
"""Profiles --sandbox adds (see console.config.loading.sandbox_profiles)."""


def start_loopback_sandbox(
    trigger: str | None = None,
    python: str | None = None,
    env_file: str | None = None,
    *,
    port: int = 0,
) -> Sandbox:
    """The ``--sandbox`` sandbox, on a loopback port (0: a free one), with the admin's
    trigger if given.

    Called in the app's start-up worker: importing the sandbox (our moto
    layer) here, not when the app is built, keeps it off the first frame.
    """
    from console.sandbox import start_sandbox

    return start_sandbox(
        "127.0.0.1",
        port,
        custom_message_trigger=trigger,
        trigger_python=python,
        trigger_env_file=env_file,
    )


def check_trigger_options(args: argparse.Namespace) -> str | None:
    """A one-line problem with the trigger options, or None (the handler is not loaded)."""
    trigger = getattr(args, "custom_message_trigger", None)
    given = [
        flag
        for flag, name in (
            ("--custom-message-trigger", "custom_message_trigger"),
            ("--trigger-python", "trigger_python"),
            ("--trigger-env-file", "trigger_env_file"),
        )
        if getattr(args, name, None)
    ]
    if given and not getattr(args, "sandbox", False):
        return f"{given[0]} needs --sandbox (or use the sandbox subcommand)"
    if given and trigger is None:
        return f"{given[0]} needs --custom-message-trigger"
    if trigger is None:
        return None
    from console.triggers import TriggerSpecError, parse_spec

    try:
        parse_spec(trigger, python=args.trigger_python, env_file=args.trigger_env_file)
    except TriggerSpecError as exc:
        return f"cannot run the trigger: {exc}"
    return None


def check_team_options(args: argparse.Namespace) -> str | None:
    """A one-line problem with ``--team`` / ``--team-port``, or None."""
    team = bool(getattr(args, "sandbox_team", False))
    if getattr(args, "team_port", None) is not None and not team:
        return "--team-port needs --sandbox --team"
    if team and not getattr(args, "sandbox", False):
        return (
            "--team needs --sandbox (it is the sandbox's team demo; for a real team "
            "table, add [team] to the config: see docs/team.md)"
        )
    return None


def team_port(args: argparse.Namespace) -> int:
    """The port ``--sandbox --team`` meets on: ``--team-port``, else the well-known one."""
    from console.tui.team_sandbox import TEAM_PORT

    port = getattr(args, "team_port", None)
    return TEAM_PORT if port is None else int(port)


def _team_sandbox(args: argparse.Namespace) -> RunningSandbox:
    """Start the team sandbox on the team port, or join the one there (the app's worker)."""
    from console.tui.team_sandbox import start_team_sandbox

    def start(port: int) -> Sandbox:
        return start_loopback_sandbox(
            getattr(args, "custom_message_trigger", None),
            getattr(args, "trigger_python", None),
            getattr(args, "trigger_env_file", None),
            port=port,
        )

    own_trigger = getattr(args, "custom_message_trigger", None) is not None
    return start_team_sandbox(team_port(args), start, own_trigger=own_trigger)


def _load_team_config(args: argparse.Namespace, *, collect_after: bool) -> AppConfig:
    """The config, with the demo's ``[team]`` on the team sandbox in place of any other."""
    from console.tui.team_sandbox import with_demo_team

    config = _load_without_collections(args, collect_after=collect_after)
    return with_demo_team(config, team_port(args))


def preflight(args: argparse.Namespace) -> FirstFrame:
    """Find and read the config file as TOML; the theme and profile it names, as hints.

    Raises :class:`ConfigError` (one line) for a file that cannot be read or
    parsed. Nothing here is validated: the hints are what the first frame is
    drawn with until :func:`load_checked_config` has run (see
    :mod:`console.tui.first_frame`).
    """
    from console.config import find_config_file, read_config_file

    path, _ = find_config_file(getattr(args, "config", None))
    if path is None:
        return FirstFrame()
    data, _mode = read_config_file(path)
    profile = getattr(args, "profile", None)
    return first_frame(data, profile, sandbox=bool(getattr(args, "sandbox", False)))


def load_checked_config(args: argparse.Namespace) -> AppConfig:
    """The config for *args*, validated, with ``--profile`` checked; raises ConfigError."""
    from console.config import load_config

    config = load_config(getattr(args, "config", None))
    profile = getattr(args, "profile", None)
    if getattr(args, "sandbox", False):
        known = {*config.profiles, *SANDBOX_PROFILES}
        if profile is not None and profile not in known:
            available = ", ".join(sorted(known))
            raise ConfigError(
                str(config.source) if config.source else "--profile",
                f"no profile named {profile!r} (available: {available})",
            )
    else:
        config.profile(profile)  # raises ConfigError naming what is available
    return config


def _load_without_collections(args: argparse.Namespace, *, collect_after: bool) -> AppConfig:
    """:func:`load_checked_config` with the collector paused, then frozen (see run_tui).

    *collect_after*: whether collections run once the config is loaded (run_tui
    keeps them off from start-up until here: the first frame is drawn between).
    """
    gc.disable()
    try:
        return load_checked_config(args)
    finally:
        gc.freeze()
        if collect_after:
            gc.enable()


def build_app(
    args: argparse.Namespace,
    *,
    hints: FirstFrame | None = None,
    collect_after_load: bool | None = None,
) -> ConsoleApp:
    """The app for *args*; it loads its config after the first frame.

    *collect_after_load*: turn the garbage collector on once the config is
    loaded; None means "if it is on now".
    """
    from console.tui.app import ConsoleApp

    if collect_after_load is None:
        collect_after_load = gc.isenabled()
    sandbox = bool(getattr(args, "sandbox", False))
    hints = hints or FirstFrame()
    team = sandbox and bool(getattr(args, "sandbox_team", False))
    factory: SandboxFactory | None = None
    if team:
        factory = partial(_team_sandbox, args)
    elif sandbox:
        factory = partial(
            start_loopback_sandbox,
            getattr(args, "custom_message_trigger", None),
            getattr(args, "trigger_python", None),
            getattr(args, "trigger_env_file", None),
        )
    loader = _load_team_config if team else _load_without_collections
    return ConsoleApp(
        None,
        config_loader=partial(loader, args, collect_after=collect_after_load),
        theme_hint=hints.theme,
        profile_hint=hints.profile,
        profile_name=getattr(args, "profile", None),
        sandbox_factory=factory,
    )


def exit_code(app: ConsoleApp, result: int | None) -> int:
    """The process exit code once *app* has run; prints why the config was refused."""
    if app.config_error is not None:
        for line in app.config_error.split("\n"):  # every problem, one line each
            print(f"cognito-console: {line}", file=sys.stderr)
        return EXIT_USAGE
    if app.return_code not in (None, 0):
        return int(app.return_code or 1)
    return int(result or 0)


def run_tui(args: argparse.Namespace) -> int:
    """Open the TUI for *args*; the process exit code."""
    # Importing Textual and the app make tens of thousands of objects that
    # live as long as the process. Left to the collector, they are walked
    # again and again: ~50-70 ms of collections before the first frame, ~5 ms
    # more while the first screen mounts. Collections wait until the config
    # is loaded after the first frame, and what was built until then is frozen
    # out of every later one. The price: the few hundred objects of cyclic
    # garbage that loading leaves are never freed.
    problem = check_team_options(args) or check_trigger_options(args)
    if problem is not None:
        print(f"cognito-console: {problem}", file=sys.stderr)
        return EXIT_USAGE
    collecting = gc.isenabled()
    gc.disable()
    try:
        hints = preflight(args)
    except ConfigError as exc:
        if collecting:
            gc.enable()
        for line in exc.lines:  # every problem, one line each
            print(f"cognito-console: {line}", file=sys.stderr)
        return EXIT_USAGE
    app = build_app(args, hints=hints, collect_after_load=collecting)
    gc.freeze()
    try:
        # Collections stay off through the first frame; the config's worker
        # turns them on once it has loaded (or here, if it never ran).
        result = app.run()
    finally:
        if collecting:
            gc.enable()
    # The interpreter's last garbage collection walks every object moto,
    # botocore and Textual left behind: about a second after the screen has
    # gone. Freezing them skips that walk; files and the history are closed.
    gc.freeze()
    return exit_code(app, result)
