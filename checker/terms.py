"""Smart constructors over Z3 terms and small helpers shared by the compiler modules.

`and_`, `or_`, `not_`, `implies`, `ite`, `eq` fold literals (`and(t, true) = t`,
`not(not t) = t`, `ite(true, a, b) = a`, ...) so that compiled terms stay small
and a query that is already a literal never reaches the solver. `eq` and `ite`
lift an Int next to a Real to Real (an `Exact[U]` meets a `U`). `map_sym` applies
a term transformation (substitution, model evaluation) to a whole symbolic value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import z3
import z3.z3core as api
from z3.z3 import _to_expr_ref

from smallprint.grammar.span import Span

from .symenv import (
    EncodingError,
    Sym,
    SymList,
    SymOpt,
    SymRecord,
    SymScalar,
    SymWindow,
    conjunction,
    disjunction,
    implication,
    negation,
)

TRUE = z3.BoolVal(True)
FALSE = z3.BoolVal(False)

# ---- smart constructors ---------------------------------------------------------


# Literal tests and repeats by the address of the term: terms are hash-consed, so
# while a term is alive its address names it (reading it is ~15x cheaper than
# `get_id`, which goes through the C API; these run for every compiled node).
_TRUE_AT: int = TRUE.ast.value
_FALSE_AT: int = FALSE.ast.value


def _at(x: z3.ExprRef) -> int:
    address: int = x.ast.value
    return address


def same(a: z3.ExprRef, b: z3.ExprRef) -> bool:
    """`a.eq(b)` (the same term), by address."""
    return _at(a) == _at(b)


def is_true(x: z3.ExprRef) -> bool:
    return _at(x) == _TRUE_AT


def is_false(x: z3.ExprRef) -> bool:
    return _at(x) == _FALSE_AT


def _operands(xs: tuple[z3.BoolRef, ...], unit: int, zero: int) -> list[z3.BoolRef] | None:
    """The operands of an and (unit true, zero false) / or (unit false, zero true) without
    units or repeats; None when one of them is the absorbing literal. Nested ands are not
    flattened: path conditions are shared, and copying them would be quadratic."""
    out: dict[int, z3.BoolRef] = {}
    for x in xs:
        i = _at(x)
        if i == unit:
            continue
        if i == zero:
            return None
        out.setdefault(i, x)
    return list(out.values())


def and_(*xs: z3.BoolRef) -> z3.BoolRef:
    out = _operands(xs, _TRUE_AT, _FALSE_AT)
    if out is None:
        return FALSE
    if not out:
        return TRUE
    return out[0] if len(out) == 1 else conjunction(out)


def or_(*xs: z3.BoolRef) -> z3.BoolRef:
    out = _operands(xs, _FALSE_AT, _TRUE_AT)
    if out is None:
        return TRUE
    if not out:
        return FALSE
    return out[0] if len(out) == 1 else disjunction(out)


def not_(x: z3.BoolRef) -> z3.BoolRef:
    if is_true(x):
        return FALSE
    if is_false(x):
        return TRUE
    if z3.is_not(x):
        inner: z3.BoolRef = x.arg(0)
        return inner
    return negation(x)


def implies(a: z3.BoolRef, b: z3.BoolRef) -> z3.BoolRef:
    if is_true(a) or is_true(b):
        return b if is_true(a) else TRUE
    if is_false(a):
        return TRUE
    if is_false(b):
        return not_(a)
    return implication(a, b)


def ite(c: z3.BoolRef, a: z3.ExprRef, b: z3.ExprRef) -> z3.ExprRef:
    if is_true(c) or same(a, b):
        return a
    if is_false(c):
        return b
    if is_true(a) and is_false(b):
        return c
    if is_false(a) and is_true(b):
        return not_(c)
    a, b = same_sort(a, b)
    return z3.If(c, a, b)


def eq(a: z3.ExprRef, b: z3.ExprRef) -> z3.BoolRef:
    if same(a, b):
        return TRUE
    a, b = same_sort(a, b)
    if z3.is_bool(a):
        if is_true(b):
            return a
        if is_false(b):
            return not_(a)
    result: z3.BoolRef = a == b
    return result


def same_sort(a: z3.ExprRef, b: z3.ExprRef) -> tuple[z3.ExprRef, z3.ExprRef]:
    """Int next to Real is lifted to Real (an `Exact[U]` meets a `U`)."""
    if z3.is_arith(a) and z3.is_arith(b):
        real_a, real_b = is_real(a), is_real(b)
        if real_a != real_b:
            return (a if real_a else z3.ToReal(a)), (b if real_b else z3.ToReal(b))
    return a, b


def is_real(x: z3.ExprRef) -> bool:
    """`x.is_real()` without making a sort object (this runs for every `=`, `if` and
    argument passed)."""
    ref = x.ctx_ref()
    return bool(api.Z3_get_sort_kind(ref, api.Z3_get_sort(ref, x.as_ast())) == z3.Z3_REAL_SORT)


def num(x: Sym) -> z3.ArithRef:
    if isinstance(x, SymScalar) and z3.is_arith(x.term):
        t: z3.ArithRef = x.term
        return t
    raise EncodingError(f"expected a number, found {x}")


def boolean(x: Sym) -> z3.BoolRef:
    if isinstance(x, SymScalar) and z3.is_bool(x.term):
        t: z3.BoolRef = x.term
        return t
    raise EncodingError(f"expected a condition, found {x}")


def real(x: z3.ArithRef) -> z3.ArithRef:
    return x if is_real(x) else z3.ToReal(x)


def opt(x: Sym) -> SymOpt:
    """An optional; a plain value where `T?` is expected is a present one."""
    return x if isinstance(x, SymOpt) else SymOpt(TRUE, x)


def as_bool(x: object) -> z3.BoolRef:
    assert isinstance(x, z3.BoolRef)
    return x


def as_arith(x: object) -> z3.ArithRef:
    assert isinstance(x, z3.ArithRef)
    return x


def map_sym(s: Sym, f: Callable[[z3.ExprRef], z3.ExprRef]) -> Sym:
    """`s` with `f` applied to every Z3 term in it."""
    if isinstance(s, SymScalar):
        return SymScalar(f(s.term))
    if isinstance(s, SymOpt):
        return SymOpt(as_bool(f(s.present)), map_sym(s.value, f))
    if isinstance(s, SymWindow):
        return SymWindow(as_bool(f(s.present)), as_arith(f(s.start)), as_arith(f(s.end)))
    if isinstance(s, SymRecord):
        return SymRecord(s.name, tuple(map_sym(x, f) for x in s.fields))
    return SymList(as_arith(f(s.length)), tuple(map_sym(x, f) for x in s.slots))


@dataclass(frozen=True)
class Side:
    """A run-time error of the interpreter (division by zero): it happens when `ok` is false."""

    ok: z3.BoolRef
    span: Span
    message: str


class Subst:
    """A simultaneous substitution, prepared once and applied to many terms.

    `z3.substitute` re-checks every pair on every call; a call site applies the
    same pairs to every term of a template, so the arrays are built once here.
    """

    def __init__(self, pairs: Sequence[tuple[z3.ExprRef, z3.ExprRef]]) -> None:
        # Z3 itself rejects a pair of two sorts (Z3Exception).
        self._pairs = list(pairs)  # keeps the terms alive while the arrays point at them
        self._n = len(pairs)
        self._from = (z3.Ast * self._n)(*(a.as_ast() for a, _ in pairs))
        self._to = (z3.Ast * self._n)(*(b.as_ast() for _, b in pairs))

    def __call__(self, t: z3.ExprRef) -> z3.ExprRef:
        if not self._n:
            return t
        ctx = t.ctx
        out: z3.ExprRef = _to_expr_ref(
            z3.Z3_substitute(ctx.ref(), t.as_ast(), self._n, self._from, self._to), ctx
        )
        return out

    def boolean(self, t: z3.BoolRef) -> z3.BoolRef:
        return as_bool(self(t))

    def many(self, terms: Sequence[z3.ExprRef]) -> list[z3.ExprRef]:
        """Every term substituted in one call: bundled as the arguments of one
        application, the terms share Z3's cache of the work (they usually share most
        of their DAG; term by term is about twice as slow)."""
        if not terms or not self._n:
            return list(terms)
        return unbundle(self(bundle(terms)))


def bundle(terms: Sequence[z3.ExprRef]) -> z3.ExprRef:
    """The terms as the arguments of one uninterpreted application (`unbundle` takes
    them back out), so that one Z3 call works on all of them with one cache. Made
    by the low-level API: `z3.Function` checks and casts every argument, which on
    a checkout's hundred conditions costs milliseconds."""
    ctx = terms[0].ctx
    ref = ctx.ref()
    n = len(terms)
    args = (z3.Ast * n)(*(t.as_ast() for t in terms))
    # Each term holds its sort, so the sorts outlive the declaration made from them.
    sorts = (z3.Sort * n)(*(api.Z3_get_sort(ref, t.as_ast()) for t in terms))
    name = api.Z3_mk_string_symbol(ref, "bundle!")
    decl = z3.FuncDeclRef(api.Z3_mk_func_decl(ref, name, n, sorts, api.Z3_mk_bool_sort(ref)), ctx)
    return _to_expr_ref(api.Z3_mk_app(ref, decl.ast, n, args), ctx)


