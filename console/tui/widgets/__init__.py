"""The main screen's widgets: profile bar, request form, preview and attempt log."""
