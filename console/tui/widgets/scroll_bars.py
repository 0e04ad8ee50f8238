"""Sideways scroll bars drawn as a line of whole cells, seen with or without colour.

Textual draws a one-row bar's thumb as coloured blanks and ends it with a
partial block (▏▎▍…) for sub-cell smoothness. Where the theme's thumb colour
is close to the background (tmux at 256 colours), an operator saw only that
end: a lone "▎" under the preview at 80x24, and under the history, lookup
and batch tables. Here the thumb is a run of "━" in whole cells, on the
track's blank cells: a bar in any terminal, and nothing stray.
"""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment, Segments
from rich.style import Style
from textual.scrollbar import ScrollBarRender
from textual.widget import Widget

__all__ = ["THUMB", "WholeCellBars", "thumb_cells", "use_whole_cell_bars"]

THUMB = "━"
"""The glyph of each cell of a sideways bar's thumb."""
_BACK, _BAR = Color.parse("#555555"), Color.parse("bright_magenta")  # Textual's defaults


def thumb_cells(size: int, virtual_size: float, window_size: float, position: float) -> range:
    """The cells of a *size*-cell track the thumb covers: at least one, never past the end."""
    thumb = min(size, max(1, round(size * window_size / virtual_size)))
    scrollable = virtual_size - window_size
    ratio = min(1.0, max(0.0, position / scrollable)) if scrollable > 0 else 0.0
    start = round((size - thumb) * ratio)
    return range(start, start + thumb)


class WholeCellBars(ScrollBarRender):
    """Vertical bars as Textual draws them; sideways ones as a line of whole cells."""

    @classmethod
    def render_bar(
        cls,
        size: int = 25,
        virtual_size: float = 50,
        window_size: float = 20,
        position: float = 0,
        thickness: int = 1,
        vertical: bool = True,
        back_color: Color = _BACK,
        bar_color: Color = _BAR,
    ) -> Segments:
        """One bar's segments (see :class:`textual.scrollbar.ScrollBarRender`)."""
        if vertical or not (window_size and size and virtual_size and size != virtual_size):
            return super().render_bar(
                size,
                virtual_size,
                window_size,
                position,
                thickness,
                vertical,
                back_color,
                bar_color,
            )
        cells = thumb_cells(size, virtual_size, window_size, position)
        # The same mouse meta as Textual's: a click on the track pages, the thumb drags.
        before = Segment(" ", Style(bgcolor=back_color, meta={"@mouse.down": "scroll_up"}))
        after = Segment(" ", Style(bgcolor=back_color, meta={"@mouse.down": "scroll_down"}))
        thumb = Segment(
            THUMB, Style(color=bar_color, bgcolor=back_color, meta={"@mouse.down": "grab"})
        )
        line = [before] * cells.start + [thumb] * len(cells) + [after] * (size - cells.stop)
        return Segments([*line, Segment.line()] * thickness, new_lines=False)


def use_whole_cell_bars(widget: Widget) -> None:
    """Draw *widget*'s sideways scroll bar with :class:`WholeCellBars`."""
    # Textual's documented way for one widget's bar (ScrollBar.renderer's docstring);
    # its ClassVar annotation does not allow for it.
    widget.horizontal_scrollbar.renderer = WholeCellBars  # type: ignore[misc]
