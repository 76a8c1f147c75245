"""A policy compiled once to Z3, and the symbolic queries over it.

`CompiledPolicy(program)` compiles every function and constant once
(`checker/compile.py`; a property on its first use, then kept) and owns one
`z3.Solver` with a fixed random seed. Every check has a timeout (default 10 s)
and a resource limit proportional to it (`RLIMIT_PER_MS`): the resource limit is
deterministic and normally stops a hard query first, the timeout is the backstop.
Every query runs inside `push`/`pop`, so the solver is reused and the
compilation never rebuilt.

* `evaluate(func, args)`: the value Z3 gives the function with the inputs fixed
  (model evaluation of the compiled template; the differential tests compare it
  with the interpreter). A division by zero raises `EvalError` like the interpreter.
* `prove(prop)`: `Proved` when the negation (the body is false, or a division by
  zero is reachable) is unsat under the invariants and list bounds; `Violated`
  with a counterexample that is decoded, minimised (`checker/minimize.py`) and
  replayed through the interpreter; `Unknown` when the solver gives up. Simple
  models are looked for first (optional inputs absent, percentages zero), which
  also keeps the arithmetic linear where it can be.
* Replay evaluates the property body with the interpreter, the top-level
  `forall` variables bound to the counterexample; a quantifier over every value
  of an infinite type inside (`exists d: Date`), which the interpreter cannot
  enumerate, is decided by the solver on the concrete values (said in the note).
* `explore(prop, n)`: up to n counterexamples that differ in which clauses
  decided (each one's clause outcomes are blocked before the next search).
* `window`, `why_not`, `explain` (`checker/query.py`) and `lint` (`checker/lint.py`).

A replay that disagrees with the solver raises `ReplayMismatch`: a bug in the
compiler or the interpreter, never a finding.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import z3

from smallprint.grammar.span import Span
from smallprint.model import core
from smallprint.model.core import Value
from smallprint.model.failing import failing_part
from smallprint.model.interp import EvalError, Interpreter
from smallprint.model.types import BOOL, PERCENT, EnumT, OptT, Type

from .binder import Binder
from .compile import Compiler
from .compiled import Acc, ClauseTerm, PropertyQuery, Template
from .decode import Evaluator, decode, model_evaluator, truth
from .isolate import Isolated
from .minimize import measures, minimise, minimise_measures
from .progress import Progress
from .proof_cache import KeptAnswers
from .results import (
    ClauseOutcome,
    Counterexample,
    Decided,
    Finding,
    Input,
    ListBound,
    ProofResult,
    Proved,
    RegionAnswer,
    Unknown,
    Violated,
    WhyNot,
    WindowAnswer,
)
from .solving import LimitedSolver, limited_check
from .symenv import EncodingError, SymEnv, leaves_of
from .terms import TRUE, Side, and_, as_arith, as_bool, boolean, eq, is_false, is_true, not_, or_

DEFAULT_TIMEOUT_MS = 10_000
# Z3's resource count (deterministic, unlike wall-clock) per millisecond of timeout,
# measured here at about 3,000/ms: a query stops on the resource limit first, with the
# same answer on every run, and the timeout is the backstop on a slow machine.
MINIMISE_BUDGET_MS = 5_000
SIMPLE_FIRST_MS = 2_000


class ReplayMismatch(Exception):
    """The interpreter disagrees with a model of the solver: an internal error."""


class CompiledPolicy(LimitedSolver):
    """One program compiled to Z3, with one solver reused by every query."""

    def __init__(
        self,
        program: core.Program,
        *,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
        rlimit: int | None = None,
        seed: int = 0,
    ) -> None:
        start = time.perf_counter()
        self.program = program
        # Answers kept from earlier runs, by the cone of each definition (the command
        # line's cache: `keep_answers`). None: everything is computed.
        self.kept: KeptAnswers | None = None
        self.seed = seed
        self.compiler = Compiler(program)
        # What cannot be compiled (a construct without an encoding) is kept with its
        # reason, so that the rest of the policy can still be queried. Functions are
        # compiled when a query first needs them: a proof or a plan reaches only part
        # of a policy, and templates at the declared list bounds can be large.
        self.unsupported: dict[str, str] = {}
        for name in program.consts:
            try:
                self.compiler.const(name)
            except EncodingError as exc:
                self.unsupported[name] = str(exc)
        self._properties: dict[str, PropertyQuery] = {}  # compiled on first use, then kept
        self._wf: dict[tuple[str, int | None], tuple[z3.BoolRef, ...]] = {}
        self._binders: dict[int, Binder] = {}
        self._ok: dict[int, z3.BoolRef] = {}
        self.timeout_ms = timeout_ms
        self.rlimit = rlimit
        self.solver = z3.Solver()
        self.solver.set("random_seed", seed)
        self._last = (timeout_ms, 0.0)
        self.interp = Interpreter(program)
        self.compile_seconds = time.perf_counter() - start

    def keep_answers(self) -> None:
        """Reuse the answers kept in the user's cache folder for definitions whose cone
        is unchanged, and keep new ones (`checker/proof_cache.py`)."""
        settings = f"timeout {self.timeout_ms} rlimit {self.rlimit} seed {self.seed}"
        self.kept = KeptAnswers.open(self.program, settings)

    # ---- solver plumbing ------------------------------------------------------------
    def reason_unknown(self) -> str:
        """Why the last check gave up, in words for the user."""
        return unknown_reason(self.solver, *self._last)

    def template(self, func: str, cap: int | None = None) -> Template:
        """`func` over fresh parameters; with `cap`, every list of them has at most
        `cap` elements (the bounded lint of a policy with large list bounds)."""
        if func not in self.program.functions:
            raise KeyError(f"no rule or definition `{func}`")
        if func in self.unsupported:
            raise EncodingError(f"`{func}` cannot be compiled to Z3: {self.unsupported[func]}")
        try:
            return self.compiler.template(func, cap=cap)
        except EncodingError as exc:
            self.unsupported[func] = str(exc)
            raise EncodingError(f"`{func}` cannot be compiled to Z3: {exc}") from exc

    def unsupported_reason(self, func: str, cap: int | None = None) -> str | None:
        """Why `func` has no Z3 encoding, or None when it compiles."""
        try:
            self.template(func, cap)
        except EncodingError:
            return self.unsupported[func]
        return None

    def well_formed(self, func: str, cap: int | None = None) -> tuple[z3.BoolRef, ...]:
        """The invariants and list bounds of the parameters of `func` (cached)."""
        key = (func, cap)
        if key not in self._wf:
            self._wf[key] = tuple(self.compiler.well_formed(self.template(func, cap).env))
        return self._wf[key]

    # ---- concrete evaluation ------------------------------------------------------
    def evaluate(self, func: str, args: Sequence[Value], cap: int | None = None) -> Value:
        """The value of `func` on `args` by Z3 model evaluation of its compiled form
        (with `cap`: the form compiled for lists of at most `cap` elements)."""
        t = self.template(func, cap)
        ev = self.fixed(t, args)
        if t.sides and not truth(ev(self._all_ok(t))):
            failing = next(s for s in t.sides if not truth(ev(s.ok)))
            raise EvalError(failing.message, failing.span)
        return decode(t.result, t.func.ret, ev, self.compiler.types)

    def fixed(self, t: Template, args: Sequence[Value]) -> Evaluator:
        """An evaluator of the template's terms with its parameters set to `args`."""
        name = t.func.name
        key = id(t)  # templates live as long as the compiler that caches them
        if key not in self._binders:
            self._binders[key] = Binder(self.compiler.types, t.params, t.param_types)
        if len(args) != len(t.func.params):
            raise ValueError(f"`{name}` takes {len(t.func.params)} argument(s), {len(args)} given")
        return model_evaluator(self._binders[key].model(list(args)))

    def _all_ok(self, t: Template) -> z3.BoolRef:
        if id(t) not in self._ok:
            self._ok[id(t)] = and_(*(s.ok for s in t.sides))
        return self._ok[id(t)]

    # ---- properties ------------------------------------------------------------------
    def property_query(self, name: str) -> PropertyQuery:
        if name not in self._properties:
            if name not in self.program.properties:
                raise KeyError(f"no property `{name}`")
            self._properties[name] = self.compiler.property(self.program.properties[name])
        return self._properties[name]

    def holds_on(self, name: str, inputs: Mapping[str, Value]) -> bool:
        """The property's body on concrete values of its top-level `forall` variables,
        by the interpreter (the solver decides only quantifiers over infinite types)."""
        q = self.property_query(name)
        return _Replayer(self).eval(q.inner, dict(inputs)) is True

    def known(self, name: str, timeout_ms: int | None = None) -> ProofResult | None:
        """The answer kept for the property from an earlier run, if any (`keep_answers`)."""
        if self.kept is None:
            return None
        timeout = timeout_ms if timeout_ms is not None else self.timeout_ms
        return self.kept.proved(name, timeout) or self.kept.violation(name, timeout)

    def prove(self, name: str, timeout_ms: int | None = None) -> ProofResult:
        if self.kept is None:
            return self._prove(name, timeout_ms)[0]
        known = self.known(name, timeout_ms)
        if known is not None:
            return known
        timeout = timeout_ms if timeout_ms is not None else self.timeout_ms
        result, canonical = self._prove(name, timeout_ms)
        if isinstance(result, Violated):
            if canonical:
                self.kept.keep_violation(result, timeout)
        else:
            self.kept.keep_proof(result, timeout)
        return result

    def _prove(self, name: str, timeout_ms: int | None = None) -> tuple[ProofResult, bool]:
        """The answer, and whether its counterexample (if any) depends on the query alone
        (found in a context of its own), so that it may be kept."""
        result, canonical = self._decide(name, timeout_ms)
        q = self.property_query(name)
        if isinstance(result, Proved) and q.assumed is not None:
            timeout = timeout_ms if timeout_ms is not None else self.timeout_ms
            assumed = _AssumedSolver(q, self.seed, timeout, self.rlimit)
            if assumed.check() == z3.unsat:
                result = replace(result, vacuous=True)
            else:
                result = replace(result, bounds=_assumed_bounds(assumed, q, result.bounds))
        return result, canonical

    def _decide(self, name: str, timeout_ms: int | None = None) -> tuple[ProofResult, bool]:
        q = self.property_query(name)
        bounds = tuple(ListBound(path, bound) for path, bound in q.bounds)
        bad = _failure(q)
        if is_false(bad):
            return Proved(name, q.prop.span, bounds), True
        with self.frame() as s:
            s.add(*q.wf, bad)
            result, simple = self._search(q, timeout_ms)
            if result == z3.unsat:
                return Proved(name, q.prop.span, bounds), True
            if result == z3.unknown:
                # Z3's search follows the order of the terms, which here depends on all
                # that was compiled before: a second try in a context of its own (terms
                # in the query's own order) settles some of what the first gave up on.
                reason = self.reason_unknown()
                timeout = timeout_ms if timeout_ms is not None else self.timeout_ms
                second = self.isolated_minimum([q.env], _simple(q), timeout)
                if isinstance(second, z3.CheckSatResult):
                    if second == z3.unsat:
                        return Proved(name, q.prop.span, bounds), True
                    return Unknown(name, q.prop.span, reason), False
                ev, canonical = second, True
            else:
                ev, canonical = self._minimised(q, timeout_ms, simple)
            cex = self._property_counterexample(q, ev)
        return Violated(name, q.prop.span, cex, bounds), canonical

    def prove_all(
        self,
        timeout_ms: int | None = None,
        names: Sequence[str] | None = None,
        progress: Progress | None = None,
    ) -> list[ProofResult]:
        """The properties `names` (all of them when None), in order; `progress` says
        which one is being proved."""
        todo = list(self.program.properties) if names is None else list(names)
        shown = progress or Progress.off()
        return [self.prove(name, timeout_ms) for name in shown.each(todo, lambda n: f"proving {n}")]

    def explore(self, name: str, count: int, timeout_ms: int | None = None) -> list[Counterexample]:
        """Up to `count` counterexamples, each deciding a different set of clauses."""
        return self.explore_all(name, count, timeout_ms)[0]

    def explore_all(
        self, name: str, count: int, timeout_ms: int | None = None
    ) -> tuple[list[Counterexample], bool]:
        """As `explore`, and whether those found are all there are (the solver showed that
        no other counterexample decides a different set of clauses): fewer than `count`
        then means fewer exist, not that the solver gave up."""
        q = self.property_query(name)
        bad = _failure(q)
        out: list[Counterexample] = []
        if is_false(bad):
            return out, True
        exhausted = False
        blocks: list[z3.BoolRef] = []
        pinned = False
        with self.frame() as s:
            s.add(*q.wf, bad)
            try:
                while len(out) < count:
                    result, simple = self._search(q, timeout_ms)
                    if result == z3.unsat and pinned:
                        # Every way the failing part can go with the other inputs as they
                        # were is shown: now other inputs may change too.
                        s.pop()
                        pinned = False
                        s.add(*blocks)
                        continue
                    if result != z3.sat:
                        exhausted = result == z3.unsat
                        break
                    ev, _ = self._minimised(q, timeout_ms, simple)
                    cex = self._property_counterexample(q, ev)
                    out.append(cex)
                    signature = _signature(q.clauses, not_(q.body), ev)
                    if not signature:
                        exhausted = True  # it decided no clause: every other one decides the same
                        break
                    blocks.append(not_(and_(*signature)))
                    pins = _other_inputs_pinned(q, cex, ev) if len(out) == 1 else []
                    if pins:
                        # Counterexamples that differ only in inputs the failing part does not
                        # read say nothing new about it: first vary what it reads.
                        s.push()
                        pinned = True
                        s.add(*pins)
                    s.add(blocks[-1])
            finally:
                if pinned:
                    s.pop()
        return out, exhausted

    def _search(self, q: PropertyQuery, timeout_ms: int | None) -> tuple[z3.CheckSatResult, list[z3.BoolRef]]:
        """Check the asserted negation, simple models first (`simple_first`); the result
        and the assumptions the model obeys (kept while it is minimised)."""
        timeout = timeout_ms if timeout_ms is not None else self.timeout_ms
        return simple_first(self.solver, self.check, _simple(q), timeout)

    def _minimised(
        self, q: PropertyQuery, timeout_ms: int | None, fixed: Sequence[z3.BoolRef]
    ) -> tuple[Evaluator, bool]:
        """A minimised counterexample of the query asserted in the current frame (which
        the shared solver found satisfiable), and whether it depends on the query
        alone (found in a context of its own, not the shared solver's model)."""
        timeout = timeout_ms if timeout_ms is not None else self.timeout_ms
        isolated = self.isolated_minimum([q.env], _simple(q), timeout)
        if not isinstance(isolated, z3.CheckSatResult):
            return isolated, True
        budget = min(MINIMISE_BUDGET_MS, timeout)
        shared = minimise(self.solver, self.check, self.solver.model(), [q.env], budget, fixed)
        return model_evaluator(shared), False

    def isolated_minimum(
        self, envs: list[SymEnv], simple: Sequence[z3.BoolRef], timeout: int
    ) -> Evaluator | z3.CheckSatResult:
        """A model of the assertions of the current frame, minimised over the inputs of
        `envs` (`simple`: assumptions tried first), found in a context of its own
        (`checker/isolate.py`) so that it depends on the query alone, not on what
        was compiled or solved before. When there is none, the answer (`unsat`, or
        `unknown` when the search gave up: a caller with a model of the shared
        solver then minimises that one)."""
        iso = Isolated(self.solver.assertions(), self.seed)

        def check(ms: int, *assumptions: z3.BoolRef) -> z3.CheckSatResult:
            return limited_check(iso.solver, ms, self.rlimit, assumptions)[0]

        result, kept = simple_first(iso.solver, check, [as_bool(iso.term(t)) for t in simple], timeout)
        if result != z3.sat:
            return result
        scales = [as_arith(iso.term(m)) for m in measures(envs)]
        budget = min(MINIMISE_BUDGET_MS, timeout)
        model = minimise_measures(iso.solver, check, iso.solver.model(), scales, budget, kept)
        return lambda term: iso.value(model, term)

    def _property_counterexample(self, q: PropertyQuery, ev: Evaluator) -> Counterexample:
        types = self.compiler.types
        inputs = tuple(Input(n, ty, decode(q.env.roots[n], ty, ev, types)) for n, ty in q.binders)
        failing = next((s for s in q.sides if not truth(ev(s.ok))), None)
        reason, span = ("the property is false", q.prop.span) if failing is None else _side_reason(failing)
        clauses = outcomes(q.clauses, ev)
        self.check_inputs(inputs)
        env = {i.name: i.value for i in inputs}
        replayer = _Replayer(self)
        try:
            value = replayer.eval(q.inner, env)
        except _Undecided as exc:
            why = f"not replayed: the solver could not decide {exc} on the concrete values"
            return Counterexample(q.prop.name, inputs, reason, span, clauses, replayed=False, note=why)
        except EvalError as exc:
            if failing is None:
                raise ReplayMismatch(
                    f"property `{q.prop.name}`: the interpreter fails ({exc}) on {env}"
                ) from exc
            reason, span = exc.message, exc.span
        else:
            if failing is not None:
                raise ReplayMismatch(
                    f"property `{q.prop.name}`: Z3 reports {failing.message} at {failing.span}, "
                    f"the interpreter evaluates to {value!r} on {env}"
                )
            if value is not False:
                raise ReplayMismatch(f"property `{q.prop.name}`: the interpreter says {value!r} on {env}")
        note: str | None = None
        if replayer.decided:
            names = ", ".join(f"`{x}`" for x in replayer.decided)
            note = (
                f"replayed; the quantifiers over every value of a type ({names}) were decided by the solver"
            )
        part = failing_part(replayer, q.inner, env) if failing is None else None
        return Counterexample(q.prop.name, inputs, reason, span, clauses, note=note, failing=part)

    def decide(self, e: core.Quant, env: Mapping[str, Value]) -> bool:
        """The truth of a quantifier whose free variables have the concrete values `env`."""
        types = self.compiler.types
        scope = {
            x.name: types.value(env[x.name], x.ty)
            for x in core.walk(e)
            if isinstance(x, core.Var) and x.name in env
        }
        term = boolean(self.compiler.expr(e, scope, TRUE, Acc(record=False)))
        for goal, answer in ((not_(term), True), (term, False)):
            with self.frame() as s:
                s.add(goal)
                if self.check() == z3.unsat:
                    return answer
        raise _Undecided(f"{e.op} {e.var}: {e.var_ty}")

    def check_inputs(self, inputs: Sequence[Input]) -> None:
        """A model must respect the invariants it was constrained by."""
        for i in inputs:
            broken = self.interp.violations(i.ty, i.value, i.name)
            if broken:
                names = ", ".join(f"{v.record}.{v.invariant.name} at {v.path}" for v in broken)
                raise ReplayMismatch(f"a model breaks invariants ({names}): {i.value!r}")

    # ---- other queries (see checker/query.py and checker/lint.py) ------------------
    def window(self, func: str, args: Mapping[str, Value], free: str) -> WindowAnswer | Unknown:
        from .query import window

        return window(self, func, args, free)

    def region(self, func: str, args: Mapping[str, Value], free: Sequence[str]) -> RegionAnswer | Unknown:
        from .region import region

        return region(self, func, args, free)

    def why_not(self, func: str, args: Sequence[Value]) -> WhyNot:
        from .query import why_not

        return why_not(self, func, args)

    def explain(self, func: str, args: Sequence[Value]) -> WhyNot | Decided:
        from .query import explain

        return explain(self, func, args)

    def lint(self, timeout_ms: int | None = None) -> list[Finding]:
        from .lint import lint

        return lint(self, timeout_ms)

    # ---- witnesses over a function's parameters ----------------------------------
    def witness(
        self,
        func: str,
        model: z3.ModelRef,
        reason: str,
        span: Span,
        timeout_ms: int | None = None,
        cap: int | None = None,
    ) -> tuple[Counterexample, tuple[Value, ...]]:
        """The parameters of `func` in `model`, minimised, as inputs (not replayed here)."""
        t = self.template(func, cap)
        timeout = timeout_ms if timeout_ms is not None else self.timeout_ms
        isolated = self.isolated_minimum([t.env], (), timeout)
        if isinstance(isolated, z3.CheckSatResult):
            budget = min(MINIMISE_BUDGET_MS, timeout)
            ev = model_evaluator(minimise(self.solver, self.check, model, [t.env], budget))
        else:
            ev = isolated
        types = self.compiler.types
        values = tuple(decode(sym, p.ty, ev, types) for p, sym in zip(t.func.params, t.params, strict=True))
        inputs = tuple(Input(p.name, p.ty, v) for p, v in zip(t.func.params, values, strict=True))
        self.check_inputs(inputs)
        return Counterexample(func, inputs, reason, span, outcomes(t.clauses, ev)), values


