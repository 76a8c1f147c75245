"""Z3 values -> runtime values (`model/types.py`), read through symbolic values.

`decode(sym, ty, evaluate, types)` walks the symbolic value of an input or a
result and asks `evaluate` (a model's `eval` with completion, or a simplifier)
for each leaf it needs: the presence flag before the payload of an optional,
the length before the slots of a list (only slots below the length are read).
Numbers come back exact: Int sorts as `int`, Real sorts as `fractions.Fraction`
(Percent and Exact always as a Fraction), strings code point by code point,
enum constants by comparison with the sort's constants (never by name).
A leaf that does not evaluate to a literal raises `NotAValue`.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import z3

from smallprint.model.core import Value
from smallprint.model.types import BOOL, TEXT, EnumT, ListT, OptT, RecordT, Type, WindowT

from .symenv import Sym, SymList, SymOpt, SymRecord, SymScalar, SymWindow, Types, string_of

Evaluator = Callable[[z3.ExprRef], z3.ExprRef]


class NotAValue(Exception):
    """A term that the evaluator could not reduce to a literal."""


def model_evaluator(model: z3.ModelRef) -> Evaluator:
    def ev(term: z3.ExprRef) -> z3.ExprRef:
        out: z3.ExprRef = model.eval(term, model_completion=True)
        return out

    return ev


def decode(sym: Sym, ty: Type, ev: Evaluator, types: Types) -> Value:
    if isinstance(ty, OptT):
        if isinstance(sym, SymOpt):
            if not truth(ev(sym.present)):
                return None
            return decode(sym.value, ty.inner, ev, types)
        return decode(sym, ty.inner, ev, types)
    if isinstance(ty, WindowT):
        assert isinstance(sym, SymWindow)
        if not truth(ev(sym.present)):
            return None
        return (whole(ev(sym.start)), whole(ev(sym.end)))
    if isinstance(ty, RecordT):
        assert isinstance(sym, SymRecord)
        fields = types.fields(ty.name)
        return tuple(decode(s, t, ev, types) for s, (_, t) in zip(sym.fields, fields, strict=True))
    if isinstance(ty, ListT):
        assert isinstance(sym, SymList)
        n = whole(ev(sym.length))
        if n < 0 or n > len(sym.slots):
            raise NotAValue(f"list length {n} outside 0..{len(sym.slots)}")
        return tuple(decode(sym.slots[i], ty.elem, ev, types) for i in range(n))
    assert isinstance(sym, SymScalar), (sym, ty)
    return scalar(ev(sym.term), ty, types)


def scalar(t: z3.ExprRef, ty: Type, types: Types) -> Value:
    if ty == BOOL:
        return truth(t)
    if ty == TEXT:
        if not z3.is_string_value(t):
            raise NotAValue(f"`{t}` is not a text value")
        return string_of(t)
    if isinstance(ty, EnumT):
        try:
            return types.variant_name(ty.name, t)
        except Exception as exc:
            raise NotAValue(str(exc)) from None
    if types.sort(ty) == z3.RealSort():
        return exact(t)
    return whole(t)


def truth(t: z3.ExprRef) -> bool:
    if z3.is_true(t):
        return True
    if z3.is_false(t):
        return False
    raise NotAValue(f"`{t}` is not true or false")


def whole(t: z3.ExprRef) -> int:
    if z3.is_int_value(t):
        n: int = t.as_long()
        return n
    if z3.is_rational_value(t) and t.denominator_as_long() == 1:
        m: int = t.numerator_as_long()
        return m
    raise NotAValue(f"`{t}` is not a whole number")


def exact(t: z3.ExprRef) -> Fraction:
    if z3.is_int_value(t):
        return Fraction(t.as_long())
    if z3.is_rational_value(t):
        return Fraction(t.numerator_as_long(), t.denominator_as_long())
    raise NotAValue(f"`{t}` is not an exact number")
