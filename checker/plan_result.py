"""What `Optimizer.optimize` answers (`checker/optimize.py`): the plan, its objectives,
the proof, and why each unused choice is not taken (for an excluded one, where the
rules fail with it taken: `excluded_example`); and how a chosen element is named
for a person (`label`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from smallprint.grammar.span import Span
from smallprint.model import core, planning
from smallprint.model.ast import Cite
from smallprint.model.core import Value
from smallprint.model.explain import FailingPart
from smallprint.model.failing import failing_part
from smallprint.model.interp import EvalError, Interpreter
from smallprint.model.types import INT, TEXT, RecordT, Type


@dataclass(frozen=True)
class ChosenValue:
    text: str  # `wallet.coupons[2].used`
    label: str | None  # the element's id, code or name when it has one
    ty: Type
    value: Value


@dataclass(frozen=True)
class ObjectiveValue:
    text: str
    direction: str
    ty: Type
    value: int | Fraction


@dataclass(frozen=True)
class RequireRef:
    text: str
    cites: tuple[Cite, ...]
    span: Span


@dataclass(frozen=True)
class Unused:
    """Why a choice left false is not taken."""

    choice: ChosenValue
    kind: str  # "excluded" | "worse" | "tie" | "unknown"
    requires: tuple[RequireRef, ...] = ()
    best_with: tuple[ObjectiveValue, ...] = ()
    difference: int | Fraction | None = None  # of the first objective, with it minus without
    # Excluded: where the first of `requires` false there is false, on the plan of it
    # alone (`example_alone`) or else with it added to the chosen plan.
    example: FailingPart | None = None
    example_alone: bool = False
    # Worse or tie: the Bool choices of the optimum the best plan with it gives up, and
    # those it takes that the optimum does not.
    drops: tuple[ChosenValue, ...] = ()
    adds: tuple[ChosenValue, ...] = ()
    # Worse: the objective (index into `best_with`) that ranks it below the optimum (the
    # first that differs), and the optimum's value of it.
    worse_on: tuple[int, int | Fraction] | None = None


@dataclass(frozen=True)
class PlanResult:
    plan: str
    status: str  # "optimal" | "infeasible" | "unknown"
    chosen: tuple[ChosenValue, ...]
    objectives: tuple[ObjectiveValue, ...]
    lets: tuple[tuple[str, Type, Value], ...]
    args: tuple[Value, ...]
    proof: str
    unused: tuple[Unused, ...]
    solver_calls: int
    milliseconds: float
    reason: str | None = None
    each: tuple[Reported, ...] = ()  # the plan's per-element lets on the answer


# ---- naming the chosen fields -----------------------------------------------------------


def label(
    program: core.Program, plan: core.PlanDef, args: Sequence[Value], slot: planning.Slot
) -> str | None:
    """An element's `id`, `code` or `name` text field, so that a person can find it."""
    if slot.element is None:
        return None
    names = [p.name for p in plan.params]
    k = names.index(slot.choice.param)
    ty: Type = plan.params[k].ty
    value: Value = args[k]
    for i in slot.choice.path:
        assert isinstance(ty, RecordT) and isinstance(value, tuple)
        ty = program.records[ty.name].fields[i][1]
        value = value[i]
    assert isinstance(value, tuple)
    elem = value[slot.element]
    elem_ty = getattr(ty, "elem", None)
    return element_label(program, elem_ty, elem) if isinstance(elem_ty, Type) else None


def element_label(program: core.Program, ty: Type, elem: Value) -> str | None:
    """A record's `id`, `code` or `name` text; else its first field when that is a text
    or a whole number, with the field's name (`store 2001`)."""
    if not isinstance(ty, RecordT) or not isinstance(elem, tuple):
        return None
    fields = program.records[ty.name].fields
    for i, (fname, fty) in enumerate(fields):
        if fname in ("id", "code", "name") and fty == TEXT:
            text = elem[i]
            return text if isinstance(text, str) else None
    if fields and fields[0][1] in (TEXT, INT) and isinstance(elem[0], str | int):
        return f"{fields[0][0]} {elem[0]}"
    return None


# ---- per-element lets, reported with the answer ------------------------------------------


@dataclass(frozen=True)
class ReportedRow:
    at: tuple[str, ...]  # each element's place (`cart.stores[0]`, `cart.stores[0].lines[1]`)
    labels: tuple[str | None, ...]  # and how a person finds it (`store 2001`)
    value: Value


@dataclass(frozen=True)
class Reported:
    """A plan's per-element `let` on the answer: one row per combination of elements."""

    name: str
    ty: Type
    rows: tuple[ReportedRow, ...]


def reported(
    interp: Interpreter, plan: core.PlanDef, args: Sequence[Value], lets: Sequence[Value]
) -> tuple[Reported, ...]:
    program = interp.program
    out: list[Reported] = []
    for each, rows in zip(plan.each, planning.each_rows(interp, plan, args, lets), strict=True):
        elem_types = [getattr(source.ty, "elem", None) for _, source in each.binders]
        shown = tuple(
            ReportedRow(
                row.at,
                tuple(
                    element_label(program, t, v) if isinstance(t, Type) else None
                    for t, v in zip(elem_types, row.elements, strict=True)
                ),
                row.value,
            )
            for row in rows
        )
        out.append(Reported(each.name, each.value.ty, shown))
    return tuple(out)


# ---- an excluded choice, shown on a plan -------------------------------------------------


def excluded_example(
    interp: Interpreter, plan: core.PlanDef, with_it: Sequence[Value], refs: Sequence[RequireRef]
) -> FailingPart | None:
    """On the inputs `with_it` (the chosen plan with an excluded choice taken), where
    the first require of `refs` (the unsat core that excludes it) is false: the core
    says no plan with it meets them all; this shows one plan concretely."""
    env: dict[str, Value] = {p.name: a for p, a in zip(plan.params, with_it, strict=True)}
    core_requires = [r for r in plan.requires if RequireRef(r.text, r.cites, r.span) in refs]
    read = {x.name for r in core_requires for x in core.walk(r.cond) if isinstance(x, core.Var)}
    for name, expr in reversed(plan.lets):  # and the earlier lets those lets read
        if name in read:
            read |= {x.name for x in core.walk(expr) if isinstance(x, core.Var)}
    try:
        for name, expr in plan.lets:
            if name in read:  # a let no require reads can cost a whole evaluation
                env[name] = interp.eval(expr, env)
        for r in core_requires:
            if interp.eval(r.cond, env) is False:
                return failing_part(interp, r.cond, env)
    except EvalError:  # the plan with it cannot even be evaluated: the core says enough
        return None
    return None
