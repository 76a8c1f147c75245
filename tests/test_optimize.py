"""The coupon plan of specs/aliexpress/checkout.sp: the optimiser against exhaustive search.

* `test_optimiser_matches_exhaustive_search`: on 300 random checkouts (75 each of 1 to 4
  store orders, up to 10 coupons of every kind), `Optimizer.optimize` finds the
  same optimal objective vector (cash paid, coupons used, face value used) as
  `model.planning.exhaustive`, which tries every subset of the wallet through
  the reference interpreter; the optimiser's plan replays feasible in the
  interpreter with that same vector.
* The reasons for unused coupons on hand-made checkouts (the JSON examples of
  specs/aliexpress/examples/, worked out by hand in specs/aliexpress/README-checkout.md):
  which `require` excludes a coupon, or by exactly how much the best plan using
  it is worse.

Exhaustive search evaluates the plan up to 2^10 times per checkout, through an
interpreter that remembers each call's value (`RememberingInterpreter`).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import smallprint.checker
from smallprint.checker.arguments import collect, fill_choices
from smallprint.checker.optimize import Optimizer
from smallprint.checker.plan_report import plan_text, unused_text
from smallprint.checker.plan_result import PlanResult, Unused
from smallprint.model import core, planning
from smallprint.model.core import Value
from smallprint.model.interp import Interpreter
from smallprint.model.loader import load_policy
from smallprint.model.values import InputError

from .conftest import SPECS, run_cli

POLICY = SPECS / "aliexpress"
EXAMPLES = POLICY / "examples"
PLAN = "best_coupons"


@functools.cache
def program() -> core.Program:
    return load_policy(POLICY).program


@functools.cache
def optimizer() -> Optimizer:
    return Optimizer(program())


def arguments(data: Mapping[str, object]) -> list[Value]:
    """The plan's arguments decoded from JSON-shaped input (as `smallprint optimize --input`)."""
    prog = program()
    plan = prog.plans[PLAN]
    filled = fill_choices(prog, plan, dict(data))
    args = collect(prog, plan.params, filled, ())
    return [args.values[p.name] for p in plan.params]


def exhaustive(args: Sequence[Value]) -> planning.Outcome | None:
    return planning.exhaustive(program(), program().plans[PLAN], args)


def optimize(args: Sequence[Value], explain_unused: bool = True) -> PlanResult:
    return optimizer().optimize(PLAN, args, timeout_ms=120_000, explain_unused=explain_unused)


# What the random checkouts below can hold: a plan prepared for it serves them all.
LARGEST = {"cart.stores": 4, "cart.stores[].lines": 2, "wallet.coupons": 10}


@functools.cache
def prepared_optimizer() -> Optimizer:
    o = Optimizer(program())
    o.prepare(PLAN, LARGEST)
    return o


# ---- random checkouts -----------------------------------------------------------------

SHOPS = [1001, 1002, 1003, 1004]
TIERS = [1500, 2900, 4900]  # Select Coupon Minimum Spending Requirements, in cents


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


@st.composite
def lines(draw: st.DrawFn) -> list[dict[str, object]]:
    out = []
    for no in range(1, draw(st.integers(1, 2)) + 1):
        kind = draw(st.sampled_from(["plain"] * 6 + ["virtual", "service", "promotion"]))
        out.append(
            {
                "no": no,
                # whole dollars most of the time (thresholds meet subtotals exactly), odd cents for rounding
                "amount": money(draw(st.sampled_from([100, 500, 999, 1500, 2000, 2999, 3000, 4550, 6000]))),
                "quantity": draw(st.integers(1, 3)),
                "virtual": kind == "virtual",
                "value_added_service": kind == "service",
                "special_promotion": kind == "promotion",
            }
        )
    return out


@st.composite
def stores(draw: st.DrawFn, count: int) -> list[dict[str, object]]:
    numbers = SHOPS[:count]
    out = []
    for number in numbers:
        store: dict[str, object] = {
            "store": number,
            "lines": draw(lines()),
            "shipping_fee": money(draw(st.sampled_from([0, 0, 150]))),
            "select_allowance": money(draw(st.sampled_from([200, 500]))),
        }
        tier = draw(st.sampled_from([None, None, *TIERS]))
        if tier is not None:
            store["select_min_spend"] = money(tier)
        out.append(store)
    return out


