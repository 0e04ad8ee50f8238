"""Our CustomMessage event has the fields Powertools' models define, for all seven sources.

The models are copied under tests/data/powertools/ (see its README). The
zod schema says which fields are required, optional or nullable; the Python
sample event gives linkParameter's value. A field we forget (linkParameter
was the standing example) or invent fails here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from console.triggers.events import SOURCES, build_event, event_attributes

DATA = Path(__file__).resolve().parents[1] / "data" / "powertools"

Field = dict[str, Any]


def _schema() -> dict[str, Field]:
    """Path ("request.codeParameter") -> {"optional", "nullable", "object"} from the zod text."""
    fields: dict[str, Field] = {}
    stack: list[str] = []
    for line in (DATA / "typescript_CustomMessageTriggerSchema.ts").read_text().splitlines():
        text = line.strip()
        if text.startswith("const "):
            stack = []
            continue
        match = re.match(r"^(\w+): z\.(\w+)\((.*)$", text)
        if match:
            name, kind, rest = match.groups()
            path = ".".join([*stack, name])
            fields[path] = {
                "optional": ".optional()" in rest,
                "nullable": ".nullable()" in rest,
                "object": kind == "object",
                "record": kind == "record",
            }
            if kind == "object" and not rest.startswith("{})"):
                stack.append(name)
            continue
        if text.startswith("}),") and stack:
            stack.pop()
    return fields


def _paths(value: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        path = f"{prefix}{key}"
        out[path] = item
        if isinstance(item, dict) and key not in ("userAttributes", "clientMetadata"):
            out.update(_paths(item, path + "."))
    return out


def _event(source: str, metadata: dict[str, str] | None) -> dict[str, Any]:
    return build_event(
        trigger_source=source,
        region="eu-west-1",
        user_pool_id="eu-west-1_abc",
        username="alice",
        client_id="client",
        user_attributes=event_attributes(
            {"email": "a@example.com", "email_verified": "true", "sub": "s-1"},
            status="UNCONFIRMED",
        ),
        sdk_version="aws-sdk-js-3.0.0",
        client_metadata=metadata,
    )


def test_the_schema_copy_is_read() -> None:
    schema = _schema()
    assert schema["request.linkParameter"]["nullable"]
    assert schema["request.clientMetadata"]["optional"]
    assert "response.emailSubject" in schema


@pytest.mark.parametrize("metadata", [None, {"lang": "fr"}])
@pytest.mark.parametrize("source", list(SOURCES))
def test_our_event_matches_the_powertools_schema(
    source: str, metadata: dict[str, str] | None
) -> None:
    schema = _schema()
    # Base-schema placeholders (request/response as empty objects) are redefined by the extension.
    ours = _paths(_event(source, metadata))
    assert set(ours) <= set(schema), f"fields Powertools does not know: {set(ours) - set(schema)}"
    required = {path for path, f in schema.items() if not f["optional"]}
    assert required - {"userName"} <= set(ours)
    for path, value in ours.items():
        field = schema[path]
        if value is None:
            assert field["nullable"], path
        elif field["object"]:
            assert isinstance(value, dict), path
        elif field["record"]:
            assert all(isinstance(v, str) for v in value.values()), path
        else:
            assert isinstance(value, str), path
    assert ("request.clientMetadata" in ours) is (metadata is not None)


def test_our_event_has_the_python_sample_events_fields_and_link() -> None:
    sample = json.loads((DATA / "python_cognitoCustomMessageEvent.json").read_text())
    ours = _event(sample["triggerSource"], None)
    assert set(sample) == set(ours)
    assert set(sample["request"]) <= set(ours["request"])
    assert ours["request"]["linkParameter"] == sample["request"]["linkParameter"]
    assert ours["request"]["usernameParameter"] == "{username}"


def test_only_admin_create_user_gets_a_username_parameter() -> None:
    for source in SOURCES:
        value = _event(source, None)["request"]["usernameParameter"]
        assert (value == "{username}") is (source == "CustomMessage_AdminCreateUser")


def test_an_unknown_source_builds_no_event() -> None:
    with pytest.raises(ValueError, match="unknown trigger source 'CustomMessage_Nope'"):
        _event("CustomMessage_Nope", None)
