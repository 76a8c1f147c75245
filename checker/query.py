"""Symbolic questions about one rule on given inputs: "from when to when?" and "why not?".

`window(policy, func, args, free)`: with every argument but `free` fixed, the
exact set of values of `free` (an integer-encoded type: a Date, DateTime, Int,
an amount) where the rule holds, as closed intervals (None at an unbounded
end). The rule's compiled term, with the fixed arguments substituted, is a
formula H(x) in one integer. Boundaries come from `z3.Optimize` (minimum of x
under H or not H after the last boundary; an unbounded minimum is detected
exactly), sweeping left to right. Every finite end is checked by the
interpreter on both sides (the end holds, the next value out does not);
a disagreement raises `ReplayMismatch`.

`why_not(policy, func, args)`: for a rule that is false on `args`, a minimal
set of conditions whose values force it false. Each evaluated condition of the
rule's clauses is a Boolean atom in the rule's skeleton (whens joined by `or`,
then the unlesses with their excepts, then the overriding rules); the actual
values are assumptions; the skeleton being true is unsat under them, and the
unsat core, reduced one condition at a time until no condition can be dropped,
is the answer. `explain` gives `why_not` for a false rule and the deciding
clause for a true one.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import z3

from smallprint.model import core
from smallprint.model.core import Value
from smallprint.model.formats import calendar_range
from smallprint.model.interp import EvalError
from smallprint.model.types import ADDITIVE, BOOL, INSTANTS, Type

from .compiled import ClauseTerm
from .decode import truth
from .results import (
    ClauseOutcome,
    Decided,
    FailedCondition,
    Input,
    Interval,
    Unknown,
    WhyNot,
    WindowAnswer,
)
from .symenv import SymScalar
from .terms import and_, as_bool, boolean, not_, or_

if TYPE_CHECKING:
    from .verify import CompiledPolicy

MAX_INTERVALS = 256
_WHY = itertools.count()


class _GaveUp(Exception):
    pass


def window(
    policy: CompiledPolicy, func: str, args: Mapping[str, Value], free: str, *, alone: bool = True
) -> WindowAnswer | Unknown:
    """`alone`: the whole question (not one case of several free arguments, where a case
    that fails at run time for every value is a case where the rule does not hold)."""
    f = policy.program.functions[func]
    if f.ret != BOOL:
        raise ValueError(f"`{func}` is not a rule: it has no window of values where it holds")
    names = [p.name for p in f.params]
    if free not in names:
        raise ValueError(f"`{func}` has no parameter `{free}`")
    k = names.index(free)
    ty = f.params[k].ty
    if not (ty in INSTANTS or ty in ADDITIVE):
        raise ValueError(f"`{free}` is a `{ty}`: only whole-number parameters can be left free")
    missing = [n for n in names if n != free and n not in args]
    if missing:
        raise ValueError(f"missing argument(s): {', '.join(missing)}")
    h, xs = fixed_formula(policy, func, args, [free])

    def concrete(v: int) -> bool:
        return holds_at(policy, f, {**args, free: v})

    try:
        intervals = _sweep(policy, h, xs[free])
        if not intervals and alone:
            _never_or_error(policy, f, args, free, xs[free])
    except _GaveUp as exc:
        return Unknown(func, f.span, str(exc))
    for iv in intervals:
        for end, inside, outside in ((iv.start, 0, -1), (iv.end, 0, 1)):
            if end is None:
                continue
            if not concrete(end + inside) or concrete(end + outside):
                from .verify import ReplayMismatch

                raise ReplayMismatch(
                    f"`{func}` window {iv} disagrees with the interpreter around {end} (free `{free}`)"
                )
    return WindowAnswer(func, free, ty, _in_calendar(ty, intervals))


def _in_calendar(ty: Type, intervals: Sequence[Interval]) -> tuple[Interval, ...]:
    """The intervals as days (or minutes) that can be written: one that runs past an end of
    the calendar runs to it ("onwards", "up to"); one wholly past it is no answer."""
    bounds = calendar_range(ty)
    if bounds is None:
        return tuple(intervals)
    first, last = bounds
    return tuple(
        Interval(
            None if iv.start is not None and iv.start < first else iv.start,
            None if iv.end is not None and iv.end > last else iv.end,
        )
        for iv in intervals
        if not ((iv.start is not None and iv.start > last) or (iv.end is not None and iv.end < first))
    )


def _never_or_error(
    policy: CompiledPolicy, f: core.Function, args: Mapping[str, Value], free: str, x: z3.ExprRef
) -> None:
    """A rule that holds for no value of `free`: "never", unless every value of it is a
    run-time error (a division by zero, a built record breaking an invariant), which is
    no answer: raise it as one (`ValueError`) with the interpreter's message."""
    ok, _ = fixed_formula(policy, f.name, args, [free], sides_only=True)
    if _minimum(policy, ok, x) is not None:
        return
    try:
        policy.interp.call(f.name, [args.get(p.name, 0) for p in f.params])
    except EvalError as exc:
        raise ValueError(f"`{f.name}` fails at run time for every value of `{free}`: {exc.message}") from None


