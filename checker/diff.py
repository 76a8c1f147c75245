"""Semantic diff of two checked versions of a policy.

For every rule and definition present in both versions (same name, and
parameter types that can carry the same input: `checker/diff_inputs.py`):

* a rule (or a `Bool` definition) is `equivalent`, `narrowed` (some input made
  it true before and false now), `broadened` (the reverse), or both;
* any other definition is `equivalent` or `changed`; for a numeric result
  (money, days, dates, an optional or a window of them) the largest change in
  each direction is found with `z3.Optimize` on new - old, and an optional
  that appears or disappears is shown too.

Both versions are compiled by their own `Compiler`, and each function's
template is inlined on shared symbolic inputs, so that the old and new terms
speak of the same Z3 leaves. A question is the conjunction of both versions'
record invariants and list bounds, "neither version fails at run time on
it" (a division by zero is a lint finding of its own) and the difference
asked about. A function whose two terms are the same Z3 term (hash-consed:
unchanged text and unchanged callees) is equivalent without a solver call.

Every difference gets a witness input, minimised (`checker/minimize.py`:
shortest lists, smallest amounts, fewest optional values present), decoded
for each version and replayed through both interpreters, with their
explanations; a replay that does not show the difference raises
`ReplayMismatch` (an internal error, never output). One solver with a fixed
seed, a resource limit and a timeout per question: the same versions give the
same report. A question the solver gives up on is `unknown`, never `equivalent`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

import z3

from smallprint.model import core
from smallprint.model.core import Value
from smallprint.model.explain import RuleExplanation
from smallprint.model.interp import EvalError, Interpreter
from smallprint.model.types import BOOL, TEXT, Type

from .compile import Compiler
from .compiled import Acc
from .decode import decode, exact, model_evaluator
from .diff_amounts import Component, amount_value, const_like, numeric_parts, part_of
from .diff_domains import Versions, input_changes
from .diff_inputs import Aligner, FieldMapping, MappingError, SharedInput
from .diff_polarity import ruled_out
from .diff_props import property_changes
from .diff_results import (
    BOTH,
    BROADENED,
    CHANGED,
    EQUIVALENT,
    INCOMPARABLE,
    NARROWED,
    UNKNOWN,
    ConstantChange,
    Declared,
    DiffReport,
    Extreme,
    FunctionDiff,
    Reading,
    Undecided,
    Witness,
    function_kind,
)
from .diff_same import reads_lists, reads_of, unchanged
from .diff_solve import Query, Solving, gave_up
from .progress import Progress
from .results import Input
from .solving import RLIMIT_PER_MS
from .symenv import string_val
from .terms import TRUE, Subst, and_, as_arith, as_bool, boolean, is_false, is_true, not_, real
from .verify import DEFAULT_TIMEOUT_MS, ReplayMismatch

__all__ = ["DiffOptions", "MappingError", "diff_programs"]


@dataclass(frozen=True)
class DiffOptions:
    timeout_ms: int = DEFAULT_TIMEOUT_MS  # per solver question
    seed: int = 0
    fields: FieldMapping = field(default_factory=FieldMapping)


def diff_programs(
    old: core.Program, new: core.Program, options: DiffOptions | None = None, progress: Progress | None = None
) -> DiffReport:
    """Compare every rule and definition of `old` and `new` (raises `MappingError`);
    `progress` says which one is being compared."""
    return _Differ(old, new, options or DiffOptions(), progress or Progress.off()).run()


class _Differ(Solving):
    def __init__(
        self, old: core.Program, new: core.Program, options: DiffOptions, progress: Progress
    ) -> None:
        super().__init__(options.timeout_ms, options.seed)
        self.old, self.new = old, new
        self.options = options
        self.progress = progress
        self.oc, self.nc = Compiler(old), Compiler(new)
        self.oi, self.ni = Interpreter(old), Interpreter(new)
        self.aligner = Aligner(self.oc, self.nc, options.fields)
        self.small = Aligner(self.oc, self.nc, options.fields, cap=SMALL_SCOPE)

    # ---- the whole diff ------------------------------------------------------------------
    def run(self) -> DiffReport:
        start = time.perf_counter()
        common = [n for n in self.new.functions if n in self.old.functions]
        same = unchanged(self.old, self.new)
        plans: dict[str, tuple[SharedInput, ...] | str] = {n: self._plan(n) for n in common if n not in same}
        if self.aligner.problems:
            raise MappingError(list(self.aligner.problems.values()))
        diffs: dict[str, FunctionDiff] = {}
        # Callees first: a caller whose own text is unchanged may then be settled in one
        # direction by how its callees changed (`checker/diff_polarity.py`).
        directions: dict[str, int] = {}
        in_order = [n for n in self.new.order if n in self.old.functions]
        ordered = set(in_order)
        for name in [*in_order, *(n for n in common if n not in ordered)]:
            if name in same:
                diffs[name] = self._same(name)
                continue
            self.progress.show(f"comparing {name} ({len(diffs) + 1}/{len(common)})")
            plan = plans[name]
            settled = ruled_out(self.old, self.new, name, directions)
            d = (
                self._incomparable(name, plan)
                if isinstance(plan, str)
                else self._compare(name, plan, settled=settled)
            )
            diffs[name] = d
            if d.status != EQUIVALENT:
                up, down = _never(d, NARROWED), _never(d, BROADENED)
                directions[name] = 1 if up and not down else -1 if down and not up else 0
        constants = self._constants()
        changed_consts = {c.name for c in constants}
        out = []
        for name in common:  # the report in the new version's order
            d = diffs[name]
            if d.status == EQUIVALENT:
                out.append(d)
                continue
            callees, consts = reads_of(self.new.functions[name])
            through = [c for c in callees if c in diffs and diffs[c].status != EQUIVALENT]
            through += [c for c in consts if c in changed_consts]
            own = self.old.functions[name] != self.new.functions[name]
            out.append(replace(d, own_text_changed=own, through=tuple(dict.fromkeys(through))))
        added = tuple(Declared.of(f) for n, f in self.new.functions.items() if n not in self.old.functions)
        removed = tuple(Declared.of(f) for n, f in self.old.functions.items() if n not in self.new.functions)
        renamed = self._renames(removed, added)
        gone = {id(d) for pair in renamed for d in pair}
        added = tuple(d for d in added if id(d) not in gone)
        removed = tuple(d for d in removed if id(d) not in gone)
        versions = Versions(self.old, self.new, self.aligner, self.oi, self.ni)
        inputs = input_changes(versions, self.alone)
        self.progress.show("comparing the properties")
        properties = property_changes(versions, self.alone, {o.name: n.name for o, n in renamed})
        assumptions = tuple(sorted(self.aligner.assumptions.values(), key=lambda a: (a.record, a.field)))
        seconds = time.perf_counter() - start
        types = (*self.new.records, *self.new.enums)
        return DiffReport(
            tuple(out), added, removed, constants, assumptions, seconds, inputs, types, properties, renamed
        )

    def _renames(
        self, removed: tuple[Declared, ...], added: tuple[Declared, ...]
    ) -> tuple[tuple[Declared, Declared], ...]:
        """Pairs (old, new) of a removed and an added function of one kind and signature
        whose answers are equal on every input: each function at most once, in order."""
        out: list[tuple[Declared, Declared]] = []
        taken: set[str] = set()
        for r in removed:
            for a in added:
                if a.name in taken or a.kind != r.kind:
                    continue
                plan = self._plan(r.name, a.name)
                if isinstance(plan, str):
                    continue
                self.progress.show(f"is {a.name} a rename of {r.name}?")
                if self._compare(r.name, plan, a.name).status == EQUIVALENT:
                    out.append((r, a))
                    taken.add(a.name)
                    break
        return tuple(out)

    def _plan(
        self, name: str, new_name: str | None = None, aligner: Aligner | None = None
    ) -> tuple[SharedInput, ...] | str:
        """The shared inputs of `name` (in the new version `new_name`, for a rename), or why
        the two signatures cannot take one input (`aligner`: default the full-size one)."""
        aligner = aligner or self.aligner
        of, nf = self.old.functions[name], self.new.functions[new_name or name]
        if len(of.params) != len(nf.params):
            return f"it takes {len(nf.params)} parameter(s) now and took {len(of.params)}"
        if not aligner.same(nf.ret, of.ret):
            return f"it returns `{nf.ret}` now and returned `{of.ret}`, or that type changed shape"
        seen: dict[tuple[Type, Type], int] = {}
        inputs = []
        for op, np_ in zip(of.params, nf.params, strict=True):
            why = aligner.incompatible(np_.ty, op.ty, np_.name)
            if why is not None:
                return why
            k = seen.get((np_.ty, op.ty), 0)
            seen[(np_.ty, op.ty)] = k + 1
            inputs.append(aligner.input(np_.ty, op.ty, k))
        return tuple(inputs)

    def _same(self, name: str, new_name: str | None = None) -> FunctionDiff:
        of, nf = self.old.functions[name], self.new.functions[new_name or name]
        return FunctionDiff(name, function_kind(nf), EQUIVALENT, (), of.span, nf.span, nf.ret, cites=nf.cites)

    def _incomparable(self, name: str, reason: str) -> FunctionDiff:
        of, nf = self.old.functions[name], self.new.functions[name]
        return FunctionDiff(
            name, function_kind(nf), INCOMPARABLE, (), of.span, nf.span, nf.ret, reason=reason, cites=nf.cites
        )

    def _constants(self) -> tuple[ConstantChange, ...]:
        out = []
        for name, nc in self.new.consts.items():
            oc = self.old.consts.get(name)
            if oc is None:
                continue
            try:
                ov, nv = self.oi.const(name), self.ni.const(name)
            except EvalError:
                continue  # a constant that fails is a spec error `check` reports
            if ov != nv or oc.ty != nc.ty:
                out.append(ConstantChange(name, oc.ty, nc.ty, ov, nv, oc.span, nc.span))
        return tuple(out)

    # ---- one function ------------------------------------------------------------------
    def _compare(
        self,
        name: str,
        inputs: tuple[SharedInput, ...],
        new_name: str | None = None,
        settled: frozenset[str] = frozenset(),
    ) -> FunctionDiff:
        """Both versions of `name` on shared inputs: each way it changed, with a witness
        (`settled`: the changes already known not to happen, not asked of the solver).

        A rule or Bool definition is first compared on inputs whose lists hold at most
        SMALL_SCOPE elements: a difference nearly always shows there, as a witness
        that is an input of the full types too, found in milliseconds where the
        unrolled checkout (80 coupons, 20 stores) can take the solver past its
        timeout. Only the changes not shown there are asked on the full inputs."""
        nf = self.new.functions[new_name or name]
        base = self._same(name, nf.name)
        # (inputs holding lists the definition never reads answer alike on every length)
        long_lists = any(n > SMALL_SCOPE for i in inputs for env in i.envs for _, n in env.lists) and (
            reads_lists(self.old, name) or reads_lists(self.new, nf.name)
        )
        small = (
            self._plan(name, new_name, self.small) if long_lists else "no list longer than the small scope"
        )
        if nf.ret != BOOL:
            if not isinstance(small, str):
                # A value that changes on short lists changed: its largest changes are
                # those short lists show (and say so); only one the same on them is
                # asked on the full inputs, where showing it the same needs all of them.
                d = self._compare_value(self._query(name, small, nf.name), base)
                if d.status == CHANGED:
                    return replace(d, extremes=tuple(replace(e, scope=SMALL_SCOPE) for e in d.extremes))
            return self._compare_value(self._query(name, inputs, nf.name), base)
        shown: dict[str, Witness] = {}
        if not isinstance(small, str):
            q_small = self._query(name, small, nf.name)
            for change, goal in _bool_questions(q_small):
                if change not in settled and isinstance(w := self._search(q_small, goal, change), Witness):
                    shown[change] = w
        if {NARROWED, BROADENED} <= settled | shown.keys():
            return _bool_result(base, list(shown.values()), [])
        return self._compare_bool(self._query(name, inputs, nf.name), base, settled | shown.keys(), shown)

    def _query(self, name: str, inputs: tuple[SharedInput, ...], new_name: str) -> Query:
        """Both versions of `name` called on `inputs`, and this function's solvers set up."""
        of, nf = self.old.functions[name], self.new.functions[new_name]
        acc_o, acc_n = Acc(record=False), Acc(record=False)
        old = self.oc.call(name, [i.old for i in inputs], TRUE, acc_o, of.span)
        new = self.nc.call(nf.name, [i.new for i in inputs], TRUE, acc_n, nf.span)
        ok = [s.ok for s in (*acc_o.sides, *acc_n.sides)]
        assumed = tuple(c for c in (*(w for i in inputs for w in i.wf), *ok) if not is_true(c))
        envs = tuple(e for i in inputs for e in i.envs)
        texts = [(leaf.term, string_val("")) for env in envs for leaf in env.leaves if leaf.ty == TEXT]
        no_text = Subst(texts) if texts else None
        q = Query(name, inputs, old, new, assumed, envs, no_text, nf.name)
        # Fresh solvers per function, holding what every question about it assumes: one
        # over the inputs, and one where every text is "" (models of the first need Z3's
        # string solver, which is slow; most witnesses need no text at all).
        self.full = self.new_solver(assumed)
        self.plain = self.new_solver(tuple(no_text.boolean(a) for a in assumed)) if no_text else None
        self.solver = self.full
        return q

    def _compare_bool(
        self,
        q: Query,
        base: FunctionDiff,
        settled: frozenset[str] | set[str],
        shown: Mapping[str, Witness] | None = None,
    ) -> FunctionDiff:
        """Each way a rule changed not `settled` (known not to happen, or `shown` already)."""
        if boolean(q.old).eq(boolean(q.new)):
            return base
        witnesses: list[Witness] = []
        undecided: list[Undecided] = []
        for change, goal in _bool_questions(q):
            if shown and change in shown:
                witnesses.append(shown[change])
                continue
            if change in settled:
                continue
            found = self._search(q, goal, change)
            if isinstance(found, Witness):
                witnesses.append(found)
            elif isinstance(found, Undecided):
                undecided.append(found)
        return _bool_result(base, witnesses, undecided)

    def _compare_value(self, q: Query, base: FunctionDiff) -> FunctionDiff:
        same = self.nc.equal(q.new, q.old)
        if is_true(same):
            return base
        components = numeric_parts(q.old, q.new, base.ret)
        if not components:
            found = self._search(q, not_(same), CHANGED)
            if found is None:
                return base
            if isinstance(found, Undecided):
                return replace(base, status=UNKNOWN, undecided=(found,))
            return replace(base, status=CHANGED, changes=(CHANGED,), witnesses=(found,))
        result = self.decide(q, not_(same))
        if result == z3.unsat:
            return base
        if result == z3.unknown:
            return replace(base, status=UNKNOWN, undecided=(Undecided(CHANGED, self.reason_unknown()),))
        witnesses: list[Witness] = []
        undecided: list[Undecided] = []
        extremes: list[Extreme] = []
        presence_done: set[tuple[int, int]] = set()
        for c in components:
            key = (c.old_present.get_id(), c.new_present.get_id())
            if key not in presence_done:
                presence_done.add(key)
                for change, goal in (
                    ("disappeared", and_(c.old_present, not_(c.new_present))),
                    ("appeared", and_(not_(c.old_present), c.new_present)),
                ):
                    # Presence is the whole value's (a window's ends share it): label "".
                    found = self._search(q, goal, change, replace(c, label=""))
                    if isinstance(found, Witness):
                        witnesses.append(found)
                    elif isinstance(found, Undecided):
                        undecided.append(found)
            for direction in ("increase", "decrease"):
                extreme = self._extreme(q, c, direction)
                if extreme is not None:
                    extremes.append(extreme)
        if not witnesses and not any(e.witness for e in extremes):
            found = self._search(q, not_(same), CHANGED)
            if isinstance(found, Witness):
                witnesses.append(found)
        return replace(
            base,
            status=CHANGED,
            changes=(CHANGED,),
            witnesses=tuple(witnesses),
            extremes=tuple(extremes),
            undecided=tuple(undecided),
        )

    # ---- solving: `checker/diff_solve.py` -------------------------------------------------
    def _search(
        self, q: Query, goal: z3.BoolRef, change: str, component: Component | None = None
    ) -> Witness | Undecided | None:
        """A minimised, replayed input on which `goal` holds; None when there is none."""
        found = self.model(q, goal, change, component)
        if found is None or isinstance(found, Undecided):
            return found
        return self._replay(q, found.model, change, component)

    def _extreme(self, q: Query, c: Component, direction: str) -> Extreme | None:
        """The largest increase (or decrease) of a component where both versions have it.

        First whether it moves that way at all (a plain search, which also gives a
        witness), then the optimum under the simple assumptions that witness obeys
        (fast: often linear), then whether anything exceeds it without them; only
        when something does is the full problem optimised."""
        gain = c.new - c.old if direction == "increase" else c.old - c.new
        if c.old.is_real() or c.new.is_real():
            gain = real(c.new) - real(c.old) if direction == "increase" else real(c.old) - real(c.new)
        both = and_(c.old_present, c.new_present)
        if is_false(both):
            return None
        change = "increased" if direction == "increase" else "decreased"
        some = self.model(q, and_(both, as_bool(gain > 0)), change, c)
        if some is None:
            return Extreme(c.label, direction, "never", None, c.amount_ty)
        if isinstance(some, Undecided):
            return Extreme(c.label, direction, UNKNOWN, None, c.amount_ty, reason=some.reason)
        model, kept = some.model, some.kept
        best = self._optimum(q, both, gain, kept, some.no_text)
        if isinstance(best, Fraction):
            beyond = self.decide(q, and_(both, as_bool(gain > const_like(best, gain))))
            if beyond == z3.sat:
                best = self._optimum(q, both, gain, [], None)
            elif beyond == z3.unknown:
                best = f"whether it can exceed {best}: {self.reason_unknown()}"
        if isinstance(best, str):  # the optimiser gave up: show the change found
            return Extreme(
                c.label, direction, UNKNOWN, None, c.amount_ty, self._replay(q, model, change, c), best
            )
        if best is None:
            return Extreme(
                c.label, direction, "unbounded", None, c.amount_ty, self._replay(q, model, change, c)
            )
        found = self._search(q, and_(both, as_bool(gain == const_like(best, gain))), change, c)
        if not isinstance(found, Witness):
            why = found.reason if isinstance(found, Undecided) else "the optimum has no model"
            return Extreme(c.label, direction, UNKNOWN, amount_value(best, c), c.amount_ty, reason=why)
        return Extreme(c.label, direction, "bounded", amount_value(best, c), c.amount_ty, found)

    def _optimum(
        self,
        q: Query,
        both: z3.BoolRef,
        gain: z3.ArithRef,
        assumed: Sequence[z3.BoolRef],
        no_text: Subst | None,
    ) -> Fraction | str | None:
        """The largest `gain` under `assumed` (None: unbounded; a str: why the optimiser gave up)."""
        opt = z3.Optimize()
        opt.set("random_seed", self.options.seed)
        opt.set("timeout", self.options.timeout_ms)
        opt.set("rlimit", self.options.timeout_ms * RLIMIT_PER_MS)
        goal = [*q.assumed, both, *assumed]
        opt.add(*(no_text.boolean(x) for x in goal) if no_text is not None else goal)
        handle = opt.maximize(as_arith(no_text(gain)) if no_text is not None else gain)
        start = time.perf_counter()
        result = opt.check()
        if result != z3.sat:
            # unsat cannot be: a model with a positive gain satisfies all of it.
            elapsed = time.perf_counter() - start
            why = gave_up(opt.reason_unknown(), self.options.timeout_ms, elapsed)
            return f"the optimiser ran {why}" if why.startswith("out of") else f"the optimiser gave up: {why}"
        infinite, value, eps = handle.upper_values()
        if exact(infinite) != 0 or exact(eps) != 0:
            return None  # no largest value (unbounded, or a supremum never reached)
        return exact(value)

    # ---- witnesses -----------------------------------------------------------------------
    def _replay(self, q: Query, model: z3.ModelRef, change: str, component: Component | None) -> Witness:
        ev = model_evaluator(model)
        of, nf = self.old.functions[q.func], self.new.functions[q.renamed_to]
        old_args = tuple(decode(i.old, i.old_ty, ev, self.oc.types) for i in q.inputs)
        new_args = tuple(decode(i.new, i.new_ty, ev, self.nc.types) for i in q.inputs)
        for interp, f, args in ((self.oi, of, old_args), (self.ni, nf, new_args)):
            for p, v in zip(f.params, args, strict=True):
                broken = interp.violations(p.ty, v, p.name)
                if broken:
                    names = ", ".join(f"{b.record}.{b.invariant.name} at {b.path}" for b in broken)
                    raise ReplayMismatch(f"diff of `{q.func}`: a witness breaks invariants ({names})")
        try:
            old_e = self.oi.explain(q.func, old_args)
            new_e = self.ni.explain(q.renamed_to, new_args)
        except EvalError as exc:
            raise ReplayMismatch(f"diff of `{q.func}`: the interpreter fails on a witness: {exc}") from exc
        old_v = old_e.outcome if isinstance(old_e, RuleExplanation) else old_e.value
        new_v = new_e.outcome if isinstance(new_e, RuleExplanation) else new_e.value
        amount: Value = None
        amount_ty: Type | None = None
        if component is not None:
            a, b = part_of(old_v, component.label), part_of(new_v, component.label)
            if change in ("increased", "decreased"):
                expected = ev(
                    component.new - component.old
                    if not component.new.is_real()
                    else real(component.new) - real(component.old)
                )
                if not (isinstance(a, int | Fraction) and isinstance(b, int | Fraction)):
                    raise ReplayMismatch(
                        f"diff of `{q.func}`: the witness has no {component.label or 'value'}"
                    )
                amount = amount_value(Fraction(b) - Fraction(a), component)
                if Fraction(b) - Fraction(a) != exact(expected):
                    raise ReplayMismatch(
                        f"diff of `{q.func}`: Z3 moves it by {expected}, the interpreters by {amount}"
                    )
                amount_ty = component.amount_ty
            agrees = {
                "increased": isinstance(amount, int | Fraction) and amount > 0,
                "decreased": isinstance(amount, int | Fraction) and amount < 0,
                "appeared": a is None and b is not None,
                "disappeared": a is not None and b is None,
            }[change]
        else:
            agrees = {
                NARROWED: old_v is True and new_v is False,
                BROADENED: old_v is False and new_v is True,
                CHANGED: old_v != new_v,
            }[change]
        if not agrees:
            raise ReplayMismatch(
                f"diff of `{q.func}` ({change}): the interpreters give {old_v!r} before and {new_v!r} now "
                f"on {old_args!r} / {new_args!r}"
            )
        old_r = Reading(_inputs(of, old_args), old_v, of.ret, old_e)
        new_r = Reading(_inputs(nf, new_args), new_v, nf.ret, new_e)
        return Witness(change, component.label if component else "", old_r, new_r, amount, amount_ty)


