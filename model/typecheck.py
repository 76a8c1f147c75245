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
from smallprint.model.typecheck_base import ROUNDING_HINT, ZERO_HINTS, fits, kind_name
from smallprint.model.typecheck_compound import CompoundForms
from smallprint.model.typecheck_ops import OperatorForms, some_bindings
from smallprint.model.types import (
    ADDITIVE,
    BOOL,
    DATE,
    DATETIME,
    DAYS,
    DURATION,
    ERROR,
    INT,
    LENGTH,
    MASS,
    MINUTES_PER_DAY,
    MONEY,
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
)

EPOCH = datetime.date(1970, 1, 1)


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


class Checker(CompoundForms, OperatorForms):
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
        self.inside_or: list[ast.Expr] = []
        # The `unless` whose `except` is being checked: its `is some` bindings are not
        # seen there, and an unknown name it binds gets a hint saying so.
        self.unless_binding: ast.Expr | None = None
        # A plan's per-element lets, by name: reported, never read (an unknown name there says so).
        self.report_only: dict[str, Span] = {}
        self._fresh = 0

    # ---- diagnostics ------------------------------------------------------
    def error(self, message: str, span: Span, hint: str | None = None) -> None:
        self.errors.append(Diagnostic(message, span, hint, code="type"))

    def mismatch(self, expected: Type, found: Type, span: Span, what: str = "") -> None:
        hint: str | None = None
        if found == INT and isinstance(expected, Prim) and expected in ZERO_HINTS:
            hint = ZERO_HINTS[expected]
        elif isinstance(found, OptT) and fits(found.inner, expected):
            hint = "the value may be absent: use `x is some(v)` and then `v`, or `x ?? default`"
        elif isinstance(found, Exact) and found.unit == expected:
            hint = ROUNDING_HINT
        prefix = f"{what}: " if what else ""
        self.error(f"{prefix}expected {kind_name(expected)}, found {kind_name(found)}", span, hint)

    def import_hint(self, name: str) -> str:
        home = self.ns.home[name]
        return f"`{name}` is declared in module `{home}`: add `import {home}`"

    def resolve(self, ref: ast.TypeRef) -> Type:
        t = resolve_type(self.ns, self.module, ref, self.errors)
        return ERROR if t is None else t

    def field_type(self, record: str, f: ast.FieldDecl) -> Type:
        """A field's type as its record's module declares it: a module that reads the field
        need not import the modules the field's type comes from (a bad type is reported
        once, where the record is declared)."""
        t = resolve_type(self.ns, self.ns.home[record], f.type, [], in_record=True)
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
                        f"`is some` needs an optional value, found {kind_name(target.ty)}",
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
                f"`none` is not a value of {kind_name(expected)}",
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
            fty = self.field_type(e.type_name, f)
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
        elif enums := self.enums_with_variant(e.name, expected):
            hint = f"did you mean `{enums[0]}.{e.name}`? (a variant is named with its enum)"
        elif (each_at := self.report_only.get(e.name)) is not None:
            hint = (
                f"`{e.name}` is a per-element `let ... for` (at {each_at.line}:{each_at.column}): "
                "reported with the plan's answer, not a value the plan's other parts can read"
            )
        elif self.unless_binding is not None and (at := some_bindings(self.unless_binding).get(e.name)):
            hint = (
                f"`{e.name}` is bound by the `is some({e.name})` of the `unless` at {at}, which its "
                f"`except` does not see: bind it again there (`except x is some({e.name}) and ...`)"
            )
        elif (bound_at := self.bound_under_or(e.name)) is not None:
            hint = (
                f"`{e.name}` is bound by the `is some({e.name})` at {bound_at}, "
                "which binds nothing under `or`: only in what is known to hold after it "
                "(the rest of an `and`, a `then`), or use `??`"
            )
        self.error(f"unknown name `{e.name}`", e.span, hint)
        return core.Lit(None, ty=ERROR, span=e.span)

    def enums_with_variant(self, variant: str, expected: Type | None) -> list[str]:
        """The enums this module sees with a variant `variant`, the one expected first."""
        names = [
            d.name
            for d in self.ns.types.values()
            if isinstance(d, ast.EnumDecl)
            and self.ns.sees(self.module, d.name)
            and any(v.name == variant for v in d.variants)
        ]
        return sorted(names, key=lambda n: not (isinstance(expected, EnumT) and expected.name == n))

    def x_FieldAccess(self, e: ast.FieldAccess, scope: Scope, expected: Type | None) -> core.CExpr:
        target = self.infer(e.target, scope)
        if target.ty == ERROR:
            return core.Lit(None, ty=ERROR, span=e.span)
        if isinstance(target.ty, OptT) and isinstance(target.ty.inner, RecordT):
            self.error(
                f"cannot read `.{e.name}` of a value that may be absent ({kind_name(target.ty)})",
                e.span,
                "handle absence first: `x is some(v) and v." + e.name + " ...`",
            )
            return core.Lit(None, ty=ERROR, span=e.span)
        if not isinstance(target.ty, RecordT):
            self.error(f"{kind_name(target.ty)} has no fields", e.span)
            return core.Lit(None, ty=ERROR, span=e.span)
        decl = self.ns.types[target.ty.name]
        assert isinstance(decl, ast.RecordDecl)
        for i, f in enumerate(decl.fields):
            if f.name == e.name:
                return core.Field(target, i, e.name, ty=self.field_type(target.ty.name, f), span=e.span)
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
            self.error(f"`{e.func}` rounds exact amounts, found {kind_name(arg.ty)}", e.args[0].span)
            return core.Lit(None, ty=ERROR, span=e.span)  # reported: no error follows from it
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
    def x_IsSome(self, e: ast.IsSome, scope: Scope, expected: Type | None) -> core.CExpr:
        conds, _ = self.conditions(e, scope)
        return self.fold_and(conds, None, e.span)

    def x_IsNone(self, e: ast.IsNone, scope: Scope, expected: Type | None) -> core.CExpr:
        target = self.infer(e.target, scope)
        if not isinstance(target.ty, OptT):
            if target.ty != ERROR:
                self.error(f"`is none` needs an optional value, found {kind_name(target.ty)}", e.target.span)
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


def _decl_kind(decl: ast.Decl) -> str:
    return {
        ast.RuleDecl: "rule",
        ast.DefDecl: "definition",
        ast.WindowDecl: "window",
        ast.ConstDecl: "constant",
    }.get(type(decl), "declaration")
