"""What a running sandbox tells its callers: where it listens and what it seeded."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SandboxClient", "SandboxInfo"]


@dataclass(frozen=True, slots=True)
class SandboxClient:
    """One app client of the sandbox's demo pool."""

    name: str
    client_id: str
    client_secret: str | None


@dataclass(frozen=True, slots=True)
class SandboxInfo:
    """Where the sandbox listens and what it seeded: the ready line's content."""

    endpoint_url: str
    region: str
    user_pool_id: str
    clients: tuple[SandboxClient, ...]
    users: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """The ready line's object (``client_secret`` only for clients that have one)."""
        clients: list[dict[str, str]] = []
        for client in self.clients:
            entry = {"name": client.name, "client_id": client.client_id}
            if client.client_secret is not None:
                entry["client_secret"] = client.client_secret
            clients.append(entry)
        return {
            "endpoint_url": self.endpoint_url,
            "region": self.region,
            "user_pool_id": self.user_pool_id,
            "clients": clients,
            "users": list(self.users),
        }

    def client(self, name: str) -> SandboxClient:
        """The app client called *name* (``public`` or ``confidential``); KeyError if none."""
        for client in self.clients:
            if client.name == name:
                return client
        raise KeyError(f"no app client named {name!r}")
