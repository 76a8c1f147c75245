"""Hypothesis strategies for random valid values of any type of a checked program.

`ValueGen(program, policy).valid(ty)` draws values in the runtime encoding of
`model/types.py`: list lengths up to the bound, optionals absent or present,
enums by variant name, exact Fractions for Percent and Exact. In two draws
out of three every number of the arguments comes from a tight set of few values:
small ones and the literals the program mentions with their neighbours, instants
a literal span after a fixed day, so that relations between inputs (`today >=
s + 11 days`) are often exactly on their boundary. Otherwise numbers come from
an everyday range, from around the literals, and now and then from far away.
Texts mix the program's text literals with arbitrary characters (up to U+2FFFF,
the range Z3 strings hold).

Record invariants are enforced by filtering with the interpreter
(`Interpreter.violations`). Invariants that random values almost never meet
(`item in order.items`) would make the filter reject nearly everything, so a
value that breaks one is first repaired when a compiled policy is given: the
solver keeps as many of the drawn leaves as the invariants allow (assumptions
dropped by unsat cores) and fills in the rest. The repaired value is checked by
the interpreter again; anything still invalid is filtered out.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

import z3
from hypothesis import strategies as st

from smallprint.checker.decode import decode, model_evaluator
from smallprint.checker.symenv import Sym, SymEnv
from smallprint.checker.verify import CompiledPolicy
from smallprint.model import core
from smallprint.model.core import Value
from smallprint.model.interp import Interpreter
from smallprint.model.types import (
    BOOL,
    DATASIZE,
    DATE,
    DATETIME,
    DAYS,
    DURATION,
    INSTANTS,
    INT,
    LENGTH,
    MASS,
    MINUTES_PER_DAY,
    MONEY,
    PERCENT,
    TEXT,
    EnumT,
    Exact,
    ListT,
    OptT,
    Prim,
    RecordT,
    Type,
    WindowT,
)

DAY0 = 18262  # 2020-01-01

_EVERYDAY: dict[Prim, st.SearchStrategy[int]] = {
    INT: st.integers(-2, 12),
    MONEY: st.integers(-50, 5_000),
    DATE: st.integers(DAY0 - 5, DAY0 + 60),
    DATETIME: st.integers(DAY0 * MINUTES_PER_DAY, (DAY0 + 6) * MINUTES_PER_DAY),
    DAYS: st.integers(-3, 60),
    DURATION: st.integers(0, 6 * MINUTES_PER_DAY),
    LENGTH: st.integers(0, 3_000),
    MASS: st.integers(0, 40_000),
    DATASIZE: st.integers(0, 5_000_000),
}
_FAR = st.integers(-(10**12), 10**12)
_CHARS = st.characters(max_codepoint=0x2FFFF, exclude_categories=("Cs",))


def literals(program: core.Program) -> dict[Type, set[Value]]:
    """Every scalar literal of the program, by type (thresholds, dates, texts)."""
    exprs: list[core.CExpr] = [c.value for c in program.consts.values()]
    for f in program.functions.values():
        exprs.extend(core.function_exprs(f))
    for r in program.records.values():
        exprs.extend(inv.cond for inv in r.invariants)
    for p in program.properties.values():
        exprs.append(p.body)
    out: dict[Type, set[Value]] = defaultdict(set)
    for e in exprs:
        for x in core.walk(e):
            if isinstance(x, core.Lit) and isinstance(x.ty, Prim | Exact) and x.value is not None:
                out[x.ty.unit if isinstance(x.ty, Exact) else x.ty].add(x.value)
    for c in program.consts.values():
        if isinstance(c.value, core.Lit) and isinstance(c.ty, Prim):
            out[c.ty].add(c.value.value)
    return out


class ValueGen:
    def __init__(
        self, program: core.Program, policy: CompiledPolicy | None = None, cap: int | None = None
    ) -> None:
        self.program = program
        self.cap = cap  # lists get at most this many elements (None: up to their bound)
        self.interp = Interpreter(program)
        self.policy = policy
        self.lits = literals(program)
        self._repair: dict[Type, tuple[Sym, z3.Solver, dict[int, str]]] = {}
        self._valid: dict[tuple[Type, bool], st.SearchStrategy[Value]] = {}

    # ---- raw values (list bounds only) --------------------------------------------
    def raw(self, ty: Type, tight: bool = False) -> st.SearchStrategy[Value]:
        if isinstance(ty, OptT):
            return st.one_of(st.none(), self.raw(ty.inner, tight))
        if isinstance(ty, WindowT):
            point = self.raw(ty.elem, tight)
            return st.one_of(st.none(), st.tuples(point, point))
        if isinstance(ty, ListT):
            size = ty.bound if self.cap is None else min(ty.bound, self.cap)
            return st.lists(self.raw(ty.elem, tight), max_size=size).map(tuple)
        if isinstance(ty, RecordT):
            fields = self.program.records[ty.name].fields
            return st.tuples(*(self.raw(t, tight) for _, t in fields))
        if isinstance(ty, EnumT):
            return st.sampled_from(self.program.enums[ty.name].variants)
        if ty == BOOL:
            return st.booleans()
        if ty == TEXT:
            return self._text()
        if ty == PERCENT or isinstance(ty, Exact):
            return self._fraction(ty.unit if isinstance(ty, Exact) else ty)
        assert isinstance(ty, Prim), ty
        return self._tight(ty) if tight else self._integer(ty)

    def _near(self, ty: Prim) -> list[int]:
        """The program's literals of `ty`, each with its neighbours."""
        return sorted({v + d for v in self.lits.get(ty, ()) if isinstance(v, int) for d in (-1, 0, 1)})

    def _integer(self, ty: Prim) -> st.SearchStrategy[Value]:
        options = [_EVERYDAY.get(ty, st.integers(-5, 100))]
        if self._near(ty):
            options.append(st.sampled_from(self._near(ty)))
        options.append(_FAR)
        return st.one_of(*options)

    def _tight(self, ty: Prim) -> st.SearchStrategy[Value]:
        """Few values: small ones and the literals; instants a literal span apart."""
        if ty in INSTANTS:
            span = INSTANTS[ty]
            offsets = {0, 1, 2, 3, *self._near(span)}
            if ty == DATETIME:
                offsets |= {d * MINUTES_PER_DAY + e for d in self._near(DAYS) for e in (-1, 0, 1)}
            base = DAY0 * (MINUTES_PER_DAY if ty == DATETIME else 1)
            return st.sampled_from(sorted(base + o for o in offsets))
        return st.sampled_from(sorted({0, 1, 2, 3, *self._near(ty)}))

    def _fraction(self, ty: Prim) -> st.SearchStrategy[Value]:
        lits = sorted(v for v in self.lits.get(ty, ()) if isinstance(v, int | Fraction))
        options: list[st.SearchStrategy[Fraction]] = [
            st.fractions(min_value=-2, max_value=2, max_denominator=200),
            st.fractions(max_denominator=10**6),
        ]
        if lits:
            options.insert(0, st.sampled_from([Fraction(v) for v in lits]))
        return st.one_of(*options)

    def _text(self) -> st.SearchStrategy[Value]:
        words = sorted(v for v in self.lits.get(TEXT, ()) if isinstance(v, str))
        free = st.text(_CHARS, max_size=6)
        if not words:
            return free
        word = st.sampled_from(words)
        return st.one_of(word, free, st.tuples(word, free).map(lambda p: p[0] + p[1]))

    # ---- valid values ----------------------------------------------------------------
    def valid(self, ty: Type, tight: bool = False) -> st.SearchStrategy[Value]:
        key = (ty, tight)
        if key not in self._valid:
            self._valid[key] = (
                self.raw(ty, tight).map(lambda v: self.fix(ty, v)).filter(lambda v: v is not _INVALID)
            )
        return self._valid[key]

    def args(self, func: str) -> st.SearchStrategy[tuple[Value, ...]]:
        """Arguments of `func`: two draws in three from the tight values, one from all."""
        f = self.program.functions[func]
        tight = st.tuples(*(self.valid(p.ty, True) for p in f.params))
        loose = st.tuples(*(self.valid(p.ty, False) for p in f.params))
        return st.one_of(tight, tight, loose)

    def fix(self, ty: Type, value: Value) -> Value:
        if not self.interp.violations(ty, value):
            return value
        if self.policy is None:
            return _INVALID
        repaired = self.repair(self.policy, ty, value)
        if repaired is _INVALID or self.interp.violations(ty, repaired):
            return _INVALID
        return repaired

    def repair(self, policy: CompiledPolicy, ty: Type, value: Value) -> Value:
        """A valid value that keeps as many leaves of `value` as the invariants allow.

        A solver of its own per type (the invariants asserted once). The drawn
        leaves are assumptions, except the fields that the broken invariants read;
        while the rest is unsat, the leaves of the unsat core are dropped too.
        """
        if ty not in self._repair:
            env = SymEnv(policy.compiler.types, cap=self.cap)  # a process-unique tag
            sym = env.fresh("x", ty)
            solver = z3.Solver()
            solver.set("random_seed", 0)
            solver.set("timeout", 500)
            solver.add(*policy.compiler.well_formed(env))
            paths = {leaf.term.get_id(): leaf.path for leaf in env.leaves}
            self._repair[ty] = (sym, solver, paths)
        sym, solver, paths = self._repair[ty]
        loose = tuple(
            f"x{'.' if v.path else ''}{v.path}.{self.program.records[v.record].fields[i][0]}"
            for v in self.interp.violations(ty, value)
            for i in _fields_read(v.invariant.cond)
        )
        pairs = policy.compiler.align(sym, policy.compiler.types.value(value, ty), ty)
        keep = {
            c.get_id(): c
            for leaf, target in pairs
            if not _under(paths.get(leaf.get_id(), ""), loose)
            for c in (leaf == target,)
        }
        for _ in range(12):
            result = solver.check(*keep.values())
            if result == z3.sat:
                return decode(sym, ty, model_evaluator(solver.model()), policy.compiler.types)
            dropped = [x.get_id() for x in solver.unsat_core()] if result == z3.unsat else []
            if not dropped:
                return _INVALID
            for d in dropped:
                keep.pop(d, None)
        return _INVALID


def _fields_read(cond: core.CExpr) -> set[int]:
    """The indices of the fields of `self` that an invariant reads (the checker binds every
    field with a `Let`; the unused ones do not count)."""
    used = {x.name for x in core.walk(cond) if isinstance(x, core.Var)}
    unread = {id(x.value) for x in core.walk(cond) if isinstance(x, core.Let) and x.var not in used}
    return {
        x.index
        for x in core.walk(cond)
        if isinstance(x, core.Field)
        and isinstance(x.target, core.Var)
        and x.target.name == "self"
        and id(x) not in unread
    }


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p or (path.startswith(p) and path[len(p)] in ".[?#") for p in prefixes)


class _Invalid:
    """A marker for values that could not be made valid (filtered out)."""


_INVALID: Value = ("<invalid>", _Invalid.__name__)