KINDS = [
    "instant_discount",
    "instant_off",
    "store_coupon",
    "coins",
    "select_coupon",
    "aliexpress_coupon",
    "store_code",
    "promo_code",
    "invitation_code",
]
STORE_SCOPED = {"instant_discount", "store_coupon", "store_code", "coins"}


@st.composite
def coupon(draw: st.DrawFn, number: int) -> dict[str, object]:
    kind = draw(st.sampled_from(KINDS))
    issuer = {"instant_discount": "seller", "store_coupon": "seller", "store_code": "seller"}.get(kind)
    if kind == "instant_off":
        issuer = draw(st.sampled_from(["seller", "aliexpress", "partner"]))
    c: dict[str, object] = {
        "id": f"c{number}",
        "kind": kind,
        "issuer": issuer or "aliexpress",
        "valid_from": "2020-03-01",
        "valid_until": draw(st.sampled_from(["2020-03-31"] * 9 + ["2020-03-10"])),
        "used_before": draw(st.sampled_from([False] * 9 + [True])),
        "combinable": draw(st.booleans()),
    }
    if kind in STORE_SCOPED or (kind == "instant_off" and issuer == "seller"):
        c["store"] = draw(st.sampled_from([*SHOPS, 1009]))  # 1009: a store not in any cart
    if kind == "select_coupon":
        c["value"] = money(draw(st.sampled_from([100, 200, 300])))
        c["min_spend"] = money(draw(st.sampled_from(TIERS)))
        return c
    if kind in ("instant_discount", "store_code", "aliexpress_coupon") and draw(st.booleans()):
        c["value"] = "0"
        c["percent_off"] = draw(st.sampled_from(["5%", "10%", "15%", "12.5%"]))
    else:
        c["value"] = money(draw(st.sampled_from([50, 100, 300, 500, 1000, 2500])))
    if draw(st.booleans()):
        c["min_spend"] = money(draw(st.sampled_from([500, 1000, 1999, 3000, 5000])))
    if kind == "instant_discount" and draw(st.booleans()):
        c["min_items"] = draw(st.integers(1, 4))
    return c


@st.composite
def checkouts(draw: st.DrawFn, store_count: int) -> dict[str, Any]:
    # Mostly small wallets (exhaustive search is 2^n evaluations), up to 10 coupons.
    n = draw(st.one_of(st.integers(0, 6), st.integers(0, 6), st.integers(0, 6), st.integers(0, 10)))
    return {
        "cart": {"today": "2020-03-15", "stores": draw(stores(store_count))},
        "wallet": {"coupons": [draw(coupon(i)) for i in range(n)]},
    }


# 4 x 75 = 300 checkouts, one test per number of store orders (so that they run in
# parallel); with 1 and 3 store orders the plan is partially evaluated on each
# checkout, with 2 and 4 the prepared plan (`Optimizer.prepare`) is instantiated.
@pytest.mark.parametrize("store_count", [1, 2, 3, 4])
def test_optimiser_matches_exhaustive_search(store_count: int) -> None:
    chosen = prepared_optimizer() if store_count % 2 == 0 else optimizer()

    @settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(checkouts(store_count))
    def agree(data: dict[str, Any]) -> None:
        optimum_agrees(data, chosen)

    agree()


def optimum_agrees(data: dict[str, Any], chosen: Optimizer) -> None:
    args = arguments(data)
    best = exhaustive(args)
    assert best is not None  # using no coupon is always allowed
    result = chosen.optimize(PLAN, args, timeout_ms=120_000, explain_unused=False)
    assert result.status == "optimal", result.reason
    assert tuple(o.value for o in result.objectives) == best.objectives, json.dumps(data)
    replay = planning.evaluate(Interpreter(program()), program().plans[PLAN], result.args)
    assert replay.feasible, [r.text for r in replay.failed]
    assert replay.objectives == best.objectives
    assert replay.assignment == tuple(c.value for c in result.chosen)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 2).flatmap(checkouts))
def test_max_exposure_is_the_largest_discount(data: dict[str, Any]) -> None:
    """The exposure plan's proved maximum equals exhaustive search's, and equals what
    the buyer's best plan saves (paying least is taking the most off the eligible
    goods: the other charges do not depend on the coupons)."""
    args = arguments(data)
    exposure = optimizer().optimize("max_exposure", args, timeout_ms=120_000, explain_unused=False)
    assert exposure.status == "optimal", exposure.reason
    most = planning.exhaustive(program(), program().plans["max_exposure"], args)
    assert most is not None
    assert tuple(o.value for o in exposure.objectives) == most.objectives, json.dumps(data)
    best = optimize(args, explain_unused=False)
    saved = next(v for n, _, v in best.lets if n == "saved")
    assert exposure.objectives[0].value == saved


