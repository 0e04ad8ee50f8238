"""The request form: username, ClientMetadata rows, analytics id, and the advanced fields.

The form never sends and never builds a request itself: it hands out a
:class:`~console.tui.form_values.FormValues` snapshot, whose ``to_request``
is the one way to a validated request. Problems come back as a mapping of
field name to rules and are shown under each field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Collapsible, Input, Label

from console.tui.form_values import FormValues, MetadataRow
from console.tui.widgets.field_error import FieldError
from console.tui.widgets.metadata_heading import MetadataHeading
from console.tui.widgets.metadata_rows import MetadataRows
from console.tui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from console.config import Profile

__all__ = ["RequestForm"]

# Field name (as problems_by_field names it) → (input id, error id).
_FIELDS: dict[str, tuple[str, str]] = {
    "username": ("username", "username-error"),
    "analytics_endpoint_id": ("analytics-id", "analytics-id-error"),
    "client_id": ("client-id", "client-id-error"),
    "ip_address": ("ip-address", "ip-address-error"),
    "encoded_data": ("encoded-data", "encoded-data-error"),
}
_ADVANCED_LABELS = {
    "client-id": "Client id",
    "ip-address": "UserContextData IpAddress",
    "encoded-data": "UserContextData EncodedData",
}
"""The Advanced section's inputs (mounted after "ready" at start-up), as labelled."""

_PASTED_SPACE = " \t\r\n"
"""What a paste brings around a name: trimmed. Other characters stay, to be seen."""


def _client_id_hint(profile: Profile | None) -> str:
    """The client id field's placeholder: the id a send uses when it is empty."""
    return f"profile's: {profile.client_id}" if profile is not None else "profile's client id"


class AdvancedSection(Collapsible):
    """The collapsible Advanced fields, which never scroll the focused field away.

    A Collapsible scrolls itself into view when toggled; toggled by ctrl+b
    with the focus in the username, that hid the username while it kept the
    focus. Here the focused field is what is kept in view.
    """

    def scroll_visible(self, *args: Any, **kwargs: Any) -> None:
        """Scroll the focused field into view if it is outside; else this section."""
        focused = self.screen.focused if self.is_mounted else None
        if focused is not None and self not in focused.ancestors_with_self:
            focused.scroll_visible(animate=False)
            return
        super().scroll_visible(*args, **kwargs)


