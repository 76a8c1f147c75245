"""Symbolic values of every type, fresh inputs and their well-formedness.

A symbolic value (`Sym`) has the shape of the runtime value of its type
(`model/types.py`), with Z3 terms at the leaves:

    scalar      SymScalar(term)         Bool, Int sort for integer units and instants,
                                        Real for Percent and Exact, String for Text,
                                        a Z3 enumeration sort for an enum
    record      SymRecord(fields)       one symbolic value per field, declaration order
    T?          SymOpt(present, value)  `value` is meaningless when `present` is false
    List[T, n]  SymList(length, slots)  `len(slots)` fixed slots; slot i is an element
                                        only when i < length (the rest are ignored)
    Window[T]   SymWindow(present, start, end)

`SymEnv.fresh(name, ty)` makes the inputs of a query: fresh Z3 constants for
every leaf, the structural constraints (0 <= length <= bound), and a list of
`RecordSite`s: every record reachable from the input with the condition under
which it exists (inside a present optional, inside a used list slot). The
compiler turns each site into its record's invariants, so `well_formed`
assumptions cover nested records without this module knowing expressions.

`SymEnv.paths` maps input paths (`o.items[2].price`, `o.shipped_at?` for the
presence flag, `o.items#` for the length) to their Z3 terms, so that models are
read through the environment and never by parsing Z3 names back.

Z3 constants are identified by name and sort, so every environment has a tag
that makes its names unique within a compiled policy.
"""

from __future__ import annotations

import ctypes
import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import z3

