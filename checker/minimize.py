"""Counterexample minimisation: readable models by iterative tightening on one solver.

Given a solver whose assertions describe the counterexamples (sat, with a
model), `minimise` lowers integer measures of the inputs one after the other,
each kept at its minimum while the next is lowered (lexicographic order):

    1. the total length of the lists in use,
    2. the total absolute amount (money, counts, spans, lengths, masses, sizes),
    3. the number of optional values present,
    4. the total distance of dates and times from 2020-01-01 (a date an auditor
       reads as plausible, where 1970-01-01 reads as a bug),
    5. the total length of the texts.

Each measure is lowered by a search from below (measure <= 0, 1, 3, 7, ...)
then bisection, one `check` per step inside `push`/`pop`, every step under a
time limit. A step that comes back unknown stops that measure and keeps the best
model so far, so minimisation never loses a counterexample, only readability.
All frames are popped: the solver is left as it was given.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import z3

from smallprint.model.types import ADDITIVE, DATETIME, INSTANTS, MINUTES_PER_DAY, ListT, OptT, WindowT

from .symenv import SymEnv
from .terms import as_arith, as_bool

Check = Callable[[int], z3.CheckSatResult]

REFERENCE_DAY = 18262  # 2020-01-01, in days since 1970-01-01


def measures(envs: list[SymEnv]) -> list[z3.ArithRef]:
    lengths: list[z3.ArithRef] = []
    amounts: list[z3.ArithRef] = []
    present: list[z3.ArithRef] = []
    instants: list[z3.ArithRef] = []
    texts: list[z3.ArithRef] = []
    zero = z3.IntVal(0)
    for env in envs:
        for leaf in env.leaves:
            t = leaf.term
            if isinstance(leaf.ty, ListT):
                lengths.append(as_arith(z3.If(leaf.guard, t, zero)))
            elif leaf.path.endswith("?") and z3.is_bool(t):
                present.append(as_arith(z3.If(z3.And(leaf.guard, t), 1, 0)))
            elif leaf.ty in ADDITIVE:
                amounts.append(as_arith(z3.If(leaf.guard, _abs(t), zero)))
            elif leaf.ty in INSTANTS:
                origin = REFERENCE_DAY * (MINUTES_PER_DAY if leaf.ty == DATETIME else 1)
                instants.append(as_arith(z3.If(leaf.guard, _abs(t - origin), zero)))
            elif z3.is_string(t):
                texts.append(as_arith(z3.If(leaf.guard, z3.Length(t), zero)))
            elif isinstance(leaf.ty, OptT | WindowT):
                pass
    return [as_arith(z3.Sum(*m)) for m in (lengths, amounts, present, instants, texts) if m]


def _abs(t: z3.ArithRef) -> z3.ArithRef:
    return as_arith(z3.If(t >= 0, t, -t))


def minimise(
    solver: z3.Solver,
    check: Check,
    model: z3.ModelRef,
    envs: list[SymEnv],
    budget_ms: int,
    fixed: Sequence[z3.BoolRef] = (),
) -> z3.ModelRef:
    """The model with every measure lowered in turn, within `budget_ms` in all.

    `fixed` are conditions the model satisfies that every lower model must keep
    (the assumptions it was found under)."""
    return minimise_measures(solver, check, model, measures(envs), budget_ms, fixed)


def minimise_measures(
    solver: z3.Solver,
    check: Check,
    model: z3.ModelRef,
    scales: Sequence[z3.ArithRef],
    budget_ms: int,
    fixed: Sequence[z3.BoolRef] = (),
) -> z3.ModelRef:
    """`minimise` with the measures given (terms of the solver's own context)."""
    return lower_measures(solver, check, model, scales, Deadline(budget_ms), fixed)


class Deadline:
    """Steps until a time budget is spent, each at most 2 s; a step that gives up stops
    only its own measure."""

    def __init__(self, budget_ms: int) -> None:
        self.deadline = time.monotonic() + budget_ms / 1000

    def next_ms(self) -> int | None:
        left = int((self.deadline - time.monotonic()) * 1000)
        return min(left, 2000) if left > 0 else None

    def gave_up(self) -> None:
        pass


class Steps:
    """A fixed number of steps of a fixed time each, over all measures (deterministic
    where the resource limit, not the clock, ends a step); a step that gives up ends
    them all: the next measures are no easier."""

    def __init__(self, count: int, step_ms: int) -> None:
        self.left, self.step_ms = count, step_ms

    def next_ms(self) -> int | None:
        if self.left <= 0:
            return None
        self.left -= 1
        return self.step_ms

    def gave_up(self) -> None:
        self.left = 0


def lower_measures(
    solver: z3.Solver,
    check: Check,
    model: z3.ModelRef,
    scales: Sequence[z3.ArithRef],
    budget: Deadline | Steps,
    fixed: Sequence[z3.BoolRef] = (),
) -> z3.ModelRef:
    """Each measure lowered in turn and kept at its minimum while the next is lowered,
    by steps `budget` allows; the solver is left as it was given."""
    solver.push()
    try:
        solver.add(*fixed)
        for m in scales:
            model = _lower(solver, check, model, m, budget)
            best = model.eval(m, model_completion=True)
            solver.add(as_bool(m <= best))
    finally:
        solver.pop()
    return model


def _lower(
    solver: z3.Solver, check: Check, model: z3.ModelRef, m: z3.ArithRef, budget: Deadline | Steps
) -> z3.ModelRef:
    best = model.eval(m, model_completion=True).as_long()
    lo = 0
    probe = 0  # search from below first: the minimum is usually small
    while lo < best:
        step_ms = budget.next_ms()
        if step_ms is None:
            break
        target = min(probe, best - 1) if probe < best else (lo + best) // 2
        solver.push()
        solver.add(as_bool(m <= target))
        r = check(step_ms)
        if r == z3.sat:
            model = solver.model()
            best = model.eval(m, model_completion=True).as_long()
            probe = best  # from now on: bisection
        elif r == z3.unsat:
            lo = target + 1
            probe = 2 * probe + 1 if probe < best else probe
        solver.pop()
        if r == z3.unknown:
            budget.gave_up()
            break
    return model
