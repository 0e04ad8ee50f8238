"""A handler that imports, when called, a package the Lambda Python runtime does not have."""


def handler(event, context):
    import pydantic  # noqa: F401 - Lambda's runtime has no pydantic

    event["response"]["emailMessage"] = "validated {####}"
    return event
