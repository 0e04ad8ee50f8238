"""The keymap check: every table's keys, against each other, the app's and the widgets'."""

from __future__ import annotations

from console.tui.bindings import ACTIONS, SCREEN_ACTION_TABLES
from console.tui.keymap_check import check_keymap


def test_the_default_keys_clash_with_nothing() -> None:
    every = {spec.id: spec.keys for table in (ACTIONS, *SCREEN_ACTION_TABLES) for spec in table}
    checked = check_keymap(every)
    assert checked.problems == []
    assert checked.keymap == {
        k: ",".join(x.strip() for x in v.split(",")) for k, v in every.items()
    }


def test_a_clashing_key_is_dropped_and_named_with_its_owner() -> None:
    checked = check_keymap({"send": "f9,ctrl+j"})
    assert checked.keymap == {"send": "ctrl+j"}
    assert checked.problems == [
        "console.keymap: send = 'f9': f9 is already the key of pool-facts; it keeps that meaning"
    ]


def test_keys_freed_by_the_same_keymap_may_be_taken() -> None:
    assert check_keymap({"send": "f9", "pool-facts": "f11"}).problems == []


def test_a_key_a_text_field_needs_is_refused_and_the_default_kept() -> None:
    checked = check_keymap({"history": "ctrl+a"})
    assert checked.keymap == {}
    assert checked.problems == [
        "console.keymap: history = 'ctrl+a': ctrl+a is already used by a text field (home); "
        "it keeps that meaning",
        "console.keymap: history keeps its default keys",
    ]


def test_every_screen_is_checked() -> None:
    # f2 is the lookup screen's "search by" and the batch screen's "load".
    checked = check_keymap({"lookup-search": "f2"})
    assert checked.problems[0].startswith("console.keymap: lookup-search = 'f2'")
    assert "quit" in check_keymap({"help": "ctrl+q"}).problems[0]
