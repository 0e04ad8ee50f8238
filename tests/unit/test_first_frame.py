"""What the first frame shows from the raw TOML, before validation: only what the file says."""

from __future__ import annotations

from typing import Any

from console.tui.first_frame import ProfileHint, first_frame

PROD = {
    "description": "EU helpdesk",
    "region": "eu-west-1",
    "user_pool_id": "eu-west-1_Prod",
    "client_id": "prodclient",
    "endpoint_url": "http://127.0.0.1:9",
}
DEV = {"region": "us-east-1", "user_pool_id": "us-east-1_Dev", "client_id": "devclient"}


def _data(default: str | None = "prod", **profiles: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"profiles": profiles or {"prod": PROD, "dev": DEV}}
    if default is not None:
        data["console"] = {"default_profile": default, "theme": "nord"}
    return data


def test_the_default_profile_is_shown_with_its_facts() -> None:
    hint = first_frame(_data(), None, environ={}).profile
    assert hint == ProfileHint(
        name="prod",
        user_pool_id="eu-west-1_Prod",
        region="eu-west-1",
        client_id="prodclient",
        description="EU helpdesk",
        endpoint_url="http://127.0.0.1:9",
    )
    assert hint.facts() == (
        "eu-west-1 · pool eu-west-1_Prod · client prodclient · endpoint http://127.0.0.1:9"
    )


def test_profile_wins_over_the_default_and_a_lone_profile_needs_no_default() -> None:
    assert first_frame(_data(), "dev", environ={}).profile.name == "dev"  # type: ignore[union-attr]
    lone = first_frame(_data(None, only=DEV), None, environ={}).profile
    assert lone is not None and lone.name == "only"
    # Two profiles and no default: the validated config asks for --profile; nothing early.
    assert first_frame(_data(None), None, environ={}).profile is None


def test_nothing_is_shown_that_validation_could_change() -> None:
    # An unknown profile, a table that is not one, no pool: validation will say.
    assert first_frame(_data(), "nope", environ={}).profile is None
    assert first_frame(_data(prod="x"), None, environ={}).profile is None
    assert first_frame(_data(prod={"user_pool_id": 3}), None, environ={}).profile is None
    # --sandbox without --profile: the sandbox's own profile is the active one.
    assert first_frame(_data(), None, sandbox=True, environ={}).profile is None
    assert first_frame(_data(), "dev", sandbox=True, environ={}).profile is not None


def test_an_environment_override_of_the_profile_hides_the_early_view() -> None:
    for variable in (
        "COGNITO_CONSOLE_PROFILES__PROD__USER_POOL_ID",
        "cognito_console_profiles__prod__region",
        "COGNITO_CONSOLE_PROFILES",
        "COGNITO_CONSOLE_CONSOLE__DEFAULT_PROFILE",
    ):
        frame = first_frame(_data(), None, environ={variable: "x"})
        assert frame.profile is None, variable
    # Another profile's secret, an empty value, or --profile with a default override: shown.
    env = {"COGNITO_CONSOLE_PROFILES__DEV__CLIENT_SECRET": "s"}
    assert first_frame(_data(), None, environ=env).profile is not None
    env = {"COGNITO_CONSOLE_PROFILES__PROD__REGION": ""}
    assert first_frame(_data(), None, environ=env).profile is not None
    env = {"COGNITO_CONSOLE_CONSOLE__DEFAULT_PROFILE": "dev"}
    assert first_frame(_data(), "prod", environ=env).profile is not None


def test_the_theme_is_a_hint_too() -> None:
    assert first_frame(_data(), None, environ={}).theme == "nord"
    env = {"COGNITO_CONSOLE_CONSOLE__THEME": "dracula"}
    assert first_frame(_data(), None, environ=env).theme is None