def unbundle(done: z3.ExprRef) -> list[z3.ExprRef]:
    assert z3.is_app(done) and done.decl().name() == "bundle!", "an uninterpreted application stays one"
    out: list[z3.ExprRef] = done.children()
    return out


def truth_values(done: z3.ExprRef) -> list[bool | None]:
    """The truth value of each Boolean term of a bundle (None: neither true nor false
    as it stands), read with the low-level API: no Python object per term."""
    ref, raw = done.ctx.ref(), done.as_ast()
    out: list[bool | None] = []
    for j in range(api.Z3_get_app_num_args(ref, raw)):
        value = api.Z3_get_bool_value(ref, api.Z3_get_app_arg(ref, raw, j))
        out.append(None if value == z3.Z3_L_UNDEF else value == z3.Z3_L_TRUE)
    return out


class Assignment:
    """Values for some constants, applied to terms by Z3's model evaluator: it
    substitutes and simplifies in one pass over the DAG, giving the same terms as
    `Subst` then `z3.simplify` in about a quarter of the time (the substitution
    alone rebuilds every node before the simplifier visits them again). Constants
    without a value stay as they are."""

    def __init__(self, ctx: z3.Context, declarations: Sequence[tuple[object, z3.ExprRef]]) -> None:
        """From (low-level declaration of a constant, its value): for callers that
        assign the same constants again and again and keep their declarations."""
        self.model = z3.ModelRef(api.Z3_mk_model(ctx.ref()), ctx)
        ref, raw = ctx.ref(), self.model.model
        for decl, value in declarations:
            api.Z3_add_const_interp(ref, raw, decl, value.as_ast())

    @classmethod
    def of_constants(cls, pairs: Sequence[tuple[z3.ExprRef, z3.ExprRef]]) -> Assignment:
        ctx = pairs[0][0].ctx if pairs else z3.main_ctx()
        return cls(ctx, [(api.Z3_get_app_decl(ctx.ref(), c.as_ast()), v) for c, v in pairs])

    def __call__(self, t: z3.ExprRef) -> z3.ExprRef:
        return self.model.eval(t, model_completion=False)
