"""The gateway's botocore loader: the same models, without listing every service;
and its warm-up, without the garbage collector."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import botocore
import pytest
from botocore.exceptions import DataNotFoundError, UnknownServiceError
from botocore.loaders import JSONFileLoader, Loader

from console.cognito.gateway import ClientSettings, Gateway, _shared_session
from console.cognito.model_loader import DictFileLoader, DirectLoader, direct_loader


def test_loads_the_same_model_and_rules_as_botocore() -> None:
    ours, theirs = DirectLoader(), Loader()
    for type_name in ("service-2", "endpoint-rule-set-1"):
        assert ours.load_service_model("cognito-idp", type_name) == theirs.load_service_model(
            "cognito-idp", type_name
        )


def test_a_known_service_is_loaded_without_listing_every_service(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def listing(*_args: object) -> list[str]:
        raise AssertionError("listed every service")

    monkeypatch.setattr(DirectLoader, "list_available_services", listing)
    model = DirectLoader().load_service_model("cognito-idp", "service-2")
    assert "ResendConfirmationCode" in model["operations"]


def test_an_unknown_service_fails_as_in_botocore() -> None:
    with pytest.raises(UnknownServiceError, match="cognito-idp"):
        DirectLoader().load_service_model("no-such-service", "service-2")


def test_an_unknown_api_version_fails_as_in_botocore() -> None:
    with pytest.raises(DataNotFoundError):
        DirectLoader().load_service_model("cognito-idp", "service-2", "1999-01-01")


def test_the_data_path_is_searched_first(tmp_path: Path) -> None:
    loader = direct_loader(str(tmp_path))
    assert loader.search_paths[0] == str(tmp_path)
    assert len(loader.search_paths) == len(Loader().search_paths) + 1


def test_the_shared_session_uses_it() -> None:
    loader = _shared_session().get_component("data_loader")
    assert isinstance(loader, DirectLoader)
    assert isinstance(loader.file_loader, DictFileLoader)


def test_json_is_read_into_plain_dicts_in_the_files_order() -> None:
    ours = DictFileLoader().load_file(_data_file("endpoints"))
    theirs = JSONFileLoader().load_file(_data_file("endpoints"))
    assert type(ours) is dict
    assert ours == theirs
    assert json.dumps(ours) == json.dumps(theirs)  # the same order, all the way down


def _data_file(name: str) -> str:
    return str(Path(botocore.__file__).parent / "data" / name)


def test_warming_up_pauses_collections_then_restores_them() -> None:
    seen: list[bool] = []

    def factory(settings: ClientSettings) -> Any:
        seen.append(gc.isenabled())
        return object()

    was = gc.isenabled()
    gc.enable()
    try:
        Gateway(factory).warm_up(ClientSettings(region="eu-west-1"))
        assert seen == [False]
        assert gc.isenabled()
        gc.disable()  # a collector turned off stays off
        Gateway(factory).warm_up(ClientSettings(region="eu-west-2"))
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        if was:
            gc.enable()
        else:
            gc.disable()
