"""The Textual console: one main screen to resend confirmation codes and read the outcome.

Importing this package imports nothing heavy; :func:`console.tui.launch.run_tui`
is the entry point the CLI calls when no subcommand is given.
"""