def unknown_reason(solver: z3.Solver, timeout_ms: int, elapsed: float) -> str:
    """Why the solver's last check (under `timeout_ms`, `elapsed` seconds) gave up, in words."""
    reason: str = solver.reason_unknown()
    if reason in ("canceled", "timeout", "max. resource limit exceeded"):
        if elapsed * 1000 >= timeout_ms * 0.9:
            return f"timeout ({timeout_ms} ms)"
        return f"resource limit (the deterministic bound that stands for the {timeout_ms} ms timeout)"
    return reason or "unknown"


FAST_TRY_MS = 100


def _other_inputs_pinned(q: PropertyQuery, cex: Counterexample, ev: Evaluator) -> list[z3.BoolRef]:
    """Each input the counterexample's failing part does not read, held at its value."""
    if cex.failing is None:
        return []
    reads = set(cex.failing.reads)
    others = [name for name, _ in q.binders if name not in reads]
    if not reads or not others:
        return []
    return [eq(t, ev(t)) for name in others for t in leaves_of(q.env.roots[name])]


class _AssumedSolver:
    """What a property's `where` assumes (with the invariants and bounds), asked whether
    it can hold: a question of satisfiability. On the AliExpress suite no one solver
    answers all of them fast: Z3's linear-integer solver took 2-8 ms where its
    default solver took 0.3-0.6 s, but gave up on four; simplifying and solving the
    equalities first answered those in 7-13 ms. So: the linear-integer solver (a
    short, resource-bounded, deterministic try, not asked again once it gave up),
    then the preprocessing one, then the default. Any of them's sat or unsat is an
    answer."""

    def __init__(self, q: PropertyQuery, seed: int, timeout_ms: int, rlimit: int | None) -> None:
        self.timeout_ms, self.rlimit, self.seed = timeout_ms, rlimit, seed
        self.facts = (*q.wf, q.assumed)
        self.fast_helps = True
        self.fast = self._solver(z3.SolverFor("QF_LIA"))
        self.others: list[z3.Solver] = []  # made when the fast one first gives up

    def _solver(self, s: z3.Solver) -> z3.Solver:
        s.set("random_seed", self.seed)
        s.add(*self.facts)
        return s

    def check(self, *assumptions: z3.BoolRef) -> z3.CheckSatResult:
        result = z3.unknown
        if self.fast_helps:
            result = limited_check(self.fast, min(FAST_TRY_MS, self.timeout_ms), None, assumptions)[0]
            self.fast_helps = result != z3.unknown
        if result == z3.unknown and not self.others:
            preprocessing = z3.Then("simplify", "propagate-values", "solve-eqs", "smt").solver()
            self.others = [self._solver(preprocessing), self._solver(z3.Solver())]
        for s in self.others:
            if result != z3.unknown:
                break
            result = limited_check(s, self.timeout_ms, self.rlimit, assumptions)[0]
        return result


