"""Figure 6: the TUI's memory after start-up and after many sends.

``cognito-console --config C`` runs under tmux (profile at a sandbox in
another process, as real use has Cognito elsewhere). Resident set size
(``VmRSS``) and its peak (``VmHWM``) come from ``/proc/PID/status``:

- after start-up: once the profile bar says "ready";
- after the first send (first-use imports and caches are in);
- after 1,000 sends (``--quick``: 100), each typed into the username field
  and sent with Ctrl+J, waiting for its result in the attempt log.

Growth is measured from after start-up (the target) and from after the first
send (what a long session adds). ``--sandbox`` is also started once to show
what the embedded sandbox (moto, in the TUI process) adds.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable

from benchmarks.common import (
    CONSOLE_BIN,
    Row,
    RunConfig,
    Tmux,
    clear_username,
    form_shows,
    quiet_env,
    rss_kib,
    sandbox,
    tui_env,
    tui_ready,
    write_config,
)


def _logged(user: str) -> Callable[[str], bool]:
    pattern = re.compile(rf"[✓✗?!] \d\d:\d\d:\d\d .*· {re.escape(user)}\s")

    def found(screen: str) -> bool:
        return any(pattern.search(line) for line in screen.splitlines()[24:])

    return found


def _mib(kib: int) -> float:
    return kib / 1024


def run(cfg: RunConfig) -> list[Row]:
    folder = cfg.workdir / "memory"
    folder.mkdir(parents=True, exist_ok=True)
    sends = cfg.n(1000, 100, smoke=5)
    points: dict[str, dict[str, int]] = {}
    failed_sends = 0
    send_ms: list[float] = []
    with sandbox(sends + 1) as box:
        config = write_config(folder / "config.toml", box.info, history=folder / "h.sqlite3")
        tmux = Tmux("memory", quiet_env())
        try:
            session = "m"
            tmux.launch(
                session,
                [str(CONSOLE_BIN), "--config", str(config)],
                env=tui_env(folder / "home"),
                cwd=folder,
            )
            tmux.wait_for(session, tui_ready)
            pid = tmux.pane_pid(session)
            time.sleep(0.5)  # let start-up workers settle
            points["startup"] = rss_kib(pid)
            started = time.perf_counter()
            for i in range(1, sends + 1):
                user = f"user{i:04d}"
                clear_username(tmux, session)
                tmux.send_text(session, user)
                tmux.wait_for(session, form_shows(user), timeout=10, interval=0.002)
                tmux.send_key(session, "C-j")
                pressed = time.perf_counter()
                seen, screen = tmux.wait_for(session, _logged(user), timeout=20, interval=0.002)
                send_ms.append((seen - pressed) * 1000)
                if not any(f"· {user}" in line and "✓" in line for line in screen.splitlines()):
                    failed_sends += 1
                if i == 1:
                    points["first_send"] = rss_kib(pid)
            send_seconds = time.perf_counter() - started
            time.sleep(0.5)
            points["after_sends"] = rss_kib(pid)
            tmux.quit(session)

            # The embedded sandbox, once, for context (not in a smoke run).
            if cfg.smoke:
                return _rows(points, send_ms, send_seconds, failed_sends, box.delivered())
            tmux.launch(
                "sb", [str(CONSOLE_BIN), "--sandbox"], env=tui_env(folder / "home-sb"), cwd=folder
            )
            tmux.wait_for("sb", tui_ready)
            time.sleep(0.5)
            points["sandbox_startup"] = rss_kib(tmux.pane_pid("sb"))
            tmux.quit("sb")
        finally:
            tmux.close()
        delivered = box.delivered()

    return _rows(points, send_ms, send_seconds, failed_sends, delivered)


def _rows(
    points: dict[str, dict[str, int]],
    send_ms: list[float],
    send_seconds: float,
    failed_sends: int,
    delivered: int,
) -> list[Row]:
    sends = len(send_ms)
    tenth = max(1, sends // 10)
    first, last = statistics.median(send_ms[:tenth]), statistics.median(send_ms[-tenth:])
    rss = {k: _mib(v["VmRSS"]) for k, v in points.items()}
    hwm = {k: _mib(v["VmHWM"]) for k, v in points.items()}
    growth = rss["after_sends"] - rss["startup"]
    growth_warm = rss["after_sends"] - rss["first_send"]
    detail = {
        "sends": sends,
        "rss_mib": rss,
        "peak_mib": hwm,
        "send_seconds": round(send_seconds, 1),
        "sandbox_delivered": delivered,
        "failed_sends": failed_sends,
        "send_to_log_ms_first_tenth": first,
        "send_to_log_ms_last_tenth": last,
    }
    note = (
        f"{sends} sends in {send_seconds:.0f} s; sandbox delivered {delivered}; "
        f"Ctrl+J to result on screen: {first:.0f} ms (first tenth), {last:.0f} ms (last)"
    )
    if failed_sends:
        note += f"; {failed_sends} sends NOT delivered"
    return [
        Row(
            "6",
            "TUI memory after start-up: RSS (peak)",
            f"{rss['startup']:.0f} MiB ({hwm['startup']:.0f} MiB)",
            "<= 150 MB",
            hwm["startup"] <= 150,
            detail,
            note=f"--sandbox (moto in-process): {rss['sandbox_startup']:.0f} MiB "
            f"(peak {hwm['sandbox_startup']:.0f} MiB)"
            if "sandbox_startup" in rss
            else "",
        ),
        Row(
            "6",
            f"TUI memory after {sends} sends: RSS (peak)",
            f"{rss['after_sends']:.0f} MiB ({hwm['after_sends']:.0f} MiB)",
            "<= 150 MB",
            hwm["after_sends"] <= 150,
            note=note,
        ),
        Row(
            "6",
            f"RSS growth over {sends} sends (from start-up; from first send)",
            f"{growth:+.1f} MiB; {growth_warm:+.1f} MiB",
            "<= +10 MB",
            growth <= 10,
        ),
    ]
