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
import z3.z3core as api


def key(t: z3.ExprRef) -> int:
    """A node's key in a snapshot: its address. Z3 shares equal terms, and every node
    under the roots lives as long as they do, so the address names the node; reading
    it costs no call (a Z3 id costs one per edge of the walk)."""
    address = t.as_ast().value
    assert isinstance(address, int)
    return address


@dataclass(frozen=True)
class Dag:
    """Every node reachable from `roots`, by `key`. `asts` holds the low-level terms;
    they stay valid as long as `terms` (the roots) are alive, which this keeps."""

    ctx: z3.Context
    terms: tuple[z3.ExprRef, ...]
    roots: tuple[int, ...]
    order: tuple[int, ...]  # children before parents
    asts: dict[int, object]
    ops: dict[int, int]  # the declaration kind of each application (numbers included)
    kids: dict[int, tuple[int, ...]]  # the arguments of each application with any
    numbers: dict[int, tuple[Fraction, bool]]  # each number's value, and whether it is an Int
    opaque: frozenset[int]  # quantifiers and bound variables (plans make none)


def snapshot(terms: Sequence[z3.ExprRef]) -> Dag:
    ctx = terms[0].ctx if terms else z3.main_ctx()
    ref = ctx.ref()
    asts: dict[int, object] = {}
    ops: dict[int, int] = {}
    kids: dict[int, tuple[int, ...]] = {}
    numbers: dict[int, tuple[Fraction, bool]] = {}
    opaque: set[int] = set()
    order: list[int] = []
    done: set[int] = set()
    # Post-order without recursion (terms can be deep): an entry is expanded once
    # (its children pushed after it), then emitted when popped again.
    stack: list[tuple[object, int, bool]] = [(t.as_ast(), key(t), False) for t in reversed(terms)]
    while stack:
        node, here, expanded = stack.pop()
        if here in done:
            continue
        if expanded:
            done.add(here)
            order.append(here)
            continue
        asts[here] = node
        kind = api.Z3_get_ast_kind(ref, node)
        if kind == z3.Z3_NUMERAL_AST:
            sort_kind = api.Z3_get_sort_kind(ref, api.Z3_get_sort(ref, node))
            numbers[here] = (Fraction(api.Z3_get_numeral_string(ref, node)), sort_kind == z3.Z3_INT_SORT)
        if kind not in (z3.Z3_APP_AST, z3.Z3_NUMERAL_AST):
            opaque.add(here)
            done.add(here)
            order.append(here)
            continue
        ops[here] = api.Z3_get_decl_kind(ref, api.Z3_get_app_decl(ref, node))
        n = api.Z3_get_app_num_args(ref, node)
        if n == 0:
            done.add(here)
            order.append(here)
            continue
        children = [api.Z3_get_app_arg(ref, node, j) for j in range(n)]
        ids = tuple(c.value for c in children)
        kids[here] = ids
        stack.append((node, here, True))
        stack.extend(
            (c, i, False) for c, i in zip(reversed(children), reversed(ids), strict=True) if i not in done
        )
    return Dag(
        ctx,
        tuple(terms),
        tuple(key(t) for t in terms),
        tuple(order),
        asts,
        ops,
        kids,
        numbers,
        frozenset(opaque),
    )
