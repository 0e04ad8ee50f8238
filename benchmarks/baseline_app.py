"""The floor for figure 1: a minimal Textual app with an Input, a DataTable and a RichLog.

Its Input has the same placeholder as cognito-console's username field, so
both are timed until the same text is on screen.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input, RichLog

PLACEHOLDER = "username, alias or sub (exact)"


class BaselineApp(App[None]):
    """An Input (focused), a DataTable and a RichLog; Ctrl+Q quits."""

    def compose(self) -> ComposeResult:
        yield Input(placeholder=PLACEHOLDER, id="username")
        yield DataTable()
        yield RichLog()

    def on_mount(self) -> None:
        self.query_one(Input).focus()


if __name__ == "__main__":
    BaselineApp().run()
