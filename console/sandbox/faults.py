"""The one error type the sandbox's ResendConfirmationCode answers with.

Every refusal becomes an HTTP answer with a JSON body
``{"__type": code, "message": message}``: that is what botocore turns into the
modeled exception (``client.exceptions.UserNotFoundException`` and so on).
"""

from __future__ import annotations

__all__ = ["ServiceError"]


class ServiceError(Exception):
    """A Cognito error answer: its code, its message and its HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status

    def body(self) -> dict[str, str]:
        """The JSON body Cognito sends for this error."""
        return {"__type": self.code, "message": self.message}
