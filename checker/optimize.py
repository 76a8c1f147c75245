"""The best plan for concrete inputs, with a proof that no plan is better.

A plan (`core.PlanDef`) chooses some input fields. Every other input is a
constant here, so the compiled requires and objectives are small formulas
over the chosen fields only (`checker/plan_terms.py`). The search:

1. find a first plan: the terms are compiled to Python and a local search
   improves on "nothing chosen" (or on any plan the solver finds, when that is
   not one) by a greedy pass, single flips and swaps (`checker/plan_eval.py`);
   Z3 evaluates the terms on the plan it ends on, and that model, not the
   search's arithmetic, is the incumbent. Terms the Python evaluator does not
   know fall back to Z3's optimiser (`z3.Optimize`, half the time budget);
2. tighten: ask a solver of its own (not incremental, the requires as facts)
   for a plan lexicographically better than the incumbent (better on the first
   objective, or equal on it and better on the next, ...); each plan found is
   improved by the local search again; the unsat answer that ends the loop
   proves every objective optimal at once;
3. meanwhile (`checker/background.py`), decode the chosen fields and replay the
   plan through the interpreter (`model/planning.py`): its requires must hold
   and its objectives equal the solver's, else it is a bug, never an answer;
4. for every Bool choice left false (an unused coupon), say why: forced true,
   either the requires become unsat on an incremental solver with each require
   behind a tracking literal (the unsat core names them), or the best plan
   with it is worse by a stated amount (`checker/plan_reasons.py`).

A solver that gives up yields `unknown` with the best plan found so far and
what was not proved.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

import z3

from smallprint.model import core, planning
from smallprint.model.core import Value
from smallprint.model.interp import EvalError, RememberingInterpreter
from smallprint.model.types import Type

from .background import check_while
from .dag import snapshot
from .decode import exact
from .linearize import Twins
from .plan_eval import Evaluate, Greedy, Unsupported, compile_terms, greedy_search
from .plan_reasons import why_each_unused
from .plan_result import (
    ChosenValue,
    ObjectiveValue,
    PlanResult,
    Reported,
    RequireRef,
    Unused,
    label,
    reported,
)
from .plan_terms import PlanTerms, Prepared, check_sizes, linearized, list_sizes, partial_terms, slot_text
from .symenv import Types, conjunction
from .terms import Assignment, as_bool, bundle, truth_values

DEFAULT_TIMEOUT_MS = 10_000
SEED = 7
# Z3's older simplex-based arithmetic solver: on the coupon plans (sums clamped by
# `max(0, ...)` and `min`), it proves optimality about 1.5x faster at 40 coupons
# and 2-3x at 80 than the default one (docs/performance.md).
ARITH_SOLVER = 2


@dataclass(frozen=True)
class Replayed:
    """A plan decoded from a model and replayed through the interpreter."""

    values: tuple[Value, ...]
    args: tuple[Value, ...]
    outcome: planning.Outcome | None
    error: EvalError | None
    reported: tuple[Reported, ...] = ()  # the plan's per-element lets there


# A local search's descent still to run (pure Python): the plan it reaches when better
# than the greedy plan it starts from, else None.
Descent = Callable[[], list[bool] | None]


class PlanMismatch(Exception):
    """The solver's plan does not replay in the interpreter: a bug, never an answer."""


