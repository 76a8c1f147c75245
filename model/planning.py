"""The reference semantics of a plan: try every choice, keep the best.

A plan chooses the values of some input fields (`core.Choice`). Given the
other inputs, an *assignment* gives each chosen field a value; it is
*feasible* when every `require` holds; it is better than another when its
objectives compare better lexicographically (the first objective, then the
next as a tie-break). The optimum is the best objective vector over feasible
assignments; several assignments may reach it, and any of them is a correct
answer. This module enumerates all assignments through the interpreter: it
is exponential, meant for small inputs and for checking the solver-based
optimiser (`checker/optimize.py`) against.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from smallprint.model import core
from smallprint.model.core import Value
from smallprint.model.interp import Interpreter, RememberingInterpreter
from smallprint.model.runtime import as_tuple
from smallprint.model.types import BOOL, EnumT, Type

Number = int | Fraction


@dataclass(frozen=True)
class Slot:
    """One chosen field of a concrete input: which choice, and which list element."""

    choice: core.Choice
    element: int | None  # index in the list for `each` choices


@dataclass(frozen=True)
class Outcome:
    args: tuple[Value, ...]  # the inputs with the chosen fields set
    assignment: tuple[Value, ...]  # one value per slot
    feasible: bool
    failed: tuple[core.Require, ...]  # requires that do not hold
    objectives: tuple[Number, ...]  # as written (not negated for maximize)
    lets: tuple[Value, ...]


def _get(value: Value, path: Sequence[int]) -> Value:
    for i in path:
        assert isinstance(value, tuple)
        value = value[i]
    return value


def _set(value: Value, path: Sequence[int], new: Value) -> Value:
    if not path:
        return new
    assert isinstance(value, tuple)
    head = path[0]
    return (*value[:head], _set(value[head], path[1:], new), *value[head + 1 :])


def slots(plan: core.PlanDef, args: Sequence[Value]) -> list[Slot]:
    """Every chosen field of these inputs, in plan order then list order."""
    out: list[Slot] = []
    names = [p.name for p in plan.params]
    for choice in plan.choices:
        root = args[names.index(choice.param)]
        if choice.each:
            items = _get(root, choice.path)
            assert isinstance(items, tuple)
            out.extend(Slot(choice, i) for i in range(len(items)))
        else:
            out.append(Slot(choice, None))
    return out


def domain(program: core.Program, ty: Type) -> tuple[Value, ...]:
    if ty == BOOL:
        return (False, True)
    assert isinstance(ty, EnumT)
    return tuple(program.enums[ty.name].variants)


def assign(
    plan: core.PlanDef, args: Sequence[Value], slot_list: Sequence[Slot], values: Sequence[Value]
) -> tuple[Value, ...]:
    """The inputs with every slot set to its value."""
    names = [p.name for p in plan.params]
    out = list(args)
    for slot, v in zip(slot_list, values, strict=True):
        k = names.index(slot.choice.param)
        if slot.element is None:
            out[k] = _set(out[k], slot.choice.path, v)
        else:
            path = (*slot.choice.path, slot.element, *slot.choice.field_path)
            out[k] = _set(out[k], path, v)
    return tuple(out)


def read(plan: core.PlanDef, args: Sequence[Value], slot_list: Sequence[Slot]) -> tuple[Value, ...]:
    """The current value of every slot in these inputs."""
    names = [p.name for p in plan.params]
    out: list[Value] = []
    for slot in slot_list:
        root = args[names.index(slot.choice.param)]
        if slot.element is None:
            out.append(_get(root, slot.choice.path))
        else:
            out.append(_get(root, (*slot.choice.path, slot.element, *slot.choice.field_path)))
    return tuple(out)


def evaluate(interp: Interpreter, plan: core.PlanDef, args: Sequence[Value]) -> Outcome:
    """Requires, lets and objectives of the plan on fully given inputs."""
    env: dict[str, Value] = {p.name: a for p, a in zip(plan.params, args, strict=True)}
    lets: list[Value] = []
    for name, expr in plan.lets:
        env[name] = interp.eval(expr, env)
        lets.append(env[name])
    failed = tuple(r for r in plan.requires if interp.eval(r.cond, env) is not True)
    objectives: list[Number] = []
    for o in plan.objectives:
        v = interp.eval(o.expr, env)
        assert isinstance(v, int | Fraction) and not isinstance(v, bool)
        objectives.append(v)
    assignment = read(plan, args, slots(plan, args))
    return Outcome(tuple(args), assignment, not failed, failed, tuple(objectives), tuple(lets))


def sort_key(plan: core.PlanDef, objectives: Sequence[Number]) -> tuple[Number, ...]:
    """Smaller is better."""
    return tuple(
        v if o.direction == "minimize" else -v for o, v in zip(plan.objectives, objectives, strict=True)
    )


def assignments(program: core.Program, slot_list: Sequence[Slot]) -> Iterator[tuple[Value, ...]]:
    return itertools.product(*(domain(program, s.choice.ty) for s in slot_list))


def exhaustive(
    program: core.Program, plan: core.PlanDef, args: Sequence[Value], limit: int = 1 << 16
) -> Outcome | None:
    """The best feasible outcome by trying every assignment; None when none is feasible."""
    interp = RememberingInterpreter(program)
    slot_list = slots(plan, args)
    total = 1
    for s in slot_list:
        total *= len(domain(program, s.choice.ty))
    if total > limit:
        raise ValueError(f"{total} assignments exceed the exhaustive limit of {limit}")
    best: Outcome | None = None
    for values in assignments(program, slot_list):
        outcome = evaluate(interp, plan, assign(plan, args, slot_list, values))
        if not outcome.feasible:
            continue
        if best is None or sort_key(plan, outcome.objectives) < sort_key(plan, best.objectives):
            best = outcome
    return best


# ---- per-element values, reported with an answer -------------------------------------------


@dataclass(frozen=True)
class EachRow:
    """One combination of elements of a per-element `let`, and its value there."""

    at: tuple[str, ...]  # each element as a place in the inputs (`cart.stores[0].lines[1]`)
    elements: tuple[Value, ...]
    value: Value


def each_rows(
    interp: Interpreter, plan: core.PlanDef, args: Sequence[Value], lets: Sequence[Value]
) -> tuple[tuple[EachRow, ...], ...]:
    """Every per-element `let` of the plan on these inputs (`lets`: the plan's lets there)."""
    env: dict[str, Value] = {p.name: a for p, a in zip(plan.params, args, strict=True)}
    env.update((name, v) for (name, _), v in zip(plan.lets, lets, strict=True))
    paths = {p.name: p.name for p in plan.params}
    return tuple(tuple(_rows(interp, each, 0, env, paths, ())) for each in plan.each)


def _rows(
    interp: Interpreter,
    each: core.EachLet,
    depth: int,
    env: dict[str, Value],
    paths: dict[str, str],
    chosen: tuple[tuple[str, Value], ...],
) -> Iterator[EachRow]:
    if depth == len(each.binders):
        if each.where is None or interp.eval(each.where, env) is True:
            yield EachRow(
                tuple(paths[n] for n, _ in chosen), tuple(v for _, v in chosen), interp.eval(each.value, env)
            )
        return
    name, source = each.binders[depth]
    listed = core.path_of(source, paths) or name
    for i, element in enumerate(as_tuple(interp.eval(source, env), source.span)):
        inner = {**paths, name: f"{listed}[{i}]"}
        yield from _rows(interp, each, depth + 1, {**env, name: element}, inner, (*chosen, (name, element)))
