"""Figure 2: one-shot CLI resend against the same running sandbox.

Three commands, each a fresh process, to a sandbox in another process:

- ``ours``: ``cognito-console --config C resend --json -u USER`` (a config
  file whose profile points at the sandbox; the history in the work folder);
- ``aws``: ``aws cognito-idp resend-confirmation-code --no-sign-request``
  (the real AWS CLI, v1 or v2, if one is installed; a pyenv shim is
  resolved to its binary so the shim's own start-up is not counted);
- ``bare``: benchmarks/bare_resend.py, a minimal boto3 script.

Every call goes to a different seeded user (the sandbox allows 5 resends a
user an hour). The order rotates each round; one warm-up round first.
"""

from __future__ import annotations

import json

from benchmarks.common import (
    BENCH_DIR,
    CONSOLE_BIN,
    PYTHON,
    Row,
    RunConfig,
    aws_cli_version,
    find_aws_cli,
    fmt_ms,
    ms,
    paired_ratios,
    quiet_env,
    ratio,
    sandbox,
    summary,
    time_process,
    tui_env,
    write_config,
)


def run(cfg: RunConfig) -> list[Row]:
    folder = cfg.workdir / "cli-resend"
    folder.mkdir(parents=True, exist_ok=True)
    aws = find_aws_cli()
    variants = ["ours", "bare"] + (["aws"] if aws else [])
    rounds = cfg.rounds
    env = quiet_env(**tui_env(folder / "home"))
    samples: dict[str, list[float]] = {v: [] for v in variants}
    failures: list[str] = []
    with sandbox(len(variants) * (rounds + 1) + 1) as box:
        info = box.info
        client_id = info.client("public").client_id
        config = write_config(folder / "config.toml", info, history=folder / "history.sqlite3")
        user_number = 0

        def command(variant: str, user: str) -> list[str]:
            if variant == "ours":
                return [str(CONSOLE_BIN), "--config", str(config), "resend", "--json", "-u", user]
            if variant == "bare":
                return [
                    PYTHON, str(BENCH_DIR / "bare_resend.py"),
                    info.endpoint_url, info.region, client_id, user,
                ]  # fmt: skip
            assert aws is not None
            return [
                aws, "cognito-idp", "resend-confirmation-code", "--no-sign-request",
                "--endpoint-url", info.endpoint_url, "--region", info.region,
                "--client-id", client_id, "--username", user, "--output", "json",
            ]  # fmt: skip

        for r in range(-cfg.warmup, rounds):  # round -1: warm-up
            shift = max(r, 0) % len(variants)
            for variant in variants[shift:] + variants[:shift]:
                user_number += 1
                user = f"user{user_number:04d}"
                took, done = time_process(command(variant, user), env)
                delivered = done.returncode == 0 and (
                    variant != "ours" or json.loads(done.stdout)["outcome"] == "delivered"
                )
                if not delivered:
                    failures.append(f"{variant}: exit {done.returncode}: {done.stderr[-300:]}")
                elif r >= 0:
                    samples[variant].append(took)

    stats = {v: summary([ms(x) for x in xs]) for v, xs in samples.items()}
    detail = {"ms": stats, "rounds": rounds, "failures": failures, "aws_cli": aws}
    vs_bare = ratio(samples["ours"], samples["bare"])
    paired_bare = paired_ratios(samples["ours"], samples["bare"])
    rows = [
        Row(
            "2",
            "one-shot CLI resend: cognito-console vs bare boto3 script",
            f"{vs_bare:.2f}x (rounds {paired_bare['min']:.2f}-{paired_bare['max']:.2f}); "
            f"{fmt_ms(stats['ours'])} vs {fmt_ms(stats['bare'])}",
            "<= 1.25x",
            vs_bare <= 1.25,
            detail,
        )
    ]
    if aws:
        vs_aws = ratio(samples["ours"], samples["aws"])
        paired_aws = paired_ratios(samples["ours"], samples["aws"])
        rows.append(
            Row(
                "2",
                f"one-shot CLI resend: cognito-console vs {aws_cli_version(aws)}",
                f"{vs_aws:.2f}x (rounds {paired_aws['min']:.2f}-{paired_aws['max']:.2f}); "
                f"aws {fmt_ms(stats['aws'])}",
                "<= 0.70x",
                vs_aws <= 0.70,
            )
        )
    else:
        rows.append(
            Row(
                "2",
                "one-shot CLI resend: cognito-console vs AWS CLI",
                "skipped: no AWS CLI found",
                "<= 0.70x",
                None,
                note="install the AWS CLI (v1 or v2) to measure this comparison",
            )
        )
    if failures:
        rows[0].note = f"{len(failures)} FAILED CALLS, first: {failures[0][:200]}"
    return rows
