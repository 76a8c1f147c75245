"""Type checking of operators: unary and binary arithmetic with units, comparisons,
`??` and `in`. A mixin of `typecheck.Checker`."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from smallprint.grammar.span import Span
from smallprint.model import ast, core
from smallprint.model.typecheck_base import ROUNDING_HINT, ZERO_HINTS, CheckerBase, fits, kind_name
from smallprint.model.types import (
    ADDITIVE,
    BOOL,
    DATE,
    DATETIME,
    DAYS,
    DURATION,
    ERROR,
    INSTANTS,
    INT,
    MINUTES_PER_DAY,
    MONEY,
    ORDERED,
    PERCENT,
    EnumT,
    Exact,
    ListT,
    OptT,
    Prim,
    Type,
    WindowT,
)

if TYPE_CHECKING:
    from smallprint.model.typecheck import Scope


class OperatorForms(CheckerBase):
    def x_Unary(self, e: ast.Unary, scope: Scope, expected: Type | None) -> core.CExpr:
        if e.op == "not":
            return core.Op("not", (self.check(e.operand, scope, BOOL),), ty=BOOL, span=e.span)
        operand = self.infer(e.operand, scope)
        if not (
            operand.ty in ADDITIVE
            or operand.ty == PERCENT
            or isinstance(operand.ty, Exact)
            or operand.ty == ERROR
        ):
            self.error(f"cannot negate {kind_name(operand.ty)}", e.span)
            return core.Lit(None, ty=ERROR, span=e.span)  # reported: no error follows from it
        return core.Op("neg", (operand,), ty=operand.ty, span=e.span)

    def x_Binary(self, e: ast.Binary, scope: Scope, expected: Type | None) -> core.CExpr:
        if e.op == "and":
            conds, _ = self.conditions(e, scope)
            return self.fold_and(conds, None, e.span)
        if e.op == "implies":
            conds, inner = self.conditions(e.left, scope)
            return self.fold_implies(conds, self.check(e.right, inner, BOOL), e.span)
        if e.op == "or":
            self.inside_or.append(e)
            try:
                left = self.check(e.left, scope, BOOL)
                right = self.check(e.right, scope, BOOL)
            finally:
                self.inside_or.pop()
            args = [*_flatten("or", left), *_flatten("or", right)]
            return core.Op("or", tuple(args), ty=BOOL, span=e.span)
        if e.op == "??":
            return self._coalesce(e, scope, expected)
        if e.op == "in":
            return self._member(e, scope)
        if e.op in ("==", "!=", "<", "<=", ">", ">="):
            return self._compare(e, scope)
        left = self.infer(e.left, scope)
        right = self.infer(e.right, scope)
        return self.arith(e.op, left, right, e.span)

    def arith(self, op: str, left: core.CExpr, right: core.CExpr, span: Span) -> core.CExpr:
        lt, rt = left.ty, right.ty
        if ERROR in (lt, rt):
            return core.Op(_OPS[op], (left, right), ty=ERROR, span=span)
        for side in (left, right):
            if isinstance(side.ty, OptT):
                self.error(
                    f"cannot compute with a value that may be absent ({kind_name(side.ty)})",
                    side.span,
                    "handle absence first: `x is some(v)` then use `v`, or `x ?? default`",
                )
                return core.Op(_OPS[op], (left, right), ty=ERROR, span=span)
        result = _arith_type(op, lt, rt)
        if result is None:
            self.error(
                f"cannot apply `{op}` to {kind_name(lt)} and {kind_name(rt)}", span, _arith_hint(op, lt, rt)
            )
            return core.Op(_OPS[op], (left, right), ty=ERROR, span=span)
        # A DateTime moved by whole days: the days become minutes.
        if lt == DATETIME and rt == DAYS:
            right = _scale(right, MINUTES_PER_DAY, DURATION)
        if rt == DATETIME and lt == DAYS:
            left = _scale(left, MINUTES_PER_DAY, DURATION)
        return core.Op(_OPS[op], (left, right), ty=result, span=span)

    def bound_under_or(self, name: str) -> Span | None:
        """Where an `x is some(name)` inside an enclosing `or` binds `name`, which no part of
        the `or` sees (looked for only when `name` is unknown: an error's hint)."""
        for e in reversed(self.inside_or):
            found = some_bindings(e).get(name)
            if found is not None:
                return found
        return None

    def _variant_hint(self, left: core.CExpr, right: core.CExpr) -> str | None:
        """An enum compared with a text literal (`p.payment == "card"`): the variant meant."""
        for enum, text in ((left, right), (right, left)):
            if isinstance(enum.ty, EnumT) and isinstance(text, core.Lit) and isinstance(text.value, str):
                decl = self.ns.types.get(enum.ty.name)
                if not isinstance(decl, ast.EnumDecl):
                    return None
                names = [v.name for v in decl.variants]
                match = next((n for n in names if n.lower() == text.value.lower()), None)
                if match is not None:
                    return f"write the variant: `{enum.ty.name}.{match}`"
                return f"compare with a variant of `{enum.ty.name}`: " + ", ".join(
                    f"`{enum.ty.name}.{n}`" for n in names
                )
        return None

    def _compare(self, e: ast.Binary, scope: Scope) -> core.CExpr:
        left = self.infer(e.left, scope)
        right = self.infer(e.right, scope, left.ty if left.ty != ERROR else None)
        op = _OPS[e.op]
        lt, rt = left.ty, right.ty
        if ERROR in (lt, rt):
            return core.Op(op, (left, right), ty=BOOL, span=e.span)
        if op in ("eq", "ne"):
            if isinstance(rt, OptT) and not isinstance(lt, OptT) and fits(lt, rt.inner):
                left = core.SomeE(left, ty=rt, span=left.span)
            elif isinstance(lt, OptT) and not isinstance(rt, OptT) and fits(rt, lt.inner):
                right = core.SomeE(right, ty=lt, span=right.span)
            elif not (fits(lt, rt) or fits(rt, lt)):
                hint = self._variant_hint(left, right) or _compare_hint(lt, rt)
                self.error(f"cannot compare {kind_name(lt)} with {kind_name(rt)}", e.span, hint)
            return core.Op(op, (left, right), ty=BOOL, span=e.span)
        if isinstance(lt, OptT) or isinstance(rt, OptT):
            opt = left if isinstance(lt, OptT) else right
            self.error(
                f"cannot order a value that may be absent ({kind_name(opt.ty)})",
                opt.span,
                "handle absence first: `x is some(v) and v <= ...`, or `(x ?? default) <= ...`",
            )
            return core.Op(op, (left, right), ty=BOOL, span=e.span)
        base_l = lt.unit if isinstance(lt, Exact) else lt
        base_r = rt.unit if isinstance(rt, Exact) else rt
        if base_l != base_r:
            self.error(f"cannot compare {kind_name(lt)} with {kind_name(rt)}", e.span, _compare_hint(lt, rt))
        elif base_l not in ORDERED:
            self.error(f"{kind_name(lt)} values have no order", e.span, "use `==` or `!=`")
        return core.Op(op, (left, right), ty=BOOL, span=e.span)

    def _coalesce(self, e: ast.Binary, scope: Scope, expected: Type | None) -> core.CExpr:
        left = self.infer(e.left, scope)
        if left.ty == ERROR:
            self.infer(e.right, scope)
            return left
        if not isinstance(left.ty, OptT):
            self.error(
                f"`??` needs an optional value on its left, found {kind_name(left.ty)}",
                e.left.span,
                "the value is never absent: drop `?? ...`",
            )
            return left
        inner = left.ty.inner
        right = self.infer(e.right, scope, expected)
        if isinstance(right.ty, OptT):
            right = self.check(e.right, scope, left.ty)
            ty: Type = left.ty
        else:
            right = self.check(e.right, scope, inner)
            ty = inner
        var = self.fresh("v")
        present: core.CExpr = core.Var(var, ty=inner, span=left.span)
        if ty != inner:
            present = core.SomeE(present, ty=ty, span=left.span)
        return core.IfSome(left, var, present, right, ty=ty, span=e.span)

    def _member(self, e: ast.Binary, scope: Scope) -> core.CExpr:
        right = self.infer(e.right, scope)
        if right.ty == ERROR:
            self.infer(e.left, scope)
            return core.Lit(False, ty=BOOL, span=e.span)
        if isinstance(right.ty, ListT):
            left = self.check(e.left, scope, right.ty.elem)
            return core.Op("member", (left, right), ty=BOOL, span=e.span)
        if isinstance(right.ty, WindowT):
            left = self.check(e.left, scope, right.ty.elem)
            return core.Op("in_window", (left, right), ty=BOOL, span=e.span)
        self.error(
            f"`in` needs a list or a window on its right, found {kind_name(right.ty)}",
            e.right.span,
        )
        return core.Lit(False, ty=BOOL, span=e.span)


_OPS = {
    "+": "add",
    "-": "sub",
    "*": "mul",
    "/": "div",
    "==": "eq",
    "!=": "ne",
    "<": "lt",
    "<=": "le",
    ">": "gt",
    ">=": "ge",
}


def _flatten(op: str, e: core.CExpr) -> tuple[core.CExpr, ...]:
    if isinstance(e, core.Op) and e.op == op:
        return e.args
    return (e,)


def _scale(e: core.CExpr, factor: int, ty: Type) -> core.CExpr:
    return core.Op("mul", (e, core.Lit(factor, ty=INT)), ty=ty, span=e.span)


def _arith_type(op: str, lt: Type, rt: Type) -> Type | None:
    """The result type of `lt op rt`, or None when the units do not allow it."""
    le = lt.unit if isinstance(lt, Exact) else lt
    re = rt.unit if isinstance(rt, Exact) else rt
    exact = isinstance(lt, Exact) or isinstance(rt, Exact)
    if op in ("+", "-"):
        if le == re and (le in ADDITIVE or le == PERCENT):
            return Exact(le) if exact and isinstance(le, Prim) else le
        if exact:
            return None
        if lt in INSTANTS:
            span = INSTANTS[lt]
            if rt == span or (lt == DATETIME and rt == DAYS):
                return lt
            if op == "-" and rt == lt:
                return span
        if op == "+" and rt in INSTANTS and (lt == INSTANTS[rt] or (rt == DATETIME and lt == DAYS)):
            return rt
        return None
    if op == "*":
        if le == INT and re == INT:
            return Exact(INT) if exact else INT
        for a, b in ((le, re), (re, le)):
            if a in ADDITIVE and b == INT:
                return Exact(a) if exact and isinstance(a, Prim) else a
            if a in ADDITIVE and b == PERCENT and isinstance(a, Prim):
                return Exact(a)
            if a == PERCENT and b in (PERCENT, INT) and not exact:
                return PERCENT
        return None
    if op == "/":
        if le in ADDITIVE and re == INT and isinstance(le, Prim):
            return Exact(le)
        if le == re and le in ADDITIVE:
            return Exact(INT)
        if le == PERCENT and re == INT:
            return PERCENT
        return None
    return None


def _arith_hint(op: str, lt: Type, rt: Type) -> str | None:
    if DATE in (lt, rt) and DURATION in (lt, rt):
        return "a `Date` moves by whole days: use `days`, or `start_of(d) + 48 hours` for a `DateTime`"
    if op in ("+", "-") and INT in (lt, rt):
        other = rt if lt == INT else lt
        if other in INSTANTS:
            return f"a `{other}` moves by a duration: `30 days`" + (
                ", `48 hours`" if other == DATETIME else ""
            )
        if isinstance(other, Prim) and other in ZERO_HINTS:
            return ZERO_HINTS[other]
    if op in ("+", "-") and lt in INSTANTS and rt in INSTANTS and lt != rt:
        return "turn one into the other first: `date_of(t)` gives a `Date`, `start_of(d)` a `DateTime`"
    if op in ("+", "-") and lt != rt:
        return "both sides of `+`/`-` need the same unit"
    if op == "*" and lt == rt == MONEY:
        return "money times money has no meaning; multiply by an `Int` or a `Percent`"
    return None


def _compare_hint(lt: Type, rt: Type) -> str | None:
    for a, b in ((lt, rt), (rt, lt)):
        if b == INT and isinstance(a, Prim) and a in ZERO_HINTS:
            return ZERO_HINTS[a]
        if isinstance(b, Exact) and b.unit == a:
            return ROUNDING_HINT
        if a == DATETIME and b == DATE:
            return (
                "compare like with like: `date_of(t)` is the `Date` of a `DateTime`, "
                "`start_of(d)` the `DateTime` a day starts"
            )
    return "both sides of a comparison need the same type and unit"


def some_bindings(e: ast.Expr) -> dict[str, Span]:
    """The names `x is some(v)` binds anywhere inside `e`, with where."""
    out: dict[str, Span] = {}
    if isinstance(e, ast.IsSome):
        out[e.binding] = e.span
    for f in dataclasses.fields(e):
        value = getattr(e, f.name)
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, ast.Expr):
                out.update(some_bindings(item))
    return out
