"""The attempt log: one entry per attempt, newest at the bottom, keyboard scrollable.

An OptionList, so up/down/page/home/end move a highlight over whole entries
and "copy entry" knows which one is meant. Prompts are built from ``Content``
over already-visible text: nothing in an entry is ever parsed as markup.

Only the newest :data:`MAX_ENTRIES` entries stay on screen; a note at the top
says how many older ones were dropped and that the history (F3) has every
attempt.
"""

from __future__ import annotations

from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Spacing
from textual.visual import Padding, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from console.tui.log_entries import EntryKind, LogEntry
from console.tui.widgets.hanging import Hanging, Stacked

__all__ = [
    "MAX_ENTRIES",
    "RENDER_CACHE_SIZE",
    "AttemptLog",
    "EntryVisual",
    "entry_visual",
    "trimmed_note",
]

DETAIL_INDENT = 4
MAX_ENTRIES = 100
"""Entries kept on screen. Keeping every one grew the TUI by 23 MiB over 1,000
sends (at 500 kept, still 14 MiB; at 200, 10). A hundred entries is several
hundred lines of scroll-back; the history (F3) keeps every attempt, searchable."""
RENDER_CACHE_SIZE = 128
"""Rendered entries the list keeps (OptionList's default is 2,048). Each entry
was cached twice, highlighted and not, at ~22 KB together: more than the entry
itself. 128 covers every entry a 100-line terminal shows, in each style."""
DROP_BATCH = 20
"""Entries dropped at once when over :data:`MAX_ENTRIES`: dropping rebuilds
the OptionList's line map, so do it once per 20 sends, not on every one."""

# Theme variables, so every built-in theme keeps failures red and successes green.
_MARK_STYLE: dict[EntryKind, str] = {
    EntryKind.DELIVERED: "bold $text-success",
    EntryKind.FAILED: "bold $text-error",
    EntryKind.NOT_SENT: "bold $text-error",
    EntryKind.UNKNOWN: "bold $text-warning",
    EntryKind.NOTE: "$text-muted",
    EntryKind.WARNING: "bold $text-warning",
}


class EntryVisual(Stacked):
    """Visuals stacked top to bottom: an entry's headline, then its indented details.

    A single Content cannot indent its wrapped lines; stacking padded parts
    keeps a long "what to do" line aligned under its label. The parts are
    built from the entry whenever they are needed and not kept (~2 KB an
    entry): the list caches the rendered lines of the entries on screen anyway.
    """

    def __init__(self, entry: LogEntry) -> None:
        super().__init__()
        self.entry = entry

    @property
    def parts(self) -> list[Visual]:
        """The headline, then each detail indented."""
        indent = Spacing(0, 0, 0, DETAIL_INDENT)
        entry = self.entry
        parts: list[Visual] = [_head(entry)]  # a wrapped headline stays right of the time
        parts += [Padding(_detail(entry, label, text), indent) for label, text in entry.details]
        return parts


def _head(entry: LogEntry) -> Hanging:
    prefix = Content.assemble(
        (f"{entry.mark} ", _MARK_STYLE[entry.kind]), (entry.time, "$text-muted"), "  "
    )
    headline = Content.styled(entry.headline, "" if entry.kind is EntryKind.NOTE else "bold")
    return Hanging(prefix, headline)


_FIRST_LABELS = frozenset({"delivered", "failed", "outcome unknown", "not sent"})


def _detail(entry: LogEntry, label: str, text: str) -> Visual:
    if not label:  # a trigger's log line: wrapped, it stays under its own indent
        body = text.lstrip(" ")
        lead = len(text) - len(body)
        if lead and body:
            return Hanging(Content(" " * lead), Content.styled(body, "$text-muted"))
        return Content.styled(text, "$text-muted")
    label_style = _MARK_STYLE[entry.kind] if label in _FIRST_LABELS else "$text-muted"
    return Content.assemble((f"{label}: ", label_style), text)


def entry_visual(entry: LogEntry) -> EntryVisual:
    """The entry as shown: headline, then details indented, wrapped lines included."""
    return EntryVisual(entry)


def trimmed_note(dropped: int) -> Content:
    """The line at the top of a trimmed log: what is gone and where to find it."""
    noun = "entry" if dropped == 1 else "entries"
    return Content.styled(
        f"· {dropped:,} older {noun} no longer shown here; every attempt is in the history (F3)",
        "$text-muted",
    )


class AttemptLog(OptionList):
    """Entries oldest first; each new entry is highlighted and scrolled into view."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # OptionList's own attribute: replaced, not subclassed, as it has no
        # parameter for its size. tests/tui/test_attempt_log_trim.py checks it holds.
        self._option_render_cache = LRUCache(maxsize=RENDER_CACHE_SIZE)
        self.entries: list[LogEntry] = []
        """The entries on screen, oldest first (the newest :data:`MAX_ENTRIES` at most)."""
        self.dropped = 0
        """How many older entries were taken off the screen."""
        self._serial = 0

    @property
    def _offset(self) -> int:
        """Options before the first entry: the trimmed note, once there is one."""
        return 1 if self.dropped else 0

    def on_mount(self) -> None:
        """Title the pane."""
        self.border_title = "Attempt log"

    def add_entry(self, entry: LogEntry) -> None:
        """Append *entry* at the bottom and highlight it."""
        self.entries.append(entry)
        self._serial += 1
        self.add_option(Option(entry_visual(entry), id=f"entry-{self._serial}"))
        if len(self.entries) > MAX_ENTRIES:
            self._drop_oldest(len(self.entries) - (MAX_ENTRIES - DROP_BATCH))
        self.highlighted = self._offset + len(self.entries) - 1
        self.scroll_end(animate=False)

    def _drop_oldest(self, count: int) -> None:
        """Take the *count* oldest entries off the screen and say so in the note."""
        kept = self.options[self._offset + count :]
        del self.entries[:count]
        self.dropped += count
        # One rebuild rather than *count* removals (each re-measures every
        # line). The Option objects are reused, so their visuals are not
        # built again. Disabled: the cursor skips the note, so "copy entry"
        # only ever meets entries.
        self.set_options([Option(trimmed_note(self.dropped), disabled=True), *kept])

    def selected_entry(self) -> LogEntry | None:
        """The highlighted entry, else the newest, else None."""
        if not self.entries:
            return None
        index = self.highlighted
        if index is None or not 0 <= index - self._offset < len(self.entries):
            return self.entries[-1]
        return self.entries[index - self._offset]

    def plain_text(self) -> str:
        """Every entry on screen as plain text, oldest first (for tests and export)."""
        return "\n".join(entry.plain() for entry in self.entries)