def test_prepared_plans_serve_the_inputs_that_fit_and_only_those() -> None:
    """`list_sizes` measures an input; a prepared plan is used only when the input fits
    (else the plan is evaluated on the input), and both give the same plan."""
    from smallprint.checker.plan_terms import list_sizes

    data = json.loads((EXAMPLES / "two-stores.json").read_text("utf-8"))
    args = arguments(data)
    sizes = list_sizes(program(), program().plans[PLAN], args)
    assert sizes == {"cart.stores": 2, "cart.stores[].lines": 2, "wallet.coupons": 8}
    small = Optimizer(program())
    small.prepare(PLAN, {**sizes, "wallet.coupons": 7})  # one coupon short
    assert not small._prepared[PLAN][0].fits(sizes)
    fitting = Optimizer(program())
    fitting.prepare(PLAN, {**sizes, "cart.stores": 3})
    assert fitting._prepared[PLAN][0].fits(sizes)
    a, b = small.optimize(PLAN, args), fitting.optimize(PLAN, args)
    assert [o.value for o in a.objectives] == [o.value for o in b.objectives]
    assert [c.value for c in a.chosen] == [c.value for c in b.chosen]
    assert [(u.kind, u.difference) for u in a.unused] == [(u.kind, u.difference) for u in b.unused]


def test_the_search_covers_wallets_of_ten() -> None:
    """The strategy reaches the stated size: some checkout has 10 coupons and 4 store orders."""
    seen: set[tuple[int, int]] = set()

    @settings(max_examples=75, deadline=None, database=None)
    @given(checkouts(4))
    def sizes(data: dict[str, Any]) -> None:
        seen.add((len(data["wallet"]["coupons"]), len(data["cart"]["stores"])))

    sizes()
    assert max(c for c, _ in seen) == 10
    assert max(s for _, s in seen) == 4


# ---- the examples, worked out by hand (specs/aliexpress/README-checkout.md) -------------


def example(name: str) -> PlanResult:
    data = json.loads((EXAMPLES / name).read_text("utf-8"))
    return optimize(arguments(data))


def cents(result: PlanResult, let: str) -> int:
    value = next(v for n, _, v in result.lets if n == let)
    assert isinstance(value, int)
    return value


def unused(result: PlanResult) -> dict[str, Unused]:
    return {u.choice.label or u.choice.text: u for u in result.unused}


def used(result: PlanResult) -> set[str]:
    return {c.label or c.text for c in result.chosen if c.value is True}


def test_two_stores_example() -> None:
    r = example("two-stores.json")
    assert r.status == "optimal"
    assert used(r) == {"2001-coupon-5-over-40", "2002-coupon-2-over-15", "select-3-tier-29", "coins-2002"}
    assert [o.value for o in r.objectives] == [5669, 4, 1050]
    assert cents(r, "after_store_coupon") == 5500
    assert cents(r, "after_coins") == 5450
    assert cents(r, "after_select_coupon") == 5150
    assert cents(r, "saved") == 1050
    why = unused(r)
    # 45.00 does not exceed the 50.00 minimum (10c, 11b; F25)
    assert why["2001-coupon-8-over-50"].kind == "excluded"
    assert [q.text for q in why["2001-coupon-8-over-50"].requires] == [
        "min_spends_met(cart.stores, wallet.coupons)"
    ]
    assert any("11b" in str(c) for c in why["2001-coupon-8-over-50"].requires[0].cites)
    # the Store Code instead of the Store Coupon of store 2001: 52.50 + 3.99 + 1.20
    assert why["2001-code-4-over-30"].kind == "worse"
    assert why["2001-code-4-over-30"].difference == 100
    assert why["2001-code-4-over-30"].best_with[0].value == 5769
    # the US$3.99 warranty service of store 2001 is a service line, so no AliExpress
    # Coupon may be used on this checkout (10d: "commercial warranty service ...
    # and/or other services"; docs/findings-checkout.md C8)
    assert why["aliexpress-6-over-50"].kind == "excluded"
    assert [q.text for q in why["aliexpress-6-over-50"].requires] == [
        "no_aliexpress_coupon_on_virtual(cart.stores, wallet.coupons)"
    ]
    assert any(str(c).endswith(", 10d") for c in why["aliexpress-6-over-50"].requires[0].cites)
    # valid until 2020-03-10, the checkout is on 2020-03-15 (6)
    assert why["2002-coupon-3-expired"].kind == "excluded"
    assert any(str(c).rsplit(", ", 1)[-1] == "6" for c in why["2002-coupon-3-expired"].requires[0].cites)


