"""`check_while`: a solver's check on a second thread while Python work runs here."""

from __future__ import annotations

import gc

import pytest
import z3

from smallprint.checker.background import check_while


def _solver(*facts: z3.BoolRef) -> z3.Solver:
    s = z3.Solver()
    s.add(*facts)
    return s


def test_both_answers_come_back() -> None:
    x = z3.Int("x")
    answer, work = check_while(_solver(x > 2, x < 3), lambda: sum(range(10)))
    assert (answer, work) == (z3.unsat, 45)
    s = _solver(x > 2, x < 5)
    answer, _ = check_while(s, lambda: None)
    assert answer == z3.sat and s.model().eval(x).as_long() in (3, 4)


def test_a_failing_work_is_raised_after_the_search_and_collection_is_restored() -> None:
    x = z3.Int("x")
    assert gc.isenabled()

    def fails() -> None:
        assert not gc.isenabled()  # held off while the search may run
        raise ValueError("replay failed")

    with pytest.raises(ValueError, match="replay failed"):
        check_while(_solver(x > 2), fails)
    assert gc.isenabled()
    gc.disable()
    try:
        check_while(_solver(x > 2), lambda: None)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
