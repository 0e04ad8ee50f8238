"""A local record as the team table's item, and back: nothing lost, nothing secret added."""

from __future__ import annotations

from console.history import AttemptRecord, attempt_item, item_dict


def record(**changes: object) -> AttemptRecord:
    values: dict[str, object] = {
        "id": 7, "started_at": "2026-12-05T14:00:01.250Z",
        "finished_at": "2026-12-05T14:00:01.300Z",
        "profile": "prod", "region": "eu-west-1", "user_pool_id": "eu-west-1_Pool1",
        "client_id": "client1", "username": "bob", "client_metadata": {"lang": "de"},
        "analytics_endpoint_id": None, "outcome": "delivered", "medium": "SMS",
        "destination": "+*******0100", "attribute": "phone_number", "error_code": None,
        "error_message": None, "http_status": None, "request_id": "r-1", "latency_ms": 51.25,
        "may_be_simulated": False, "operator": "ana", "batch_id": None,
    }  # fmt: skip
    values.update(changes)
    return AttemptRecord(**values)  # type: ignore[arg-type]


def test_an_item_round_trips_the_record_and_keys_it_by_pool_and_user() -> None:
    item = attempt_item(record(), uid="u-1", host="desk-7", operator="ana", retention_days=None)
    assert item["pk"] == {"S": "POOL#eu-west-1_Pool1#USER#bob"}
    assert item["sk"] == {"S": "2026-12-05T14:00:01.250Z#u-1"}
    assert item["day"] == {"S": "DAY#2026-12-05"}
    assert "expires_at" not in item
    back = item_dict(item)
    assert back["username"] == "bob"
    assert back["client_metadata"] == {"lang": "de"}
    assert back["latency_ms"] == 51.25
    assert back["may_be_simulated"] is False
    assert back["error_code"] is None  # left out of the item, None when read


def test_cannot_tell_stays_cannot_tell() -> None:
    item = attempt_item(record(may_be_simulated=None), uid="u", host="h", operator="ana")
    assert item["may_be_simulated"] == {"NULL": True}
    assert item_dict(item)["may_be_simulated"] is None


def test_retention_sets_the_ttl_attribute() -> None:
    item = attempt_item(record(), uid="u", host="h", operator="ana", retention_days=30)
    assert int(item["expires_at"]["N"]) > 1_700_000_000
