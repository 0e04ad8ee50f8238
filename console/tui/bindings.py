"""Every action of our screens: its binding id, default key, footer label and palette help.

One table per screen feeds that screen's BINDINGS, the command palette and the
README: a key is never bound without a palette entry, and ``[console.keymap]``
in the config remaps any of them by id (``send = "ctrl+s"``; see
:func:`checked_keymap`). :data:`ACTIONS` are the main screen's; the other
tables hold the actions of the lookup, pool facts, batch and confirmation
screens. Each action runs on the screen that binds it.

Keys avoid ctrl+h, ctrl+i and ctrl+m (terminals send Backspace, Tab and
Enter for them) and ctrl+p (Textual's command palette).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.binding import Binding

__all__ = [
    "ACTIONS",
    "BATCH_ACTIONS",
    "BATCH_CONFIRM_ACTIONS",
    "CONFIRM_ACTIONS",
    "DASHBOARD_ACTIONS",
    "DOCTOR_ACTIONS",
    "KEYMAP_ALIASES",
    "LOOKUP_ACTIONS",
    "POOL_FACTS_ACTIONS",
    "SCREEN_ACTION_TABLES",
    "ActionSpec",
    "checked_keymap",
    "known_binding_ids",
    "screen_bindings",
]


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One action of a screen: its key, its footer label and its palette entry."""

    id: str
    """Binding id: the name ``[console.keymap]`` uses."""
    keys: str
    """Default keys, comma-separated."""
    action: str
    """Action name on the screen that binds it (``send`` runs ``MainScreen.action_send``);
    ``app.`` runs one of the app's own (``app.change_theme``)."""
    label: str
    """Footer label and palette title."""
    help: str
    """Palette help text (plain words: the palette parses it as markup)."""
    show: bool = True
    """Shown in the footer."""
    footer: str = ""
    """A shorter footer label, when the palette title is too long for a full footer."""
    priority: bool = True
    """Checked before the focused widget's own keys. Off for Escape, so that an
    open Select overlay still closes on it instead of the screen."""


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("send", "ctrl+j,f5", "send", "Send", "Resend the confirmation code now"),
    ActionSpec(
        "switch-profile",
        "f2",
        "switch_profile",
        "Next profile",
        "Switch to the next profile (the palette and the select offer each one)",
        footer="Profile",
    ),
    ActionSpec("history", "f3", "open_history", "History", "Browse past attempts and replay one"),
    ActionSpec(
        "outbox", "f4", "open_outbox", "Outbox", "What the active profile's sandbox delivered"
    ),
    ActionSpec(
        "copy-cli",
        "f6",
        "copy_cli",
        "Copy CLI",
        "Copy the equivalent aws cognito-idp command (a placeholder SecretHash)",
    ),
    ActionSpec(
        "copy-entry",
        "f7",
        "copy_entry",
        "Copy entry",
        "Copy the highlighted log entry as text",
        footer="Copy log",
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
    ActionSpec(
        "lookup", "f8", "lookup", "Lookup", "Find a user by username, email or phone number"
    ),
    ActionSpec(
        "pool-facts",
        "f9",
        "pool_facts",
        "Pool facts",
        "What the pool and app client settings mean for a resend",
        footer="Pool",
    ),
    ActionSpec(
        "batch",
        "f12,ctrl+o",
        "batch",
        "Batch",
        "Resend to every user of a users.txt or users.csv file",
    ),
    ActionSpec("help", "f1", "help", "Help", "Every key binding, and what it does"),
    ActionSpec(
        "doctor",
        "ctrl+y",
        "doctor",
        "Delivery doctor",
        "Why the last attempt's code may not arrive: user, pool, SES, SNS, logs",
        show=False,  # the 120-column footer is full; the palette and the help list it
    ),
    ActionSpec(
        "theme", "f10", "app.change_theme", "Change theme", "Pick a color theme", show=False
    ),
    ActionSpec(
        "dashboard",
        "ctrl+z",
        "dashboard",
        "Team dashboard",
        "The team's last 24 hours: outcomes, errors, busiest users and operators",
        show=False,  # the footer is full; the palette and the help list it
    ),
)


LOOKUP_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("lookup-search", "f5", "search", "Search", "Find the users matching the search"),
    ActionSpec(
        "lookup-key",
        "f2",
        "cycle_key",
        "Search by",
        "Search by username, email or phone number, in turn",
    ),
    ActionSpec(
        "lookup-prefix",
        "f3",
        "toggle_prefix",
        "Prefix",
        "Match values starting with the text, or the whole value",
    ),
    ActionSpec(
        "lookup-use",
        "f6",
        "use_user",
        "Use user",
        "Put the highlighted user's username in the form (Enter on the list too)",
    ),
    ActionSpec(
        "lookup-close", "escape", "close", "Back", "Back to the form unchanged", priority=False
    ),
)
"""The lookup screen's actions (screen actions of LookupScreen)."""

