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

Filters are decided in Python where they can be. The inputs are also kept as
runtime values ("views"), with a `Free` marker in each chosen field; a list
element whose filter (`c.store == some(s.store) and c.kind == k and c.used`)
starts with conditions that read no chosen field is tested by the interpreter
on those conditions first, and when one is false the element is dropped
without compiling anything. Most of a checkout's filters pair a coupon with a
store it does not belong to, so this is most of the compilation saved. In the
same way a scalar expression that reads no chosen field and whose variables
all have views (`c.kind == CouponKind.coins`, `store_eligible(s)`) is run by
the interpreter and becomes a constant. Any doubt (a variable without a view,
an error, a marker touched) falls back to compiling, which is always sound;
the interpreter and the compiler agree (the differential tests), so the terms
mean the same either way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

import z3

from smallprint.grammar.span import Span
from smallprint.model import core
from smallprint.model.core import Value
from smallprint.model.interp import Interpreter
from smallprint.model.types import EnumT, ListT, OptT, Prim, RecordT, Type

from .compile import Compiler
from .compiled import Acc, Scope
from .symenv import Sym, SymList, SymOpt, SymRecord, SymScalar
from .terms import TRUE, Side, implies


class ChosenFieldRead(Exception):
    """The interpreter reached a chosen field."""