def _assumed_bounds(
    assumed: _AssumedSolver, q: PropertyQuery, bounds: tuple[ListBound, ...]
) -> tuple[ListBound, ...]:
    """The list bounds the proof covers: a `where` that keeps a list shorter than its type
    allows (`size(s.lines) <= 2`) covers only that much, and saying the type's bound
    would overstate the proof. The longest length its assumptions allow, by the solver
    (a length it cannot rule out in time is kept)."""
    lengths = dict(q.env.lengths)
    # A list inside a list's slot counts only while the slot is in use (`ss[1].lines` is
    # free when `ss` has one element): its leaf's guard says when.
    in_use = {leaf.path: leaf.guard for leaf in q.env.leaves}
    out: list[ListBound] = []
    for b in bounds:
        length, n = lengths.get(b.path), b.bound
        guard = in_use.get(f"{b.path}#", z3.BoolVal(True))
        while length is not None and n > 0 and assumed.check(z3.And(guard, length >= n)) == z3.unsat:
            n -= 1
        out.append(ListBound(b.path, n))
    return tuple(out)


def _simple(q: PropertyQuery) -> list[z3.BoolRef]:
    """Every optional input absent and every percentage input zero: models that read
    best, and often a linear query where the full one is not (`price * rate`)."""
    simple = [not_(present) for _, present, _ in q.env.presence]
    return simple + [as_bool(leaf.term == 0) for leaf in q.env.leaves if leaf.ty == PERCENT]


