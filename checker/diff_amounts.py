"""The numeric parts of a changed result (a value, or the ends of a window) whose
largest rise and drop a diff reports, and their conversions to and from Z3."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import z3

from smallprint.model.core import Value
from smallprint.model.types import INSTANTS, ORDERED, Exact, OptT, Prim, Type, WindowT

from .symenv import Sym, SymOpt, SymScalar, SymWindow
from .terms import TRUE


@dataclass(frozen=True)
class Component:
    """A numeric part of a result: the value itself, or one end of a window."""

    label: str
    old_present: z3.BoolRef
    new_present: z3.BoolRef
    old: z3.ArithRef
    new: z3.ArithRef
    amount_ty: Type


def numeric(ty: Type) -> bool:
    return isinstance(ty, Exact) or (isinstance(ty, Prim) and ty in ORDERED)


def amount_type(ty: Type) -> Type:
    if isinstance(ty, Prim):
        return INSTANTS.get(ty, ty)
    return ty


def numeric_parts(old: Sym, new: Sym, ty: Type) -> list[Component]:
    """The numeric parts of a result whose largest change is worth finding."""
    if isinstance(ty, WindowT) and isinstance(old, SymWindow) and isinstance(new, SymWindow):
        unit = amount_type(ty.elem)
        return [
            Component("start", old.present, new.present, old.start, new.start, unit),
            Component("end", old.present, new.present, old.end, new.end, unit),
        ]
    inner = ty.inner if isinstance(ty, OptT) else ty
    if not numeric(inner):
        return []
    o = old if isinstance(old, SymOpt) else SymOpt(TRUE, old)
    n = new if isinstance(new, SymOpt) else SymOpt(TRUE, new)
    if not (isinstance(o.value, SymScalar) and isinstance(n.value, SymScalar)):
        return []
    ov, nv = o.value.term, n.value.term
    if not (isinstance(ov, z3.ArithRef) and isinstance(nv, z3.ArithRef)):
        return []
    return [Component("", o.present, n.present, ov, nv, amount_type(inner))]


def part_of(v: Value, label: str) -> Value:
    if label in ("start", "end"):
        if v is None:
            return None
        assert isinstance(v, tuple)
        return v[0] if label == "start" else v[1]
    return v


def const_like(x: Fraction, like: z3.ArithRef) -> z3.ArithRef:
    if like.is_real():
        return z3.RealVal(f"{x.numerator}/{x.denominator}")
    assert x.denominator == 1
    return z3.IntVal(x.numerator)


def amount_value(x: Fraction, c: Component) -> Value:
    """An amount in the runtime encoding of its type: Fraction for Percent and Exact, else int."""
    if c.old.is_real() or c.new.is_real():
        return x
    assert x.denominator == 1
    return x.numerator
