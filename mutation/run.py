"""Mutation testing over the modules that hold the console's guarantees.

One command (documented in docs/reliability.md, not part of .ci/run):

    python mutation/run.py                 # every group
    python mutation/run.py text redaction  # some groups

Each group is one module (or some functions of it) and the unit tests that
guard it. cosmic-ray (pinned in the test extra) edits the module on disk for
each mutant, so the run works on a copy of the tree in a temporary folder,
never on yours; PYTHONPATH points the tests (and every child process they
start) at the copy. The result is printed and written to
``mutation/last-run.md``: the score per group and every surviving mutant as
a diff, for docs/reliability.md.

Mutants outside the listed functions are skipped before the run, so a
group's score is about its guarantee, not about the module's plumbing; so
are mutants inside type annotations (``from __future__ import annotations``
never evaluates them: equivalent by construction).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "mutation" / "last-run.md"


@dataclass(frozen=True)
class Group:
    """A guarantee: the module that holds it, the functions that matter, the tests."""

    module: str
    functions: tuple[str, ...]  # empty: the whole module
    tests: tuple[str, ...]
    timeout: float = 60.0


GROUPS: dict[str, Group] = {
    "text": Group(
        "console/text.py",
        (),
        ("tests/unit/test_text.py", "tests/unit/test_hostile_oracle.py"),
    ),
    "request": Group(
        "console/cognito/request.py",
        (
            "compute_secret_hash",
            "mask_secret",
            "ResendRequest",
            "_has_lone_surrogate",
            "_check_length",
            "_check_username",
            "_check_client_id",
            "_check_metadata",
            "_optional",
            "build_request",
        ),
        ("tests/unit/test_request.py", "tests/unit/test_secret_hash_once.py"),
    ),
    "gateway": Group(
        "console/cognito/gateway.py",
        (
            "_text",
            "_make_failure",
            "_client_error_outcome",
            "classify_exception",
            "_success_outcome",
        ),
        (
            "tests/unit/test_gateway_classification.py",
            "tests/unit/test_gateway.py",
            "tests/unit/test_errors.py",
        ),
        timeout=120.0,
    ),
    "history": Group(
        "console/history/store.py",
        ("_mark_interrupted", "start_attempt", "finish_attempt", "_use", "_vouched_change"),
        (
            "tests/unit/test_history_write_discipline.py",
            "tests/unit/test_history_store.py",
            "tests/unit/test_history_file.py",
            "tests/unit/test_history_modules.py",
            "tests/unit/test_history_check_marker.py",
        ),
    ),
    "redaction": Group(
        "console/logging_setup.py",
        ("register_secret", "redact", "RedactingFilter", "configure_logging"),
        ("tests/unit/test_logging_redaction.py",),
    ),
}


def _copy_tree(dest: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for raw in files:
        if not raw:
            continue
        rel = Path(raw.decode())
        source = ROOT / rel
        if not source.is_file() or rel.parts[0] == "mutation":
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest / rel)


def _line_ranges(path: Path, names: tuple[str, ...]) -> list[tuple[int, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    ranges: list[tuple[int, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and (
            node.name in names
        ):
            ranges.append((node.lineno, node.end_lineno or node.lineno))
    missing = set(names) - {n.name for n in ast.walk(tree) if hasattr(n, "name")}
    if missing:
        raise SystemExit(f"mutation/run.py: {path} has no {', '.join(sorted(missing))}")
    return ranges


Span = tuple[int, int, int, int]


def _annotation_spans(path: Path) -> set[Span]:
    """Where a function's parameter and return annotations are.

    Under ``from __future__ import annotations`` they are never evaluated.
    Class-level annotations are left in: pydantic models do evaluate those.
    """
    source = path.read_text(encoding="utf-8")
    if "from __future__ import annotations" not in source:
        return set()
    notes: list[ast.expr] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.arg) and node.annotation is not None:
            notes.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            notes.append(node.returns)
    return {
        (n.lineno, n.col_offset, n.end_lineno or n.lineno, n.end_col_offset or 0) for n in notes
    }


def _in_annotation(mutation: object, notes: set[Span]) -> bool:
    start, end = mutation.start_pos, mutation.end_pos  # type: ignore[attr-defined]
    return any((l0, c0) <= tuple(start) and tuple(end) <= (l1, c1) for l0, c0, l1, c1 in notes)


def _skip_outside(db: Path, ranges: list[tuple[int, int]], notes: set[Span]) -> None:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    with use_db(str(db), WorkDB.Mode.open) as work_db:
        outside = [
            item.job_id
            for item in work_db.pending_work_items
            if all(_in_annotation(m, notes) for m in item.mutations)
            or not any(
                m.start_pos[0] <= high and low <= m.end_pos[0]
                for m in item.mutations
                for low, high in ranges
            )
        ]
        if outside:
            work_db.set_multiple_results(
                outside,
                WorkResult(
                    output="outside the guarded functions", worker_outcome=WorkerOutcome.SKIPPED
                ),
            )


def _config(group: Group) -> str:
    tests = " ".join(group.tests)
    command = f"{sys.executable} -m pytest -x -q -n 0 -p no:randomly -p no:cacheprovider {tests}"
    return (
        "[cosmic-ray]\n"
        f"module-path = {json.dumps(group.module)}\n"
        f"timeout = {group.timeout}\n"
        "excluded-modules = []\n"
        f"test-command = {json.dumps(command)}\n"
        "[cosmic-ray.distributor]\n"
        'name = "local"\n'
    )


@dataclass
class Result:
    """What a group's run found."""

    killed: int = 0
    survivors: list[str] = field(default_factory=list)


