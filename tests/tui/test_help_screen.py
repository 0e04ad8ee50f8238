"""The key reference: every binding, grouped, with the keys a keymap put in effect."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from console.tui.screens.help import HelpGroup, HelpScreen


class Form(Static, can_focus=True):
    """A widget of ours with its own binding (the real form has several)."""

    HELP_TITLE = "Resend form"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "add_row", "Add metadata row", id="form-add-row"),
    ]

    def action_add_row(self) -> None:
        pass


class Main(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+enter,ctrl+j", "send", "Send", id="main-send"),
        Binding("ctrl+y", "history", "History", id="main-history"),
    ]

    def compose(self) -> ComposeResult:
        yield Input(id="username")
        yield Form("form")
        yield Footer()


class Host(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "help", "Keys", id="app-help"),
        Binding("ctrl+t", "toggle_dark", "Theme [b]bold[/b]", id="app-theme"),
    ]

    def on_mount(self) -> None:
        self.push_screen(Main())

    def action_help(self) -> None:
        self.push_screen(HelpScreen())


def shown(app: App[None], *keys: str) -> tuple[str, ...]:
    """How the app displays *keys* (Textual draws some as symbols, e.g. enter as ⏎)."""
    return tuple(app.get_key_display(Binding(key, "")) for key in keys)


def group(screen: HelpScreen, title: str) -> HelpGroup:
    return next(g for g in screen.groups if g.title == title)


def keys_of(screen: HelpScreen, binding_id: str) -> tuple[str, ...]:
    for g in screen.groups:
        for row in g.rows:
            if row.binding_id == binding_id:
                return row.keys
    raise AssertionError(f"{binding_id} not listed")


async def open_help(pilot: Pilot[None]) -> HelpScreen:
    await pilot.pause()
    await pilot.press("f1")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, HelpScreen)
    return screen


async def test_lists_every_group_with_keys_descriptions_and_ids() -> None:
    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_help(pilot)
        titles = [g.title for g in screen.groups]
        assert titles[:3] == ["Everywhere", "Main", "Main: Resend form"]
        assert {"History", "History: export", "Sandbox outbox", "Help"} <= set(titles)
        assert "Main screen" not in titles  # the host's bottom screen is the default one: no keys

        everywhere = {row.binding_id: row for row in group(screen, "Everywhere").rows}
        assert everywhere["app-help"].keys == shown(app, "question_mark", "f1") == ("?", "f1")
        assert everywhere["app-help"].description == "Keys"
        descriptions = {row.description for row in group(screen, "Everywhere").rows}
        assert {"Quit", "Focus Next"} <= descriptions  # Textual's app and screen defaults
        assert "help_quit" not in descriptions  # system bindings stay hidden, as in Textual

        main = {row.binding_id: row.keys for row in group(screen, "Main").rows}
        assert main == {
            "main-send": shown(app, "ctrl+enter", "ctrl+j"),
            "main-history": ("^y",),
        }
        assert keys_of(screen, "form-add-row") == ("^n",)
        assert keys_of(screen, "history-replay") == shown(app, "enter")
        assert keys_of(screen, "history-export") == ("^s",)
        assert keys_of(screen, "outbox-refresh") == ("r",)
        assert keys_of(screen, "help-close") == shown(app, "escape")

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Main)


async def test_keys_follow_the_keymap() -> None:
    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        app.set_keymap({"main-history": "ctrl+g", "history-export": "f5", "app-help": "f2"})
        await pilot.pause()
        await pilot.press("f2")  # the remapped key opens help
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        assert keys_of(screen, "main-history") == ("^g",)
        assert keys_of(screen, "history-export") == ("f5",)
        assert keys_of(screen, "app-help") == ("f2",)


async def test_untrusted_keymap_text_shows_literally() -> None:
    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        # A keymap comes from the user's config file: markup-like text is just text.
        app.set_keymap({"main-history": "[@click=app.quit]x[/]"})
        screen = await open_help(pilot)
        assert keys_of(screen, "main-history") == ("[@click=app.quit]x[/]",)
        descriptions = {row.description for row in group(screen, "Everywhere").rows}
        assert "Theme [b]bold[/b]" in descriptions
        await pilot.press("pagedown")  # rendering the rest does not trip over it either
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, HelpScreen)


def test_help_snapshot(snap_compare: Callable[..., bool]) -> None:
    async def open_it(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(Host(), terminal_size=(120, 40), run_before=open_it)