from smallprint.model.core import Program, Value
from smallprint.model.types import (
    BOOL,
    INSTANTS,
    INT,
    ORDERED,
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


@dataclass(frozen=True)
class SymScalar:
    term: z3.ExprRef


@dataclass(frozen=True)
class SymOpt:
    present: z3.BoolRef
    value: Sym


@dataclass(frozen=True)
class SymRecord:
    name: str
    fields: tuple[Sym, ...]


@dataclass(frozen=True)
class SymList:
    length: z3.ArithRef
    slots: tuple[Sym, ...]


@dataclass(frozen=True)
class SymWindow:
    present: z3.BoolRef
    start: z3.ArithRef
    end: z3.ArithRef


Sym = SymScalar | SymOpt | SymRecord | SymList | SymWindow


class EncodingError(Exception):
    """A value or construct that has no Z3 encoding (a bug in the caller or the model)."""


# ---- sorts ------------------------------------------------------------------------

# Z3 refuses to declare two enumeration sorts of one name in a context, so sorts are
# shared by every compiled policy: the same (name, variants) gives the same sort, and
# a different variant list under a known name gets a suffixed sort name.
_ENUM_SORTS: dict[tuple[str, tuple[str, ...]], tuple[z3.SortRef, tuple[z3.ExprRef, ...]]] = {}
_ENUM_NAMES: set[str] = set()


def enum_sort(name: str, variants: tuple[str, ...]) -> tuple[z3.SortRef, tuple[z3.ExprRef, ...]]:
    key = (name, variants)
    if key not in _ENUM_SORTS:
        z3name = name
        for n in itertools.count(2):
            if z3name not in _ENUM_NAMES:
                break
            z3name = f"{name}#{n}"
        _ENUM_NAMES.add(z3name)
        sort, consts = z3.EnumSort(z3name, list(variants))
        _ENUM_SORTS[key] = (sort, tuple(consts))
    return _ENUM_SORTS[key]


class Types:
    """The Z3 side of a program's types: sorts, enum constants, literal values."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.enums: dict[str, tuple[z3.SortRef, dict[str, z3.ExprRef]]] = {}
        self._scalars: dict[tuple[Type, type, Value], z3.ExprRef] = {}
        self._placeholders: dict[Type, Sym] = {}
        self._sorts: dict[Type, z3.SortRef] = {}
        self._true, self._false = z3.BoolVal(True), z3.BoolVal(False)
        for name, enum in program.enums.items():
            sort, consts = enum_sort(name, enum.variants)
            self.enums[name] = (sort, dict(zip(enum.variants, consts, strict=True)))

    def sort(self, ty: Type) -> z3.SortRef:
        """The sort of a scalar type (made once per type: inputs ask for one per leaf,
        some 16,000 times when the AliExpress properties are compiled)."""
        sort = self._sorts.get(ty)
        if sort is None:
            sort = self._sorts[ty] = self._sort(ty)
        return sort

    def _sort(self, ty: Type) -> z3.SortRef:
        if ty == BOOL:
            return z3.BoolSort()
        if ty == PERCENT or isinstance(ty, Exact):
            return z3.RealSort()
        if ty == TEXT:
            return z3.StringSort()
        if isinstance(ty, EnumT):
            return self.enums[ty.name][0]
        if isinstance(ty, Prim) and (ty in ORDERED or ty in INSTANTS):
            return z3.IntSort()
        raise EncodingError(f"no scalar sort for `{ty}`")

    def variant(self, enum: str, name: str) -> z3.ExprRef:
        return self.enums[enum][1][name]

    def variant_name(self, enum: str, term: z3.ExprRef) -> str:
        for name, const in self.enums[enum][1].items():
            if const.eq(term):
                return name
        raise EncodingError(f"`{term}` is not a variant of `{enum}`")

    def fields(self, record: str) -> tuple[tuple[str, Type], ...]:
        return self.program.records[record].fields

    # ---- concrete values -> symbolic constants -----------------------------------
    def value(self, v: Value, ty: Type) -> Sym:
        """The symbolic constant of a runtime value (the inverse of decoding)."""
        if isinstance(ty, OptT):
            if v is None:
                return SymOpt(self._false, self.placeholder(ty.inner))
            return SymOpt(self._true, self.value(v, ty.inner))
        if isinstance(ty, WindowT):
            if v is None:
                zero = z3.IntVal(0)
                return SymWindow(z3.BoolVal(False), zero, zero)
            assert isinstance(v, tuple) and len(v) == 2
            s, e = v
            assert isinstance(s, int) and isinstance(e, int)
            return SymWindow(z3.BoolVal(True), z3.IntVal(s), z3.IntVal(e))
        if isinstance(ty, RecordT):
            fields = self.fields(ty.name)
            assert isinstance(v, tuple) and len(v) == len(fields), (ty, v)
            return SymRecord(ty.name, tuple(self.value(x, t) for x, (_, t) in zip(v, fields, strict=True)))
        if isinstance(ty, ListT):
            assert isinstance(v, tuple), (ty, v)
            return SymList(self.scalar(len(v), INT), tuple(self.value(x, ty.elem) for x in v))
        return SymScalar(self.scalar(v, ty))

    def scalar(self, v: Value, ty: Type) -> z3.ExprRef:
        # Inputs repeat their values (amounts, counts, enum names): each constant is made once.
        key = (ty, type(v), v)
        known = self._scalars.get(key)
        if known is None:
            if len(self._scalars) >= 100_000:  # a long-lived service sees endless amounts
                self._scalars.clear()
            known = self._scalars[key] = self._scalar(v, ty)
        return known

    def _scalar(self, v: Value, ty: Type) -> z3.ExprRef:
        if ty == BOOL:
            assert isinstance(v, bool)
            return z3.BoolVal(v)
        if ty == TEXT:
            assert isinstance(v, str)
            return string_val(v)
        if isinstance(ty, EnumT):
            assert isinstance(v, str)
            return self.variant(ty.name, v)
        sort = self.sort(ty)
        if isinstance(v, bool) or not isinstance(v, int | Fraction):
            raise EncodingError(f"`{v!r}` is not a value of `{ty}`")
        if sort == z3.RealSort():
            f = Fraction(v)
            return z3.RealVal(f"{f.numerator}/{f.denominator}")
        if not isinstance(v, int):
            raise EncodingError(f"`{v!r}` is not a whole value of `{ty}`")
        return z3.IntVal(v)

    def placeholder(self, ty: Type) -> Sym:
        """Some value of `ty`, for the meaningless payload of an absent optional (the
        same one each time: instantiating a prepared plan asks for many)."""
        known = self._placeholders.get(ty)
        if known is None:
            known = self._placeholders[ty] = self._placeholder(ty)
        return known

    def _placeholder(self, ty: Type) -> Sym:
        if isinstance(ty, OptT):
            return SymOpt(z3.BoolVal(False), self.placeholder(ty.inner))
        if isinstance(ty, WindowT):
            zero = z3.IntVal(0)
            return SymWindow(z3.BoolVal(False), zero, zero)
        if isinstance(ty, RecordT):
            return SymRecord(ty.name, tuple(self.placeholder(t) for _, t in self.fields(ty.name)))
        if isinstance(ty, ListT):
            return SymList(z3.IntVal(0), ())
        if isinstance(ty, EnumT):
            return SymScalar(next(iter(self.enums[ty.name][1].values())))
        if ty == BOOL:
            return SymScalar(z3.BoolVal(False))
        if ty == TEXT:
            return SymScalar(string_val(""))
        if self.sort(ty) == z3.RealSort():
            return SymScalar(z3.RealVal(0))
        return SymScalar(z3.IntVal(0))


# Z3 reads `\u{..}` escapes inside string literals, so every character that is not
# plain printable ASCII (and the backslash itself) is written as one.
MAX_CHAR = 0x2FFFF  # Z3's default character range (unicode encoding)


def string_val(s: str) -> z3.SeqRef:
    if any(ord(ch) > MAX_CHAR for ch in s):
        raise EncodingError(f"text {s!r} has a character beyond U+{MAX_CHAR:X}, which Z3 cannot hold")
    enc = "".join(ch if 32 <= ord(ch) < 127 and ch != "\\" else f"\\u{{{ord(ch):x}}}" for ch in s)
    ctx = z3.main_ctx()
    return z3.SeqRef(z3.Z3_mk_string(ctx.ref(), enc), ctx)


def string_of(term: z3.ExprRef) -> str:
    """The Python text of a Z3 string value, code point by code point."""
    ref = term.ctx_ref()
    n = z3.Z3_get_string_length(ref, term.as_ast())
    chars = (ctypes.c_uint * n)()
    z3.Z3_get_string_contents(ref, term.as_ast(), n, chars)
    return "".join(chr(c) for c in chars)


# ---- fresh inputs ----------------------------------------------------------------


@dataclass(frozen=True)
class RecordSite:
    """A record inside an input that exists when `guard` holds: its invariants apply there."""

    record: str
    sym: SymRecord
    guard: z3.BoolRef
    path: str


@dataclass(frozen=True)
class Leaf:
    """One Z3 constant of an input, with the type of value it holds."""

    path: str
    term: z3.ExprRef
    ty: Type
    guard: z3.BoolRef  # when the leaf is meaningful (present optional, used list slot)


_TAGS = itertools.count()


@dataclass
class SymEnv:
    """The inputs of one query (or of one function template, or one quantifier)."""

    types: Types
    tag: str = field(default_factory=lambda: f"q{next(_TAGS)}")
    roots: dict[str, Sym] = field(default_factory=dict)
    root_types: dict[str, Type] = field(default_factory=dict)
    leaves: list[Leaf] = field(default_factory=list)
    paths: dict[str, z3.ExprRef] = field(default_factory=dict)
    structure: list[z3.BoolRef] = field(default_factory=list)
    sites: list[RecordSite] = field(default_factory=list)
    lists: list[tuple[str, int]] = field(default_factory=list)
    presence: list[tuple[str, z3.BoolRef, z3.BoolRef]] = field(default_factory=list)
    lengths: list[tuple[str, z3.ArithRef]] = field(default_factory=list)
    cap: int | None = None  # lists get at most this many slots (bounded checks of big policies)
    # Slots per list path, indices left out (`cart.stores[].lines`): a plan prepared
    # for checkouts of up to some size (`checker/optimize.py`).
    caps: Mapping[str, int] = field(default_factory=dict)

    def fresh(self, name: str, ty: Type) -> Sym:
        # A root named like a field path (`o.shipped_at`, a free field made a parameter:
        # `checker/free_fields.py`) gets constants of its own, not those of `o`'s field.
        path = f"({name})" if "." in name else name
        sym = self._fresh(path, ty, z3.BoolVal(True))
        self.roots[name] = sym
        self.root_types[name] = ty
        return sym

    def constants(self) -> list[z3.ExprRef]:
        return [leaf.term for leaf in self.leaves]

    def _const(self, path: str, ty: Type, sort: z3.SortRef, guard: z3.BoolRef) -> z3.ExprRef:
        term = z3.Const(f"{path}!{self.tag}", sort)
        self.paths[path] = term
        self.leaves.append(Leaf(path, term, ty, guard))
        return term

    def _fresh(self, path: str, ty: Type, guard: z3.BoolRef) -> Sym:
        if isinstance(ty, OptT):
            present = self._const(f"{path}?", BOOL, z3.BoolSort(), guard)
            assert isinstance(present, z3.BoolRef)
            self.presence.append((path, present, guard))
            return SymOpt(present, self._fresh(path, ty.inner, _and(guard, present)))
        if isinstance(ty, WindowT):
            present = self._const(f"{path}?", BOOL, z3.BoolSort(), guard)
            assert isinstance(present, z3.BoolRef)
            inner = _and(guard, present)
            start = self._const(f"{path}.start", ty.elem, z3.IntSort(), inner)
            end = self._const(f"{path}.end", ty.elem, z3.IntSort(), inner)
            assert isinstance(start, z3.ArithRef) and isinstance(end, z3.ArithRef)
            self.presence.append((path, present, guard))
            return SymWindow(present, start, end)
        if isinstance(ty, RecordT):
            fields = tuple(
                self._fresh(f"{path}.{fname}", fty, guard) for fname, fty in self.types.fields(ty.name)
            )
            rec = SymRecord(ty.name, fields)
            self.sites.append(RecordSite(ty.name, rec, guard, path))
            return rec
        if isinstance(ty, ListT):
            length = self._const(f"{path}#", ty, z3.IntSort(), guard)
            assert isinstance(length, z3.ArithRef)
            bound = ty.bound if self.cap is None else min(ty.bound, self.cap)
            if self.caps:
                bound = min(bound, self.caps.get(list_path(path), bound))
            self.structure.append(conjunction([length >= 0, length <= bound]))
            self.lists.append((path, bound))
            self.lengths.append((path, length))
            slots = tuple(self._fresh(f"{path}[{i}]", ty.elem, _and(guard, length > i)) for i in range(bound))
            return SymList(length, slots)
        return SymScalar(self._const(path, ty, self.types.sort(ty), guard))


def list_path(path: str) -> str:
    """`cart.stores[3].lines` -> `cart.stores[].lines`: the same list in every element."""
    return _INDEX.sub("[]", path)


_INDEX = re.compile(r"\[\d+\]")


def leaves_of(sym: Sym) -> Iterator[z3.ExprRef]:
    """Every Z3 term at a leaf of `sym`, in a fixed order (used to align two values)."""
    if isinstance(sym, SymScalar):
        yield sym.term
    elif isinstance(sym, SymOpt):
        yield sym.present
        yield from leaves_of(sym.value)
    elif isinstance(sym, SymWindow):
        yield sym.present
        yield sym.start
        yield sym.end
    elif isinstance(sym, SymRecord):
        for f in sym.fields:
            yield from leaves_of(f)
    else:
        yield sym.length
        for s in sym.slots:
            yield from leaves_of(s)


def _and(guard: z3.BoolRef, cond: z3.BoolRef) -> z3.BoolRef:
    return cond if z3.is_true(guard) else conjunction([guard, cond])


def conjunction(xs: Sequence[z3.BoolRef]) -> z3.BoolRef:
    """`And(xs)` of Boolean terms of one context, made by one call to Z3: the compiler
    makes tens of thousands, and `z3.And` spends most of its time checking and
    coercing arguments that are already Booleans."""
    return _connective(z3.Z3_mk_and, xs)


def disjunction(xs: Sequence[z3.BoolRef]) -> z3.BoolRef:
    """`Or(xs)`, as `conjunction`."""
    return _connective(z3.Z3_mk_or, xs)


def negation(x: z3.BoolRef) -> z3.BoolRef:
    """`Not(x)`, as `conjunction`."""
    return z3.BoolRef(z3.Z3_mk_not(x.ctx_ref(), x.as_ast()), x.ctx)


def implication(a: z3.BoolRef, b: z3.BoolRef) -> z3.BoolRef:
    """`Implies(a, b)`, as `conjunction`."""
    assert a.ctx is b.ctx, "terms of one context"
    return z3.BoolRef(z3.Z3_mk_implies(a.ctx_ref(), a.as_ast(), b.as_ast()), a.ctx)


def _connective(make: Callable[..., object], xs: Sequence[z3.BoolRef]) -> z3.BoolRef:
    ctx = xs[0].ctx
    assert all(x.ctx is ctx for x in xs), "terms of one context"
    return z3.BoolRef(make(ctx.ref(), len(xs), (z3.Ast * len(xs))(*(x.as_ast() for x in xs))), ctx)
