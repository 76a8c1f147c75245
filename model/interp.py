"""The reference semantics: concrete evaluation of a checked `core.Program`.

This interpreter is the meaning of a policy. The Z3 compiler must agree with
it, and every model the solver returns is replayed here before it is shown.
It is written to be read, not to be fast.

Values are in the runtime encoding of `model/types.py` (dates are day numbers,
money is cents, percents and `Exact` values are `Fraction`s, records are
tuples, enums are variant names, absent optionals are None). Arithmetic is
exact: int and `fractions.Fraction`, never float.

The meaning of each node is the one `model/core.py` states; the choices that
the core leaves to the evaluator are:

* `and`, `or`, `implies` and the clauses of rules and definitions read left to
  right and stop as soon as the answer is known, so a condition guarded by an
  earlier one (`size(xs) > 0 and total / size(xs) > 3`) never fails. The
  aggregates `all`/`any` stop at the first deciding element in the same way.
* A rule reads its `when`s until one holds, then its `unless`es in order; an
  `unless` that holds is cancelled by the first of its `except`s that holds
  (the `except`s see the bindings of their `unless`), then the rules that
  override it, called on the same arguments.
* Rounding of an `Exact` value to the minor unit: `floor` (round_down) and
  `ceil` (round_up) go toward -inf and +inf; `round_half_up` rounds ties away
  from zero (2.5 -> 3, -2.5 -> -3: `decimal.ROUND_HALF_UP`); `round_half_even`
  rounds ties to the even neighbour (2.5 -> 2, 3.5 -> 4: `decimal.ROUND_HALF_EVEN`).
* `div` by zero, a definition where no case holds and that has no
  `otherwise`, and a quantifier over a type with infinitely many (or too many)
  values raise `EvalError` with the span of the expression. Quantifiers over
  a whole type are evaluated only over `Bool`, enums and their optionals.
* `x in w` for an absent window (`None`) is false; `date_of` takes the floor
  of minutes / 1440, so instants before 1970 fall on the right day.
* A value whose type is `Exact[U]` or `Percent` is always a `Fraction`; every
  other number is an int.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from smallprint.grammar.span import NO_SPAN, Diagnostic, Span
from smallprint.model import core
from smallprint.model.core import Value
from smallprint.model.explain import (
    ClauseTrace,
    CondTrace,
    Decision,
    DefExplanation,
    Explanation,
    Operand,
    OverrideTrace,
    RuleExplanation,
)
from smallprint.model.types import BOOL, PERCENT, EnumT, Exact, ListT, OptT, RecordT, Type

Num = int | Fraction

COMPARISONS = frozenset({"eq", "ne", "lt", "le", "gt", "ge"})


class EvalError(Exception):
    """A run-time error of the policy (not of the interpreter), at `span`."""

    def __init__(self, message: str, span: Span = NO_SPAN) -> None:
        super().__init__(message if span == NO_SPAN else f"{span}: {message}")
        self.message = message
        self.span = span

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(self.message, self.span, code="eval")


@dataclass(frozen=True)
class Violation:
    """A record value at `path` (`o.items[2]`) that breaks `invariant` of `record`."""

    path: str
    record: str
    invariant: core.Invariant


# ---- rounding ---------------------------------------------------------------


def round_half_up(x: Fraction) -> int:
    """Nearest integer, ties away from zero (`decimal.ROUND_HALF_UP`)."""
    n = math.floor(abs(x) + Fraction(1, 2))
    return n if x >= 0 else -n


def round_half_even(x: Fraction) -> int:
    """Nearest integer, ties to the even one (`decimal.ROUND_HALF_EVEN`)."""
    low = math.floor(x)
    rest = x - low
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and low % 2 == 1):
        return low + 1
    return low


# ---- run-time type narrowing ---------------------------------------------------
# The checker guarantees these; a mismatch is a bug upstream, reported with a span
# instead of a Python TypeError deep inside an operator.


def _num(v: Value, span: Span) -> Num:
    if isinstance(v, int | Fraction) and not isinstance(v, bool):
        return v
    raise EvalError(f"internal: expected a number, found {v!r}", span)


def _bool(v: Value, span: Span) -> bool:
    if isinstance(v, bool):
        return v
    raise EvalError(f"internal: expected a Bool, found {v!r}", span)


def _str(v: Value, span: Span) -> str:
    if isinstance(v, str):
        return v
    raise EvalError(f"internal: expected a Text, found {v!r}", span)


def _tuple(v: Value, span: Span) -> tuple[Value, ...]:
    if isinstance(v, tuple):
        return v
    raise EvalError(f"internal: expected a record or list, found {v!r}", span)


def _exact(v: Num) -> Fraction:
    return v if isinstance(v, Fraction) else Fraction(v)


def _normalize(v: Value, ty: Type, span: Span) -> Value:
    """Fractions for `Exact` and `Percent`, ints elsewhere (see the module docstring)."""
    if isinstance(v, bool) or not isinstance(v, int | Fraction):
        return v
    if isinstance(ty, Exact) or ty == PERCENT:
        return _exact(v)
    if isinstance(v, Fraction):
        if v.denominator != 1:
            raise EvalError(f"internal: {v} is not a whole number, but has type `{ty}`", span)
        return v.numerator
    return v


def _compare(op: str, a: Value, b: Value, span: Span) -> bool:
    if op == "eq":
        return a == b
    if op == "ne":
        return a != b
    x, y = _num(a, span), _num(b, span)
    if op == "lt":
        return x < y
    if op == "le":
        return x <= y
    if op == "gt":
        return x > y
    return x >= y


class Interpreter:
    """Evaluates the functions, constants and invariants of one program."""

    def __init__(self, program: core.Program) -> None:
        self.program = program
        self._consts: dict[str, Value] = {}

    # ---- entry points ---------------------------------------------------------

    def call(self, func: str, args: Sequence[Value]) -> Value:
        fn = self._function(func, args)
        env = dict(zip((p.name for p in fn.params), args, strict=True))
        if isinstance(fn, core.RuleDef):
            return self._rule(fn, env, tuple(args))
        return self._def(fn, env)

    def const(self, name: str) -> Value:
        if name not in self._consts:
            decl = self.program.consts.get(name)
            if decl is None:
                raise EvalError(f"unknown constant `{name}`")
            self._consts[name] = self.eval(decl.value, {})
        return self._consts[name]

    def eval(self, expr: core.CExpr, env: Mapping[str, Value]) -> Value:
        match expr:
            case core.Lit(value=value):
                return value
            case core.Var(name=name):
                if name not in env:
                    raise EvalError(f"internal: `{name}` is not bound", expr.span)
                return env[name]
            case core.ConstRef(name=name):
                return self.const(name)
            case core.Field(target=target, index=index):
                return _tuple(self.eval(target, env), expr.span)[index]
            case core.Call(func=func, args=args):
                return self.call(func, [self.eval(a, env) for a in args])
            case core.Op():
                return self._op(expr, env)
            case core.If(cond=cond, then=then, orelse=orelse):
                branch = then if _bool(self.eval(cond, env), cond.span) else orelse
                return self.eval(branch, env)
            case core.IfSome(opt=opt, var=var, then=then, orelse=orelse):
                present = self.eval(opt, env)
                if present is None:
                    return self.eval(orelse, env)
                return self.eval(then, {**env, var: present})
            case core.SomeE(value=value):
                return self.eval(value, env)
            case core.NoneE():
                return None
            case core.MkWindow(start=start, end=end):
                lo, hi = self.eval(start, env), self.eval(end, env)
                return None if lo is None or hi is None else (lo, hi)
            case core.ListE(items=items):
                return tuple(self.eval(i, env) for i in items)
            case core.RecordE(fields=fields):
                return tuple(self.eval(f, env) for f in fields)
            case core.Size(target=target):
                return len(_tuple(self.eval(target, env), expr.span))
            case core.Agg():
                return self._agg(expr, env)
            case core.Quant():
                return self._quant(expr, env)
            case core.Let(var=var, value=value, body=body):
                return self.eval(body, {**env, var: self.eval(value, env)})
        raise EvalError(f"internal: cannot evaluate {type(expr).__name__}", expr.span)

    def explain(self, func: str, args: Sequence[Value]) -> Explanation:
        fn = self._function(func, args)
        env = dict(zip((p.name for p in fn.params), args, strict=True))
        if isinstance(fn, core.RuleDef):
            return self._explain_rule(fn, env, tuple(args))
        return self._explain_def(fn, env, tuple(args))

    def check_invariants(self, record: str, value: Value) -> list[core.Invariant]:
        """The invariants `value` breaks, its own and those of the records inside it."""
        return [v.invariant for v in self.violations(RecordT(record), value)]

    def violations(self, ty: Type, value: Value, path: str = "") -> list[Violation]:
        """Every record inside `value` (of type `ty`) that breaks an invariant, by path."""
        out: list[Violation] = []
        if isinstance(ty, OptT):
            if value is not None:
                out.extend(self.violations(ty.inner, value, path))
        elif isinstance(ty, ListT):
            for i, item in enumerate(_tuple(value, NO_SPAN)):
                out.extend(self.violations(ty.elem, item, f"{path}[{i}]"))
        elif isinstance(ty, RecordT):
            decl = self.program.records[ty.name]
            fields = _tuple(value, decl.span)
            for (fname, fty), fval in zip(decl.fields, fields, strict=True):
                out.extend(self.violations(fty, fval, f"{path}.{fname}" if path else fname))
            out.extend(Violation(path, ty.name, inv) for inv in self.broken(ty.name, value))
        return out

    def broken(self, record: str, value: Value) -> list[core.Invariant]:
        """The invariants of `record` itself (not of nested records) that `value` breaks."""
        decl = self.program.records[record]
        return [
            inv for inv in decl.invariants if not _bool(self.eval(inv.cond, {"self": value}), inv.span)
        ]

    # ---- functions --------------------------------------------------------------

    def _function(self, func: str, args: Sequence[Value]) -> core.Function:
        fn = self.program.functions.get(func)
        if fn is None:
            raise EvalError(f"unknown function `{func}`")
        if len(args) != len(fn.params):
            raise EvalError(
                f"`{func}` takes {len(fn.params)} argument(s), {len(args)} given", fn.span
            )
        return fn

    def _clause(
        self, clause: core.Clause, env: Mapping[str, Value], trace: list[CondTrace] | None = None
    ) -> dict[str, Value] | None:
        """The scope extended with the clause's bindings when it holds, else None."""
        scope = dict(env)
        for cond in clause.conds:
            if isinstance(cond, core.Bind):
                present = self.eval(cond.opt, scope)
                if trace is not None:
                    trace.append(
                        CondTrace(
                            "bind", cond.span, True, present is not None, cond.opt.ty,
                            present, var=cond.var,
                        )
                    )  # fmt: skip
                if present is None:
                    return None
                scope[cond.var] = present
            else:
                holds = (
                    _bool(self.eval(cond.expr, scope), cond.span)
                    if trace is None
                    else self._traced_test(cond, scope, trace)
                )
                if not holds:
                    return None
        return scope

    def _unless_defeats(self, unless: core.Unless, env: Mapping[str, Value]) -> bool:
        scope = self._clause(unless.clause, env)
        if scope is None:
            return False
        return not any(self._clause(e, scope) is not None for e in unless.excepts)

    def _overridden(self, rule: core.RuleDef, args: tuple[Value, ...]) -> bool:
        return any(_bool(self.call(o, args), rule.span) for o in rule.overridden_by)

    def _rule(self, rule: core.RuleDef, env: dict[str, Value], args: tuple[Value, ...]) -> bool:
        if rule.whens and not any(self._clause(c, env) is not None for c in rule.whens):
            return False
        if any(self._unless_defeats(u, env) for u in rule.unlesses):
            return False
        return not self._overridden(rule, args)

    def _def(self, fn: core.DefDef, env: dict[str, Value]) -> Value:
        if fn.body is not None:
            return self.eval(fn.body, env)
        for case in fn.cases:
            scope = self._clause(case.clause, env)
            if scope is not None:
                return self.eval(case.value, scope)
        if fn.otherwise is None:
            raise EvalError(f"no case of `{fn.name}` holds and it has no `otherwise`", fn.span)
        return self.eval(fn.otherwise, env)

    # ---- operators ------------------------------------------------------------

    def _op(self, e: core.Op, env: Mapping[str, Value]) -> Value:
        op, args = e.op, e.args
        # The lazy ones first: their later arguments may only make sense after the earlier.
        if op == "and":
            return all(_bool(self.eval(a, env), a.span) for a in args)
        if op == "or":
            return any(_bool(self.eval(a, env), a.span) for a in args)
        if op == "implies":
            return not _bool(self.eval(args[0], env), args[0].span) or _bool(
                self.eval(args[1], env), args[1].span
            )
        return self._apply(e, [self.eval(a, env) for a in args])

    def _apply(self, e: core.Op, vals: list[Value]) -> Value:
        """An eager operator on its evaluated arguments."""
        op, sp = e.op, e.span
        if op in COMPARISONS:
            return _compare(op, vals[0], vals[1], sp)
        if op == "not":
            return not _bool(vals[0], sp)
        if op in ("starts_with", "ends_with", "contains"):
            text, part = _str(vals[0], sp), _str(vals[1], sp)
            if op == "starts_with":
                return text.startswith(part)
            return text.endswith(part) if op == "ends_with" else part in text
        if op == "text_length":
            return len(_str(vals[0], sp))
        if op == "member":
            return vals[0] in _tuple(vals[1], sp)
        if op == "in_window":
            window = vals[1]
            if window is None:
                return False
            lo, hi = _tuple(window, sp)
            return _num(lo, sp) <= _num(vals[0], sp) <= _num(hi, sp)
        nums = [_num(v, sp) for v in vals]
        return _normalize(self._arith(op, nums, sp), e.ty, sp)

    def _arith(self, op: str, xs: list[Num], span: Span) -> Num:
        match op:
            case "add":
                return xs[0] + xs[1]
            case "sub":
                return xs[0] - xs[1]
            case "mul":
                return xs[0] * xs[1]
            case "neg":
                return -xs[0]
            case "div":
                if xs[1] == 0:
                    raise EvalError("division by zero", span)
                return _exact(xs[0]) / xs[1]
            case "min":
                return min(xs)
            case "max":
                return max(xs)
            case "floor":
                return math.floor(xs[0])
            case "ceil":
                return math.ceil(xs[0])
            case "round_half_up":
                return round_half_up(_exact(xs[0]))
            case "round_half_even":
                return round_half_even(_exact(xs[0]))
            case "date_of":
                return math.floor(xs[0] / 1440) if isinstance(xs[0], Fraction) else xs[0] // 1440
            case "start_of":
                return xs[0] * 1440
        raise EvalError(f"internal: unknown operator `{op}`", span)

    # ---- lists and quantifiers ---------------------------------------------

    def _agg(self, e: core.Agg, env: Mapping[str, Value]) -> Value:
        chosen = self._selected(e, env)
        if e.op == "count":
            return sum(1 for _ in chosen)
        if e.body is None:
            raise EvalError(f"internal: `{e.op}` without a body", e.span)
        body = e.body
        if e.op == "all":
            return all(_bool(self.eval(body, scope), body.span) for scope in chosen)
        if e.op == "any":
            return any(_bool(self.eval(body, scope), body.span) for scope in chosen)
        terms = [_num(self.eval(body, scope), body.span) for scope in chosen]
        if e.op == "sum":
            return _normalize(sum(terms, start=0), e.ty, e.span)
        if e.op not in ("min", "max"):
            raise EvalError(f"internal: unknown aggregate `{e.op}`", e.span)
        if not terms:
            if e.default is None:
                raise EvalError(f"`{e.op}` over no element and no `else` value", e.span)
            return self.eval(e.default, env)
        return _normalize(min(terms) if e.op == "min" else max(terms), e.ty, e.span)

    def _selected(self, e: core.Agg, env: Mapping[str, Value]) -> list[dict[str, Value]]:
        """One scope per element of the source that passes `where`, in list order.

        Lazy over the elements would be faster for all/any, but `where` has no side
        effects and cannot fail where `body` would not also be evaluated.
        """
        scopes = []
        for item in _tuple(self.eval(e.source, env), e.source.span):
            scope = {**env, e.var: item}
            if e.where is None or _bool(self.eval(e.where, scope), e.where.span):
                scopes.append(scope)
        return scopes

    def _quant(self, e: core.Quant, env: Mapping[str, Value]) -> bool:
        domain = self._domain(e.var_ty, e.span, e.op)
        results = (_bool(self.eval(e.body, {**env, e.var: v}), e.body.span) for v in domain)
        return all(results) if e.op == "forall" else any(results)

    def _domain(self, ty: Type, span: Span, op: str) -> list[Value]:
        if ty == BOOL:
            return [False, True]
        if isinstance(ty, EnumT):
            return list(self.program.enums[ty.name].variants)
        if isinstance(ty, OptT):
            return [None, *self._domain(ty.inner, span, op)]
        raise EvalError(
            f"cannot evaluate `{op}` over every `{ty}` on concrete values",
            span,
        )

    # ---- explanations ------------------------------------------------------------

    def _traced_test(self, cond: core.Test, scope: Mapping[str, Value], trace: list[CondTrace]) -> bool:
        expr = cond.expr
        operands: tuple[Operand, ...] = ()
        op: str | None = None
        if isinstance(expr, core.Op) and expr.op in COMPARISONS and len(expr.args) == 2:
            # Evaluate the sides once and compare them, so the trace shows what was compared.
            left, right = (self.eval(a, scope) for a in expr.args)
            holds = _bool(self._apply(expr, [left, right]), cond.span)
            op = expr.op
            operands = tuple(
                Operand(a.ty, v, a.span) for a, v in zip(expr.args, (left, right), strict=True)
            )
        else:
            holds = _bool(self.eval(expr, scope), cond.span)
        trace.append(
            CondTrace(
                "test", cond.span, True, holds, expr.ty, holds,
                op=op, operands=operands, callee=self._callee(expr, scope),
            )
        )  # fmt: skip
        return holds

    def _callee(self, expr: core.CExpr, scope: Mapping[str, Value]) -> Explanation | None:
        if isinstance(expr, core.Op) and expr.op == "not" and len(expr.args) == 1:
            expr = expr.args[0]
        if isinstance(expr, core.Call) and isinstance(
            self.program.functions.get(expr.func), core.RuleDef
        ):
            return self.explain(expr.func, [self.eval(a, scope) for a in expr.args])
        return None

    def _trace_clause(
        self, clause: core.Clause, env: Mapping[str, Value], kind: str, index: int
    ) -> tuple[dict[str, Value] | None, ClauseTrace]:
        conds: list[CondTrace] = []
        scope = self._clause(clause, env, conds)
        skipped = [_not_evaluated(c) for c in clause.conds[len(conds) :]]
        trace = ClauseTrace(
            kind, index, clause.span, clause.cites, scope is not None, (*conds, *skipped)
        )
        return scope, trace

    def _explain_rule(
        self, rule: core.RuleDef, env: dict[str, Value], args: tuple[Value, ...]
    ) -> RuleExplanation:
        whens: list[ClauseTrace] = []
        decided: Decision | None = None
        fired: ClauseTrace | None = None
        for i, clause in enumerate(rule.whens, 1):
            if fired is not None:
                whens.append(_skipped_clause(clause, "when", i))
                continue
            scope, trace = self._trace_clause(clause, env, "when", i)
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
            trace = self._trace_unless(unless, env, i)
            unlesses.append(trace)
            if trace.held and not any(e.held for e in trace.excepts):
                decided = Decision("unless", f"`unless` #{i} held", clause=trace)

        overrides: list[OverrideTrace] = []
        for other in rule.overridden_by:
            if decided is not None:
                overrides.append(OverrideTrace(other, None))
                continue
            held = _bool(self.call(other, args), rule.span)
            overrides.append(OverrideTrace(other, held))
            if held:
                decided = Decision("override", f"`{other}` holds and overrides it", rule=other)

        if decided is None:
            decided = (
                Decision("when", f"`when` #{fired.index} held", clause=fired)
                if fired is not None
                else Decision("default", "it has no `when` clause and no `unless` applied")
            )
        outcome = decided.kind in ("when", "default")
        return RuleExplanation(
            rule.name, rule.params, args, outcome, decided, tuple(whens), tuple(unlesses),
            tuple(overrides), rule.cites, rule.span,
        )  # fmt: skip

    def _trace_unless(self, unless: core.Unless, env: Mapping[str, Value], i: int) -> ClauseTrace:
        scope, trace = self._trace_clause(unless.clause, env, "unless", i)
        excepts: list[ClauseTrace] = []
        cancelled = False
        for j, exc in enumerate(unless.excepts, 1):
            if scope is None or cancelled:
                excepts.append(_skipped_clause(exc, "except", j))
                continue
            exc_scope, exc_trace = self._trace_clause(exc, scope, "except", j)
            excepts.append(exc_trace)
            cancelled = exc_scope is not None
        return ClauseTrace(
            trace.kind, trace.index, trace.span, trace.cites, trace.held, trace.conds,
            tuple(excepts),
        )  # fmt: skip

    def _explain_def(
        self, fn: core.DefDef, env: dict[str, Value], args: tuple[Value, ...]
    ) -> DefExplanation:
        cases: list[ClauseTrace] = []
        decided: Decision | None = None
        value: Value = None
        if fn.body is not None:
            value = self.eval(fn.body, env)
            decided = Decision("body", "its definition")
        for i, case in enumerate(fn.cases, 1):
            if decided is not None:
                cases.append(_skipped_clause(case.clause, "case", i))
                continue
            scope, trace = self._trace_clause(case.clause, env, "case", i)
            cases.append(trace)
            if scope is not None:
                value = self.eval(case.value, scope)
                decided = Decision("case", f"case #{i} held", clause=trace)
        if decided is None:
            value = self._def(fn, env)  # raises when there is no `otherwise`
            decided = Decision("otherwise", "no case held: `otherwise`")
        return DefExplanation(
            fn.name, fn.params, args, fn.ret, value, decided, tuple(cases), fn.cites,
            fn.otherwise_cites, fn.span,
        )  # fmt: skip


def _not_evaluated(cond: core.Cond) -> CondTrace:
    if isinstance(cond, core.Bind):
        return CondTrace("bind", cond.span, False, None, cond.opt.ty, var=cond.var)
    return CondTrace("test", cond.span, False, None, cond.expr.ty)


def _skipped_clause(
    clause: core.Clause, kind: str, index: int, excepts: tuple[core.Clause, ...] = ()
) -> ClauseTrace:
    return ClauseTrace(
        kind, index, clause.span, clause.cites, None,
        tuple(_not_evaluated(c) for c in clause.conds),
        tuple(_skipped_clause(e, "except", j) for j, e in enumerate(excepts, 1)),
    )  # fmt: skip