def test_select_across_stores_example() -> None:
    """The smaller Select Coupon wins: with the US$10 one the Store Code pushes the
    subtotal to exactly US$120, which the Promo Code's minimum must exceed (11b)."""
    r = example("select-across-stores.json")
    assert used(r) == {
        "select-6-tier-99",
        "3002-code-5-over-40",
        "promo-8-over-120",
        "instant-off-2-over-100",
    }
    assert [o.value for o in r.objectives] == [11400, 4, 2100]
    assert cents(r, "after_store_code") == 12400
    assert cents(r, "after_aliexpress_coupon") == 11600
    why = unused(r)
    assert why["select-10-tier-99"].kind == "worse"
    assert why["select-10-tier-99"].difference == 100
    assert why["select-5-tier-49"].kind == "excluded"
    assert [q.text for q in why["select-5-tier-49"].requires] == [
        "select_coupons_allowed(cart.stores, wallet.coupons)"
    ]


def test_a_virtual_product_costs_more_than_itself() -> None:
    """Finding C5 at the optimum: a US$1.00 top-up raises the best cash paid by US$8.00."""
    without = example("without-topup.json")
    with_topup = example("with-topup.json")
    assert without.objectives[0].value == 4000
    assert with_topup.objectives[0].value == 4800
    why = unused(with_topup)
    assert why["aliexpress-10"].kind == "excluded"
    assert [q.text for q in why["aliexpress-10"].requires] == [
        "no_aliexpress_coupon_on_virtual(cart.stores, wallet.coupons)"
    ]


# ---- hand-made wallets ------------------------------------------------------------------


def store_coupon(cid: str, store: int, value: str, **extra: object) -> dict[str, object]:
    return {
        "id": cid,
        "kind": "store_coupon",
        "issuer": "seller",
        "store": store,
        "value": value,
        "valid_from": "2020-03-01",
        "valid_until": "2020-03-31",
        "used_before": False,
        "combinable": True,
        **extra,
    }


def one_store(amount: str, coupons: list[dict[str, object]]) -> dict[str, Any]:
    line = {
        "no": 1,
        "amount": amount,
        "quantity": 1,
        "virtual": False,
        "value_added_service": False,
        "special_promotion": False,
    }
    store = {"store": 1, "lines": [line], "shipping_fee": "0", "select_allowance": "0"}
    return {"cart": {"today": "2020-03-15", "stores": [store]}, "wallet": {"coupons": coupons}}