POOL_FACTS_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "pool-facts-refresh",
        "r,f5",
        "refresh",
        "Refresh",
        "Ask DescribeUserPool and DescribeUserPoolClient again",
    ),
    ActionSpec("pool-facts-close", "escape", "close", "Back", "Back to the form", priority=False),
)
"""The pool facts screen's actions."""

BATCH_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("batch-load", "f2", "load", "Load", "Read the users file and count its users"),
    ActionSpec(
        "batch-start",
        "f5",
        "start",
        "Start",
        "Resend to every user of the file; a batch id given resumes that batch",
    ),
    ActionSpec(
        "batch-stop",
        "f6",
        "stop",
        "Stop",
        "Start nobody new; calls in flight finish and are recorded",
    ),
    ActionSpec(
        "batch-export",
        "f7",
        "export",
        "Export failures",
        "Write the users not delivered to the CSV path given",
    ),
    ActionSpec(
        "batch-close",
        "escape",
        "close",
        "Back",
        "Back to the form (not while running)",
        priority=False,
    ),
)
"""The batch screen's actions."""

DOCTOR_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "doctor-copy",
        "c,f6",
        "copy_remedy",
        "Copy fix",
        "Copy the highlighted check's fix command; blocking checks come first",
    ),
    ActionSpec("doctor-rerun", "r,f5", "rerun", "Run again", "Run every check again"),
    ActionSpec("doctor-close", "escape", "close", "Back", "Back to the form", priority=False),
)
"""The delivery doctor screen's actions."""

DASHBOARD_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "dashboard-refresh", "r,f5", "refresh", "Refresh", "Read the team's last 24 hours again"
    ),
    ActionSpec("dashboard-close", "escape", "close", "Back", "Back to the form", priority=False),
)
"""The team dashboard's actions."""

CONFIRM_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("confirm-yes", "enter,y", "confirm", "Send anyway", "Send despite the warning"),
    ActionSpec("confirm-no", "escape,n", "cancel", "Cancel", "Do not send"),
)
"""The resend confirmation's actions."""

START_CONFIRM_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("confirm-yes", "enter,y", "confirm", "Send", "Start sending"),
    CONFIRM_ACTIONS[1],
)
"""A plain start question's actions (the batch's): the same ids and keys, no warning
to send despite."""

BATCH_CONFIRM_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "batch-confirm-send",
        "enter,y",
        "confirm",
        "Send, skip those at the limit",
        "Start the batch; users at the team's hourly limit are skipped",
    ),
    ActionSpec(
        "batch-confirm-force",
        "f",
        "force",
        "Send to all (force)",
        "Start the batch and send to the users at the team's hourly limit too",
    ),
    ActionSpec("batch-confirm-no", "escape,n", "cancel", "Cancel", "Do not start the batch"),
)
"""The batch confirmation's actions when some users are at the team's hourly limit."""

SCREEN_ACTION_TABLES: tuple[tuple[ActionSpec, ...], ...] = (
    LOOKUP_ACTIONS,
    POOL_FACTS_ACTIONS,
    BATCH_ACTIONS,
    CONFIRM_ACTIONS,
    BATCH_CONFIRM_ACTIONS,
    DOCTOR_ACTIONS,
    DASHBOARD_ACTIONS,
)
"""Every table of screen actions (their ids are valid ``[console.keymap]`` names)."""


def screen_bindings(
    specs: tuple[ActionSpec, ...] = ACTIONS, *, namespace: str | None = None
) -> list[Binding]:
    """A screen's bindings, built from *specs* (the main screen's by default).

    *namespace* prefixes each action (``app.send``); None (the default) runs
    it on the screen itself. ``priority`` (unless the spec turns it off) so a focused
    Input, Select or list cannot swallow them; none of the default keys is
    one an Input uses for editing.
    """
    return [
        Binding(
            spec.keys,
            f"{namespace}.{spec.action}" if namespace else spec.action,
            spec.footer or spec.label,
            show=spec.show,
            id=spec.id,
            priority=spec.priority,
            tooltip=spec.help,
        )
        for spec in specs
    ]


KEYMAP_ALIASES = {"resend": "send"}
"""Other names a keymap may use for a binding id (the config docs say ``resend``)."""


def known_binding_ids() -> set[str]:
    """Every binding id ``[console.keymap]`` may remap."""
    from console.tui.widgets.metadata_rows import MetadataRows

    ids = {spec.id for spec in ACTIONS} | {"quit"}
    ids |= {spec.id for table in SCREEN_ACTION_TABLES for spec in table}
    ids |= {b.id for b in MetadataRows.BINDINGS if isinstance(b, Binding) and b.id}
    return ids


def checked_keymap(wanted: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The keymap to set for ``[console.keymap]`` *wanted*, and one problem per unknown id.

    An unknown id is reported, not fatal: the rest of the keymap still applies.
    """
    known = known_binding_ids()
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for name, keys in wanted.items():
        binding_id = KEYMAP_ALIASES.get(name, name)
        if binding_id not in known:
            problems.append(
                f"console.keymap: no binding with id {name!r} (known: {', '.join(sorted(known))})"
            )
            continue
        keymap[binding_id] = keys
    return keymap, problems
