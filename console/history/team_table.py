"""The team table itself: its client, its expected shape, and ``team init``.

:func:`init_table` creates the table (on-demand billing, the two GSIs of
:mod:`console.history.team`, TTL on ``expires_at``, point-in-time recovery)
or checks that an existing one has the keys and indexes the console relies
on. DynamoDB-compatible emulators (DynamoDB Local, moto's older releases,
ScyllaDB's Alternator) may lack TTL or point-in-time recovery: the table is
still made, and each thing skipped is named in the returned warnings.
Domain code: no Textual.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from console.history.file import HistoryError
from console.history.team import BY_DAY, BY_OPERATOR
from console.text import one_line

if TYPE_CHECKING:
    from console.config import TeamSettings

__all__ = ["TableReport", "check_shape", "init_table", "sign_for_sandbox", "team_client"]

_KEYS = {"pk": "HASH", "sk": "RANGE"}
_INDEXES = {
    BY_DAY: {"day": "HASH", "sk": "RANGE"},
    BY_OPERATOR: {"operator": "HASH", "sk": "RANGE"},
}
_ATTRIBUTES = {"pk", "sk", "day", "operator"}
TTL_ATTRIBUTE = "expires_at"


_SANDBOX_ENDPOINTS: set[str] = set()


def sign_for_sandbox(endpoint_url: str) -> None:
    """*endpoint_url* is this process's sandbox (``--sandbox --team``): without AWS
    credentials, team clients for it sign with dummy keys, as the sandbox profiles do."""
    _SANDBOX_ENDPOINTS.add(endpoint_url)


def team_client(
    settings: TeamSettings,
    *,
    connect_timeout: float = 5.0,
    read_timeout: float = 10.0,
    max_attempts: int = 2,
) -> Any:
    """A DynamoDB client for the team table: its profile, region, endpoint and our timeouts.

    Standard retries (*max_attempts* in all) back off on throttling within
    one call; the uploader's own backoff covers longer outages. The sandbox's
    endpoint (:func:`sign_for_sandbox`) gets dummy keys when no credentials exist.
    """
    import boto3
    from botocore.config import Config

    from console.cognito import LOCAL_ACCESS_KEY, credentials_found

    local = settings.endpoint_url in _SANDBOX_ENDPOINTS and settings.aws_profile is None
    if local and not credentials_found(None):
        # Our sandbox's DynamoDB checks no signature, and someone trying the demo may
        # have no AWS keys at all: sign with dummy ones (never for anything but it).
        session = boto3.Session(
            aws_access_key_id=LOCAL_ACCESS_KEY,
            aws_secret_access_key="sandbox",  # noqa: S106 - a dummy for loopback only
            region_name=settings.region,
        )
    else:
        session = boto3.Session(profile_name=settings.aws_profile, region_name=settings.region)
    config = Config(
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"mode": "standard", "total_max_attempts": max_attempts},
        user_agent_extra="cognito-console-team",
    )
    return session.client("dynamodb", endpoint_url=settings.endpoint_url, config=config)


@dataclass
class TableReport:
    """What ``team init`` did: ``created`` or ``exists``, and what it could not set up."""

    status: str
    warnings: list[str] = field(default_factory=list)


def _key_map(schema: list[dict[str, str]]) -> dict[str, str]:
    return {entry["AttributeName"]: entry["KeyType"] for entry in schema}


def check_shape(description: dict[str, Any]) -> list[str]:
    """Every way *description* (DescribeTable's ``Table``) differs from the table we need."""
    problems: list[str] = []
    keys = _key_map(description.get("KeySchema", []))
    if keys != _KEYS:
        problems.append(f"key schema is {_show(keys)}, expected {_show(_KEYS)}")
    types = {
        a["AttributeName"]: a["AttributeType"] for a in description.get("AttributeDefinitions", [])
    }
    for name in sorted(_ATTRIBUTES & set(types)):
        if types[name] != "S":
            problems.append(f"attribute {name} is of type {types[name]}, expected S (string)")
    indexes = {index["IndexName"]: index for index in description.get("GlobalSecondaryIndexes", [])}
    for name, expected in _INDEXES.items():
        index = indexes.get(name)
        if index is None:
            problems.append(f"global secondary index {name} is missing")
            continue
        got = _key_map(index.get("KeySchema", []))
        if got != expected:
            problems.append(f"index {name} keys are {_show(got)}, expected {_show(expected)}")
        projection = index.get("Projection", {}).get("ProjectionType")
        if projection != "ALL":
            problems.append(f"index {name} projects {projection}, expected ALL")
    return problems


def _show(keys: dict[str, str]) -> str:
    return ", ".join(f"{name} ({kind})" for name, kind in keys.items()) or "nothing"


def _definition(table: str) -> dict[str, Any]:
    return {
        "TableName": table,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"} for name in sorted(_ATTRIBUTES)
        ],
        "KeySchema": [{"AttributeName": n, "KeyType": k} for n, k in _KEYS.items()],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": name,
                "KeySchema": [{"AttributeName": n, "KeyType": k} for n, k in keys.items()],
                "Projection": {"ProjectionType": "ALL"},
            }
            for name, keys in _INDEXES.items()
        ],
    }