def test_an_unused_coupon_worse_than_the_optimum_says_so_when_its_best_plan_is_not_found_in_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The best plan using a coupon is an optimisation of its own; out of time, it is still
    known (one quick question) whether an equally good plan uses the coupon or none does."""
    from smallprint.checker import optimize as opt

    found = opt._Search.optimum

    def no_time_for_pinned(
        self: opt._Search, pinned: Mapping[int, bool] | None = None, replay: bool = False
    ) -> tuple[object, str, object]:
        return (None, "unknown", None) if pinned else found(self, pinned, replay)

    monkeypatch.setattr(opt._Search, "optimum", no_time_for_pinned)
    data = one_store("30.00", [store_coupon("big", 1, "10.00"), store_coupon("small", 1, "4.00")])
    r = optimize(arguments(data))
    why = unused(r)
    assert used(r) == {"big"} and why["small"].kind == "worse" and why["small"].best_with == ()
    assert "a better plan exists without it (the best plan using it was not found in time)" in (
        unused_text(program(), why["small"])
    )
    assert "1 of 1 unused not explained in full in time" in "\n".join(plan_text(program(), r))


def test_prepare_refuses_sizes_that_are_not_lists_of_the_inputs_or_past_their_bound() -> None:
    policy = smallprint.checker.load(str(SPECS / "aliexpress"))
    for sizes, said in [
        ({"wallet.coupon": 2}, "`wallet.coupon` is not a list of the inputs of `best_coupons` (did you mean"),
        ({"cart.stores": -1}, "`cart.stores`: -1 is not a length from 0 to its bound 20"),
        ({"cart.stores": 25}, "`cart.stores`: 25 is not a length from 0 to its bound 20"),
        ({"cart.today": 3}, "`cart.today` is not a list of the inputs"),
    ]:
        with pytest.raises(ValueError, match=re.escape(said)) as caught:
            policy.prepare(sizes)
        assert "cart.stores[].lines (up to 5)" in str(caught.value)


def test_reasons_for_unused_coupons() -> None:
    data = one_store(
        "30.00",
        [
            store_coupon("big", 1, "10.00"),
            store_coupon("small", 1, "4.00"),
            store_coupon("twin", 1, "10.00"),
            store_coupon("elsewhere", 2, "20.00"),
            store_coupon("spent", 1, "25.00", used_before=True),
        ],
    )
    r = optimize(arguments(data))
    assert [o.value for o in r.objectives] == [2000, 1, 1000]
    why = unused(r)
    chosen = used(r)
    assert len(chosen & {"big", "twin"}) == 1
    other = ({"big", "twin"} - chosen).pop()
    # the same value: an equally good plan uses the other one
    assert why[other].kind == "tie"
    # one Store Coupon per store order (13b): the best plan with the US$4 one pays 26.00,
    # giving up the US$10 one the optimum takes, and taking nothing else
    assert why["small"].kind == "worse"
    assert why["small"].difference == 600
    assert "(cash +US$6.00)" in unused_text(program(), why["small"])  # the difference, of the cash
    assert [c.label for c in why["small"].drops] == [other_chosen := (chosen & {"big", "twin"}).pop()]
    assert why["small"].adds == ()
    # the tie takes the other US$10 coupon in place of the chosen one
    assert [c.label for c in why[other].drops] == [other_chosen] and why[other].adds == ()
    # no store order 2 in the cart (13a)
    assert why["elsewhere"].kind == "excluded"
    assert [q.text for q in why["elsewhere"].requires] == ["stores_in_cart(cart.stores, wallet.coupons)"]
    # used before (5): excluded by the validity require
    assert why["spent"].kind == "excluded"
    assert [q.text for q in why["spent"].requires] == [
        "forall c in wallet.coupons where c.used. coupon_usable_today(c, cart.today)"
    ]
    # and where, with it added: inside the validity check, on that very coupon
    example = why["spent"].example
    # `not c.used_before` is false: the part that decides is `c.used_before`, true
    assert example is not None and example.cond.held is True and example.cond.value is True
    assert example.through == ("coupon_usable_today",)
    assert [(b.name, b.path) for b in example.bound] == [("c", "wallet.coupons[4]")]
    # 13a as the spec counts it, on the coupon used alone: one store coupon used, none of
    # them at a store order of the cart
    elsewhere = why["elsewhere"].example
    assert elsewhere is not None and elsewhere.through == ("stores_in_cart",)
    assert why["elsewhere"].example_alone
    assert elsewhere.cond.op == "eq" and [o.value for o in elsewhere.cond.operands] == [0, 1]


def test_an_excluded_coupon_shows_the_threshold_it_misses() -> None:
    """two-stores.json, by hand: store 2001's eligible goods are US$45.00 (its US$3.99
    line is a value-added service, 5c), nothing in the wallet applies before stage c,
    so the US$8 Store Coupon's US$50.00 minimum is not exceeded (11b); the expired one
    ended 2020-03-10, before today, 2020-03-15 (6)."""
    why = unused(example("two-stores.json"))
    short = why["2001-coupon-8-over-50"].example
    assert short is not None and short.cond.op == "gt"
    assert [o.value for o in short.cond.operands] == [4500, 5000]
    assert short.through[-1] == "store_min_spends_met"
    assert ("c", "wallet.coupons[1]") in [(b.name, b.path) for b in short.bound]
    # The Store Code instead of the Store Coupon (one per store order, 13b): it gives
    # up "5 over 40" (README-checkout.md). The AliExpress Coupon is shut out by the
    # warranty service line (10d, C8): the require fails with it used alone.
    code = why["2001-code-4-over-30"]
    assert code.difference == 100 and [c.label for c in code.drops] == ["2001-coupon-5-over-40"]
    shut = why["aliexpress-6-over-50"].example
    assert shut is not None and shut.through == ("no_aliexpress_coupon_on_virtual",)
    # Without the warranty line 10d does not apply; by hand: 2001 45 - 5 = 40, 2002
    # 17 - 2 - 0.50 = 14.50, Select 3 off 54.50: 51.50, + 1.20 shipping = US$52.70.
    # The AliExpress Coupon does not combine (10b): alone, 62 > 50, 62 - 6 + 1.20 =
    # US$57.20, +US$4.50, and every coupon of the optimum given up.
    data = json.loads((EXAMPLES / "two-stores.json").read_text("utf-8"))
    del data["cart"]["stores"][0]["lines"][1]
    r = optimize(arguments(data))
    assert [o.value for o in r.objectives] == [5270, 4, 1050]
    alone = unused(r)["aliexpress-6-over-50"]
    assert alone.kind == "worse" and alone.difference == 450
    assert [o.value for o in alone.best_with] == [5720, 1, 600]
    assert {c.label for c in alone.drops} == {
        "2001-coupon-5-over-40",
        "2002-coupon-2-over-15",
        "select-3-tier-29",
        "coins-2002",
    }
    assert alone.adds == ()
    expired = why["2002-coupon-3-expired"].example
    assert expired is not None and expired.cond.op == "le"
    day = date(1970, 1, 1)
    assert [day + timedelta(days=o.value) for o in expired.cond.operands] == [  # type: ignore[arg-type]
        date(2020, 3, 15),
        date(2020, 3, 10),
    ]


def test_an_excluded_coupon_is_shown_on_its_own_not_beside_an_optimum_it_cannot_join() -> None:
    """US$95.00 of goods, a US$2 Store Coupon and a non-combinable AliExpress Coupon of
    US$10 over US$100 (10b: alone; 11b: the minimum must be exceeded). By hand: the
    AliExpress Coupon is never usable, since even alone US$95.00 does not exceed
    US$100.00; beside the Store Coupon of the optimum the subtotal would read US$93.00,
    a figure of a plan it cannot be part of."""
    ae = store_coupon("ae-10-over-100", 0, "10.00", min_spend="100.00", combinable=False)
    ae.update(kind="aliexpress_coupon", issuer="aliexpress")
    del ae["store"]
    r = optimize(arguments(one_store("95.00", [ae, store_coupon("sc-2", 1, "2.00")])))
    assert used(r) == {"sc-2"}
    why = unused(r)["ae-10-over-100"]
    assert why.kind == "excluded" and why.example_alone and why.example is not None
    assert [o.value for o in why.example.cond.operands] == [9500, 10000]


def test_a_coupon_worse_only_on_a_tie_break_says_which_objective() -> None:
    """US$10.00 of goods, a US$10 Store Coupon and a US$2 Instant Discount (stage a,
    before the Store Coupon, 19). By hand: the Store Coupon alone takes all US$10.00;
    with the Instant Discount too the buyer still pays US$0.00 (the coupon's value
    beyond the subtotal lapses, 7) but uses two coupons: worse on "then fewest
    coupons", not on the cash."""
    instant = store_coupon("instant-2", 1, "2.00", kind="instant_discount")
    r = optimize(arguments(one_store("10.00", [store_coupon("ten", 1, "10.00"), instant])))
    assert used(r) == {"ten"} and r.objectives[0].value == 0
    why = unused(r)["instant-2"]
    assert why.kind == "worse" and why.difference == 0 and why.worse_on == (1, 1)
    text = unused_text(program(), why)
    assert "(the same cash; coupons_used = 2 against 1)" in text
    assert "+US$0.00" not in text


