"""Proofs and lints of one policy at the same time, in two processes.

Both are deterministic and independent, so `check` can run the lints in a worker
process (which loads and compiles the policy itself) while this one proves the
properties: on two cores it takes the longer of the two rather than their sum.
`prove` alone splits the properties between the two processes the same way.
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
PROVE_HERE_UP_TO = 6  # properties left to prove; up to this many, no worker is started


def lint_policy(path: str, timeout_ms: int, keep_answers: bool) -> list[Finding]:
    """The lints of the policy at `path`, in a worker process of `prove_and_lint`."""
    from smallprint.model.loader import load_policy

    pace_for_a_command()  # a spawned worker starts with the default pace
    compiled = CompiledPolicy(load_policy(path).program, timeout_ms=timeout_ms)
    if keep_answers:
        compiled.keep_answers()
    return compiled.lint()


def prove_part(path: str, timeout_ms: int, keep_answers: bool, names: list[str]) -> list[ProofResult]:
    """The properties `names` of the policy at `path`, in a worker process of `prove_split`."""
    from smallprint.model.loader import load_policy

    pace_for_a_command()
    compiled = CompiledPolicy(load_policy(path).program, timeout_ms=timeout_ms)
    if keep_answers:
        compiled.keep_answers()
    return compiled.prove_all(names=names)


def prove_split(
    compiled: CompiledPolicy, path: str, names: list[str], progress: Progress | None = None
) -> list[ProofResult]:
    """The properties `names`, in order: those not kept from an earlier run shared between
    this process and a worker (every other one to the worker: the slow ones of a policy
    tend to sit together), all here on one core or when there are few."""
    shown = progress or Progress.off()
    # Looked up once: a kept answer counts once as reused.
    answers = {n: r for n in names if (r := compiled.known(n)) is not None}
    todo = [n for n in names if n not in answers]

    def here(part: list[str]) -> dict[str, ProofResult]:
        return dict(zip(part, compiled.prove_all(names=part, progress=shown), strict=True))

    theirs, mine = todo[1::2], todo[0::2]
    pool: ProcessPoolExecutor | None = None
    if (os.cpu_count() or 1) >= 2 and len(todo) > PROVE_HERE_UP_TO:
        try:
            pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            pending = pool.submit(prove_part, path, compiled.timeout_ms, compiled.kept is not None, theirs)
        except (OSError, RuntimeError):
            if pool is not None:
                pool.shutdown(cancel_futures=True)
            pool = None
    if pool is None:
        answers.update(here(todo))
        return [answers[n] for n in names]
    try:
        answers.update(here(mine))
        shown.show("proving (in a second process)")
        try:
            answers.update(zip(theirs, pending.result(), strict=True))
        except (BrokenProcessPool, OSError):
            answers.update(here(theirs))
    finally:
        pool.shutdown(cancel_futures=True)
    return [answers[n] for n in names]


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
