"""Checking ``[console.keymap]`` before the app takes it: no key may do two things.

A remapped key must not take a key that another action of the same screen
already has (``send = "f9,ctrl+j"`` would silently take F9 from pool facts),
nor one a focused widget needs: our screen bindings are checked before the
focused widget's keys, so ``resend = "ctrl+r,f5"`` would make ctrl+r in a
metadata row send a code instead of removing the row. Such a key is dropped
from the remapping with one line naming both; the key keeps its default
meaning, and a binding left with no key keeps its default keys.

Every table of :mod:`console.tui.bindings` is checked, the main screen's and
every other screen's, whatever actions they hold: a screen is its actions,
the app's keys (quit, the command palette, focus movement) and the keys of
the widgets that may have the focus on it (a text field on any screen; the
metadata rows on the main screen).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding

from console.tui.bindings import (
    ACTIONS,
    BATCH_CONFIRM_ACTIONS,
    CONFIRM_ACTIONS,
    DASHBOARD_ACTIONS,
    POOL_FACTS_ACTIONS,
    SCREEN_ACTION_TABLES,
)

__all__ = ["KeymapCheck", "check_keymap"]


@dataclass(frozen=True, slots=True)
class KeymapCheck:
    """The keymap to set, and one line per problem found in the configured one."""

    keymap: dict[str, str]
    problems: list[str]


def _keys(keys: str) -> list[str]:
    return [key.strip().lower() for key in keys.split(",") if key.strip()]


def _widget_keys(bindings: Iterable[object], owner: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for binding in bindings:
        if isinstance(binding, Binding):
            for key in _keys(binding.key):
                found.setdefault(key, f"{owner} ({binding.action})")
        elif isinstance(binding, tuple) and binding:
            for key in _keys(str(binding[0])):
                found.setdefault(key, f"{owner} ({binding[1] if len(binding) > 1 else key})")
    return found


def _reserved(text_fields: bool) -> dict[str, str]:
    """Keys that belong to the app or to a text field that may have the focus: key -> whose."""
    from textual.screen import Screen
    from textual.widgets import Input

    reserved = {"ctrl+p": "the command palette", "ctrl+c": "copy and the quit hint"}
    reserved.update(_widget_keys(Screen.BINDINGS, "focus movement"))
    if text_fields:
        reserved.update(_widget_keys(Input.BINDINGS, "a text field"))
    return reserved


def _names(bindings: Iterable[object]) -> dict[str, str]:
    """A widget's remappable bindings: id -> default keys."""
    return {b.id: b.key for b in bindings if isinstance(b, Binding) and b.id}


_WITHOUT_TEXT_FIELDS = (
    CONFIRM_ACTIONS,
    BATCH_CONFIRM_ACTIONS,
    POOL_FACTS_ACTIONS,
    DASHBOARD_ACTIONS,
)
"""Screens that hold no text field; any other screen is taken to have one."""


def _screens(quit_keys: str) -> list[tuple[dict[str, str], bool]]:
    """Each screen's remappable bindings (id -> default keys): its actions, quit, and on
    the main screen the metadata rows' keys (a focused row needs them); and whether a
    text field may have the focus there."""
    from console.tui.widgets.metadata_rows import MetadataRows

    main = {spec.id: spec.keys for spec in ACTIONS} | _names(MetadataRows.BINDINGS)
    screens = [(main, True)]
    screens += [
        ({spec.id: spec.keys for spec in table}, table not in _WITHOUT_TEXT_FIELDS)
        for table in SCREEN_ACTION_TABLES
    ]
    return [(screen | {"quit": quit_keys}, fields) for screen, fields in screens]


def check_keymap(wanted: Mapping[str, str], *, quit_keys: str = "ctrl+q") -> KeymapCheck:
    """Check *wanted* (binding id -> keys, aliases resolved, ids known) on every screen.

    A key of a remapped binding that another binding of a screen it is on
    also has (after the remapping), or that the app or a text field needs,
    is dropped with one problem line naming both.
    """
    remapped = {binding_id: _keys(keys) for binding_id, keys in wanted.items()}
    problems: list[str] = []
    rejected: dict[str, set[str]] = {binding_id: set() for binding_id in remapped}
    for screen, text_fields in _screens(quit_keys):
        reserved = _reserved(text_fields)
        effective = {
            binding_id: remapped.get(binding_id, _keys(keys)) for binding_id, keys in screen.items()
        }
        for binding_id, keys in remapped.items():
            if binding_id not in screen:
                continue
            for key in keys:
                if key in rejected[binding_id]:
                    continue
                others = [o for o, o_keys in effective.items() if o != binding_id and key in o_keys]
                if others:
                    holder = f"the key of {others[0]}"
                elif key in reserved:
                    holder = f"used by {reserved[key]}"
                else:
                    continue
                rejected[binding_id].add(key)
                problems.append(
                    f"console.keymap: {binding_id} = {key!r}: {key} is already {holder}; "
                    f"it keeps that meaning"
                )
    keymap: dict[str, str] = {}
    for binding_id, keys in remapped.items():
        accepted = [key for key in keys if key not in rejected[binding_id]]
        if accepted:
            keymap[binding_id] = ",".join(accepted)
        elif keys:
            problems.append(f"console.keymap: {binding_id} keeps its default keys")
    return KeymapCheck(keymap, problems)