def test_tie_break_keeps_the_most_valuable_coupon() -> None:
    """On US$8.00 of goods a US$10 and a US$8 Store Coupon both take everything (7):
    the same cash, one coupon either way; the plan keeps the US$10 one for later."""
    r = optimize(
        arguments(one_store("8.00", [store_coupon("ten", 1, "10.00"), store_coupon("eight", 1, "8.00")]))
    )
    assert used(r) == {"eight"}
    assert [o.value for o in r.objectives] == [0, 1, 800]
    assert unused(r)["ten"].kind == "worse"
    assert unused(r)["ten"].difference == 0
    assert [o.value for o in unused(r)["ten"].best_with] == [0, 1, 1000]


def test_out_of_time_is_unknown_with_the_plan_found_replayed() -> None:
    """With no time left for the proof, the answer is `unknown` (never `optimal`), and
    the plan found so far is still replayed: its objectives are the interpreter's."""
    args = arguments(json.loads((EXAMPLES / "two-stores.json").read_text("utf-8")))
    r = optimizer().optimize(PLAN, args, timeout_ms=1, explain_unused=False)
    assert r.status == "unknown"
    assert r.proof.startswith("not proved")
    outcome = planning.evaluate(Interpreter(program()), program().plans[PLAN], r.args)
    assert outcome.feasible
    assert tuple(o.value for o in r.objectives) == outcome.objectives


