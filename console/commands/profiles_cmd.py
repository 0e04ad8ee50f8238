"""`cognito-console profiles`: the configured profiles, secrets masked."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from console.commands.common import EXIT_OK, add_common_options, load_config, out, print_json, safe

if TYPE_CHECKING:
    from console.config import Profile


def add_parser(sub: Any) -> None:
    """Add the `profiles` subcommand."""
    parser = sub.add_parser(
        "profiles",
        help="list configured profiles",
        description="List profiles with region, pool, client, endpoint and secret source (masked).",
    )
    add_common_options(parser, profile=False)
    parser.add_argument("--json", action="store_true", help="one JSON object per profile")
    parser.set_defaults(handler=run)


def secret_summary(profile: Profile) -> str:
    """Where the secret comes from, never the secret: at most its last 4 characters."""
    from console.cognito import mask_secret

    source = profile.secret_source()
    if source is None:
        return "none"
    if source == "inline" and profile.client_secret is not None:
        return f"inline {mask_secret(profile.client_secret.get_secret_value())}"
    if source.startswith("env:"):
        var = source[4:]
        value = os.environ.get(var)
        state = mask_secret(value) if value else "NOT SET"
        return f"env {var} {state}"
    return "command (run when sending)"


def run(args: argparse.Namespace) -> int:
    """Print one line (or JSON object) per profile."""
    config = load_config(args)
    default = config.console.default_profile
    if not config.profiles:
        where = config.source or "no config file found"
        out(f"no profiles configured ({safe(where)}); see config.example.toml")
        return EXIT_OK
    for name, p in sorted(config.profiles.items()):
        row = {
            "name": name,
            "default": name == default,
            "description": p.description,
            "region": p.region,
            "user_pool_id": p.user_pool_id,
            "client_id": p.client_id,
            "endpoint_url": p.endpoint_url,
            "secret": secret_summary(p),
        }
        if args.json:
            print_json(row)
            continue
        mark = "*" if row["default"] else " "
        endpoint = f"  endpoint {safe(p.endpoint_url)}" if p.endpoint_url else ""
        out(
            f"{mark} {safe(name)}  {safe(p.region)}  pool {safe(p.user_pool_id)}  "
            f"client {safe(p.client_id)}{endpoint}  secret: {safe(row['secret'])}"
        )
        if p.description:
            out(f"    {safe(p.description)}")
    return EXIT_OK
