"""CLI cold start and interpreter throughput, against a bare import baseline.

    python bench/cold_start.py [--runs 15] [--orders 100000]

Prints, in one run on this machine: the median wall time of
`python -c "import z3, lark, click"` (the baseline), `smallprint --help`,
`smallprint check` and `smallprint prove` on the spec, each both replayed from
the result cache (nothing changed since the previous run) and recomputed
(`--no-cache`; the parse cache stays warm), their ratios to the baseline, and
the interpreter's throughput (orders per second through every rule and
definition of the spec that takes a single record argument). The recomputed
full `check` and `prove` are slow, so they run `--slow-runs` times.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.randvalues import random_value  # noqa: E402


def timed(cmd: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def after_an_edit(smallprint: list[str], spec: Path, runs: int) -> list[tuple[str, float]]:
    """`check` and `prove` on a copy of the spec after each of `runs` edits that add one
    definition no property or lint depends on: the answers of every unchanged cone are
    reused, the rest (violations, findings) computed again."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / spec.name
        shutil.copytree(spec, copy)
        module = sorted(copy.glob("*.sp"))[0]
        for command in ("prove", "check"):
            subprocess.run([*smallprint, command, str(copy)], cwd=ROOT, capture_output=True, check=False)
            samples = []
            for i in range(runs):
                with module.open("a") as f:
                    f.write(f"\ndef bench_edit_{command}_{i}(x: Int) -> Int = x + {i}\n")
                start = time.perf_counter()
                subprocess.run([*smallprint, command, str(copy)], cwd=ROOT, capture_output=True, check=False)
                samples.append(time.perf_counter() - start)
            out.append((f"smallprint {command} after an unrelated edit", statistics.median(samples)))
    return out


def throughput(spec: Path, n: int) -> tuple[float, int, int]:
    from smallprint.model.interp import EvalError, Interpreter
    from smallprint.model.loader import load_policy
    from smallprint.model.types import RecordT

    program = load_policy(spec).program
    interp = Interpreter(program)
    single = [
        (name, f.params[0].ty)
        for name, f in program.functions.items()
        if len(f.params) == 1 and isinstance(f.params[0].ty, RecordT)
    ]
    by_type: dict[str, list[str]] = {}
    for name, ty in single:
        assert isinstance(ty, RecordT)
        by_type.setdefault(ty.name, []).append(name)
    rng = random.Random(7)
    inputs = []
    for i in range(n):
        tname = list(by_type)[i % len(by_type)]
        value = random_value(program, RecordT(tname), rng)
        if not interp.check_invariants(tname, value):
            inputs.append((tname, value))
    start = time.perf_counter()
    calls = 0
    for tname, value in inputs:
        for func in by_type[tname]:
            with contextlib.suppress(EvalError):  # a division by zero is an answer too
                interp.call(func, [value])
            calls += 1
    elapsed = time.perf_counter() - start
    return len(inputs) / elapsed, len(inputs), calls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--slow-runs", type=int, default=3)
    parser.add_argument("--spec", default="specs/aliexpress")
    args = parser.parse_args()
    exe = Path(sys.executable).parent / "smallprint"
    smallprint = [str(exe)] if exe.exists() else [sys.executable, "-m", "smallprint.checker"]
    for command in ("check", "prove"):  # warm the caches
        subprocess.run([*smallprint, command, args.spec], cwd=ROOT, capture_output=True, check=False)
    base = timed([sys.executable, "-c", "import z3, lark, click"], args.runs)
    rows = [
        ("python -c pass", timed([sys.executable, "-c", "pass"], args.runs)),
        ("python -c 'import z3, lark, click'", base),
        ("smallprint --help", timed([*smallprint, "--help"], args.runs)),
        (f"smallprint check {args.spec} (replayed)", timed([*smallprint, "check", args.spec], args.runs)),
        (f"smallprint prove {args.spec} (replayed)", timed([*smallprint, "prove", args.spec], args.runs)),
        (
            f"smallprint check --no-prove {args.spec} --no-cache",
            timed([*smallprint, "check", "--no-prove", args.spec, "--no-cache"], args.runs),
        ),
        (
            f"smallprint check {args.spec} --no-cache",
            timed([*smallprint, "check", args.spec, "--no-cache"], args.slow_runs),
        ),
        (
            f"smallprint prove {args.spec} --no-cache",
            timed([*smallprint, "prove", args.spec, "--no-cache"], args.slow_runs),
        ),
    ]
    rows.extend(after_an_edit(smallprint, ROOT / args.spec, args.slow_runs))
    print(f"median of {args.runs} runs each ({args.slow_runs} for the recomputed check and prove)")
    for name, seconds in rows:
        print(f"  {name:<55} {seconds * 1000:9.1f} ms  ({seconds / base:6.2f}x baseline)")
    rate, orders, calls = throughput(ROOT / args.spec, args.orders)
    print(f"interpreter: {rate:,.0f} inputs/s ({orders:,} valid inputs, {calls:,} rule evaluations)")


if __name__ == "__main__":
    main()
