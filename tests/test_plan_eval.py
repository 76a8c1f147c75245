"""The optimiser's first plan: terms compiled to Python, local search, and the fallbacks.

The Python evaluation of plan terms is compared with Z3's own evaluation of the
same terms; the optimiser with local search is compared with exhaustive search
on plans whose start (no choice made) is not a plan, with a maximised objective,
and with an enum choice (which the local search does not take: Z3's optimiser
gives the first plan).
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction

import pytest
import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from smallprint.checker.arguments import collect, fill_choices
from smallprint.checker.dag import key, snapshot
from smallprint.checker.linearize import Twins
from smallprint.checker.optimize import Optimizer, _Search
from smallprint.checker.partial import ChosenFieldRead, Free, PartialCompiler
from smallprint.checker.plan_eval import Unsupported, compile_terms, local_search
from smallprint.checker.plan_terms import (
    PlanTerms,
    Prepared,
    linearized,
    list_sizes,
    partial_terms,
    slot_text,
)
from smallprint.checker.symenv import SymList, SymRecord
from smallprint.checker.terms import Assignment
from smallprint.model import core, planning
from smallprint.model.interp import Interpreter
from smallprint.model.loader import load_policy, load_text

from .conftest import SPECS


def _z3_value(term: z3.ExprRef, variables: list[z3.BoolRef], values: tuple[bool, ...]) -> object:
    pairs = [(v, z3.BoolVal(x)) for v, x in zip(variables, values, strict=True)]
    out = z3.simplify(z3.substitute(term, *pairs))
    if z3.is_true(out) or z3.is_false(out):
        return z3.is_true(out)
    if z3.is_int_value(out):
        return out.as_long()
    assert z3.is_rational_value(out)
    return Fraction(out.numerator_as_long(), out.denominator_as_long())


def test_every_operator_evaluates_as_z3_does() -> None:
    a, b, c = z3.Bools("a b c")
    x = z3.If(a, z3.IntVal(-7), z3.IntVal(7))
    y = z3.If(b, z3.IntVal(-2), z3.IntVal(3))
    r = z3.ToReal(x) / 3
    terms = [
        x + y * 2 - z3.If(c, x, y),
        -x,
        x / y,  # integer division: Z3's remainder is never negative
        x % y,
        z3.ToInt(r),  # floor
        r * z3.RealVal("5/2"),
        z3.And(a, z3.Or(b, z3.Not(c))),
        z3.Implies(a, b),
        z3.Xor(a, c),
        a == b,
        x <= y,
        x < y,
        x >= y,
        x > y,
        x == y,
        z3.Distinct(x, y),
    ]
    evaluate = compile_terms(terms, [a, b, c])
    for values in itertools.product([False, True], repeat=3):
        got = evaluate(list(values))
        expected = tuple(_z3_value(t, [a, b, c], values) for t in terms)
        assert got == expected, values
        assert not any(isinstance(v, float) for v in got)


_CHOICES = z3.Bools("a b c")


@st.composite
def _nested(draw: st.DrawFn, kind: str = "int", depth: int = 4) -> z3.ExprRef:
    """A random term over the choices `a b c`, numbers and Booleans nested in every way
    the compiled function writes (sums inside products, differences of differences,
    negations, `if`s in conditions and branches, comparisons of sums, `not` inside
    `and` inside `or`, implications)."""
    leaf = depth == 0 or draw(st.integers(0, 3)) == 0
    if kind == "int":
        if leaf:
            return z3.IntVal(draw(st.integers(-9, 9)))
        form = draw(st.sampled_from(["add", "sub", "mul", "neg", "ite", "floor"]))
        x = draw(_nested("int", depth - 1))
        if form == "neg":
            return -x
        if form == "mul":
            return x * draw(_nested("int", depth - 1))
        if form == "floor":
            return z3.ToInt(z3.ToReal(x) / draw(st.sampled_from([2, 3, -4])))
        if form == "ite":
            return z3.If(draw(_nested("bool", depth - 1)), x, draw(_nested("int", depth - 1)))
        y = draw(_nested("int", depth - 1))
        return x + y if form == "add" else x - y
    if leaf:
        return draw(st.sampled_from(_CHOICES))
    form = draw(st.sampled_from(["and", "or", "not", "implies", "cmp", "eq", "ite", "xor"]))
    if form == "cmp":
        x, y = draw(_nested("int", depth - 1)), draw(_nested("int", depth - 1))
        return draw(st.sampled_from([x <= y, x < y, x >= y, x > y, x == y, z3.Distinct(x, y)]))
    p = draw(_nested("bool", depth - 1))
    if form == "not":
        return z3.Not(p)
    q = draw(_nested("bool", depth - 1))
    if form == "ite":
        return z3.If(draw(_nested("bool", depth - 1)), p, q)
    made: z3.ExprRef = {
        "and": z3.And(p, q, draw(_nested("bool", depth - 1))),
        "or": z3.Or(p, q),
        "implies": z3.Implies(p, q),
        "eq": p == q,
        "xor": z3.Xor(p, q),
    }[form]
    return made


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.one_of(_nested("int"), _nested("bool")), min_size=1, max_size=4))
def test_nested_terms_evaluate_as_z3_does(terms: list[z3.ExprRef]) -> None:
    """The compiled function writes only the parentheses a reader needs (by how tightly
    Python binds each form): every nesting must still mean what Z3 means."""
    evaluate = compile_terms(terms, list(_CHOICES))
    for values in itertools.product([False, True], repeat=3):
        assert evaluate(list(values)) == tuple(_z3_value(t, list(_CHOICES), values) for t in terms), values


def test_unknown_operators_and_free_values_are_refused() -> None:
    a = z3.Bool("a")
    n = z3.Int("n")
    with pytest.raises(Unsupported):
        compile_terms([z3.If(a, n, 0)], [a])  # a value that is not a chosen Bool
    with pytest.raises(Unsupported):
        compile_terms([z3.Length(z3.If(a, z3.StringVal("ab"), z3.StringVal("c")))], [a])


def test_checkout_terms_evaluate_as_z3_does() -> None:
    """The partially evaluated `best_coupons` of a real checkout, on random choices."""
    program = load_policy(SPECS / "aliexpress").program
    plan = program.plans["best_coupons"]
    data = json.loads((SPECS / "aliexpress" / "examples" / "two-stores.json").read_text())
    filled = fill_choices(program, plan, data)
    args = collect(program, plan.params, filled, ()).values
    values = [args[p.name] for p in plan.params]
    terms = partial_terms(program, plan, values, planning.slots(plan, values))
    roots = [*terms.requires, *terms.sides, *terms.objectives]
    variables = [v for v in terms.vars if isinstance(v, z3.BoolRef)]
    assert len(variables) == len(terms.vars) >= 3
    evaluate = compile_terms(roots, variables)
    for values_ in itertools.islice(itertools.product([False, True], repeat=len(variables)), 64):
        assert evaluate(list(values_)) == tuple(_z3_value(t, variables, values_) for t in roots)


def test_deep_terms_compile() -> None:
    """Terms read once are written inside their reader; a chain of 500 of them stays
    within the parser's nesting limit and evaluates as Z3 does."""
    a, b = z3.Bools("a b")
    t: z3.ArithRef = z3.IntVal(0)
    for i in range(500):
        t = z3.If(a if i % 2 else b, t + i, z3.IntVal(i))  # each level read once
    evaluate = compile_terms([t, t > 3], [a, b])
    for values in itertools.product([False, True], repeat=2):
        assert evaluate(values) == (_z3_value(t, [a, b], values), _z3_value(t > 3, [a, b], values))


