"""Widgets: the main screen's (profile bar, request form, preview, send status, attempt
log), the history's (filter bar, table, attempt detail) and the batch screen's views."""
