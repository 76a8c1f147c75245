"""Values at run time: the checks, rounding and operators the interpreter's nodes share
(`model/interp.py`, `model/nodes.py`). See `model/interp.py` for the semantics."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from smallprint.grammar.span import NO_SPAN, Diagnostic, Span
from smallprint.model import core
from smallprint.model.core import Value
from smallprint.model.types import MINUTES_PER_DAY, PERCENT, Exact, Type

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


def as_num(v: Value, span: Span) -> Num:
    if isinstance(v, int | Fraction) and not isinstance(v, bool):
        return v
    raise EvalError(f"internal: expected a number, found {v!r}", span)


def as_bool(v: Value, span: Span) -> bool:
    if isinstance(v, bool):
        return v
    raise EvalError(f"internal: expected a Bool, found {v!r}", span)


def as_text(v: Value, span: Span) -> str:
    if isinstance(v, str):
        return v
    raise EvalError(f"internal: expected a Text, found {v!r}", span)


def as_tuple(v: Value, span: Span) -> tuple[Value, ...]:
    if isinstance(v, tuple):
        return v
    raise EvalError(f"internal: expected a record or list, found {v!r}", span)


def as_exact(v: Num) -> Fraction:
    return v if isinstance(v, Fraction) else Fraction(v)


def normalize(v: Value, ty: Type, span: Span) -> Value:
    """Fractions for `Exact` and `Percent`, ints elsewhere (see the module docstring)."""
    if isinstance(v, bool) or not isinstance(v, int | Fraction):
        return v
    if isinstance(ty, Exact) or ty == PERCENT:
        return as_exact(v)
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
    x, y = as_num(a, span), as_num(b, span)
    if op == "lt":
        return x < y
    if op == "le":
        return x <= y
    if op == "gt":
        return x > y
    return x >= y


def apply_op(e: core.Op, vals: Sequence[Value]) -> Value:
    """An operator other than `and`/`or`/`implies`, on its evaluated arguments."""
    op, sp = e.op, e.span
    if op in COMPARISONS:
        return compare(op, vals[0], vals[1], sp)
    if op == "not":
        return not as_bool(vals[0], sp)
    if op in ("starts_with", "ends_with", "contains"):
        text, part = as_text(vals[0], sp), as_text(vals[1], sp)
        if op == "starts_with":
            return text.startswith(part)
        return text.endswith(part) if op == "ends_with" else part in text
    if op == "text_length":
        return len(as_text(vals[0], sp))
    if op == "member":
        return vals[0] in as_tuple(vals[1], sp)
    if op == "in_window":
        window = vals[1]
        if window is None:
            return False
        lo, hi = as_tuple(window, sp)
        return as_num(lo, sp) <= as_num(vals[0], sp) <= as_num(hi, sp)
    nums = [as_num(v, sp) for v in vals]
    return normalize(arith(op, nums, sp), e.ty, sp)


def arith(op: str, xs: Sequence[Num], span: Span) -> Num:
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
            return as_exact(xs[0]) / xs[1]
        case "min":
            return min(xs)
        case "max":
            return max(xs)
        case "floor":
            return math.floor(xs[0])
        case "ceil":
            return math.ceil(xs[0])
        case "round_half_up":
            return round_half_up(as_exact(xs[0]))
        case "round_half_even":
            return round_half_even(as_exact(xs[0]))
        case "date_of":
            return math.floor(xs[0] / MINUTES_PER_DAY)
        case "start_of":
            return xs[0] * MINUTES_PER_DAY
    raise EvalError(f"internal: unknown operator `{op}`", span)
