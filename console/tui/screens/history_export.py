"""The history screen's export: the dialog (which format, which file), then the writing.

Apart from :mod:`console.tui.screens.history` so that module stays about
browsing. :func:`export_matching` asks with :class:`ExportDialog`, then
writes in a thread worker of the history screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from console.history import HistoryError
from console.text import one_line, visible
from console.tui.styles import stylesheet
from console.tui.widgets.fitting_footer import FittingFooter

if TYPE_CHECKING:
    from textual.screen import Screen

    from console.history import History, HistoryFilter

__all__ = [
    "ExportChoice",
    "ExportDialog",
    "ExportFormat",
    "default_export_path",
    "export_matching",
    "failure_line",
]

ExportFormat = Literal["csv", "json"]


def default_export_path(fmt: ExportFormat = "csv", now: datetime | None = None) -> str:
    """``~/cognito-console-history-YYYYmmdd-HHMMSS.<fmt>``, in local time."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"~/cognito-console-history-{stamp}.{fmt}"


@dataclass(frozen=True)
class ExportChoice:
    """What the export dialog was asked for."""

    fmt: ExportFormat
    path: Path


class ExportDialog(ModalScreen[ExportChoice | None]):
    """Asks for the export format and file; dismisses with a choice or None."""

    CSS_PATH = stylesheet("history.tcss")
    HELP_TITLE: ClassVar[str] = "History: export"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="history-export-cancel"),
        Binding("ctrl+s", "confirm", "Write file", id="history-export-confirm"),
    ]

    def __init__(self, matching: int | None) -> None:
        """*matching*: how many attempts the current filter matches, if known."""
        super().__init__()
        self._matching = matching

    def compose(self) -> ComposeResult:
        """A format choice, a path, and a line for problems."""
        count = "the" if self._matching is None else f"{self._matching:,}"
        with Vertical(id="export-dialog"):
            yield Label(Text(f"Export {count} matching attempts"), id="export-title")
            formats = [("CSV", "csv"), ("JSON", "json")]
            yield Select(formats, value="csv", allow_blank=False, id="export-format")
            yield Input(default_export_path("csv"), id="export-path")
            yield Static("", id="export-problem")
        yield FittingFooter()

    def on_mount(self) -> None:
        """Start in the path field."""
        self.query_one("#export-path", Input).focus()

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        # Keep the suffix in step with the format, unless the user typed their own.
        path_input = self.query_one("#export-path", Input)
        for old, new in ((".csv", ".json"), (".json", ".csv")):
            if path_input.value.endswith(old) and event.value == new[1:]:
                path_input.value = path_input.value[: -len(old)] + new

    @on(Input.Submitted, "#export-path")
    def _path_submitted(self) -> None:
        self.action_confirm()

    def action_confirm(self) -> None:
        """Dismiss with the format and the expanded path, if one was given."""
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self.query_one("#export-problem", Static).update(Text("Enter a file path."))
            return
        json_chosen = self.query_one("#export-format", Select).value == "json"
        fmt: ExportFormat = "json" if json_chosen else "csv"
        self.dismiss(ExportChoice(fmt, Path(raw).expanduser()))

    def action_cancel(self) -> None:
        """Dismiss without exporting."""
        self.dismiss(None)


def failure_line(exc: BaseException) -> str:
    """One line for the status bar or a notification, whatever went wrong."""
    if isinstance(exc, HistoryError):
        return str(exc)  # already one visible line
    return one_line(f"{type(exc).__name__}: {exc}", 200)


def export_matching(
    screen: Screen[Any], history: History, flt: HistoryFilter, matching: int | None
) -> None:
    """Ask for a format and file, then write the attempts *flt* matches there.

    *matching*: how many that is, if known. The file is written in a thread
    worker of *screen*.
    """
    app = screen.app

    def chosen(choice: ExportChoice | None) -> None:
        if choice is None:
            return

        # The result goes to the app, not to the screen: an operator who
        # leaves the screen while a big export runs still hears how it went.
        def export() -> None:
            try:
                count = history.export(choice.path, choice.fmt, flt)
            except Exception as exc:  # one line for the operator, never a crash
                app.call_from_thread(app.notify, failure_line(exc), severity="error", markup=False)
                return
            done = f"Exported {count:,} attempts to {visible(str(choice.path))}"
            app.call_from_thread(app.notify, done, markup=False)

        screen.run_worker(export, thread=True, group="history-export", exit_on_error=False)

    app.push_screen(ExportDialog(matching), chosen)
