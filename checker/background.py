"""A solver's check on a second thread while Python work runs on this one.

The optimiser's last solver call is usually the proof that no plan is better,
and the plan it proves is already known: the interpreter can replay that plan
while Z3 searches. Z3 releases Python's global lock for the whole search (its
API is called through ctypes), so on two cores both run at once.

A Z3 context is not thread safe. While the search runs, this thread must not
touch Z3 at all: the work given is the interpreter's (the `model` package never
imports Z3), the search itself goes straight to the C API (so the other thread
makes and frees no Python Z3 object), and the cyclic garbage collector is held
off, since it could free a Z3 object (which calls into the context) at any
allocation.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import TypeVar

import z3
import z3.z3core as api

T = TypeVar("T")


def check_while(solver: z3.Solver, work: Callable[[], T]) -> tuple[z3.CheckSatResult, T]:
    """`solver.check()` on a thread of its own while `work()` (which must not use Z3)
    runs on this one; both results. An exception of either is raised here, after
    the search has ended."""
    ref, raw = solver.ctx.ref(), solver.solver
    answers: list[int] = []
    failures: list[BaseException] = []

    def search() -> None:
        try:
            answers.append(api.Z3_solver_check_assumptions(ref, raw, 0, None))
        except BaseException as exc:  # re-raised on the calling thread
            failures.append(exc)

    collecting = gc.isenabled()
    gc.disable()
    thread = threading.Thread(target=search, name="smallprint-solver", daemon=True)
    thread.start()
    try:
        result = work()
    finally:
        thread.join()
        if collecting:
            gc.enable()
    if failures:
        raise failures[0]
    return z3.CheckSatResult(answers[0]), result
