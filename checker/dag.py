"""Z3 terms as a DAG of Python data: one walk over them with Z3's low-level API.

The optimiser reads a checkout's terms twice: to rewrite choices as 0/1
integers (`checker/linearize.py`) and to compile them to Python
(`checker/plan_eval.py`). Both need the same facts about every node (its
operator, its children, the value of a number), and a walk costs a few Z3 calls
per node and edge: made once here, read by both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import z3

from . import capi


def key(t: z3.ExprRef) -> int:
    """A node's key in a snapshot: its address. Z3 shares equal terms, and every node
    under the roots lives as long as they do, so the address names the node; reading
    it costs no call (a Z3 id costs one per edge of the walk)."""
    address = t.as_ast().value
    assert isinstance(address, int)
    return address


@dataclass(frozen=True)
class Dag:
    """Every node reachable from `roots`, by `key` (its address: `capi.as_ast` makes it
    an argument for Z3's functions again). The nodes stay valid as long as `terms`
    (the roots) are alive, which this keeps."""

    ctx: z3.Context
    terms: tuple[z3.ExprRef, ...]
    roots: tuple[int, ...]
    order: tuple[int, ...]  # children before parents
    ops: dict[int, int]  # the declaration kind of each application (numbers included)
    kids: dict[int, tuple[int, ...]]  # the arguments of each application with any
    numbers: dict[int, tuple[Fraction, bool]]  # each number's value, and whether it is an Int
    opaque: frozenset[int]  # quantifiers and bound variables (plans make none)


def snapshot(terms: Sequence[z3.ExprRef]) -> Dag:
    ctx = terms[0].ctx if terms else z3.main_ctx()
    ref = ctx.ref().value
    ast_kind, decl_kind, num_args, app_arg = capi.ast_kind, capi.decl_kind_of_app, capi.num_args, capi.app_arg
    ops: dict[int, int] = {}
    kids: dict[int, tuple[int, ...]] = {}
    numbers: dict[int, tuple[Fraction, bool]] = {}
    opaque: set[int] = set()
    order: list[int] = []
    done: set[int] = set()
    # Post-order without recursion (terms can be deep): an entry is expanded once
    # (its children pushed after it), then emitted when popped again.
    stack: list[tuple[int, bool]] = [(key(t), False) for t in reversed(terms)]
    while stack:
        here, expanded = stack.pop()
        if here in done:
            continue
        if expanded:
            done.add(here)
            order.append(here)
            continue
        kind = ast_kind(ref, here)
        if kind == z3.Z3_NUMERAL_AST:
            numbers[here] = (
                Fraction(capi.numeral_string(ref, here)),
                capi.sort_kind_of(ref, here) == z3.Z3_INT_SORT,
            )
        if kind not in (z3.Z3_APP_AST, z3.Z3_NUMERAL_AST):
            opaque.add(here)
            done.add(here)
            order.append(here)
            continue
        ops[here] = decl_kind(ref, here)
        n = num_args(ref, here)
        if n == 0:
            done.add(here)
            order.append(here)
            continue
        children = tuple([app_arg(ref, here, j) for j in range(n)])
        kids[here] = children
        stack.append((here, True))
        stack.extend((c, False) for c in reversed(children) if c not in done)
    return Dag(
        ctx,
        tuple(terms),
        tuple(key(t) for t in terms),
        tuple(order),
        ops,
        kids,
        numbers,
        frozenset(opaque),
    )
