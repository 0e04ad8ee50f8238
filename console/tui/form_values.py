"""What the request form holds, as plain data, and the one way it becomes a request.

The form widgets hand out a :class:`FormValues` snapshot on the UI thread;
:meth:`FormValues.to_request` turns it into a validated
:class:`~console.cognito.request.ResendRequest` through ``build_request``.
The send worker calls it off the UI thread, because fetching the client secret
may run a command. Nothing here imports Textual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from console.cognito import RequestError, ResendRequest
    from console.config import Profile
    from console.history import AttemptRecord

__all__ = ["FormValues", "MetadataRow", "problems_by_field"]

# Stands in for a secret we do not fetch (preview, copied CLI line): it only
# tells build_request that the client has one. Never sent: the send path
# always resolves the real secret.
_UNRESOLVED_SECRET = "secret-not-fetched-for-preview"  # noqa: S105 - a marker, not a secret

_META_FIELD = re.compile(r"client_metadata\[(\d+)\]\.(key|value)")


@dataclass(frozen=True, slots=True)
class MetadataRow:
    """One ClientMetadata row of the form: a key, a value, and whether it is sent."""

    key: str
    value: str
    enabled: bool = True

    @property
    def blank(self) -> bool:
        """A row with neither key nor value: a row being typed, ignored until filled."""
        return self.key == "" and self.value == ""


@dataclass(frozen=True, slots=True)
class FormValues:
    """Everything typed into the form, exactly as typed (nothing stripped)."""

    username: str = ""
    metadata: tuple[MetadataRow, ...] = ()
    analytics_endpoint_id: str = ""
    client_id_override: str = ""
    ip_address: str = ""
    encoded_data: str = ""
    # Form row index of each metadata row that is sent, in order: build_request
    # numbers rows 1.. over these, and errors must find their way back.
    sent_rows: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        sent = tuple(
            index for index, row in enumerate(self.metadata) if row.enabled and not row.blank
        )
        object.__setattr__(self, "sent_rows", sent)

    def client_id(self, profile: Profile) -> str:
        """The override when one is typed, else the profile's client id."""
        return self.client_id_override or profile.client_id

    def to_request(
        self, profile_name: str, profile: Profile, *, resolve_secret: bool = True
    ) -> ResendRequest:
        """Validate and build the request for *profile*.

        With ``resolve_secret`` the profile's secret is fetched (it may run a
        command: call this off the UI thread) and raises
        :class:`~console.config.loading.ConfigError` when it cannot be had. Without it
        a confidential client gets a placeholder secret: good for the preview
        and the copied CLI line, never for sending. Raises
        :class:`~console.cognito.request.RequestError` naming each bad field.
        """
        # Imported here: the request model is pydantic, which the first frame does without.
        from pydantic import SecretStr

        from console.cognito import build_request

        if resolve_secret:
            secret = profile.resolve_secret(profile_name)
        elif profile.has_secret():
            secret = SecretStr(_UNRESOLVED_SECRET)
        else:
            secret = None
        rows = [(self.metadata[i].key, self.metadata[i].value) for i in self.sent_rows]
        return build_request(
            client_id=self.client_id(profile),
            username=self.username,
            client_metadata=rows,
            analytics_endpoint_id=self.analytics_endpoint_id,
            ip_address=self.ip_address,
            encoded_data=self.encoded_data,
            secret=secret,
        )

    @classmethod
    def from_record(cls, record: AttemptRecord, profile_name: str, profile: Profile) -> FormValues:
        """A past attempt put back into the form (history replay), ready to send again.

        Its client id comes back as an override only when it was sent under
        *profile_name* (the active profile), to its pool, and to another
        client than the profile's: an attempt of another profile, or of an
        earlier sandbox (another pool, other client ids), would otherwise
        carry a dead client id into every later send.
        """
        override = (
            record.profile == profile_name
            and record.user_pool_id == profile.user_pool_id
            and record.client_id != profile.client_id
        )
        return cls(
            username=record.username,
            metadata=tuple(MetadataRow(k, v) for k, v in record.client_metadata.items()),
            analytics_endpoint_id=record.analytics_endpoint_id or "",
            client_id_override=record.client_id if override else "",
        )

    def replay_note(self, record: AttemptRecord, profile: Profile) -> str:
        """The log line for *record* put back into the form as these values (what came back)."""
        from console.text import visible

        restored = ""
        if self.client_id_override:
            restored = f" with client id override {visible(self.client_id_override)}"
        elif record.client_id != profile.client_id:
            restored = f" (its client {visible(record.client_id)} not restored: profile's used)"
        return (
            f"attempt #{record.id} ({visible(record.username)}) put back into the form"
            f"{restored}; not sent"
        )


def problems_by_field(error: RequestError, values: FormValues) -> dict[str, list[str]]:
    """Each problem's rule under the form field it belongs to.

    Keys: ``username``, ``client_id``, ``analytics_endpoint_id``,
    ``ip_address``, ``encoded_data``, ``client_secret``, and ``meta:N`` for
    the form's metadata row N (0-based, counting disabled and blank rows).
    """
    found: dict[str, list[str]] = {}
    for problem in error.problems:
        name = problem.field
        match = _META_FIELD.fullmatch(name)
        if match is not None:
            position = int(match.group(1)) - 1
            if 0 <= position < len(values.sent_rows):
                name = f"meta:{values.sent_rows[position]}"
            rule = f"{match.group(2)} {problem.rule}"
        else:
            rule = problem.rule
        found.setdefault(name, []).append(rule)
    return found