def test_local_search_keeps_pins_and_conditions() -> None:
    a, b, c, d = z3.Bools("a b c d")
    weight = z3.Sum([z3.If(v, z3.IntVal(w), z3.IntVal(0)) for v, w in ((a, 5), (b, 4), (c, 3), (d, 2))])
    gain = z3.Sum([z3.If(v, z3.IntVal(g), z3.IntVal(0)) for v, g in ((a, 10), (b, 7), (c, 5), (d, 1))])
    evaluate = compile_terms([weight <= 7, gain], [a, b, c, d])
    found = local_search(evaluate, [False] * 4, conditions=1, senses=[-1], pinned={}, deadline=1e18)
    assert found is not None
    # By hand: the best single flip takes a (10), then d (11, weight 7); no flip or
    # one-in-one-out swap improves {a, d}, though {b, c} gives 12: a local optimum,
    # which is why the optimiser still asks the solver for a better plan.
    assert found == ([True, False, False, True], (11,))
    pinned = local_search(
        evaluate, [False, False, False, True], conditions=1, senses=[-1], pinned={3: True}, deadline=1e18
    )
    assert pinned is not None and pinned[0][3] is True
    assert evaluate(pinned[0])[0] is True
    assert local_search(evaluate, [True] * 4, conditions=1, senses=[-1], pinned={}, deadline=1e18) is None


