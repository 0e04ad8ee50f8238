"""Figure 9: what running the admin's trigger in a child process costs per message.

Each code the sandbox sends with ``--custom-message-trigger`` starts a child
(Node.js or Python), loads the handler afresh, calls it and reads its answer
(:func:`console.triggers.invocation.invoke`). Measured on the test handlers
under tests/data/triggers/ (node_esm: an ES module importing a sibling and
reading a file; python: a module importing a sibling), on the event the
sandbox builds for a sign-up. The target: a call well inside Cognito's 5 s
limit, so the limit measures the handler, not us.
"""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.common import Row, RunConfig, fmt_ms, ms, summary

TRIGGERS = Path(__file__).resolve().parents[1] / "tests" / "data" / "triggers"
TARGET_MS = 1000.0


def run(cfg: RunConfig) -> list[Row]:
    from console.triggers.invocation import invoke
    from console.triggers.samples import sample_event
    from console.triggers.spec import TriggerSpecError, parse_spec

    rows: list[Row] = []
    calls = cfg.n(30, 10, 2)
    for label, spec_text in (
        ("Node.js", f"{TRIGGERS / 'node_esm' / 'index.mjs'}:handler"),
        ("Python", f"{TRIGGERS / 'python' / 'trigger.py'}:handler"),
    ):
        try:
            spec = parse_spec(spec_text)
        except TriggerSpecError as exc:
            rows.append(Row("9", f"trigger call, {label}", "n/a", "", None, note=str(exc)))
            continue
        samples: list[float] = []
        for index in range(cfg.warmup + calls):
            event = sample_event("CustomMessage_SignUp", "ann", email="ann@example.com")
            started = time.perf_counter()
            record, message = invoke(spec, event, medium="EMAIL")
            elapsed = ms(time.perf_counter() - started)
            if message is None:
                raise RuntimeError(f"{label} handler failed: {record.error_message}")
            if index >= cfg.warmup:
                samples.append(elapsed)
        stats = summary(samples)
        rows.append(
            Row(
                "9",
                f"trigger call, {label} ({spec.runtime_version}), child process",
                fmt_ms(stats),
                f"<= {TARGET_MS:.0f} ms",
                stats["median"] <= TARGET_MS,
                detail=stats,
            )
        )
    return rows
