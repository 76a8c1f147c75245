"""Semantic diff of the whole AliExpress suite against a copy with one change.

    python bench/diff_bench.py [--runs 3] [--case free-return|min-spend|wallet-100 ...]

Copies specs/aliexpress to a temporary folder, makes one change, and times
`smallprint diff specs/aliexpress COPY` as a user runs it (a fresh process:
start-up, loading and checking both versions, compiling both to Z3, every
question, witnesses and rendering). Prints, per case, the median wall time of
the runs and what the diff found. The cases:

* `free-return` (default): the Free Return window, `r.requested_on <= c +
  free_return_days` (15 days) to `c + 14 days`; target under 5 s.
* `min-spend`: the checkout's store-scoped minimum spends reached at equality
  (`> m` to `>= m` in `store_min_spends_met`): a change inside the checkout,
  whose definitions are unrolled over 80 coupons and 20 stores.
* `wallet-100`: the wallet's bound raised from 80 to 100 coupons (an input
  change; every definition taking the wallet changes type, none its answers).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "specs" / "aliexpress"

# name -> (file, text to replace (exactly once), replacement, what it is)
CASES = {
    "free-return": (
        "free_return.sp",
        "    and r.requested_on <= c + free_return_days\n",
        "    and r.requested_on <= c + 14 days\n",
        "free_return.sp: 15 -> 14 days",
    ),
    "min-spend": (
        "checkout.sp",
        "        else before_f\n      )\n      > m\n",
        "        else before_f\n      )\n      >= m\n",
        "checkout.sp: store minimum spends reached at equality",
    ),
    "wallet-100": (
        "checkout.sp",
        "coupons: List[WalletCoupon, 80]",
        "coupons: List[WalletCoupon, 100]",
        "checkout.sp: a wallet of up to 100 coupons",
    ),
}


def run_case(name: str, runs: int) -> None:
    file, clause, changed, what = CASES[name]
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "aliexpress"
        shutil.copytree(SUITE, copy, ignore=shutil.ignore_patterns("versions"))
        text = (copy / file).read_text("utf-8")
        if text.count(clause) != 1:
            sys.exit(f"the text to change is not in {file} exactly once: update bench/diff_bench.py ({name})")
        (copy / file).write_text(text.replace(clause, changed), "utf-8")
        cmd = [sys.executable, "-m", "smallprint.checker", "diff", str(SUITE), str(copy), "--format", "json"]
        times: list[float] = []
        out = ""
        for _ in range(runs):
            start = time.perf_counter()
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - start)
            if proc.returncode not in (0, 1):
                sys.exit(f"diff failed ({proc.returncode}): {proc.stderr}")
            out = proc.stdout
    report = json.loads(out)
    summary = report["summary"]
    changed_functions = [
        f"{f['name']} ({f['status']})" for f in report["functions"] if f["status"] != "equivalent"
    ]
    inputs = [f"{i['name']} ({'+'.join(i['kinds'])})" for i in report["inputs"]]
    print(f"case {name}: smallprint diff specs/aliexpress <copy with {what}> --format json")
    print(f"  rules and definitions compared: {summary['compared']}, equivalent: {summary['equivalent']}")
    print(f"  differences: {', '.join(changed_functions) or 'none'}")
    if inputs:
        print(f"  inputs accepted changed: {', '.join(inputs)}")
    print(f"  exit: {1 if report['status'] == 'failed' else 0}")
    print(
        f"  wall time, median of {runs}: {statistics.median(times):.2f} s (runs: "
        + ", ".join(f"{t:.2f}" for t in times)
        + ")"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="default: free-return")
    args = parser.parse_args()
    for name in args.case or ["free-return"]:
        run_case(name, args.runs)


if __name__ == "__main__":
    main()
