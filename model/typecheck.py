"""Type checking of expressions, elaborating the surface AST into the core.

Typing is bidirectional: `check(e, scope, expected)` passes the expected type
down (so `none`, `[]` and a plain `T` where `T?` is expected need no
annotation) and `infer` synthesises it. Units are part of types (see
`model/types.py`): `Money + Days` is an error, `Money * Percent` is
`Exact[Money]` until rounded. Optional values can only be used after their
absence is handled (`is some(v)`, `??`).

`x is some(v)` binds `v` in whatever is known to hold after it: the rest of an
`and` chain, an `implies`' conclusion, an `if`'s `then`, a quantifier's body.
Conditions are therefore elaborated as lists of `core.Test` / `core.Bind`
(`conditions`) and folded into expressions only where needed.

Errors never stop the walk: a bad sub-expression gets the type `ERROR`, which
is compatible with everything, so that one mistake yields one diagnostic.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from smallprint.grammar.span import Diagnostic, Span
from smallprint.model import ast, core
from smallprint.model.names import BUILTIN_FUNCTIONS, Namespace, resolve_type, suggest
from smallprint.model.types import (
    ADDITIVE,
    BOOL,
    DATASIZE,
    DATE,
    DATETIME,
    DAYS,
    DURATION,
    INSTANTS,
    INT,
    LENGTH,
    MASS,
    MINUTES_PER_DAY,
    MONEY,
    ORDERED,
    PERCENT,
    TEXT,
    UNITS,
    EnumT,
    Exact,
    ListT,
    OptT,
    Prim,
    RecordT,
    Type,
    WindowT,
)

ERROR = Prim("<error>")
EPOCH = datetime.date(1970, 1, 1)

_ZERO_HINTS: dict[Prim, str] = {
    MONEY: "write money with a currency: `$0`, `US$15`",
    DAYS: "write days with a unit: `15 days`",
    DURATION: "write durations with a unit: `48 hours`",
    LENGTH: "write lengths with a unit: `120 cm`",
    MASS: "write masses with a unit: `30 kg`",
    DATASIZE: "write sizes with a unit: `2 MB`",
    PERCENT: "write percentages with `%`: `15%`",
}


def date_value(d: datetime.date) -> int:
    return (d - EPOCH).days


def datetime_value(dt: datetime.datetime) -> int:
    delta = dt - datetime.datetime(1970, 1, 1)
    return delta.days * MINUTES_PER_DAY + delta.seconds // 60


@dataclass
class Signature:
    params: tuple[core.Param, ...]
    ret: Type
    kind: str  # "def" | "rule" | "window"
    span: Span


@dataclass
class Scope:
    """Locals in scope (name -> type); immutable by convention: `with_` copies."""

    names: Mapping[str, Type] = field(default_factory=dict)

    def with_(self, name: str, ty: Type) -> Scope:
        return Scope({**self.names, name: ty})


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


def _kind_name(t: Type) -> str:
    return f"`{t}`"


class Checker:
    """Elaborates expressions of one module; diagnostics go to `errors`."""

    def __init__(
        self,
        ns: Namespace,
        module: str,
        signature_of: Callable[[str], Signature | None],
        const_type: Callable[[str], Type | None],
        errors: list[Diagnostic],
        calls: set[str],
        allow_type_quantifiers: bool = False,
    ) -> None:
        self.ns = ns
        self.module = module
        self.signature_of = signature_of
        self.const_type = const_type
        self.errors = errors
        self.calls = calls  # functions called, for the call graph
        self.allow_type_quantifiers = allow_type_quantifiers
        self._fresh = 0

    # ---- diagnostics ------------------------------------------------------
    def error(self, message: str, span: Span, hint: str | None = None) -> None:
        self.errors.append(Diagnostic(message, span, hint, code="type"))

    def mismatch(self, expected: Type, found: Type, span: Span, what: str = "") -> None:
        hint: str | None = None
        if found == INT and isinstance(expected, Prim) and expected in _ZERO_HINTS:
            hint = _ZERO_HINTS[expected]
        elif isinstance(found, OptT) and fits(found.inner, expected):
            hint = "the value may be absent: use `x is some(v)` and then `v`, or `x ?? default`"
        elif isinstance(found, Exact) and found.unit == expected:
            hint = "round it explicitly: `round_half_up(...)`, `round_down(...)` or `round_up(...)`"
        prefix = f"{what}: " if what else ""
        self.error(f"{prefix}expected {_kind_name(expected)}, found {_kind_name(found)}", span, hint)

    def import_hint(self, name: str) -> str:
        home = self.ns.home[name]
        return f"`{name}` is declared in module `{home}`: add `import {home}`"

    def resolve(self, ref: ast.TypeRef) -> Type:
        t = resolve_type(self.ns, self.module, ref, self.errors)
        return ERROR if t is None else t

    def fresh(self, base: str) -> str:
        self._fresh += 1
        return f"{base}%{self._fresh}"

    # ---- entry points -------------------------------------------------------
    def check(self, e: ast.Expr, scope: Scope, expected: Type) -> core.CExpr:
        """Elaborate `e` as a value of `expected`, inserting `some(...)` where needed."""
        got = self.infer(e, scope, expected)
        if fits(got.ty, expected):
            return got
        if isinstance(expected, OptT) and fits(got.ty, expected.inner):
            return core.SomeE(got, ty=expected, span=got.span)
        self.mismatch(expected, got.ty, e.span)
        return got

    def infer(self, e: ast.Expr, scope: Scope, expected: Type | None = None) -> core.CExpr:
        handler = getattr(self, "x_" + type(e).__name__)
        result: core.CExpr = handler(e, scope, expected)
        return result

    def conditions(self, e: ast.Expr, scope: Scope) -> tuple[list[core.Cond], Scope]:
        """A Bool condition as a list of tests and bindings, and the scope after it."""
        if isinstance(e, ast.Binary) and e.op == "and":
            left, scope = self.conditions(e.left, scope)
            right, scope = self.conditions(e.right, scope)
            return left + right, scope
        if isinstance(e, ast.IsSome):
            target = self.infer(e.target, scope)
            if not isinstance(target.ty, OptT):
                if target.ty != ERROR:
                    self.error(
                        f"`is some` needs an optional value, found {_kind_name(target.ty)}",
                        e.target.span,
                        "only `T?` values can be absent",
                    )
                return [core.Test(core.Lit(True, ty=BOOL), span=e.span)], scope.with_(e.binding, target.ty)
            return [core.Bind(e.binding, target, span=e.span)], scope.with_(e.binding, target.ty.inner)
        return [core.Test(self.check(e, scope, BOOL), span=e.span)], scope

    # ---- folding conditions into expressions -------------------------------
    def fold_and(self, conds: list[core.Cond], rest: core.CExpr | None, span: Span) -> core.CExpr:
        """`c1 and c2 and ... and rest` with the bindings in force."""
        return self._fold(conds, rest, span, on_absent=False, join="and")

    def fold_implies(self, conds: list[core.Cond], rest: core.CExpr, span: Span) -> core.CExpr:
        return self._fold(conds, rest, span, on_absent=True, join="implies")

    def _fold(
        self, conds: list[core.Cond], rest: core.CExpr | None, span: Span, on_absent: bool, join: str
    ) -> core.CExpr:
        if not conds:
            return rest if rest is not None else core.Lit(True, ty=BOOL, span=span)
        head, tail = conds[0], conds[1:]
        inner = self._fold(tail, rest, span, on_absent, join) if (tail or rest is not None) else None
        if isinstance(head, core.Bind):
            then = inner if inner is not None else core.Lit(True, ty=BOOL, span=span)
            return core.IfSome(head.opt, head.var, then, core.Lit(on_absent, ty=BOOL), ty=BOOL, span=span)
        if inner is None:
            return head.expr
        if join == "and":
            args = [head.expr]
            if isinstance(inner, core.Op) and inner.op == "and":
                args.extend(inner.args)
            else:
                args.append(inner)
            return core.Op("and", tuple(args), ty=BOOL, span=span)
        return core.Op("implies", (head.expr, inner), ty=BOOL, span=span)

    def fold_if(self, conds: list[core.Cond], then: core.CExpr, orelse: core.CExpr, span: Span) -> core.CExpr:
        if not conds:
            return then
        head, tail = conds[0], conds[1:]
        inner = self.fold_if(tail, then, orelse, span)
        if isinstance(head, core.Bind):
            return core.IfSome(head.opt, head.var, inner, orelse, ty=then.ty, span=span)
        return core.If(head.expr, inner, orelse, ty=then.ty, span=span)

    # ---- literals ------------------------------------------------------------
    def x_BoolLit(self, e: ast.BoolLit, scope: Scope, expected: Type | None) -> core.CExpr:
        return core.Lit(e.value, ty=BOOL, span=e.span)

    def x_IntLit(self, e: ast.IntLit, scope: Scope, expected: Type | None) -> core.CExpr:
        return core.Lit(e.value, ty=INT, span=e.span)

    def x_MoneyLit(self, e: ast.MoneyLit, scope: Scope, expected: Type | None) -> core.CExpr:
        return core.Lit(e.cents, ty=MONEY, span=e.span)

    def x_PercentLit(self, e: ast.PercentLit, scope: Scope, expected: Type | None) -> core.CExpr:
        return core.Lit(e.value, ty=PERCENT, span=e.span)

    def x_DateLit(self, e: ast.DateLit, scope: Scope, expected: Type | None) -> core.CExpr:
        return core.Lit(date_value(e.value), ty=DATE, span=e.span)

    def x_DateTimeLit(self, e: ast.DateTimeLit, scope: Scope, expected: Type | None) -> core.CExpr:
        return core.Lit(datetime_value(e.value), ty=DATETIME, span=e.span)

    def x_QuantityLit(self, e: ast.QuantityLit, scope: Scope, expected: Type | None) -> core.CExpr:
        ty, factor = UNITS[e.unit]
        value = e.amount * factor
        if value.denominator != 1:
            finer = {DAYS: "hours (as a `Duration`)", DURATION: "minutes", LENGTH: "mm", MASS: "g"}
            self.error(
                f"`{e.text}` is not a whole number of the smallest {ty} unit",
                e.span,
                f"write it in {finer.get(ty, 'a smaller unit')}",
            )
        return core.Lit(int(value), ty=ty, span=e.span)

    def x_TextLit(self, e: ast.TextLit, scope: Scope, expected: Type | None) -> core.CExpr:
        return core.Lit(e.value, ty=TEXT, span=e.span)

    def x_NoneLit(self, e: ast.NoneLit, scope: Scope, expected: Type | None) -> core.CExpr:
        if isinstance(expected, OptT):
            return core.NoneE(ty=expected, span=e.span)
        if expected is not None and expected != ERROR:
            self.error(
                f"`none` is not a value of {_kind_name(expected)}",
                e.span,
                "only optional types (`T?`) can be absent",
            )
        else:
            self.error(
                "cannot tell which optional type `none` has here", e.span, "compare with a typed value"
            )
        return core.NoneE(ty=ERROR, span=e.span)

    def x_SomeExpr(self, e: ast.SomeExpr, scope: Scope, expected: Type | None) -> core.CExpr:
        inner_expected = expected.inner if isinstance(expected, OptT) else None
        value = (
            self.check(e.value, scope, inner_expected)
            if inner_expected is not None
            else self.infer(e.value, scope)
        )
        if isinstance(value.ty, OptT):
            self.error("`some` of a value that is already optional", e.span)
            return value
        return core.SomeE(value, ty=OptT(value.ty), span=e.span)

    def x_ListLit(self, e: ast.ListLit, scope: Scope, expected: Type | None) -> core.CExpr:
        elem: Type | None = expected.elem if isinstance(expected, ListT) else None
        items: list[core.CExpr] = []
        for item in e.items:
            if elem is None:
                first = self.infer(item, scope)
                elem = first.ty
                items.append(first)
            else:
                items.append(self.check(item, scope, elem))
        if elem is None and expected == ERROR:
            elem = ERROR
        if elem is None:
            self.error(
                "cannot tell the element type of `[]` here", e.span, "use it where a list type is expected"
            )
            elem = ERROR
        bound = expected.bound if isinstance(expected, ListT) else max(len(items), 1)
        if len(items) > bound:
            self.error(f"{len(items)} elements given, but the list holds at most {bound}", e.span)
        return core.ListE(tuple(items), ty=ListT(elem, bound), span=e.span)

    def x_RecordLit(self, e: ast.RecordLit, scope: Scope, expected: Type | None) -> core.CExpr:
        decl = self.ns.types.get(e.type_name)
        if not isinstance(decl, ast.RecordDecl) or not self.ns.sees(self.module, e.type_name):
            self.error(f"unknown record type `{e.type_name}`", e.span, suggest(e.type_name, self.ns.types))
            for _, v in e.fields:
                self.infer(v, scope)
            return core.Lit(None, ty=ERROR, span=e.span)
        given: dict[str, ast.Expr] = {}
        for fname, fvalue in e.fields:
            if fname in given:
                self.error(f"field `{fname}` is given twice", fvalue.span)
            given[fname] = fvalue
        declared = {f.name: f for f in decl.fields}
        for fname, fvalue in given.items():
            if fname not in declared:
                self.error(
                    f"record `{e.type_name}` has no field `{fname}`",
                    fvalue.span,
                    suggest(fname, declared) or f"fields: {', '.join(declared)}",
                )
                self.infer(fvalue, scope)
        values: list[core.CExpr] = []
        missing: list[str] = []
        for f in decl.fields:
            fty = self.resolve(f.type)
            if f.name in given:
                values.append(self.check(given[f.name], scope, fty))
            elif isinstance(fty, OptT):
                values.append(core.NoneE(ty=fty, span=e.span))
            elif isinstance(fty, ListT):
                values.append(core.ListE((), ty=fty, span=e.span))
            else:
                missing.append(f.name)
                values.append(core.Lit(None, ty=ERROR, span=e.span))
        if missing:
            self.error(
                f"record `{e.type_name}` is missing {', '.join(f'`{m}`' for m in missing)}",
                e.span,
                "only optional and list fields may be left out",
            )
        return core.RecordE(e.type_name, tuple(values), ty=RecordT(e.type_name), span=e.span)

    def x_EnumValue(self, e: ast.EnumValue, scope: Scope, expected: Type | None) -> core.CExpr:
        decl = self.ns.types.get(e.enum)
        if not isinstance(decl, ast.EnumDecl) or not self.ns.sees(self.module, e.enum):
            self.error(f"unknown enum `{e.enum}`", e.span, suggest(e.enum, self.ns.types))
            return core.Lit(None, ty=ERROR, span=e.span)
        names = [v.name for v in decl.variants]
        if e.variant not in names:
            self.error(
                f"enum `{e.enum}` has no variant `{e.variant}`",
                e.span,
                suggest(e.variant, names) or f"variants: {', '.join(names)}",
            )
        return core.Lit(e.variant, ty=EnumT(e.enum), span=e.span)

    # ---- names -------------------------------------------------------------------
    def x_Var(self, e: ast.Var, scope: Scope, expected: Type | None) -> core.CExpr:
        if e.name in scope.names:
            return core.Var(e.name, ty=scope.names[e.name], span=e.span)
        decl = self.ns.values.get(e.name)
        if isinstance(decl, ast.ConstDecl) and self.ns.sees(self.module, e.name):
            ty = self.const_type(e.name)
            return core.ConstRef(e.name, ty=ty or ERROR, span=e.span)
        if decl is not None and self.ns.sees(self.module, e.name):
            self.error(f"`{e.name}` is a {_decl_kind(decl)}: call it with its arguments", e.span)
            return core.Lit(None, ty=ERROR, span=e.span)
        hint = suggest(e.name, [*scope.names, *self.ns.values])
        if decl is not None:
            hint = self.import_hint(e.name)
        self.error(f"unknown name `{e.name}`", e.span, hint)
        return core.Lit(None, ty=ERROR, span=e.span)

    def x_FieldAccess(self, e: ast.FieldAccess, scope: Scope, expected: Type | None) -> core.CExpr:
        target = self.infer(e.target, scope)
        if target.ty == ERROR:
            return core.Lit(None, ty=ERROR, span=e.span)
        if isinstance(target.ty, OptT) and isinstance(target.ty.inner, RecordT):
            self.error(
                f"cannot read `.{e.name}` of a value that may be absent ({_kind_name(target.ty)})",
                e.span,
                "handle absence first: `x is some(v) and v." + e.name + " ...`",
            )
            return core.Lit(None, ty=ERROR, span=e.span)
        if not isinstance(target.ty, RecordT):
            self.error(f"{_kind_name(target.ty)} has no fields", e.span)
            return core.Lit(None, ty=ERROR, span=e.span)
        decl = self.ns.types[target.ty.name]
        assert isinstance(decl, ast.RecordDecl)
        for i, f in enumerate(decl.fields):
            if f.name == e.name:
                return core.Field(target, i, e.name, ty=self.resolve(f.type), span=e.span)
        names = [f.name for f in decl.fields]
        self.error(
            f"record `{target.ty.name}` has no field `{e.name}`",
            e.span,
            suggest(e.name, names) or f"fields: {', '.join(names)}",
        )
        return core.Lit(None, ty=ERROR, span=e.span)

    def x_Call(self, e: ast.Call, scope: Scope, expected: Type | None) -> core.CExpr:
        if e.func in BUILTIN_FUNCTIONS:
            return self._builtin(e, scope)
        decl = self.ns.values.get(e.func)
        if decl is None or not self.ns.sees(self.module, e.func):
            hint = suggest(e.func, [*self.ns.values, *BUILTIN_FUNCTIONS])
            if decl is not None:
                hint = self.import_hint(e.func)
            self.error(f"unknown function `{e.func}`", e.span, hint)
            for a in e.args:
                self.infer(a, scope)
            return core.Lit(None, ty=ERROR, span=e.span)
        if isinstance(decl, ast.ConstDecl):
            self.error(
                f"`{e.func}` is a constant, not a function", e.span, f"write `{e.func}` without parentheses"
            )
            return core.Lit(None, ty=ERROR, span=e.span)
        sig = self.signature_of(e.func)
        if sig is None:
            for a in e.args:
                self.infer(a, scope)
            return core.Lit(None, ty=ERROR, span=e.span)
        if len(e.args) != len(sig.params):
            wanted = ", ".join(f"{p.name}: {p.ty}" for p in sig.params)
            self.error(
                f"`{e.func}` takes {len(sig.params)} argument{'s' if len(sig.params) != 1 else ''}, "
                f"{len(e.args)} given",
                e.span,
                f"signature: {e.func}({wanted})",
            )
        args = []
        for i, a in enumerate(e.args):
            if i < len(sig.params):
                args.append(self.check(a, scope, sig.params[i].ty))
            else:
                args.append(self.infer(a, scope))
        self.calls.add(e.func)
        return core.Call(e.func, tuple(args), ty=sig.ret, span=e.span)

    def _builtin(self, e: ast.Call, scope: Scope) -> core.CExpr:
        arity = {"starts_with": 2, "ends_with": 2, "contains": 2}.get(e.func, 1)
        if len(e.args) != arity:
            self.error(
                f"`{e.func}` takes {arity} argument{'s' if arity > 1 else ''}, {len(e.args)} given", e.span
            )
            return core.Lit(None, ty=ERROR, span=e.span)
        if e.func.startswith("round_"):
            arg = self.infer(e.args[0], scope)
            op = {"round_down": "floor", "round_up": "ceil"}.get(e.func, e.func)
            if isinstance(arg.ty, Exact):
                return core.Op(op, (arg,), ty=arg.ty.unit, span=e.span)
            if arg.ty in ADDITIVE or arg.ty == ERROR:
                return arg  # already whole: rounding is the identity
            self.error(f"`{e.func}` rounds exact amounts, found {_kind_name(arg.ty)}", e.args[0].span)
            return arg
        if e.func in ("starts_with", "ends_with", "contains"):
            args = tuple(self.check(a, scope, TEXT) for a in e.args)
            return core.Op(e.func, args, ty=BOOL, span=e.span)
        if e.func == "length":
            return core.Op("text_length", (self.check(e.args[0], scope, TEXT),), ty=INT, span=e.span)
        if e.func == "date_of":
            return core.Op("date_of", (self.check(e.args[0], scope, DATETIME),), ty=DATE, span=e.span)
        assert e.func == "start_of"
        return core.Op("start_of", (self.check(e.args[0], scope, DATE),), ty=DATETIME, span=e.span)

    # ---- operators -----------------------------------------------------------------
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
            self.error(f"cannot negate {_kind_name(operand.ty)}", e.span)
        return core.Op("neg", (operand,), ty=operand.ty, span=e.span)

    def x_Binary(self, e: ast.Binary, scope: Scope, expected: Type | None) -> core.CExpr:
        if e.op == "and":
            conds, _ = self.conditions(e, scope)
            return self.fold_and(conds, None, e.span)
        if e.op == "implies":
            conds, inner = self.conditions(e.left, scope)
            return self.fold_implies(conds, self.check(e.right, inner, BOOL), e.span)
        if e.op == "or":
            left = self.check(e.left, scope, BOOL)
            right = self.check(e.right, scope, BOOL)
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
                    f"cannot compute with a value that may be absent ({_kind_name(side.ty)})",
                    side.span,
                    "handle absence first: `x is some(v)` then use `v`, or `x ?? default`",
                )
                return core.Op(_OPS[op], (left, right), ty=ERROR, span=span)
        result = _arith_type(op, lt, rt)
        if result is None:
            self.error(
                f"cannot apply `{op}` to {_kind_name(lt)} and {_kind_name(rt)}", span, _arith_hint(op, lt, rt)
            )
            return core.Op(_OPS[op], (left, right), ty=ERROR, span=span)
        # A DateTime moved by whole days: the days become minutes.
        if lt == DATETIME and rt == DAYS:
            right = _scale(right, MINUTES_PER_DAY, DURATION)
        if rt == DATETIME and lt == DAYS:
            left = _scale(left, MINUTES_PER_DAY, DURATION)
        return core.Op(_OPS[op], (left, right), ty=result, span=span)

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
                self.error(
                    f"cannot compare {_kind_name(lt)} with {_kind_name(rt)}", e.span, _compare_hint(lt, rt)
                )
            return core.Op(op, (left, right), ty=BOOL, span=e.span)
        if isinstance(lt, OptT) or isinstance(rt, OptT):
            opt = left if isinstance(lt, OptT) else right
            self.error(
                f"cannot order a value that may be absent ({_kind_name(opt.ty)})",
                opt.span,
                "handle absence first: `x is some(v) and v <= ...`, or `(x ?? default) <= ...`",
            )
            return core.Op(op, (left, right), ty=BOOL, span=e.span)
        base_l = lt.unit if isinstance(lt, Exact) else lt
        base_r = rt.unit if isinstance(rt, Exact) else rt
        if base_l != base_r:
            self.error(
                f"cannot compare {_kind_name(lt)} with {_kind_name(rt)}", e.span, _compare_hint(lt, rt)
            )
        elif base_l not in ORDERED:
            self.error(f"{_kind_name(lt)} values have no order", e.span, "use `==` or `!=`")
        return core.Op(op, (left, right), ty=BOOL, span=e.span)

    def _coalesce(self, e: ast.Binary, scope: Scope, expected: Type | None) -> core.CExpr:
        left = self.infer(e.left, scope)
        if left.ty == ERROR:
            self.infer(e.right, scope)
            return left
        if not isinstance(left.ty, OptT):
            self.error(
                f"`??` needs an optional value on its left, found {_kind_name(left.ty)}",
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
            f"`in` needs a list or a window on its right, found {_kind_name(right.ty)}",
            e.right.span,
        )
        return core.Lit(False, ty=BOOL, span=e.span)

    def x_IsSome(self, e: ast.IsSome, scope: Scope, expected: Type | None) -> core.CExpr:
        conds, _ = self.conditions(e, scope)
        return self.fold_and(conds, None, e.span)

    def x_IsNone(self, e: ast.IsNone, scope: Scope, expected: Type | None) -> core.CExpr:
        target = self.infer(e.target, scope)
        if not isinstance(target.ty, OptT):
            if target.ty != ERROR:
                self.error(f"`is none` needs an optional value, found {_kind_name(target.ty)}", e.target.span)
            return core.Lit(False, ty=BOOL, span=e.span)
        return core.IfSome(
            target, self.fresh("_"), core.Lit(False, ty=BOOL), core.Lit(True, ty=BOOL), ty=BOOL, span=e.span
        )

    def x_If(self, e: ast.If, scope: Scope, expected: Type | None) -> core.CExpr:
        conds, inner = self.conditions(e.cond, scope)
        then = self.check(e.then, inner, expected) if expected is not None else self.infer(e.then, inner)
        orelse = self.check(e.orelse, scope, then.ty)
        if isinstance(orelse.ty, OptT) and not isinstance(then.ty, OptT):
            then = core.SomeE(then, ty=orelse.ty, span=then.span)
        return self.fold_if(conds, then, orelse, e.span)

    def x_Match(self, e: ast.Match, scope: Scope, expected: Type | None) -> core.CExpr:
        scrutinee = self.infer(e.scrutinee, scope)
        if scrutinee.ty == ERROR:
            return core.Lit(None, ty=ERROR, span=e.span)
        if not isinstance(scrutinee.ty, EnumT):
            self.error(f"`match` works on enums, found {_kind_name(scrutinee.ty)}", e.scrutinee.span)
            return core.Lit(None, ty=ERROR, span=e.span)
        enum = self.ns.types[scrutinee.ty.name]
        assert isinstance(enum, ast.EnumDecl)
        variants = [v.name for v in enum.variants]
        covered: set[str] = set()
        arms: list[tuple[tuple[str, ...], core.CExpr, Span]] = []
        result_ty = expected
        default: core.CExpr | None = None
        for arm in e.arms:
            body = (
                self.check(arm.body, scope, result_ty)
                if result_ty is not None
                else self.infer(arm.body, scope)
            )
            if result_ty is None:
                result_ty = body.ty
            if default is not None:
                self.error("this arm can never be reached: `_` above already matches everything", arm.span)
            if not arm.patterns:
                if covered == set(variants):
                    self.error("this `_` arm can never be reached: every variant is matched above", arm.span)
                default = body
                continue
            names: list[str] = []
            for enum_name, variant in arm.patterns:
                if enum_name != scrutinee.ty.name:
                    self.error(f"pattern of enum `{enum_name}` in a match on `{scrutinee.ty.name}`", arm.span)
                elif variant not in variants:
                    self.error(
                        f"enum `{enum_name}` has no variant `{variant}`", arm.span, suggest(variant, variants)
                    )
                elif variant in covered:
                    self.error(f"variant `{enum_name}.{variant}` is matched twice", arm.span)
                else:
                    covered.add(variant)
                    names.append(variant)
            arms.append((tuple(names), body, arm.span))
        missing = [v for v in variants if v not in covered]
        if default is None and missing:
            self.error(
                f"`match` does not cover {', '.join(f'`{scrutinee.ty.name}.{m}`' for m in missing)}",
                e.span,
                "add the missing arms, or `_ => ...` for the rest",
            )
        ty = result_ty or ERROR
        if default is None:
            if not arms:
                return core.Lit(None, ty=ERROR, span=e.span)
            result = arms.pop()[1]  # the last arm needs no test once coverage is known
        else:
            result = default
        for arm_names, body, span in reversed(arms):
            tests = tuple(
                core.Op("eq", (scrutinee, core.Lit(n, ty=scrutinee.ty)), ty=BOOL, span=span)
                for n in arm_names
            )
            cond = tests[0] if len(tests) == 1 else core.Op("or", tests, ty=BOOL, span=span)
            result = core.If(cond, body, result, ty=ty, span=e.span)
        return result

    def x_MinMax(self, e: ast.MinMax, scope: Scope, expected: Type | None) -> core.CExpr:
        first = self.infer(e.args[0], scope, expected)
        args = [first, *(self.check(a, scope, first.ty) for a in e.args[1:])]
        base = first.ty.unit if isinstance(first.ty, Exact) else first.ty
        if not (base in ORDERED or base == ERROR):
            self.error(
                f"`{e.op}` needs ordered values, found {_kind_name(first.ty)}",
                e.span,
                "handle absence first" if isinstance(first.ty, OptT) else None,
            )
        return core.Op(e.op, tuple(args), ty=first.ty, span=e.span)

    def x_Size(self, e: ast.Size, scope: Scope, expected: Type | None) -> core.CExpr:
        target = self.infer(e.target, scope)
        if not isinstance(target.ty, ListT) and target.ty != ERROR:
            self.error(
                f"`size` needs a list, found {_kind_name(target.ty)}",
                e.target.span,
                "for text use `length(t)`" if target.ty == TEXT else None,
            )
        return core.Size(target, ty=INT, span=e.span)

    def _source(self, source: ast.Expr, scope: Scope) -> tuple[core.CExpr, Type]:
        src = self.infer(source, scope)
        if isinstance(src.ty, ListT):
            return src, src.ty.elem
        if src.ty != ERROR:
            self.error(f"expected a list to range over, found {_kind_name(src.ty)}", source.span)
        return src, ERROR

    def x_Aggregate(self, e: ast.Aggregate, scope: Scope, expected: Type | None) -> core.CExpr:
        src, elem = self._source(e.source, scope)
        inner = scope.with_(e.var, elem)
        conds: list[core.Cond] = []
        if e.where is not None:
            conds, inner = self.conditions(e.where, inner)
        if e.op == "count":
            where = self.fold_and(conds, None, e.span) if conds else None
            return core.Agg("count", e.var, src, where, None, None, ty=INT, span=e.span)
        assert e.body is not None
        body = self.infer(e.body, inner, expected)
        base = body.ty.unit if isinstance(body.ty, Exact) else body.ty
        if e.op == "sum":
            if not (base in ADDITIVE or base in (PERCENT, ERROR)):
                self.error(
                    f"cannot sum {_kind_name(body.ty)}",
                    e.body.span,
                    "handle absence first" if isinstance(body.ty, OptT) else None,
                )
            zero = core.Lit(0, ty=body.ty)
            return self._agg_with_bindings("sum", e, src, conds, body, zero, None)
        default = self.check(e.default, scope, body.ty) if e.default is not None else None
        if not (base in ORDERED or base == ERROR):
            self.error(f"`{e.op}` needs ordered values, found {_kind_name(body.ty)}", e.body.span)
        return self._agg_with_bindings(e.op, e, src, conds, body, None, default)

    def _agg_with_bindings(
        self,
        op: str,
        e: ast.Aggregate,
        src: core.CExpr,
        conds: list[core.Cond],
        body: core.CExpr,
        zero: core.CExpr | None,
        default: core.CExpr | None,
    ) -> core.CExpr:
        """The body may use bindings of the `where`: then the filter and body share them."""
        if any(isinstance(c, core.Bind) for c in conds):
            where = self.fold_and(conds, None, e.span)
            if op == "sum":
                assert zero is not None
                body = self.fold_if(conds, body, zero, e.span)
            else:
                # Elements that fail the filter are skipped, so the body's value there is irrelevant.
                body = self.fold_if(conds, body, default if default is not None else body, e.span)
            return core.Agg(op, e.var, src, where, body, default, ty=body.ty, span=e.span)
        where_expr = self.fold_and(conds, None, e.span) if conds else None
        return core.Agg(op, e.var, src, where_expr, body, default, ty=body.ty, span=e.span)

    def x_Quantified(self, e: ast.Quantified, scope: Scope, expected: Type | None) -> core.CExpr:
        inner = scope
        binders: list[tuple[ast.Binder, core.CExpr | None, Type]] = []
        for b in e.binders:
            if b.source is not None:
                src, elem = self._source(b.source, inner)
                binders.append((b, src, elem))
                inner = inner.with_(b.name, elem)
            else:
                assert b.type is not None
                ty = self.resolve(b.type)
                if not self.allow_type_quantifiers and not (ty == BOOL or isinstance(ty, EnumT)):
                    self.error(
                        f"`{e.op} {b.name}: {ty}` ranges over every value of a type; "
                        "only properties may do that",
                        b.span,
                        f"range over a list instead: `{e.op} {b.name} in xs. ...`",
                    )
                binders.append((b, None, ty))
                inner = inner.with_(b.name, ty)
        conds: list[core.Cond] = []
        if e.where is not None:
            conds, inner = self.conditions(e.where, inner)
        body = self.check(e.body, inner, BOOL)
        result: core.CExpr
        if e.op == "forall":
            result = self.fold_implies(conds, body, e.span)
        else:
            result = self.fold_and(conds, body, e.span)
        for b, over, ty in reversed(binders):
            if over is not None:
                agg_op = "all" if e.op == "forall" else "any"
                result = core.Agg(agg_op, b.name, over, None, result, None, ty=BOOL, span=e.span)
            else:
                result = core.Quant(e.op, b.name, ty, result, ty=BOOL, span=e.span)
        return result


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
    if op in ("+", "-") and lt != rt:
        return "both sides of `+`/`-` need the same unit"
    if op == "*" and lt == rt == MONEY:
        return "money times money has no meaning; multiply by an `Int` or a `Percent`"
    return None


def _compare_hint(lt: Type, rt: Type) -> str | None:
    for a, b in ((lt, rt), (rt, lt)):
        if b == INT and isinstance(a, Prim) and a in _ZERO_HINTS:
            return _ZERO_HINTS[a]
        if isinstance(b, Exact) and b.unit == a:
            return "round it explicitly: `round_half_up(...)`, `round_down(...)` or `round_up(...)`"
    return "both sides of a comparison need the same type and unit"


def _decl_kind(decl: ast.Decl) -> str:
    return {
        ast.RuleDecl: "rule",
        ast.DefDecl: "definition",
        ast.WindowDecl: "window",
        ast.ConstDecl: "constant",
    }.get(type(decl), "declaration")
