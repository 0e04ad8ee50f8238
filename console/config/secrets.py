"""Reading an app client secret from an environment variable or a command.

The config names where a profile's client secret comes from; this module
fetches it. Failures raise :class:`~console.config.errors.ConfigError` naming
the profile and the key, never the secret and never the command's output
(a failing password-manager command may well print the secret, or part of it,
on stdout or stderr).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
from collections.abc import Mapping

from pydantic import SecretStr

from console.config.errors import ConfigError

__all__ = ["SECRET_COMMAND_TIMEOUT", "secret_from_command", "secret_from_env"]

SECRET_COMMAND_TIMEOUT = 10.0
"""Seconds a ``client_secret_command`` may run before it is killed."""


def secret_from_env(variable: str, *, env: Mapping[str, str], where: str, key: str) -> SecretStr:
    """The secret held in environment variable *variable*, surrounding whitespace removed."""
    value = env.get(variable)
    if value is None:
        raise ConfigError(where, f"environment variable {variable} is not set", key=key)
    value = value.strip()
    if not value:
        raise ConfigError(where, f"environment variable {variable} is empty", key=key)
    return SecretStr(value)


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill the command and anything it started (it runs in its own process group)."""
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass


def secret_from_command(
    command: str, *, where: str, key: str, timeout: float = SECRET_COMMAND_TIMEOUT
) -> SecretStr:
    """Run *command* without a shell and return its stripped stdout as the secret.

    The command gets no stdin and its stderr is discarded: both could
    otherwise tangle with the TUI, and stderr may repeat the secret. It runs
    in a new session so a timeout kills its children too (a child still
    holding our stdout pipe would otherwise keep us waiting).
    """
    try:
        argv = shlex.split(command)
    except ValueError as exc:  # unbalanced quotes; also checked when loading
        raise ConfigError(where, f"cannot split the command: {exc}", key=key) from None
    if not argv:
        raise ConfigError(where, "the command is empty", key=key)
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=os.name == "posix",
        )
    except FileNotFoundError:
        raise ConfigError(where, f"command not found: {argv[0]}", key=key) from None
    except OSError as exc:
        raise ConfigError(
            where, f"cannot run {argv[0]}: {exc.strerror or type(exc).__name__}", key=key
        ) from None
    try:
        stdout, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        # A grandchild that left our process group may still hold the pipe.
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.communicate(timeout=2)
        raise ConfigError(
            where, f"the command did not finish within {timeout:g} s and was stopped", key=key
        ) from None
    finally:
        if process.poll() is None:  # interrupted (Ctrl+C): do not leave it running
            _kill(process)
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
    if process.returncode != 0:
        raise ConfigError(
            where,
            f"the command exited with status {process.returncode} (its output is not shown)",
            key=key,
        )
    try:
        secret = stdout.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise ConfigError(where, "the command's output is not UTF-8 text", key=key) from None
    if not secret:
        raise ConfigError(where, "the command printed nothing on stdout", key=key)
    if "\n" in secret or "\r" in secret:
        # `pass show` prints the whole entry; a secret is never more than one line.
        raise ConfigError(
            where,
            "the command printed more than one line; it should print only the secret",
            key=key,
        )
    return SecretStr(secret)
