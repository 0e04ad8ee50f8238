"""What the request preview and the inline field errors show for a form, as plain data.

Computed on the UI thread on every (debounced) edit, so it must stay cheap:
a secret from ``client_secret_command`` is not fetched here (running a
password manager per keystroke would be slow and noisy); the preview says
the SecretHash is computed when sending. Nothing here imports Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from console.cognito import RequestError
from console.tui.form_values import FormValues, problems_by_field

if TYPE_CHECKING:
    from console.config import Profile

__all__ = ["SECRET_HASH_LATER", "PreviewState", "compute_preview"]

SECRET_HASH_LATER = "computed when sending"  # noqa: S105 - shown instead of the hash


@dataclass(frozen=True, slots=True)
class PreviewState:
    """Either a payload to show, or problems (per field, and as preview lines)."""

    payload: dict[str, Any] | None = None
    field_problems: dict[str, list[str]] = field(default_factory=dict)
    lines: tuple[str, ...] = ()


def compute_preview(
    values: FormValues, name: str, profile: Profile, *, sent_once: bool
) -> PreviewState:
    """Validate *values* for *profile*: the redacted payload, or what is wrong.

    Before the first send an empty username is not reported: "username is
    required" on an untouched form is noise.
    """
    from console.config import ConfigError

    later = profile.client_secret_command is not None
    try:
        request = values.to_request(name, profile, resolve_secret=not later)
    except RequestError as exc:
        quiet = not sent_once and values.username == ""
        problems = problems_by_field(exc, values)
        if quiet:
            problems.pop("username", None)
        lines = tuple(str(p) for p in exc.problems if not (quiet and p.field == "username"))
        return PreviewState(field_problems=problems, lines=lines or ("type a username",))
    except ConfigError as exc:
        return PreviewState(lines=(f"client secret: {exc}",))
    payload = request.to_preview()
    if later:
        payload["SecretHash"] = SECRET_HASH_LATER
    return PreviewState(payload=payload)
