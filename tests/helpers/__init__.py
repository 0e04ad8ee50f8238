"""Shared test helpers: plain functions and classes (fixtures live in conftest.py).

The one exception is a ``*_fixtures`` module: fixtures shared by test modules
that sit under different conftest files, loaded where needed with
``pytest_plugins`` (see fault_fixtures.py).
"""
