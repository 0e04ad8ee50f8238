"""ClientMetadata as editable key/value rows: add, edit, remove and switch off, by keyboard.

Each row is a key Input and a value Input; typing edits in place (Input values
are never parsed as markup). Keys: ctrl+n adds a row (bound on the screen, so
it works from anywhere), ctrl+t switches the focused row on/off, ctrl+r
removes it, up/down move between rows. A row that is off stays in the form
but is not sent; a blank row is ignored until something is typed in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from console.tui.form_values import MetadataRow
from console.tui.widgets.field_error import FieldError
from console.tui.widgets.metadata_heading import EmptyHint
from console.tui.widgets.safe_input import SafeInput

__all__ = ["MetadataRowWidget", "MetadataRows"]


class MetadataRowWidget(Vertical):
    """One key/value row with its on/off mark and its error line."""

    def __init__(self, key: str = "", value: str = "", *, enabled: bool = True) -> None:
        super().__init__(classes="meta-row")
        # Inputs are built here, not in compose, so values() can read a row
        # the moment it is mounted.
        self.key_input = SafeInput(
            key, placeholder="key", classes="meta-key", select_on_focus=False
        )
        self.value_input = SafeInput(
            value, placeholder="value", classes="meta-value", select_on_focus=False
        )
        self.error = FieldError(classes="meta-error")
        self.enabled = enabled

    def compose(self) -> ComposeResult:
        """Mark, key and value on one line; the error line under them."""
        with Horizontal(classes="meta-line"):
            yield Static(Content(self._mark_text()), classes="meta-mark", markup=False)
            yield self.key_input
            yield self.value_input
        yield self.error

    def on_mount(self) -> None:
        """Style the row as on or off."""
        self.set_class(not self.enabled, "-off")

    def _mark_text(self) -> str:
        return "on " if self.enabled else "off"

    def set_enabled(self, enabled: bool) -> None:
        """Switch the row on (sent) or off (kept, not sent)."""
        self.enabled = enabled
        self.set_class(not enabled, "-off")
        if self.is_mounted:
            self.query_one(".meta-mark", Static).update(Content(self._mark_text()))

    def data(self) -> MetadataRow:
        """The row as typed."""
        return MetadataRow(self.key_input.value, self.value_input.value, self.enabled)


class MetadataRows(Vertical):
    """The ClientMetadata rows, in order."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "toggle_row", "Row on/off", id="toggle-meta-row"),
        Binding("ctrl+r", "delete_row", "Remove row", id="delete-meta-row"),
        Binding("up", "move(-1)", "Row up", show=False, id="meta-row-up"),
        Binding("down", "move(1)", "Row down", show=False, id="meta-row-down"),
    ]

    class Edited(Message):
        """Rows were added, removed or switched on/off (typing posts Input.Changed)."""

    def compose(self) -> ComposeResult:
        """The hint shown while there are no rows."""
        yield EmptyHint(classes="meta-empty")

    @property
    def row_widgets(self) -> list[MetadataRowWidget]:
        """The rows, top to bottom."""
        return list(self.query_children(MetadataRowWidget))

    def rows(self) -> tuple[MetadataRow, ...]:
        """Every row as typed, top to bottom, on or off."""
        return tuple(row.data() for row in self.row_widgets)

    def _sync_empty(self) -> None:
        self.set_class(not self.row_widgets, "-empty")

    async def add_row(
        self, key: str = "", value: str = "", *, enabled: bool = True, focus: bool = True
    ) -> MetadataRowWidget:
        """Append a row; focus its key when *focus*.

        Returns once the row is mounted and focused: keys typed right after
        ctrl+n wait for it and land in the new row, not in the field before.
        """
        row = MetadataRowWidget(key, value, enabled=enabled)
        await self.mount(row)
        self._sync_empty()
        if focus:
            # Now, not as focus() does (after the messages already queued: the keys).
            self.screen.set_focus(row.key_input)
            # Just mounted, the row had no place on screen for set_focus to scroll to:
            # at 80x24 the new row stayed under the form's bottom edge.
            self.call_after_refresh(row.key_input.scroll_visible, animate=False)
        self.post_message(self.Edited())
        return row

    async def set_rows(self, rows: Iterable[MetadataRow] | Mapping[str, str]) -> None:
        """Replace every row (profile defaults, a history replay)."""
        items = [MetadataRow(k, v) for k, v in rows.items()] if isinstance(rows, Mapping) else rows
        await self.remove_children(MetadataRowWidget)
        widgets = [MetadataRowWidget(r.key, r.value, enabled=r.enabled) for r in items]
        if widgets:
            await self.mount_all(widgets)
        self._sync_empty()
        self.post_message(self.Edited())

    def current_row(self) -> MetadataRowWidget | None:
        """The row holding the focus, if any."""
        focused: Widget | None = self.screen.focused
        while focused is not None and focused is not self:
            if isinstance(focused, MetadataRowWidget):
                return focused
            parent = focused.parent
            focused = parent if isinstance(parent, Widget) else None
        return None

    def action_toggle_row(self) -> None:
        """Switch the focused row on or off."""
        row = self.current_row()
        if row is not None:
            row.set_enabled(not row.enabled)
            self.post_message(self.Edited())

    async def action_delete_row(self) -> None:
        """Remove the focused row and focus its neighbour (or the add hint's field)."""
        row = self.current_row()
        if row is None:
            return
        rows = self.row_widgets
        index = rows.index(row)
        on_value = row.value_input.has_focus
        await row.remove()
        self._sync_empty()
        rest = self.row_widgets
        if rest:
            neighbour = rest[min(index, len(rest) - 1)]
            (neighbour.value_input if on_value else neighbour.key_input).focus()
        else:
            self.screen.focus_next()
        self.post_message(self.Edited())

    def action_move(self, step: int) -> None:
        """Move the focus to the same column of the row above or below."""
        row = self.current_row()
        if row is None:
            return
        rows = self.row_widgets
        target = rows.index(row) + step
        if 0 <= target < len(rows):
            on_value = row.value_input.has_focus
            (rows[target].value_input if on_value else rows[target].key_input).focus()

    def show_problems(self, problems: Mapping[int, Sequence[str]]) -> None:
        """Show each row's problems (by 0-based row index) under that row."""
        for index, row in enumerate(self.row_widgets):
            row.error.show_problems(problems.get(index, ()))
