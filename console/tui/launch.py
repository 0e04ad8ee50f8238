"""``cognito-console`` with no subcommand: check the config, then run the TUI.

Config problems are reported on one stderr line with exit code 2 before any
terminal mode changes. ``--sandbox`` needs no config file: the sandbox is
started by the app in a worker after the first paint (moto takes a second to
import) and its profiles are added then.
"""

from __future__ import annotations

import argparse
import gc
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp

__all__ = ["SANDBOX_PROFILES", "build_app", "run_tui", "start_loopback_sandbox"]

EXIT_USAGE = 2
SANDBOX_PROFILES = ("sandbox", "sandbox-confidential")
"""Profiles --sandbox adds (see console.config.sandbox_profiles)."""


def start_loopback_sandbox() -> Sandbox:
    """The ``--sandbox`` sandbox, on a free loopback port.

    Called in the app's start-up worker: importing the sandbox (our moto
    layer) here, not when the app is built, keeps it off the first frame.
    """
    from console.sandbox import start_sandbox

    return start_sandbox("127.0.0.1", 0)


def build_app(args: argparse.Namespace) -> ConsoleApp:
    """The app for *args*, or raise ConfigError before anything is drawn."""
    from console.config import ConfigError, load_config

    config = load_config(getattr(args, "config", None))
    profile = getattr(args, "profile", None)
    sandbox = bool(getattr(args, "sandbox", False))
    if sandbox:
        known = {*config.profiles, *SANDBOX_PROFILES}
        if profile is not None and profile not in known:
            available = ", ".join(sorted(known))
            raise ConfigError(
                str(config.source) if config.source else "--profile",
                f"no profile named {profile!r} (available: {available})",
            )
    else:
        config.profile(profile)  # raises ConfigError naming what is available
    from console.tui.app import ConsoleApp

    app = ConsoleApp(
        config,
        profile_name=profile,
        sandbox_factory=start_loopback_sandbox if sandbox else None,
    )
    app.startup_warnings = list(config.warnings)
    return app


def run_tui(args: argparse.Namespace) -> int:
    """Open the TUI for *args*; the process exit code."""
    # Importing Textual, pydantic and the app, and building the config, make
    # ~90,000 objects that live as long as the process. Left to the
    # collector, they are walked again and again: ~50-70 ms of collections
    # before the first frame, a full one while the first screen mounts.
    # Collections wait until the app is built, and what it was built from is
    # frozen out of every later one. The price: the few hundred objects of
    # cyclic garbage that loading leaves (~600) are never freed.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from console.config import ConfigError

        try:
            app = build_app(args)
        except ConfigError as exc:
            print(f"cognito-console: {exc}", file=sys.stderr)
            return EXIT_USAGE
        gc.freeze()
    finally:
        if collecting:
            gc.enable()
    result = app.run()
    # The interpreter's last garbage collection walks every object moto,
    # botocore and Textual left behind: about a second after the screen has
    # gone. Freezing them skips that walk; files and the history are closed.
    gc.freeze()
    if app.return_code not in (None, 0):
        return int(app.return_code or 1)
    return int(result or 0)
