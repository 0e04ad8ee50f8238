"""Screens of the console. ``main`` is ours; history, outbox and help come alongside."""
