"""Hypothesis strategies for run-time values of any type, and a program that has them all."""

from __future__ import annotations

import datetime
from fractions import Fraction

from hypothesis import strategies as st

from smallprint.model import core
from smallprint.model.loader import load_text
from smallprint.model.types import (
    BOOL,
    DATASIZE,
    DATE,
    DATETIME,
    DAYS,
    DURATION,
    INT,
    LENGTH,
    MASS,
    MINUTES_PER_DAY,
    MONEY,
    PERCENT,
    TEXT,
    EnumT,
    Exact,
    ListT,
    OptT,
    Prim,
    RecordT,
    Type,
    WindowT,
)

# Records without invariants, so that every value of their type is a valid input.
EVERYTHING = """
enum Color { red, green, blue_ish }
record Inner { seen: Date?  note: Text  extent: Length }
record Everything {
  flag: Bool  n: Int  price: Money  rate: Percent  day: Date  moment: DateTime
  wait: Days  span: Duration  len: Length  weight: Mass  data: DataSize  label: Text
  color: Color  maybe: Money?  inners: List[Inner, 3]  inner: Inner?  tags: List[Text, 2]?
}
"""


def everything() -> core.Program:
    return load_text(EVERYTHING, "everything.sp")


EPOCH = datetime.date(1970, 1, 1)
FIRST_DAY = (datetime.date.min - EPOCH).days
LAST_DAY = (datetime.date.max - EPOCH).days

SCALARS: tuple[Prim, ...] = (
    BOOL,
    INT,
    MONEY,
    PERCENT,
    DATE,
    DATETIME,
    DAYS,
    DURATION,
    LENGTH,
    MASS,
    DATASIZE,
    TEXT,
)
EXACT_UNITS: tuple[Prim, ...] = (MONEY, INT, PERCENT, DAYS, DURATION, LENGTH, MASS, DATASIZE)


def types(program: core.Program) -> st.SearchStrategy[Type]:
    """Any type whose values JSON can carry, over the records and enums of `program`."""
    leaves: st.SearchStrategy[Type] = st.one_of(
        st.sampled_from(SCALARS),
        st.sampled_from(EXACT_UNITS).map(Exact),
        st.sampled_from([EnumT(e) for e in program.enums]),
        st.sampled_from([RecordT(r) for r in program.records]),
        st.sampled_from([WindowT(DATE), WindowT(DATETIME)]),
    )

    def extend(inner: st.SearchStrategy[Type]) -> st.SearchStrategy[Type]:
        lists: st.SearchStrategy[Type] = st.builds(ListT, inner, st.integers(0, 3))
        optionals: st.SearchStrategy[Type] = inner.filter(lambda t: not isinstance(t, OptT)).map(OptT)
        return st.one_of(lists, optionals)

    return st.recursive(leaves, extend, max_leaves=4)


def values(program: core.Program, ty: Type) -> st.SearchStrategy[core.Value]:
    """Every value of `ty` (records of `program` without invariants)."""
    if isinstance(ty, OptT):
        return st.none() | values(program, ty.inner)
    if isinstance(ty, ListT):
        return st.lists(values(program, ty.elem), max_size=ty.bound).map(tuple)
    if isinstance(ty, RecordT):
        fields = [values(program, t) for _, t in program.records[ty.name].fields]
        return st.tuples(*fields)
    if isinstance(ty, EnumT):
        return st.sampled_from(program.enums[ty.name].variants)
    if isinstance(ty, WindowT):
        end = values(program, ty.elem)
        return st.none() | st.tuples(end, end)
    if isinstance(ty, Exact):
        return st.fractions(max_denominator=10**6)
    if ty == BOOL:
        return st.booleans()
    if ty == TEXT:
        return st.text(max_size=12)
    if ty == PERCENT:
        return st.fractions(max_denominator=10**4)
    if ty == DATE:
        return st.integers(FIRST_DAY, LAST_DAY)
    if ty == DATETIME:
        return st.integers(FIRST_DAY * MINUTES_PER_DAY, (LAST_DAY + 1) * MINUTES_PER_DAY - 1)
    return st.integers(-(10**12), 10**12)


def same(a: core.Value, b: core.Value) -> bool:
    """Equal and of the same Python types all the way down (1 == True == Fraction(1) is not enough)."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Fraction) or isinstance(b, Fraction):
        return isinstance(a, Fraction) and isinstance(b, Fraction) and a == b
    return type(a) is type(b) and a == b
