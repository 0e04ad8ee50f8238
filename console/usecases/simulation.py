"""Whether a success may be simulated: what the CLI and the TUI both say about a delivery.

A client with PreventUserExistenceErrors ENABLED answers an unknown user
with a normal-looking delivery. The console marks a delivery from such a
client "may be simulated". It knows from, in order: the pool facts
(DescribeUserPoolClient, which needs credentials), the profile's
``hides_unknown_users``, or the app's own knowledge of its sandbox's clients.
Knowing none of them it says "cannot tell" (None), never "no".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Collection

    from console.cognito import PoolFacts
    from console.config import ConsoleSettings, Profile

__all__ = ["ask_whether_simulated", "whether_simulated"]


def whether_simulated(
    profile: Profile,
    client_id: str,
    facts: PoolFacts | None,
    *,
    simulating: Collection[str] = (),
    known_clients_only: bool = False,
) -> bool | None:
    """True, False, or None (cannot tell) for a delivery to *client_id* under *profile*.

    *facts* are about *client_id* or None; *simulating* the clients known to
    hide unknown users; *known_clients_only*: every such client of this
    endpoint is in *simulating* (the embedded sandbox).
    """
    known = facts is not None and facts.prevent_user_existence_errors is not None
    if known and facts is not None and facts.client_id == client_id:
        return facts.hides_unknown_users
    if client_id == profile.client_id and profile.hides_unknown_users is not None:
        return profile.hides_unknown_users
    if client_id in simulating:
        return True
    if known_clients_only:
        return False
    return None


def ask_whether_simulated(
    profile_name: str, profile: Profile, console: ConsoleSettings, client_id: str
) -> bool | None:
    """:func:`whether_simulated`, asking DescribeUserPoolClient when credentials exist
    (or the endpoint is on loopback: a sandbox takes dummy keys).

    Blocking (one admin call, the console's timeouts); never raises. For
    the one-shot CLI, which has no cache; the TUI keeps the facts per profile.
    """
    settled = whether_simulated(profile, client_id, None)
    if settled is not None:
        return settled
    from console.cognito import (
        AdminGateway,
        admin_settings,
        credentials_found,
        fetch_pool_facts,
        local_gateway_for,
    )

    settings = admin_settings(profile, console)
    # A sandbox on loopback answers with dummy keys (as lookups and pool facts do).
    gateway = local_gateway_for(settings)
    if gateway is None:
        if not credentials_found(profile.aws_profile):
            return None
        gateway = AdminGateway()
    result = fetch_pool_facts(
        gateway,
        settings,
        profile_name=profile_name,
        user_pool_id=profile.user_pool_id,
        client_id=client_id,
        profile_has_secret=profile.has_secret(),
    )
    return whether_simulated(profile, client_id, result.facts)
