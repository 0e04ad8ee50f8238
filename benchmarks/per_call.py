"""Figure 3: per-call overhead in process.

``console.usecases.resend.perform_resend`` (a fresh ``build_request`` per call with
the confidential client's secret, so validation and SecretHash are in,
then history pending, the call, history completed) against a raw
``client.resend_confirmation_code`` with an inline SecretHash, on the same
botocore client settings, to the same sandbox. The two alternate call by
call; the calls are split into rounds for the spread of the ratio.

The history is measured twice: on the run's work folder (a real disk, where
the pending row's fsync lands) and, as a second "ours" variant, on /dev/shm
(tmpfs: fsync is free) to show what our own code costs without the disk.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.common import Row, RunConfig, UserPool, fmt_ms, ms, sandbox, summary


def _timed_history(path: Path) -> Any:
    """A History whose writes add up their own time in ``.spent``."""
    from console.history import History

    class TimedHistory(History):
        spent = 0.0

        def start_attempt(self, **kwargs: Any) -> int:
            started = time.perf_counter()
            try:
                return super().start_attempt(**kwargs)
            finally:
                self.spent += time.perf_counter() - started

        def finish_attempt(self, attempt_id: int, outcome: Any) -> None:
            started = time.perf_counter()
            try:
                super().finish_attempt(attempt_id, outcome)
            finally:
                self.spent += time.perf_counter() - started

    return TimedHistory.open(path)


def run(cfg: RunConfig) -> list[Row]:
    from pydantic import SecretStr

    from console.cognito import ClientSettings, Gateway, build_request
    from console.config import sandbox_profiles
    from console.usecases import perform_resend

    calls = cfg.n(1000, 200, smoke=20)
    rounds = cfg.rounds
    variants = ("ours", "ours_tmpfs", "raw")
    warm = 2 if cfg.smoke else 10
    users = UserPool.needed((calls + warm) * len(variants)) + 1
    with sandbox(users) as box:
        info = box.info
        conf = info.client("confidential")
        secret = conf.client_secret or ""
        profiles = sandbox_profiles(
            endpoint_url=info.endpoint_url,
            region=info.region,
            user_pool_id=info.user_pool_id,
            public_client_id=info.client("public").client_id,
            confidential_client_id=conf.client_id,
            confidential_secret=secret,
        )
        profile_name = "sandbox-confidential"
        profile = profiles[profile_name]
        settings = ClientSettings(region=info.region, endpoint_url=info.endpoint_url)
        gateway = Gateway()
        raw_client = gateway.client(settings)  # the same client: only our layers differ
        disk = _timed_history(cfg.workdir / "per-call" / "history.sqlite3")
        shm_dir = Path("/dev/shm") if Path("/dev/shm").is_dir() else cfg.workdir
        tmpfs = _timed_history(shm_dir / f"ccbench-{id(cfg)}" / "history.sqlite3")
        pool = UserPool(users)
        failures: dict[str, int] = dict.fromkeys(variants, 0)

        def ours(history: Any) -> float:
            name = pool.take()
            started = time.perf_counter()
            request = build_request(
                client_id=conf.client_id, username=name, secret=SecretStr(secret)
            )
            result = perform_resend(
                gateway,
                history,
                profile_name=profile_name,
                profile=profile,
                settings=settings,
                request=request,
            )
            took = time.perf_counter() - started
            if not result.outcome.ok or result.history_problem:
                failures["ours" if history is disk else "ours_tmpfs"] += 1
            return took

        def raw() -> float:
            name = pool.take()
            started = time.perf_counter()
            digest = hmac.new(
                secret.encode(), (name + conf.client_id).encode(), hashlib.sha256
            ).digest()
            answer = raw_client.resend_confirmation_code(
                ClientId=conf.client_id,
                Username=name,
                SecretHash=base64.b64encode(digest).decode(),
            )
            took = time.perf_counter() - started
            if "CodeDeliveryDetails" not in answer:
                failures["raw"] += 1
            return took

        for _ in range(warm):  # connections, first-use caches
            ours(disk), ours(tmpfs), raw()
        disk.spent = tmpfs.spent = 0.0
        samples: dict[str, list[float]] = {v: [] for v in variants}
        per_round: dict[str, list[float]] = {v: [] for v in variants}
        per_round_count = max(1, calls // rounds)
        history_time = {"ours": 0.0, "ours_tmpfs": 0.0}
        for r in range(rounds):
            block: dict[str, list[float]] = {v: [] for v in variants}
            count = per_round_count if r < rounds - 1 else calls - per_round_count * (rounds - 1)
            for i in range(count):
                order = variants if (i + r) % 2 == 0 else tuple(reversed(variants))
                for variant in order:
                    if variant == "raw":
                        block[variant].append(raw())
                    else:
                        block[variant].append(ours(disk if variant == "ours" else tmpfs))
            for v in variants:
                samples[v] += block[v]
                per_round[v].append(statistics.median(block[v]))
        history_time["ours"] = disk.spent
        history_time["ours_tmpfs"] = tmpfs.spent
        disk.close()
        tmpfs.close()
        for suffix in ("", "-wal", "-shm", "-checked"):
            Path(str(tmpfs.path) + suffix).unlink(missing_ok=True)
        tmpfs.path.parent.rmdir()

    stats = {v: summary([ms(x) for x in samples[v]]) for v in variants}
    round_ratios = {
        v: summary([a / b for a, b in zip(per_round[v], per_round["raw"], strict=True)])
        for v in ("ours", "ours_tmpfs")
    }
    overall = {v: stats[v]["median"] / stats["raw"]["median"] for v in ("ours", "ours_tmpfs")}
    share = {
        v: ms(history_time[v] / len(samples[v])) / stats[v]["median"]
        for v in ("ours", "ours_tmpfs")
    }
    detail: dict[str, Any] = {
        "calls_per_variant": calls,
        "rounds": rounds,
        "latency_ms": stats,
        "ratio_per_round": round_ratios,
        "history_write_ms_per_call": {
            v: ms(history_time[v] / len(samples[v])) for v in ("ours", "ours_tmpfs")
        },
        "history_share": share,
        "failures": failures,
    }
    rows = [
        Row(
            "3",
            f"per call: perform_resend / raw client ({calls} calls each, history on disk)",
            f"{overall['ours']:.2f}x (rounds {round_ratios['ours']['min']:.2f}-"
            f"{round_ratios['ours']['max']:.2f}); ours {fmt_ms(stats['ours'], 2)}, "
            f"raw {fmt_ms(stats['raw'], 2)}",
            "<= 1.10x",
            overall["ours"] <= 1.10,
            detail,
            note=f"history write {share['ours']:.0%} of a call "
            f"({detail['history_write_ms_per_call']['ours']:.2f} ms)",
        ),
        Row(
            "3",
            "per call: same, history on tmpfs (no fsync cost)",
            f"{overall['ours_tmpfs']:.2f}x (rounds {round_ratios['ours_tmpfs']['min']:.2f}-"
            f"{round_ratios['ours_tmpfs']['max']:.2f}); ours {fmt_ms(stats['ours_tmpfs'], 2)}",
            "(context)",
            None,
            note=f"history write {share['ours_tmpfs']:.0%} of a call "
            f"({detail['history_write_ms_per_call']['ours_tmpfs']:.2f} ms)",
        ),
    ]
    if any(failures.values()):
        rows[0].note += f"; FAILED CALLS {failures}"
    return rows
