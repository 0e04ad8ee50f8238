"""Shared test helpers (no fixtures here: those live in conftest.py)."""
