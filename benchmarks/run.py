"""Run the benchmark suite: ``python benchmarks/run.py [--quick] [--rounds N] [--only 1,3]``.

Prints one table (every figure against its target) and writes
``benchmarks/results.json``. Every comparison is measured side by side in
one run, interleaved round by round, at least 7 rounds; ``--quick`` shrinks
row and call counts, not the rounds. ``--smoke`` is the CI run: one round,
tiny counts, every figure exercised, no time judged. Only 127.0.0.1 is
contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

from benchmarks.common import BENCH_DIR, Row, RunConfig  # noqa: E402

FIGURES = {
    "1": "startup",
    "2": "cli_resend",
    "3": "per_call",
    "4": "history_scale",
    "5": "responsiveness",
    "6": "memory",
    "7": "bulk_rate",
    "8": "doctor",
    "9": "trigger_call",
    "10": "team_sync",
}
NEEDS_TMUX = frozenset({"1", "5", "6"})


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    import boto3
    import botocore
    import textual

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    from importlib.metadata import version

    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "textual": textual.__version__ if hasattr(textual, "__version__") else version("textual"),
        "boto3": boto3.__version__,
        "botocore": botocore.__version__,
        "tmux": shutil.which("tmux") or "not found",
    }


def print_table(rows: list[Row]) -> None:
    mark = {True: "ok", False: "MISSED", None: "-"}
    print()
    print(f"{'fig':3}  {'metric':62}  {'target':>12}  {'':6}  value")
    print("-" * 140)
    for row in rows:
        print(
            f"{row.figure:3}  {row.metric[:62]:62}  {row.target:>12}  {mark[row.met]:6}  "
            f"{row.value}"
        )
        if row.note:
            print(f"{'':3}  {'':62}  {'':>12}  {'':6}  ({row.note})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rows and calls")
    parser.add_argument("--smoke", action="store_true", help="CI: 1 round, tiny counts")
    parser.add_argument("--rounds", type=int, default=None, help="rounds per comparison")
    parser.add_argument("--only", default="", help="figures to run, e.g. 1,3 (default all)")
    parser.add_argument(
        "--output", default=str(BENCH_DIR / "results.json"), help="where to write the JSON"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    rounds = args.rounds or (1 if args.smoke else 7)
    only = frozenset(p.strip() for p in args.only.split(",") if p.strip())
    cfg = RunConfig(quick=args.quick or args.smoke, rounds=rounds, smoke=args.smoke, only=only)
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    print(f"cognito-console benchmarks: {mode} run, {rounds} rounds, work folder {cfg.workdir}")
    started = time.perf_counter()
    rows: list[Row] = []
    errors: dict[str, str] = {}
    timings: dict[str, float] = {}
    import importlib

    for number, module_name in FIGURES.items():
        if only and number not in only:
            continue
        if number in NEEDS_TMUX and shutil.which("tmux") is None:
            rows.append(Row(number, module_name, "skipped: tmux not installed", "", None))
            continue
        print(f"figure {number} ({module_name})...", flush=True)
        t0 = time.perf_counter()
        try:
            module = importlib.import_module(f"benchmarks.{module_name}")
            rows += module.run(cfg)
        except Exception as exc:  # one figure failing does not lose the others
            traceback.print_exc()
            errors[number] = f"{type(exc).__name__}: {exc}"
            rows.append(Row(number, module_name, f"ERROR: {exc}", "", None))
        timings[number] = time.perf_counter() - t0
        print(f"  ({timings[number]:.0f} s)", flush=True)
    total = time.perf_counter() - started
    print_table(rows)
    print(f"\ntotal {total:.0f} s")
    result = {
        "mode": mode,
        "rounds": rounds,
        "machine": machine(),
        "seconds": round(total, 1),
        "seconds_per_figure": {k: round(v, 1) for k, v in timings.items()},
        "rows": [row.to_json() for row in rows],
        "errors": errors,
    }
    Path(args.output).write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(f"wrote {args.output}")
    if not args.keep:
        shutil.rmtree(cfg.workdir, ignore_errors=True)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