def test_a_lone_pick_that_shuts_out_the_rest_is_tried_without() -> None:
    """A choice worth most alone but combinable with nothing (a coupon that must be used
    alone, coupon terms 10b) traps a greedy start: from {a} no flip or swap improves.
    The search tries again without it and finds {b, c, d}."""
    a, b, c, d = z3.Bools("a b c d")
    alone = z3.Implies(a, z3.Not(z3.Or(b, c, d)))
    saved = z3.Sum([z3.If(v, z3.IntVal(g), z3.IntVal(0)) for v, g in ((a, 10), (b, 4), (c, 4), (d, 4))])
    evaluate = compile_terms([alone, 20 - saved], [a, b, c, d])
    found = local_search(evaluate, [False] * 4, conditions=1, senses=[1], pinned={}, deadline=1e18)
    assert found == ([False, True, True, True], (8,))
    # Only a lone pick is tried again: a greedy pass that takes two is kept as it is.
    two = compile_terms([z3.BoolVal(True), 20 - saved], [a, b, c, d])
    assert local_search(two, [False] * 4, conditions=1, senses=[1], pinned={}, deadline=1e18) == (
        [True] * 4,
        (-2,),
    )


# ---- the optimiser on plans unlike the checkout ----------------------------------------------

PACKING = """
enum Fit { small, large }

record Item {
  price: Money
  weight: Int
  take: Bool
  fit: Fit
  invariant weight_positive: weight >= 1
}

record Bag {
  items: List[Item, 6]
  capacity: Int
}

plan pack(b: Bag)
  choose i.take for i in b.items
  require sum(i.weight for i in b.items where i.take) <= b.capacity
  require count(i in b.items where i.take) >= 2
  require count(i in b.items where i.weight > 8 and i.take) <= 1
  maximize sum(i.price for i in b.items where i.take) then minimize count(i in b.items where i.take)

plan fits(b: Bag)
  choose i.fit for i in b.items
  require count(i in b.items where i.fit == Fit.large) <= 2
  maximize sum(if i.fit == Fit.large then i.weight * 3 else i.weight for i in b.items)
"""


@st.composite
def bags(draw: st.DrawFn) -> dict[str, object]:
    n = draw(st.integers(2, 6))
    items = [
        {
            "price": f"US${draw(st.integers(0, 30))}.{draw(st.integers(0, 99)):02d}",
            "weight": draw(st.integers(1, 9)),
            "take": False,
            "fit": "small",
        }
        for _ in range(n)
    ]
    return {"b": {"items": items, "capacity": draw(st.integers(0, 25))}}


@settings(max_examples=60, deadline=None)
@given(bags(), st.sampled_from(["pack", "fits"]))
def test_optimiser_matches_exhaustive_search_on_other_plans(data: dict[str, object], name: str) -> None:
    program = load_text(PACKING)
    plan = program.plans[name]
    chosen = {"pack": "take", "fits": "fit"}[name]  # left out: a value given for it is refused
    items = [{k: v for k, v in i.items() if k != chosen} for i in data["b"]["items"]]
    data = {"b": {**data["b"], "items": items}}
    args = collect(program, plan.params, fill_choices(program, plan, data), ()).values
    values = [args[p.name] for p in plan.params]
    best = planning.exhaustive(program, plan, values)
    result = Optimizer(program).optimize(name, values, timeout_ms=60_000)
    if best is None:
        assert result.status == "infeasible"
        return
    assert result.status == "optimal"
    assert tuple(o.value for o in result.objectives) == tuple(best.objectives)


def test_free_markers_refuse_every_use() -> None:
    marker = Free(0)
    for use in (
        lambda: marker == marker,
        lambda: marker < 1,
        lambda: bool(marker),
        lambda: hash(marker),
        lambda: (1, marker) == (1, Free(1)),
    ):
        with pytest.raises(ChosenFieldRead):
            use()


