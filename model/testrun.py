"""Runs the embedded tests of a program (`test "..." { given ... expect ... }`).

A test's steps run in order with the reference interpreter. `given x = e`
binds `x` for the later steps; every record inside the value must satisfy
its invariants, as an input would have to (a test with an impossible input
proves nothing). `expect c` must evaluate to true.

A test is `passed`, `failed` (some expectation was false: every expectation
is still checked, so all failures are reported at once) or `error` (an
evaluation error such as a division by zero, or given values that break
invariants: every broken invariant of every `given` is reported, each with the
part of it that is false and the values it compared, and no `expect` runs). A failed comparison
(`refund(o) == US$15`) carries both sides as `show` renders them; a failed
call of a rule (`can_open(o, d)`, `not can_open(o, d)`) carries the rule's
explanation, which says what decided it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from smallprint.grammar.span import NO_SPAN, Span
from smallprint.model import core
from smallprint.model.ast import Cite
from smallprint.model.core import Value
from smallprint.model.explain import Explanation, FailingPart
from smallprint.model.interp import COMPARISONS, EvalError, Interpreter, RememberingInterpreter, compare
from smallprint.model.values import invariant_failing_part, show

PASSED = "passed"
FAILED = "failed"
ERROR = "error"

_SYMBOLS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


@dataclass(frozen=True)
class ExpectFailure:
    """An `expect` that evaluated to false, at `span`."""

    span: Span
    message: str
    op: str | None = None  # "==", "<", ... when the expectation is a comparison
    left: str | None = None  # the actual value of each side, as source text
    right: str | None = None
    explanation: Explanation | None = None


@dataclass(frozen=True)
class TestError:
    """What stopped a test: an evaluation error, or a given that breaks an invariant."""

    __test__: ClassVar[bool] = False  # not a pytest test class

    message: str
    span: Span
    hint: str | None = None
    # For a broken invariant: the part of it that is false, and the values it compared.
    failing: FailingPart | None = None


@dataclass(frozen=True)
class TestResult:
    __test__: ClassVar[bool] = False  # not a pytest test class

    title: str
    module: str
    status: str  # PASSED | FAILED | ERROR
    span: Span
    cites: tuple[Cite, ...]
    expects: int  # how many expectations were evaluated
    failures: tuple[ExpectFailure, ...] = ()
    error: TestError | None = None  # the first of `errors`
    errors: tuple[TestError, ...] = ()


def run_tests(
    program: core.Program,
    *,
    interpreter: Interpreter | None = None,
    select: Callable[[core.TestDef], bool] | None = None,
) -> list[TestResult]:
    """Every test of the program (or those `select` keeps), in source order. Calls are
    remembered across the run (`RememberingInterpreter`): a checkout's definitions
    call one another on the same arguments many times."""
    interp = interpreter or RememberingInterpreter(program)
    return [run_test(interp, t) for t in program.tests if select is None or select(t)]


def run_test(interp: Interpreter, test: core.TestDef) -> TestResult:
    env: dict[str, Value] = {}
    failures: list[ExpectFailure] = []
    broken: list[TestError] = []
    reported: list[tuple[str, Value]] = []
    expects = 0

    def result(status: str, errors: tuple[TestError, ...] = ()) -> TestResult:
        error = errors[0] if errors else None
        return TestResult(
            test.title, test.module, status, test.span, test.cites, expects, tuple(failures), error, errors
        )

    for step in test.steps:
        try:
            if isinstance(step, core.Given):
                interp.check_built = False
                try:
                    env[step.name] = interp.eval(step.value, env)
                finally:
                    interp.check_built = True
                broken.extend(_broken_given(interp, step, env[step.name], reported))
                continue
            if broken:
                continue  # an impossible input proves nothing: the later givens are still checked
            expects += 1
            failure = _check(interp, step, env)
        except EvalError as exc:
            return result(ERROR, (*broken, TestError(exc.message, exc.span)))
        if failure is not None:
            failures.append(failure)
    if broken:
        return result(ERROR, tuple(broken))
    return result(FAILED if failures else PASSED)


def _broken_given(
    interp: Interpreter, step: core.Given, value: Value, reported: list[tuple[str, Value]]
) -> list[TestError]:
    """One error per invariant broken inside the value of `step`, with the part of it that is
    false; a record already reported broken in an earlier given (`given o = Order { items:
    [i] }` after a broken `i`) is not reported again (`reported` collects them)."""
    out: list[TestError] = []
    for v in interp.violations(step.value.ty, value, step.name):
        key = (f"{v.record}.{v.invariant.name}", v.value)
        if key in reported:
            continue
        reported.append(key)
        hint = f"invariant declared at {v.invariant.span}" if v.invariant.span != NO_SPAN else None
        part = invariant_failing_part(interp, v.invariant, v.value, v.path)
        message = f"given `{step.name}` breaks invariant `{v.invariant.name}` of `{v.record}` at `{v.path}`"
        out.append(TestError(message, step.span, hint, part))
    return out


def _check(interp: Interpreter, step: core.Expect, env: dict[str, Value]) -> ExpectFailure | None:
    cond = step.cond
    program = interp.program
    if isinstance(cond, core.Op) and cond.op in COMPARISONS and len(cond.args) == 2:
        left_e, right_e = cond.args
        left, right = interp.eval(left_e, env), interp.eval(right_e, env)
        if compare(cond.op, left, right, cond.span):
            return None
        sym = _SYMBOLS[cond.op]
        shown_left, shown_right = show(program, left_e.ty, left), show(program, right_e.ty, right)
        return ExpectFailure(
            step.span,
            f"`{shown_left} {sym} {shown_right}` is false",
            sym,
            shown_left,
            shown_right,
        )
    if _holds(interp.eval(cond, env), step):
        return None
    return ExpectFailure(step.span, "expected true, got false", explanation=_explain(interp, cond, env))


def _holds(value: Value, step: core.Expect) -> bool:
    if not isinstance(value, bool):
        raise EvalError(f"internal: an expectation gave {value!r}, not a Bool", step.span)
    return value


def _explain(interp: Interpreter, cond: core.CExpr, env: dict[str, Value]) -> Explanation | None:
    if isinstance(cond, core.Op) and cond.op == "not" and len(cond.args) == 1:
        cond = cond.args[0]
    if isinstance(cond, core.Call):
        return interp.explain(cond.func, [interp.eval(a, env) for a in cond.args])
    return None
