"""CustomMessage triggers, run as Cognito runs them: the event, the child process, the answer.

Shared by the sandbox (which runs the admin's handler for every code it
sends) and the ``trigger`` subcommand (which runs it without a call). Uses
only the standard library; a leaf below the domain, so the sandbox may use it.

- :mod:`~console.triggers.events`: the event for each of the seven sources;
- :mod:`~console.triggers.spec`: ``PATH:EXPORT``, the runtime, the interpreter, the env file;
- :mod:`~console.triggers.child`: one call in a child process (Lambda's
  environment, a time limit, bounded output), with
  :mod:`~console.triggers.bootstrap_python` and ``node_child.mjs`` as the runtimes;
- :mod:`~console.triggers.answer`: the answer as Cognito reads it, and its errors;
- :mod:`~console.triggers.invocation`: retries, the invocation record, the last 500.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from console.lazy import load_export

if TYPE_CHECKING:
    from console.triggers.answer import Message, TriggerFailure
    from console.triggers.events import SOURCES, build_event
    from console.triggers.invocation import Invocation, InvocationLog, invoke
    from console.triggers.spec import TriggerSpec, TriggerSpecError, parse_spec

_HOMES = {
    "Invocation": "invocation",
    "InvocationLog": "invocation",
    "Message": "answer",
    "SOURCES": "events",
    "TriggerFailure": "answer",
    "TriggerSpec": "spec",
    "TriggerSpecError": "spec",
    "build_event": "events",
    "invoke": "invocation",
    "parse_spec": "spec",
}
"""Each public name and the submodule that defines it."""

__all__ = [
    "SOURCES",
    "Invocation",
    "InvocationLog",
    "Message",
    "TriggerFailure",
    "TriggerSpec",
    "TriggerSpecError",
    "build_event",
    "invoke",
    "parse_spec",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its submodule on first use (see :mod:`console.lazy`)."""
    return load_export(__name__, _HOMES, name, globals())


def __dir__() -> list[str]:
    """The public names too, loaded or not (what ``dir()`` and completion show)."""
    return sorted({*globals(), *_HOMES})
