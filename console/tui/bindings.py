"""Every main-screen action: its binding id, default key, footer label and palette help.

One table feeds the main screen's BINDINGS, the command palette and the
README: a key is never bound without a palette entry, and ``[console.keymap]``
in the config remaps any of them by id (``send = "ctrl+s"``).

Keys avoid ctrl+h, ctrl+i and ctrl+m (terminals send Backspace, Tab and
Enter for them) and ctrl+p (Textual's command palette).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

__all__ = ["ACTIONS", "ActionSpec", "screen_bindings"]


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One action of the main screen."""

    id: str
    """Binding id: the name ``[console.keymap]`` uses."""
    keys: str
    """Default keys, comma-separated."""
    action: str
    """App action name (``send`` runs ``App.action_send``)."""
    label: str
    """Footer label and palette title."""
    help: str
    """Palette help text (plain words: the palette parses it as markup)."""
    show: bool = True
    """Shown in the footer."""


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("send", "ctrl+j,f5", "send", "Send", "Resend the confirmation code now"),
    ActionSpec(
        "switch-profile", "f2", "switch_profile", "Profile", "Choose the profile to send with"
    ),
    ActionSpec("history", "f3", "open_history", "History", "Browse past attempts and replay one"),
    ActionSpec("outbox", "f4", "open_outbox", "Outbox", "What the embedded sandbox delivered"),
    ActionSpec(
        "copy-cli",
        "f6",
        "copy_cli",
        "Copy CLI",
        "Copy the equivalent aws cognito-idp command (SecretHash as a placeholder)",
    ),
    ActionSpec(
        "copy-entry", "f7", "copy_entry", "Copy entry", "Copy the highlighted log entry as text"
    ),
    ActionSpec(
        "add-meta-row",
        "ctrl+n",
        "add_meta_row",
        "Add metadata row",
        "Add a ClientMetadata row",
        show=False,
    ),
    ActionSpec(
        "focus-log",
        "ctrl+l",
        "focus_log",
        "Focus log",
        "Move the focus to the attempt log",
        show=False,
    ),
    ActionSpec(
        "focus-username",
        "ctrl+g",
        "focus_username",
        "Focus username",
        "Move the focus to the username",
        show=False,
    ),
    ActionSpec(
        "toggle-advanced",
        "ctrl+b",
        "toggle_advanced",
        "Toggle advanced fields",
        "Show or hide client id override and UserContextData",
        show=False,
    ),
    ActionSpec("help", "f1", "help", "Help", "Every key binding, and what it does"),
    ActionSpec("theme", "f10", "change_theme", "Change theme", "Pick a color theme", show=False),
)


def screen_bindings() -> list[Binding]:
    """The main screen's bindings, built from :data:`ACTIONS`.

    ``priority`` so a focused Input, Select or log cannot swallow them; none
    of the default keys is one an Input uses for editing.
    """
    return [
        Binding(
            spec.keys,
            f"app.{spec.action}",
            spec.label,
            show=spec.show,
            id=spec.id,
            priority=True,
            tooltip=spec.help,
        )
        for spec in ACTIONS
    ]