def simple_first(
    solver: z3.Solver, check: Callable[..., z3.CheckSatResult], simple: list[z3.BoolRef], timeout: int
) -> tuple[z3.CheckSatResult, list[z3.BoolRef]]:
    """Check the solver's assertions under the assumptions `simple` first, dropping those
    in each unsat core, for a short while; then without them. A `sat` under some is a
    genuine model; an empty core is a proof. The answer, and the assumptions a `sat`
    model obeys."""
    deadline = time.monotonic() + min(SIMPLE_FIRST_MS, timeout // 4) / 1000
    while simple:
        left = int((deadline - time.monotonic()) * 1000)
        if left <= 0:
            break
        result = check(left, *simple)
        if result == z3.sat:
            return result, simple
        if result != z3.unsat:
            break
        core = {x.get_id() for x in solver.unsat_core()}
        if not core:
            return z3.unsat, []
        simple = [x for x in simple if x.get_id() not in core]
    return check(timeout), []


def _failure(q: PropertyQuery) -> z3.BoolRef:
    """The property fails: its body is false, or a division by zero is reached."""
    return or_(not_(q.body), *(not_(s.ok) for s in q.sides))


def _side_reason(side: Side) -> tuple[str, Span]:
    return side.message, side.span


def outcomes(clauses: Sequence[ClauseTerm], ev: Evaluator) -> tuple[ClauseOutcome, ...]:
    """The clauses that were evaluated in a model, with whether each held."""
    out = []
    for c in clauses:
        if truth(ev(c.reached)):
            conds = tuple(truth(ev(x.holds)) if truth(ev(x.reached)) else None for x in c.conds)
            held = truth(ev(c.holds))
            out.append(ClauseOutcome(c.func, c.kind, c.index, c.span, c.cites, held, c.site, conds))
    return tuple(out)


def _signature(clauses: Sequence[ClauseTerm], extra: z3.BoolRef, ev: Evaluator) -> list[z3.BoolRef]:
    """Equalities pinning which clauses (and which of their conditions) were reached and
    held in a model: the next counterexample must decide at least one differently."""
    out = [eq(extra, ev(extra))]
    for c in clauses:
        for reached, holds in ((c.reached, c.holds), *((x.reached, x.holds) for x in c.conds)):
            decided = and_(reached, holds)
            out.append(eq(reached, ev(reached)))
            out.append(eq(decided, ev(decided)))
    return [x for x in out if not is_true(x)]


class _Undecided(Exception):
    pass


class _Replayer(Interpreter):
    """The interpreter, except that a quantifier over every value of an infinite type
    (which it cannot enumerate) is decided by the solver on the concrete values."""

    def __init__(self, policy: CompiledPolicy) -> None:
        super().__init__(policy.program)
        self.policy = policy
        self.decided: list[str] = []
        # Each decision is a compilation and up to two solver calls; the replay, then
        # the search for the failing part, ask for the same ones.
        self._answers: dict[tuple[int, tuple[tuple[str, Value], ...]], bool] = {}

    def quant(self, e: core.Quant, env: Mapping[str, Value]) -> bool:
        if _finite(e.var_ty):
            return super().quant(e, env)
        free = sorted({x.name for x in core.walk(e) if isinstance(x, core.Var) and x.name in env})
        key = (id(e), tuple((name, env[name]) for name in free))
        if key not in self._answers:
            self.decided.append(f"{e.op} {e.var}: {e.var_ty}")
            self._answers[key] = self.policy.decide(e, env)
        return self._answers[key]


def _finite(ty: Type) -> bool:
    if isinstance(ty, OptT):
        return _finite(ty.inner)
    return ty == BOOL or isinstance(ty, EnumT)
