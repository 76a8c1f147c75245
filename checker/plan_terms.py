"""A plan's terms on one input: the requires, objectives and side conditions as Z3
terms over the chosen fields only.

Two ways to get them. `partial_terms` compiles the plan on the input itself
(`checker/partial.py`: known data folds away, filters that read no chosen field
are decided in Python), right for one answer per process as the CLI gives.
`Prepared` compiles the plan once over symbolic inputs up to some list sizes;
each input's values are then put into the prepared terms by Z3's model
evaluator (substituted and simplified in one pass), right for a service
answering many checkouts.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar, cast

import z3

from smallprint.model import core, planning
from smallprint.model.core import Value
from smallprint.model.types import INT, ListT, OptT, RecordT, Type

from .compile import Compiler
from .compiled import Acc
from .dag import Dag, key
from .linearize import Twins, linearize_roots
from .partial import Free, PartialCompiler
from .symenv import Sym, SymEnv, SymList, SymOpt, SymRecord, SymScalar
from .terms import TRUE, Assignment, as_arith, as_bool, boolean, bundle, num, unbundle


@dataclass(frozen=True)
class PlanTerms:
    """A plan on one input: its chosen fields as free constants (one per slot), the
    requires, objectives and side conditions over them."""

    vars: tuple[z3.ExprRef, ...]
    requires: tuple[z3.BoolRef, ...]
    objectives: tuple[z3.ArithRef, ...]
    sides: tuple[z3.BoolRef, ...]
    # Once `linearized`: per var, the 0/1 integer the terms use for it (None: unused),
    # and the last `links` sides tie each to its var. Empty before.
    twins: tuple[z3.ArithRef | None, ...] = ()
    links: int = 0

    @property
    def own_sides(self) -> tuple[z3.BoolRef, ...]:
        """The sides without the links (true whenever each twin is computed from its var)."""
        return self.sides[: len(self.sides) - self.links]

    @property
    def roots(self) -> list[z3.ExprRef]:
        """Requires, objectives and sides in one list (the order `with_roots` reads)."""
        return [*self.requires, *self.objectives, *self.sides]

    def with_roots(self, roots: Sequence[z3.ExprRef]) -> PlanTerms:
        """The same plan with its terms replaced by `roots`, in the order of `roots`."""
        r, o = len(self.requires), len(self.objectives)
        return PlanTerms(
            self.vars,
            tuple(as_bool(t) for t in roots[:r]),
            tuple(as_arith(t) for t in roots[r : r + o]),
            tuple(as_bool(t) for t in roots[r + o :]),
            self.twins,
            self.links,
        )


# ---- the chosen fields of an input ---------------------------------------------------------

T = TypeVar("T")


def _put(
    x: T,
    path: Sequence[int],
    in_list: int | None,
    rest: Sequence[int],
    new: T,
    parts: Callable[[T], tuple[T, ...]],
    rebuild: Callable[[T, tuple[T, ...]], T],
) -> T:
    """`x` with the value at `path` (then list element `in_list`, then `rest`) replaced by
    `new`; `parts`/`rebuild` take a record or list apart and put it back together."""
    if not path:
        if in_list is None:
            return new
        items = list(parts(x))
        items[in_list] = _put(items[in_list], rest, None, (), new, parts, rebuild)
        return rebuild(x, tuple(items))
    fields = list(parts(x))
    fields[path[0]] = _put(fields[path[0]], path[1:], in_list, rest, new, parts, rebuild)
    return rebuild(x, tuple(fields))


def _sym_parts(s: Sym) -> tuple[Sym, ...]:
    assert isinstance(s, SymRecord | SymList)
    return s.fields if isinstance(s, SymRecord) else s.slots


def _sym_rebuild(s: Sym, parts: tuple[Sym, ...]) -> Sym:
    return SymRecord(s.name, parts) if isinstance(s, SymRecord) else SymList(cast(SymList, s).length, parts)


def _value_parts(v: Value) -> tuple[Value, ...]:
    assert isinstance(v, tuple)
    return v


def with_choice(sym: Sym, slot: planning.Slot, new: Sym) -> Sym:
    """The symbolic input `sym` with the field `slot` chooses replaced by `new`."""
    c = slot.choice
    return _put(sym, c.path, slot.element, c.field_path, new, _sym_parts, _sym_rebuild)


def with_marker(value: Value, slot: planning.Slot, mark: Free) -> Value:
    """The runtime input `value` with a marker where `slot` chooses (`PartialCompiler`)."""
    c = slot.choice
    return _put(value, c.path, slot.element, c.field_path, cast(Value, mark), _value_parts, lambda _, p: p)


def slot_text(plan: core.PlanDef, program: core.Program, slot: planning.Slot) -> str:
    """The path of the field `slot` chooses (`wallet.coupons[3].use`), as `SymEnv.paths` names it."""
    c = slot.choice
    ty: Type = next(p.ty for p in plan.params if p.name == c.param)
    parts = [c.param]
    for i in c.path:
        assert isinstance(ty, RecordT)
        name, ty = program.records[ty.name].fields[i]
        parts.append(name)
    text = ".".join(parts)
    if slot.element is None:
        return text
    text += f"[{slot.element}]"
    elem = getattr(ty, "elem", None)
    for i in c.field_path:
        assert isinstance(elem, RecordT)
        name, elem = program.records[elem.name].fields[i]
        text += f".{name}"
    return text


def chosen_fields(program: core.Program, plan: core.PlanDef) -> frozenset[tuple[str, int]]:
    """(record, field index) of every field the plan chooses."""
    out: set[tuple[str, int]] = set()
    for choice in plan.choices:
        ty = next(p.ty for p in plan.params if p.name == choice.param)
        owner: tuple[str, int] | None = None
        for step in [*choice.path, *((None, *choice.field_path) if choice.each else ())]:
            if step is None:
                assert isinstance(ty, ListT)
                ty = ty.elem
                continue
            assert isinstance(ty, RecordT)
            owner = (ty.name, step)
            ty = program.records[ty.name].fields[step][1]
        if owner is not None:
            out.add(owner)
    return frozenset(out)


def list_bounds(program: core.Program, plan: core.PlanDef) -> dict[str, int]:
    """Every list path of the plan's inputs (indices left out: `cart.stores[].lines`) with
    its declared bound."""
    out: dict[str, int] = {}

    def walk(path: str, ty: Type, seen: frozenset[str]) -> None:
        if isinstance(ty, OptT):
            walk(path, ty.inner, seen)
        elif isinstance(ty, RecordT) and ty.name not in seen:
            for fname, fty in program.records[ty.name].fields:
                walk(f"{path}.{fname}", fty, seen | {ty.name})
        elif isinstance(ty, ListT):
            out[path] = ty.bound
            walk(f"{path}[]", ty.elem, seen)

    for p in plan.params:
        walk(p.name, p.ty, frozenset())
    return out


def check_sizes(program: core.Program, plan: core.PlanDef, sizes: Mapping[str, object]) -> None:
    """`sizes` as `Optimizer.prepare` takes them: each a list path of the inputs and a
    length from 0 to its bound; else a `ValueError` saying which and what is allowed."""
    bounds = list_bounds(program, plan)
    problems: list[str] = []
    for path, n in sizes.items():
        if path not in bounds:
            close = difflib.get_close_matches(str(path), list(bounds), n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            problems.append(f"`{path}` is not a list of the inputs of `{plan.name}`{hint}")
        elif not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= bounds[path]:
            problems.append(f"`{path}`: {n!r} is not a length from 0 to its bound {bounds[path]}")
    if problems:
        listed = ", ".join(f"{p} (up to {b})" for p, b in bounds.items())
        raise ValueError("; ".join(problems) + f"; the lists are: {listed}")


def list_sizes(program: core.Program, plan: core.PlanDef, args: Sequence[Value]) -> dict[str, int]:
    """The longest list of the inputs at each list path (indices left out)."""
    out: dict[str, int] = {}

    def walk(path: str, ty: Type, v: Value) -> None:
        if isinstance(ty, OptT):
            if v is not None:
                walk(path, ty.inner, v)
        elif isinstance(ty, RecordT):
            assert isinstance(v, tuple)
            for (fname, fty), x in zip(program.records[ty.name].fields, v, strict=True):
                walk(f"{path}.{fname}", fty, x)
        elif isinstance(ty, ListT):
            assert isinstance(v, tuple)
            out[path] = max(out.get(path, 0), len(v))
            for x in v:
                walk(f"{path}[]", ty.elem, x)

    for p, a in zip(plan.params, args, strict=True):
        walk(p.name, p.ty, a)
    return out


# ---- one input at a time: partial evaluation ------------------------------------------------


def partial_terms(
    program: core.Program, plan: core.PlanDef, args: Sequence[Value], slots: Sequence[planning.Slot]
) -> PlanTerms:
    """The plan partially evaluated on these inputs (`checker/partial.py`)."""
    compiler = PartialCompiler(program)
    types = compiler.types
    variables: list[z3.ExprRef] = []
    syms = [types.value(a, p.ty) for a, p in zip(args, plan.params, strict=True)]
    views = list(args)
    names = [p.name for p in plan.params]
    for i, slot in enumerate(slots):
        var = z3.Const(f"choice!{i}", types.sort(slot.choice.ty))
        variables.append(var)
        k = names.index(slot.choice.param)
        syms[k] = with_choice(syms[k], slot, SymScalar(var))
        views[k] = with_marker(views[k], slot, Free(i))
    chosen = chosen_fields(program, plan)
    for sym, view, p in zip(syms, views, plan.params, strict=True):
        compiler.view(sym, view, p.ty, chosen)
    scope: dict[str, Sym] = dict(zip(names, syms, strict=True))
    acc = Acc(record=False)
    for name, e in plan.lets:
        scope[name] = compiler.expr(e, scope, TRUE, acc)
    requires = tuple(z3.simplify(boolean(compiler.expr(r.cond, scope, TRUE, acc))) for r in plan.requires)
    objectives = tuple(z3.simplify(num(compiler.expr(o.expr, scope, TRUE, acc))) for o in plan.objectives)
    return PlanTerms(tuple(variables), requires, objectives, tuple(z3.simplify(x.ok) for x in acc.sides))


# ---- many inputs: compiled once, instantiated ---------------------------------------------


class Prepared:
    """A plan compiled over symbolic inputs whose lists have up to `sizes` elements."""

    def __init__(self, program: core.Program, plan: core.PlanDef, sizes: Mapping[str, int]) -> None:
        self.sizes = dict(sizes)
        self.compiler = Compiler(program)
        self.env = SymEnv(self.compiler.types, caps=self.sizes)
        self.plan = plan
        self.params = [self.env.fresh(p.name, p.ty) for p in plan.params]
        scope: dict[str, Sym] = {p.name: s for p, s in zip(plan.params, self.params, strict=True)}
        acc = Acc(record=False)
        for name, e in plan.lets:
            scope[name] = self.compiler.expr(e, scope, TRUE, acc)
        requires = tuple(boolean(self.compiler.expr(r.cond, scope, TRUE, acc)) for r in plan.requires)
        objectives = tuple(num(self.compiler.expr(o.expr, scope, TRUE, acc)) for o in plan.objectives)
        self.generic = PlanTerms((), requires, objectives, tuple(x.ok for x in acc.sides))
        self._bundled = bundle(self.generic.roots)
        # The inputs' constants in the order `Compiler.align` pairs them with values
        # (fixed for this preparation), with their declarations, so that an input is
        # put in by a walk over its values alone (`_leaf_values`).
        leaves = [
            x
            for p, s in zip(plan.params, self.params, strict=True)
            for x, _ in self.compiler.align(s, s, p.ty)
        ]
        self._leaf_ids = [x.get_id() for x in leaves]
        self._decls = [x.decl() for x in leaves]  # held: the model takes the raw ones
        self._placeholder_leaves: dict[int, list[z3.ExprRef]] = {}  # by id of a part of `params`
        self._absent, self._present = z3.BoolVal(False), z3.BoolVal(True)

    def fits(self, needed: Mapping[str, int]) -> bool:
        return all(n <= self.sizes[path] for path, n in needed.items() if path in self.sizes)

    def terms(self, args: Sequence[Value], choices: Sequence[str]) -> PlanTerms:
        """The prepared terms on `args`, the fields named by `choices` left free."""
        free = [self.env.paths[c] for c in choices]
        free_ids = {v.get_id() for v in free}
        values: list[z3.ExprRef] = []
        for p, sym, a in zip(self.plan.params, self.params, args, strict=True):
            self._leaf_values(sym, a, p.ty, values)
        assert len(values) == len(self._decls), "one value per constant of the inputs"
        fixed = Assignment(
            self._bundled.ctx,
            [
                (d.ast, y)
                for d, k, y in zip(self._decls, self._leaf_ids, values, strict=True)
                if k not in free_ids
            ],
        )
        # All the terms in one pass, substituted and simplified. Choices are linearized
        # after it: most `if c then n1 else n2` appear only once the inputs are known
        # (a discount that depends on earlier stages becomes a number).
        return replace(self.generic.with_roots(unbundle(fixed(self._bundled))), vars=tuple(free))

    def _leaf_values(self, sym: Sym, value: Value, ty: Type, out: list[z3.ExprRef]) -> None:
        """The terms `Compiler.align(sym, types.value(value, ty), ty)` pairs with the
        leaves of `sym`, in its order, without building the symbolic value."""
        types = self.compiler.types
        if isinstance(sym, SymScalar):
            out.append(types.scalar(value, ty))
        elif isinstance(sym, SymOpt):
            assert isinstance(ty, OptT)
            if value is None:
                out.append(self._absent)
                out.extend(self._placeholder(sym.value, ty.inner))
            else:
                out.append(self._present)
                self._leaf_values(sym.value, value, ty.inner, out)
        elif isinstance(sym, SymRecord):
            assert isinstance(value, tuple)
            for (_, fty), s, v in zip(types.fields(sym.name), sym.fields, value, strict=True):
                self._leaf_values(s, v, fty, out)
        elif isinstance(sym, SymList):
            assert isinstance(ty, ListT) and isinstance(value, tuple) and len(value) <= len(sym.slots)
            out.append(types.scalar(len(value), INT))
            for s, v in zip(sym.slots, value, strict=False):
                self._leaf_values(s, v, ty.elem, out)
            for s in sym.slots[len(value) :]:
                out.extend(self._placeholder(s, ty.elem))
        else:  # a window, which no plan input has yet: the general way
            out.extend(y for _, y in self.compiler.align(sym, types.value(value, ty), ty))

    def _placeholder(self, sym: Sym, ty: Type) -> list[z3.ExprRef]:
        """The terms `align` pairs with the leaves of `sym` when its value is absent (a
        list slot past the input's length, an absent optional's payload); by `sym`,
        whose nested lists decide how many there are."""
        known = self._placeholder_leaves.get(id(sym))
        if known is None:
            filler = self.compiler.types.placeholder(ty)
            known = self._placeholder_leaves[id(sym)] = [y for _, y in self.compiler.align(sym, filler, ty)]
        return known


# ---- for the solver: choices as 0/1 integers -------------------------------------------------


def linearized(terms: PlanTerms, dag: Dag | None = None, made: Twins | None = None) -> PlanTerms:
    """The same plan with its choices also as 0/1 integers (`checker/linearize.py`):
    sums over choices become linear; the links join the sides. Idempotent. `dag`:
    the snapshot of `terms.roots`, if already taken; `made`: twins to reuse."""
    if terms.twins:
        return terms
    made = made or Twins()
    roots, twins = linearize_roots(terms.roots, [v for v in terms.vars if z3.is_bool(v)], dag, made)
    if not twins:
        return terms
    r, o = len(terms.requires), len(terms.objectives)
    linked = [x for v in terms.vars if key(v) in twins for x in made.links(v)]
    return PlanTerms(
        terms.vars,
        tuple(as_bool(t) for t in roots[:r]),
        tuple(as_arith(t) for t in roots[r : r + o]),
        (*(as_bool(t) for t in roots[r + o :]), *linked),
        tuple(twins.get(key(v)) for v in terms.vars),
        len(linked),
    )