class Optimizer:
    """Optimises the plans of one program.

    A plan is compiled for each input by partial evaluation (right for one answer
    per process, as the CLI gives). A service answering many checkouts can
    `prepare` a plan once for inputs up to some size: each answer then starts from
    the prepared terms with the input's values put in by Z3's model evaluator."""

    def __init__(self, program: core.Program) -> None:
        self.program = program
        self.types = Types(program)
        self._prepared: dict[str, list[Prepared]] = {}
        self.twins = Twins()  # the chosen fields' 0/1 integers, made once (`linearized`)

    def prepare(self, plan_name: str, sizes: Mapping[str, int]) -> float:
        """Compile `plan_name` once for inputs whose lists are at most `sizes` long, by
        list path without indices (`{"cart.stores": 10, "wallet.coupons": 40,
        "cart.stores[].lines": 3}`; other lists: their declared bound). Returns the
        seconds it took; later `optimize` calls whose inputs fit use it."""
        started = time.perf_counter()
        check_sizes(self.program, self.program.plans[plan_name], sizes)
        prepared = Prepared(self.program, self.program.plans[plan_name], sizes)
        self._prepared.setdefault(plan_name, []).append(prepared)
        return time.perf_counter() - started

    def optimize(
        self,
        plan_name: str,
        args: Sequence[Value],
        *,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
        explain_unused: bool = True,
        report_each: bool = True,
    ) -> PlanResult:
        """The best plan on `args`, proved; with the reasons for every unused choice
        (`explain_unused`) and the plan's per-element lets (`report_each`) when asked."""
        started = time.perf_counter()
        plan = self.program.plans[plan_name]
        slots = planning.slots(plan, args)
        needed = list_sizes(self.program, plan, args)
        prepared = next((p for p in self._prepared.get(plan_name, ()) if p.fits(needed)), None)
        if prepared is not None:
            terms = prepared.terms(args, [slot_text(plan, self.program, s) for s in slots])
        else:
            terms = partial_terms(self.program, plan, args, slots)
        search = _Search(self, plan, args, slots, terms, timeout_ms, started, report_each)
        result = search.run(explain_unused)
        return replace(result, milliseconds=(time.perf_counter() - started) * 1000, solver_calls=search.calls)


