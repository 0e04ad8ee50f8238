"""DynamoDB on loopback for the team-history tests: moto's server, and a proxy that fails.

:func:`moto_dynamodb` starts moto's own server (the same engine the sandbox
runs) on 127.0.0.1; :class:`FailingProxy` sits between the console and it and,
when told, refuses connections or answers DynamoDB's throttling error, so the
uploader meets the faults a real network has.
"""

from __future__ import annotations

import http.client
import http.server
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3

from console.config import TeamSettings

REGION = "eu-west-1"
TABLE = "team-history"


@contextmanager
def moto_dynamodb() -> Iterator[str]:
    """moto's server on a free loopback port; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server._server.server_address[:2]  # type: ignore[union-attr]
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def settings(endpoint: str, *, table: str = TABLE, operator: str | None = None) -> TeamSettings:
    """A ``[team]`` table pointing at *endpoint*."""
    return TeamSettings(table=table, region=REGION, endpoint_url=endpoint, operator=operator)


def raw_client(endpoint: str) -> Any:
    """A plain boto3 client, to look at the table from outside the console."""
    return boto3.client("dynamodb", endpoint_url=endpoint, region_name=REGION)


def sent_by(
    endpoint: str, table: str, pool: str, user: str, operator: str, n: int, *, minutes_ago: int = 0
) -> None:
    """*n* delivered attempts to *user* by another operator, written as their console writes
    them, *minutes_ago* minutes ago."""
    import uuid
    from datetime import UTC, datetime, timedelta

    from console.history import AttemptRecord, attempt_item

    client = raw_client(endpoint)
    when = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    for k in range(n):
        started = when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{k:03d}Z"
        record = AttemptRecord(
            id=k + 1, started_at=started, finished_at=started, profile="prod",
            region="us-east-1", user_pool_id=pool, client_id="c", username=user,
            client_metadata={}, analytics_endpoint_id=None, outcome="delivered",
            medium="EMAIL", destination="u***@e***.com", attribute="email",
            error_code=None, error_message=None, http_status=None, request_id=None,
            latency_ms=10.0, may_be_simulated=False, operator=operator, batch_id=None,
        )  # fmt: skip
        item = attempt_item(record, uid=str(uuid.uuid4()), host="ben-laptop", operator=operator)
        client.put_item(TableName=table, Item=item)


def all_items(endpoint: str, table: str = TABLE) -> list[dict[str, Any]]:
    """Every item in *table* (a full Scan, paginated)."""
    client = raw_client(endpoint)
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=table):
        items.extend(page["Items"])
    return items


class FailingProxy(http.server.ThreadingHTTPServer):
    """A loopback HTTP proxy to *upstream* that can refuse or throttle on demand.

    ``mode``: ``"pass"`` relays; ``"drop"`` closes each connection unanswered;
    ``"throttle"`` answers ProvisionedThroughputExceededException. ``seen``
    counts requests per mode.
    """

    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.upstream = upstream.removeprefix("http://")
        self.mode = "pass"
        self.seen: dict[str, int] = {}
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def count(self, mode: str) -> None:
        with self._lock:
            self.seen[mode] = self.seen.get(mode, 0) + 1


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    server: FailingProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        mode = self.server.mode
        self.server.count(mode)
        if mode == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if mode == "throttle":
            payload = json.dumps(
                {
                    "__type": "com.amazonaws.dynamodb.v20120810#"
                    "ProvisionedThroughputExceededException",
                    "message": "The level of configured provisioned throughput for the table "
                    "was exceeded.",
                }
            ).encode()
            self.send_response(400)
            self.send_header("Content-Type", "application/x-amz-json-1.0")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        upstream = http.client.HTTPConnection(self.server.upstream, timeout=10)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
        upstream.request("POST", self.path, body=body, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        upstream.close()


@contextmanager
def failing_proxy(upstream: str) -> Iterator[FailingProxy]:
    """A :class:`FailingProxy` to *upstream*, served in a thread."""
    proxy = FailingProxy(upstream)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()
