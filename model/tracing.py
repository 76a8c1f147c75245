"""Builds explanations (model/explain.py): the reference semantics, with a record.

`explain_call` evaluates a rule or definition exactly as `Interpreter.call`
does, in the same order and reading no more than it reads (the order is
spelled out in model/explain.py), and records each clause and condition on
the way. Expressions inside conditions are evaluated by the interpreter
itself, so the two cannot disagree on a value; the tests check that the
outcome of every explanation equals the result of `call`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from smallprint.model import core
from smallprint.model.core import Value
from smallprint.model.explain import (
    Bound,
    ClauseTrace,
    CondTrace,
    Decision,
    DefExplanation,
    Explanation,
    FailingPart,
    Operand,
    OverrideTrace,
    RuleExplanation,
)
from smallprint.model.interp import RELATIONS, Interpreter, as_bool, no_case
from smallprint.model.runtime import as_tuple
from smallprint.model.types import ListT, OptT


def explain_call(interp: Interpreter, fn: core.Function, args: tuple[Value, ...]) -> Explanation:
    env = dict(zip((p.name for p in fn.params), args, strict=True))
    tracer = _Tracer(interp)
    if isinstance(fn, core.RuleDef):
        return tracer.rule(fn, env, args)
    return tracer.definition(fn, env, args)


def failing_part(interp: Interpreter, cond: core.CExpr, env: Mapping[str, Value]) -> FailingPart:
    """The innermost part of `cond` (false in `env`) that makes it false, and which
    names of `env` it reads (directly, or through the names bound on the way): the first
    false operand of an `and`, the consequent of an `implies` (its premise holds), the
    branch an `if` takes, the body of a `let` or of a present `x is some(v)`, the body
    of `forall x in xs` on its first failing element; down to a comparison, a call or
    anything else, which is traced as a clause's condition is (the values compared,
    or the rule called explained)."""
    scope = dict(env)
    bound: list[Bound] = []
    reads: set[str] = set()
    while (step := _false_part(interp, cond, scope)) is not None:
        part, binding, read_from = step
        reads.update(_variables(read_from))
        if binding is not None:
            bound.append(binding)
            scope[binding.name] = binding.value
        cond = part
    reads.update(_variables(cond))
    trace = _Tracer(interp).test(core.Test(cond, span=cond.span), scope)
    calls = dict.fromkeys(x.func for x in core.walk(cond) if isinstance(x, core.Call))
    return FailingPart(trace, tuple(bound), tuple(sorted(reads & env.keys())), tuple(calls))


def _false_part(
    interp: Interpreter, e: core.CExpr, env: Mapping[str, Value]
) -> tuple[core.CExpr, Bound | None, core.CExpr | None] | None:
    """The part of `e` (false in `env`) that decides it, the name bound on the way and
    the expression that name's value comes from; None when `e` is itself the part."""
    step: tuple[core.CExpr, Bound | None, core.CExpr | None] | None = None
    if isinstance(e, core.Op) and e.op == "and":
        step = next(((a, None, None) for a in e.args if interp.eval(a, env) is False), None)
    elif isinstance(e, core.Op) and e.op == "implies":
        step = (e.args[1], None, None)
    elif isinstance(e, core.If):
        step = (e.then if as_bool(interp.eval(e.cond, env), e.cond.span) else e.orelse, None, None)
    elif isinstance(e, core.IfSome):
        present = interp.eval(e.opt, env)
        if present is None:
            step = (e.orelse, None, e.opt)
        else:
            assert isinstance(e.opt.ty, OptT)
            step = (e.then, Bound(e.var, e.opt.ty.inner, present), e.opt)
    elif isinstance(e, core.Let):
        step = (e.body, Bound(e.var, e.value.ty, interp.eval(e.value, env)), e.value)
    elif isinstance(e, core.Agg) and e.op == "all" and e.body is not None:
        assert isinstance(e.source.ty, ListT)
        for element in as_tuple(interp.eval(e.source, env), e.source.span):
            scope = {**env, e.var: element}
            if e.where is not None and interp.eval(e.where, scope) is not True:
                continue
            if interp.eval(e.body, scope) is False:
                step = (e.body, Bound(e.var, e.source.ty.elem, element), e.source)
                break
    # A literal says nothing the part above it does not (`x is some(v) and ...` on an
    # absent `x` folds to the literal `false`).
    return None if step is None or isinstance(step[0], core.Lit) else step


