"""A pane of "Label        value" lines whose long values wrap under the value.

The outbox's detail panes are rich ``Text`` built line by line, each field a
bold label padded to :data:`LABEL_WIDTH` cells, then its value. Shown as one
text, a long value (a trigger's error, an address) wrapped back to the left
edge, under the labels. Here each such line hangs under its value, and an
indented line (a log line, a metadata pair) under its own indent. The pane's
``content`` stays the ``Text`` it was given.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual.content import Content
from textual.visual import Visual
from textual.widgets import Static

from console.tui.widgets.hanging import Hanging, Stacked

__all__ = ["LABEL_STYLE", "LABEL_WIDTH", "LabelledText", "line_visual"]

LABEL_WIDTH = 13
"""Cells a label takes, its padding included (the longest, "Written by", and two)."""
LABEL_STYLE = "bold"
"""How a label is drawn: a line whose first :data:`LABEL_WIDTH` cells are so is a field."""


def _is_label(line: Text) -> bool:
    return any(
        span.start == 0 and span.end == LABEL_WIDTH and str(span.style) == LABEL_STYLE
        for span in line.spans
    )


def line_visual(line: Text) -> Visual:
    """One line of the pane: a field hangs under its value, an indented line under its
    indent, any other line wraps as usual."""
    indent = LABEL_WIDTH if _is_label(line) else len(line.plain) - len(line.plain.lstrip(" "))
    if 0 < indent < len(line.plain):
        return Hanging(Content.from_rich_text(line[:indent]), Content.from_rich_text(line[indent:]))
    return Content.from_rich_text(line)


class LabelledText(Static):
    """A Static for such a ``Text``; anything else it shows as a Static does."""

    def render(self) -> RenderResult:
        """The text's lines, each wrapping on its own."""
        text = self.content
        if not isinstance(text, Text):
            return super().render()
        return Stacked([line_visual(line) for line in text.split("\n")])
