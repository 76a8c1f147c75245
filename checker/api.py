"""The Python API for services (dispute desks, checkout code).

    import smallprint.checker
    policy = smallprint.checker.load("specs/aliexpress")
    answer = policy.ask("can_open_dispute", {"o": order, "p": "not_received", "today": "2020-06-09"})
    window = policy.window("can_open_dispute", {"o": order, "p": "not_received"}, free="today")
    results = policy.prove()
    plan = policy.optimize(cart, wallet)

Inputs are JSON-shaped (the format of `smallprint ask --input`, validated the
same way: a problem raises `InputError` naming the JSON path). Results are the
typed objects the command line renders. The policy is compiled to Z3 once, on
the first symbolic query, and reused by every later one.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ParamSpec, TypeVar

from smallprint.checker.arguments import fill_choices
from smallprint.checker.free_fields import free_names, loosened, resolve, wrapped
from smallprint.checker.optimize import Optimizer
from smallprint.checker.plan_result import PlanResult
from smallprint.checker.results import (
    Decided,
    Finding,
    ProofResult,
    RegionAnswer,
    Unknown,
    WhyNot,
    WindowAnswer,
)
from smallprint.checker.verify import CompiledPolicy
from smallprint.model import core
from smallprint.model.explain import Explanation
from smallprint.model.interp import Interpreter
from smallprint.model.loader import Policy as LoadedPolicy
from smallprint.model.loader import load_policy
from smallprint.model.testrun import TestResult, run_tests
from smallprint.model.types import BOOL, Type
from smallprint.model.values import InputError, InputProblem, Json, decode, encode, show

# Z3's context is shared by the whole process and is not thread safe: two queries at
# once on several threads can crash the process. Every method that reaches Z3 takes
# this lock, so that a service may call a Policy (or several) from any thread;
# `ask` (the interpreter alone) does not.
_Z3_LOCK = threading.RLock()

P = ParamSpec("P")
R = TypeVar("R")


def _one_at_a_time(method: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(method)
    def locked(*args: P.args, **kwargs: P.kwargs) -> R:
        with _Z3_LOCK:
            return method(*args, **kwargs)

    return locked


@dataclass(frozen=True)
class Answer:
    """The value of a rule or definition on concrete inputs."""

    func: str
    ty: Type
    value: core.Value  # runtime encoding (model/types.py)
    json: Json  # the same value as JSON (`"US$12.40"`, `"2020-06-08"`)
    text: str  # as a person reads it
    explanation: Explanation | None = None


class Policy:
    """A checked policy, ready for concrete and symbolic queries."""

    def __init__(self, loaded: LoadedPolicy, timeout_ms: int = 10_000) -> None:
        self.loaded = loaded
        self.program = loaded.program
        self.timeout_ms = timeout_ms
        self.interpreter = Interpreter(self.program)
        self._compiled: CompiledPolicy | None = None
        self._wrapped: dict[tuple[str, tuple[str, ...]], tuple[CompiledPolicy, str]] = {}
        self._optimizer: Optimizer | None = None

    @property
    def compiled(self) -> CompiledPolicy:
        if self._compiled is None:
            self._compiled = CompiledPolicy(self.program, timeout_ms=self.timeout_ms)
        return self._compiled

    # ---- inputs -----------------------------------------------------------------------
    def function(self, name: str) -> core.Function:
        f = self.program.functions.get(name)
        if f is None:
            raise KeyError(f"no rule or definition `{name}` in this policy")
        return f

    def arguments(
        self,
        params: Sequence[core.Param],
        inputs: Mapping[str, object],
        unchecked: frozenset[str] = frozenset(),
    ) -> dict[str, core.Value]:
        problems: list[InputProblem] = []
        values: dict[str, core.Value] = {}
        names = {p.name for p in params}
        for key in inputs:
            if key not in names:
                problems.append(
                    InputProblem(f"$.{key}", f"no parameter `{key}`", f"parameters: {', '.join(names)}")
                )
        for p in params:
            if p.name not in inputs:
                continue
            try:
                values[p.name] = decode(
                    self.program,
                    p.ty,
                    inputs[p.name],
                    f"$.{p.name}",
                    interpreter=self.interpreter,
                    unchecked=unchecked,
                )
            except InputError as exc:
                problems.extend(exc.problems)
        if problems:
            raise InputError(problems)
        return values

    def _all(self, f: core.Function, inputs: Mapping[str, object]) -> list[core.Value]:
        values = self.arguments(f.params, inputs)
        missing = [p.name for p in f.params if p.name not in values]
        if missing:
            raise InputError([InputProblem(f"$.{m}", f"no value for parameter `{m}`") for m in missing])
        return [values[p.name] for p in f.params]

    def json(self, ty: Type, value: core.Value) -> Json:
        """A runtime value as JSON (`"2020-05-25"`, `"US$12.40"`), e.g. the ends of a window."""
        return encode(self.program, ty, value)

    # ---- queries ------------------------------------------------------------------------
    def ask(self, rule: str, inputs: Mapping[str, object], explain: bool = False) -> Answer:
        """Evaluate a rule or definition with the reference interpreter."""
        f = self.function(rule)
        args = self._all(f, inputs)
        explanation = self.interpreter.explain(rule, args) if explain else None
        value = self.interpreter.call(rule, args)
        return Answer(
            rule,
            f.ret,
            value,
            encode(self.program, f.ret, value),
            show(self.program, f.ret, value),
            explanation,
        )

    @_one_at_a_time
    def window(self, rule: str, inputs: Mapping[str, object], free: str) -> WindowAnswer | Unknown:
        """Every value of the argument `free` (or of a field of one: `o.shipped_at`) for
        which the rule holds, the others fixed."""
        f = self.function(rule)
        compiled, name, values, asked = self._free_question(f, inputs, [free])
        # an optional field is asked about as present (`region` answers its absence too)
        values.update({flag: True for flag in asked if flag != free})
        answer = compiled.window(name, values, free)
        return replace(answer, func=rule) if isinstance(answer, WindowAnswer) else answer

    @_one_at_a_time
    def region(self, rule: str, inputs: Mapping[str, object], free: Sequence[str]) -> RegionAnswer | Unknown:
        """Every combination of values of the arguments `free` (or fields of them) for which
        the rule holds, the others fixed."""
        f = self.function(rule)
        free = [free] if isinstance(free, str) else list(free)  # one name is one argument
        compiled, name, values, asked = self._free_question(f, inputs, free)
        answer = compiled.region(name, values, asked)
        return replace(answer, func=rule) if isinstance(answer, RegionAnswer) else answer

    def _free_question(
        self, f: core.Function, inputs: Mapping[str, object], free: Sequence[str]
    ) -> tuple[CompiledPolicy, str, dict[str, core.Value], tuple[str, ...]]:
        """What to ask with `free` left free: the compiled policy and the rule (`f` itself,
        or for free fields the rule wrapping it, `checker/free_fields.py`, compiled once
        per rule and fields), the arguments given (none of them one left free), and the
        rule's parameters left free (an optional field: its presence and its value)."""
        if f.ret != BOOL:
            raise ValueError(f"`{f.name}` gives a `{f.ret}`, not true/false: it has no values where it holds")
        both = [name for name in free if name in inputs]
        if both:
            raise InputError(
                [
                    InputProblem(
                        f"$.{name}", f"`{name}` is left free", "give no value for it, or do not leave it free"
                    )
                    for name in both
                ]
            )
        fields = [resolve(self.program, f, name) for name in free if "." in name]
        data, unchecked = loosened(self.program, f, dict(inputs), fields) if fields else (inputs, frozenset())
        assert isinstance(data, Mapping)
        values = self.arguments([p for p in f.params if p.name not in free], data, unchecked)
        if not fields:
            return self.compiled, f.name, values, tuple(free)
        key = (f.name, tuple(free))
        if key not in self._wrapped:
            program, name = wrapped(self.program, f, fields)
            self._wrapped[key] = (CompiledPolicy(program, timeout_ms=self.timeout_ms), name)
        compiled, name = self._wrapped[key]
        return compiled, name, values, free_names(free, fields)

    @_one_at_a_time
    def why(self, rule: str, inputs: Mapping[str, object]) -> WhyNot | Decided:
        """For a false answer the minimal failing conditions; for a true one the deciding clause."""
        f = self.function(rule)
        return self.compiled.explain(rule, self._all(f, inputs))

    @_one_at_a_time
    def prove(self, names: Sequence[str] | None = None) -> list[ProofResult]:
        """Prove the named properties (all of them by default)."""
        chosen = list(self.program.properties) if names is None else list(names)
        return [self.compiled.prove(n) for n in chosen]

    @_one_at_a_time
    def lint(self) -> list[Finding]:
        return self.compiled.lint()

    def tests(self) -> list[TestResult]:
        return run_tests(self.program, interpreter=self.interpreter)

    def lines(
        self, result: WhyNot | Decided | ProofResult | Finding | WindowAnswer | RegionAnswer | PlanResult
    ) -> list[str]:
        """A result as the command line writes it (for a log, a ticket, a reply to a buyer)."""
        from smallprint.checker.plan_report import plan_text
        from smallprint.checker.region_report import region_lines
        from smallprint.checker.verify_report import finding_lines, proof_lines, why_lines, window_lines

        sources = self.loaded.sources
        if isinstance(result, WhyNot | Decided):
            return why_lines(self.program, result, sources)
        if isinstance(result, Finding):
            return finding_lines(self.program, result, sources)
        if isinstance(result, WindowAnswer):
            return window_lines(self.program, result)
        if isinstance(result, RegionAnswer):
            return region_lines(self.program, result)
        if isinstance(result, PlanResult):
            return plan_text(self.program, result, sources)
        return proof_lines(self.program, result, sources)

    @_one_at_a_time
    def prepare(self, sizes: Mapping[str, int], plan: str | None = None) -> float:
        """Compile a plan once for inputs whose lists are at most `sizes` long (list
        path without indices: `{"cart.stores": 10, "wallet.coupons": 40}`); every later
        `optimize` whose inputs fit reuses it. Returns the seconds it took."""
        if not self.program.plans:
            raise KeyError("this policy declares no plan")
        return self._plans().prepare(plan or next(iter(self.program.plans)), sizes)

    def _plans(self) -> Optimizer:
        if self._optimizer is None:
            self._optimizer = Optimizer(self.program)
        return self._optimizer

    @_one_at_a_time
    def optimize(
        self, *args: object, plan: str | None = None, explain_unused: bool = True, report_each: bool = True
    ) -> PlanResult:
        """The best plan for the plan's arguments, given in order (`policy.optimize(cart, wallet)`);
        `plan` names it when the policy has several (default: the first declared). Without
        `explain_unused` no reasons for unused choices, without `report_each` no rows of
        per-element lets: the plan and its proof alone, sooner."""
        if not self.program.plans:
            raise KeyError("this policy declares no plan")
        name = plan or next(iter(self.program.plans))
        p = self.program.plans[name]
        if len(args) != len(p.params):
            raise TypeError(f"plan `{name}` takes {len(p.params)} arguments, {len(args)} given")
        data = fill_choices(self.program, p, {q.name: a for q, a in zip(p.params, args, strict=True)})
        assert isinstance(data, dict)
        values = self.arguments(p.params, data)
        return self._plans().optimize(
            name,
            [values[q.name] for q in p.params],
            timeout_ms=self.timeout_ms,
            explain_unused=explain_unused,
            report_each=report_each,
        )


def load(path: str | Path, timeout_ms: int = 10_000) -> Policy:
    """Load, check and prepare the policy at `path`; spec errors raise `SmallprintError`."""
    return Policy(load_policy(path), timeout_ms)
