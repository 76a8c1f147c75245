"""The reference semantics: concrete evaluation of a checked `core.Program`.

This interpreter is the meaning of a policy. The Z3 compiler must agree with
it, and every model the solver returns is replayed here before it is shown.
It is written to be read: one small method per kind of node, found by the node's
class (a dict lookup, the one concession to speed).

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
  (the `except`s see the rule's parameters, not the bindings of their
  `unless`, as the checker scopes them), then the rules that override it,
  called on the same arguments.
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

`explain` evaluates the same way and records what it read (model/tracing.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from smallprint.grammar.span import NO_SPAN, Diagnostic, Span
from smallprint.model import core
from smallprint.model.core import Value
from smallprint.model.explain import Explanation
from smallprint.model.types import (
    BOOL,
    MINUTES_PER_DAY,
    PERCENT,
    EnumT,
    Exact,
    ListT,
    OptT,
    RecordT,
    Type,
)

Num = int | Fraction

COMPARISONS = frozenset({"eq", "ne", "lt", "le", "gt", "ge"})
# Binary conditions whose two sides an explanation shows (`today in w`: the day and the window).
RELATIONS = COMPARISONS | {"member", "in_window"}


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


def as_bool(v: Value, span: Span) -> bool:
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


def compare(op: str, a: Value, b: Value, span: Span = NO_SPAN) -> bool:
    """`a op b` for a comparison operator of the core (`eq`, `lt`, ...)."""
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
        # Bound methods, so that a subclass's override (`_quant` in replays) is the one used.
        self._steps: dict[type, Callable[..., Value]] = {
            core.Lit: self._lit,
            core.Var: self._var,
            core.ConstRef: self._const_ref,
            core.Field: self._field,
            core.Call: self._call,
            core.Op: self._op,
            core.If: self._if,
            core.IfSome: self._if_some,
            core.SomeE: self._some,
            core.NoneE: self._none,
            core.MkWindow: self._window,
            core.ListE: self._list,
            core.RecordE: self._record,
            core.Size: self._size,
            core.Agg: self._agg,
            core.Quant: self._quant,
            core.Let: self._let,
        }

    # ---- entry points ---------------------------------------------------------

    def call(self, func: str, args: Sequence[Value]) -> Value:
        fn = self.function(func, args)
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
        try:  # the hottest line of the interpreter: one subscript, no test
            step = self._steps[type(expr)]
        except KeyError:
            raise EvalError(f"internal: cannot evaluate {type(expr).__name__}", expr.span) from None
        return step(expr, env)

    # One method per kind of node, found by the node's class (a dict lookup, not a
    # chain of pattern tests: evaluation is the hot loop of tests, replays and
    # exhaustive search).
    def _lit(self, e: core.Lit, env: Mapping[str, Value]) -> Value:
        return _normalize(e.value, e.ty, e.span)

    def _var(self, e: core.Var, env: Mapping[str, Value]) -> Value:
        try:
            return env[e.name]
        except KeyError:
            raise EvalError(f"internal: `{e.name}` is not bound", e.span) from None

    def _const_ref(self, e: core.ConstRef, env: Mapping[str, Value]) -> Value:
        return self.const(e.name)

    def _field(self, e: core.Field, env: Mapping[str, Value]) -> Value:
        target = e.target
        # `c.kind` on a bound name is the commonest node of all: read the name here
        # rather than through `eval` (the same lookup as `_var`).
        record = self._var(target, env) if type(target) is core.Var else self.eval(target, env)
        return _tuple(record, e.span)[e.index]

    def _call(self, e: core.Call, env: Mapping[str, Value]) -> Value:
        return self.call(e.func, [self.eval(a, env) for a in e.args])

    def _if(self, e: core.If, env: Mapping[str, Value]) -> Value:
        branch = e.then if as_bool(self.eval(e.cond, env), e.cond.span) else e.orelse
        return self.eval(branch, env)

    def _if_some(self, e: core.IfSome, env: Mapping[str, Value]) -> Value:
        present = self.eval(e.opt, env)
        if present is None:
            return self.eval(e.orelse, env)
        return self.eval(e.then, {**env, e.var: present})

    def _some(self, e: core.SomeE, env: Mapping[str, Value]) -> Value:
        return self.eval(e.value, env)

    def _none(self, e: core.NoneE, env: Mapping[str, Value]) -> Value:
        return None

    def _window(self, e: core.MkWindow, env: Mapping[str, Value]) -> Value:
        lo, hi = self.eval(e.start, env), self.eval(e.end, env)
        return None if lo is None or hi is None else (lo, hi)

    def _list(self, e: core.ListE, env: Mapping[str, Value]) -> Value:
        return tuple(self.eval(i, env) for i in e.items)

    def _record(self, e: core.RecordE, env: Mapping[str, Value]) -> Value:
        return tuple(self.eval(f, env) for f in e.fields)

    def _size(self, e: core.Size, env: Mapping[str, Value]) -> Value:
        return len(_tuple(self.eval(e.target, env), e.span))

    def _let(self, e: core.Let, env: Mapping[str, Value]) -> Value:
        return self.eval(e.body, {**env, e.var: self.eval(e.value, env)})

    def explain(self, func: str, args: Sequence[Value]) -> Explanation:
        """What decided `func(args)`: see model/explain.py."""
        # Imported here: the tracer is built on this class (model/tracing.py).
        from smallprint.model.tracing import explain_call

        return explain_call(self, self.function(func, args), tuple(args))

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
        return [inv for inv in decl.invariants if not as_bool(self.eval(inv.cond, {"self": value}), inv.span)]

    # ---- functions --------------------------------------------------------------

    def function(self, func: str, args: Sequence[Value]) -> core.Function:
        fn = self.program.functions.get(func)
        if fn is None:
            raise EvalError(f"unknown function `{func}`")
        if len(args) != len(fn.params):
            raise EvalError(f"`{func}` takes {len(fn.params)} argument(s), {len(args)} given", fn.span)
        return fn

    def clause(self, clause: core.Clause, env: Mapping[str, Value]) -> dict[str, Value] | None:
        """The scope extended with the clause's bindings when it holds, else None."""
        scope = dict(env)
        for cond in clause.conds:
            if isinstance(cond, core.Bind):
                present = self.eval(cond.opt, scope)
                if present is None:
                    return None
                scope[cond.var] = present
            elif not as_bool(self.eval(cond.expr, scope), cond.span):
                return None
        return scope

    def _unless_defeats(self, unless: core.Unless, env: Mapping[str, Value]) -> bool:
        if self.clause(unless.clause, env) is None:
            return False
        return not any(self.clause(e, env) is not None for e in unless.excepts)

    def _overridden(self, rule: core.RuleDef, args: tuple[Value, ...]) -> bool:
        return any(as_bool(self.call(o, args), rule.span) for o in rule.overridden_by)

    def _rule(self, rule: core.RuleDef, env: dict[str, Value], args: tuple[Value, ...]) -> bool:
        if rule.whens and not any(self.clause(c, env) is not None for c in rule.whens):
            return False
        if any(self._unless_defeats(u, env) for u in rule.unlesses):
            return False
        return not self._overridden(rule, args)

    def _def(self, fn: core.DefDef, env: dict[str, Value]) -> Value:
        if fn.body is not None:
            return self.eval(fn.body, env)
        for case in fn.cases:
            scope = self.clause(case.clause, env)
            if scope is not None:
                return self.eval(case.value, scope)
        if fn.otherwise is None:
            raise no_case(fn)
        return self.eval(fn.otherwise, env)

    # ---- operators ------------------------------------------------------------

    def _op(self, e: core.Op, env: Mapping[str, Value]) -> Value:
        op, args = e.op, e.args
        # The lazy ones first: their later arguments may only make sense after the earlier.
        # Plain loops, not all()/any() over a generator: this is the interpreter's
        # hottest node, and the generator costs a resumption per argument.
        if op == "and":
            for a in args:  # noqa: SIM110
                if not as_bool(self.eval(a, env), a.span):
                    return False
            return True
        if op == "or":
            for a in args:  # noqa: SIM110
                if as_bool(self.eval(a, env), a.span):
                    return True
            return False
        if op == "implies":
            return not as_bool(self.eval(args[0], env), args[0].span) or as_bool(
                self.eval(args[1], env), args[1].span
            )
        if op == "eq":  # the commonest operator (`c.store == some(s.store)`): `compare` inline
            return self.eval(args[0], env) == self.eval(args[1], env)
        return self.apply(e, [self.eval(a, env) for a in args])

    def apply(self, e: core.Op, vals: list[Value]) -> Value:
        """An operator other than `and`/`or`/`implies`, on its evaluated arguments."""
        op, sp = e.op, e.span
        if op in COMPARISONS:
            return compare(op, vals[0], vals[1], sp)
        if op == "not":
            return not as_bool(vals[0], sp)
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
                return math.floor(xs[0] / MINUTES_PER_DAY)
            case "start_of":
                return xs[0] * MINUTES_PER_DAY
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
            return all(as_bool(self.eval(body, scope), body.span) for scope in chosen)
        if e.op == "any":
            return any(as_bool(self.eval(body, scope), body.span) for scope in chosen)
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

    def _selected(self, e: core.Agg, env: Mapping[str, Value]) -> Iterator[dict[str, Value]]:
        """One scope per element of the source that passes `where`, in list order.

        A generator, so that `all`/`any` stop reading at the first deciding element.
        """
        for item in _tuple(self.eval(e.source, env), e.source.span):
            scope = {**env, e.var: item}
            if e.where is None or as_bool(self.eval(e.where, scope), e.where.span):
                yield scope

    def _quant(self, e: core.Quant, env: Mapping[str, Value]) -> bool:
        domain = self._domain(e.var_ty, e.span, e.op)
        results = (as_bool(self.eval(e.body, {**env, e.var: v}), e.body.span) for v in domain)
        return all(results) if e.op == "forall" else any(results)

    def _domain(self, ty: Type, span: Span, op: str) -> list[Value]:
        if ty == BOOL:
            return [False, True]
        if isinstance(ty, EnumT):
            return list(self.program.enums[ty.name].variants)
        if isinstance(ty, OptT):
            return [None, *self._domain(ty.inner, span, op)]
        raise EvalError(
            f"cannot evaluate `{op}` over every `{ty}` on concrete values (only over `Bool` and "
            f"enums); a property over `{ty}` is for `smallprint prove`",
            span,
        )


def no_case(fn: core.DefDef) -> EvalError:
    return EvalError(f"no case of `{fn.name}` holds and it has no `otherwise`", fn.span)


class RememberingInterpreter(Interpreter):
    """The interpreter, remembering the value of each call for the arguments given.

    The language has no side effects, so this changes no result, only the time:
    a plan's definitions call one another on the same arguments many times (every
    store order's running subtotal feeds several stages), which makes a checkout
    of 40 coupons cubic without it. Records and lists are keyed by identity (they
    are immutable tuples) and kept alive by the entry, so an identity is never
    reused for another value; use one instance per search, not for a process."""

    def __init__(self, program: core.Program) -> None:
        super().__init__(program)
        self._memo: dict[tuple[object, ...], tuple[Value, Sequence[Value]]] = {}

    def call(self, func: str, args: Sequence[Value]) -> Value:
        # Scalars by value: static types keep `True` and `1` (equal keys) apart.
        key = (func, *(id(a) if isinstance(a, tuple) else a for a in args))
        hit = self._memo.get(key)
        if hit is not None:
            return hit[0]
        value = super().call(func, args)
        self._memo[key] = (value, tuple(args))
        return value
