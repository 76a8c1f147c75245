"""Why each choice the optimum leaves false (an unused coupon) is unused.

Three answers, cheapest first: it cannot be chosen at all (the requires, forced
with it, are unsat: the unsat core names them, shown on the plan of it alone or
with it added); an equally good plan uses it (a tie); or none does, and the best
plan using it is worse by a stated amount (an optimisation of its own, the
costly question: asked last, for those the quick ones left open).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from fractions import Fraction
from typing import Protocol

import z3

from smallprint.model import core, planning
from smallprint.model.core import Value
from smallprint.model.interp import RememberingInterpreter

from .decode import exact
from .plan_result import ChosenValue, ObjectiveValue, RequireRef, Unused, excluded_example


class Search(Protocol):
    """What the reasons need of the optimiser's search (`checker/optimize.py`)."""

    program: core.Program
    plan: core.PlanDef
    slots: list[planning.Slot]
    vars: list[z3.ExprRef]
    objectives: list[z3.ArithRef]
    deadline: float
    _examples: RememberingInterpreter | None

    @property
    def solver(self) -> z3.Solver: ...

    def check(self, *extra: z3.BoolRef) -> z3.CheckSatResult: ...

    def infeasible_core(self, *extra: z3.BoolRef) -> tuple[RequireRef, ...]: ...

    def decoded(self, model: z3.ModelRef) -> tuple[Value, ...]: ...

    def optimum(
        self, pinned: Mapping[int, bool] | None = None, replay: bool = False
    ) -> tuple[z3.ModelRef | None, str, object]: ...


def why_each_unused(
    search: Search, chosen: tuple[ChosenValue, ...], best: Sequence[int | Fraction], args: tuple[Value, ...]
) -> tuple[Unused, ...]:
    """Why each choice the optimum `chosen` leaves false is unused, in the time left.

    First, for every one, the quick question: can it be chosen at all? (A coupon the
    rules exclude is told apart in milliseconds.) Then, for the rest, the best plan
    using it, an optimisation of its own. Each question gets an equal share of the
    time left (what an earlier one leaves unspent goes to the later ones), so a few
    hard questions cannot use up the time the easy ones need."""
    indices = [i for i, c in enumerate(chosen) if c.value is False]
    found: dict[int, Unused] = {}
    usable: list[int] = []
    for k, i in enumerate(indices):
        with share_of_time_left(search, len(indices) - k):
            answer = search.check(search.vars[i] == z3.BoolVal(True))
            if answer == z3.unsat:
                found[i] = why_unused(search, i, chosen, best, args, answer)
            elif answer == z3.sat:
                usable.append(i)
    # A usable one is in an equally good plan, or in none: one more quick question.
    at_best = [o == z3.RealVal(Fraction(b)) for o, b in zip(search.objectives, best, strict=True)]
    worse: list[int] = []
    for k, i in enumerate(usable):
        with share_of_time_left(search, len(usable) - k):
            answer = search.check(search.vars[i] == z3.BoolVal(True), *at_best)
            if answer == z3.sat:
                found[i] = trade_off(search, i, chosen, best, search.solver.model(), "tie")
            elif answer == z3.unsat:
                worse.append(i)
    # How much worse: the best plan using it, an optimisation of its own each, in
    # turn with all the time left (shared, most would end with none).
    for i in [i for i in indices if i not in found]:
        u = why_unused(search, i, chosen, best, args, z3.sat if i in usable else None)
        found[i] = Unused(chosen[i], "worse") if u.kind == "unknown" and i in worse else u
    return tuple(found[i] for i in indices)


@contextmanager
def share_of_time_left(search: Search, ways: int) -> Iterator[None]:
    """The deadline brought forward to a `ways`-th of the time left, while inside."""
    saved = search.deadline
    now = time.perf_counter()
    search.deadline = min(saved, now + max(0.0, saved - now) / ways)
    try:
        yield
    finally:
        search.deadline = saved


def why_unused(
    search: Search,
    index: int,
    chosen: tuple[ChosenValue, ...],
    best: Sequence[int | Fraction],
    args: tuple[Value, ...],
    answer: z3.CheckSatResult | None = None,
) -> Unused:
    """Why choice `index` of the optimum `chosen` (objectives `best`, inputs `args`)
    is left false; `answer`: whether it can be chosen at all, when just asked (an
    unsat must be the solver's last answer: its core names the requires)."""
    choice = chosen[index]
    if answer is None:
        answer = search.check(search.vars[index] == z3.BoolVal(True))
    if answer == z3.unsat:
        refs = search.infeasible_core()
        # One remembering interpreter for all the excluded choices of this answer: the
        # inputs differ in one chosen field, so the calls on the rest are shared.
        if search._examples is None:
            search._examples = RememberingInterpreter(search.program)
        # Shown on the plan of it alone (every other Bool choice left false) when a
        # require of the core fails there, as one must when all choices are Bool: the
        # values it compares are then its own, not those of an optimum it cannot join
        # (a coupon used alone misses its minimum on the whole order, not on what the
        # optimum's coupons leave of it).
        alone_values = [i == index if isinstance(c.value, bool) else c.value for i, c in enumerate(chosen)]
        alone = planning.assign(search.plan, args, search.slots, alone_values)
        example = excluded_example(search._examples, search.plan, alone, refs)
        if example is not None:
            return Unused(choice, "excluded", refs, example=example, example_alone=True)
        with_it = planning.assign(search.plan, args, [search.slots[index]], [True])
        example = excluded_example(search._examples, search.plan, with_it, refs)
        return Unused(choice, "excluded", refs, example=example)
    if answer != z3.sat:
        return Unused(choice, "unknown")
    model, status, _ = search.optimum({index: True})
    if model is None or status != "optimal":
        return Unused(choice, "unknown")
    return trade_off(search, index, chosen, best, model)


def trade_off(
    search: Search,
    index: int,
    chosen: tuple[ChosenValue, ...],
    best: Sequence[int | Fraction],
    model: z3.ModelRef,
    kind: str | None = None,
) -> Unused:
    """Choice `index` as the plan `model` (the best using it, or an equally good one:
    `kind` "tie") takes it: its objectives, and the other choices it gives up or adds."""
    choice = chosen[index]
    with_values = tuple(exact(model.eval(o, model_completion=True)) for o in search.objectives)
    best_with = tuple(
        ObjectiveValue(o.text, o.direction, o.expr.ty, _whole(v))
        for o, v in zip(search.plan.objectives, with_values, strict=True)
    )
    difference = _whole(with_values[0] - Fraction(best[0]))
    kind = kind or ("tie" if with_values == tuple(Fraction(b) for b in best) else "worse")
    # The objective that ranks it below the optimum: the first that differs.
    worse_on = next((k for k, (w, b) in enumerate(zip(with_values, best, strict=True)) if w != b), 0)
    # What taking it costs besides: the other Bool choices the best plan with it
    # gives up, and those it takes instead.
    values = search.decoded(model)
    other = [(c, v) for i, (c, v) in enumerate(zip(chosen, values, strict=True)) if i != index]
    drops = tuple(c for c, v in other if c.value is True and v is False)
    adds = tuple(replace(c, value=True) for c, v in other if c.value is False and v is True)
    against = _whole(Fraction(best[worse_on]))
    return Unused(
        choice, kind, (), best_with, difference, drops=drops, adds=adds, worse_on=(worse_on, against)
    )


def _whole(v: Fraction) -> int | Fraction:
    return v.numerator if v.denominator == 1 else v
