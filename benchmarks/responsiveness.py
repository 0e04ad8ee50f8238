"""Figure 5: key-to-screen latency while typing, with a call in flight and idle.

``cognito-console --config C`` runs under tmux with its profile pointing at
a sandbox in another process. Each round has two phases, in alternating
order:

- ``in flight``: the sandbox answers after 2 s; a username is sent
  (Ctrl+J) and, while "sending …" is on screen, keys are typed into the
  username field one at a time;
- ``idle``: the same typing with nothing in flight (the idle-app baseline).

A key's latency runs from ``tmux send-keys`` until ``capture-pane`` shows the
field with that character: what the user sees. Both phases pay the same
polling overhead (a ``tmux capture-pane`` process per poll, ~2-4 ms).
"""

from __future__ import annotations

import random
import time

from benchmarks.common import (
    CONSOLE_BIN,
    Row,
    RunConfig,
    Tmux,
    clear_username,
    form_shows,
    percentile,
    quiet_env,
    sandbox,
    summary,
    tui_env,
    tui_ready,
    write_config,
)

LATENCY_MS = 2000


def _sending(screen: str) -> bool:
    return "sending " in screen


def _type_keys(
    tmux: Tmux, session: str, prefix: str, keys: int, window_s: float | None
) -> list[float]:
    """Type *keys* characters after *prefix*, one at a time; each key's latency in ms."""
    out: list[float] = []
    typed = prefix
    started = time.perf_counter()
    for _ in range(keys):
        if window_s is not None and time.perf_counter() - started > window_s:
            break
        typed += "x"
        sent = time.perf_counter()
        tmux.send_text(session, "x")
        seen, _ = tmux.wait_for(session, form_shows(typed), timeout=10, interval=0.001)
        out.append((seen - sent) * 1000)
        time.sleep(random.uniform(0.02, 0.05))  # a fast typist's gap
    return out


def run(cfg: RunConfig) -> list[Row]:
    folder = cfg.workdir / "responsiveness"
    folder.mkdir(parents=True, exist_ok=True)
    keys = cfg.n(20, 12, smoke=3)
    rounds = cfg.rounds
    samples: dict[str, list[float]] = {"inflight": [], "idle": []}
    missed_window = 0
    rng_seed = 6
    random.seed(rng_seed)
    with sandbox(rounds + 2) as box:
        config = write_config(folder / "config.toml", box.info, history=folder / "h.sqlite3")
        tmux = Tmux("responsive", quiet_env())
        session = "r"
        try:
            tmux.launch(
                session,
                [str(CONSOLE_BIN), "--config", str(config)],
                env=tui_env(folder / "home"),
                cwd=folder,
            )
            tmux.wait_for(session, tui_ready)
            for r in range(rounds):
                phases = ["inflight", "idle"] if r % 2 == 0 else ["idle", "inflight"]
                for phase in phases:
                    user = f"user{r + 1:04d}"
                    clear_username(tmux, session)
                    tmux.send_text(session, user)
                    tmux.wait_for(session, form_shows(user), timeout=10)
                    if phase == "inflight":
                        box.set_latency_ms(LATENCY_MS)
                        tmux.send_key(session, "C-j")
                        sent = time.perf_counter()
                        tmux.wait_for(session, _sending, timeout=10)
                        window = LATENCY_MS / 1000 - (time.perf_counter() - sent) - 0.3
                        got = _type_keys(tmux, session, user, keys, window)
                        if len(got) < keys:
                            missed_window += keys - len(got)
                        samples[phase] += got
                        tmux.wait_for(session, lambda s: not _sending(s), timeout=15)
                        box.set_latency_ms(0)
                    else:
                        samples[phase] += _type_keys(tmux, session, user, keys, None)
        finally:
            tmux.quit(session)
            tmux.close()

    stats = {k: summary(v) for k, v in samples.items()}
    p95 = {k: percentile(v, 95) for k, v in samples.items()}
    detail = {
        "ms": stats,
        "keys_per_phase": keys,
        "rounds": rounds,
        "sandbox_latency_ms": LATENCY_MS,
        "keys_not_typed_in_window": missed_window,
    }
    return [
        Row(
            "5",
            f"key-to-screen, call in flight ({len(samples['inflight'])} keys), p95",
            f"{p95['inflight']:.1f} ms (median {stats['inflight']['median']:.1f}, "
            f"max {stats['inflight']['max']:.1f})",
            "<= 50 ms",
            p95["inflight"] <= 50,
            detail,
        ),
        Row(
            "5",
            f"key-to-screen, idle app ({len(samples['idle'])} keys), p95",
            f"{p95['idle']:.1f} ms (median {stats['idle']['median']:.1f}, "
            f"max {stats['idle']['max']:.1f})",
            "(baseline)",
            None,
        ),
    ]
