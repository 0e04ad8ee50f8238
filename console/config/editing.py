"""Writing one setting back into the user's config file, keeping everything else.

The TUI remembers choices the operator makes on screen (the theme) in the
config file itself, so the file stays the one place settings live. tomllib
only reads; tomlkit edits a document and writes it back with its comments,
order and formatting intact, so a hand-written config is not rewritten.

The file is replaced atomically (a temporary file beside it, fsync, rename),
keeps its permission bits (new files get 0600: a config may hold a client
secret), and a symlinked config is edited at its target so dotfile managers
keep their link. Domain code: no Textual import.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from console.config.errors import ConfigError
from console.config.file import MAX_CONFIG_BYTES

__all__ = ["set_console_setting"]

NEW_FILE_MODE = 0o600
NEW_FOLDER_MODE = 0o700


def _read_text(path: Path) -> tuple[str | None, int]:
    """The file's text and permission bits; ``(None, 0o600)`` when there is no file yet."""
    where = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        return None, NEW_FILE_MODE
    except OSError as exc:
        raise ConfigError(
            where, f"cannot read the file: {exc.strerror}; not changed", path=path
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(where, "is not a regular file; not changed", path=path)
    if info.st_size > MAX_CONFIG_BYTES:
        raise ConfigError(where, "is larger than 1 MiB; not changed", path=path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            where, f"cannot read the file: {exc.strerror}; not changed", path=path
        ) from None
    try:
        return data.decode("utf-8"), stat.S_IMODE(info.st_mode)
    except UnicodeDecodeError:
        raise ConfigError(where, "is not UTF-8 text; not changed", path=path) from None


def _write_atomically(path: Path, text: str, mode: int) -> None:
    where = str(path)
    folder = path.parent
    try:
        folder.mkdir(mode=NEW_FOLDER_MODE, parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            where, f"cannot create its folder: {exc.strerror}; not changed", path=path
        ) from None
    try:
        # A unique name: two saves in flight never share a temporary file.
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ConfigError(
            where, f"cannot write the file: {exc.strerror}; not changed", path=path
        ) from None
    temporary = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise ConfigError(
            where, f"cannot write the file: {exc.strerror}; not changed", path=path
        ) from None
    # The rename is only durable once the folder's entry is on disk.
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def set_console_setting(path: Path, key: str, value: str) -> Path:
    """Set ``key = value`` under ``[console]`` in the config file at *path*.

    Creates the file (0600, its folder 0700) and the ``[console]`` table when
    they are missing; leaves every other line, comment and value as it was.
    Returns the file actually written (the target when *path* is a symlink).
    Raises :class:`ConfigError`, one line naming the file, when the file
    cannot be read, parsed or written; the file is then unchanged.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    target = Path(os.path.realpath(path))
    where = str(path)
    text, mode = _read_text(target)
    try:
        document = tomlkit.parse(text) if text is not None else tomlkit.document()
    except TOMLKitError as exc:
        raise ConfigError(where, f"invalid TOML ({exc}); not changed", path=path) from None
    console = document.get("console")
    if console is None:
        console = tomlkit.table()
        document["console"] = console
    elif not isinstance(console, dict):
        raise ConfigError(where, "should be a table; not changed", key="console", path=path)
    console[key] = value
    _write_atomically(target, tomlkit.dumps(document), mode)
    return target
