"""The sandbox's saved state (``--state-dir``): its ids, secret and users, kept across restarts.

An app's config written once (pool id, client ids, client secret) keeps
working after the sandbox restarts. The file holds a client secret and user
passwords, so it is written 0600 inside a 0700 folder, and a folder open to
other users is refused rather than used. A file that cannot be read, is not
JSON or is not a state file is refused with one line naming it
(:class:`StateError`); it is never replaced by a fresh state.

Writes are atomic (a temporary file in the same folder, then a rename): a
sandbox killed while saving leaves the previous state intact.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "STATE_FILE_NAME",
    "SavedClient",
    "SavedState",
    "SavedUser",
    "StateError",
    "StateStore",
]

STATE_FILE_NAME = "sandbox-state.json"
FORMAT_VERSION = 1


class StateError(ValueError):
    """The state folder or file cannot be used; ``str()`` is one line naming it."""


@dataclass(frozen=True, slots=True)
class SavedClient:
    """An app client as saved: its name, id and secret (None: no secret)."""

    name: str
    client_id: str
    client_secret: str | None


@dataclass(frozen=True, slots=True)
class SavedUser:
    """A user as saved: everything needed to recreate it in moto."""

    username: str
    status: str
    enabled: bool
    password: str | None
    attributes: dict[str, str]


@dataclass(frozen=True, slots=True)
class SavedState:
    """The demo pool as saved."""

    region: str
    user_pool_id: str
    pool_name: str
    clients: tuple[SavedClient, ...]
    users: tuple[SavedUser, ...]

    def to_json(self) -> dict[str, object]:
        """The file's content."""
        return {
            "version": FORMAT_VERSION,
            "region": self.region,
            "user_pool_id": self.user_pool_id,
            "pool_name": self.pool_name,
            "clients": [
                {"name": c.name, "client_id": c.client_id, "client_secret": c.client_secret}
                for c in self.clients
            ],
            "users": [
                {
                    "username": u.username,
                    "status": u.status,
                    "enabled": u.enabled,
                    "password": u.password,
                    "attributes": dict(u.attributes),
                }
                for u in self.users
            ],
        }


def _text(data: dict[str, Any], key: str, where: str, *, optional: bool = False) -> Any:
    value = data.get(key)
    if optional and value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ValueError(f"{where}{key} is missing or not text")
    return value


def _parse(data: object) -> SavedState:
    """Read the file's JSON; ValueError naming the first thing wrong."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    if data.get("version") != FORMAT_VERSION:
        raise ValueError(f"unknown format version (expected {FORMAT_VERSION})")
    clients_data, users_data = data.get("clients"), data.get("users")
    if not isinstance(clients_data, list) or not isinstance(users_data, list):
        raise ValueError("clients and users must be lists")
    clients: list[SavedClient] = []
    for index, item in enumerate(clients_data):
        where = f"clients[{index}]."
        if not isinstance(item, dict):
            raise ValueError(f"clients[{index}] is not an object")
        clients.append(
            SavedClient(
                _text(item, "name", where),
                _text(item, "client_id", where),
                _text(item, "client_secret", where, optional=True),
            )
        )
    users: list[SavedUser] = []
    for index, item in enumerate(users_data):
        where = f"users[{index}]."
        if not isinstance(item, dict):
            raise ValueError(f"users[{index}] is not an object")
        attributes = item.get("attributes")
        if not isinstance(attributes, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in attributes.items()
        ):
            raise ValueError(f"{where}attributes must map text to text")
        if not isinstance(item.get("enabled"), bool):
            raise ValueError(f"{where}enabled must be true or false")
        users.append(
            SavedUser(
                _text(item, "username", where),
                _text(item, "status", where),
                bool(item["enabled"]),
                _text(item, "password", where, optional=True),
                dict(attributes),
            )
        )
    return SavedState(
        region=_text(data, "region", ""),
        user_pool_id=_text(data, "user_pool_id", ""),
        pool_name=_text(data, "pool_name", ""),
        clients=tuple(clients),
        users=tuple(users),
    )


class StateStore:
    """One state folder: checks it, reads and writes its state file."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.path = self.folder / STATE_FILE_NAME

    def prepare(self) -> None:
        """Create the folder (0700) if missing; StateError if it is not a private folder."""
        try:
            if not self.folder.exists():
                self.folder.mkdir(mode=0o700, parents=True)
            info = self.folder.stat()
        except OSError as exc:
            raise StateError(
                f"cannot use state folder {self.folder}: {exc.strerror or exc}"
            ) from None
        if not stat.S_ISDIR(info.st_mode):
            raise StateError(f"state folder {self.folder} is not a folder")
        if info.st_mode & 0o077:
            raise StateError(
                f"state folder {self.folder} is open to other users "
                f"(mode {stat.S_IMODE(info.st_mode):04o}); it will hold a client secret: "
                f"chmod 700 it or choose a new folder"
            )

    def load(self) -> SavedState | None:
        """The saved state, or None when there is none yet; StateError if it is unusable."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StateError(
                f"cannot read sandbox state {self.path}: {exc.strerror or exc}"
            ) from None
        try:
            return _parse(json.loads(raw))
        except (ValueError, UnicodeDecodeError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise StateError(f"damaged sandbox state {self.path}: {reason}") from None

    def save(self, state: SavedState) -> None:
        """Write *state* atomically, 0600; StateError if it cannot be written."""
        temporary = self.path.with_name(f".{STATE_FILE_NAME}.{os.getpid()}.tmp")
        data = json.dumps(state.to_json(), indent=2, sort_keys=True).encode("utf-8")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(fd, 0o600)  # O_CREAT's mode does not apply to a leftover file
            with os.fdopen(fd, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            temporary.replace(self.path)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise StateError(
                f"cannot write sandbox state {self.path}: {exc.strerror or exc}"
            ) from None
