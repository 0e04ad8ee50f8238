"""The ClientMetadata label with its keys, and the line shown while there are no rows.

Both name the keys in effect: a ``[console.keymap]`` that moves ``add-meta-row``
to ctrl+a makes them say ctrl+a (they are drawn again when the bindings
change). The label is never cut: at 80 columns the one-line form ended in
"ctrl+t on/of"; where it does not fit, the keys go on the lines below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Label, Static

__all__ = ["EmptyHint", "MetadataHeading", "heading_lines", "key_hints"]

_HEADING = "ClientMetadata"
_HINTS = (
    ("add-meta-row", "ctrl+n", "add"),
    ("toggle-meta-row", "ctrl+t", "on/off"),
    ("delete-meta-row", "ctrl+r", "remove"),
)
"""Binding id, its default key, what it does to a row."""


def _key(keymap: Mapping[str, str], binding_id: str, default: str) -> str:
    return keymap.get(binding_id, default).split(",")[0].strip() or default


def key_hints(keymap: Mapping[str, str]) -> tuple[str, ...]:
    """``ctrl+n add``, ``ctrl+t on/off``, ``ctrl+r remove``, with *keymap*'s keys if set."""
    return tuple(f"{_key(keymap, i, default)} {what}" for i, default, what in _HINTS)


def heading_lines(width: int, hints: Sequence[str] = key_hints({})) -> list[str]:
    """The ClientMetadata label and its keys in *width* cells: one line where it fits,
    else the keys under it, as many to a line as fit (a key's hint is never split)."""
    one_line = f"{_HEADING}  ({' · '.join(hints)})"
    if len(one_line) <= width:
        return [one_line]
    lines, current = [_HEADING], ""
    for hint in hints:
        joined = f"{current} · {hint}" if current else hint
        if current and len(joined) > width:
            lines.append(current)
            joined = hint
        current = joined
    return [*lines, current]


# A mixin: typed as a Widget, a plain class at run time (as a Widget base it would
# come between Label and its subclass and change which DEFAULT_CSS wins).
if TYPE_CHECKING:
    _Base = Widget
else:
    _Base = object


class _FollowsKeymap(_Base):
    """A widget naming keys: drawn again when the screen's bindings change (a keymap)."""

    def on_mount(self) -> None:
        """Follow the bindings, as Textual's footer does."""
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        """Stop following them."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Any) -> None:
        self.refresh(layout=True)

    @property
    def keymap(self) -> Mapping[str, str]:
        """The keymap in effect (binding id to keys)."""
        return self.app._keymap


class MetadataHeading(_FollowsKeymap, Label):
    """The ClientMetadata label with its keys, never cut."""

    DEFAULT_CSS = """
    MetadataHeading {
        width: 1fr;
    }
    """

    def render(self) -> Content:
        """The lines for the width the layout gave."""
        width = self.content_region.width
        return Content("\n".join(heading_lines(width, key_hints(self.keymap))))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many rows as :func:`heading_lines` needs at *width*."""
        return len(heading_lines(width, key_hints(self.keymap)))


class EmptyHint(_FollowsKeymap, Static):
    """ "no ClientMetadata: ctrl+n adds a row", with the key in effect."""

    def render(self) -> Content:
        """The line."""
        return Content(f"no ClientMetadata: {_key(self.keymap, *_HINTS[0][:2])} adds a row")
