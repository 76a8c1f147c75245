"""Types of the language, with units, and the runtime encoding of each.

Every scalar is an exact number at run time, in the same encoding the Z3
compiler uses, so the interpreter and the solver never disagree on units:

    Bool       bool
    Int        int
    Money      int, minor units (cents)                 US$12.40 -> 1240
    Percent    Fraction, as a ratio                      15%     -> 3/20
    Date       int, days since 1970-01-01
    DateTime   int, minutes since 1970-01-01T00:00
    Days       int, whole days                           (Date - Date)
    Duration   int, minutes                              (DateTime - DateTime, `48 hours`)
    Length     int, millimetres
    Mass       int, grams
    DataSize   int, bytes (1 KB = 1000 B, 1 MB = 1000 KB)
    Text       str
    Exact[U]   Fraction: a product or quotient of U that has not been rounded yet
    enum       str, the variant name
    record     tuple of field values, in declaration order
    List[T, n] tuple of at most n values
    T?         None, or the value
    Window[T]  (start, end) pair, inclusive, or None when either end is absent
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Type:
    def __str__(self) -> str:  # pragma: no cover - every subclass overrides
        return type(self).__name__


@dataclass(frozen=True)
class Prim(Type):
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Exact(Type):
    """The unrounded result of `Money * Percent` or `Money / Int`: needs `round_*`."""

    unit: Prim

    def __str__(self) -> str:
        return f"Exact[{self.unit}]"


@dataclass(frozen=True)
class EnumT(Type):
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class RecordT(Type):
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class ListT(Type):
    elem: Type
    bound: int

    def __str__(self) -> str:
        return f"List[{self.elem}, {self.bound}]"


@dataclass(frozen=True)
class OptT(Type):
    inner: Type

    def __str__(self) -> str:
        return f"{self.inner}?"


@dataclass(frozen=True)
class WindowT(Type):
    elem: Type

    def __str__(self) -> str:
        return f"Window[{self.elem}]"


BOOL = Prim("Bool")
INT = Prim("Int")
MONEY = Prim("Money")
PERCENT = Prim("Percent")
DATE = Prim("Date")
DATETIME = Prim("DateTime")
DAYS = Prim("Days")
DURATION = Prim("Duration")
LENGTH = Prim("Length")
MASS = Prim("Mass")
DATASIZE = Prim("DataSize")
TEXT = Prim("Text")
# The type of an expression that failed to type-check: compatible with everything,
# so that one mistake yields one diagnostic (not in PRIMS: no spec can name it).
ERROR = Prim("<error>")

PRIMS: dict[str, Prim] = {
    p.name: p
    for p in (BOOL, INT, MONEY, PERCENT, DATE, DATETIME, DAYS, DURATION, LENGTH, MASS, DATASIZE, TEXT)
}

# Quantities whose values are integers in a base unit and can be added to themselves.
ADDITIVE: frozenset[Prim] = frozenset({INT, MONEY, DAYS, DURATION, LENGTH, MASS, DATASIZE})
# Points in time: subtracting two gives a span, adding a span gives a point.
INSTANTS: dict[Prim, Prim] = {DATE: DAYS, DATETIME: DURATION}
ORDERED: frozenset[Prim] = frozenset(ADDITIVE | {PERCENT, DATE, DATETIME})

# unit word -> (type, how many base units one of it is)
UNITS: dict[str, tuple[Prim, int]] = {
    "day": (DAYS, 1),
    "days": (DAYS, 1),
    "week": (DAYS, 7),
    "weeks": (DAYS, 7),
    "minute": (DURATION, 1),
    "minutes": (DURATION, 1),
    "hour": (DURATION, 60),
    "hours": (DURATION, 60),
    "mm": (LENGTH, 1),
    "cm": (LENGTH, 10),
    "m": (LENGTH, 1000),
    "km": (LENGTH, 1_000_000),
    "g": (MASS, 1),
    "kg": (MASS, 1000),
    "B": (DATASIZE, 1),
    "KB": (DATASIZE, 1000),
    "MB": (DATASIZE, 1_000_000),
    "GB": (DATASIZE, 1_000_000_000),
}

# How a value of each unit type is written back (largest unit that divides it).
DISPLAY_UNITS: dict[Prim, tuple[tuple[str, int], ...]] = {
    DAYS: (("days", 1),),
    DURATION: (("days", 1440), ("hours", 60), ("minutes", 1)),
    LENGTH: (("km", 1_000_000), ("m", 1000), ("cm", 10), ("mm", 1)),
    MASS: (("kg", 1000), ("g", 1)),
    DATASIZE: (("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1000), ("B", 1)),
}

MINUTES_PER_DAY = 1440


def strip_opt(t: Type) -> Type:
    return t.inner if isinstance(t, OptT) else t
