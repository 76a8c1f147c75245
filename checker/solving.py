"""One solver asked under limits: the time limit and Z3's resource limit.

The resource limit is the deterministic bound (`RLIMIT_PER_MS` units per
millisecond of the time limit): the same query gives the same answer on a busy
machine as on a quiet one, wherever the resource limit is reached first.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import z3

RLIMIT_PER_MS = 2_000


def limited_check(
    solver: z3.Solver, timeout_ms: int, rlimit: int | None, assumptions: Sequence[z3.BoolRef] = ()
) -> tuple[z3.CheckSatResult, float]:
    """One check under the time limit and its resource limit (the deterministic bound,
    `RLIMIT_PER_MS` per millisecond unless given); the answer and the seconds it took."""
    solver.set("timeout", timeout_ms)
    solver.set("rlimit", rlimit if rlimit is not None else timeout_ms * RLIMIT_PER_MS)
    start = time.monotonic()
    result: z3.CheckSatResult = solver.check(*assumptions)
    return result, time.monotonic() - start


class LimitedSolver:
    """A current solver asked in frames (`push`/`pop`) under limits; remembers the last
    check's time limit and duration, to say why it gave up."""

    solver: z3.Solver
    timeout_ms: int
    rlimit: int | None = None
    _last: tuple[int, float]

    @contextmanager
    def frame(self) -> Iterator[z3.Solver]:
        self.solver.push()
        try:
            yield self.solver
        finally:
            self.solver.pop()

    def check(self, timeout_ms: int | None = None, *assumptions: z3.BoolRef) -> z3.CheckSatResult:
        """One `check` under the time limit and its resource limit (deterministic bound)."""
        timeout = timeout_ms if timeout_ms is not None else self.timeout_ms
        result, elapsed = limited_check(self.solver, timeout, self.rlimit, assumptions)
        self._last = (timeout, elapsed)
        return result
