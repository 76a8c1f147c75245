"""Operators and list aggregates of the core, compiled to Z3 (part of `checker/compile.py`).

The encoding is stated in `checker/compile.py`. Here: one function per
operator family, each following the operator table of `model/core.py`.
`and`/`or`/`implies` compile their later arguments under the path on which the
interpreter evaluates them (short-circuit), so that a division by zero guarded by
an earlier condition is not reported. Aggregates are unrolled over the slots of
the list; slot i takes part only when i < length (and the `where` holds).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import TYPE_CHECKING

import z3

from smallprint.model import core
from smallprint.model.types import MINUTES_PER_DAY, Exact

from .symenv import EncodingError, Sym, SymList, SymScalar, SymWindow
from .terms import (
    FALSE,
    TRUE,
    Side,
    and_,
    as_arith,
    as_bool,
    boolean,
    implies,
    is_false,
    is_real,
    is_true,
    ite,
    not_,
    num,
    or_,
    real,
    same_sort,
)

if TYPE_CHECKING:
    from .compile import Compiler
    from .compiled import Acc, Scope

HALF = z3.RealVal("1/2")

# The ordering operators (a table, so that a test can seed a compiler bug and see it caught).
COMPARE: dict[str, Callable[[z3.ArithRef, z3.ArithRef], z3.BoolRef]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def compile_op(c: Compiler, e: core.Op, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
    op = e.op
    if op in ("and", "or", "implies"):
        return SymScalar(_logic(c, e, scope, path, acc))
    args = [c.expr(a, scope, path, acc) for a in e.args]
    if op == "not":
        return SymScalar(not_(boolean(args[0])))
    if op in ("eq", "ne"):
        same = c.equal(args[0], args[1])
        return SymScalar(same if op == "eq" else not_(same))
    if op == "member":
        xs = args[1]
        if not isinstance(xs, SymList):
            raise EncodingError(f"`in` on a non-list at {e.span}")
        return SymScalar(or_(*(and_(_used(xs, i), c.equal(args[0], s)) for i, s in enumerate(xs.slots))))
    if op == "in_window":
        w = args[1]
        if not isinstance(w, SymWindow):
            raise EncodingError(f"`in` on a non-window at {e.span}")
        x = num(args[0])
        return SymScalar(and_(w.present, as_bool(w.start <= x), as_bool(x <= w.end)))
    if op in ("starts_with", "ends_with", "contains", "text_length"):
        return SymScalar(_text(op, [_term(a) for a in args]))
    return SymScalar(_arith(op, [num(a) for a in args], e, path, acc))


def _term(x: Sym) -> z3.ExprRef:
    if not isinstance(x, SymScalar):
        raise EncodingError(f"expected a scalar, found {x}")
    return x.term


def _logic(c: Compiler, e: core.Op, scope: Scope, path: z3.BoolRef, acc: Acc) -> z3.BoolRef:
    """Left to right; an argument is compiled under the path on which it is evaluated."""
    if e.op == "implies":
        a = boolean(c.expr(e.args[0], scope, path, acc))
        if is_false(a):
            return TRUE
        return implies(a, boolean(c.expr(e.args[1], scope, and_(path, a), acc)))
    parts: list[z3.BoolRef] = []
    for arg in e.args:
        guard = and_(*parts) if e.op == "and" else not_(or_(*parts))
        t = boolean(c.expr(arg, scope, and_(path, guard), acc))
        parts.append(t)
        if (e.op == "and" and is_false(t)) or (e.op == "or" and is_true(t)):
            break  # the rest is never evaluated
    return and_(*parts) if e.op == "and" else or_(*parts)


def _text(op: str, xs: list[z3.ExprRef]) -> z3.ExprRef:
    if op == "starts_with":
        return z3.PrefixOf(xs[1], xs[0])
    if op == "ends_with":
        return z3.SuffixOf(xs[1], xs[0])
    if op == "contains":
        return z3.Contains(xs[0], xs[1])
    return z3.Length(xs[0])


def _arith(op: str, xs: list[z3.ArithRef], e: core.Op, path: z3.BoolRef, acc: Acc) -> z3.ExprRef:
    if op in COMPARE:
        a, b = same_sort(xs[0], xs[1])
        return COMPARE[op](a, b)
    if op in ("add", "sub", "mul"):
        out = xs[0]
        for x in xs[1:]:
            a, b = same_sort(out, x)
            out = as_arith(a + b if op == "add" else a - b if op == "sub" else a * b)
        return out
    if op == "div":
        a, b = real(xs[0]), real(xs[1])
        nonzero = as_bool(z3.simplify(b != 0))
        if not is_true(nonzero):
            acc.sides.append(Side(implies(path, nonzero), e.span, "division by zero"))
        return a / b
    if op == "neg":
        return -xs[0]
    if op in ("min", "max"):
        out = xs[0]
        for x in xs[1:]:
            a, b = same_sort(out, x)
            out = as_arith(ite(as_bool(b < a if op == "min" else b > a), b, a))
        return out
    if op == "floor":
        return _floor(xs[0])
    if op == "ceil":
        return -_floor(-xs[0])
    if op == "round_half_up":  # ties away from zero
        x = real(xs[0])
        return ite(as_bool(x >= 0), _floor(x + HALF), -_floor(-x + HALF))
    if op == "round_half_even":
        x = xs[0]
        if not is_real(x):
            return x
        n = _floor(x)
        frac = x - z3.ToReal(n)
        even = as_bool(n % 2 == 0)
        return ite(as_bool(frac > HALF), n + 1, ite(as_bool(frac < HALF), n, ite(even, n, n + 1)))
    if op == "date_of":
        return xs[0] / MINUTES_PER_DAY  # Int division: floor for a positive divisor
    if op == "start_of":
        return xs[0] * MINUTES_PER_DAY
    raise EncodingError(f"no Z3 compilation for operator `{op}` at {e.span}")


def _floor(x: z3.ArithRef) -> z3.ArithRef:
    return z3.ToInt(x) if is_real(x) else x


def _used(xs: SymList, i: int) -> z3.BoolRef:
    """Slot i of `xs` holds an element."""
    if z3.is_int_value(xs.length):
        return TRUE if xs.length.as_long() > i else FALSE
    return as_bool(xs.length > i)


def compile_agg(c: Compiler, e: core.Agg, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
    src = c.expr(e.source, scope, path, acc)
    if not isinstance(src, SymList):
        raise EncodingError(f"aggregate over a non-list at {e.span}")
    slots: list[tuple[z3.BoolRef, Scope]] = []
    # A list of known length (a concrete input) has no slot conditions: its first
    # `length` slots are elements, the rest are not looked at.
    length = src.length.as_long() if z3.is_int_value(src.length) else None
    for i, slot in enumerate(src.slots):
        if length is not None and i >= length:
            break
        used = TRUE if length is not None else _used(src, i)
        if is_false(used):
            continue
        inner = {**scope, e.var: slot}
        if e.where is not None and c.filtered_out(e.where, inner):
            continue
        # `exists x in xs. a and b`: an element where `a` is false adds nothing either
        if e.op == "any" and e.body is not None and c.filtered_out(e.body, inner):
            continue
        reach = path if length is not None else and_(path, used)
        where = TRUE if e.where is None else boolean(c.expr(e.where, inner, reach, acc))
        active = where if length is not None else and_(used, where)
        if is_false(active):
            continue  # a slot the filter rules out contributes nothing to any aggregate
        slots.append((active, inner))
    if e.op == "count":
        return SymScalar(_sum([ite(a, z3.IntVal(1), z3.IntVal(0)) for a, _ in slots], False))
    if e.op in ("all", "any"):
        assert e.body is not None
        done = FALSE  # a slot that already decided (a failure for all, a success for any)
        parts: list[z3.BoolRef] = []
        for active, inner in slots:
            b = boolean(c.expr(e.body, inner, and_(path, active, not_(done)), acc))
            part = implies(active, b) if e.op == "all" else and_(active, b)
            parts.append(part)
            done = or_(done, not_(part) if e.op == "all" else part)
        return SymScalar(and_(*parts) if e.op == "all" else or_(*parts))
    assert e.body is not None
    is_real = isinstance(e.ty, Exact) or c.types.sort(e.ty) == z3.RealSort()
    bodies = [(a, num(c.expr(e.body, inner, and_(path, a), acc))) for a, inner in slots]
    if e.op == "sum":
        zero = z3.RealVal(0) if is_real else z3.IntVal(0)
        return SymScalar(_sum([ite(a, b, zero) for a, b in bodies], is_real))
    if e.op not in ("min", "max"):
        raise EncodingError(f"no Z3 compilation for aggregate `{e.op}` at {e.span}")
    none = not_(or_(*(a for a, _ in bodies)))
    if e.default is not None:
        result = num(c.expr(e.default, scope, and_(path, none), acc))
    else:
        acc.sides.append(Side(implies(path, not_(none)), e.span, f"`{e.op}` of no element"))
        result = z3.RealVal(0) if is_real else z3.IntVal(0)
    found = FALSE
    for active, b in bodies:
        x, r = same_sort(b, result)
        better = x < r if e.op == "min" else x > r
        result = as_arith(ite(and_(active, or_(not_(found), as_bool(better))), x, r))
        found = or_(found, active)
    return SymScalar(result)


def _sum(terms: list[z3.ExprRef], is_real: bool) -> z3.ArithRef:
    terms = [t for t in terms if not (z3.is_int_value(t) and t.as_long() == 0)]
    if not terms:
        return z3.RealVal(0) if is_real else z3.IntVal(0)
    if is_real:
        terms = [real(as_arith(t)) for t in terms]
    return as_arith(terms[0] if len(terms) == 1 else z3.Sum(*terms))
