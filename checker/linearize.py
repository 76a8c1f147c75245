"""Choices as 0/1 integers, for the solver's linear arithmetic.

A discount or a count over chosen Booleans compiles to a sum of
`if c then n1 else n2`: one case split per choice for the solver, invisible to
its linear relaxation. Written `n2 + (n1 - n2) * b`, with `b` an integer that is
1 exactly when `c` holds, the same sum is one linear expression the relaxation
bounds, and proofs of optimality take about half the conflicts. The rewrite
applies where neither branch depends on a choice (then, with the inputs known,
both are numbers); it never changes a term's value, only its shape.

The terms are read from their snapshot (`checker/dag.py`, one walk with Z3's
low-level API, shared with the compilation of the terms to Python): the
object-level `children()` walk cost as much as the proof it speeds up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import z3
import z3.z3core as api
from z3.z3 import _to_expr_ref

from . import capi
from .dag import Dag, key, snapshot
from .terms import Subst, as_arith


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


class Twins:
    """Each chosen Bool's twin and links, made once: a service's checkouts choose the
    same fields (the prepared terms' constants), and making them is a fifth of a
    40-coupon linearization. By the Bool's address, the Bool held (so that the
    address stays its own)."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[z3.ExprRef, z3.ArithRef, list[z3.BoolRef]]] = {}

    def _entry(self, choice: z3.ExprRef) -> tuple[z3.ExprRef, z3.ArithRef, list[z3.BoolRef]]:
        entry = self._known.get(key(choice))
        if entry is None:
            k = twin(choice)
            entry = self._known[key(choice)] = (choice, k, links(choice, k))
        return entry

    def twin(self, choice: z3.ExprRef) -> z3.ArithRef:
        return self._entry(choice)[1]

    def links(self, choice: z3.ExprRef) -> list[z3.BoolRef]:
        return self._entry(choice)[2]


def linearize_roots(
    roots: Sequence[z3.ExprRef],
    chosen: Sequence[z3.ExprRef],
    dag: Dag | None = None,
    made: Twins | None = None,
) -> tuple[list[z3.ExprRef], dict[int, z3.ArithRef]]:
    """`roots` with every numeric `if c then n1 else n2` (or `if not c ...`) whose
    condition is one of the `chosen` Bools and whose branches read no chosen Bool
    rewritten as `n2 + (n1 - n2) * twin(c)`; and the twins used, by the `key` of
    their Bool. `dag`: the roots' snapshot, if already taken; `made`: twins made
    before, to reuse."""
    if not roots or not chosen:
        return list(roots), {}
    if dag is None:
        dag = snapshot(roots)
    made = made or Twins()
    by_key = {key(v): v for v in chosen}
    ctx = dag.ctx
    ref = ctx.ref()
    # Whether each node reads a chosen Bool, in post-order. A quantifier (which plans
    # do not produce) is taken as reading nothing: a rewrite is right whatever the
    # branches hold.
    reads: dict[int, bool] = {}
    twins: dict[int, z3.ArithRef] = {}
    pairs: list[tuple[z3.ExprRef, z3.ExprRef]] = []
    for node in dag.order:
        if node in by_key:
            reads[node] = True
            continue
        kids = dag.kids.get(node, ())
        reads[node] = any(reads[k] for k in kids)
        if len(kids) != 3 or dag.ops[node] != z3.Z3_OP_ITE or reads[kids[1]] or reads[kids[2]]:
            continue
        cond = kids[0]
        if cond in by_key:
            bool_id, then, other = cond, kids[1], kids[2]
        elif dag.ops.get(cond) == z3.Z3_OP_NOT and dag.kids[cond][0] in by_key:
            bool_id, then, other = dag.kids[cond][0], kids[2], kids[1]
        else:
            continue
        sort_kind = capi.sort_kind_of(ref.value, node)
        if sort_kind not in (z3.Z3_INT_SORT, z3.Z3_REAL_SORT):
            continue
        k = twins.get(bool_id)
        if k is None:
            k = twins[bool_id] = made.twin(by_key[bool_id])
        times: z3.ExprRef = z3.ToReal(k) if sort_kind == z3.Z3_REAL_SORT else k
        pairs.append((_held(ctx, capi.as_ast(node)), _affine(ctx, dag, then, other, times)))
    if not pairs:
        return list(roots), {}
    return Subst(pairs).many(roots), twins


def _affine(ctx: z3.Context, dag: Dag, then: int, other: int, times: z3.ExprRef) -> z3.ExprRef:
    """`other + (then - other) * times` (`then`, `other`: nodes of `dag`), folded when
    both are numbers. Every term made is held by a Python reference at once: Z3 may
    free an unreferenced result at its next call."""
    if then not in dag.numbers or other not in dag.numbers:
        t, o = as_arith(_held(ctx, capi.as_ast(then))), as_arith(_held(ctx, capi.as_ast(other)))
        return as_arith(o + (t - o) * times)
    ref = ctx.ref()
    base = dag.numbers[other][0]
    step = dag.numbers[then][0] - base
    if step != 1:
        text = str(step.numerator) if step.denominator == 1 else f"{step.numerator}/{step.denominator}"
        factor = _held(ctx, api.Z3_mk_numeral(ref, text, api.Z3_get_sort(ref, times.as_ast())))
        times = _app(ctx, api.Z3_mk_mul, factor.as_ast(), times.as_ast())
    return times if base == 0 else _app(ctx, api.Z3_mk_add, capi.as_ast(other), times.as_ast())


def _held(ctx: z3.Context, ast: object) -> z3.ExprRef:
    return _to_expr_ref(ast, ctx)


def _app(ctx: z3.Context, make: Callable[[object, int, object], object], *args: object) -> z3.ExprRef:
    return _held(ctx, make(ctx.ref(), len(args), (z3.Ast * len(args))(*args)))
