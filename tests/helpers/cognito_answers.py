"""What the sandbox answered, read the way every integration test reads it.

One place for "this call must fail as Cognito fails" (HTTP 400, a UUID
request id, the modeled code and message) and for "the code it last sent".
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from console.sandbox import Sandbox


def cognito_error(call: Callable[[], Any]) -> tuple[str, str]:
    """Run *call*, which must fail as Cognito does: (error code, message)."""
    with pytest.raises(ClientError) as excinfo:
        call()
    response = excinfo.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert uuid.UUID(response["ResponseMetadata"]["RequestId"])
    return response["Error"]["Code"], response["Error"]["Message"]


def last_code(sandbox: Sandbox, user: str) -> str:
    """The code in the sandbox's newest delivery to *user* (fails when there is none)."""
    codes = [d["code"] for d in sandbox.outbox() if d["user"] == user]
    assert codes, f"no delivery for {user}"
    return str(codes[-1])
