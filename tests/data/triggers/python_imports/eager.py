"""A handler whose module imports a package the Lambda Python runtime does not have."""

import pydantic  # noqa: F401


def handler(event, context):
    event["response"]["emailMessage"] = "validated {####}"
    return event