class _Search:
    def __init__(
        self,
        owner: Optimizer,
        plan: core.PlanDef,
        args: Sequence[Value],
        slots: Sequence[planning.Slot],
        terms: PlanTerms,
        timeout_ms: int,
        started: float,
        report_each: bool = True,
    ) -> None:
        self.owner = owner
        self.program = owner.program
        self.types = owner.types
        self.plan = plan
        self.args = tuple(args)
        self.deadline = started + timeout_ms / 1000
        self.report_each = report_each  # the replay also gives the per-element lets
        self.calls = 0
        self.slots = list(slots)
        self.vars = list(terms.vars)
        # The solver sees the choices also as 0/1 integers (`linearized`); the local
        # search evaluates the terms as they came (the same values: linearizing changes
        # only their shape). One snapshot of them serves both (`checker/dag.py`).
        self.plain = terms
        self.dag = snapshot(terms.roots)
        self.terms = linearized(terms, self.dag, owner.twins)
        self.requires = list(self.terms.requires)
        self.objectives = list(self.terms.objectives)
        self.sides = list(self.terms.sides)
        self.tracks = [z3.Bool(f"require!{i}") for i in range(len(self.requires))]
        self._solver: z3.Solver | None = None
        # What `confirmed` evaluates: the links are left out, since they hold whenever each
        # twin is given as its choice's 0/1 value, as `confirmed` gives them.
        self.conditions = bundle([*self.requires, *self.terms.own_sides])
        all_bool = bool(self.vars) and all(z3.is_bool(v) for v in self.vars)
        self._choice_bundle = bundle(self.vars) if all_bool else None
        self._evaluate: Evaluate | None = None
        self._compiled = False
        self.gave_up = ""  # the reason of the last solver that answered unknown
        self._examples: RememberingInterpreter | None = None  # for `excluded_example`

    # ---- solver plumbing ------------------------------------------------------------
    @property
    def solver(self) -> z3.Solver:
        """The incremental solver, every require behind its tracking literal (so that an
        unsat answer names the requires): built on first use, since a plan the local
        search finds is confirmed by evaluation and proved on a solver of its own."""
        if self._solver is None:
            solver = z3.Solver()
            solver.set("random_seed", SEED)
            solver.set("smt.arith.solver", ARITH_SOLVER)
            solver.set("core.minimize", True)
            for t, r in zip(self.tracks, self.requires, strict=True):
                solver.add(z3.Implies(t, r))
            solver.add(*self.sides)
            self._solver = solver
        return self._solver

    def check(self, *extra: z3.BoolRef) -> z3.CheckSatResult:
        """The incremental solver, under `extra` assumptions."""
        if not self.budget(self.solver):
            return z3.unknown
        return self.answered(self.solver, self.solver.check(*self.tracks, *extra))

    def budget(self, solver: z3.Solver) -> bool:
        """Give `solver` the time left; False when there is none."""
        remaining = int((self.deadline - time.perf_counter()) * 1000)
        if remaining <= 0:
            return False
        solver.set("timeout", remaining)
        self.calls += 1
        return True

    def answered(self, solver: z3.Solver, answer: z3.CheckSatResult) -> z3.CheckSatResult:
        if answer == z3.unknown:
            self.gave_up = solver.reason_unknown()
        return answer

    def proof_solver(self, pinned: Mapping[int, bool]) -> z3.Solver:
        """A solver of its own for "a better plan exists?", with the requires asserted
        as facts: not incremental, so Z3 preprocesses the whole question, and with no
        tracking literals to branch on. On the coupon plans it answers the final unsat
        2-3x faster than the incremental solver with assumptions (docs/performance.md)."""
        solver = z3.Tactic("smt").solver()
        solver.set("random_seed", SEED)
        # Without relevancy filtering (which pays off when many atoms are irrelevant; here
        # nearly every atom is a coupon's term of the cash): p50 7-15% lower at 20-80
        # coupons, alternated in one process (docs/performance.md).
        solver.set("smt.relevancy", 0)
        # One conjunction made by one call: `Solver.add` checks and casts each of a
        # checkout's hundred-odd facts (about 1.5 ms at 40 coupons); Z3 splits it again.
        facts = [*self.requires, *self.sides, *self.pins(pinned)]
        if facts:
            solver.add(conjunction(facts))
        return solver

    def better(self, k: int, value: z3.ExprRef) -> z3.BoolRef:
        obj = self.objectives[k]
        if self.plan.objectives[k].direction == "minimize":
            return obj < value
        return obj > value

    def lex_better(self, model: z3.ModelRef) -> z3.BoolRef:
        """A plan lexicographically better than `model`'s: better on the first objective,
        or equal on it and lexicographically better on the rest."""
        out: z3.BoolRef = z3.BoolVal(False)
        for k in reversed(range(len(self.objectives))):
            value = model.eval(self.objectives[k], model_completion=True)
            out = z3.Or(self.better(k, value), z3.And(self.objectives[k] == value, out))
        return out

    def tighten(
        self,
        model: z3.ModelRef,
        pinned: Mapping[int, bool],
        replay: bool,
        descent: Descent | None = None,
    ) -> tuple[z3.ModelRef, str, Replayed | None]:
        """Improve `model` until no plan is lexicographically better ("optimal": one unsat
        answer proves every objective at once) or the solver gives up. Each plan the
        solver finds is first improved by the local search. With `replay`, each
        incumbent is replayed through the interpreter while the solver searches for a
        better one (`checker/background.py`): the last replay is the returned plan's.
        `descent`: the local search's descent from `model`, still to run; it runs
        beside the first search too (before the replay, which it makes moot when it
        finds a better plan: the solver then answers sat, and the next round starts
        from the descent's plan)."""
        solver = self.proof_solver(pinned)
        while True:
            solver.add(self.lex_better(model))
            replayed: Replayed | None = None
            better: list[bool] | None = None
            if not self.budget(solver):
                answer = z3.unknown
            elif replay:
                answer, (better, replayed) = check_while(solver, self.descend_then_replay(model, descent))
            else:
                answer = solver.check()
            descent = None
            answer = self.answered(solver, answer)
            # A plan better than `model` by the search's arithmetic: Z3 must agree that it is
            # one (`confirmed`). After an unsat answer it cannot be better: the proof stands,
            # and `model` is replayed after all (`run`).
            improved = None if better is None or answer == z3.unsat else self.confirmed(better)
            if improved is not None:
                model = improved
                if answer == z3.sat:
                    continue
                return model, "unknown", None
            if answer == z3.sat:
                model = solver.model()
                model = self.searched(self.assignment(model), pinned) or model
                continue
            return model, "optimal" if answer == z3.unsat else "unknown", replayed

    def descend_then_replay(
        self, model: z3.ModelRef, descent: Descent | None
    ) -> Callable[[], tuple[list[bool] | None, Replayed | None]]:
        """The work beside a search (no Z3 in it): `descent` if any, then, unless it found a
        better plan, the replay of `model` (decoded now)."""
        replay = self.replay(model)

        def work() -> tuple[list[bool] | None, Replayed | None]:
            better = descent() if descent is not None else None
            return better, None if better is not None else replay()

        return work

    def replay(self, model: z3.ModelRef) -> Callable[[], Replayed]:
        """The plan of `model`, decoded now (with Z3), replayed through the interpreter
        when the returned function is called (without Z3)."""
        values = self.decoded(model)
        final_args = planning.assign(self.plan, self.args, self.slots, values)

        def run() -> Replayed:
            interp = RememberingInterpreter(self.program)
            try:
                outcome = planning.evaluate(interp, self.plan, final_args)
            except EvalError as exc:
                return Replayed(values, final_args, None, exc)
            if not self.report_each:
                return Replayed(values, final_args, outcome, None)
            # The same interpreter: the per-element lets mostly read calls the replay made.
            return Replayed(
                values, final_args, outcome, None, reported(interp, self.plan, final_args, outcome.lets)
            )

        return run

    def evaluator(self) -> Evaluate | None:
        """The plan's conditions and objectives as a Python function (None: not compilable)."""
        if not self._compiled:
            self._compiled = True
            try:
                t = self.plain
                self._evaluate = compile_terms(
                    [*t.requires, *t.sides, *t.objectives], self.vars, dag=self.dag
                )
            except Unsupported:
                self._evaluate = None
        return self._evaluate

    def assignment(self, model: z3.ModelRef) -> list[bool]:
        return [v is True for v in self.decoded(model)]

    def decoded(self, model: z3.ModelRef) -> tuple[Value, ...]:
        """The chosen fields' values in `model`. Chosen Booleans (coupons used or not) are
        read by one evaluation of their bundle (without completion, which would give
        the bundle itself a value), one by one only those the model leaves open."""
        if self._choice_bundle is None:
            return tuple(
                self.value_of(v, s.choice.ty, model) for v, s in zip(self.vars, self.slots, strict=True)
            )
        truths = truth_values(model.eval(self._choice_bundle, model_completion=False))
        return tuple(
            z3.is_true(model.eval(v, model_completion=True)) if t is None else t
            for v, t in zip(self.vars, truths, strict=True)
        )

    def searched(self, start: Sequence[bool], pinned: Mapping[int, bool]) -> z3.ModelRef | None:
        """The local search's best plan from `start` (`checker/plan_eval.py`), as a model
        of the terms (`confirmed`): Z3, not the search, says that it is a plan and what
        its objectives are. None when there is none."""
        greedy = self.greedy(start, pinned)
        if greedy is None:
            return None
        return self.confirmed(greedy.descend(self.search_deadline())[0])

    def greedy_first(
        self, start: Sequence[bool], pinned: Mapping[int, bool]
    ) -> tuple[z3.ModelRef, Descent] | None:
        """The local search's greedy plan from `start`, confirmed, and its descent still to
        run (pure Python, so that it can run while Z3 proves the greedy plan optimal:
        the descent seldom improves on it). None when there is no greedy plan."""
        greedy = self.greedy(start, pinned)
        model = None if greedy is None else self.confirmed(greedy.best())
        if greedy is None or model is None:
            return None
        deadline = self.search_deadline()
        return model, lambda: greedy.improved(deadline)

    def greedy(self, start: Sequence[bool], pinned: Mapping[int, bool]) -> Greedy | None:
        """The greedy pass of the local search from `start` (None: the terms do not
        compile to Python, or `start` is no plan)."""
        evaluate = self.evaluator()
        if evaluate is None:
            return None
        return greedy_search(
            evaluate,
            start,
            conditions=len(self.plain.requires) + len(self.plain.sides),
            senses=[1 if o.direction == "minimize" else -1 for o in self.plan.objectives],
            pinned=pinned,
        )

    def search_deadline(self) -> float:
        """A local search gets half the time left."""
        now = time.perf_counter()
        return now + (self.deadline - now) / 2

    def confirmed(self, choice: Sequence[bool]) -> z3.ModelRef | None:
        """`choice` as a model of the plan's terms, if every require and side holds on
        it, as Z3 evaluates them (not the search's arithmetic): with every choice and
        its 0/1 twin given, the terms evaluate to constants. The solver decides when
        they do not (a term the evaluator leaves open)."""
        pairs: list[tuple[z3.ExprRef, z3.ExprRef]] = []
        for v, t, on in zip(self.vars, self.terms.twins or [None] * len(self.vars), choice, strict=True):
            pairs.append((v, z3.BoolVal(on)))
            if t is not None:
                pairs.append((t, z3.IntVal(int(on))))
        assignment = Assignment.of_constants(pairs)
        holds = truth_values(assignment(self.conditions))
        if all(h is True for h in holds):
            return assignment.model
        if None not in holds:
            return None
        if self.check(*(self.literal(i, on) for i, on in enumerate(choice))) != z3.sat:
            return None
        return self.solver.model()

    def first_plan(
        self, pinned: Mapping[int, bool], defer_descent: bool = False
    ) -> tuple[z3.ModelRef | None, Descent | None]:
        """A first plan: the local search's from no choice made (or from any plan the
        solver finds, when that is not one); Z3's optimiser when the terms do not
        compile to Python. Usually it is already the optimum, so that tightening
        from it only has to prove it: one unsat answer per objective. With
        `defer_descent`, the greedy plan, and the descent from it still to run."""
        if self.evaluator() is not None:
            start = [pinned.get(i, False) for i in range(len(self.vars))]
            if defer_descent:
                deferred = self.greedy_first(start, pinned)
                if deferred is not None:
                    return deferred
            model = self.searched(start, pinned)
            if model is None and self.check(*self.pins(pinned)) == z3.sat:
                model = self.searched(self.assignment(self.solver.model()), pinned)
            if model is not None:
                return model, None
        return self.optimised(pinned), None

    def optimised(self, pinned: Mapping[int, bool]) -> z3.ModelRef | None:
        """A plan from Z3's optimiser (lexicographic objectives), given half the time left.
        Z3's answer is not taken on trust: the proof is that unsat, on the incremental
        solver, as without it. None when the optimiser gives up in its time."""
        budget = int((self.deadline - time.perf_counter()) * 1000) // 2
        if budget <= 0:
            return None
        o = z3.Optimize()
        o.set("timeout", budget)
        o.set("priority", "lex")
        o.set("smt.arith.solver", ARITH_SOLVER)
        o.add(*self.requires, *self.sides, *self.pins(pinned))
        for k, objective in enumerate(self.objectives):
            if self.plan.objectives[k].direction == "minimize":
                o.minimize(objective)
            else:
                o.maximize(objective)
        self.calls += 1
        return o.model() if o.check() == z3.sat else None

    def pins(self, pinned: Mapping[int, bool]) -> list[z3.BoolRef]:
        """The pinned choices as literals (assumptions for the incremental solver)."""
        return [self.literal(i, on) for i, on in sorted(pinned.items())]

    def literal(self, i: int, on: bool) -> z3.BoolRef:
        """Choice `i` taken (`on`) or left."""
        v = self.vars[i]
        return as_bool(v if on else z3.Not(v))

    def optimum(
        self, pinned: Mapping[int, bool] | None = None, replay: bool = False
    ) -> tuple[z3.ModelRef | None, str, Replayed | None]:
        """The lexicographic optimum with some choices pinned: (model, status, the
        model's replay through the interpreter when asked for and proved or given up)."""
        pinned = pinned or {}
        # The answer's own search defers the descent, to run beside the first proof.
        model, descent = self.first_plan(pinned, defer_descent=replay)
        if model is None:
            answer = self.check(*self.pins(pinned))
            if answer != z3.sat:
                return None, "infeasible" if answer == z3.unsat else "unknown", None
            model = self.solver.model()
        return self.tighten(model, pinned, replay, descent)

    # ---- the answer ---------------------------------------------------------------------
    def value_of(self, term: z3.ExprRef, ty: Type, model: z3.ModelRef) -> Value:
        from .decode import scalar

        return scalar(model.eval(term, model_completion=True), ty, self.types)

    def run(self, explain_unused: bool) -> PlanResult:
        plan, program = self.plan, self.program
        model, status, replayed = self.optimum(replay=True)
        if model is None:
            proof = ""
            if status == "infeasible":
                refs = self.infeasible_core()
                proof = "the requires cannot all hold" + (
                    ": " + "; ".join(r.text for r in refs) if refs else ""
                )
            reason = None if status == "infeasible" else self.gave_up
            return PlanResult(plan.name, status, (), (), (), self.args, proof, (), 0, 0.0, reason)
        if replayed is None:  # the time ran out before the solver was asked
            replayed = self.replay(model)()
        values, final_args, outcome = replayed.values, replayed.args, replayed.outcome
        if outcome is None:
            raise PlanMismatch(
                f"the solver's plan fails in the interpreter: {replayed.error}"
            ) from replayed.error
        solver_objectives = tuple(exact(model.eval(o, model_completion=True)) for o in self.objectives)
        if not outcome.feasible or tuple(Fraction(v) for v in outcome.objectives) != solver_objectives:
            raise PlanMismatch(
                f"plan `{plan.name}`: the solver found objectives {solver_objectives}, "
                f"the interpreter {outcome.objectives} (feasible: {outcome.feasible})"
            )
        chosen = tuple(
            ChosenValue(slot_text(plan, program, s), label(program, plan, self.args, s), s.choice.ty, v)
            for s, v in zip(self.slots, values, strict=True)
        )
        objectives = tuple(
            ObjectiveValue(o.text, o.direction, o.expr.ty, v)
            for o, v in zip(plan.objectives, outcome.objectives, strict=True)
        )
        lets = tuple((name, e.ty, v) for (name, e), v in zip(plan.lets, outcome.lets, strict=True))
        if status == "optimal":
            proof = "; ".join(
                f"no plan has {o.text} {'<' if o.direction == 'minimize' else '>'} "
                f"{self.show(o.expr.ty, v)}"
                + (" with the objectives before it at their optimum" if i else "")
                for i, (o, v) in enumerate(zip(plan.objectives, outcome.objectives, strict=True))
            )
        else:
            proof = "not proved: the solver gave up before showing that no better plan exists"
        unused: tuple[Unused, ...] = ()
        if explain_unused and status == "optimal":
            unused = why_each_unused(self, chosen, outcome.objectives, final_args)
        reason = None if status == "optimal" else self.gave_up
        return PlanResult(
            plan.name,
            status,
            chosen,
            objectives,
            lets,
            final_args,
            proof,
            unused,
            0,
            0.0,
            reason,
            replayed.reported,
        )

    def show(self, ty: Type, value: Value) -> str:
        from smallprint.model.values import show

        return show(self.program, ty, value)

    def infeasible_core(self, *extra: z3.BoolRef) -> tuple[RequireRef, ...]:
        # By term id, not by printed name: the printer is not needed to tell them apart.
        core_ids = {x.get_id() for x in self.solver.unsat_core()}
        return tuple(
            RequireRef(r.text, r.cites, r.span)
            for t, r in zip(self.tracks, self.plan.requires, strict=True)
            if t.get_id() in core_ids
        )
