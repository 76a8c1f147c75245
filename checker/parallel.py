"""Proofs and lints of one policy at the same time, in two processes.

Both are deterministic and independent, so `check` can run the lints in a worker
process (which loads and compiles the policy itself) while this one proves the
properties: on two cores it takes the longer of the two rather than their sum.
This module imports nothing of the command line, so that the worker can import it.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .collector import pace_for_a_command
from .progress import Progress
from .results import Finding, ProofResult
from .verify import CompiledPolicy

LINT_HERE_UP_TO = 8  # functions left to lint; up to this many, no worker is started


def lint_policy(path: str, timeout_ms: int, keep_answers: bool) -> list[Finding]:
    """The lints of the policy at `path`, in a worker process of `prove_and_lint`."""
    from smallprint.model.loader import load_policy

    pace_for_a_command()  # a spawned worker starts with the default pace
    compiled = CompiledPolicy(load_policy(path).program, timeout_ms=timeout_ms)
    if keep_answers:
        compiled.keep_answers()
    return compiled.lint()


def prove_and_lint(
    compiled: CompiledPolicy, path: str, progress: Progress | None = None
) -> tuple[list[ProofResult], list[Finding]]:
    """The properties here and the lints in a worker process, at the same time; both
    here when there is one core or the worker cannot start. `progress` says which
    property is being proved, then what is awaited."""
    from .lint import to_lint

    shown = progress or Progress.off()
    left = len(to_lint(compiled))

    def prove_all() -> list[ProofResult]:
        return compiled.prove_all(progress=shown)

    def lint_here() -> list[Finding]:
        shown.show(f"linting {left} functions")
        return list(compiled.lint())

    if (os.cpu_count() or 1) < 2 or left <= LINT_HERE_UP_TO:
        # After a small edit most answers are kept: a worker's start would cost more.
        return prove_all(), lint_here()
    try:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        pending = pool.submit(lint_policy, path, compiled.timeout_ms, compiled.kept is not None)
    except (OSError, RuntimeError):
        return prove_all(), lint_here()
    try:
        proofs = prove_all()
        shown.show("linting (in a second process)")
        try:
            findings = pending.result()
        except (BrokenProcessPool, OSError):
            findings = lint_here()
    finally:
        pool.shutdown(cancel_futures=True)
    return proofs, findings