def init_table(
    client: Any,
    table: str,
    *,
    wait_s: float = 300.0,
    poll_s: float = 1.0,
    progress: Callable[[str], None] = lambda _line: None,
    sleep: Callable[[float], None] = time.sleep,
) -> TableReport:
    """Create *table* or check the existing one; wait until it is ACTIVE; set TTL and PITR.

    Raises :class:`HistoryError` (one line) when the table has the wrong
    shape, the call is refused, or it is not ACTIVE within *wait_s*.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        try:
            description = client.describe_table(TableName=table)["Table"]
            status = "exists"
        except ClientError as exc:
            if _code(exc) != "ResourceNotFoundException":
                raise
            progress(f"creating table {table} (on-demand billing, 2 indexes)")
            description = client.create_table(**_definition(table))["TableDescription"]
            status = "created"
        problems = check_shape(description)
        if problems:
            raise HistoryError(
                f"team table {table} is not one the console can use: {'; '.join(problems)}"
                " (name a new table in [team] and run team init to create it)"
            )
        _wait_active(client, table, description, wait_s, poll_s, progress, sleep)
        warnings = [w for w in (_ttl(client, table), _pitr(client, table)) if w]
    except ClientError as exc:
        raise HistoryError(f"team table {table}: {_code(exc)}: {_message(exc)}") from None
    except BotoCoreError as exc:
        raise HistoryError(f"team table {table}: {one_line(str(exc), 200)}") from None
    return TableReport(status, warnings)


def _wait_active(
    client: Any,
    table: str,
    description: dict[str, Any],
    wait_s: float,
    poll_s: float,
    progress: Callable[[str], None],
    sleep: Callable[[float], None],
) -> None:
    deadline = time.monotonic() + wait_s
    while not _all_active(description):
        if time.monotonic() >= deadline:
            raise HistoryError(
                f"team table {table}: not ACTIVE after {wait_s:.0f} s "
                f"(status {description.get('TableStatus')}); run team init again later"
            )
        progress(f"waiting for {table} to be ACTIVE (now {description.get('TableStatus')})")
        sleep(poll_s)
        description = client.describe_table(TableName=table)["Table"]


def _all_active(description: dict[str, Any]) -> bool:
    indexes = description.get("GlobalSecondaryIndexes", [])
    return description.get("TableStatus") == "ACTIVE" and all(
        index.get("IndexStatus", "ACTIVE") == "ACTIVE" for index in indexes
    )


def _ttl(client: Any, table: str) -> str | None:
    from botocore.exceptions import ClientError

    try:
        current = client.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
        if current.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
            return None
        client.update_time_to_live(
            TableName=table,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
        )
    except ClientError as exc:
        return f"time to live not set ({_code(exc)}): retention_days will not delete anything"
    return None


def _pitr(client: Any, table: str) -> str | None:
    from botocore.exceptions import ClientError

    try:
        client.update_continuous_backups(
            TableName=table,
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
        )
    except ClientError as exc:
        return f"point-in-time recovery not enabled ({_code(exc)}): the table has no backups"
    return None


def _code(exc: Exception) -> str:
    response = getattr(exc, "response", {}) or {}
    return str(response.get("Error", {}).get("Code") or type(exc).__name__)


def _message(exc: Exception) -> str:
    response = getattr(exc, "response", {}) or {}
    return one_line(str(response.get("Error", {}).get("Message") or exc), 200)
