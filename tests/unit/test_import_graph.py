"""console/ has no import circle, not even two modules importing each other.

The graph is read from the source with ``ast``, so it holds every import
statement: at module level, inside functions (the lazy imports that keep
start-up fast) and under ``TYPE_CHECKING``. A type-only import back up a
layer is still a circle in the design. ``lint-imports`` (.ci/run) holds the
layers; this test holds the circles at module level, however short.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import console

PACKAGE_ROOT = Path(console.__file__).resolve().parent

Graph = dict[str, set[str]]


def _module_name(root: Path, path: Path) -> str:
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(root: Path) -> Graph:
    """Module -> the modules of the same top package it imports, from every import statement.

    ``from package import name`` points at ``package.name`` when that is a
    module, else at ``package`` (a name it exports).
    """
    top = root.name
    files = {_module_name(root, path): path for path in sorted(root.rglob("*.py"))}
    graph: Graph = {name: set() for name in files}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".") if is_package else name.split(".")[:-1]
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in node.names:
                    candidate = f"{base}.{alias.name}"
                    targets.append(candidate if candidate in files else base)
            for target in targets:
                if target == top or target.startswith(top + "."):
                    while target not in files and "." in target:
                        target = target.rsplit(".", 1)[0]  # import a.b.c of a module a.b
                    if target != name:
                        graph[name].add(target)
    return graph


def circles(graph: Graph) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:
        # Iterative: a deep chain must not hit the recursion limit.
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(found)


def test_console_has_no_import_circle() -> None:
    graph = import_graph(PACKAGE_ROOT)
    # The graph is the real one: lazy, type-only and package imports are all in it.
    assert "console.usecases.resend" in graph["console.usecases.batch"]
    assert "console.tui.launch" in graph["console.cli"]  # inside a function
    assert "console.config" in graph["console.tui.launch"]  # a name the package exports
    assert "console.config.errors" in graph["console.config"]  # under TYPE_CHECKING
    assert len(graph) > 90
    assert circles(graph) == []


def _write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_every_kind_of_circle_is_found(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    _write(
        root,
        {
            "__init__.py": "",
            "a.py": "from pkg.b import x\n",
            "b.py": "def f():\n    import pkg.a\n",  # lazy, inside a function
            "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import d\n",
            "d.py": "from . import e\n",  # relative
            "e.py": "from .c import y\n",
            "sub/__init__.py": "from pkg.sub.g import z\n",
            "sub/g.py": "from pkg.sub import h\n",
            "sub/h.py": "import pkg.sub.g as g\n",
            "ok.py": "import pkg.a\nimport os\n",
        },
    )
    assert circles(import_graph(root)) == [
        ["pkg.a", "pkg.b"],
        ["pkg.c", "pkg.d", "pkg.e"],
        ["pkg.sub.g", "pkg.sub.h"],
    ]


def test_a_chain_without_a_circle_is_clean(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    _write(root, {"__init__.py": "", "a.py": "import pkg.b\n", "b.py": "from pkg import c\n"})
    (root / "c.py").write_text("import json\n", encoding="utf-8")
    graph = import_graph(root)
    assert graph["pkg.a"] == {"pkg.b"} and graph["pkg.b"] == {"pkg.c"}
    assert circles(graph) == []
