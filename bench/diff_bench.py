"""Semantic diff of the whole AliExpress suite against a one-clause change.

    python bench/diff_bench.py [--runs 3]

Copies specs/aliexpress to a temporary folder, changes one clause of the Free
Return window (`r.requested_on <= c + free_return_days`, 15 days, to
`c + 14 days`), and times `smallprint diff specs/aliexpress COPY` as a user
runs it (a fresh process: start-up, loading and checking both versions,
compiling both to Z3, every question, witnesses and rendering). Prints the
median wall time of the runs and what the diff found; the target is under 5 s.
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
FILE = "free_return.sp"
CLAUSE = "    and r.requested_on <= c + free_return_days\n"
CHANGED = "    and r.requested_on <= c + 14 days\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "aliexpress"
        shutil.copytree(SUITE, copy, ignore=shutil.ignore_patterns("versions"))
        text = (copy / FILE).read_text("utf-8")
        if text.count(CLAUSE) != 1:
            sys.exit(f"the clause to change is not in {FILE} exactly once: update bench/diff_bench.py")
        (copy / FILE).write_text(text.replace(CLAUSE, CHANGED), "utf-8")
        cmd = [sys.executable, "-m", "smallprint.checker", "diff", str(SUITE), str(copy), "--format", "json"]
        times: list[float] = []
        out = ""
        for _ in range(args.runs):
            start = time.perf_counter()
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - start)
            if proc.returncode not in (0, 1):
                sys.exit(f"diff failed ({proc.returncode}): {proc.stderr}")
            out = proc.stdout
    report = json.loads(out)
    summary = report["summary"]
    changed = [f"{f['name']} ({f['status']})" for f in report["functions"] if f["status"] != "equivalent"]
    print(f"command: smallprint diff specs/aliexpress <copy with {FILE}: 15 -> 14 days> --format json")
    print(f"rules and definitions compared: {summary['compared']}, equivalent: {summary['equivalent']}")
    print(f"differences: {', '.join(changed) or 'none'}")
    print(f"exit: {1 if report['status'] == 'failed' else 0}")
    print(
        f"wall time, median of {args.runs}: {statistics.median(times):.2f} s (runs: "
        + ", ".join(f"{t:.2f}" for t in times)
        + ")"
    )


if __name__ == "__main__":
    main()
