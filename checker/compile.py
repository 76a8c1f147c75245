"""The typed core (`model/core.py`) -> Z3 terms, with the same meaning as `model/interp.py`.

Encoding (stated once; `model/types.py` gives the runtime side, which is the same):

* Bool -> Bool. Int, Money (cents), Date (days since 1970-01-01), DateTime (minutes),
  Days, Duration (minutes), Length (mm), Mass (g), DataSize (B) -> Int.
  Percent and Exact[U] -> Real (exact rationals). Text -> String. An enum -> a Z3
  enumeration sort whose constants are the variants.
* A record is a tuple of per-field symbolic values (no datatype): field access is
  free at compile time and a model is read field by field.
* `T?` is a presence flag plus a value that means nothing when the flag is false.
  `Window[T]` is a presence flag plus the two (inclusive) ends.
* `List[T, n]` is a symbolic length plus n fixed slots. Slot i is an element only
  when i < length; every aggregate, membership test and equality guards each slot
  with that condition, so unused slots never matter.
* An Int next to a Real (an `Exact[U]` added to or compared with a `U`) is lifted
  with `ToReal`. Division gives a Real. Rounding goes through `ToInt` (floor):
  ceil(x) = -floor(-x); round_half_up(x) = floor(x + 1/2) for x >= 0 and
  -floor(-x + 1/2) below (ties away from zero); round_half_even(x) = floor(x),
  plus one when the rest is above 1/2, or exactly 1/2 with an odd floor. These are
  the definitions of `model/interp.py`. `date_of(t)` is `t div 1440` (floor, as
  the divisor is positive), `start_of(d)` is `d * 1440`.
* A run-time error of the interpreter (division by zero, `min`/`max` of no
  element without `else`, a `def` whose cases all fail without `otherwise`)
  becomes a `Side` condition: `ok` must hold, guarded by the path on which the
  interpreter evaluates the expression (`and`, `or`, `implies`, `if`, the clauses
  of rules and defs and the `all`/`any` aggregates stop as soon as the answer is
  known, left to right, as in the interpreter).

Functions are compiled once into a `Template` over fresh parameters; a call
inlines the template by substituting the argument terms for the parameters (the
core has no recursion, so this terminates). Constants are compiled once.
Quantifiers over Bool, enums and their optionals are expanded (the interpreter
enumerates them too); over any other type they become a Z3 `ForAll`/`Exists`
over fresh constants for every leaf of the bound value, guarded by its
well-formedness (list bounds, record invariants). Terms are built with the
smart constructors of `checker/terms.py`; operators and aggregates are in
`checker/ops.py`.

Every clause of a rule or a `def` with cases is also kept as a `ClauseTerm`
(whether it was reached and whether it held, condition by condition), so that
queries can report which clauses decided, explain a false answer, and tell
counterexamples apart.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace

import z3

from smallprint.grammar.span import Span
from smallprint.model import core
from smallprint.model.types import BOOL, EnumT, ListT, OptT, RecordT, Type

from .compiled import Acc, ClauseTerm, CondTerm, PropertyQuery, Scope, Template
from .ops import compile_agg, compile_op
from .symenv import (
    EncodingError,
    Sym,
    SymEnv,
    SymList,
    SymOpt,
    SymRecord,
    SymScalar,
    SymWindow,
    Types,
)
from .terms import (
    FALSE,
    TRUE,
    Side,
    Subst,
    and_,
    as_arith,
    as_bool,
    boolean,
    eq,
    implies,
    is_false,
    is_real,
    is_true,
    ite,
    map_sym,
    not_,
    num,
    opt,
    or_,
    same,
)


def narrowed(ty: Type, arg: Sym) -> Type:
    """`ty` with each list bound lowered to the slots `arg` has: a call on a short
    list (a property's `List[StoreOrder, 2]`) inlines a template of that size, not
    one unrolled to the declared bound. Records are nominal, so the lists inside
    them keep their declared bounds."""
    if isinstance(ty, ListT) and isinstance(arg, SymList) and len(arg.slots) < ty.bound:
        elem = ty.elem
        if isinstance(elem, ListT | OptT) and arg.slots:
            shapes = {narrowed(elem, s) for s in arg.slots}
            elem = shapes.pop() if len(shapes) == 1 else elem
        return replace(ty, elem=elem, bound=len(arg.slots))
    if isinstance(ty, OptT) and isinstance(arg, SymOpt):
        return replace(ty, inner=narrowed(ty.inner, arg.value))
    return ty


_UNIQUE = itertools.count()


class Compiler:
    """Compiles one program; caches templates and constants (no solver state)."""

    def __init__(self, program: core.Program) -> None:
        self.program = program
        self.types = Types(program)
        self._templates: dict[tuple[str, tuple[Type, ...], int | None], Template] = {}
        self._consts: dict[str, Sym] = {}
        self._invariant_terms: dict[str, tuple[SymRecord, list[z3.BoolRef]]] = {}
        self._in_progress: set[str] = set()
        self.const_sides: list[Side] = []
        self._bounds: list[tuple[str, int]] = []

    def _tag(self, name: str) -> str:
        """A suffix for the Z3 names of one set of fresh constants, unique in the process
        (constants of one name and sort are one constant to Z3)."""
        return f"{name}.{next(_UNIQUE)}"

    # ---- declarations ---------------------------------------------------------------
    def template(self, name: str, shape: tuple[Type, ...] | None = None, cap: int | None = None) -> Template:
        """`name` compiled over fresh parameters of the types `shape` (default: the
        declared ones; a call passes them with list bounds narrowed to its arguments),
        every list of the parameters with at most `cap` slots when `cap` is given."""
        f = self.program.functions[name]
        if shape is None:
            shape = tuple(p.ty for p in f.params)
        key = (name, shape, cap)
        if key in self._templates:
            return self._templates[key]
        if name in self._in_progress:
            raise EncodingError(f"`{name}` calls itself")
        self._in_progress.add(name)
        try:
            env = SymEnv(self.types, tag=self._tag(name), cap=cap)
            params = tuple(env.fresh(p.name, ty) for p, ty in zip(f.params, shape, strict=True))
            scope = {p.name: s for p, s in zip(f.params, params, strict=True)}
            acc = Acc()
            if isinstance(f, core.RuleDef):
                result: Sym = SymScalar(self._rule(f, scope, params, TRUE, acc))
            else:
                result = self._def(f, scope, TRUE, acc)
        finally:
            self._in_progress.discard(name)
        t = Template(f, env, shape, params, result, tuple(acc.sides), tuple(acc.clauses))
        self._templates[key] = t
        return t

    def const(self, name: str) -> Sym:
        if name not in self._consts:
            if name in self._in_progress:
                raise EncodingError(f"constant `{name}` refers to itself")
            self._in_progress.add(name)
            try:
                acc = Acc(record=False)
                self._consts[name] = self.expr(self.program.consts[name].value, {}, TRUE, acc)
                self.const_sides.extend(acc.sides)
            finally:
                self._in_progress.discard(name)
        return self._consts[name]

    def well_formed(self, env: SymEnv) -> list[z3.BoolRef]:
        """List bounds and the invariants of every record inside the inputs of `env`."""
        out = list(env.structure)
        for site in env.sites:
            generic, invariants = self._invariants(site.record)
            if not invariants:
                continue
            sub = Subst(self.align(generic, site.sym, RecordT(site.record)))
            out.extend(implies(site.guard, sub.boolean(holds)) for holds in invariants)
        return [c for c in out if not is_true(c)]

    def _invariants(self, record: str) -> tuple[SymRecord, list[z3.BoolRef]]:
        """The invariants of `record` compiled once over a fresh value of it; each
        record of an input gets them by substitution (a checkout's store orders and
        coupons recur in the inputs of every function)."""
        if record not in self._invariant_terms:
            env = SymEnv(self.types, tag=self._tag(record))
            sym = env.fresh("self", RecordT(record))
            assert isinstance(sym, SymRecord)
            terms = [
                boolean(self.expr(inv.cond, {"self": sym}, TRUE, Acc(record=False)))
                for inv in self.program.records[record].invariants
            ]
            self._invariant_terms[record] = (sym, terms)
        return self._invariant_terms[record]

    def property(self, prop: core.PropertyDef) -> PropertyQuery:
        env = SymEnv(self.types, tag=self._tag(prop.name))
        scope: Scope = {}
        binders: list[tuple[str, Type]] = []
        body = prop.body
        while isinstance(body, core.Quant) and body.op == "forall":
            scope[body.var] = env.fresh(body.var, body.var_ty)
            binders.append((body.var, body.var_ty))
            body = body.body
        acc = Acc()
        self._bounds = list(env.lists)
        term = boolean(self.expr(body, scope, TRUE, acc))
        bounds = tuple(dict.fromkeys(self._bounds))
        denied = _assumptions_denied(body)
        assumed = None if denied is None else not_(boolean(self.expr(denied, scope, TRUE, Acc())))
        return PropertyQuery(
            prop,
            env,
            tuple(binders),
            body,
            tuple(self.well_formed(env)),
            term,
            tuple(acc.sides),
            tuple(acc.clauses),
            bounds,
            assumed,
        )

    # ---- rules, defs and clauses -------------------------------------------------------
    def _rule(
        self, r: core.RuleDef, scope: Scope, params: Sequence[Sym], path: z3.BoolRef, acc: Acc
    ) -> z3.BoolRef:
        held = FALSE
        for i, cl in enumerate(r.whens, 1):
            h, _ = self._clause(r.name, "when", (i,), cl, scope, and_(path, not_(held)), acc)
            held = or_(held, h)
        base = held if r.whens else TRUE
        defeated = FALSE
        for k, u in enumerate(r.unlesses, 1):
            reached = and_(path, base, not_(defeated))
            h, _ = self._clause(r.name, "unless", (k,), u.clause, scope, reached, acc)
            saved = FALSE
            for j, x in enumerate(u.excepts, 1):
                hx, _ = self._clause(r.name, "except", (k, j), x, scope, and_(reached, h, not_(saved)), acc)
                saved = or_(saved, hx)
            defeated = or_(defeated, and_(h, not_(saved)))
        value = and_(base, not_(defeated))
        for i, name in enumerate(r.overridden_by, 1):
            reached = and_(path, value)
            ov = boolean(self.call(name, params, reached, acc, r.span))
            if acc.record:
                other = self.program.functions[name]
                cond = CondTerm(other.span, ov, reached, False)
                acc.clauses.append(
                    ClauseTerm(r.name, "overridden", (i,), other.span, other.cites, ov, reached, (cond,))
                )
            value = and_(value, not_(ov))
        return value

    def _def(self, f: core.DefDef, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        if f.body is not None:
            return self.expr(f.body, scope, path, acc)
        held = FALSE
        branches: list[tuple[z3.BoolRef, Sym]] = []
        for i, case in enumerate(f.cases, 1):
            reached = and_(path, not_(held))
            h, inner = self._clause(f.name, "case", (i,), case.clause, scope, reached, acc)
            branches.append((h, self.expr(case.value, inner, and_(reached, h), acc)))
            held = or_(held, h)
        reached = and_(path, not_(held))
        if f.otherwise is None:
            message = f"no case of `{f.name}` holds and it has no `otherwise`"
            acc.sides.append(Side(implies(path, held), f.span, message))
            result = self.types.placeholder(f.ret)
        else:
            if acc.record:
                acc.clauses.append(
                    ClauseTerm(
                        f.name,
                        "otherwise",
                        (len(f.cases) + 1,),
                        f.otherwise.span,
                        f.otherwise_cites,
                        not_(held),
                        path,
                        (),
                    )
                )
            result = self.expr(f.otherwise, scope, reached, acc)
        for h, v in reversed(branches):
            result = self.ite(h, v, result, f.ret)
        return result

    def _clause(
        self,
        func: str,
        kind: str,
        index: tuple[int, ...],
        clause: core.Clause,
        scope: Scope,
        reached: z3.BoolRef,
        acc: Acc,
    ) -> tuple[z3.BoolRef, Scope]:
        inner = dict(scope)
        holds = TRUE
        conds: list[CondTerm] = []
        for c in clause.conds:
            at = and_(reached, holds)
            if isinstance(c, core.Test):
                t = boolean(self.expr(c.expr, inner, at, acc))
                conds.append(CondTerm(c.span, t, at, False))
            else:
                o = opt(self.expr(c.opt, inner, at, acc))
                inner[c.var] = o.value
                t = o.present
                conds.append(CondTerm(c.span, t, at, True))
            holds = and_(holds, t)
        if acc.record:
            acc.clauses.append(
                ClauseTerm(func, kind, index, clause.span, clause.cites, holds, reached, tuple(conds))
            )
        return holds, inner

    # ---- calls ------------------------------------------------------------------------
    def filtered_out(self, where: core.CExpr, scope: Scope) -> bool:
        """True when `where` is known false for this element without compiling it
        (never here: every input is symbolic; see `PartialCompiler`)."""
        return False

    def call(self, name: str, args: Sequence[Sym], path: z3.BoolRef, acc: Acc, span: Span) -> Sym:
        f = self.program.functions[name]
        t = self.template(name, tuple(narrowed(p.ty, a) for p, a in zip(f.params, args, strict=True)))
        pairs: list[tuple[z3.ExprRef, z3.ExprRef]] = []
        for ty, p, a in zip(t.param_types, t.params, args, strict=True):
            pairs.extend(self.align(p, a, ty))
        pairs = [(x, y) for x, y in pairs if not same(x, y)]
        sub = Subst(pairs)
        subb = sub.boolean

        for s in t.sides:
            acc.sides.append(Side(implies(path, subb(s.ok)), s.span, s.message))
        if acc.record:
            n = acc.calls.get(name, 0)
            acc.calls[name] = n + 1
            site = f"{name}#{n}" if n else name
            for c in t.clauses:
                conds = tuple(
                    CondTerm(x.span, subb(x.holds), and_(path, subb(x.reached)), x.binds) for x in c.conds
                )
                acc.clauses.append(
                    replace(
                        c,
                        holds=subb(c.holds),
                        reached=and_(path, subb(c.reached)),
                        conds=conds,
                        site=(site, *c.site),
                    )
                )
        return map_sym(t.result, sub)

    def align(self, p: Sym, a: Sym, ty: Type) -> list[tuple[z3.ExprRef, z3.ExprRef]]:
        """Pairs (leaf of the parameter value `p`, the matching term of the argument `a`)."""
        if isinstance(p, SymScalar) and isinstance(a, SymScalar):
            x, y = p.term, a.term
            if z3.is_arith(x) and is_real(x) and not is_real(y):
                y = z3.ToReal(y)
            return [(x, y)]
        if isinstance(p, SymOpt):
            assert isinstance(ty, OptT)
            o = opt(a)
            return [(p.present, o.present), *self.align(p.value, o.value, ty.inner)]
        if isinstance(p, SymWindow) and isinstance(a, SymWindow):
            return [(p.present, a.present), (p.start, a.start), (p.end, a.end)]
        if isinstance(p, SymRecord) and isinstance(a, SymRecord):
            fields = self.types.fields(p.name)
            out = []
            for (_, fty), pf, af in zip(fields, p.fields, a.fields, strict=True):
                out.extend(self.align(pf, af, fty))
            return out
        if isinstance(p, SymList) and isinstance(a, SymList):
            assert isinstance(ty, ListT)
            if len(a.slots) > len(p.slots):
                raise EncodingError(f"a list of {len(a.slots)} slots passed as `{ty}`")
            out = [(p.length, a.length)]
            for i, ps in enumerate(p.slots):
                sa = a.slots[i] if i < len(a.slots) else self.types.placeholder(ty.elem)
                out.extend(self.align(ps, sa, ty.elem))
            return out
        raise EncodingError(f"cannot pass {a} as `{ty}`")

    # ---- expressions -------------------------------------------------------------------
    def expr(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        method: Callable[[core.CExpr, Scope, z3.BoolRef, Acc], Sym] | None = getattr(
            self, f"_x_{type(e).__name__}", None
        )
        if method is None:
            raise EncodingError(f"no Z3 compilation for `{type(e).__name__}`")
        return method(e, scope, path, acc)

    def _x_Lit(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        assert isinstance(e, core.Lit)
        return self.types.value(e.value, e.ty)

    def _x_Var(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        assert isinstance(e, core.Var)
        if e.name not in scope:
            raise EncodingError(f"unbound variable `{e.name}` at {e.span}")
        return scope[e.name]

    def _x_ConstRef(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        assert isinstance(e, core.ConstRef)
        return self.const(e.name)

    def _x_Field(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        assert isinstance(e, core.Field)
        target = self.expr(e.target, scope, path, acc)
        if not isinstance(target, SymRecord):
            raise EncodingError(f"field `{e.name}` of a non-record at {e.span}")
        return target.fields[e.index]

    def _x_Call(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        assert isinstance(e, core.Call)
        args = [self.expr(a, scope, path, acc) for a in e.args]
        return self.call(e.func, args, path, acc, e.span)

    def _x_If(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        assert isinstance(e, core.If)
        c = boolean(self.expr(e.cond, scope, path, acc))
        if is_true(c):
            return self.expr(e.then, scope, path, acc)
        if is_false(c):
            return self.expr(e.orelse, scope, path, acc)
        a = self.expr(e.then, scope, and_(path, c), acc)
        b = self.expr(e.orelse, scope, and_(path, not_(c)), acc)
        return self.ite(c, a, b, e.ty)

    def _x_IfSome(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        assert isinstance(e, core.IfSome)
        o = opt(self.expr(e.opt, scope, path, acc))
        a = self.expr(e.then, {**scope, e.var: o.value}, and_(path, o.present), acc)
        b = self.expr(e.orelse, scope, and_(path, not_(o.present)), acc)
        return self.ite(o.present, a, b, e.ty)

    def _x_SomeE(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        assert isinstance(e, core.SomeE)
        return SymOpt(TRUE, self.expr(e.value, scope, path, acc))

    def _x_NoneE(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        if isinstance(e.ty, OptT):
            return SymOpt(FALSE, self.types.placeholder(e.ty.inner))
        return self.types.placeholder(e.ty)

    def _x_MkWindow(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        assert isinstance(e, core.MkWindow)
        s = opt(self.expr(e.start, scope, path, acc))
        t = opt(self.expr(e.end, scope, path, acc))
        return SymWindow(and_(s.present, t.present), num(s.value), num(t.value))

    def _x_ListE(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        assert isinstance(e, core.ListE)
        items = tuple(self.expr(x, scope, path, acc) for x in e.items)
        return SymList(z3.IntVal(len(items)), items)

    def _x_RecordE(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        assert isinstance(e, core.RecordE)
        built = SymRecord(e.record, tuple(self.expr(x, scope, path, acc) for x in e.fields))
        # As in the interpreter: building a record that breaks an invariant is an error.
        generic, invariants = self._invariants(e.record)
        if invariants:
            sub = Subst(self.align(generic, built, RecordT(e.record)))
            for inv, holds in zip(self.program.records[e.record].invariants, invariants, strict=True):
                message = f"the `{e.record}` built here breaks invariant `{inv.name}`"
                acc.sides.append(Side(implies(path, sub.boolean(holds)), e.span, message))
        return built

    def _x_Size(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        assert isinstance(e, core.Size)
        src = self.expr(e.target, scope, path, acc)
        if not isinstance(src, SymList):
            raise EncodingError(f"`size` of a non-list at {e.span}")
        return SymScalar(src.length)

    def _x_Let(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        assert isinstance(e, core.Let)
        value = self.expr(e.value, scope, path, acc)
        return self.expr(e.body, {**scope, e.var: value}, path, acc)

    def _x_Op(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        assert isinstance(e, core.Op)
        return compile_op(self, e, scope, path, acc)

    def _x_Agg(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        assert isinstance(e, core.Agg)
        return compile_agg(self, e, scope, path, acc)

    def _x_Quant(self, e: core.CExpr, scope: Scope, path: z3.BoolRef, acc: Acc) -> Sym:
        assert isinstance(e, core.Quant)
        join = and_ if e.op == "forall" else or_
        domain = self.finite_domain(e.var_ty)
        if domain is not None:
            return SymScalar(
                join(*(boolean(self.expr(e.body, {**scope, e.var: v}, path, acc)) for v in domain))
            )
        env = SymEnv(self.types, tag=self._tag(e.var))
        sym = env.fresh(e.var, e.var_ty)
        self._bounds.extend(env.lists)
        wf = and_(*self.well_formed(env))
        inner = Acc(record=False, calls=acc.calls)
        body = boolean(self.expr(e.body, {**scope, e.var: sym}, TRUE, inner))
        consts = env.constants()
        for s in inner.sides:
            ok = z3.ForAll(consts, implies(wf, s.ok)) if consts else implies(wf, s.ok)
            acc.sides.append(Side(implies(path, ok), s.span, s.message))
        if not consts:
            return SymScalar(and_(wf, body) if e.op == "exists" else implies(wf, body))
        if e.op == "forall":
            return SymScalar(z3.ForAll(consts, implies(wf, body)))
        return SymScalar(z3.Exists(consts, and_(wf, body)))

    def finite_domain(self, ty: Type) -> list[Sym] | None:
        """Every value of Bool, an enum or an optional of one (as the interpreter enumerates)."""
        if ty == BOOL:
            return [SymScalar(FALSE), SymScalar(TRUE)]
        if isinstance(ty, EnumT):
            return [SymScalar(v) for v in self.types.enums[ty.name][1].values()]
        if isinstance(ty, OptT):
            inner = self.finite_domain(ty.inner)
            if inner is None:
                return None
            return [SymOpt(FALSE, self.types.placeholder(ty.inner)), *(SymOpt(TRUE, v) for v in inner)]
        return None

    # ---- structure ----------------------------------------------------------------------
    def ite(self, c: z3.BoolRef, a: Sym, b: Sym, ty: Type) -> Sym:
        if is_true(c):
            return a
        if is_false(c):
            return b
        if isinstance(a, SymScalar) and isinstance(b, SymScalar):
            return SymScalar(ite(c, a.term, b.term))
        if isinstance(a, SymOpt) or isinstance(b, SymOpt):
            oa, ob = opt(a), opt(b)
            inner = ty.inner if isinstance(ty, OptT) else ty
            return SymOpt(as_bool(ite(c, oa.present, ob.present)), self.ite(c, oa.value, ob.value, inner))
        if isinstance(a, SymWindow) and isinstance(b, SymWindow):
            return SymWindow(
                as_bool(ite(c, a.present, b.present)),
                as_arith(ite(c, a.start, b.start)),
                as_arith(ite(c, a.end, b.end)),
            )
        if isinstance(a, SymRecord) and isinstance(b, SymRecord):
            fields = self.types.fields(a.name)
            return SymRecord(
                a.name,
                tuple(self.ite(c, x, y, t) for (_, t), x, y in zip(fields, a.fields, b.fields, strict=True)),
            )
        if isinstance(a, SymList) and isinstance(b, SymList):
            assert isinstance(ty, ListT)
            n = max(len(a.slots), len(b.slots))
            pad = self.types.placeholder(ty.elem)
            slots = tuple(
                self.ite(
                    c,
                    a.slots[i] if i < len(a.slots) else pad,
                    b.slots[i] if i < len(b.slots) else pad,
                    ty.elem,
                )
                for i in range(n)
            )
            return SymList(as_arith(ite(c, a.length, b.length)), slots)
        raise EncodingError(f"branches of different shapes: {a}, {b}")

    def equal(self, a: Sym, b: Sym) -> z3.BoolRef:
        """Structural equality, as `eq` in the interpreter."""
        if isinstance(a, SymScalar) and isinstance(b, SymScalar):
            return eq(a.term, b.term)
        if isinstance(a, SymOpt) or isinstance(b, SymOpt):
            oa, ob = opt(a), opt(b)
            return and_(eq(oa.present, ob.present), implies(oa.present, self.equal(oa.value, ob.value)))
        if isinstance(a, SymWindow) and isinstance(b, SymWindow):
            same = and_(eq(a.start, b.start), eq(a.end, b.end))
            return and_(eq(a.present, b.present), implies(a.present, same))
        if isinstance(a, SymRecord) and isinstance(b, SymRecord):
            return and_(*(self.equal(x, y) for x, y in zip(a.fields, b.fields, strict=True)))
        if isinstance(a, SymList) and isinstance(b, SymList):
            n = min(len(a.slots), len(b.slots))
            parts = [eq(a.length, b.length), as_bool(a.length <= n)]
            for i in range(n):
                parts.append(implies(as_bool(a.length > i), self.equal(a.slots[i], b.slots[i])))
            return and_(*parts)
        raise EncodingError(f"cannot compare {a} with {b}")


def _assumptions_denied(body: core.CExpr) -> core.CExpr | None:
    """The property's `where` chain (`a implies b implies ... c`, an `is some` binding
    with `true` when absent) with its conclusion `c` made false: true exactly where
    some assumption fails. None when the body assumes nothing."""
    if isinstance(body, core.Op) and body.op == "implies":
        then = _assumptions_denied(body.args[1])
        false = core.Lit(False, ty=BOOL, span=body.span)
        return replace(body, args=(body.args[0], then if then is not None else false))
    # A binding `where x is some(v). ...` is an assumption; `x is none` (the same node
    # with `false` when present) is a conclusion.
    concludes_absent = isinstance(body, core.IfSome) and body.then == core.Lit(False, ty=BOOL)
    if (
        isinstance(body, core.IfSome)
        and isinstance(body.orelse, core.Lit)
        and body.orelse.value is True
        and not concludes_absent
    ):
        then = _assumptions_denied(body.then)
        return replace(body, then=then if then is not None else core.Lit(False, ty=BOOL, span=body.span))
    return None
