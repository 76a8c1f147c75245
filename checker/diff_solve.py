"""The solver side of `checker/diff.py`: questions asked simple first, models minimised.

Every question is a goal asserted in a frame of a function's own solver, which
holds the assumptions (a fresh solver per function: lemmas learnt on one function
only slow the next, and the assumptions are internalised once per function).
It is checked "simple first", as `CompiledPolicy.prove` does: assuming every
optional input absent, every list empty and every percentage zero, dropping the
assumptions in each unsat core, then without any. Such models read best and are
found fast (the arithmetic is often linear under them); the ones the model obeys
are kept while it is minimised, by lowering the measures of `checker/minimize.py`
one after the other. Every step is bounded by a resource limit, not wall-clock
time, so that the same versions give the same witnesses.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import z3

from smallprint.model.types import PERCENT

from .diff_amounts import Component
from .diff_inputs import SharedInput
from .diff_results import Undecided
from .minimize import Steps, lower_measures, measures
from .solving import LimitedSolver
from .symenv import Sym, SymEnv
from .terms import Subst, as_arith, as_bool, is_false, is_true, not_

SIMPLE_FIRST_MS = 2_000
MINIMISE_STEPS = 16  # checks per witness, over all measures
MINIMISE_STEP_MS = 200


@dataclass(frozen=True)
class Query:
    """One function on the shared inputs: both versions' results and what every question assumes."""

    func: str
    inputs: tuple[SharedInput, ...]
    old: Sym
    new: Sym
    assumed: tuple[z3.BoolRef, ...]  # invariants, bounds, mapping, no run-time error
    envs: tuple[SymEnv, ...]
    no_text: Subst | None  # every text input set to "" (None: the inputs hold no text)
    new_func: str = ""  # its name in the new version, when the question is whether it was renamed

    @property
    def renamed_to(self) -> str:
        return self.new_func or self.func


@dataclass(frozen=True)
class Found:
    """A minimised model, the simple assumptions it obeys, and `no_text` when texts are ""."""

    model: z3.ModelRef
    kept: list[z3.BoolRef]
    no_text: Subst | None


class Solving(LimitedSolver):
    """The solvers of one diff: `full` (the current function's assumptions), `plain` (the
    same with every text ""), and `solver`, the one questions go to."""

    def __init__(self, timeout_ms: int, seed: int) -> None:
        self.timeout_ms = timeout_ms
        self.seed = seed
        self.solver = self.full = z3.Solver()
        self.plain: z3.Solver | None = None
        self._last = (timeout_ms, 0.0)

    def new_solver(self, assumed: Sequence[z3.BoolRef]) -> z3.Solver:
        s = z3.Solver()
        s.set("random_seed", self.seed)
        s.add(*assumed)
        return s

    @contextmanager
    def using(self, solver: z3.Solver) -> Iterator[z3.Solver]:
        saved, self.solver = self.solver, solver
        try:
            yield solver
        finally:
            self.solver = saved

    def reason_unknown(self) -> str:
        return gave_up(self.solver.reason_unknown(), *self._last)

    def _simple(self, envs: Sequence[SymEnv]) -> list[z3.BoolRef]:
        out = [not_(present) for env in envs for _, present, _ in env.presence]
        out += [as_bool(length == 0) for env in envs for _, length in env.lengths]
        out += [as_bool(leaf.term == 0) for env in envs for leaf in env.leaves if leaf.ty == PERCENT]
        return [x for x in out if not is_true(x)]

    def solve(self, envs: Sequence[SymEnv]) -> tuple[z3.CheckSatResult, list[z3.BoolRef]]:
        """Check what the frame asserts, simple models first; returns the assumptions kept.

        Simple: optional inputs absent, lists empty, percentages zero."""
        simple = self._simple(envs)
        step = min(SIMPLE_FIRST_MS, self.timeout_ms // 4)
        while simple:
            result = self.check(step, *simple)
            if result == z3.sat:
                return result, simple
            if result != z3.unsat:
                break
            core = {x.get_id() for x in self.solver.unsat_core()}
            if not core:
                return z3.unsat, []
            simple = [x for x in simple if x.get_id() not in core]
        return self.check(), []

    def decide(self, q: Query, goal: z3.BoolRef) -> z3.CheckSatResult:
        if is_false(goal):
            return z3.unsat
        if q.no_text is not None and self.plain is not None:
            with self.using(self.plain), self.frame() as s:
                s.add(q.no_text.boolean(goal))
                if self.solve(q.envs)[0] == z3.sat:
                    return z3.sat
        with self.frame() as s:
            s.add(goal)
            return self.solve(q.envs)[0]

    def model(
        self, q: Query, goal: z3.BoolRef, change: str, component: Component | None
    ) -> Found | Undecided | None:
        """A minimised model of `goal`, texts empty when that is possible."""
        if is_false(goal):
            return None
        if q.no_text is not None and self.plain is not None:
            with self.using(self.plain), self.frame() as s:
                s.add(q.no_text.boolean(goal))
                result, kept = self.solve(q.envs)
                if result == z3.sat:
                    model = self.minimise(self.solver.model(), q.envs, kept, q.no_text)
                    return Found(model, kept, q.no_text)
        with self.frame() as s:
            s.add(goal)
            result, kept = self.solve(q.envs)
            if result == z3.unsat:
                return None
            if result == z3.unknown:
                return Undecided(question(change, component), self.reason_unknown())
            return Found(self.minimise(self.solver.model(), q.envs, kept, None), kept, None)

    def alone(self, goal: z3.BoolRef, envs: Sequence[SymEnv]) -> z3.ModelRef | str | None:
        """A minimised model of `goal` on a solver of its own (None: there is none; a
        string: why the solver gave up). For questions outside any function: the inputs
        each version accepts (`checker/diff_domains.py`)."""
        with self.using(self.new_solver((goal,))):
            result, kept = self.solve(envs)
            if result == z3.unsat:
                return None
            if result == z3.unknown:
                return self.reason_unknown()
            return self.minimise(self.solver.model(), envs, kept, None)

    def minimise(
        self, model: z3.ModelRef, envs: Sequence[SymEnv], fixed: Sequence[z3.BoolRef], no_text: Subst | None
    ) -> z3.ModelRef:
        """Lower each measure in turn (search from below, then bisection), a bounded number of steps."""
        scales = [as_arith(no_text(m)) if no_text is not None else m for m in measures(list(envs))]
        budget = Steps(MINIMISE_STEPS, MINIMISE_STEP_MS)
        return lower_measures(self.solver, lambda ms: self.check(ms), model, scales, budget, fixed)


def gave_up(reason: str, timeout_ms: int, elapsed: float) -> str:
    """Why a solver or optimiser gave up, in words: Z3 says `canceled` for a timeout as
    for its resource limit, which stands for the timeout (the deterministic bound)."""
    limit = f"--timeout {timeout_ms / 1000:g} s per question"
    if reason in ("canceled", "timeout", "max. resource limit exceeded"):
        if elapsed * 1000 >= timeout_ms * 0.9:
            return f"out of time ({limit})"
        return f"out of its resource limit (the fixed bound that stands for {limit})"
    return reason or "unknown"


def question(change: str, component: Component | None) -> str:
    if component is None or not component.label:
        return change
    return f"{component.label} {change}"
