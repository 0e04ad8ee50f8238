"""The request preview: the JSON payload a send would carry, SecretHash redacted."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from textual.app import ComposeResult
from textual.containers import ScrollableContainer
from textual.content import Content
from textual.widgets import Static

from console.text import visible
from console.tui.widgets.scroll_bars import use_whole_cell_bars

__all__ = ["RequestPreview", "preview_text"]


def preview_text(payload: Mapping[str, Any]) -> str:
    """The payload as indented JSON, with every unsafe character made visible.

    json.dumps already escapes C0 controls inside strings; ``visible`` catches
    the rest (C1, bidi overrides, zero-width characters) that it keeps raw
    with ``ensure_ascii=False``. Structural newlines stay.
    """
    return visible(json.dumps(payload, indent=2, ensure_ascii=False), keep_newlines=True)


class RequestPreview(ScrollableContainer):
    """Shows what will be sent, or why nothing can be sent yet."""

    def compose(self) -> ComposeResult:
        """One Static holding the JSON or the problems."""
        yield Static(Content(""), id="preview-body", markup=False)

    def on_mount(self) -> None:
        """Title the pane."""
        self.border_title = "Request preview"
        self.can_focus = True
        use_whole_cell_bars(self)

    @property
    def text(self) -> str:
        """What the preview shows, as plain text."""
        return str(self.query_one("#preview-body", Static).content)

    def _show(self, content: Content, state: str) -> None:
        self.query_one("#preview-body", Static).update(content)
        for each in ("ok", "invalid", "waiting"):
            self.set_class(each == state, f"-{each}")

    def show_payload(self, payload: Mapping[str, Any], *, notes: Sequence[str] = ()) -> None:
        """The request as it will go out."""
        text = preview_text(payload)
        if notes:
            text += "\n\n" + "\n".join(visible(note) for note in notes)
        self._show(Content(text), "ok")

    def show_problems(self, problems: Sequence[str]) -> None:
        """Why the form cannot be sent as it is (the same rules as under the fields)."""
        lines = ["Not sendable yet:"] + [f"  ✗ {visible(p)}" for p in problems]
        self._show(Content("\n".join(lines)), "invalid")

    def show_waiting(self, text: str) -> None:
        """No profile to build for yet (sandbox starting)."""
        self._show(Content(visible(text)), "waiting")
