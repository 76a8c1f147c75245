"""Z3 agrees with the interpreter: every rule and definition, on random valid inputs.

For every function of every policy under `specs/` (and of the construct
program `tests/programs/constructs.sp`), the value of its compiled Z3 form
(model evaluation with the inputs fixed, `CompiledPolicy.evaluate`) equals the
interpreter's, on 200 random valid inputs each (`tests/strategies.py`). Lists
hold at most `LIST_CAP` elements and the functions are compiled for that size
(`CompiledPolicy.evaluate(..., cap=)`): the compiler unrolls every slot of a
list by the same code, so agreement on 4 slots speaks for 80, while a checkout
of 80 coupons and 20 stores compiled in full for each of its functions would
take the suite's whole time budget. The specs other than the checkout declare
no bound above 4, so they are checked at their own bounds. A run-time
error (division by zero) must be an error on both sides. A disagreement fails
with the function, the input and both answers.

The last tests seed a bug in the compiler (`<` compiled as `<=`) and check that
the same differential check catches it.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smallprint.checker import ops
from smallprint.checker.verify import CompiledPolicy
from smallprint.model import core
from smallprint.model.core import Value
from smallprint.model.interp import EvalError
from smallprint.model.loader import load_policy, load_text
from smallprint.model.types import RecordT, Type

from .conftest import policy_dirs
from .strategies import ValueGen

PROGRAMS = Path(__file__).resolve().parent / "programs"
SOURCES: list[Path] = [*policy_dirs(), PROGRAMS / "constructs.sp"]

LIST_CAP = 4

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)


@functools.cache
def program(source: Path) -> core.Program:
    if source.is_dir():
        return load_policy(source).program
    return load_text(source.read_text("utf-8"), source.name)


@functools.cache
def compiled(source: Path) -> tuple[CompiledPolicy, ValueGen]:
    cp = CompiledPolicy(program(source))
    return cp, ValueGen(cp.program, cp, cap=LIST_CAP)


def _name(source: Path) -> str:
    return source.name


def _signature(source: Path, func: str) -> tuple[Type, ...]:
    return tuple(p.ty for p in program(source).functions[func].params)


def _groups(source: Path) -> list[tuple[str, ...]]:
    """The functions of `source` by parameter types: one group draws its inputs once
    and checks each of its functions on them (drawing valid checkouts is the
    expensive part), so every function still gets `max_examples` inputs."""
    by_signature: dict[tuple[Type, ...], list[str]] = {}
    for func in sorted(program(source).functions):
        by_signature.setdefault(_signature(source, func), []).append(func)
    return [tuple(funcs) for funcs in by_signature.values()]


CASES = [(source, funcs) for source in SOURCES for funcs in _groups(source)]


def same(a: Value, b: Value) -> bool:
    """Equal values of one runtime type (True is not 1, 3 is not Fraction(3))."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def disagreement(cp: CompiledPolicy, func: str, args: tuple[Value, ...]) -> str | None:
    """None when Z3 and the interpreter agree on `func(args)`, else what differs."""
    try:
        expected: Value | EvalError = cp.interp.call(func, args)
    except EvalError as exc:
        expected = exc
    try:
        got: Value | EvalError = cp.evaluate(func, args, cap=LIST_CAP)
    except EvalError as exc:
        got = exc
    if isinstance(expected, EvalError) or isinstance(got, EvalError):
        if isinstance(expected, EvalError) and isinstance(got, EvalError):
            return None
    elif same(expected, got):
        return None
    return (
        f"Z3 and the interpreter disagree on {func}{args!r}:\n"
        f"  interpreter: {expected!r}\n  Z3:          {got!r}"
    )


def differential(cp: CompiledPolicy, gen: ValueGen, funcs: str | Sequence[str]) -> None:
    """The differential check of functions of one signature (AssertionError on a disagreement)."""
    names = [funcs] if isinstance(funcs, str) else list(funcs)

    @SETTINGS
    @given(gen.args(names[0]))
    def check(args: tuple[Value, ...]) -> None:
        for func in names:
            problem = disagreement(cp, func, args)
            assert problem is None, problem

    check()


def _case_id(source: Path, funcs: tuple[str, ...]) -> str:
    more = f"+{len(funcs) - 1}" if len(funcs) > 1 else ""
    return f"{_name(source)}:{funcs[0]}{more}"


@pytest.mark.parametrize(("source", "funcs"), CASES, ids=[_case_id(s, f) for s, f in CASES])
def test_z3_agrees_with_interpreter(source: Path, funcs: tuple[str, ...]) -> None:
    cp, gen = compiled(source)
    differential(cp, gen, funcs)


def test_every_spec_function_is_covered() -> None:
    """The parametrisation above reaches every function of every policy under specs/."""
    for source in policy_dirs():
        covered = [f for s, funcs in CASES if s == source for f in funcs]
        assert sorted(covered) == sorted(program(source).functions)


def test_fractions_and_bools_are_not_confused() -> None:
    assert not same(True, 1)
    assert not same(3, Fraction(3))
    assert same((1, (Fraction(1, 2), None)), (1, (Fraction(1, 2), None)))


# ---- a seeded compiler bug is caught ------------------------------------------------

LT_PROGRAM = """
record Order {
  paid_at: Date
  cash_paid: Money
}
rule early(o: Order, today: Date) when today < o.paid_at + 3 days
def small_orders_free(o: Order) -> Money = if o.cash_paid < US$20.00 then US$0 else o.cash_paid
"""


def _mutated(monkeypatch: pytest.MonkeyPatch, source: str | Path) -> CompiledPolicy:
    monkeypatch.setitem(ops.COMPARE, "lt", operator.le)  # `<` compiled as `<=`
    prog = load_text(source) if isinstance(source, str) else program(source)
    return CompiledPolicy(prog)


def test_mutated_lt_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    cp = _mutated(monkeypatch, LT_PROGRAM)
    gen = ValueGen(cp.program, cp, cap=LIST_CAP)
    for func in ("early", "small_orders_free"):
        with pytest.raises(AssertionError, match="Z3 and the interpreter disagree"):
            differential(cp, gen, func)


def _uses_lt(f: core.Function) -> bool:
    return any(isinstance(x, core.Op) and x.op == "lt" for e in core.function_exprs(f) for x in core.walk(e))


def test_mutated_lt_is_caught_on_the_specs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over specs/ (then the construct program), some function that uses `<` exposes the bug."""
    for source in SOURCES:
        funcs = [n for n, f in sorted(program(source).functions.items()) if _uses_lt(f)]
        if not funcs:
            continue
        cp = _mutated(monkeypatch, source)
        gen = ValueGen(cp.program, cp, cap=LIST_CAP)
        for func in funcs:
            try:
                differential(cp, gen, func)
            except AssertionError as exc:
                assert "Z3 and the interpreter disagree" in str(exc)
                return  # caught
    pytest.fail("the mutated `<` went unnoticed")


def test_unmutated_compiler_is_restored() -> None:
    assert ops.COMPARE["lt"] is operator.lt


@given(st.data())
@settings(max_examples=5, deadline=None)
def test_generated_values_are_valid(data: st.DataObject) -> None:
    """The strategies only produce values the interpreter accepts (invariants, bounds)."""
    for source in SOURCES:
        cp, gen = compiled(source)
        for name in sorted(cp.program.records):
            value = data.draw(gen.valid(RecordT(name)))
            assert not cp.interp.violations(RecordT(name), value)
