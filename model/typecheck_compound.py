"""Type checking of the compound forms: `match` on enums, and what ranges over a list
(`size`, `min`/`max`, aggregates, quantifiers). A mixin of `typecheck.Checker`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smallprint.grammar.span import Span
from smallprint.model import ast, core
from smallprint.model.names import suggest
from smallprint.model.typecheck_base import CheckerBase, kind_name
from smallprint.model.types import (
    ADDITIVE,
    BOOL,
    ERROR,
    INT,
    ORDERED,
    PERCENT,
    TEXT,
    EnumT,
    Exact,
    ListT,
    OptT,
    Type,
)

if TYPE_CHECKING:
    from smallprint.model.typecheck import Scope


class CompoundForms(CheckerBase):
    # ---- the forms -----------------------------------------------------------------
    def x_Match(self, e: ast.Match, scope: Scope, expected: Type | None) -> core.CExpr:
        scrutinee = self.infer(e.scrutinee, scope)
        if scrutinee.ty == ERROR:
            return core.Lit(None, ty=ERROR, span=e.span)
        if not isinstance(scrutinee.ty, EnumT):
            self.error(f"`match` works on enums, found {kind_name(scrutinee.ty)}", e.scrutinee.span)
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
            arms.append((tuple(names), body, arm.patterns_span))
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
            # A one-pattern arm's test quotes as `<scrutinee> == <pattern>` in explanations
            # (its literal carries the pattern's place).
            tests = tuple(
                core.Op("eq", (scrutinee, core.Lit(n, ty=scrutinee.ty, span=span)), ty=BOOL, span=span)
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
                f"`{e.op}` needs ordered values, found {kind_name(first.ty)}",
                e.span,
                "handle absence first" if isinstance(first.ty, OptT) else None,
            )
            return core.Lit(None, ty=ERROR, span=e.span)
        return core.Op(e.op, tuple(args), ty=first.ty, span=e.span)

    def x_Size(self, e: ast.Size, scope: Scope, expected: Type | None) -> core.CExpr:
        target = self.infer(e.target, scope)
        if not isinstance(target.ty, ListT) and target.ty != ERROR:
            self.error(
                f"`size` needs a list, found {kind_name(target.ty)}",
                e.target.span,
                "for text use `length(t)`" if target.ty == TEXT else None,
            )
        return core.Size(target, ty=INT, span=e.span)

    def source(self, source: ast.Expr, scope: Scope) -> tuple[core.CExpr, Type]:
        src = self.infer(source, scope)
        if isinstance(src.ty, ListT):
            return src, src.ty.elem
        if src.ty != ERROR:
            self.error(f"expected a list to range over, found {kind_name(src.ty)}", source.span)
        return src, ERROR

    def x_Aggregate(self, e: ast.Aggregate, scope: Scope, expected: Type | None) -> core.CExpr:
        src, elem = self.source(e.source, scope)
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
                    f"cannot sum {kind_name(body.ty)}",
                    e.body.span,
                    "handle absence first" if isinstance(body.ty, OptT) else None,
                )
                return core.Lit(None, ty=ERROR, span=e.span)  # reported: no error follows from it
            zero = core.Lit(0, ty=body.ty)
            return self._agg_with_bindings("sum", e, src, conds, body, zero, None)
        default = self.check(e.default, scope, body.ty) if e.default is not None else None
        if not (base in ORDERED or base == ERROR):
            self.error(f"`{e.op}` needs ordered values, found {kind_name(body.ty)}", e.body.span)
            return core.Lit(None, ty=ERROR, span=e.span)
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
                src, elem = self.source(b.source, inner)
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