def fixed_formula(
    policy: CompiledPolicy,
    func: str,
    args: Mapping[str, Value],
    free: Sequence[str],
    *,
    sides_only: bool = False,
) -> tuple[z3.BoolRef, dict[str, z3.ExprRef]]:
    """The rule `func` as a formula over its `free` (scalar) arguments, every other
    argument fixed to its value in `args`; and the free arguments' terms. `sides_only`:
    the formula of "no run-time error" alone."""
    t = policy.template(func)
    pairs: list[tuple[z3.ExprRef, z3.ExprRef]] = []
    xs: dict[str, z3.ExprRef] = {}
    for p, sym in zip(t.func.params, t.params, strict=True):
        if p.name in free:
            assert isinstance(sym, SymScalar)
            xs[p.name] = sym.term
        else:
            pairs.extend(policy.compiler.align(sym, policy.compiler.types.value(args[p.name], p.ty), p.ty))
    ok = [s.ok for s in t.sides]
    holds = and_(*ok) if sides_only else and_(boolean(t.result), *ok)
    return as_bool(z3.simplify(z3.substitute(holds, *pairs) if pairs else holds)), xs


def holds_at(policy: CompiledPolicy, f: core.Function, values: Mapping[str, Value]) -> bool:
    """The interpreter's answer (`Interpreter.holds`)."""
    return policy.interp.holds(f.name, [values[p.name] for p in f.params])


def _sweep(policy: CompiledPolicy, h: z3.BoolRef, x: z3.ExprRef) -> list[Interval]:
    first = _minimum(policy, h, x)
    if first is None:
        return []
    out: list[Interval] = []
    if first == "-oo":
        first_out = _minimum(policy, not_(h), x)
        if first_out is None:
            return [Interval(None, None)]
        if first_out == "-oo":
            raise _GaveUp("the rule changes infinitely often below any value")
        assert isinstance(first_out, int)
        out.append(Interval(None, first_out - 1))
        pos = first_out
    else:
        assert isinstance(first, int)
        pos = first
    while len(out) < MAX_INTERVALS:
        start = _minimum(policy, and_(h, as_bool(x >= pos)), x)
        if start is None:
            return out
        assert isinstance(start, int)
        stop = _minimum(policy, and_(not_(h), as_bool(x >= start)), x)
        if stop is None:
            out.append(Interval(start, None))
            return out
        assert isinstance(stop, int)
        out.append(Interval(start, stop - 1))
        pos = stop
    raise _GaveUp(f"more than {MAX_INTERVALS} intervals")


def _minimum(policy: CompiledPolicy, cond: z3.BoolRef, x: z3.ExprRef) -> int | str | None:
    """The least x satisfying `cond`, "-oo" when unbounded, None when there is none."""
    if z3.is_false(cond):
        return None
    opt = z3.Optimize()
    opt.set("timeout", policy.timeout_ms)
    opt.add(cond)
    handle = opt.minimize(x)
    result = opt.check()
    if result == z3.unsat:
        return None
    if result != z3.sat:
        raise _GaveUp(opt.reason_unknown() or "unknown")
    infinite, value, eps = handle.lower_values()
    if infinite.as_long() != 0:
        return "-oo"
    if eps.as_long() != 0 or not z3.is_int_value(value):
        raise _GaveUp(f"no least value ({handle.value()})")
    n: int = value.as_long()
    return n


# ---- why not --------------------------------------------------------------------


def _rule(policy: CompiledPolicy, func: str) -> core.RuleDef:
    f = policy.template(func).func
    if not isinstance(f, core.RuleDef):
        raise ValueError(f"`{func}` is not a rule")
    return f