def test_only_conditions_without_chosen_fields_are_decided_in_python() -> None:
    """In `i.weight > 8 and i.take`, only `i.weight > 8` may be run by the interpreter,
    and an item it rules out is dropped; `i.take` (chosen) is never read there."""
    program = load_text(PACKING)
    plan = program.plans["pack"]
    agg = plan.requires[2].cond.args[0]
    assert isinstance(agg, core.Agg) and isinstance(agg.where, core.Op)
    compiler = PartialCompiler(program)
    bag_type = plan.params[0].ty
    heavy, light = (100, 9, False, "small"), (100, 3, False, "small")
    sym = compiler.types.value(((heavy, light), 5), bag_type)
    view = (((100, 9, Free(0), "small"), (100, 3, Free(1), "small")), 5)
    chosen = frozenset({("Item", program.records["Item"].index("take"))})
    compiler.view(sym, view, bag_type, chosen)
    tests = compiler._leading_tests(agg.where)
    assert [t for t, _ in tests] == [agg.where.args[0]]
    assert [names for _, names in tests] == [("i",)]
    assert isinstance(sym, SymRecord) and isinstance(sym.fields[0], SymList)
    first, second = sym.fields[0].slots
    assert not compiler.filtered_out(agg.where, {"i": first})  # 9 > 8: the chosen field decides
    assert compiler.filtered_out(agg.where, {"i": second})  # 3 > 8 is false: dropped


def test_twins_are_made_once_and_linearize_the_same() -> None:
    """A service's checkouts choose the same fields: their twins and links are made
    once (`Twins`), and terms linearized with twins made before are the terms
    linearized afresh."""
    a, b = z3.Bools("a b")
    terms = PlanTerms(
        (a, b), (z3.If(a, z3.IntVal(5), z3.IntVal(0)) + z3.If(b, z3.IntVal(2), z3.IntVal(1)) <= 6,), (), ()
    )
    made = Twins()
    first = linearized(terms, made=made)
    again = linearized(terms, made=made)
    fresh = linearized(terms)
    assert made.twin(a) is made.twin(a) and made.links(b) is made.links(b)
    assert again.twins[0] is first.twins[0]  # reused, not made again
    for x, y in zip(again.roots, fresh.roots, strict=True):
        assert x.eq(y)


def test_linearized_terms_mean_the_same() -> None:
    """`if c then n1 else n2` (or `if not c ...`) on a chosen Bool becomes `n2 + (n1 -
    n2) * b` with b in {0, 1} linked to c; every term keeps its value under every
    choice, in the solver and in the compiled evaluator (which computes b from c)."""
    a, b, c = z3.Bools("a b c")
    price = z3.Int("price")  # an input left symbolic: a branch that reads no choice
    spend = z3.If(a, z3.IntVal(500), z3.IntVal(0)) + z3.If(z3.Not(b), z3.IntVal(-2), z3.IntVal(300))
    rate = z3.If(c, z3.RealVal("1/3"), z3.RealVal(0))
    clamp = z3.If(spend >= 400, spend - 400, z3.IntVal(0))  # not on a choice: kept
    nested = z3.If(a, spend, z3.IntVal(0))  # a branch reads a choice: kept
    terms = PlanTerms((a, b, c), (spend <= 600, rate < 1), (clamp, spend, nested, z3.If(c, price, 7)), ())
    solved = linearized(terms)
    assert linearized(solved) is solved
    links = solved.sides
    assert len(links) == solved.links == 3 * 3 and all(t is not None for t in solved.twins)
    assert solved.own_sides == ()
    flat = [*solved.requires, *solved.objectives]
    linear_ites = [
        x
        for t in flat
        for x in _subterms(t)
        if z3.is_app_of(x, z3.Z3_OP_ITE) and any(x.arg(0).eq(v) or x.arg(0).eq(z3.Not(v)) for v in (a, b, c))
    ]
    assert linear_ites and all(x.arg(0).eq(a) for x in linear_ites)  # only `nested` is left
    evaluate = compile_terms([*solved.requires, *solved.objectives[:3]], list(solved.vars), solved.twins)
    plain = compile_terms([*terms.requires, *terms.objectives[:3]], list(terms.vars))
    for values in itertools.product([False, True], repeat=3):
        assert evaluate(values) == plain(values), values
        s = z3.Solver()
        s.add(*links, *(v == z3.BoolVal(x) for v, x in zip((a, b, c), values, strict=True)), price == 41)
        assert s.check() == z3.sat
        m = s.model()
        for old, new in zip([*terms.requires, *terms.objectives], flat, strict=True):
            assert z3.simplify(m.eval(old, model_completion=True) == m.eval(new, model_completion=True)), (
                values
            )


