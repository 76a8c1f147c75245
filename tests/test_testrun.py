"""The embedded test runner: pass, fail with both sides shown, errors with their spans."""

from __future__ import annotations

from smallprint.model.explain import RuleExplanation
from smallprint.model.loader import load_policy, load_text
from smallprint.model.testrun import ERROR, FAILED, PASSED, TestResult, run_tests

from .conftest import SPECS

SOURCE = """
record Item { price: Money  qty: Int  invariant positive: qty > 0 }
record Order { items: List[Item, 3]  total: Money }
def share(o: Order) -> Money = round_down(o.total / size(o.items))
rule big(o: Order) when o.total > $100

test "passes" {
  given o = Order { items: [Item { price: $1, qty: 1 }], total: $5 }
  expect share(o) == $5
  expect not big(o)
}

test "fails twice" {
  given o = Order { items: [Item { price: $1, qty: 1 }], total: $5 }
  expect share(o) == $4
  expect share(o) >= $5
  expect big(o)
}

test "breaks an invariant" {
  given o = Order { items: [Item { price: $1, qty: 0 }], total: $5 }
  expect big(o)
}

test "divides by zero" {
  given o = Order { total: $5 }
  expect share(o) > $1
  expect big(o)
}
"""


def results() -> dict[str, TestResult]:
    return {r.title: r for r in run_tests(load_text(SOURCE, "t.sp"))}


def test_passing_test() -> None:
    r = results()["passes"]
    assert (r.status, r.expects, r.failures, r.error) == (PASSED, 2, (), None)


def test_every_failed_expectation_is_reported_with_actual_values() -> None:
    r = results()["fails twice"]
    assert r.status == FAILED
    assert r.expects == 3
    first, second = r.failures
    assert (first.span.line, first.op, first.left, first.right) == (15, "==", "US$5.00", "US$4.00")
    assert first.message == "`US$5.00 == US$4.00` is false"
    assert second.span.line == 17 and second.op is None
    assert isinstance(second.explanation, RuleExplanation)
    assert second.explanation.decided.kind == "no_when"


def test_a_given_that_breaks_an_invariant_is_an_error() -> None:
    r = results()["breaks an invariant"]
    assert r.status == ERROR and r.expects == 0
    assert r.error is not None
    assert r.error.message == "given `o` breaks invariant `positive` of `Item` at `o.items[0]`"
    assert r.error.span.line == 21
    assert r.error.hint == "invariant declared at t.sp:2:39"


def test_an_evaluation_error_stops_the_test_with_its_span() -> None:
    r = results()["divides by zero"]
    assert r.status == ERROR and r.expects == 1
    assert r.error is not None and r.error.message == "division by zero"
    assert (r.error.span.line, r.error.span.column) == (4, 43)


def test_select() -> None:
    program = load_text(SOURCE, "t.sp")
    picked = run_tests(program, select=lambda t: t.title.startswith("fail"))
    assert [r.title for r in picked] == ["fails twice"]


def test_the_aliexpress_tests_pass() -> None:
    found = run_tests(load_policy(SPECS / "aliexpress").program)
    assert found
    assert [r.title for r in found if r.status != PASSED] == []
