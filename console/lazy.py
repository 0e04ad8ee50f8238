"""Package exports loaded on first use (PEP 562), so importing a package costs nothing.

A package's ``__init__`` names its public names and the submodule each lives
in; ``from console.config import ConfigError`` then loads only
:mod:`console.config.errors`, not pydantic. The TUI's first frame and the
one-shot CLI depend on that: they import from packages whose other modules
are slow to load. The same names are imported under ``TYPE_CHECKING`` in the
``__init__`` so type checkers see them.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

__all__ = ["load_export"]


def load_export(
    package: str, homes: Mapping[str, str], name: str, namespace: dict[str, Any]
) -> Any:
    """The public *name* of *package*, imported from its home submodule and cached.

    *homes* maps each public name to the submodule (relative to the package)
    that defines it; *namespace* is the package's ``globals()``, where the
    value is kept so the next access is a plain lookup. Raises
    :class:`AttributeError` for any other name, as a module would.
    """
    home = homes.get(name)
    if home is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{package}.{home}"), name)
    namespace[name] = value
    return value