def explain(policy: CompiledPolicy, func: str, args: Sequence[Value]) -> WhyNot | Decided:
    rule = _rule(policy, func)
    value = policy.evaluate(func, args)
    if value is False:
        return why_not(policy, func, args)
    t = policy.template(func)
    ev = policy.fixed(t, args)
    inputs = _inputs(rule, args)
    for c in _own(t.clauses):
        if c.kind == "when" and truth(ev(c.reached)) and truth(ev(c.holds)):
            conds = tuple(truth(ev(x.holds)) for x in c.conds)
            outcome = ClauseOutcome(c.func, c.kind, c.index, c.span, c.cites, True, c.site, conds)
            return Decided(func, inputs, outcome, rule.cites)
    return Decided(func, inputs, None, rule.cites)


def why_not(policy: CompiledPolicy, func: str, args: Sequence[Value]) -> WhyNot:
    rule = _rule(policy, func)
    if policy.evaluate(func, args) is not False:
        raise ValueError(f"`{func}` holds on these arguments: there is no `why not`")
    t = policy.template(func)
    ev = policy.fixed(t, args)
    clauses = _own(t.clauses)
    atoms: dict[tuple[str, tuple[int, ...], int], z3.BoolRef] = {}
    facts: list[tuple[z3.BoolRef, FailedCondition]] = []
    tag = f"{func}.{next(_WHY)}"
    for c in clauses:
        for i, cond in enumerate(c.conds, 1):
            atom = z3.Bool(f"why!{tag}!{c.kind}{c.index}!{i}")
            atoms[(c.kind, c.index, i)] = atom
            if truth(ev(cond.reached)):
                held = truth(ev(cond.holds))
                fact = FailedCondition(c.kind, c.index, i, cond.span, held, c.span, c.cites)
                facts.append((atom if held else not_(atom), fact))
    skeleton = _skeleton(rule, clauses, atoms)
    with policy.frame() as s:
        s.add(skeleton)
        lits = [lit for lit, _ in facts]
        if policy.check(None, *lits) != z3.unsat:
            from .verify import ReplayMismatch

            raise ReplayMismatch(f"`{func}` is false but its clauses do not force it: {args!r}")
        core_ids = {lit.get_id() for lit in s.unsat_core()}
        kept = [lit for lit in lits if lit.get_id() in core_ids]
        for lit in list(kept):  # deletion: drop every condition the answer does not need
            trial = [x for x in kept if not x.eq(lit)]
            if policy.check(None, *trial) == z3.unsat:
                kept = trial
    chosen = {lit.get_id() for lit in kept}
    failing = tuple(fact for lit, fact in facts if lit.get_id() in chosen)
    return WhyNot(func, _inputs(rule, args), failing, rule.cites)


def _skeleton(
    rule: core.RuleDef,
    clauses: Sequence[ClauseTerm],
    atoms: Mapping[tuple[str, tuple[int, ...], int], z3.BoolRef],
) -> z3.BoolRef:
    """The rule as a Boolean function of its conditions (the value `RuleDef` documents)."""

    def clause(kind: str, index: tuple[int, ...]) -> z3.BoolRef:
        c = next(c for c in clauses if c.kind == kind and c.index == index)
        return and_(*(atoms[(kind, index, i)] for i in range(1, len(c.conds) + 1)))

    base = (
        or_(*(clause("when", (i,)) for i in range(1, len(rule.whens) + 1)))
        if rule.whens
        else z3.BoolVal(True)
    )
    defeats = []
    for k, u in enumerate(rule.unlesses, 1):
        saved = or_(*(clause("except", (k, j)) for j in range(1, len(u.excepts) + 1)))
        defeats.append(and_(clause("unless", (k,)), not_(saved)))
    overrides = [clause("overridden", (i,)) for i in range(1, len(rule.overridden_by) + 1)]
    return and_(base, not_(or_(*defeats)), not_(or_(*overrides)))


def _own(clauses: Sequence[ClauseTerm]) -> list[ClauseTerm]:
    return [c for c in clauses if not c.site]


def _inputs(f: core.Function, args: Sequence[Value]) -> tuple[Input, ...]:
    return tuple(Input(p.name, p.ty, v) for p, v in zip(f.params, args, strict=True))