def test_python_api() -> None:
    """`policy.optimize(cart, wallet)` for checkout code, on the two-stores example."""
    policy = smallprint.checker.load(POLICY)
    data = json.loads((EXAMPLES / "two-stores.json").read_text("utf-8"))
    plan = policy.optimize(data["cart"], data["wallet"])
    assert plan.status == "optimal"
    assert plan.objectives[0].value == 5669
    # a service prepares the plan once for its largest checkouts, then answers from it
    assert policy.prepare({"cart.stores": 3, "cart.stores[].lines": 2, "wallet.coupons": 9}) > 0
    again = policy.optimize(data["cart"], data["wallet"])
    assert [c.value for c in again.chosen] == [c.value for c in plan.chosen]
    assert again.objectives == plan.objectives


@pytest.mark.parametrize("name", ["two-stores.json", "select-across-stores.json", "with-topup.json"])
def test_examples_replay_in_the_interpreter(name: str) -> None:
    """The optimiser's plan, evaluated by the interpreter, gives the reported lets."""
    r = example(name)
    outcome = planning.evaluate(Interpreter(program()), program().plans[PLAN], r.args)
    assert outcome.feasible
    assert outcome.lets == tuple(v for _, _, v in r.lets)
    # the plan's `cash` let is the spec's `cash_paid` definition
    cash = Interpreter(program()).call("cash_paid", [r.args[0][1], r.args[1][0]])
    assert cash == r.objectives[0].value


CHECKOUTS = sorted(p.name for p in EXAMPLES.glob("*.json") if '"wallet"' in p.read_text("utf-8"))


@pytest.mark.parametrize("name", CHECKOUTS)
def test_remembering_interpreter_agrees_with_the_interpreter(name: str) -> None:
    """Remembering calls changes no value: every function of the checkout's store
    orders and wallet gives the same answer (or the same error) both ways, and the
    remembering one evaluates each distinct call once."""
    from smallprint.model.interp import EvalError, RememberingInterpreter

    args = arguments(json.loads((EXAMPLES / name).read_text("utf-8")))
    ss, cs = args[0][1], args[1][0]  # cart.stores, wallet.coupons
    assert isinstance(ss, tuple) and isinstance(cs, tuple)
    prog = program()
    plain, remembering = Interpreter(prog), RememberingInterpreter(prog)
    signature = [p.ty for p in prog.functions["cash_paid"].params]
    funcs = [n for n, f in sorted(prog.functions.items()) if [p.ty for p in f.params] == signature]
    assert len(funcs) > 10
    for func in funcs:
        try:
            expected: object = plain.call(func, [ss, cs])
        except EvalError as exc:
            expected = str(exc)
        try:
            got: object = remembering.call(func, [ss, cs])
        except EvalError as exc:
            got = str(exc)
        assert got == expected and type(got) is type(expected), func
    distinct = len(remembering._memo)
    for func in funcs:
        remembering.call(func, [ss, cs])
    assert len(remembering._memo) == distinct  # answered from memory


def test_optimize_command_text_and_json() -> None:
    """`smallprint optimize` on two-stores.json. By hand: store 2001 US$45.00 - 5 (store
    coupon) = 40.00, store 2002 17.00 - 2 (store coupon) - 0.50 (coins) = 14.50, the
    Select Coupon takes 3 off the US$54.50 they add up to: 51.50; with the US$3.99
    value-added service and US$1.20 of shipping the buyer pays US$56.69."""
    where = str(EXAMPLES / "two-stores.json")
    r = run_cli("optimize", str(SPECS / "aliexpress"), "--input", where)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "plan best_coupons: optimal (proved)"
    assert "  cash = US$56.69" in lines
    expired = next(i for i, line in enumerate(lines) if "(2002-coupon-3-expired): excluded by" in line)
    assert lines[expired + 1].strip() == "used alone:"
    assert lines[expired + 2].strip() == "fails at: today <= c.valid_until: false (2020-03-15 <= 2020-03-10)"
    r = run_cli("optimize", str(SPECS / "aliexpress"), "--input", where, "--format", "json")
    answer = json.loads(r.stdout)
    assert answer["status"] == "optimal" and answer["lets"]["cash"] == "US$56.69"
    (entry,) = (u for u in answer["unused"] if u["label"] == "2002-coupon-3-expired")
    assert entry["reason"] == "excluded"
    assert entry["example"]["condition"]["text"] == "today <= c.valid_until"
    assert entry["example"]["bound_at"] == {"c": "wallet.coupons[7]"}
    assert entry["example_plan"] == "alone"