class Free:
    """A chosen field in a view: any use raises, so nothing is computed from it.

    One marker per chosen field, so that Python's identity shortcut in tuple
    equality (`x is y` implies equal) only ever equates a field with itself."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index

    def _touch(self, *_: object) -> bool:
        raise ChosenFieldRead

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = _touch

    def __hash__(self) -> int:
        raise ChosenFieldRead

    def __repr__(self) -> str:
        return f"Free({self.index})"


def free_names(e: core.CExpr) -> frozenset[str]:
    """The variables `e` reads from its scope (those its own binders bind excluded)."""
    used: set[str] = set()
    bound: set[str] = set()

    def walk(x: object) -> None:
        if isinstance(x, core.Var):
            used.add(x.name)
        if isinstance(x, core.Agg | core.Quant | core.Let | core.IfSome):
            bound.add(x.var)
        if isinstance(x, core.CExpr):
            for f in dataclasses.fields(x):
                walk(getattr(x, f.name))
        elif isinstance(x, tuple):
            for y in x:
                walk(y)

    walk(e)
    return frozenset(used - bound)


class PartialCompiler(Compiler):
    def __init__(self, program: core.Program) -> None:
        super().__init__(program)
        # Keyed by the arguments' identities; the arguments are kept alive in the
        # entry so that an identity is never reused for another value.
        self._calls: dict[tuple[object, ...], tuple[Sym, tuple[Side, ...], Sequence[Sym]]] = {}
        self._ground: dict[int, bool] = {}
        # id(sym) -> (sym, its runtime view); the sym is kept so that its id stays its own
        self._views: dict[int, tuple[Sym, Value]] = {}
        self._chosen: frozenset[tuple[str, int]] = frozenset()
        self._reads_chosen: dict[int, tuple[object, bool]] = {}
        self._tests: dict[int, tuple[core.CExpr, list[tuple[core.CExpr, tuple[str, ...]]]]] = {}
        self._same: dict[core.CExpr, core.CExpr] = {}
        self._decided: dict[tuple[int, ...], Value] = {}
        self._interp = Interpreter(program)
        self._free_names: dict[int, tuple[core.CExpr, frozenset[str]]] = {}

    def view(self, sym: Sym, value: Value, ty: Type, chosen: frozenset[tuple[str, int]]) -> None:
        """Record `value` (chosen fields as `Free` markers) as the runtime view of the input
        `sym`; `chosen` are the (record, field index) pairs of the chosen fields."""
        self._chosen = chosen
        self._reads_chosen.clear()
        self._tests.clear()
        self._view(sym, value, ty)

    def _view(self, sym: Sym, value: Value, ty: Type) -> None:
        self._views[id(sym)] = (sym, value)
        if isinstance(sym, SymRecord) and isinstance(value, tuple) and isinstance(ty, RecordT):
            for fs, fv, (_, fty) in zip(sym.fields, value, self.program.records[ty.name].fields, strict=True):
                self._view(fs, fv, fty)
        elif isinstance(sym, SymList) and isinstance(value, tuple) and isinstance(ty, ListT):
            for ss, sv in zip(sym.slots, value, strict=False):
                self._view(ss, sv, ty.elem)
        elif isinstance(sym, SymOpt) and value is not None and isinstance(ty, OptT):
            self._view(sym.value, value, ty.inner)

    def _reads(self, x: object) -> bool:
        """`x` (an expression, or a function through its body) may read a chosen field."""
        hit = self._reads_chosen.get(id(x))
        if hit is not None and hit[0] is x:
            return hit[1]
        self._reads_chosen[id(x)] = (x, False)  # there is no recursion: a revisit adds nothing
        found = False
        if isinstance(x, core.Field) and isinstance(x.target.ty, RecordT):
            found = (x.target.ty.name, x.index) in self._chosen
        if not found and isinstance(x, core.Call):
            found = self._reads(self.program.functions[x.func])
        if not found and dataclasses.is_dataclass(x) and not isinstance(x, type):
            found = any(self._reads(getattr(x, f.name)) for f in dataclasses.fields(x))
        elif not found and isinstance(x, tuple):
            found = any(self._reads(y) for y in x)
        self._reads_chosen[id(x)] = (x, found)
        return found

    def _leading_tests(self, where: core.CExpr) -> list[tuple[core.CExpr, tuple[str, ...]]]:
        """The conjuncts `where` starts with that read no chosen field, with their variables.
        Equal tests (the same `c.store == some(s.store)` in several functions) are one
        object, so that their answers are remembered across functions."""
        hit = self._tests.get(id(where))
        if hit is not None and hit[0] is where:
            return hit[1]
        parts = where.args if isinstance(where, core.Op) and where.op == "and" else (where,)
        tests: list[tuple[core.CExpr, tuple[str, ...]]] = []
        for part in parts:
            if self._reads(part):
                break
            tests.append((self._same.setdefault(part, part), tuple(sorted(free_names(part)))))
        self._tests[id(where)] = (where, tests)
        return tests

    def filtered_out(self, where: core.CExpr, scope: Scope) -> bool:
        if not self._views:
            return False
        for test, names in self._leading_tests(where):
            env = self._env(names, scope)
            if env is None:
                return False
            # Views stay alive in `_views`, so their identities name their values.
            key = (id(test), *(id(env[n]) for n in names))
            if key in self._decided:
                value = self._decided[key]
            else:
                try:
                    value = self._interp.eval(test, env)
                except Exception:  # an error or a touched marker: the compiled filter decides
                    value = None
                self._decided[key] = value
            if value is None:
                return False
            if value is False:
                return True
        return False

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
        if self._views and isinstance(e.ty, Prim | EnumT):
            if isinstance(e, core.Lit):
                sym = super().expr(e, scope, path, acc)
                self._views[id(sym)] = (sym, e.value)
                return sym
            if not isinstance(e, core.Var) and not self._reads(e):
                known = self._interpreted(e, scope)
                if known is not None:
                    return known
        sym = super().expr(e, scope, path, acc)
        if isinstance(sym, SymScalar) and isinstance(e, core.Op | core.Agg) and self.ground(sym.term):
            return SymScalar(z3.simplify(sym.term))
        return sym

    def _interpreted(self, e: core.CExpr, scope: Scope) -> Sym | None:
        """A scalar `e` that reads no chosen field, run by the interpreter on the views
        of its variables and made a constant; None when a variable has no view."""
        env = self._env(self._names(e), scope)
        if env is None:
            return None
        try:
            value = self._interp.eval(e, env)
        except Exception:  # an error the compiled term must keep as a side condition
            return None
        sym = SymScalar(self.types.scalar(value, e.ty))
        self._views[id(sym)] = (sym, value)
        return sym

    def _names(self, e: core.CExpr) -> frozenset[str]:
        hit = self._free_names.get(id(e))
        if hit is not None and hit[0] is e:
            return hit[1]
        names = free_names(e)
        self._free_names[id(e)] = (e, names)
        return names

    def _env(self, names: Iterable[str], scope: Scope) -> dict[str, Value] | None:
        env: dict[str, Value] = {}
        for name in names:
            sym = scope.get(name)
            seen = self._views.get(id(sym)) if sym is not None else None
            if seen is None:
                return None
            env[name] = seen[1]
        return env

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