def _run_group(name: str, group: Group, work: Path) -> Result:
    cfg = work / f"mutation-{name}.toml"
    db = work / f"mutation-{name}.sqlite"
    cfg.write_text(_config(group), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(work))
    cosmic = [sys.executable, "-m", "cosmic_ray.cli"]
    subprocess.run([*cosmic, "init", str(cfg), str(db)], cwd=work, env=env, check=True)
    module = work / group.module
    ranges = _line_ranges(module, group.functions) if group.functions else [(1, 10**9)]
    _skip_outside(db, ranges, _annotation_spans(module))
    subprocess.run([*cosmic, "exec", str(cfg), str(db)], cwd=work, env=env, check=True)
    dump = subprocess.run(
        [*cosmic, "dump", str(db)], cwd=work, env=env, check=True, capture_output=True, text=True
    ).stdout
    result = Result()
    for line in dump.splitlines():
        item, outcome = json.loads(line)
        if not outcome or outcome["worker_outcome"] == "skipped":
            continue
        if outcome["worker_outcome"] == "normal" and outcome["test_outcome"] == "survived":
            result.survivors.append(outcome.get("diff") or json.dumps(item["mutations"]))
        else:  # the tests failed, timed out, or the mutant could not even load
            result.killed += 1
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("groups", nargs="*", help=f"some of: {', '.join(GROUPS)} (default: all)")
    args = parser.parse_args()
    chosen = args.groups or list(GROUPS)
    unknown = [name for name in chosen if name not in GROUPS]
    if unknown:
        parser.error(f"unknown group {unknown[0]!r}; groups: {', '.join(GROUPS)}")
    lines = ["# Mutation run", ""]
    with tempfile.TemporaryDirectory(prefix="cc-mutation-") as tmp:
        work = Path(tmp)
        _copy_tree(work)
        for name in chosen:
            group = GROUPS[name]
            result = _run_group(name, group, work)
            total = result.killed + len(result.survivors)
            score = 100.0 * result.killed / total if total else 100.0
            head = f"{name} ({group.module}): {result.killed} of {total} killed ({score:.1f}%)"
            print(head, flush=True)
            lines += [f"## {head}", ""]
            for diff in result.survivors:
                lines += ["```diff", diff.rstrip(), "```", ""]
            REPORT.write_text("\n".join(lines), encoding="utf-8")
    print(f"survivors: {REPORT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