def _subterms(t: z3.ExprRef) -> list[z3.ExprRef]:
    out = [t]
    for child in t.children():
        out.extend(_subterms(child))
    return out


def _checkout(name: str) -> tuple[core.Program, core.PlanDef, list[core.Value]]:
    program = load_policy(SPECS / "aliexpress").program
    plan = program.plans["best_coupons"]
    data = json.loads((SPECS / "aliexpress" / "examples" / name).read_text())
    args = collect(program, plan.params, fill_choices(program, plan, data), ()).values
    return program, plan, [args[p.name] for p in plan.params]


def test_prepared_terms_are_the_inputs_substituted_and_simplified() -> None:
    """`Prepared.terms` puts the inputs in with Z3's model evaluator (one pass), walking
    the values alone; the terms are exactly those of substituting the inputs (paired
    with the parameters by `Compiler.align`), then simplifying."""
    program, plan, values = _checkout("two-stores.json")
    slots = planning.slots(plan, values)
    # Room for one more store order, line and coupon: absent elements are put in too.
    prepared = Prepared(program, plan, {k: n + 1 for k, n in list_sizes(program, plan, values).items()})
    terms = prepared.terms(values, [slot_text(plan, program, s) for s in slots])
    free = {v.get_id() for v in terms.vars}
    pairs = [
        pair
        for p, sym, a in zip(plan.params, prepared.params, values, strict=True)
        for pair in prepared.compiler.align(sym, prepared.compiler.types.value(a, p.ty), p.ty)
        if pair[0].get_id() not in free
    ]
    assert len(pairs) > 50
    for got, generic in zip(terms.roots, prepared.generic.roots, strict=True):
        expected = z3.simplify(z3.substitute(generic, *pairs))
        assert got.eq(expected), (got, expected)


def test_a_plan_is_confirmed_only_when_its_requires_hold() -> None:
    """The local search's plan is checked by Z3's evaluation of the terms: a plan that
    breaks a require (a store coupon and a store code on one store order, clause 10e) is refused;
    the best plan gives a model whose objectives are the interpreter's."""
    program, plan, values = _checkout("two-stores.json")
    optimizer = Optimizer(program)
    slots = planning.slots(plan, values)
    search = _Search(optimizer, plan, values, slots, partial_terms(program, plan, values, slots), 10_000, 0.0)
    wallet = values[1]
    assert isinstance(wallet, tuple) and isinstance(wallet[0], tuple)
    ids = [c[0] for c in wallet[0] if isinstance(c, tuple)]  # WalletCoupon.id
    pair = {"2001-coupon-5-over-40", "2001-code-4-over-30"}
    both = [i in pair for i in ids]
    assert sum(both) == 2 and len(both) == len(slots)
    assert search.confirmed(both) is None
    assert not planning.evaluate(
        Interpreter(program), plan, planning.assign(plan, values, slots, both)
    ).feasible
    one = [c.value is True for c in optimizer.optimize("best_coupons", values, explain_unused=False).chosen]
    assert sum(one) >= 2
    model = search.confirmed(one)
    assert model is not None
    outcome = planning.evaluate(Interpreter(program), plan, planning.assign(plan, values, slots, one))
    assert outcome.feasible
    assert [_as_fraction(model.eval(o, model_completion=True)) for o in search.objectives] == [
        Fraction(v) for v in outcome.objectives
    ]


def _as_fraction(v: z3.ExprRef) -> Fraction:
    if z3.is_int_value(v):
        return Fraction(v.as_long())
    assert z3.is_rational_value(v)
    return Fraction(v.numerator_as_long(), v.denominator_as_long())


