"""Concrete queries through Z3 against the interpreter, what compiling costs, and
`prove` in process and as a process.

    python bench/query_bench.py [--spec specs/aliexpress] [--inputs 200] [--cap 4]
                                [--windows 100] [--runs 3] [--seed 7]

Prints, in one run on this machine:

* loading the policy (parse through the cache, type check) and setting up its
  compiled form (`CompiledPolicy`: constants; functions compile on first use);
* for every rule and definition whose parameters the generator can fill: the
  first query through Z3, which compiles the function (`template`: for lists of
  at most `--cap` elements, as the differential tests do; the checkout declares
  80 coupons and 20 store orders), then `--inputs` random valid inputs answered
  both by the interpreter (`Interpreter.call`, the reference) and through Z3 on
  the compiled policy (`CompiledPolicy.evaluate`: the compiled terms evaluated
  in a model holding the inputs; nothing is compiled again). Both answers must
  agree. The medians are per query, over every function and input;
* repeated symbolic queries on the compiled policy: the window of a free date
  of a rule (`CompiledPolicy.window`, what `ask --free` answers) for
  `--windows` random inputs;
* the properties: compiling their queries, then proving them all in this
  process (no answers kept), and `smallprint prove --no-cache` as a whole
  process against `python -c "import z3, lark, click"` in the same run
  (medians of `--runs` starts).

docs/performance.md ("Queries through Z3") records a run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.randvalues import random_value  # noqa: E402


def median_ms(samples: Sequence[float]) -> str:
    return f"{statistics.median(samples) * 1000:8.3f} ms" if samples else "       -"


def process_seconds(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--spec", default="specs/aliexpress")
    parser.add_argument("--inputs", type=int, default=200, help="random inputs per function")
    parser.add_argument("--cap", type=int, default=4, help="list elements, inputs and compiled forms")
    parser.add_argument("--windows", type=int, default=100, help="repeated window queries")
    parser.add_argument("--runs", type=int, default=3, help="process starts per command")
    parser.add_argument("--seed", type=int, default=7)
    opts = parser.parse_args(argv)

    # The processes first, alternating, while this one is still small.
    exe = Path(sys.executable).parent / "smallprint"
    smallprint = [str(exe)] if exe.exists() else [sys.executable, "-m", "smallprint.checker"]
    bare_runs: list[float] = []
    prove_runs: list[float] = []
    for _ in range(opts.runs):
        bare_runs.append(process_seconds([sys.executable, "-c", "import z3, lark, click"]))
        prove_runs.append(process_seconds([*smallprint, "prove", opts.spec, "--no-cache"]))
    bare, prove_process = statistics.median(bare_runs), statistics.median(prove_runs)

    start = time.perf_counter()
    from smallprint.checker.verify import CompiledPolicy
    from smallprint.model.core import Value
    from smallprint.model.interp import EvalError, Interpreter
    from smallprint.model.loader import load_policy
    from smallprint.model.types import BOOL, DATE, Type

    imported = time.perf_counter() - start
    start = time.perf_counter()
    program = load_policy(ROOT / opts.spec).program
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    compiled = CompiledPolicy(program)
    set_up = time.perf_counter() - start
    interp = Interpreter(program)
    rng = random.Random(opts.seed)

    def draw(params: Sequence[Type]) -> list[Value] | None:
        """Random arguments, or None when a record among them breaks an invariant."""
        args = [random_value(program, ty, rng, opts.cap) for ty in params]
        for ty, value in zip(params, args, strict=True):
            if interp.violations(ty, value, "x"):
                return None
        return args

    first: list[tuple[float, str]] = []
    by_interp: list[float] = []
    by_z3: list[float] = []
    functions = 0
    for name, f in program.functions.items():
        params = [p.ty for p in f.params]
        try:
            sample = [draw(params) for _ in range(opts.inputs * 3)]
        except TypeError:  # a parameter type the generator cannot fill
            continue
        inputs = [a for a in sample if a is not None][: opts.inputs]
        if not inputs:
            continue
        start = time.perf_counter()
        compiled.template(name, opts.cap)
        first.append((time.perf_counter() - start, name))
        functions += 1
        for args in inputs:
            start = time.perf_counter()
            try:
                expected: object = interp.call(name, args)
            except EvalError:
                expected = EvalError
            middle = time.perf_counter()
            try:
                found: object = compiled.evaluate(name, args, opts.cap)
            except EvalError:
                found = EvalError
            end = time.perf_counter()
            if found != expected:
                raise SystemExit(f"Z3 and the interpreter disagree: {name}{tuple(args)}: {found}, {expected}")
            by_interp.append(middle - start)
            by_z3.append(end - middle)

    windows: list[float] = []
    rules = [
        (name, f)
        for name, f in program.functions.items()
        if f.ret == BOOL and any(p.ty == DATE for p in f.params)
    ]
    for i in range(opts.windows if rules else 0):
        name, f = rules[i % len(rules)]
        free = next(p.name for p in f.params if p.ty == DATE)
        others = [p for p in f.params if p.name != free]
        args = next((a for a in (draw([p.ty for p in others]) for _ in range(50)) if a is not None), None)
        if args is None:
            continue
        start = time.perf_counter()
        compiled.window(name, dict(zip((p.name for p in others), args, strict=True)), free)
        windows.append(time.perf_counter() - start)

    start = time.perf_counter()
    for prop in program.properties:
        compiled.property_query(prop)
    compiling_properties = time.perf_counter() - start
    start = time.perf_counter()
    results = compiled.prove_all()
    proving = time.perf_counter() - start

    compile_functions = sum(t for t, _ in first)
    sizes = f"{len(program.functions)} rules and definitions, {len(program.properties)} properties"
    print(f"policy {opts.spec}: {sizes}")
    print(f"  importing the model and the compiler  {imported * 1000:8.1f} ms")
    print(f"  loading (parse cache, type check)     {loaded * 1000:8.1f} ms")
    print(f"  compiled policy set up                {set_up * 1000:8.1f} ms")
    print(
        f"  compiling {functions} functions (lists <= {opts.cap}) {compile_functions * 1000:8.1f} ms in all, "
        f"median {median_ms([t for t, _ in first]).strip()}, slowest "
        + ", ".join(f"{n} {t * 1000:.0f} ms" for t, n in sorted(first, reverse=True)[:3])
    )
    print(f"concrete queries: {len(by_z3)} (up to {opts.inputs} random inputs a function), answers equal")
    print(f"  interpreter, median per query         {median_ms(by_interp)}")
    print(f"  Z3 on the compiled policy, median     {median_ms(by_z3)}")
    ratio = statistics.median(by_z3) / statistics.median(by_interp)
    print(f"  Z3 / interpreter                      {ratio:8.1f}x")
    print(f"  Z3, 95th percentile                   {sorted(by_z3)[int(0.95 * len(by_z3))] * 1000:8.3f} ms")
    print(f"window of a free date ({len(windows)} queries over {len(rules)} rules)")
    print(f"  median per query                      {median_ms(windows)}")
    proved = sum(type(r).__name__ == "Proved" for r in results)
    print(f"properties: {proved} proved of {len(results)}")
    print(f"  compiling their queries in process    {compiling_properties:8.2f} s")
    print(f"  proving them in process               {proving:8.2f} s")
    ratio = prove_process / bare
    print(f"  smallprint prove --no-cache (process) {prove_process:8.2f} s  ({ratio:.1f}x the bare import)")
    print(f"  python -c 'import z3, lark, click'    {bare:8.2f} s")


if __name__ == "__main__":
    main()
