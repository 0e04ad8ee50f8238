"""The attempt log: one entry per attempt, newest at the bottom, keyboard scrollable.

An OptionList, so up/down/page/home/end move a highlight over whole entries
and "copy entry" knows which one is meant. Prompts are built from ``Content``
over already-visible text: nothing in an entry is ever parsed as markup.
"""

from __future__ import annotations

from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Spacing
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding, RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from console.tui.log_entries import EntryKind, LogEntry

__all__ = ["AttemptLog", "EntryVisual", "entry_visual"]

DETAIL_INDENT = 4

# Theme variables, so every built-in theme keeps failures red and successes green.
_MARK_STYLE: dict[EntryKind, str] = {
    EntryKind.DELIVERED: "bold $text-success",
    EntryKind.FAILED: "bold $text-error",
    EntryKind.NOT_SENT: "bold $text-error",
    EntryKind.UNKNOWN: "bold $text-warning",
    EntryKind.NOTE: "$text-muted",
    EntryKind.WARNING: "bold $text-warning",
}


class EntryVisual(Visual):
    """Visuals stacked top to bottom: an entry's headline, then its indented details.

    A single Content cannot indent its wrapped lines; stacking padded parts
    keeps a long "what to do" line aligned under its label.
    """

    def __init__(self, parts: list[Visual]) -> None:
        self.parts = parts

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        """Each part rendered at the full width, one after the other."""
        strips: list[Strip] = []
        for part in self.parts:
            strips.extend(part.render_strips(width, None, style, options))
        return strips if height is None else strips[:height]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        """The widest part."""
        return max((p.get_optimal_width(rules, container_width) for p in self.parts), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        """The parts' heights added up."""
        return sum(part.get_height(rules, width) for part in self.parts)


def _head(entry: LogEntry) -> Content:
    return Content.assemble(
        (f"{entry.mark} ", _MARK_STYLE[entry.kind]),
        (entry.time, "$text-muted"),
        "  ",
        (entry.headline, "" if entry.kind is EntryKind.NOTE else "bold"),
    )


_FIRST_LABELS = frozenset({"delivered", "failed", "outcome unknown", "not sent"})


def _detail(entry: LogEntry, label: str, text: str) -> Content:
    if not label:
        return Content.styled(text, "$text-muted")
    label_style = _MARK_STYLE[entry.kind] if label in _FIRST_LABELS else "$text-muted"
    return Content.assemble((f"{label}: ", label_style), text)


def entry_visual(entry: LogEntry) -> EntryVisual:
    """The entry as shown: headline, then details indented, wrapped lines included."""
    indent = Spacing(0, 0, 0, DETAIL_INDENT)
    parts: list[Visual] = [_head(entry)]
    parts += [Padding(_detail(entry, label, text), indent) for label, text in entry.details]
    return EntryVisual(parts)


class AttemptLog(OptionList):
    """Entries oldest first; each new entry is highlighted and scrolled into view."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[LogEntry] = []

    def on_mount(self) -> None:
        """Title the pane."""
        self.border_title = "Attempt log"

    def add_entry(self, entry: LogEntry) -> None:
        """Append *entry* at the bottom and highlight it."""
        self.entries.append(entry)
        index = len(self.entries) - 1
        self.add_option(Option(entry_visual(entry), id=f"entry-{index}"))
        self.highlighted = index
        self.scroll_end(animate=False)

    def selected_entry(self) -> LogEntry | None:
        """The highlighted entry, else the newest, else None."""
        if not self.entries:
            return None
        index = self.highlighted
        if index is None or not 0 <= index < len(self.entries):
            return self.entries[-1]
        return self.entries[index]

    def plain_text(self) -> str:
        """Every entry as plain text, oldest first (for tests and export)."""
        return "\n".join(entry.plain() for entry in self.entries)
