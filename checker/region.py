"""Where a rule holds with several of its arguments left free.

`region(policy, func, args, free)`: the other arguments fixed, the exact set of
values of the free ones where the rule holds. Free arguments of a finite type
(Bool, enums) are enumerated: one case per combination of their values. For
each case the whole-number free arguments (dates, amounts, counts) get:

* none: the interpreter's answer for the combination;
* one: the intervals of `query.window` (exact, both ends replayed);
* several: a union of regions, each a conjunction of bounds on integer linear
  forms of the free arguments (`0 days <= today - closed_on <= 7 days`).

Regions come from an all-solutions loop with generalisation. With the fixed
arguments substituted, the rule is a formula H over the free arguments built
from arithmetic atoms. Take a model m of H outside the regions found so far;
the atoms' values at m (each atom flattened: the conditions of `if`s and `max`
inside it replaced by their values at m) form a cube that contains m and implies
H. The cube is turned into bounds, bounds that H does not need are dropped
(each drop checked by the solver: bounds => H stays valid), and the region is
blocked. There are finitely many cubes, so the loop ends; every region is
proved inside H, and the loop stops only when H outside the regions is unsat,
so the union is exactly H.

Each region is replayed through the interpreter: its model point holds, and
for every finite end of every bound a point on the end (inside) holds and, when
one exists, the point one past it that lies in no region does not hold.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

import z3

from smallprint.model import core
from smallprint.model.core import Value
from smallprint.model.types import ADDITIVE, BOOL, INSTANTS, EnumT, Type

from .query import fixed_formula, holds_at, window
from .results import Bound, FreeCase, Interval, Region, RegionAnswer, Unknown
from .terms import and_, as_arith, as_bool

if TYPE_CHECKING:
    from .verify import CompiledPolicy

MAX_CASES = 256  # combinations of the finite free arguments
MAX_REGIONS = 64  # regions of one case


class _GaveUp(Exception):
    pass


def region(
    policy: CompiledPolicy, func: str, args: Mapping[str, Value], free: Sequence[str]
) -> RegionAnswer | Unknown:
    f = policy.program.functions[func]
    if f.ret != BOOL:
        raise ValueError(f"`{func}` is not a rule: it has no set of values where it holds")
    params = {p.name: p.ty for p in f.params}
    for name in free:
        if name not in params:
            raise ValueError(f"`{func}` has no parameter `{name}`")
    if len(set(free)) != len(free):
        raise ValueError("an argument is left free twice")
    if not free:
        raise ValueError("no argument is left free")
    finite = [n for n in free if _domain(policy.program, params[n]) is not None]
    numeric = [n for n in free if n not in finite]
    for n in numeric:
        ty = params[n]
        if not (ty in INSTANTS or ty in ADDITIVE):
            raise ValueError(
                f"`{n}` is a `{ty}`: only whole-number, Bool and enum parameters can be left free"
            )
    missing = [n for n in params if n not in free and n not in args]
    if missing:
        raise ValueError(f"missing argument(s): {', '.join(missing)}")
    domains = [_domain(policy.program, params[n]) or [] for n in finite]
    combos = list(itertools.product(*domains))
    if len(combos) > MAX_CASES:
        raise ValueError(
            f"{len(combos)} combinations of the free Bool and enum arguments (at most {MAX_CASES})"
        )
    cases: list[FreeCase] = []
    for combo in combos:
        fixed = {**args, **dict(zip(finite, combo, strict=True))}
        try:
            regions = _regions(policy, f, fixed, numeric)
        except _GaveUp as exc:
            return Unknown(func, f.span, str(exc))
        if isinstance(regions, Unknown):
            return regions
        cases.append(FreeCase(tuple(zip(finite, combo, strict=True)), regions))
    types = tuple(params[n] for n in free)
    return RegionAnswer(func, tuple(free), types, tuple(cases))


def _domain(program: core.Program, ty: Type) -> list[Value] | None:
    if ty == BOOL:
        return [False, True]
    if isinstance(ty, EnumT):
        return list(program.enums[str(ty)].variants)
    return None


def _regions(
    policy: CompiledPolicy, f: core.Function, fixed: Mapping[str, Value], numeric: Sequence[str]
) -> tuple[Region, ...] | Unknown:
    if not numeric:
        return (Region((), ()),) if holds_at(policy, f, fixed) else ()
    if len(numeric) == 1:
        (x,) = numeric
        w = window(policy, f.name, fixed, x, alone=False)
        if isinstance(w, Unknown):
            return w
        return tuple(_interval_region(x, iv) for iv in w.intervals)
    return _cubes(policy, f, fixed, numeric)


def _interval_region(name: str, iv: Interval) -> Region:
    """One free whole number's interval, with an end of it (checked by the interpreter,
    as `window` checks each end) as the witness; an unbounded one has none to name."""
    if iv.start is None and iv.end is None:
        return Region((), ())
    end = iv.start if iv.start is not None else iv.end
    assert end is not None
    return Region((Bound(((1, name),), iv.start, iv.end),), ((name, end),))


# ---- several whole-number arguments: cubes ------------------------------------------


def _cubes(
    policy: CompiledPolicy, f: core.Function, fixed: Mapping[str, Value], numeric: Sequence[str]
) -> tuple[Region, ...]:
    h, terms = fixed_formula(policy, f.name, fixed, numeric)
    xs = {n: as_arith(x) for n, x in terms.items()}
    hidden = _constants(h) - {x.get_id() for x in xs.values()}
    if hidden:
        raise _GaveUp("the rule's encoding has values other than the free arguments")
    atoms = _atoms(h)
    found = z3.Solver()
    found.set("timeout", policy.timeout_ms)
    found.add(h)
    regions: list[Region] = []
    while True:
        answer = found.check()
        if answer == z3.unsat:
            break
        if answer != z3.sat:
            raise _GaveUp(found.reason_unknown() or "unknown")
        if len(regions) == MAX_REGIONS:
            raise _GaveUp(f"more than {MAX_REGIONS} regions")
        m = found.model()
        point = {n: m.eval(x, model_completion=True).as_long() for n, x in xs.items()}
        sides = _sides(_cube(atoms, m), xs, point)
        sides = _needed(policy, h, sides, xs)
        bounds = _merge(sides, numeric)
        regions.append(Region(bounds, tuple(sorted(point.items(), key=lambda kv: numeric.index(kv[0])))))
        found.add(z3.Not(_formula(bounds, xs)))
    _replay(policy, f, fixed, regions, xs)
    return tuple(regions)


def _constants(e: z3.ExprRef) -> set[int]:
    seen: set[int] = set()
    out: set[int] = set()
    todo = [e]
    while todo:
        x = todo.pop()
        if x.get_id() in seen:
            continue
        seen.add(x.get_id())
        if z3.is_const(x) and x.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            out.add(x.get_id())
        todo.extend(x.children())
    return out


_COMPARISONS = {z3.Z3_OP_LE, z3.Z3_OP_GE, z3.Z3_OP_LT, z3.Z3_OP_GT}


def _atoms(h: z3.ExprRef) -> list[z3.BoolRef]:
    """Every arithmetic comparison in `h`, inner ones (conditions inside terms) first."""
    seen: set[int] = set()
    out: list[z3.BoolRef] = []

    def visit(x: z3.ExprRef) -> None:
        if x.get_id() in seen:
            return
        seen.add(x.get_id())
        for c in x.children():
            visit(c)
        if z3.is_bool(x) and z3.is_app(x):
            k = x.decl().kind()
            if k in _COMPARISONS or (k in (z3.Z3_OP_EQ, z3.Z3_OP_DISTINCT) and z3.is_arith(x.arg(0))):
                assert isinstance(x, z3.BoolRef)
                out.append(x)

    visit(h)
    return out


def _cube(atoms: Sequence[z3.BoolRef], m: z3.ModelRef) -> list[z3.BoolRef]:
    """The atoms as they are at `m`, each with the atoms inside it replaced by their values."""
    values = {a.get_id(): z3.is_true(m.eval(a, model_completion=True)) for a in atoms}
    out: list[z3.BoolRef] = []
    for a in atoms:
        inner = [(b, z3.BoolVal(values[b.get_id()])) for b in atoms if b.get_id() != a.get_id()]
        flat = as_bool(z3.simplify(z3.substitute(a, *inner) if inner else a))
        lit = flat if values[a.get_id()] else as_bool(z3.simplify(z3.Not(flat)))
        if not z3.is_true(lit):
            out.append(lit)
    return out


# A side: sum(coefficient * argument) >= lower ("lo") or <= upper ("hi").
Side = tuple[tuple[tuple[int, str], ...], str, int]


def _sides(lits: Iterable[z3.BoolRef], xs: Mapping[str, z3.ArithRef], point: Mapping[str, int]) -> list[Side]:
    names = {x.get_id(): n for n, x in xs.items()}
    order = list(xs)
    out: list[Side] = []
    for lit in lits:
        negated = z3.is_not(lit)
        atom = lit.arg(0) if negated else lit
        k = atom.decl().kind()
        if k not in _COMPARISONS | {z3.Z3_OP_EQ, z3.Z3_OP_DISTINCT} or atom.num_args() != 2:
            raise _GaveUp(f"a condition is not a comparison of the free arguments: {atom}")
        if k == z3.Z3_OP_DISTINCT:
            k, negated = z3.Z3_OP_EQ, not negated
        coeffs, const = _linear(atom.arg(0), names)
        right, rconst = _linear(atom.arg(1), names)
        for n, c in right.items():
            coeffs[n] = coeffs.get(n, Fraction(0)) - c
        scale = math.lcm(*(c.denominator for c in coeffs.values()))  # > 0: keeps the direction
        rhs = (rconst - const) * scale  # sum(coeffs * x) (op) rhs
        if negated:
            k = {
                z3.Z3_OP_LE: z3.Z3_OP_GT,
                z3.Z3_OP_LT: z3.Z3_OP_GE,
                z3.Z3_OP_GE: z3.Z3_OP_LT,
                z3.Z3_OP_GT: z3.Z3_OP_LE,
                z3.Z3_OP_EQ: z3.Z3_OP_DISTINCT,
            }[k]
        terms = tuple((int(c * scale), n) for n in order if (c := coeffs.get(n, Fraction(0))) != 0)
        if not terms:
            continue  # constant at m: true, or the model would not be one
        if k == z3.Z3_OP_DISTINCT:  # the side of the excluded value that m is on
            at = sum(c * point[n] for c, n in terms)
            k = z3.Z3_OP_LT if at < rhs else z3.Z3_OP_GT
        out.extend(_normal(terms, k, rhs))
    return out


def _normal(terms: tuple[tuple[int, str], ...], k: int, rhs: Fraction) -> list[Side]:
    """Integer sides: strict bounds closed, coefficients divided by their gcd, the first positive."""
    g = math.gcd(*(abs(c) for c, _ in terms))
    sign = 1 if terms[0][0] > 0 else -1
    terms = tuple((c * sign // g, n) for c, n in terms)
    r = rhs * sign / g
    if sign < 0:
        k = {
            z3.Z3_OP_LE: z3.Z3_OP_GE,
            z3.Z3_OP_LT: z3.Z3_OP_GT,
            z3.Z3_OP_GE: z3.Z3_OP_LE,
            z3.Z3_OP_GT: z3.Z3_OP_LT,
            z3.Z3_OP_EQ: z3.Z3_OP_EQ,
        }[k]
    lower = math.floor(r) + 1 if k == z3.Z3_OP_GT else math.ceil(r)
    upper = math.ceil(r) - 1 if k == z3.Z3_OP_LT else math.floor(r)
    if k == z3.Z3_OP_EQ:
        return [(terms, "lo", lower), (terms, "hi", upper)]
    return [(terms, "lo", lower)] if k in (z3.Z3_OP_GE, z3.Z3_OP_GT) else [(terms, "hi", upper)]


def _linear(e: z3.ExprRef, names: Mapping[int, str]) -> tuple[dict[str, Fraction], Fraction]:
    """`e` as (coefficients of the free arguments, constant)."""
    if e.get_id() in names:
        return {names[e.get_id()]: Fraction(1)}, Fraction(0)
    if z3.is_int_value(e):
        return {}, Fraction(e.as_long())
    if z3.is_rational_value(e):
        return {}, Fraction(e.numerator_as_long(), e.denominator_as_long())
    k = e.decl().kind() if z3.is_app(e) else None
    if k == z3.Z3_OP_TO_REAL:
        return _linear(e.arg(0), names)
    if k in (z3.Z3_OP_ADD, z3.Z3_OP_SUB, z3.Z3_OP_UMINUS):
        coeffs: dict[str, Fraction] = {}
        const = Fraction(0)
        for i, a in enumerate(e.children()):
            sign = -1 if (k == z3.Z3_OP_SUB and i > 0) or k == z3.Z3_OP_UMINUS else 1
            ac, ak = _linear(a, names)
            for n, c in ac.items():
                coeffs[n] = coeffs.get(n, Fraction(0)) + sign * c
            const += sign * ak
        return coeffs, const
    if k == z3.Z3_OP_MUL:
        scale = Fraction(1)
        rest: list[z3.ExprRef] = []
        for a in e.children():
            if z3.is_int_value(a) or z3.is_rational_value(a):
                scale *= _linear(a, names)[1]
            else:
                rest.append(a)
        if len(rest) > 1:
            raise _GaveUp(f"not linear in the free arguments: {e}")
        if not rest:
            return {}, scale
        ac, ak = _linear(rest[0], names)
        return {n: scale * c for n, c in ac.items()}, scale * ak
    raise _GaveUp(f"not linear in the free arguments: {e}")


def _side_formula(side: Side, xs: Mapping[str, z3.ArithRef]) -> z3.BoolRef:
    terms, which, v = side
    form = z3.Sum([c * xs[n] for c, n in terms])
    return as_bool(form >= v if which == "lo" else form <= v)


def _needed(
    policy: CompiledPolicy, h: z3.BoolRef, sides: list[Side], xs: Mapping[str, z3.ArithRef]
) -> list[Side]:
    """Drop the sides that `h` does not need, forms of more arguments tried first."""
    s = z3.Solver()
    s.set("timeout", policy.timeout_ms)
    s.add(z3.Not(h))
    kept = list(dict.fromkeys(sides))
    if s.check(*(_side_formula(x, xs) for x in kept)) != z3.unsat:
        raise _GaveUp("the conditions at a solution do not decide the rule")
    for side in sorted(kept, key=lambda x: -len(x[0])):
        trial = [x for x in kept if x != side]
        if s.check(*(_side_formula(x, xs) for x in trial)) == z3.unsat:
            kept = trial
    return kept


def _merge(sides: Sequence[Side], order: Sequence[str]) -> tuple[Bound, ...]:
    forms: dict[tuple[tuple[int, str], ...], list[int | None]] = {}
    for terms, which, v in sides:
        lo_hi = forms.setdefault(terms, [None, None])
        i = 0 if which == "lo" else 1
        old = lo_hi[i]
        lo_hi[i] = v if old is None else (max(old, v) if i == 0 else min(old, v))

    def key(terms: tuple[tuple[int, str], ...]) -> tuple[int, list[int]]:
        return len(terms), [order.index(n) for _, n in terms]

    out: list[Bound] = []
    for t in sorted(forms, key=key):
        lower, upper = forms[t]
        if len(t) > 1 and upper is not None and upper <= 0 and (lower is None or lower < 0):
            # read a difference the way round that is not negative: `today - closed_on`
            t, lower, upper = tuple((-c, n) for c, n in t), -upper, None if lower is None else -lower
        out.append(Bound(t, lower, upper))
    return tuple(out)


def _formula(bounds: Sequence[Bound], xs: Mapping[str, z3.ArithRef]) -> z3.BoolRef:
    sides: list[z3.BoolRef] = []
    for b in bounds:
        if b.lower is not None:
            sides.append(_side_formula((b.terms, "lo", b.lower), xs))
        if b.upper is not None:
            sides.append(_side_formula((b.terms, "hi", b.upper), xs))
    return and_(*sides)


def _replay(
    policy: CompiledPolicy,
    f: core.Function,
    fixed: Mapping[str, Value],
    regions: Sequence[Region],
    xs: Mapping[str, z3.ArithRef],
) -> None:
    from .verify import ReplayMismatch

    def holds(values: Mapping[str, int]) -> bool:
        return holds_at(policy, f, {**fixed, **values})

    anywhere = z3.Or([_formula(r.bounds, xs) for r in regions]) if regions else z3.BoolVal(False)
    s = z3.Solver()
    s.set("timeout", policy.timeout_ms)
    for r in regions:
        if not holds(dict(r.witness)):
            raise ReplayMismatch(
                f"`{f.name}` does not hold at {dict(r.witness)}, inside a region the solver found"
            )
        for i, b in enumerate(r.bounds):
            rest = [*r.bounds[:i], *r.bounds[i + 1 :]]
            form = z3.Sum([c * xs[n] for c, n in b.terms])
            for end, step in ((b.lower, -1), (b.upper, 1)):
                if end is None:
                    continue
                for target, inside in ((end, True), (end + step, False)):
                    s.push()
                    s.add(_formula(rest, xs), form == target)
                    if not inside:
                        s.add(z3.Not(anywhere))
                    if s.check() == z3.sat:
                        m = s.model()
                        values = {n: m.eval(x, model_completion=True).as_long() for n, x in xs.items()}
                        if holds(values) != inside:
                            s.pop()
                            raise ReplayMismatch(
                                f"`{f.name}` {'fails' if inside else 'holds'} at {values}, "
                                f"{'inside' if inside else 'outside'} the regions the solver found"
                            )
                    s.pop()
