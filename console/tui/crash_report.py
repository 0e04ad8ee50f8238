"""Textual's crash report, without local variables.

Textual prints the traceback of an unhandled exception with
``show_locals=True``; a local holding the client secret or a SecretHash
would be printed in clear. ``ConsoleApp._fatal_error`` prints the same
report, no locals, with :func:`traceback_without_locals`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.segment import Segments

__all__ = ["traceback_without_locals"]


def traceback_without_locals(console: Console) -> Segments:
    """The traceback of the exception being handled, rendered for *console*, no locals."""
    import rich
    from rich.segment import Segments
    from rich.traceback import Traceback

    traceback = Traceback(show_locals=False, width=None, suppress=[rich])
    return Segments(console.render(traceback, console.options))
