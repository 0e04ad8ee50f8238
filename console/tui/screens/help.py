"""The key reference: every binding of the app and its screens, as they are right now.

Bindings are overridable by id (``App.set_keymap``, from the user's config),
so the keys come from the live binding maps with the app's keymap applied, the
way Textual resolves them, and are shown with ``App.get_key_display``. A key
a user mapped in a config file is untrusted text and is shown through
:func:`console.text.visible`.

Grouped by where a binding applies: everywhere (the app, and what every screen
inherits), then each screen open below this one (with our widgets on it), then
the screens that are not open. Textual's own widget bindings (an Input's cursor
keys, a table's arrows) are left out: they behave the same in every app.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from console.text import visible
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.history import ExportDialog, HistoryScreen
from console.tui.screens.outbox import OutboxScreen
from console.tui.styles import stylesheet
from console.tui.widgets.fitting_footer import FittingFooter

__all__ = ["HelpGroup", "HelpRow", "HelpScreen", "collect_help"]


@dataclass(frozen=True)
class HelpRow:
    """One action and every key that runs it."""

    keys: tuple[str, ...]
    description: str
    binding_id: str | None


@dataclass(frozen=True)
class HelpGroup:
    """The bindings that apply in one place."""

    title: str
    rows: tuple[HelpRow, ...]


def _textual_base(cls: type[DOMNode]) -> type[DOMNode] | None:
    """The nearest class of Textual's own that *cls* derives from (itself included)."""
    for base in cls.__mro__:
        if base.__module__.startswith("textual.") and issubclass(base, DOMNode):
            return base
    return None


def _own_bindings(cls: type[DOMNode], merged: BindingsMap) -> BindingsMap:
    """The bindings of *merged* that *cls* or our classes added, not those Textual's base has.

    Compared before the keymap is applied (a remapped binding is a new object).
    """
    base = _textual_base(cls)
    inherited = list(base._merged_bindings or BindingsMap()) if base else []
    kept = BindingsMap()
    for key, binding in merged:
        if (key, binding) not in inherited:
            kept.key_to_bindings.setdefault(key, []).append(binding)
    return kept


def _rows(app: App[Any], bindings: BindingsMap) -> tuple[HelpRow, ...]:
    """Rows of one group, keys in effect (keymap applied), one row per action."""
    effective = bindings.copy()
    if app._keymap:
        # apply_keymap edits the map in place: hence the copy above.
        effective.apply_keymap(app._keymap)
    keys: dict[tuple[str, str, str | None], list[str]] = {}
    for _key, binding in effective:
        if binding.system:
            continue  # Textual's key panel hides these too (e.g. ctrl+c "did you mean quit")
        description = binding.description or binding.tooltip or binding.action
        shown = keys.setdefault((binding.action, description, binding.id), [])
        display = app.get_key_display(binding)
        if display not in shown:
            shown.append(display)
    return tuple(
        HelpRow(tuple(shown), description, binding_id)
        for (_action, description, binding_id), shown in keys.items()
    )


def _title(cls: type[DOMNode], default: str | None = None) -> str:
    """``HELP_TITLE``, else *default*, else the class name in words (``Metadata rows``)."""
    title = getattr(cls, "HELP_TITLE", None) or default
    if title:
        return str(title)
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", cls.__name__) or [cls.__name__]
    return " ".join([words[0], *(word.lower() for word in words[1:])])


def collect_help(
    app: App[Any], below: Sequence[Screen[Any]], screens: Iterable[type[Screen[Any]]]
) -> list[HelpGroup]:
    """The help groups: everywhere, each open screen (top first) with its widgets, the rest.

    *below* is the screen stack under the help screen, bottom first; *screens*
    are screen classes that may not be open, listed from their class bindings.
    """
    everywhere = BindingsMap.merge([app._bindings, Screen._merged_bindings or BindingsMap()])
    groups = [HelpGroup("Everywhere", _rows(app, everywhere))]
    seen: set[type[DOMNode]] = set()
    for depth, screen in reversed(list(enumerate(below))):
        screen_type = type(screen)
        seen.add(screen_type)
        title = _title(screen_type, "Main screen" if depth == 0 else None)
        groups.append(HelpGroup(title, _rows(app, _own_bindings(screen_type, screen._bindings))))
        for widget in screen.walk_children(with_self=False):
            widget_type = type(widget)
            if widget_type in seen:
                continue
            seen.add(widget_type)
            own = _own_bindings(widget_type, widget._bindings)
            if own.key_to_bindings:
                groups.append(HelpGroup(f"{title}: {_title(widget_type)}", _rows(app, own)))
    for screen_type in screens:
        if screen_type not in seen:
            seen.add(screen_type)
            merged = screen_type._merged_bindings or BindingsMap()
            groups.append(
                HelpGroup(_title(screen_type), _rows(app, _own_bindings(screen_type, merged)))
            )
    return [group for group in groups if group.rows]


def render_help(groups: Iterable[HelpGroup]) -> RenderableType:
    """One table per group, the same column widths throughout.

    A binding id is what a keymap names: it is never cut (at 80 columns
    "history-export-cancel" showed as "history-export-can…"); the action wraps.
    """
    groups = list(groups)
    ids = max((len(row.binding_id or "") for g in groups for row in g.rows), default=0)
    tables: list[RenderableType] = []
    for group in groups:
        table = Table(
            title=Text(visible(group.title), style="bold"),
            title_justify="left",
            expand=True,
            show_edge=False,
            box=None,
            padding=(0, 1),
        )
        table.add_column("Key", width=18, style="bold cyan", no_wrap=True)
        table.add_column("Action", ratio=3)
        table.add_column("Binding id", width=max(ids, 10), style="dim", no_wrap=True)
        for row in group.rows:
            table.add_row(
                Text(visible(", ".join(row.keys))),
                Text(visible(row.description)),
                Text(visible(row.binding_id or "")),
            )
        tables.append(table)
        tables.append(Text(""))
    return Group(*tables)


class HelpScreen(ModalScreen[None]):
    """Every key binding of the app, grouped by where it applies. Escape closes."""

    CSS_PATH = stylesheet("help.tcss")
    HELP_TITLE: ClassVar[str] = "Help"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="help-close"),
    ]
    DEFAULT_SCREENS: ClassVar[tuple[type[Screen[Any]], ...]] = (
        HistoryScreen,
        ExportDialog,
        OutboxScreen,
        DashboardScreen,
    )
    """Our screens listed even when they are not open."""

    def __init__(self, *, screens: Sequence[type[Screen[Any]]] | None = None) -> None:
        """*screens*: screen classes to list besides the open ones (default: ours)."""
        super().__init__()
        self._screens = tuple(self.DEFAULT_SCREENS if screens is None else screens)
        self.groups: list[HelpGroup] = []

    def compose(self) -> ComposeResult:
        """A scrollable reference inside a frame."""
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            yield Static("", id="help-text")
        yield FittingFooter()

    def on_mount(self) -> None:
        """Collect the bindings now, as the screens below and the keymap stand."""
        below = [screen for screen in self.app.screen_stack if screen is not self]
        self.groups = collect_help(self.app, below, (*self._screens, type(self)))
        self.query_one("#help-text", Static).update(render_help(self.groups))
        self.query_one("#help-body", VerticalScroll).focus()

    def action_close(self) -> None:
        """Back to where help was opened."""
        self.dismiss(None)