# ---- helpers ------------------------------------------------------------------------------


SMALL_SCOPE = 2  # list elements in the first comparison of a rule (`Differ._compare`)


def _bool_questions(q: Query) -> tuple[tuple[str, z3.BoolRef], ...]:
    """Did it narrow (held before, not now)? Did it broaden?"""
    o, n = boolean(q.old), boolean(q.new)
    return ((NARROWED, and_(o, not_(n))), (BROADENED, and_(not_(o), n)))


def _bool_result(
    base: FunctionDiff, witnesses: Sequence[Witness], undecided: Sequence[Undecided]
) -> FunctionDiff:
    changes = tuple(w.change for w in witnesses)
    return replace(
        base,
        status=_status(changes, undecided),
        changes=changes,
        witnesses=tuple(witnesses),
        undecided=tuple(undecided),
    )


def _never(d: FunctionDiff, change: str) -> bool:
    """Whether `d` shows that this change cannot happen (asked and unsat, or settled)."""
    return change not in d.changes and not any(u.question == change for u in d.undecided)


def _status(changes: Sequence[str], undecided: Sequence[Undecided]) -> str:
    if NARROWED in changes and BROADENED in changes:
        return BOTH
    if changes:
        return changes[0]
    return UNKNOWN if undecided else EQUIVALENT


def _inputs(f: core.Function, args: tuple[Value, ...]) -> tuple[Input, ...]:
    return tuple(Input(p.name, p.ty, v) for p, v in zip(f.params, args, strict=True))
