"""The footer of every screen: a key label that does not fit goes whole, never cut.

Textual's footer lays its keys out in one row and clips what passes the
right edge, where the palette key (docked right) covers the rest: at 80
columns the main screen's ended in "f8 Lo▏^p palette", half a label. Here,
after every layout of the keys and every resize, the keys that do not fit
whole beside the palette key are hidden, from the first that does not fit
on; the help (F1) and the palette still list them.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Footer

__all__ = ["FittingFooter", "footer_width"]

PALETTE_CLASS = "-command-palette"
"""The class Textual gives the palette key (docked at the right edge)."""


def footer_width(widget: Widget, container: Size, viewport: Size) -> int:
    """The cells *widget* takes in the footer's row: its label, padding, border and margins."""
    styles = widget.styles
    content = widget.get_content_width(container, viewport)
    return content + styles.gutter.width + styles.margin.width


class FittingFooter(Footer):
    """A footer that shows only the keys it can show whole; the palette key always."""

    async def recompose(self) -> None:
        """Lay out the keys (the bindings changed), then hide those that do not fit."""
        await super().recompose()
        self.fit_keys()

    def on_resize(self) -> None:
        """The width changed: more or fewer keys fit."""
        self.fit_keys()

    def fit_keys(self) -> None:
        """Show the keys, in order, while each fits whole; hide that one and the rest."""
        width = self.size.width
        if width <= 0:
            return
        container, viewport = Size(width, 1), self.app.size
        children = list(self.children)
        palette = [child for child in children if child.has_class(PALETTE_CLASS)]
        used = sum(footer_width(child, container, viewport) for child in palette)
        fits = True
        for child in children:
            if child in palette:
                continue
            used += footer_width(child, container, viewport)
            # A trailing margin may pass the edge: it is blank, nothing of the label is cut.
            fits = fits and used - child.styles.margin.right <= width
            child.display = fits
