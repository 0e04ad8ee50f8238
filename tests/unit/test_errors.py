"""The error catalogue covers every error botocore models for the operation."""

from __future__ import annotations

import botocore.session

from console.cognito import CATALOGUE, MODELED_ERRORS, explain


def test_catalogue_covers_every_modeled_error() -> None:
    model = botocore.session.get_session().get_service_model("cognito-idp")
    modeled = {shape.name for shape in model.operation_model("ResendConfirmationCode").error_shapes}
    assert modeled <= MODELED_ERRORS
    assert len(MODELED_ERRORS) >= 15


def test_every_entry_says_what_it_means_and_what_to_do() -> None:
    for code, entry in CATALOGUE.items():
        assert entry.meaning.endswith("."), code
        assert len(entry.remedy) > 10, code


def test_unknown_code_gets_a_generic_explanation() -> None:
    assert "not modeled" in explain("WeirdException").meaning
