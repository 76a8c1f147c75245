"""A query solved in a Z3 context of its own, so that its model depends on the query alone.

Z3's search follows the internal ids of terms, and in the shared context those
depend on everything compiled and solved before: the same property proved
alone, after the other properties, or after proofs taken from the cache, would
show a different (equally minimal) counterexample. Copied into a fresh context
(`translate`), the query's terms get ids in the order of its own structure; and
the names of its constants, which carry a counter unique in the process
(`Compiler._tag`), are renamed by order of first appearance. What is left is
a function of the query: the same property gives the same counterexample
however the run got there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import z3
import z3.z3core as api
from z3.z3 import _to_expr_ref

from .terms import Subst, as_bool

_COUNTED = re.compile(r"^(.*)\.(\d+)$")


class Isolated:
    """A solver over a copy of `assertions` in a new context, with canonical names."""

    def __init__(self, assertions: Sequence[z3.BoolRef], seed: int) -> None:
        self.main = assertions[0].ctx if assertions else z3.main_ctx()
        self.ctx = z3.Context()
        copied = [a.translate(self.ctx) for a in assertions]
        self._rename = Subst(_canonical_names(copied, self.ctx))
        self.solver = z3.Solver(ctx=self.ctx)
        self.solver.set("random_seed", seed)
        self.solver.add(*(self._rename.boolean(as_bool(a)) for a in copied))

    def term(self, t: z3.ExprRef) -> z3.ExprRef:
        """`t` (a term of the shared context) in this context, names renamed alike."""
        return self._rename(t.translate(self.ctx))

    def value(self, model: z3.ModelRef, t: z3.ExprRef) -> z3.ExprRef:
        """The value of the shared term `t` in `model` (one of this solver's), back in
        the shared context."""
        out: z3.ExprRef = model.eval(self.term(t), model_completion=True).translate(self.main)
        return out


def _canonical_names(roots: Sequence[z3.ExprRef], ctx: z3.Context) -> list[tuple[z3.ExprRef, z3.ExprRef]]:
    """A renaming of the counted constants of `roots`: the counters, by order of first
    appearance in a walk over the terms, become 0, 1, 2, ... (`@` marks them)."""
    ref = ctx.ref()
    counters: dict[str, int] = {}
    pairs: list[tuple[z3.ExprRef, z3.ExprRef]] = []
    seen: set[int] = set()
    stack = [r.as_ast() for r in reversed(roots)]
    while stack:
        node = stack.pop()
        key = api.Z3_get_ast_id(ref, node)
        if key in seen or api.Z3_get_ast_kind(ref, node) != z3.Z3_APP_AST:
            continue
        seen.add(key)
        n = api.Z3_get_app_num_args(ref, node)
        if n:
            stack.extend(api.Z3_get_app_arg(ref, node, j) for j in reversed(range(n)))
            continue
        decl = api.Z3_get_app_decl(ref, node)
        if api.Z3_get_decl_kind(ref, decl) != z3.Z3_OP_UNINTERPRETED:
            continue
        name = api.Z3_get_symbol_string(ref, api.Z3_get_decl_name(ref, decl))
        counted = _COUNTED.match(name)
        if counted is None:
            continue
        k = counters.setdefault(counted.group(2), len(counters))
        old = _to_expr_ref(node, ctx)
        pairs.append((old, z3.Const(f"{counted.group(1)}@{k}", old.sort())))
    return pairs
