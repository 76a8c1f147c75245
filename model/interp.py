"""The reference semantics: concrete evaluation of a checked `core.Program`.

This interpreter is the meaning of a policy. The Z3 compiler must agree with
it, and every model the solver returns is replayed here before it is shown.
It is written to be read: one small function per kind of node (`model/nodes.py`),
each turned once per program into a Python function with its children's inside
it (the one concession to speed: no dispatch per node evaluated).

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

import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from smallprint.grammar.span import NO_SPAN, Span
from smallprint.model import core
from smallprint.model.core import Value
from smallprint.model.explain import Explanation
from smallprint.model.nodes import Code, Env, compile_node
from smallprint.model.runtime import (
    COMPARISONS,
    RELATIONS,
    EvalError,
    apply_op,
    as_bool,
    as_tuple,
    compare,
    round_half_even,
    round_half_up,
)
from smallprint.model.types import BOOL, EnumT, ListT, OptT, RecordT, Type

__all__ = [
    "COMPARISONS",
    "RELATIONS",
    "EvalError",
    "Interpreter",
    "RememberingInterpreter",
    "Violation",
    "as_bool",
    "compare",
    "no_case",
    "round_half_even",
    "round_half_up",
]


# The compiled nodes (`model/nodes.py`) of each live program, shared by all its
# interpreters (a replay or a test makes a new one each time). Keyed by the node's id
# with the node held, so that an id is never taken for another node: expressions
# evaluated from outside the program, as tests do, come and go.
_Codes = dict[int, tuple[core.CExpr, Code]]
_CODES: dict[int, _Codes] = {}


def _codes_of(program: core.Program) -> _Codes:
    codes = _CODES.get(id(program))
    if codes is None:
        codes = _CODES[id(program)] = {}
        weakref.finalize(program, _CODES.pop, id(program), None)
    return codes


@dataclass(frozen=True)
class Violation:
    """A record value at `path` (`o.items[2]`) that breaks `invariant` of `record`."""

    path: str
    record: str
    invariant: core.Invariant
    value: Value = field(default=None, compare=False)  # the record value itself


class Interpreter:
    """Evaluates the functions, constants and invariants of one program."""

    def __init__(self, program: core.Program) -> None:
        self.program = program
        self._consts: dict[str, Value] = {}
        self._codes = _codes_of(program)
        # Off only while a test's `given` is built: its records are then checked as an
        # input's are, each broken invariant named by its path in the value.
        self.check_built = True

    # ---- entry points ---------------------------------------------------------

    def holds(self, func: str, args: Sequence[Value]) -> bool:
        """Whether the rule holds; a run-time error counts as not holding (as the compiled
        terms count it: the symbolic answers leave such values out)."""
        try:
            return self.call(func, args) is True
        except EvalError:
            return False

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

    def eval(self, expr: core.CExpr, env: Env) -> Value:
        known = self._codes.get(id(expr))
        if known is None or known[0] is not expr:
            known = self._codes[id(expr)] = (expr, compile_node(expr))
        return known[1](self, env)

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
            for i, item in enumerate(as_tuple(value, NO_SPAN)):
                out.extend(self.violations(ty.elem, item, f"{path}[{i}]"))
        elif isinstance(ty, RecordT):
            decl = self.program.records[ty.name]
            fields = as_tuple(value, decl.span)
            for (fname, fty), fval in zip(decl.fields, fields, strict=True):
                out.extend(self.violations(fty, fval, f"{path}.{fname}" if path else fname))
            out.extend(Violation(path, ty.name, inv, value) for inv in self.broken(ty.name, value))
        return out

    def built(self, record: str, value: Value, span: Span) -> Value:
        """A record the policy builds: `value`, unless it breaks an invariant of `record`."""
        if self.check_built:
            broken = self.broken(record, value)
            if broken:
                names = ", ".join(f"`{inv.name}`" for inv in broken)
                detail = self._why_broken(broken[0], value)
                raise EvalError(f"the `{record}` built here breaks invariant {names}{detail}", span)
        return value

    def _why_broken(self, inv: core.Invariant, value: Value) -> str:
        """`: stop = 2020-01-01, start = 2020-01-05 (2020-01-01 >= 2020-01-05 is false)`: the
        fields the false part of the invariant reads and what it compared (no source is at
        hand here to quote the part itself)."""
        from smallprint.model.explain_text import OPERATORS
        from smallprint.model.failing import failing_part
        from smallprint.model.values import show

        part = failing_part(self, inv.cond, {"self": value}, bound_read_only=True)
        fields = ", ".join(f"{b.name} = {show(self.program, b.ty, b.value)}" for b in part.bound)
        compared = ""
        c = part.cond
        if c.op is not None and len(c.operands) == 2:
            left, right = (show(self.program, o.ty, o.value) for o in c.operands)
            compared = f"{left} {OPERATORS[c.op]} {right} is false"
        said = " ".join(x for x in (fields, f"({compared})" if compared else "") if x)
        return f": {said}" if said else ""

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

    # ---- operators and quantifiers --------------------------------------------

    def apply(self, e: core.Op, vals: list[Value]) -> Value:
        """An operator other than `and`/`or`/`implies`, on its evaluated arguments."""
        return apply_op(e, vals)

    def quant(self, e: core.Quant, env: Env) -> bool:
        """`forall`/`exists` over every value of a finite type."""
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
