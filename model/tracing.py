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

from smallprint.grammar.span import Span
from smallprint.model import core
from smallprint.model.ast import cites_suffix
from smallprint.model.core import Value
from smallprint.model.explain import (
    ClauseTrace,
    CondTrace,
    Decision,
    DefExplanation,
    Explanation,
    FailingPart,
    Operand,
    OverrideTrace,
    RuleExplanation,
    Tally,
)
from smallprint.model.interp import RELATIONS, Interpreter, as_bool, no_case
from smallprint.model.types import BOOL, Exact

# Conditions a failing part can look inside (a comparison or a call is traced by itself).
_COMPOUND = (core.Op, core.Agg, core.If, core.IfSome, core.Let)


def explain_call(interp: Interpreter, fn: core.Function, args: tuple[Value, ...]) -> Explanation:
    env = dict(zip((p.name for p in fn.params), args, strict=True))
    tracer = _Tracer(interp)
    if isinstance(fn, core.RuleDef):
        return tracer.rule(fn, env, args)
    return tracer.definition(fn, env, args)


def trace_condition(interp: Interpreter, expr: core.CExpr, scope: Mapping[str, Value]) -> CondTrace:
    """`expr` (a Bool) traced as a clause's condition: the values it compares, or the
    rule it calls explained (not followed down: this is the end of a failing part)."""
    return _Tracer(interp).test(core.Test(expr, span=expr.span), scope, deep=False)


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
        failing: FailingPart | None = None
        branches: tuple[CondTrace, ...] = ()
        steps: list[Operand] = []
        worked: core.CExpr = fn.body or fn.otherwise or core.Lit(None, ty=fn.ret)  # what the value is of
        if fn.body is not None:
            value = self.interp.eval(fn.body, env)
            decided = Decision("body", "its definition")
            if value is False:
                from smallprint.model.failing import failing_part  # it traces with this module

                failing = failing_part(self.interp, fn.body, env)
            else:
                branches = self.branches(fn.body, env, steps)
        for i, case in enumerate(fn.cases, 1):
            if decided is not None:
                cases.append(_skipped_clause(case.clause, "case", i))
                continue
            scope, trace = self.clause(case.clause, env, "case", i)
            cases.append(trace)
            if scope is not None:
                value = self.interp.eval(case.value, scope)
                decided = Decision("case", f"case #{i} held", clause=trace)
                branches = self.branches(case.value, scope, steps)
                worked = case.value
        if decided is None:
            if fn.otherwise is None:
                raise no_case(fn)
            value = self.interp.eval(fn.otherwise, env)
            decided = Decision("otherwise", "no case held: `otherwise`")
            branches = self.branches(fn.otherwise, env, steps)
            worked = fn.otherwise
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
            failing=failing,
            branches=branches,
            # (the value worked out last is the value itself, shown above them)
            steps=tuple([x for x in steps if x.span != worked.span][-MAX_STEPS:]) if fn.ret != BOOL else (),
        )

    def branches(
        self, body: core.CExpr, env: Mapping[str, Value], steps: list[Operand] | None = None
    ) -> tuple[CondTrace, ...]:
        """The conditions that chose the way to a value: each `if` (a `match` arm is one)
        the evaluation met, wherever it sits in the expression (`fee(o) + (if ... )`), and
        each `x is some(v)`, in the order evaluated. Not inside calls (each function is
        explained on its own), aggregates, or `and`/`or` (which may skip their parts).
        `steps`, when given, gets the working on the same way (`DefExplanation.steps`)."""
        out: list[CondTrace] = []
        self._walk(body, dict(env), out, steps)
        return tuple(out)

    def _walk(
        self, e: core.CExpr, scope: dict[str, Value], out: list[CondTrace], steps: list[Operand] | None = None
    ) -> None:
        self._walk_inside(e, scope, out, steps)
        if steps is not None and _is_step(e) and all(s.span != e.span for s in steps):
            steps.append(Operand(e.ty, self.interp.eval(e, scope), e.span, self.decided_by(e, scope)))

    def decided_by(self, e: core.CExpr, scope: Mapping[str, Value]) -> str | None:
        """For a call of a definition by cases: which case gave its value."""
        fn = self.interp.program.functions.get(e.func) if isinstance(e, core.Call) else None
        if not isinstance(fn, core.DefDef) or not fn.cases or not isinstance(e, core.Call):
            return None
        env = dict(
            zip((p.name for p in fn.params), (self.interp.eval(a, scope) for a in e.args), strict=True)
        )
        for i, case in enumerate(fn.cases, 1):
            if self.clause(case.clause, env, "case", i)[0] is not None:
                return f"case #{i} held at {case.clause.span}{cites_suffix(case.clause.cites)}"
        return f"no case held: `otherwise`{cites_suffix(fn.otherwise_cites)}"

    def _walk_inside(
        self, e: core.CExpr, scope: dict[str, Value], out: list[CondTrace], steps: list[Operand] | None
    ) -> None:
        if isinstance(e, core.If) and _match_arms(e.cond):
            # An arm of several patterns (`A | B =>`): each pattern tried, as written.
            held = False
            for arm in _match_arms(e.cond):
                trace = replace(self.test(core.Test(arm, span=arm.span), scope), by_operands=True)
                out.append(trace)
                if trace.held:
                    held = True
                    break
            self._walk(e.then if held else e.orelse, scope, out, steps)
        elif isinstance(e, core.If):
            trace = self.test(core.Test(e.cond, span=e.cond.span), scope)
            out.append(trace)
            self._walk(e.then if trace.held else e.orelse, scope, out, steps)
        elif isinstance(e, core.IfSome):
            present = self.interp.eval(e.opt, scope)
            out.append(CondTrace("bind", e.opt.span, True, present is not None, e.opt.ty, present, var=e.var))
            if present is None:
                self._walk(e.orelse, scope, out, steps)
            else:
                self._walk(e.then, {**scope, e.var: present}, out, steps)
        elif isinstance(e, core.Let):
            self._walk(e.value, scope, out, steps)
            self._walk(e.body, {**scope, e.var: self.interp.eval(e.value, scope)}, out, steps)
        elif (isinstance(e, core.Op) and e.op not in _LAZY) or isinstance(e, core.Call):
            for a in e.args:
                self._walk(a, scope, out, steps)
        elif isinstance(e, core.Field | core.Size):
            self._walk(e.target, scope, out, steps)
        elif isinstance(e, core.SomeE):
            self._walk(e.value, scope, out, steps)
        elif isinstance(e, core.MkWindow):
            self._walk(e.start, scope, out, steps)
            self._walk(e.end, scope, out, steps)
        elif isinstance(e, core.ListE | core.RecordE):
            for item in e.items if isinstance(e, core.ListE) else e.fields:
                self._walk(item, scope, out, steps)

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

    def test(self, cond: core.Test, scope: Mapping[str, Value], deep: bool = True) -> CondTrace:
        """The condition's trace; with `deep`, a false condition that is neither a
        comparison nor a call says which part of it decides (`model/failing.py`)."""
        expr = cond.expr
        if isinstance(expr, core.Op) and expr.op in RELATIONS and len(expr.args) == 2:
            # Evaluate the sides once and relate them, so the trace shows what was compared.
            left, right = (self.interp.eval(a, scope) for a in expr.args)
            holds = as_bool(self.interp.apply(expr, [left, right]), expr.span)
            operands = tuple(Operand(a.ty, v, a.span) for a, v in zip(expr.args, (left, right), strict=True))
            found: tuple[Tally, ...] = ()
            worked: tuple[Explanation, ...] = ()
            if deep and not holds:
                from smallprint.model.failing import tallies  # it traces with this module

                # the names in scope are the parameters and the values bound: named as they are
                found = tallies(self.interp, expr.args, scope, {name: name for name in scope})
                worked = tuple(e for a in expr.args if (e := self.value_callee(a, scope)) is not None)
            return CondTrace(
                "test",
                cond.span,
                True,
                holds,
                expr.ty,
                holds,
                op=expr.op,
                operands=operands,
                tallies=found,
                operand_callees=worked,
            )
        holds = as_bool(self.interp.eval(expr, scope), cond.span)
        callee = self.callee(expr, scope)
        failing = None
        if deep and not holds and callee is None and isinstance(expr, _COMPOUND):
            from smallprint.model.failing import failing_part  # it traces with this module

            part = failing_part(self.interp, expr, scope)
            if part.cond.span != cond.span or part.alternatives:
                failing = part
        witness = self.witness(expr, scope) if holds else None
        return CondTrace(
            "test", cond.span, True, holds, expr.ty, holds, callee=callee, failing=failing, witness=witness
        )

    def witness(self, expr: core.CExpr, scope: Mapping[str, Value]) -> tuple[str, int, Span] | None:
        """For a true `exists x in xs where w. b`: the first element meeting `w` and `b`."""
        if not (isinstance(expr, core.Agg) and expr.op == "any"):
            return None
        items = self.interp.eval(expr.source, scope)
        assert isinstance(items, tuple)
        for k, item in enumerate(items):
            env = {**scope, expr.var: item}
            if expr.where is not None and self.interp.eval(expr.where, env) is not True:
                continue
            if expr.body is None or self.interp.eval(expr.body, env) is True:
                return expr.var, k, expr.source.span
        return None

    def value_callee(self, expr: core.CExpr, scope: Mapping[str, Value]) -> Explanation | None:
        """The explanation of a definition of a value (not a truth) called directly, when
        it says more than the value: the case that decided, the branches or the working."""
        if not isinstance(expr, core.Call):
            return None
        fn = self.interp.program.functions.get(expr.func)
        if fn is None or fn.ret == BOOL:
            return None
        e = explain_call(self.interp, fn, tuple(self.interp.eval(a, scope) for a in expr.args))
        return e if isinstance(e, DefExplanation) and (e.cases or e.branches or e.steps) else None

    def callee(self, expr: core.CExpr, scope: Mapping[str, Value]) -> Explanation | None:
        """The explanation of a rule or Bool definition the condition calls directly
        (`f(x)`, `not f(x)`)."""
        if isinstance(expr, core.Op) and expr.op == "not" and len(expr.args) == 1:
            expr = expr.args[0]
        if not isinstance(expr, core.Call):
            return None
        fn = self.interp.program.functions.get(expr.func)
        if fn is None or fn.ret != BOOL:
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


