"""The ``[team]`` table: the team's shared history on Amazon DynamoDB.

Without it the console keeps its history in the local SQLite file alone, as
it always has. With it, every attempt also goes to one DynamoDB table the
whole team reads (see ``docs/team.md``). Domain code: no Textual import.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from console.config.models import REGION_PATTERN, NonEmpty, check_endpoint_url

__all__ = ["TABLE_NAME_PATTERN", "TeamSettings"]

TABLE_NAME_PATTERN = r"^[A-Za-z0-9_.-]{3,255}$"
"""DynamoDB's own rule for a table name."""


class TeamSettings(BaseModel):
    """The ``[team]`` table: where the team's shared history lives, and who we are in it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table: str = Field(
        description="DynamoDB table that holds the team's history "
        "(3-255 letters, digits, '_', '-' or '.'); create it with `cognito-console team init`.",
    )
    region: str = Field(
        pattern=REGION_PATTERN, description="AWS Region of the table, e.g. eu-west-1."
    )
    aws_profile: NonEmpty | None = Field(
        default=None,
        description="AWS CLI profile whose credentials write the table; "
        "unset uses the default credential chain.",
    )
    endpoint_url: str | None = Field(
        default=None,
        description="DynamoDB endpoint to use instead of AWS, e.g. a local emulator "
        "http://127.0.0.1:8000. Leave unset for AWS.",
    )
    operator: NonEmpty | None = Field(
        default=None,
        max_length=128,
        description="Your name in the team's history; unset uses the OS user name.",
    )
    retention_days: int | None = Field(
        default=None,
        ge=1,
        le=3650,
        description="Days after which DynamoDB deletes an attempt (its TTL, 1-3650); "
        "unset keeps every attempt.",
    )

    @field_validator("table")
    @classmethod
    def _check_table(cls, value: str) -> str:
        if not re.fullmatch(TABLE_NAME_PATTERN, value):
            raise ValueError("should be 3-255 letters, digits, '_', '-' or '.' (DynamoDB's rule)")
        return value

    @field_validator("endpoint_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value == "":
            return None  # the issue's own example writes endpoint_url = "" for "AWS itself"
        return check_endpoint_url(value)

    @field_validator("retention_days", mode="before")
    @classmethod
    def _no_booleans(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("should be a number of days, not true or false")
        return value
