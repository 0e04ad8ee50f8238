"""A hanging indent: a prefix, then text whose wrapped lines start under its first.

A ``Content`` wraps every line to the left edge: a log note's second line
began under its mark, a doctor's "fix:" under the check's mark. Here the
text is wrapped to the width left after the prefix, and each line after the
first is indented by the prefix's width.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

__all__ = ["Hanging", "Stacked", "hanging"]

MIN_TEXT_WIDTH = 8
"""The text keeps this many cells however long the prefix (a very narrow pane)."""


def hanging(prefix: Content, text: Content, width: int | None) -> Content:
    """*prefix* then *text* wrapped to *width* cells, its lines after the first under its
    first; *width* None: on one line, for whoever shows it to wrap."""
    if width is None:
        return prefix + text
    indent = prefix.cell_length
    lines = text.wrap(max(MIN_TEXT_WIDTH, width - indent)) or [Content("")]
    pad = Content(" " * indent)
    return Content("\n").join([prefix + lines[0], *(pad + line for line in lines[1:])])


class Hanging(Visual):
    """:func:`hanging` as a visual, wrapped at whatever width it is given."""

    def __init__(self, prefix: Content, text: Content) -> None:
        self.prefix = prefix
        self.text = text

    def _at(self, width: int, rules: RulesMap) -> Content:
        return hanging(self.prefix, self.text, width - 2 * int(rules.get("line_pad", 0)))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        """The wrapped lines, rendered as a Content of them would be."""
        return self._at(width, options.rules).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        """Prefix and text on one line."""
        return (self.prefix + self.text).get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        """The wrapped lines."""
        return self._at(width, rules).get_height(rules, width)


class Stacked(Visual):
    """Visuals one under another, each at the full width (each wraps on its own)."""

    def __init__(self, parts: Sequence[Visual] = ()) -> None:
        self._parts = list(parts)
        self._height: tuple[int, int] | None = None  # (width, height): measured once a width

    @property
    def parts(self) -> Sequence[Visual]:
        """The visuals, top to bottom."""
        return self._parts

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        """Each part rendered at the full width, one after the other."""
        strips: list[Strip] = []
        for part in self.parts:
            strips.extend(part.render_strips(width, None, style, options))
        return strips if height is None else strips[:height]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        """The widest part."""
        return max((p.get_optimal_width(rules, container_width) for p in self.parts), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        """The parts' heights added up."""
        if self._height is None or self._height[0] != width:
            self._height = (width, sum(part.get_height(rules, width) for part in self.parts))
        return self._height[1]
