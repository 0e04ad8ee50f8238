"""Where the TUI's ``.tcss`` files live, installed or in a checkout.

A wheel carries them as ``console/styles`` (pyproject force-includes the
checkout's top-level ``styles/`` there); a source checkout has them next to
the package. We look in that order so an installed copy always wins.
"""

from __future__ import annotations

from pathlib import Path

import console

__all__ = ["styles_dir", "stylesheet"]


def styles_dir() -> Path:
    """The folder holding the ``.tcss`` files (installed first, then the checkout's)."""
    package_dir = Path(console.__file__).parent
    for candidate in (package_dir / "styles", package_dir.parent / "styles"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"no styles folder found next to {package_dir} (looked for styles/ inside and beside it)"
    )


def stylesheet(name: str) -> Path:
    """The path of one stylesheet, e.g. ``stylesheet("app.tcss")``."""
    return styles_dir() / name
