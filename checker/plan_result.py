"""What `Optimizer.optimize` answers (`checker/optimize.py`): the plan, its objectives,
the proof, and why each unused choice is not taken; and how a chosen element is
named for a person (`label`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from smallprint.grammar.span import Span
from smallprint.model import core, planning
from smallprint.model.ast import Cite
from smallprint.model.core import Value
from smallprint.model.explain import FailingPart
from smallprint.model.types import TEXT, RecordT, Type


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
    # Excluded: with it added to the chosen plan, where the first of `requires` is false.
    example: FailingPart | None = None


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
    if not isinstance(elem_ty, RecordT) or not isinstance(elem, tuple):
        return None
    for i, (fname, fty) in enumerate(program.records[elem_ty.name].fields):
        if fname in ("id", "code", "name") and fty == TEXT:
            text = elem[i]
            return text if isinstance(text, str) else None
    return None