def _variables(e: core.CExpr | None) -> set[str]:
    return set() if e is None else {x.name for x in core.walk(e) if isinstance(x, core.Var)}


class _Tracer:
    def __init__(self, interp: Interpreter) -> None:
        self.interp = interp

    def rule(self, rule: core.RuleDef, env: dict[str, Value], args: tuple[Value, ...]) -> RuleExplanation:
        whens: list[ClauseTrace] = []
        decided: Decision | None = None
        fired: ClauseTrace | None = None
        for i, clause in enumerate(rule.whens, 1):
            if fired is not None:
                whens.append(_skipped_clause(clause, "when", i))
                continue
            scope, trace = self.clause(clause, env, "when", i)
            whens.append(trace)
            if scope is not None:
                fired = trace
        if rule.whens and fired is None:
            decided = Decision("no_when", "no `when` clause held")

        unlesses: list[ClauseTrace] = []
        for i, unless in enumerate(rule.unlesses, 1):
            if decided is not None:
                unlesses.append(_skipped_clause(unless.clause, "unless", i, unless.excepts))
                continue
            trace = self.unless(unless, env, i)
            unlesses.append(trace)
            if trace.held and not any(e.held for e in trace.excepts):
                decided = Decision("unless", f"`unless` #{i} held", clause=trace)

        overrides: list[OverrideTrace] = []
        for other in rule.overridden_by:
            if decided is not None:
                overrides.append(OverrideTrace(other, None))
                continue
            held = as_bool(self.interp.call(other, args), rule.span)
            overrides.append(OverrideTrace(other, held))
            if held:
                decided = Decision("override", f"`{other}` holds and overrides it", rule=other)

        if decided is None:
            decided = (
                Decision("when", f"`when` #{fired.index} held", clause=fired)
                if fired is not None
                else Decision("default", "it has no `when` clause and no `unless` applied")
            )
        return RuleExplanation(
            func=rule.name,
            params=rule.params,
            args=args,
            outcome=decided.kind in ("when", "default"),
            decided=decided,
            whens=tuple(whens),
            unlesses=tuple(unlesses),
            overrides=tuple(overrides),
            cites=rule.cites,
            span=rule.span,
        )

    def unless(self, unless: core.Unless, env: Mapping[str, Value], i: int) -> ClauseTrace:
        scope, trace = self.clause(unless.clause, env, "unless", i)
        excepts: list[ClauseTrace] = []
        cancelled = False
        for j, exc in enumerate(unless.excepts, 1):
            if scope is None or cancelled:
                excepts.append(_skipped_clause(exc, "except", j))
                continue
            # Like the interpreter: an `except` sees the rule's parameters, not the unless's bindings.
            exc_scope, exc_trace = self.clause(exc, env, "except", j)
            excepts.append(exc_trace)
            cancelled = exc_scope is not None
        return replace(trace, excepts=tuple(excepts))

    def definition(self, fn: core.DefDef, env: dict[str, Value], args: tuple[Value, ...]) -> DefExplanation:
        cases: list[ClauseTrace] = []
        decided: Decision | None = None
        value: Value = None
        if fn.body is not None:
            value = self.interp.eval(fn.body, env)
            decided = Decision("body", "its definition")
        for i, case in enumerate(fn.cases, 1):
            if decided is not None:
                cases.append(_skipped_clause(case.clause, "case", i))
                continue
            scope, trace = self.clause(case.clause, env, "case", i)
            cases.append(trace)
            if scope is not None:
                value = self.interp.eval(case.value, scope)
                decided = Decision("case", f"case #{i} held", clause=trace)
        if decided is None:
            if fn.otherwise is None:
                raise no_case(fn)
            value = self.interp.eval(fn.otherwise, env)
            decided = Decision("otherwise", "no case held: `otherwise`")
        return DefExplanation(
            func=fn.name,
            params=fn.params,
            args=args,
            ret=fn.ret,
            value=value,
            decided=decided,
            cases=tuple(cases),
            cites=fn.cites,
            otherwise_cites=fn.otherwise_cites,
            span=fn.span,
        )

    def clause(
        self, clause: core.Clause, env: Mapping[str, Value], kind: str, index: int
    ) -> tuple[dict[str, Value] | None, ClauseTrace]:
        """`Interpreter.clause`, recording each condition read."""
        conds: list[CondTrace] = []
        scope: dict[str, Value] | None = dict(env)
        for cond in clause.conds:
            assert scope is not None
            if isinstance(cond, core.Bind):
                present = self.interp.eval(cond.opt, scope)
                conds.append(
                    CondTrace(
                        "bind", cond.span, True, present is not None, cond.opt.ty, present, var=cond.var
                    )
                )
                if present is None:
                    scope = None
                    break
                scope[cond.var] = present
            else:
                trace = self.test(cond, scope)
                conds.append(trace)
                if not trace.held:
                    scope = None
                    break
        skipped = [_not_evaluated(c) for c in clause.conds[len(conds) :]]
        held = scope is not None
        return scope, ClauseTrace(kind, index, clause.span, clause.cites, held, (*conds, *skipped))

    def test(self, cond: core.Test, scope: Mapping[str, Value]) -> CondTrace:
        expr = cond.expr
        if isinstance(expr, core.Op) and expr.op in RELATIONS and len(expr.args) == 2:
            # Evaluate the sides once and relate them, so the trace shows what was compared.
            left, right = (self.interp.eval(a, scope) for a in expr.args)
            holds = as_bool(self.interp.apply(expr, [left, right]), expr.span)
            operands = tuple(Operand(a.ty, v, a.span) for a, v in zip(expr.args, (left, right), strict=True))
            return CondTrace("test", cond.span, True, holds, expr.ty, holds, op=expr.op, operands=operands)
        holds = as_bool(self.interp.eval(expr, scope), cond.span)
        callee = self.callee(expr, scope)
        return CondTrace("test", cond.span, True, holds, expr.ty, holds, callee=callee)

    def callee(self, expr: core.CExpr, scope: Mapping[str, Value]) -> Explanation | None:
        """The explanation of a rule the condition calls directly (`f(x)`, `not f(x)`)."""
        if isinstance(expr, core.Op) and expr.op == "not" and len(expr.args) == 1:
            expr = expr.args[0]
        if not isinstance(expr, core.Call):
            return None
        fn = self.interp.program.functions.get(expr.func)
        if not isinstance(fn, core.RuleDef):
            return None
        args = tuple(self.interp.eval(a, scope) for a in expr.args)
        return explain_call(self.interp, fn, args)


def _not_evaluated(cond: core.Cond) -> CondTrace:
    if isinstance(cond, core.Bind):
        return CondTrace("bind", cond.span, False, None, cond.opt.ty, var=cond.var)
    return CondTrace("test", cond.span, False, None, cond.expr.ty)


def _skipped_clause(
    clause: core.Clause, kind: str, index: int, excepts: tuple[core.Clause, ...] = ()
) -> ClauseTrace:
    conds = tuple(_not_evaluated(c) for c in clause.conds)
    skipped = tuple(_skipped_clause(e, "except", j) for j, e in enumerate(excepts, 1))
    return ClauseTrace(kind, index, clause.span, clause.cites, None, conds, skipped)
