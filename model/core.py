"""The typed core: what the type checker produces and every backend consumes.

The surface language (`model/ast.py`) has sugar: `is some(x)` bindings that
scope over the rest of a conjunction, `??`, `match`, windows, units on
literals. The checker elaborates all of it into this small language, where
every node carries its type and every value is already in the runtime
encoding of `model/types.py`. The reference interpreter (`model/interp.py`)
and the Z3 compiler (`checker/compile.py`) both walk this tree, so there is
exactly one meaning to agree on.

Operators (`Op.op`), by argument types:

    add sub             numbers of one unit (or instant +/- span, already scaled)
    mul                 number * number (at least one side unitless or Percent)
    div                 exact division, result is a Fraction (`Exact`)
    neg
    eq ne               any two values of one type (records and lists structurally)
    lt le gt ge         ordered scalars
    and or              n-ary, short-circuit left to right
    not implies
    min max             n-ary over ordered scalars
    floor ceil round_half_up round_half_even   Exact -> integer
    starts_with ends_with contains             Text, Text -> Bool
    text_length                                Text -> Int
    member              value, List -> Bool
    in_window           instant, Window -> Bool (inclusive at both ends)
    date_of             DateTime -> Date (the day it falls on)
    start_of            Date -> DateTime (midnight)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from smallprint.grammar.span import NO_SPAN, Span
from smallprint.model.ast import Cite
from smallprint.model.types import Type

Value = bool | int | Fraction | str | None | tuple["Value", ...]


@dataclass(frozen=True)
class CExpr:
    ty: Type = field(kw_only=True)
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Lit(CExpr):
    value: Value


@dataclass(frozen=True)
class Var(CExpr):
    """A parameter, binder or local; names are unique within one declaration."""

    name: str


@dataclass(frozen=True)
class ConstRef(CExpr):
    name: str


@dataclass(frozen=True)
class Field(CExpr):
    target: CExpr
    index: int
    name: str


@dataclass(frozen=True)
class Call(CExpr):
    func: str
    args: tuple[CExpr, ...]


@dataclass(frozen=True)
class Op(CExpr):
    op: str
    args: tuple[CExpr, ...]


@dataclass(frozen=True)
class If(CExpr):
    cond: CExpr
    then: CExpr
    orelse: CExpr


@dataclass(frozen=True)
class IfSome(CExpr):
    """`then` with `var` bound to the value when `opt` is present, else `orelse`."""

    opt: CExpr
    var: str
    then: CExpr
    orelse: CExpr


@dataclass(frozen=True)
class SomeE(CExpr):
    value: CExpr


@dataclass(frozen=True)
class NoneE(CExpr):
    pass


@dataclass(frozen=True)
class MkWindow(CExpr):
    """Both ends are optional-typed; the window is absent when either end is."""

    start: CExpr
    end: CExpr


@dataclass(frozen=True)
class ListE(CExpr):
    items: tuple[CExpr, ...]


@dataclass(frozen=True)
class RecordE(CExpr):
    record: str
    fields: tuple[CExpr, ...]  # in declaration order; absent optionals are NoneE


@dataclass(frozen=True)
class Size(CExpr):
    target: CExpr


@dataclass(frozen=True)
class Agg(CExpr):
    """count / sum / min / max / all / any over the elements of a bounded list.

    `where` filters elements; `body` is the summed or compared term (the
    condition for all/any); `default` is the value of min/max over no element.
    """

    op: str
    var: str
    source: CExpr
    where: CExpr | None
    body: CExpr | None
    default: CExpr | None


@dataclass(frozen=True)
class Quant(CExpr):
    """forall / exists over every value of a type (properties only)."""

    op: str
    var: str
    var_ty: Type
    body: CExpr


@dataclass(frozen=True)
class Let(CExpr):
    var: str
    value: CExpr
    body: CExpr


# ---- clauses ----------------------------------------------------------------


@dataclass(frozen=True)
class Test:
    """A condition of a clause."""

    expr: CExpr
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Bind:
    """`x is some(v)` at the top of a clause: holds when present, binds `v` after it."""

    var: str
    opt: CExpr
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


Cond = Test | Bind


@dataclass(frozen=True)
class Clause:
    """Holds when every condition holds, read left to right."""

    conds: tuple[Cond, ...]
    cites: tuple[Cite, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Unless:
    clause: Clause
    excepts: tuple[Clause, ...] = ()


@dataclass(frozen=True)
class Case:
    clause: Clause
    value: CExpr  # may use the clause's bindings


# ---- declarations -------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    name: str
    ty: Type


@dataclass(frozen=True)
class EnumDef:
    name: str
    variants: tuple[str, ...]
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Invariant:
    name: str
    cond: CExpr  # over `Var("self")` of the record type
    cites: tuple[Cite, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class RecordDef:
    name: str
    fields: tuple[tuple[str, Type], ...]
    invariants: tuple[Invariant, ...]
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)

    def index(self, name: str) -> int:
        for i, (fname, _) in enumerate(self.fields):
            if fname == name:
                return i
        raise KeyError(name)


@dataclass(frozen=True)
class ConstDef:
    name: str
    ty: Type
    value: CExpr
    cites: tuple[Cite, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class RuleDef:
    """value = (no `when` or some `when` holds)
    and no `unless` holds whose `except`s all fail
    and no rule in `overridden_by` holds on the same arguments."""

    name: str
    params: tuple[Param, ...]
    whens: tuple[Clause, ...]
    unlesses: tuple[Unless, ...]
    overridden_by: tuple[str, ...] = ()
    opposes: str | None = None
    overrides: str | None = None
    cites: tuple[Cite, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)

    @property
    def ret(self) -> Type:
        from smallprint.model.types import BOOL

        return BOOL


@dataclass(frozen=True)
class DefDef:
    """`= body`, or `cases` tried in order (first that holds decides) then `otherwise`.

    `kind` is "def" or "window" (a window's body is a `MkWindow`)."""

    name: str
    params: tuple[Param, ...]
    ret: Type
    body: CExpr | None
    cases: tuple[Case, ...] = ()
    otherwise: CExpr | None = None
    kind: str = "def"
    cites: tuple[Cite, ...] = ()
    otherwise_cites: tuple[Cite, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


Function = RuleDef | DefDef


@dataclass(frozen=True)
class PropertyDef:
    name: str
    body: CExpr
    cites: tuple[Cite, ...] = ()
    findings: tuple[Cite, ...] = ()  # the text itself violates it, as recorded there
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Given:
    name: str
    value: CExpr
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Expect:
    cond: CExpr  # Bool; when it is `eq` the runner shows both sides on failure
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class TestDef:
    title: str
    steps: tuple[Given | Expect, ...]
    module: str
    cites: tuple[Cite, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Choice:
    """An input field whose value the plan chooses.

    `param.path` reaches the field itself (`choose cart.use_coins`) or, when
    `each` is set, a list whose every element has its field at `field_path`
    chosen (`choose c.used for c in wallet.coupons`). Paths are field indices.
    """

    param: str
    path: tuple[int, ...]
    each: bool
    field_path: tuple[int, ...]
    ty: Type  # Bool or an enum
    text: str
    cites: tuple[Cite, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Require:
    text: str  # the condition as written, for reasons
    cond: CExpr
    cites: tuple[Cite, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Objective:
    direction: str  # "minimize" | "maximize"
    expr: CExpr
    text: str
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class EachLet:
    """`let name = value for x in xs, y in x.ys where cond`: reported with a plan's
    answer, one value per combination of elements for which `where` holds. The
    requires and objectives do not read it, so the optimiser never compiles it."""

    name: str
    binders: tuple[tuple[str, CExpr], ...]  # each name and the list it ranges over
    where: CExpr | None
    value: CExpr
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class PlanDef:
    """Choose the `choices` so that every `require` holds and the `objectives`
    are best, lexicographically. `lets` are named values (in order, each may
    use the earlier ones) that the requires, objectives and reports read; `each`
    are the per-element values only reports read."""

    name: str
    params: tuple[Param, ...]
    choices: tuple[Choice, ...]
    lets: tuple[tuple[str, CExpr], ...]
    requires: tuple[Require, ...]
    objectives: tuple[Objective, ...]
    cites: tuple[Cite, ...] = ()
    each: tuple[EachLet, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Program:
    """A checked policy: every module of one folder, names resolved, types known."""

    enums: dict[str, EnumDef]
    records: dict[str, RecordDef]
    consts: dict[str, ConstDef]
    functions: dict[str, Function]
    properties: dict[str, PropertyDef]
    tests: tuple[TestDef, ...]
    plans: dict[str, PlanDef] = field(default_factory=dict)
    # Functions in an order where every callee comes before its callers.
    order: tuple[str, ...] = ()


def children(e: CExpr) -> tuple[CExpr, ...]:
    """The direct sub-expressions of `e`, for walks that need no per-node logic."""
    if isinstance(e, Field):
        return (e.target,)
    if isinstance(e, Call | Op):
        return e.args
    if isinstance(e, If):
        return (e.cond, e.then, e.orelse)
    if isinstance(e, IfSome):
        return (e.opt, e.then, e.orelse)
    if isinstance(e, SomeE):
        return (e.value,)
    if isinstance(e, MkWindow):
        return (e.start, e.end)
    if isinstance(e, ListE):
        return e.items
    if isinstance(e, RecordE):
        return e.fields
    if isinstance(e, Size):
        return (e.target,)
    if isinstance(e, Agg):
        return tuple(x for x in (e.source, e.where, e.body, e.default) if x is not None)
    if isinstance(e, Quant):
        return (e.body,)
    if isinstance(e, Let):
        return (e.value, e.body)
    return ()


def path_of(e: CExpr, paths: Mapping[str, str]) -> str | None:
    """`e` as a place in the inputs (`cart.stores`; `s.lines` with `s` at
    `cart.stores[0]`), when it is one: fields of a name whose place `paths` knows."""
    fields: list[str] = []
    while isinstance(e, Field):
        fields.append(e.name)
        e = e.target
    if not isinstance(e, Var) or e.name not in paths:
        return None
    return ".".join([paths[e.name], *reversed(fields)])


def walk(e: CExpr) -> list[CExpr]:
    """`e` and every expression below it, parents first."""
    out: list[CExpr] = []
    stack = [e]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(children(node)))
    return out


def clause_exprs(clause: Clause) -> tuple[CExpr, ...]:
    return tuple(c.expr if isinstance(c, Test) else c.opt for c in clause.conds)


def function_exprs(f: Function) -> tuple[CExpr, ...]:
    """Every top-level expression inside a function's body."""
    if isinstance(f, RuleDef):
        out: list[CExpr] = []
        for w in f.whens:
            out.extend(clause_exprs(w))
        for u in f.unlesses:
            out.extend(clause_exprs(u.clause))
            for x in u.excepts:
                out.extend(clause_exprs(x))
        return tuple(out)
    exprs = [] if f.body is None else [f.body]
    for case in f.cases:
        exprs.extend(clause_exprs(case.clause))
        exprs.append(case.value)
    if f.otherwise is not None:
        exprs.append(f.otherwise)
    return tuple(exprs)
