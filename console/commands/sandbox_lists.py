"""Fetching and printing a running sandbox's lists (``/_sandbox/<route>``).

``sandbox-outbox`` and ``sandbox-invocations`` share one shape: the same
order (newest first), the same empty message form, the same one-line
report of an endpoint that is not a sandbox.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from console.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, err, out, safe

__all__ = ["fetch_list", "print_list"]


def _get_json(url: str) -> Any:
    from urllib.request import Request, urlopen

    request = Request(url, headers={"Accept": "application/json"})  # noqa: S310 - checked http(s)
    with urlopen(request, timeout=10) as answer:  # noqa: S310 - checked http(s)
        return json.loads(answer.read().decode("utf-8"))


def fetch_list(command: str, endpoint_url: str, route: str, key: str) -> list[Any] | int:
    """GET ``/_sandbox/<route>`` of a running sandbox: the list under *key*, or an exit code.

    Problems are reported on stderr as one line naming *command* and the URL.
    """
    from urllib.error import HTTPError, URLError

    base = str(endpoint_url).rstrip("/")
    prefix = f"cognito-console {command}"
    if not base.startswith(("http://", "https://")):
        err(f"{prefix}: not an http(s) URL: {safe(base)}")
        return EXIT_USAGE
    try:
        answer = _get_json(f"{base}/_sandbox/{route}")
    except HTTPError as exc:
        err(f"{prefix}: {safe(base)} answered HTTP {exc.code}: is it a sandbox?")
        return EXIT_FAILED
    except (URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        err(f"{prefix}: cannot reach {safe(base)}: {safe(reason)}")
        return EXIT_FAILED
    except ValueError:
        err(f"{prefix}: {safe(base)} did not answer JSON: is it a sandbox?")
        return EXIT_FAILED
    items = answer.get(key) if isinstance(answer, dict) else None
    if not isinstance(items, list):
        err(f"{prefix}: {safe(base)} did not answer its {route}: is it a sandbox?")
        return EXIT_FAILED
    return items


def print_list(
    command: str,
    args: argparse.Namespace,
    route: str,
    key: str,
    *,
    empty: str,
    formatter: Callable[[dict[str, Any]], list[str]],
) -> int:
    """Fetch a running sandbox's list and print it, newest first (``--json``: as served).

    One shape for every ``sandbox-*`` listing, so they agree on order, on the
    empty message and on how a bad answer is reported.
    """
    records = fetch_list(command, args.endpoint_url, route, key)
    if isinstance(records, int):
        return records
    if args.json:
        print(json.dumps({key: records}, ensure_ascii=True))
        return EXIT_OK
    if not records:
        out(empty)
        return EXIT_OK
    for index, record in enumerate(reversed(records)):
        if index:
            out()
        for line in formatter(record if isinstance(record, dict) else {}):
            out(line)
    return EXIT_OK