# Operators that may leave a part unevaluated: an `if` there is not on the way.
_LAZY = frozenset({"and", "or", "implies"})
# The operators whose result is a step of the working of a value (with calls and constants).
_STEP_OPS = frozenset({"floor", "ceil", "round_half_up", "round_half_even", "min", "max"})
MAX_STEPS = 12  # the last ones, nearest the value, when there are more


def _is_step(e: core.CExpr) -> bool:
    """A call, a constant, a rounding or `min`/`max`, or an exact amount before its rounding."""
    if isinstance(e, core.Call | core.ConstRef):
        return True
    return isinstance(e, core.Op) and (e.op in _STEP_OPS or isinstance(e.ty, Exact))


def _match_arms(cond: core.CExpr) -> tuple[core.CExpr, ...]:
    """The pattern tests of a `match` arm (one, or an `or` of several), else none."""
    if _match_arm(cond):
        return (cond,)
    if isinstance(cond, core.Op) and cond.op == "or" and all(_match_arm(a) for a in cond.args):
        return cond.args
    return ()


def _match_arm(cond: core.CExpr) -> bool:
    """A `match` arm's test of one pattern (`typecheck_compound.x_Match`): its literal sits
    at the pattern, which is all its own span quotes."""
    return (
        isinstance(cond, core.Op)
        and cond.op == "eq"
        and isinstance(cond.args[1], core.Lit)
        and cond.args[1].span == cond.span
        and cond.span.line > 0
    )
