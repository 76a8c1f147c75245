"""Where `smallprint check` spends its time, phase by phase, in one process.

python bench/check_phases.py [specs/aliexpress]

Functions are compiled when a property or lint first reaches them, so their
compilation is counted in those phases.
"""

from __future__ import annotations

import sys
import time


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else "specs/aliexpress"
    t0 = time.perf_counter()
    from smallprint.model.loader import load_policy
    from smallprint.model.testrun import run_tests

    program = load_policy(path).program
    t1 = time.perf_counter()
    run_tests(program)
    t2 = time.perf_counter()
    from smallprint.checker.verify import CompiledPolicy

    t3 = time.perf_counter()
    compiled = CompiledPolicy(program)
    t4 = time.perf_counter()
    compiled.prove_all()
    t5 = time.perf_counter()
    compiled.lint()
    t6 = time.perf_counter()
    phases = [
        ("load and type check", t1 - t0),
        ("embedded tests", t2 - t1),
        ("import the Z3 side", t3 - t2),
        ("set up (lazy compilation)", t4 - t3),
        ("prove every property", t5 - t4),
        ("lints", t6 - t5),
    ]
    for name, seconds in phases:
        print(f"{name:<24} {seconds:6.2f} s")
    print(f"{'total':<24} {t6 - t0:6.2f} s")


if __name__ == "__main__":
    main()
