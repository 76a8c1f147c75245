"""The surface syntax tree: what the author wrote, with spans, before typing.

`model/from_tree.py` builds it from the Lark tree; `model/typecheck.py` checks
it and elaborates it into the typed core (`model/core.py`); `model/fmt.py`
prints it back in canonical form. Literals are already exact here (money in
minor units, percents as fractions, dates as `datetime.date`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from smallprint.grammar.span import NO_SPAN, Span

# ---- types as written ------------------------------------------------------


@dataclass(frozen=True)
class TypeRef:
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class NamedType(TypeRef):
    name: str


@dataclass(frozen=True)
class ListType(TypeRef):
    """`List[T, n]`; `List[T]` (no `bound`) outside records: as long as the longest
    list of `T` a record holds (`names.resolve_type`)."""

    elem: TypeRef
    bound: int | None


@dataclass(frozen=True)
class OptionalType(TypeRef):
    inner: TypeRef


# ---- expressions ---------------------------------------------------------


@dataclass(frozen=True)
class Expr:
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Var(Expr):
    name: str


@dataclass(frozen=True)
class BoolLit(Expr):
    value: bool


@dataclass(frozen=True)
class IntLit(Expr):
    value: int


@dataclass(frozen=True)
class MoneyLit(Expr):
    cents: int
    text: str = field(default="", compare=False)


@dataclass(frozen=True)
class PercentLit(Expr):
    value: Fraction  # 15% is Fraction(15, 100)
    text: str = field(default="", compare=False)


@dataclass(frozen=True)
class DateLit(Expr):
    value: datetime.date


@dataclass(frozen=True)
class DateTimeLit(Expr):
    value: datetime.datetime


@dataclass(frozen=True)
class QuantityLit(Expr):
    """`15 days`, `48 hours`, `120 cm`, `30 kg`, `2 MB` as written."""

    amount: Fraction
    unit: str
    text: str = field(default="", compare=False)


@dataclass(frozen=True)
class TextLit(Expr):
    value: str


@dataclass(frozen=True)
class NoneLit(Expr):
    pass


@dataclass(frozen=True)
class SomeExpr(Expr):
    value: Expr


@dataclass(frozen=True)
class ListLit(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class RecordLit(Expr):
    type_name: str
    fields: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True)
class EnumValue(Expr):
    enum: str
    variant: str


@dataclass(frozen=True)
class FieldAccess(Expr):
    target: Expr
    name: str


@dataclass(frozen=True)
class Call(Expr):
    func: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Unary(Expr):
    op: str  # "-" or "not"
    operand: Expr


@dataclass(frozen=True)
class Binary(Expr):
    """Arithmetic, comparison, logic: + - * / == != < <= > >= and or implies in ??."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class IsSome(Expr):
    """`x is some(v)`: true when present; binds `v` where the condition is known true."""

    target: Expr
    binding: str


@dataclass(frozen=True)
class IsNone(Expr):
    target: Expr


@dataclass(frozen=True)
class If(Expr):
    cond: Expr
    then: Expr
    orelse: Expr


@dataclass(frozen=True)
class MatchArm:
    patterns: tuple[tuple[str, str], ...]  # (enum, variant); empty means `_`
    body: Expr
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)
    # The patterns alone (`Carrier.dhl | Carrier.ups`): what an explanation quotes as
    # the arm's condition.
    patterns_span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Match(Expr):
    scrutinee: Expr
    arms: tuple[MatchArm, ...]


@dataclass(frozen=True)
class MinMax(Expr):
    op: str  # "min" | "max"
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Aggregate(Expr):
    """`count(x in xs where c)`, `sum(e for x in xs where c)`, `min/max(e for x in xs else d)`."""

    op: str  # "count" | "sum" | "min" | "max"
    var: str
    source: Expr
    where: Expr | None
    body: Expr | None  # None for count
    default: Expr | None  # min/max only


@dataclass(frozen=True)
class Size(Expr):
    target: Expr


@dataclass(frozen=True)
class Binder:
    name: str
    type: TypeRef | None  # `x: T`
    source: Expr | None  # `x in xs`
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Quantified(Expr):
    op: str  # "forall" | "exists"
    binders: tuple[Binder, ...]
    where: Expr | None
    body: Expr


# ---- declarations ---------------------------------------------------------


@dataclass(frozen=True)
class Cite:
    source: str
    section: str | None
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)

    def __str__(self) -> str:
        return f"{self.source}, {self.section}" if self.section else self.source


# The tail of a section that numbers a clause (`10c`, `W1.2`, `Article 3`) rather than
# naming a heading: cites that differ only there are written once with their numbers.
_CLAUSE_NUMBER = re.compile(r"(?:Article )?[A-Z]?\d+[a-z]?(?:\.\d+)*")


