"""Compilation for queries whose inputs are mostly known: partial evaluation.

`Compiler` compiles each function once over fresh parameters and inlines it at
a call by substitution: right for proofs, where every input is symbolic. When
the inputs are concrete but for a few chosen fields (a plan: every cart line
and coupon is known, only `c.used` is free), that generic template is the
expensive part: a function over a list of 80 coupons and 20 stores is compiled
for every possible list before being specialised.

`PartialCompiler` compiles a call by compiling the callee's body on the
argument values themselves, and folds every operation whose operands are all
constants into a constant, so that conditions on known data select their
branch at compile time and only the terms that depend on the free fields
remain. A call with the same arguments (by term identity) is compiled once.
The meaning is the same as `Compiler`'s (same operator encodings, same side
conditions), so results agree with the interpreter exactly as theirs do.
"""

from __future__ import annotations

from collections.abc import Sequence

import z3

from smallprint.grammar.span import Span
from smallprint.model import core

from .compile import Acc, Compiler, Scope
from .symenv import Sym, SymScalar
from .terms import TRUE, Side, implies


class PartialCompiler(Compiler):
    def __init__(self, program: core.Program) -> None:
        super().__init__(program)
        # Keyed by the arguments' identities; the arguments are kept alive in the
        # entry so that an identity is never reused for another value.
        self._calls: dict[tuple[object, ...], tuple[Sym, tuple[Side, ...], Sequence[Sym]]] = {}
        self._ground: dict[int, bool] = {}

    def call(self, name: str, args: Sequence[Sym], path: z3.BoolRef, acc: Acc, span: Span) -> Sym:
        key = (name, *(a.term.get_id() if isinstance(a, SymScalar) else id(a) for a in args))
        cached = self._calls.get(key)
        if cached is None:
            f = self.program.functions[name]
            scope: Scope = {p.name: a for p, a in zip(f.params, args, strict=True)}
            inner = Acc(record=False)
            result: Sym
            if isinstance(f, core.RuleDef):
                result = SymScalar(self._rule(f, scope, args, TRUE, inner))
            else:
                result = self._def(f, scope, TRUE, inner)
            cached = (result, tuple(inner.sides), args)
            self._calls[key] = cached
        result, sides, _ = cached
        for s in sides:
            acc.sides.append(Side(implies(path, s.ok), s.span, s.message))
        return result

    def expr(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        sym = super().expr(e, scope, path, acc)
        if isinstance(sym, SymScalar) and isinstance(e, core.Op | core.Agg) and self.ground(sym.term):
            return SymScalar(z3.simplify(sym.term))
        return sym

    def ground(self, t: z3.ExprRef) -> bool:
        """No free constant below `t`: its value is known now."""
        key = t.get_id()
        known = self._ground.get(key)
        if known is None:
            if z3.is_const(t):
                known = t.decl().kind() != z3.Z3_OP_UNINTERPRETED
            elif z3.is_quantifier(t) or z3.is_var(t):
                known = False
            else:
                known = all(self.ground(c) for c in t.children())
            self._ground[key] = known
        return known
