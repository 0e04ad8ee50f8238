"""Finding the config file and reading it into a table, with one-line errors.

We read and decode the file ourselves instead of using pydantic-settings'
TOML source: that source skips a missing file (or a folder at the path)
silently, and reports a BOM, non-UTF-8 bytes or bad TOML without naming the
file. Domain code: no Textual import.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from console.config.errors import ConfigError

__all__ = [
    "APP_NAME",
    "CONFIG_ENV_VAR",
    "ENV_PREFIX",
    "ENV_SETTABLE",
    "LOCAL_CONFIG_NAME",
    "default_config_path",
    "find_config_file",
    "read_config_file",
]

APP_NAME = "cognito-console"
"""The folder name in the user's config and data dirs."""
CONFIG_ENV_VAR = "COGNITO_CONSOLE_CONFIG"
ENV_PREFIX = "COGNITO_CONSOLE_"
"""``COGNITO_CONSOLE_<TABLE>__<KEY>`` variables override single settings."""
ENV_SETTABLE = ("console", "profiles", "team")
"""The config's tables the file and the environment may set (source and warnings are ours)."""
LOCAL_CONFIG_NAME = "cognito-console.toml"
MAX_CONFIG_BYTES = 1024 * 1024
"""A config file is a few KiB; anything this big is the wrong file (or /dev/zero)."""


def default_config_path() -> Path:
    """``config.toml`` in the user config dir (``~/.config/cognito-console/`` on Linux)."""
    import platformdirs  # only when --config and COGNITO_CONSOLE_CONFIG name no file

    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def _expand(raw: str, base: Path) -> Path:
    path = Path(raw).expanduser()
    return path if path.is_absolute() else base / path


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # e.g. a parent folder we may not search: let reading say why
        return True


def find_config_file(
    explicit: str | None,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> tuple[Path | None, bool]:
    """The config file to read and whether it was named explicitly.

    Order: *explicit* (``--config``), ``$COGNITO_CONSOLE_CONFIG``,
    ``./cognito-console.toml``, :func:`default_config_path`. A named file is
    returned whether or not it exists (reading it reports the problem); the
    implicit places only when something is there. ``(None, False)``: no file.
    """
    environ = os.environ if env is None else env
    base = Path.cwd() if cwd is None else cwd
    if explicit is not None:
        return _expand(explicit, base), True
    named = environ.get(CONFIG_ENV_VAR)
    if named:
        return _expand(named, base), True
    for candidate in (base / LOCAL_CONFIG_NAME, default_config_path()):
        if _exists(candidate):
            return candidate, False
    return None, False


def _read_bytes(path: Path) -> tuple[bytes, int]:
    """The file's bytes and permission bits, or a ConfigError saying why not."""
    where = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ConfigError("config file not found", where, path=path) from None
    except PermissionError:
        raise ConfigError(where, "cannot read the file: permission denied", path=path) from None
    except OSError as exc:
        raise ConfigError(where, f"cannot read the file: {exc.strerror}", path=path) from None
    if stat.S_ISDIR(info.st_mode):
        raise ConfigError(where, "is a folder, not a config file", path=path)
    if not stat.S_ISREG(info.st_mode):
        # A FIFO would block open(); a device could be endless.
        raise ConfigError(where, "is not a regular file", path=path)
    if info.st_size > MAX_CONFIG_BYTES:
        raise ConfigError(where, "is larger than 1 MiB; is this the right file?", path=path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
            mode = os.fstat(handle.fileno()).st_mode
    except PermissionError:
        raise ConfigError(where, "cannot read the file: permission denied", path=path) from None
    except OSError as exc:
        raise ConfigError(where, f"cannot read the file: {exc.strerror}", path=path) from None
    return data, stat.S_IMODE(mode)


_TOML_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")


def _parse_toml(data: bytes, path: Path) -> dict[str, Any]:
    """Decode and parse the bytes, with a message that names the file and position."""
    where = str(path)
    if data.startswith(b"\xef\xbb\xbf"):
        raise ConfigError(
            where, "starts with a UTF-8 byte order mark; save it without BOM", path=path
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(
            where,
            f"not UTF-8 text: invalid byte at offset {exc.start} (line {line}); save it as UTF-8",
            path=path,
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.14 adds lineno/colno; before that they are only in the text.
        message = str(exc.args[0]) if exc.args else str(exc)
        found = _TOML_POSITION.search(message)
        reason = message[: found.start()] if found else message
        row = getattr(exc, "lineno", None) or (found.group(1) if found else None)
        column = getattr(exc, "colno", None) or (found.group(2) if found else None)
        position = f"line {row}, column {column}" if row else "end of file"
        raise ConfigError(
            where, f"invalid TOML: {reason[:1].lower()}{reason[1:]}", key=position, path=path
        ) from None


def read_config_file(path: Path) -> tuple[dict[str, Any], int]:
    """The file's top-level table and its permission bits (``0o644`` and so on).

    Raises :class:`ConfigError` when the file is missing ("config file not
    found: PATH"), a folder, unreadable, not UTF-8 (naming the byte offset),
    starts with a BOM, or is not valid TOML (naming line and column).
    """
    data, mode = _read_bytes(path)
    return _parse_toml(data, path), mode