def test_wallet_invariants_reject_duplicate_ids_and_store_coupons_not_from_sellers(
    tmp_path: Path,
) -> None:
    """checkout.sp's record invariants: a wallet names each coupon once (a plan's
    report names coupons by id), and a Store Coupon is "issued by Seller(s)" (Terms
    13a). Two-stores.json with coupon 1 renamed as coupon 0, or with coupon 0 (a
    Store Coupon) issued by AliExpress, is refused as bad input (exit 2) naming the
    invariant."""
    data = json.loads((EXAMPLES / "two-stores.json").read_text("utf-8"))
    data["wallet"]["coupons"][1]["id"] = data["wallet"]["coupons"][0]["id"]
    twice = tmp_path / "twice.json"
    twice.write_text(json.dumps(data), "utf-8")
    r = run_cli("optimize", str(SPECS / "aliexpress"), "--input", str(twice))
    assert r.returncode == 2 and "coupon_ids_distinct" in r.stderr + r.stdout
    data = json.loads((EXAMPLES / "two-stores.json").read_text("utf-8"))
    data["wallet"]["coupons"][0]["issuer"] = "aliexpress"
    platform = tmp_path / "platform.json"
    platform.write_text(json.dumps(data), "utf-8")
    r = run_cli("optimize", str(SPECS / "aliexpress"), "--input", str(platform))
    assert r.returncode == 2 and "seller_kinds_issued_by_sellers" in r.stderr + r.stdout
    # an AliExpress Coupon is AliExpress's (1a, C12); Coins are never a partner's (18a)
    for index, issuer, invariant in [
        (4, "seller", "aliexpress_kinds_issued_by_aliexpress"),
        (6, "partner", "coins_from_platform_or_sellers"),
    ]:
        data = json.loads((EXAMPLES / "two-stores.json").read_text("utf-8"))
        assert data["wallet"]["coupons"][index]["kind"] in ("aliexpress_coupon", "coins")
        data["wallet"]["coupons"][index]["issuer"] = issuer
        platform.write_text(json.dumps(data), "utf-8")
        r = run_cli("optimize", str(SPECS / "aliexpress"), "--input", str(platform))
        assert r.returncode == 2 and invariant in r.stderr and f"$.wallet.coupons[{index}]" in r.stderr


def test_a_lost_list_or_a_value_for_a_chosen_field_is_refused(tmp_path: Path) -> None:
    """A checkout whose `stores` key was lost is not an empty checkout paying US$0, and a
    `used` given for a coupon (which the plan chooses) is not silently overwritten: both
    are bad input (exit 2) naming the JSON path; the Python API raises the same."""
    data = json.loads((EXAMPLES / "two-stores.json").read_text("utf-8"))
    lost = {"cart": {k: v for k, v in data["cart"].items() if k != "stores"}, "wallet": data["wallet"]}
    (tmp_path / "lost.json").write_text(json.dumps(lost), "utf-8")
    r = run_cli("optimize", str(SPECS / "aliexpress"), "--input", str(tmp_path / "lost.json"))
    assert r.returncode == 2 and "$.cart.stores: missing field `stores` of `Cart`" in r.stderr
    pinned = json.loads(json.dumps(data))
    pinned["wallet"]["coupons"][1]["used"] = True
    (tmp_path / "pinned.json").write_text(json.dumps(pinned), "utf-8")
    r = run_cli("optimize", str(SPECS / "aliexpress"), "--input", str(tmp_path / "pinned.json"))
    assert (
        r.returncode == 2 and "$.wallet.coupons[1].used: `used` is chosen by plan `best_coupons`" in r.stderr
    )
    policy = smallprint.checker.load(POLICY)
    with pytest.raises(InputError, match=r"\$\.wallet\.coupons\[1\]\.used"):
        policy.optimize(pinned["cart"], pinned["wallet"])


def test_a_plan_not_proved_in_time_exits_1_as_a_finding() -> None:
    """Out of time, the plan shown is the best found and says `unknown`: a finding (exit 1,
    as an unknown property), not a run that could not be done (2)."""
    r = run_cli(
        "optimize", str(SPECS / "aliexpress"), "--input", str(EXAMPLES / "two-stores.json"),
        "--timeout", "0.001", "--no-reasons",
    )  # fmt: skip
    assert r.returncode == 1, r.stderr
    assert "unknown" in r.stdout
