"""Imported by trigger.py from the handler's folder, as Lambda imports from /var/task."""


def greeting():
    return "Hello from Python"
