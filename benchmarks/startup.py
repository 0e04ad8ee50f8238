"""Figure 1: time to interactive, under tmux at 120x40.

From launching the command in a new tmux session until the username field
(its placeholder, "username, alias or sub (exact)") is on the terminal, for:

- ``baseline``: benchmarks/baseline_app.py, a minimal Textual app with an
  Input, a DataTable and a RichLog (same placeholder text);
- ``sandbox``: ``cognito-console --sandbox`` with no config file and an
  empty history;
- ``sandbox_big``: the same with ``--config`` naming 20 more profiles and a
  100,000-row history;
- ``config``: ``cognito-console --config`` with one profile pointing at a
  sandbox running in another process (no embedded sandbox to start).

"Ready" is when the first send can go out: the profile bar's status turns
from "starting sandbox…"/"connecting…" to "ready" (the app does that when
the botocore client for the profile exists). For ``--sandbox`` that includes
starting the embedded sandbox (moto); ``config`` shows the console's own part.
``--quick`` waits for "ready" with ``config`` only.

Variants run in a rotating order within each round; one warm-up round first
(bytecode and page cache) is not counted.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import (
    BENCH_DIR,
    CONSOLE_BIN,
    PYTHON,
    Row,
    RunConfig,
    Tmux,
    build_history,
    fmt_ms,
    ms,
    paired_ratios,
    quiet_env,
    ratio,
    sandbox,
    summary,
    tui_env,
    write_config,
)

PLACEHOLDER = "username, alias or sub"
_READY = re.compile(r"\bready\s*$")
_FAILED = re.compile(r"failed|error", re.IGNORECASE)


def _first_line(screen: str) -> str:
    return screen.splitlines()[0] if screen else ""


def _profiles_config(path: Path, count: int, history: Path) -> Path:
    """A config with *count* profiles (never called) and the history at *history*."""
    lines = ["[console]", f'history_path = "{history}"', ""]
    for i in range(count):
        lines += [
            f"[profiles.team{i:02d}]",
            f'description = "team {i} pool"',
            'region = "eu-west-1"',
            f'user_pool_id = "eu-west-1_Team{i:02d}Pool"',
            f'client_id = "client{i:02d}abcdefghijklmnop"',
            'endpoint_url = "http://127.0.0.1:9"',
            'client_metadata = { source = "helpdesk" }',
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    path.chmod(0o600)
    return path


def _one(
    tmux: Tmux,
    name: str,
    argv: list[str],
    env: dict[str, str],
    cwd: Path,
    want_ready: bool,
    profile_marks: tuple[str, ...] = (),
) -> dict[str, float]:
    """Launch *argv*; when the username field, the profile and "ready" were first seen.

    *profile_marks*: texts that are all on the screen once the profile (its name
    and pool) is; empty for a variant whose profile comes from the sandbox.
    Every mark is looked for in each capture, so one that comes in the same
    frame as another gets the same time.
    """
    session = f"s-{name}"
    started = tmux.launch(session, argv, env=env, cwd=cwd)

    def ready(screen: str) -> bool:
        line = _first_line(screen)
        if _FAILED.search(line):
            raise RuntimeError(f"not ready: {line.strip()}")
        return bool(_READY.search(line))

    checks: dict[str, Callable[[str], bool]] = {"tti": lambda screen: PLACEHOLDER in screen}
    if profile_marks:
        checks["profile"] = lambda screen: all(mark in screen for mark in profile_marks)
    if want_ready:
        checks["ready"] = ready
    out: dict[str, float] = {}
    try:

        def all_seen(screen: str) -> bool:
            now = time.perf_counter()
            for key, check in checks.items():
                if key not in out and check(screen):
                    out[key] = now - started
            return len(out) == len(checks)

        tmux.wait_for(session, all_seen, interval=0.005)
        return out
    finally:
        tmux.kill(session)  # what start-up left behind is not measured


def run(cfg: RunConfig) -> list[Row]:
    history_rows = cfg.n(100_000, 100_000, smoke=1_000)
    folder = cfg.workdir / "startup"
    folder.mkdir(parents=True, exist_ok=True)
    big_history = folder / "big-history.sqlite3"
    build_history(big_history, history_rows)
    cfg20 = _profiles_config(folder / "profiles20.toml", 20, big_history)
    homes = {v: folder / f"home-{v}" for v in ("baseline", "sandbox", "sandbox_big", "config")}
    envs = {v: tui_env(home) for v, home in homes.items()}
    variants: dict[str, tuple[list[str], bool]] = {
        "baseline": ([PYTHON, str(BENCH_DIR / "baseline_app.py")], False),
        "sandbox": ([str(CONSOLE_BIN), "--sandbox"], True),
        "sandbox_big": ([str(CONSOLE_BIN), "--sandbox", "--config", str(cfg20)], True),
    }
    samples: dict[str, dict[str, list[float]]] = {}
    with sandbox(0) as box:
        config_path = write_config(
            folder / "one-profile.toml", box.info, history=folder / "config-history.sqlite3"
        )
        variants["config"] = ([str(CONSOLE_BIN), "--config", str(config_path)], True)
        # The profile's name with its description, and its pool: what the TOML names.
        marks = {"config": ("sandbox  benchmark sandbox", f"pool {box.info.user_pool_id}")}
        samples = {v: {"tti": [], "profile": [], "ready": []} for v in variants}
        tmux = Tmux("startup", quiet_env())
        try:
            names = list(variants)
            for r in range(-cfg.warmup, cfg.rounds):  # round -1: warm-up
                shift = max(r, 0) % len(names)
                for name in names[shift:] + names[:shift]:
                    argv, want_ready = variants[name]
                    # --quick and --smoke wait for "ready" only where it says most
                    # about us: with --sandbox it is mostly moto starting.
                    want_ready = want_ready and (not cfg.quick or name == "config")
                    got = _one(
                        tmux, name, argv, envs[name], homes[name], want_ready, marks.get(name, ())
                    )
                    if r >= 0:
                        for key, value in got.items():
                            samples[name][key].append(value)
        finally:
            tmux.close()

    stats: dict[str, Any] = {
        v: {k: summary([ms(x) for x in xs]) for k, xs in d.items() if xs}
        for v, d in samples.items()
    }
    tti = {v: samples[v]["tti"] for v in variants}
    r_sandbox = ratio(tti["sandbox"], tti["baseline"])
    r_big = ratio(tti["sandbox_big"], tti["baseline"])
    p_sandbox = paired_ratios(tti["sandbox"], tti["baseline"])
    p_big = paired_ratios(tti["sandbox_big"], tti["baseline"])
    r_profile = ratio(samples["config"]["profile"], tti["baseline"])
    r_ready = ratio(samples["config"]["ready"], tti["baseline"])
    p_profile = paired_ratios(samples["config"]["profile"], tti["baseline"])
    p_ready = paired_ratios(samples["config"]["ready"], tti["baseline"])
    detail = {"ms": stats, "history_rows": history_rows, "profiles": 20, "rounds": cfg.rounds}
    return [
        Row(
            "1",
            "time to interactive: --sandbox vs minimal Textual app",
            f"{r_sandbox:.2f}x (rounds {p_sandbox['min']:.2f}-{p_sandbox['max']:.2f}); "
            f"{fmt_ms(stats['sandbox']['tti'])} vs {fmt_ms(stats['baseline']['tti'])}",
            "<= 1.15x",
            r_sandbox <= 1.15,
            detail,
        ),
        Row(
            "1",
            f"time to interactive: + 20 profiles, {history_rows:,}-row history",
            f"{r_big:.2f}x (rounds {p_big['min']:.2f}-{p_big['max']:.2f}); "
            f"{fmt_ms(stats['sandbox_big']['tti'])}",
            "<= 1.20x",
            r_big <= 1.20,
        ),
        Row(
            "1",
            "ready to send: --sandbox (embedded sandbox start included)",
            fmt_ms(stats["sandbox"].get("ready", {})) + (" (full run only)" if cfg.quick else ""),
            "(context)",
            None,
            note=f"with 20 profiles + history: {fmt_ms(stats['sandbox_big'].get('ready', {}))}",
        ),
        Row(
            "1",
            "profile (name and pool from the TOML) on screen: --config vs minimal app",
            f"{r_profile:.2f}x (rounds {p_profile['min']:.2f}-{p_profile['max']:.2f}); "
            f"{fmt_ms(stats['config']['profile'])}",
            "<= 1.5x",
            r_profile <= 1.5,
            note=f"its username field: {fmt_ms(stats['config']['tti'])}",
        ),
        Row(
            "1",
            "ready to send: --config, profile at a running endpoint, vs minimal app",
            f"{r_ready:.2f}x (rounds {p_ready['min']:.2f}-{p_ready['max']:.2f}); "
            f"{fmt_ms(stats['config']['ready'])}",
            "<= 2.5x",
            r_ready <= 2.5,
        ),
    ]