def test_a_snapshot_lists_each_node_once_after_its_children() -> None:
    """`checker/dag.py`: shared subterms appear once, children before parents, numbers
    with their value and sort."""
    a, b = z3.Bools("a b")
    shared = z3.If(a, z3.IntVal(5), z3.IntVal(0))
    half = z3.If(b, z3.RealVal("1/2"), z3.RealVal(0))
    roots = [shared + shared * 2 >= 3, z3.ToReal(shared) + half > 1]
    dag = snapshot(roots)
    assert len(dag.order) == len(set(dag.order))
    position = {k: i for i, k in enumerate(dag.order)}
    assert all(position[c] < position[k] for k, kids in dag.kids.items() for c in kids)
    assert dag.order.count(key(shared)) == 1 and set(dag.roots) <= set(dag.order)
    assert dag.numbers[key(z3.IntVal(5))] == (Fraction(5), True)
    assert dag.numbers[key(z3.RealVal("1/2"))] == (Fraction(1, 2), False)
    assert dag.ops[key(shared)] == z3.Z3_OP_ITE and dag.kids[key(shared)][0] == key(a)


def test_a_model_that_leaves_choices_open_decodes_them_as_unused() -> None:
    """The chosen Booleans are read from one evaluation of their bundle; a choice the
    model does not mention (the solver left it free) is what model completion makes
    it, false, as when each was evaluated on its own."""
    program, plan, values = _checkout("two-stores.json")
    slots = planning.slots(plan, values)
    search = _Search(
        Optimizer(program), plan, values, slots, partial_terms(program, plan, values, slots), 10_000, 0.0
    )
    assert len(search.vars) >= 3
    some = Assignment.of_constants([(search.vars[0], z3.BoolVal(True)), (search.vars[2], z3.BoolVal(False))])
    decoded = search.decoded(some.model)
    assert decoded == (True, False, False, *([False] * (len(search.vars) - 3)))
    assert decoded == tuple(z3.is_true(some.model.eval(v, model_completion=True)) for v in search.vars)


def _search_on(name: str) -> tuple[core.Program, core.PlanDef, list[core.Value], _Search, list[bool]]:
    """A search on an example checkout, and its optimal plan (found by the optimiser,
    whose answer the tests of `test_optimize.py` check against exhaustive search)."""
    program, plan, values = _checkout(name)
    optimizer = Optimizer(program)
    best = [c.value is True for c in optimizer.optimize("best_coupons", values, explain_unused=False).chosen]
    slots = planning.slots(plan, values)
    search = _Search(optimizer, plan, values, slots, partial_terms(program, plan, values, slots), 10_000, 0.0)
    search.deadline = 1e18
    return program, plan, values, search, best


def test_a_descent_beside_the_proof_that_finds_a_better_plan_starts_the_next_round() -> None:
    """The descent runs beside the first proof; when it reaches a better plan the proof
    answers sat, and tightening goes on from the descent's plan (confirmed by Z3) to
    the optimum, whose replay is the answer's."""
    program, plan, values, search, best = _search_on("two-stores.json")
    nothing = search.confirmed([False] * len(search.vars))
    assert nothing is not None
    asked: list[bool] = []

    def descent() -> list[bool] | None:
        asked.append(True)
        return best

    model, status, replayed = search.tighten(nothing, {}, True, descent)
    assert asked == [True] and status == "optimal"
    assert search.assignment(model) == best
    assert replayed is not None and replayed.values == tuple(best)
    outcome = planning.evaluate(Interpreter(program), plan, planning.assign(plan, values, search.slots, best))
    assert replayed.outcome is not None and replayed.outcome.objectives == outcome.objectives


def test_a_descent_claiming_better_than_a_proved_optimum_is_ignored() -> None:
    """After an unsat answer nothing is better: a descent that claims otherwise (a bug
    of the search's arithmetic) changes nothing, and the optimum is replayed later
    (no replay was made beside the proof, since the descent claimed a better plan)."""
    _, _, _, search, best = _search_on("two-stores.json")
    optimum = search.confirmed(best)
    assert optimum is not None
    worse = [False] * len(search.vars)
    model, status, replayed = search.tighten(optimum, {}, True, lambda: worse)
    assert status == "optimal" and search.assignment(model) == best and replayed is None
