"""The top line of a screen: its name in bold, then what it is about or how it stands.

Every full screen opens with one (``History · 3 matching · 3 loaded``), so an
operator three screens deep knows where the keys go. The name stays when the
rest of the line changes: a status or an error replaces only what follows it.
The rest is untrusted text: it is shown as given, never parsed as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widgets import Static

__all__ = ["TitleLine"]

_SEPARATOR = " · "


class TitleLine(Static):
    """*title* in bold, then the line given to :meth:`show` (escaped by its caller)."""

    DEFAULT_CSS = """
    TitleLine {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(
        self,
        title: str,
        status: Content | Text | str = "",
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """*title*: the screen's name, as the help screen names it; *status*: the rest."""
        super().__init__(id=id, classes=classes, markup=False)
        self.title_text = title
        self.status: Content = Content("")
        self.show(status)

    def show(self, status: Content | Text | str) -> None:
        """Replace what follows the title."""
        if isinstance(status, Text):
            status = Content.from_rich_text(status)
        elif isinstance(status, str):
            status = Content(status)
        self.status = status
        title = Content.styled(self.title_text, "bold $text")
        self.update(Content.assemble(title, _SEPARATOR, status) if status.plain else title)

    @property
    def status_text(self) -> str:
        """What follows the title, as plain text."""
        return self.status.plain
