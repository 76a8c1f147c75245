"""What the mixins of `typecheck.Checker` (`typecheck_compound`, `typecheck_ops`)
rely on: the checker's state and entry points, provided by `Checker` itself."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from smallprint.grammar.span import Span
from smallprint.model import ast, core
from smallprint.model.names import Namespace
from smallprint.model.types import (
    DATASIZE,
    DAYS,
    DURATION,
    ERROR,
    LENGTH,
    MASS,
    MONEY,
    PERCENT,
    Exact,
    ListT,
    OptT,
    Prim,
    Type,
)

if TYPE_CHECKING:
    from smallprint.model.typecheck import Scope


ZERO_HINTS: dict[Prim, str] = {
    MONEY: "write money with a currency: `$0`, `US$15`",
    DAYS: "write days with a unit: `15 days`",
    DURATION: "write durations with a unit: `48 hours`",
    LENGTH: "write lengths with a unit: `120 cm`",
    MASS: "write masses with a unit: `30 kg`",
    DATASIZE: "write sizes with a unit: `2 MB`",
    PERCENT: "write percentages with `%`: `15%`",
}


ROUNDING_HINT = (
    "round it explicitly: `round_half_up(...)`, `round_half_even(...)`, `round_down(...)` or `round_up(...)`"
)


def fits(actual: Type, expected: Type) -> bool:
    """`actual` can be used where `expected` is wanted (ignoring coercions)."""
    if actual == ERROR or expected == ERROR:
        return True
    if isinstance(actual, ListT) and isinstance(expected, ListT):
        return fits(actual.elem, expected.elem) and actual.bound <= expected.bound
    if isinstance(actual, OptT) and isinstance(expected, OptT):
        return fits(actual.inner, expected.inner)
    if isinstance(expected, Exact) and actual == expected.unit:
        return True
    return actual == expected


def kind_name(t: Type) -> str:
    return f"`{t}`"


class CheckerBase(ABC):
    """The state and entry points the mixins use; `Checker` implements them."""

    ns: Namespace
    allow_type_quantifiers: bool
    # The `or`s being checked, innermost last: an `is some(v)` inside one binds `v` for no
    # part of it, and an unknown-name error for `v` says so.
    inside_or: list[ast.Expr]

    # ---- provided by `Checker` ----------------------------------------------------
    @abstractmethod
    def error(self, message: str, span: Span, hint: str | None = None) -> None: ...

    @abstractmethod
    def resolve(self, ref: ast.TypeRef) -> Type: ...

    @abstractmethod
    def fresh(self, base: str) -> str: ...

    @abstractmethod
    def check(self, e: ast.Expr, scope: Scope, expected: Type) -> core.CExpr: ...

    @abstractmethod
    def infer(self, e: ast.Expr, scope: Scope, expected: Type | None = None) -> core.CExpr: ...

    @abstractmethod
    def conditions(self, e: ast.Expr, scope: Scope) -> tuple[list[core.Cond], Scope]: ...

    @abstractmethod
    def fold_and(self, conds: list[core.Cond], rest: core.CExpr | None, span: Span) -> core.CExpr: ...

    @abstractmethod
    def fold_implies(self, conds: list[core.Cond], rest: core.CExpr, span: Span) -> core.CExpr: ...

    @abstractmethod
    def fold_if(
        self, conds: list[core.Cond], then: core.CExpr, orelse: core.CExpr, span: Span
    ) -> core.CExpr: ...
