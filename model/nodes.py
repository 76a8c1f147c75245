"""How each kind of node evaluates: the interpreter's steps (`model/interp.py`).

A node is turned into a Python function of the interpreter and the scope once per
program, its children's functions captured in it, so that evaluating a node does
no lookup of what kind it is: the tree-walk a replay or a test does tens of
thousands of times per run. There is one `_kind` function per class of node and
each says, in a few lines, what the node means; `model/interp.py` states the
choices the core leaves open (left-to-right `and`, rounding, errors).

The functions receive the interpreter, not capture it: they are shared by every
interpreter of the program (a replay makes a new one each time), and they call
its `call`, `const` and `quant`, so that a subclass's override is the one run.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from smallprint.grammar.span import Span
from smallprint.model import core
from smallprint.model.core import Value
from smallprint.model.runtime import (
    EvalError,
    Num,
    apply_op,
    as_bool,
    as_num,
    as_tuple,
    normalize,
)

Env = Mapping[str, Value]


class Runner(Protocol):
    """What a compiled node needs of the interpreter running it."""

    def call(self, func: str, args: Sequence[Value]) -> Value: ...

    def const(self, name: str) -> Value: ...

    def quant(self, e: core.Quant, env: Env) -> bool: ...

    def built(self, record: str, value: Value, span: Span) -> Value: ...


Code = Callable[[Runner, Env], Value]


def compile_node(e: core.CExpr) -> Code:
    """The function that evaluates `e` (and, inside it, every node under it)."""
    kind = _KINDS.get(type(e))
    if kind is None:
        return _failing(EvalError(f"internal: cannot evaluate {type(e).__name__}", e.span))
    return kind(e)


def _failing(error: EvalError) -> Code:
    """A node whose evaluation raises `error`: raised when evaluated, as the tree-walk
    would, not when compiled (the node may never be evaluated)."""

    def failing(r: Runner, env: Env) -> Value:
        raise error

    return failing


def _lit(e: core.Lit) -> Code:
    try:
        value = normalize(e.value, e.ty, e.span)
    except EvalError as exc:
        return _failing(exc)
    return lambda r, env: value


def _var(e: core.Var) -> Code:
    name, span = e.name, e.span

    def var(r: Runner, env: Env) -> Value:
        try:
            return env[name]
        except KeyError:
            raise EvalError(f"internal: `{name}` is not bound", span) from None

    return var


def _const_ref(e: core.ConstRef) -> Code:
    name = e.name
    return lambda r, env: r.const(name)


def _field(e: core.Field) -> Code:
    index, span = e.index, e.span
    if type(e.target) is core.Var:  # `c.kind`, the commonest node of all: one call, not two
        name, name_span = e.target.name, e.target.span

        def field_of_name(r: Runner, env: Env) -> Value:
            try:
                record = env[name]
            except KeyError:
                raise EvalError(f"internal: `{name}` is not bound", name_span) from None
            return (record if type(record) is tuple else as_tuple(record, span))[index]

        return field_of_name
    target = compile_node(e.target)

    def field(r: Runner, env: Env) -> Value:
        record = target(r, env)
        return (record if type(record) is tuple else as_tuple(record, span))[index]

    return field


def _call(e: core.Call) -> Code:
    func, args = e.func, [compile_node(a) for a in e.args]
    return lambda r, env: r.call(func, [a(r, env) for a in args])


def _if(e: core.If) -> Code:
    cond, then, orelse, span = compile_node(e.cond), compile_node(e.then), compile_node(e.orelse), e.cond.span

    def if_(r: Runner, env: Env) -> Value:
        return (then if as_bool(cond(r, env), span) else orelse)(r, env)

    return if_


def _if_some(e: core.IfSome) -> Code:
    opt, var, then, orelse = compile_node(e.opt), e.var, compile_node(e.then), compile_node(e.orelse)

    def if_some(r: Runner, env: Env) -> Value:
        present = opt(r, env)
        if present is None:
            return orelse(r, env)
        return then(r, {**env, var: present})

    return if_some


def _some(e: core.SomeE) -> Code:
    return compile_node(e.value)


def _none(e: core.NoneE) -> Code:
    return lambda r, env: None


def _window(e: core.MkWindow) -> Code:
    start, end = compile_node(e.start), compile_node(e.end)

    def window(r: Runner, env: Env) -> Value:
        lo, hi = start(r, env), end(r, env)
        return None if lo is None or hi is None else (lo, hi)

    return window


def _items(items: Sequence[core.CExpr]) -> Code:
    codes = [compile_node(i) for i in items]
    return lambda r, env: tuple([c(r, env) for c in codes])


def _list(e: core.ListE) -> Code:
    return _items(e.items)


def _record(e: core.RecordE) -> Code:
    # A record the policy builds obeys its invariants as an input does: building one that
    # breaks them is a run-time error (the compiled terms make it a side condition).
    record, span, codes = e.record, e.span, [compile_node(f) for f in e.fields]

    def record_(r: Runner, env: Env) -> Value:
        return r.built(record, tuple([c(r, env) for c in codes]), span)

    return record_


def _size(e: core.Size) -> Code:
    target, span = compile_node(e.target), e.span
    return lambda r, env: len(as_tuple(target(r, env), span))


def _let(e: core.Let) -> Code:
    var, value, body = e.var, compile_node(e.value), compile_node(e.body)
    return lambda r, env: body(r, {**env, var: value(r, env)})


def _quant(e: core.Quant) -> Code:
    return lambda r, env: r.quant(e, env)


# ---- operators ----------------------------------------------------------------
# `and`, `or` and `implies` read left to right and stop once the answer is known;
# `==` (the commonest, `c.store == some(s.store)`) and the ordering comparisons
# have functions of their own; every other operator goes through `apply_op`.


def _op(e: core.Op) -> Code:
    op, span = e.op, e.span
    args = [compile_node(a) for a in e.args]
    spans = [a.span for a in e.args]
    if op == "and":
        parts = list(zip(args, spans, strict=True))

        def and_(r: Runner, env: Env) -> Value:
            for a, s in parts:
                v = a(r, env)
                # `as_bool` (which raises on a non-Bool) only off the common path
                if v is not True and (v is False or not as_bool(v, s)):
                    return False
            return True

        return and_
    if op == "or":
        parts = list(zip(args, spans, strict=True))

        def or_(r: Runner, env: Env) -> Value:
            for a, s in parts:
                v = a(r, env)
                if v is not False and (v is True or as_bool(v, s)):
                    return True
            return False

        return or_
    if op == "implies":
        (left, right), (left_span, right_span) = args, spans
        return lambda r, env: not as_bool(left(r, env), left_span) or as_bool(right(r, env), right_span)
    if op == "eq":
        left, right = args
        return lambda r, env: left(r, env) == right(r, env)
    if op in _ORDER:
        return _ordered(_ORDER[op], args[0], args[1], span)

    def general(r: Runner, env: Env) -> Value:
        return apply_op(e, [a(r, env) for a in args])

    return general


_ORDER: dict[str, Callable[[Num, Num], bool]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def _ordered(test: Callable[[Num, Num], bool], left: Code, right: Code, span: Span) -> Code:
    def ordered(r: Runner, env: Env) -> Value:
        return test(as_num(left(r, env), span), as_num(right(r, env), span))

    return ordered


# ---- aggregates over lists --------------------------------------------------------
# One scope per element that passes `where`, in list order, filled in place (a node
# never keeps its scope past its own evaluation); `all`/`any` stop at the first
# deciding element, `where` and body read element by element.


def _agg(e: core.Agg) -> Code:
    var, op, ty, span = e.var, e.op, e.ty, e.span
    source, source_span = compile_node(e.source), e.source.span
    where = compile_node(e.where) if e.where is not None else None
    where_span = e.where.span if e.where is not None else span

    def elements(r: Runner, env: Env) -> tuple[dict[str, Value], tuple[Value, ...]]:
        return dict(env), as_tuple(source(r, env), source_span)

    if op == "count":

        def count(r: Runner, env: Env) -> Value:
            scope, items = elements(r, env)
            if where is None:
                return len(items)
            n = 0
            for item in items:
                scope[var] = item
                if as_bool(where(r, scope), where_span):
                    n += 1
            return n

        return count
    if e.body is None:
        return _failing(EvalError(f"internal: `{op}` without a body", span))
    body, body_span = compile_node(e.body), e.body.span
    if op in ("all", "any"):
        stop = op == "any"  # the body's value that decides

        def quantified(r: Runner, env: Env) -> Value:
            scope, items = elements(r, env)
            for item in items:
                scope[var] = item
                if (where is None or as_bool(where(r, scope), where_span)) and as_bool(
                    body(r, scope), body_span
                ) is stop:
                    return stop
            return not stop

        return quantified
    if op not in ("sum", "min", "max"):
        return _failing(EvalError(f"internal: unknown aggregate `{op}`", span))
    default = compile_node(e.default) if e.default is not None else None

    def numeric(r: Runner, env: Env) -> Value:
        scope, items = elements(r, env)
        terms = []
        for item in items:
            scope[var] = item
            if where is None or as_bool(where(r, scope), where_span):
                terms.append(as_num(body(r, scope), body_span))
        if op == "sum":
            return normalize(sum(terms, start=0), ty, span)
        if not terms:
            if default is None:
                raise EvalError(f"`{op}` over no element and no `else` value", span)
            return default(r, env)
        return normalize(min(terms) if op == "min" else max(terms), ty, span)

    return numeric


# Each takes its own class of node (hence `...`: the table pairs them)
_KINDS: dict[type, Callable[..., Code]] = {
    core.Lit: _lit,
    core.Var: _var,
    core.ConstRef: _const_ref,
    core.Field: _field,
    core.Call: _call,
    core.Op: _op,
    core.If: _if,
    core.IfSome: _if_some,
    core.SomeE: _some,
    core.NoneE: _none,
    core.MkWindow: _window,
    core.ListE: _list,
    core.RecordE: _record,
    core.Size: _size,
    core.Agg: _agg,
    core.Quant: _quant,
    core.Let: _let,
}