class RequestForm(VerticalScroll):
    """The six request members as fields; Enter in the username sends."""

    class Edited(Message):
        """Something in the form changed: time to refresh the preview."""

    class SubmitRequested(Message):
        """Enter was pressed in the username field."""

    _advanced_later: bool

    def compose(self) -> ComposeResult:
        """Fields top to bottom, each with its error line."""
        yield Label("Username", classes="field-label")
        yield SafeInput(placeholder="username, alias or sub (exact)", id="username")
        yield FieldError(id="username-error")
        # The team's line first: it counts every console's sends (ours once uploaded).
        yield FieldError(id="username-team", classes="-note")
        yield FieldError(id="username-recent", classes="-note")
        yield MetadataHeading()
        yield MetadataRows(id="metadata")
        yield Label("Analytics endpoint id", classes="field-label")
        yield SafeInput(placeholder="AnalyticsMetadata.AnalyticsEndpointId", id="analytics-id")
        yield FieldError(id="analytics-id-error")
        if self._advanced_later:
            # Collapsed, its fields are not drawn: mount_advanced adds them
            # after the first frame (~5% of what building that frame costs).
            yield AdvancedSection(title="Advanced", id="advanced")
        else:
            yield AdvancedSection(*self._advanced_fields(), title="Advanced", id="advanced")
        yield FieldError(id="form-error")

    async def mount_advanced(self) -> None:
        """Add the Advanced section's fields, if composed without; before using the form."""
        if not self._advanced_later:
            return
        self._advanced_later = False
        contents = self.query_one("#advanced", Collapsible).query_one(Collapsible.Contents)
        await contents.mount_all(self._advanced_fields())

    def _advanced_fields(self) -> list[Widget]:
        return [
            Label("Client id override", classes="field-label"),
            SafeInput(placeholder=self._client_id_hint, id="client-id"),
            FieldError(id="client-id-error"),
            Label("UserContextData IpAddress", classes="field-label"),
            SafeInput(placeholder="e.g. 203.0.113.7", id="ip-address"),
            FieldError(id="ip-address-error"),
            Label("UserContextData EncodedData", classes="field-label"),
            SafeInput(id="encoded-data"),
            FieldError(id="encoded-data-error"),
        ]

    def __init__(self, *, advanced_later: bool = False, id: str | None = None) -> None:
        """With *advanced_later*, the Advanced fields wait for :meth:`mount_advanced`."""
        super().__init__(id=id)
        self._advanced_later = advanced_later
        self._client_id_hint = _client_id_hint(None)

    def on_mount(self) -> None:
        """Title the pane."""
        self.border_title = "Request"

    def _input(self, input_id: str) -> Input:
        return self.query_one(f"#{input_id}", Input)

    def _typed(self, input_id: str) -> str:
        """What *input_id* holds; an Advanced field not mounted yet holds nothing."""
        if self._advanced_later and input_id in _ADVANCED_LABELS:
            return ""
        return self._input(input_id).value

    @property
    def metadata(self) -> MetadataRows:
        """The ClientMetadata rows."""
        return self.query_one(MetadataRows)

    @property
    def username_input(self) -> Input:
        """The username field (focused at start)."""
        return self._input("username")

    def show_recent(self, note: str | None) -> None:
        """How many codes the user in the field got lately (from the history), or nothing."""
        self.query_one("#username-recent", FieldError).show_problems([note] if note else [])

    def show_team(self, note: str | None) -> None:
        """What the team sent the user in the field lately (``[team]``), or nothing."""
        self.query_one("#username-team", FieldError).show_problems([note] if note else [])

    def toggle_advanced(self) -> None:
        """Expand or collapse the advanced fields; the focused field stays in view."""
        section = self.query_one("#advanced", Collapsible)
        section.collapsed = not section.collapsed

    def select_username(self) -> None:
        """Focus the username with its text selected: the next keystroke replaces it
        (after a fill from history or lookup, and after every send)."""
        field = self._input("username")
        field.focus()
        field.select_all()

    def values(self) -> FormValues:
        """Everything typed, exactly as typed."""
        return FormValues(
            username=self._input("username").value,
            metadata=self.metadata.rows(),
            analytics_endpoint_id=self._input("analytics-id").value,
            client_id_override=self._typed("client-id"),
            ip_address=self._typed("ip-address"),
            encoded_data=self._typed("encoded-data"),
        )

    async def load(self, values: FormValues) -> None:
        """Fill the form (history replay); nothing is sent."""
        await self.mount_advanced()
        with self.prevent(Input.Changed):
            self._input("username").value = values.username
            self._input("analytics-id").value = values.analytics_endpoint_id
            self._input("client-id").value = values.client_id_override
            self._input("ip-address").value = values.ip_address
            self._input("encoded-data").value = values.encoded_data
        if values.client_id_override or values.ip_address or values.encoded_data:
            self.query_one("#advanced", Collapsible).collapsed = False
        await self.metadata.set_rows(values.metadata)
        self.post_message(self.Edited())

    async def apply_profile(self, profile: Profile | None) -> None:
        """Re-seed what comes from the profile: metadata defaults, analytics id, client id hint.

        The username and the advanced fields stay: switching profiles to try
        the same user elsewhere is the common case.
        """
        self._client_id_hint = _client_id_hint(profile)
        if not self._advanced_later:
            self._input("client-id").placeholder = self._client_id_hint
        with self.prevent(Input.Changed):
            analytics = profile.analytics_endpoint_id if profile is not None else None
            self._input("analytics-id").value = analytics or ""
        defaults = dict(profile.client_metadata) if profile is not None else {}
        await self.metadata.set_rows([MetadataRow(k, v) for k, v in defaults.items()])
        self.post_message(self.Edited())

    def show_problems(self, problems: Mapping[str, Sequence[str]]) -> None:
        """Show each field's problems under it; clear the rest."""
        general: list[str] = []
        for name, (input_id, error_id) in _FIELDS.items():
            if self._advanced_later and input_id in _ADVANCED_LABELS:
                # Not mounted yet, so empty: a problem here is the profile's own.
                label = _ADVANCED_LABELS[input_id]
                general += [f"{label} {rule}" for rule in problems.get(name, ())]
                continue
            self.query_one(f"#{error_id}", FieldError).show_problems(problems.get(name, ()))
        rows: dict[int, Sequence[str]] = {}
        for name, rules in problems.items():
            if name.startswith("meta:"):
                rows[int(name.removeprefix("meta:"))] = rules
        self.metadata.show_problems(rows)
        general += [f"client secret {rule}" for rule in problems.get("client_secret", ())]
        self.query_one("#form-error", FieldError).show_problems(general)
        if problems.get("client_id") or problems.get("ip_address") or problems.get("encoded_data"):
            # A problem hidden in a collapsed section would be a mystery.
            self.query_one("#advanced", Collapsible).collapsed = False

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        field = event.input
        if field.id == "username" and field.value != field.value.strip(_PASTED_SPACE):
            # A pasted name often brings a space or a line end along; no username
            # holds either at its ends. Trimmed, said once (this sets off Changed again).
            field.value = field.value.strip(_PASTED_SPACE)
            self.notify("spaces around the username removed (a username holds none)", markup=False)
            return
        self.post_message(self.Edited())

    @on(MetadataRows.Edited)
    def _rows_edited(self, event: MetadataRows.Edited) -> None:
        event.stop()
        self.post_message(self.Edited())

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "username":
            self.post_message(self.SubmitRequested())
        else:
            # Enter elsewhere moves on, as in a paper form; ctrl+j sends from anywhere.
            self.screen.focus_next()