def cites_text(cites: Iterable[Cite]) -> str:
    """The citations for people, clauses of one heading together: `terms.txt, Coupons
    Terms, 6, 5, 17c` for three cites of that heading (in the order written); cites
    of other headings follow, separated by `;`."""
    groups: dict[tuple[str, str], list[str]] = {}
    for c in cites:
        heading, _, number = (c.section or "").rpartition(", ")
        if heading and _CLAUSE_NUMBER.fullmatch(number):
            numbers = groups.setdefault((c.source, heading), [])
            if number not in numbers:
                numbers.append(number)
        else:
            groups.setdefault((str(c), ""), [])
    return "; ".join(", ".join((*key, *numbers)) if numbers else key[0] for key, numbers in groups.items())


def cites_suffix(cites: tuple[Cite, ...]) -> str:
    """` [cites]` after a location, or nothing when there are none."""
    return f" [{cites_text(cites)}]" if cites else ""


@dataclass(frozen=True)
class Decl:
    name: str
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)
    # The declared name alone (`Slot` of `enum Slot { ... }`): where a diagnostic about the
    # declaration as a whole points, since `span` may run over many lines.
    name_span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Variant:
    name: str
    cites: tuple[Cite, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class EnumDecl(Decl):
    variants: tuple[Variant, ...]
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True)
class FieldDecl:
    name: str
    type: TypeRef
    cites: tuple[Cite, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Invariant:
    name: str
    cond: Expr
    cites: tuple[Cite, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class RecordDecl(Decl):
    fields: tuple[FieldDecl, ...]
    invariants: tuple[Invariant, ...]
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True)
class ConstDecl(Decl):
    type: TypeRef
    value: Expr
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True)
class Param:
    name: str
    type: TypeRef
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Case:
    cond: Expr
    value: Expr
    cites: tuple[Cite, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class DefDecl(Decl):
    params: tuple[Param, ...]
    result: TypeRef
    body: Expr | None  # `= expr`
    cases: tuple[Case, ...]  # `when c => v` ... (first that holds wins)
    otherwise: Expr | None
    cites: tuple[Cite, ...] = ()
    otherwise_cites: tuple[Cite, ...] = ()


@dataclass(frozen=True)
class Except:
    cond: Expr
    cites: tuple[Cite, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Clause:
    kind: str  # "when" | "unless"
    cond: Expr
    cites: tuple[Cite, ...] = ()
    excepts: tuple[Except, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class RuleDecl(Decl):
    params: tuple[Param, ...]
    clauses: tuple[Clause, ...]
    relation: tuple[str, str] | None = None  # ("opposes" | "overrides", other rule)
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True)
class WindowDecl(Decl):
    params: tuple[Param, ...]
    start: Expr
    end: Expr
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True)
class PropertyDecl(Decl):
    body: Expr
    cites: tuple[Cite, ...] = ()
    findings: tuple[Cite, ...] = ()  # where the text's own violation is recorded


@dataclass(frozen=True)
class Given:
    name: str
    type: TypeRef | None
    value: Expr
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Expect:
    cond: Expr
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class TestDecl(Decl):
    """`name` is the test's title string."""

    steps: tuple[Given | Expect, ...]
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True)
class Choose:
    """`choose c.used for c in wallet.coupons` (`var`, `source` set) or `choose cart.use_coins`."""

    target: Expr
    var: str | None
    source: Expr | None
    cites: tuple[Cite, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class PlanLet:
    """`let cash = ...`, or with `binders` (`for s in cart.stores where ...`) a value
    reported once per element, which the requires and objectives do not read."""

    name: str
    value: Expr
    binders: tuple[Binder, ...] = ()
    where: Expr | None = None
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Require:
    cond: Expr
    cites: tuple[Cite, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Objective:
    direction: str  # "minimize" | "maximize"
    expr: Expr
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


@dataclass(frozen=True)
class Objectives:
    """Lexicographic: the first objective, then the next as tie-break."""

    items: tuple[Objective, ...]
    span: Span = field(default=NO_SPAN, compare=False, kw_only=True)


PlanItem = Choose | PlanLet | Require | Objectives


@dataclass(frozen=True)
class PlanDecl(Decl):
    params: tuple[Param, ...]
    items: tuple[PlanItem, ...]
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True)
class Module:
    """One file. `name` is its module name (the `module` line or the file stem)."""

    name: str
    imports: tuple[str, ...]
    decls: tuple[Decl, ...]
    file: str = field(default="", compare=False)
    declared_name: bool = field(default=False, compare=False)
    import_spans: tuple[Span, ...] = field(default=(), compare=False)
    name_span: Span = field(default=NO_SPAN, compare=False)  # the name on the `module` line
