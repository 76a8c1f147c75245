"""Choices as 0/1 integers, for the solver's linear arithmetic.

A discount or a count over chosen Booleans compiles to a sum of
`if c then n1 else n2`: one case split per choice for the solver, invisible to
its linear relaxation. Written `n2 + (n1 - n2) * b`, with `b` an integer that is
1 exactly when `c` holds, the same sum is one linear expression the relaxation
bounds, and proofs of optimality take about half the conflicts. The rewrite
applies where neither branch depends on a choice (then, with the inputs known,
both are numbers); it never changes a term's value, only its shape.

The walk over the terms uses Z3's low-level API (a few calls a node, each node
once): the terms of a 40-coupon checkout have tens of thousands of nodes, and
the object-level `children()` walk cost as much as the proof it speeds up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction

import z3
import z3.z3core as api
from z3.z3 import _to_expr_ref

from .terms import Subst, as_arith, as_bool


def twin(choice: z3.ExprRef) -> z3.ArithRef:
    """The 0/1 integer that stands for the chosen Bool `choice` in linearized terms."""
    return z3.Int(f"{choice.decl().name()}!01")


def links(choice: z3.ExprRef, k: z3.ArithRef) -> list[z3.BoolRef]:
    """`k` is 0 or 1, and 1 exactly when `choice` holds. Made by the low-level API:
    a checkout has one twin per coupon, and the operators' coercions cost more
    than the terms."""
    ctx = k.ctx
    ref = ctx.ref()
    sort = api.Z3_get_sort(ref, k.as_ast())
    # Each result is held by a Python reference at once (Z3 may free an unreferenced
    # one at its next call); the results' classes are known, so no lookup is made.
    zero = z3.ExprRef(api.Z3_mk_int(ref, 0, sort), ctx)
    one = z3.ExprRef(api.Z3_mk_int(ref, 1, sort), ctx)
    is_one = z3.BoolRef(api.Z3_mk_eq(ref, k.as_ast(), one.as_ast()), ctx)
    return [
        z3.BoolRef(api.Z3_mk_ge(ref, k.as_ast(), zero.as_ast()), ctx),
        z3.BoolRef(api.Z3_mk_le(ref, k.as_ast(), one.as_ast()), ctx),
        z3.BoolRef(api.Z3_mk_eq(ref, choice.as_ast(), is_one.as_ast()), ctx),
    ]


def linearize_roots(
    roots: Sequence[z3.ExprRef], chosen: Mapping[int, z3.ExprRef]
) -> tuple[list[z3.ExprRef], dict[int, z3.ArithRef]]:
    """`roots` with every numeric `if c then n1 else n2` (or `if not c ...`) whose
    condition is a chosen Bool (`chosen`: by term id) and whose branches read no
    chosen Bool rewritten as `n2 + (n1 - n2) * twin(c)`; and the twins used, by the
    id of their Bool."""
    if not roots or not chosen:
        return list(roots), {}
    ctx = roots[0].ctx
    ref = ctx.ref()
    # Whether each node reads a chosen Bool, filled in post-order.
    reads: dict[int, bool] = dict.fromkeys(chosen, True)
    negated = _negations(ctx, chosen)
    twins: dict[int, z3.ArithRef] = {}
    pairs: list[tuple[z3.ExprRef, z3.ExprRef]] = []
    stack: list[tuple[object, int, list[int] | None]] = [(r.as_ast(), r.get_id(), None) for r in roots]
    while stack:
        node, key, kids = stack.pop()
        if key in reads:
            continue
        if kids is None:
            # A rewrite is right whatever the branches hold, so a quantifier (which
            # plans do not produce) is safely taken as reading nothing.
            n = api.Z3_get_app_num_args(ref, node) if api.Z3_get_ast_kind(ref, node) == z3.Z3_APP_AST else 0
            if n == 0:
                reads[key] = False
                continue
            children = [api.Z3_get_app_arg(ref, node, j) for j in range(n)]
            ids = [api.Z3_get_ast_id(ref, c) for c in children]
            stack.append((node, key, ids))
            stack.extend((c, i, None) for c, i in zip(children, ids, strict=True) if i not in reads)
            continue
        reads[key] = any(reads[i] for i in kids)
        var = kids[0] if len(kids) == 3 else None
        positive = var in chosen
        if var is None or not (positive or var in negated) or reads[kids[1]] or reads[kids[2]]:
            continue
        sort = api.Z3_get_sort(ref, node)
        if api.Z3_get_decl_kind(ref, api.Z3_get_app_decl(ref, node)) != z3.Z3_OP_ITE or api.Z3_get_sort_kind(
            ref, sort
        ) not in (z3.Z3_INT_SORT, z3.Z3_REAL_SORT):
            continue
        bool_id = var if positive else negated[var][0]
        k = twins.get(bool_id)
        if k is None:
            k = twins[bool_id] = twin(chosen[bool_id])
        then, other = api.Z3_get_app_arg(ref, node, 1), api.Z3_get_app_arg(ref, node, 2)
        if not positive:
            then, other = other, then
        times: z3.ExprRef = z3.ToReal(k) if api.Z3_get_sort_kind(ref, sort) == z3.Z3_REAL_SORT else k
        pairs.append((_held(ctx, node), _affine(ctx, sort, then, other, times)))
    if not pairs:
        return list(roots), {}
    return Subst(pairs).many(roots), twins


def _negations(ctx: z3.Context, chosen: Mapping[int, z3.ExprRef]) -> dict[int, tuple[int, z3.ExprRef]]:
    """`not c` for each chosen Bool `c`, by its id: (the id of `c`, the term, kept alive
    so that its id stays its own)."""
    out: dict[int, tuple[int, z3.ExprRef]] = {}
    for i, v in chosen.items():
        negation = z3.Not(as_bool(v), ctx)
        out[negation.get_id()] = (i, negation)
    return out


def _affine(ctx: z3.Context, sort: object, then: object, other: object, times: z3.ExprRef) -> z3.ExprRef:
    """`other + (then - other) * times` (`then`, `other` low-level terms), folded when
    both are numbers. Every term made is held by a Python reference at once: Z3 may
    free an unreferenced result at its next call."""
    ref = ctx.ref()
    numeral = z3.Z3_NUMERAL_AST
    if api.Z3_get_ast_kind(ref, then) != numeral or api.Z3_get_ast_kind(ref, other) != numeral:
        t, o = as_arith(_held(ctx, then)), as_arith(_held(ctx, other))
        return as_arith(o + (t - o) * times)
    base = Fraction(api.Z3_get_numeral_string(ref, other))
    step = Fraction(api.Z3_get_numeral_string(ref, then)) - base
    if step != 1:
        text = str(step.numerator) if step.denominator == 1 else f"{step.numerator}/{step.denominator}"
        factor = _held(ctx, api.Z3_mk_numeral(ref, text, sort))
        times = _app(ctx, api.Z3_mk_mul, factor.as_ast(), times.as_ast())
    return times if base == 0 else _app(ctx, api.Z3_mk_add, other, times.as_ast())


def _held(ctx: z3.Context, ast: object) -> z3.ExprRef:
    return _to_expr_ref(ast, ctx)


def _app(ctx: z3.Context, make: Callable[[object, int, object], object], *args: object) -> z3.ExprRef:
    return _held(ctx, make(ctx.ref(), len(args), (z3.Ast * len(args))(*args)))
