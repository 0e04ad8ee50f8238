"""The layout keeps its promises: small modules, a thin App, packages that export what they say.

Found on disk, so modules and packages added later are held to the same rules.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import console

PACKAGE_ROOT = Path(console.__file__).resolve().parent
MAX_LINES = 400


def _packages() -> list[str]:
    return sorted(
        "console." + ".".join(path.parent.relative_to(PACKAGE_ROOT).parts)
        for path in PACKAGE_ROOT.rglob("__init__.py")
        if path.parent != PACKAGE_ROOT
    )


def _lazy_packages() -> list[str]:
    return [
        name
        for name in _packages()
        if "_HOMES" in (PACKAGE_ROOT / Path(*name.split(".")[1:]) / "__init__.py").read_text()
    ]


def test_no_module_is_over_400_lines() -> None:
    sizes = {
        str(path.relative_to(PACKAGE_ROOT.parent)): len(path.read_text().splitlines())
        for path in PACKAGE_ROOT.rglob("*.py")
    }
    assert len(sizes) > 90
    assert {path: n for path, n in sizes.items() if n > MAX_LINES} == {}


def test_the_app_has_no_base_class_of_ours() -> None:
    from textual.app import App

    from console.tui.app import ConsoleApp

    ours = [cls.__qualname__ for cls in ConsoleApp.__mro__ if cls.__module__.startswith("console")]
    assert ours == ["ConsoleApp"]
    assert App in ConsoleApp.__mro__


@pytest.mark.parametrize("package", _packages())
def test_every_package_says_what_it_holds(package: str) -> None:
    module = importlib.import_module(package)
    assert module.__doc__ is not None and len(module.__doc__.split()) >= 5, package


def test_the_domain_packages_export_lazily() -> None:
    # Every domain package and the sandbox: the first frame depends on it.
    assert {
        "console.config",
        "console.history",
        "console.bulk",
        "console.usecases",
        "console.cognito",
        "console.sandbox",
    } <= set(_lazy_packages())


@pytest.mark.parametrize("package", _lazy_packages())
def test_each_export_comes_from_the_module_named_for_it(package: str) -> None:
    module = importlib.import_module(package)
    homes: dict[str, str] = module._HOMES
    assert sorted(module.__all__) == sorted(homes)
    for name, home in homes.items():
        value = getattr(module, name)
        defining = importlib.import_module(f"{package}.{home}")
        assert getattr(defining, name) is value, f"{package}.{name}"
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__module__ == defining.__name__, f"{package}.{name}"
    assert set(homes) <= set(dir(module))
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        getattr(module, "no_such_name")  # noqa: B009 -- the module's __getattr__ is the subject


@pytest.mark.parametrize("package", _lazy_packages())
def test_type_checkers_see_the_same_exports(package: str) -> None:
    # The TYPE_CHECKING imports are what mypy knows; _HOMES is what runs.
    path = PACKAGE_ROOT / Path(*package.split(".")[1:]) / "__init__.py"
    seen: dict[str, str] = {}
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom)
                assert statement.module is not None
                for alias in statement.names:
                    seen[alias.name] = statement.module.rsplit(".", 1)[1]
    assert seen == importlib.import_module(package)._HOMES


@pytest.mark.parametrize("package", _lazy_packages())
def test_importing_a_package_loads_none_of_its_modules(package: str) -> None:
    script = (
        f"import sys, {package}\n"
        f"print(sorted(m for m in sys.modules if m.startswith('{package}.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
