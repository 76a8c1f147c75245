"""The interpreter's nodes compiled to Python functions (`model/nodes.py`): compiled once
per program, evaluated as the tree-walk they replace would (scopes, laziness, errors
raised when evaluated, not when compiled)."""

from __future__ import annotations

import gc
from fractions import Fraction

import pytest

from smallprint.model import core, interp
from smallprint.model.interp import EvalError, Interpreter
from smallprint.model.loader import load_text
from smallprint.model.types import BOOL, INT


def test_an_inner_aggregate_does_not_change_the_outer_element() -> None:
    # The inner `count` binds `x` too: the outer body must still read its own element
    # after it (one scope per aggregate, filled in place, never shared outward).
    program = load_text(
        "def f(xs: List[Int, 5], ys: List[Int, 5]) -> Int = sum(count(x in ys where x > 0) + x for x in xs)",
        "t.sp",
    )
    # each of 1 and 2 adds the one positive y (5), then itself: (1 + 1) + (1 + 2)
    assert Interpreter(program).call("f", [(1, 2), (5, -1)]) == 5


def test_exists_stops_at_the_first_element_that_decides() -> None:
    program = load_text(
        "record Item { qty: Int }\ndef f(xs: List[Item, 5]) -> Bool = exists i in xs. 100 / i.qty > 10",
        "t.sp",
    )
    run = Interpreter(program)
    assert run.call("f", [((5,), (0,))]) is True  # 100 / 5 > 10: the 0 is never divided by
    with pytest.raises(EvalError, match="division by zero"):
        run.call("f", [((0,), (5,))])


def test_a_bad_literal_fails_when_evaluated_not_when_compiled() -> None:
    # A whole-number type holding a fraction cannot come from the checker; built by hand,
    # it must fail only on the branch that reads it, as the tree-walk did.
    bad = core.Lit(Fraction(1, 2), ty=INT)
    program = load_text("def g() -> Int = 1", "t.sp")
    run = Interpreter(program)
    taken = core.If(core.Lit(True, ty=BOOL), core.Lit(1, ty=INT), bad, ty=INT)
    assert run.eval(taken, {}) == 1
    with pytest.raises(EvalError, match="not a whole number"):
        run.eval(core.If(core.Lit(False, ty=BOOL), core.Lit(1, ty=INT), bad, ty=INT), {})


def test_compiled_nodes_are_shared_by_a_programs_interpreters_and_dropped_with_it() -> None:
    program = load_text("def f(x: Int) -> Int = x + 1", "t.sp")
    assert Interpreter(program).call("f", [1]) == 2
    codes = interp._CODES[id(program)]
    known = len(codes)
    assert known > 0
    assert Interpreter(program).call("f", [2]) == 3
    assert len(codes) == known  # the second interpreter compiled nothing again
    key = id(program)
    del program
    gc.collect()
    assert key not in interp._CODES


def test_a_node_under_a_reused_id_is_compiled_again() -> None:
    # An expression evaluated from outside the program can die and its id be given to
    # another: the entry holds its node and is used only for that very node.
    program = load_text("def g() -> Int = 1", "t.sp")
    run = Interpreter(program)
    one, two = core.Lit(1, ty=INT), core.Lit(2, ty=INT)
    assert run.eval(one, {}) == 1
    interp._CODES[id(program)][id(two)] = interp._CODES[id(program)][id(one)]  # as if `two` took its id
    assert run.eval(two, {}) == 2
