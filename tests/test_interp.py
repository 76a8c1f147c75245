"""The reference interpreter: every operator, rule and definition semantics, explanations."""

from __future__ import annotations

import datetime
import json
import math
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smallprint.model import core
from smallprint.model.explain import DefExplanation, RuleExplanation
from smallprint.model.explain_text import render_text, to_json
from smallprint.model.interp import EvalError, Interpreter, round_half_even, round_half_up
from smallprint.model.loader import load_policy, load_text, load_texts
from smallprint.model.types import BOOL, INT, RecordT
from smallprint.model.values import decode

from .conftest import SPECS

EPOCH = datetime.date(1970, 1, 1)


def day(text: str) -> int:
    return (datetime.date.fromisoformat(text) - EPOCH).days


def run(source: str, func: str, *args: core.Value) -> core.Value:
    return Interpreter(load_text(source, "t.sp")).call(func, list(args))


def expr(text: str, ret: str, params: str = "") -> core.Value:
    """Evaluate `text` as the body of a definition with no arguments."""
    return run(f"def f({params}) -> {ret} = {text}", "f")


# ---- operators -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ret", "value"),
    [
        ("2020-05-24 + 11 days", "Date", day("2020-06-04")),
        ("2020-05-24 - 2020-05-01", "Days", 23),
        ("2 weeks + 1 days", "Days", 15),
        ("2020-05-24T10:30 + 48 hours", "DateTime", day("2020-05-26") * 1440 + 630),
        ("2020-05-24T10:30 + 2 days", "DateTime", day("2020-05-26") * 1440 + 630),
        ("2020-05-24T10:30 - 2020-05-24T00:00", "Duration", 630),
        ("start_of(2020-05-24) + 48 hours", "DateTime", day("2020-05-26") * 1440),
        ("date_of(2020-05-24T23:59)", "Date", day("2020-05-24")),
        ("date_of(1969-12-31T23:59)", "Date", -1),
        ("US$12.40 * 3", "Money", 3720),
        ("US$12.40 - $0.41", "Money", 1199),
        ("-US$1", "Money", -100),
        ("15% * 50%", "Percent", Fraction(3, 40)),
        ("120 cm + 8 mm", "Length", 1208),
        ("30 kg - 500 g", "Mass", 29_500),
        ("2 MB + 500 KB", "DataSize", 2_500_000),
        ("min(3, 1, 2)", "Int", 1),
        ("max(2020-05-01, 2020-06-01)", "Date", day("2020-06-01")),
        ("round_half_up(US$10 * 12.5%)", "Money", 125),
        ("round_half_up(US$0.05 * 50%)", "Money", 3),
        ("round_half_even(US$0.05 * 50%)", "Money", 2),
        ("round_down(US$0.05 * 50%)", "Money", 2),
        ("round_up(US$0.01 * 1%)", "Money", 1),
        ("round_down(-US$0.05 * 50%)", "Money", -3),
        ("round_half_up(-US$0.05 * 50%)", "Money", -3),
        ("round_half_even(US$7 / 2)", "Money", 350),
        ('length("12345")', "Int", 5),
        ("if 1 < 2 then 10 else 20", "Int", 10),
    ],
)
def test_arithmetic(text: str, ret: str, value: core.Value) -> None:
    got = expr(text, ret)
    assert got == value
    assert type(got) is type(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('starts_with("35012", "35")', True),
        ('ends_with("35012", "35")', False),
        ('contains("35012", "01")', True),
        ("3 in [1, 2, 3]", True),
        ("4 in [1, 2, 3]", False),
        ("US$1 == $1.00", True),
        ("2020-05-01 != 2020-05-01", False),
        ("12.5% > 12%", True),
        ("US$10 * 15% == US$1.50", True),
        ("US$10 / 3 > US$3.33", True),
        ("not (1 > 2) and 2 >= 2", True),
        ("1 > 2 or 2 <= 1", False),
        ("1 > 2 implies 1 / 0 > 3", True),
        ("forall b: Bool. b or not b", True),
        ("exists b: Bool. b and not b", False),
    ],
)
def test_conditions(text: str, value: bool) -> None:
    assert expr(text, "Bool") is value


def test_and_or_implies_read_left_to_right_and_stop() -> None:
    source = """
    def avg_over_3(xs: List[Money, 4]) -> Bool = size(xs) > 0 and sum(x for x in xs) / size(xs) > $3
    def any_or(xs: List[Money, 4]) -> Bool = size(xs) == 0 or sum(x for x in xs) / size(xs) > $3
    """
    program = load_text(source, "t.sp")
    interp = Interpreter(program)
    assert interp.call("avg_over_3", [()]) is False
    assert interp.call("any_or", [()]) is True
    assert interp.call("avg_over_3", [(500, 200)]) is True


def test_division_by_zero_is_an_error_at_the_division() -> None:
    program = load_text("def share(total: Money, n: Int) -> Money = round_down(total / n)", "share.sp")
    interp = Interpreter(program)
    assert interp.call("share", [1000, 3]) == 333
    with pytest.raises(EvalError) as info:
        interp.call("share", [1000, 0])
    assert info.value.message == "division by zero"
    assert (info.value.span.file, info.value.span.line, info.value.span.column) == ("share.sp", 1, 55)
    assert info.value.diagnostic().span == info.value.span


def test_windows_are_inclusive_and_absent_when_an_end_is() -> None:
    source = """
    def closes(d: Date?) -> Date? = if d is some(x) then some(x + 10 days) else none
    window w(d: Date?) from d to closes(d)
    rule inside(d: Date?, t: Date) when t in w(d)
    """
    interp = Interpreter(load_text(source, "t.sp"))
    start = day("2020-05-01")
    assert interp.call("w", [start]) == (start, start + 10)
    assert interp.call("w", [None]) is None
    assert [interp.call("inside", [start, start + k]) for k in (-1, 0, 10, 11)] == [False, True, True, False]
    assert interp.call("inside", [None, start]) is False


def test_aggregates() -> None:
    source = """
    record Item { price: Money  qty: Int  gift: Bool }
    def n_paid(xs: List[Item, 5]) -> Int = count(i in xs where not i.gift)
    def total(xs: List[Item, 5]) -> Money = sum(i.price * i.qty for i in xs where not i.gift)
    def cheapest(xs: List[Item, 5]) -> Money = min(i.price for i in xs where not i.gift else $0)
    def dearest(xs: List[Item, 5]) -> Money = max(i.price for i in xs else -$1)
    def all_paid(xs: List[Item, 5]) -> Bool = forall i in xs. not i.gift
    def some_gift(xs: List[Item, 5]) -> Bool = exists i in xs. i.gift
    def one_percent(xs: List[Item, 5]) -> Bool = sum(i.price * 1% for i in xs) == US$0.03
    """
    interp = Interpreter(load_text(source, "t.sp"))
    items = ((100, 2, False), (250, 1, True), (50, 4, False))
    assert interp.call("n_paid", [items]) == 2
    assert interp.call("total", [items]) == 400
    assert interp.call("total", [()]) == 0
    assert interp.call("cheapest", [items]) == 50
    assert interp.call("cheapest", [((250, 1, True),)]) == 0
    assert interp.call("dearest", [items]) == 250
    assert interp.call("dearest", [()]) == -100
    assert interp.call("all_paid", [items]) is False
    assert interp.call("all_paid", [()]) is True
    assert interp.call("some_gift", [items]) is True
    assert interp.call("some_gift", [()]) is False
    assert interp.call("one_percent", [items]) is False  # 1% of US$4.00 is US$0.04


def test_quantifiers_over_enums_and_their_limits() -> None:
    source = """
    enum Carrier { dhl, ups, china_post }
    def fast(c: Carrier) -> Bool = c == Carrier.dhl or c == Carrier.ups
    def some_slow() -> Bool = exists c: Carrier. not fast(c)
    def all_fast() -> Bool = forall c: Carrier. fast(c)
    """
    program = load_text(source, "t.sp")
    interp = Interpreter(program)
    assert interp.call("some_slow", []) is True
    assert interp.call("all_fast", []) is False
    over_ints = core.Quant("forall", "n", INT, core.Lit(True, ty=BOOL), ty=BOOL)
    with pytest.raises(EvalError, match="cannot evaluate `forall` over every `Int`"):
        interp.eval(over_ints, {})


def test_match_and_optionals() -> None:
    source = """
    enum Carrier { dhl, ups, china_post }
    def deadline(c: Carrier) -> Days = match c { Carrier.dhl | Carrier.ups => 23 days, _ => 39 days }
    def shipped_or(d: Date?, other: Date) -> Date = d ?? other
    def gap(a: Date?, b: Date?) -> Days? = if a is some(x) and b is some(y) then some(y - x) else none
    """
    interp = Interpreter(load_text(source, "t.sp"))
    assert [interp.call("deadline", [c]) for c in ("dhl", "ups", "china_post")] == [23, 23, 39]
    assert interp.call("shipped_or", [None, 5]) == 5
    assert interp.call("shipped_or", [3, 5]) == 3
    assert interp.call("gap", [3, 10]) == 7
    assert interp.call("gap", [3, None]) is None


def test_exact_and_percent_values_are_fractions() -> None:
    assert type(expr("0%", "Percent")) is Fraction
    program = load_text("def f(m: Money) -> Bool = m * 10% == m / 10", "t.sp")
    interp = Interpreter(program)
    product = program.functions["f"]
    assert isinstance(product, core.DefDef) and isinstance(product.body, core.Op)
    left = interp.eval(product.body.args[0], {"m": 1000})
    assert type(left) is Fraction and left == 100
    assert interp.call("f", [1234]) is True


def test_constants_are_evaluated_once() -> None:
    program = load_text("const window_days: List[Days, 3] = [15 days, 30 days]", "t.sp")
    interp = Interpreter(program)
    first = interp.const("window_days")
    assert first == (15, 30)
    assert interp.const("window_days") is first


def test_unknown_names_and_arity() -> None:
    interp = Interpreter(load_text("def f(x: Int) -> Int = x", "t.sp"))
    with pytest.raises(EvalError, match="unknown function `g`"):
        interp.call("g", [])
    with pytest.raises(EvalError, match="takes 1 argument"):
        interp.call("f", [1, 2])
    with pytest.raises(EvalError, match="unknown constant"):
        interp.const("nope")


# ---- rounding ------------------------------------------------------------------

decimals = st.decimals(min_value=-(10**6), max_value=10**6, places=4, allow_nan=False, allow_infinity=False)
# Ties are where the rounding modes differ: draw them often.
ties = st.integers(-(10**4), 10**4).map(lambda n: Decimal(n) + Decimal("0.5"))


@given(decimals | ties)
def test_rounding_matches_decimal(x: Decimal) -> None:
    q = Fraction(x)
    with localcontext() as ctx:
        ctx.prec = 50
        assert round_half_up(q) == int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        assert round_half_even(q) == int(x.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    assert math.floor(q) <= q < math.floor(q) + 1


@given(st.integers(-(10**6), 10**6), st.integers(0, 200))
def test_money_times_percent_rounds_half_up_like_decimal(cents: int, percent: int) -> None:
    program = load_text("def f(m: Money, p: Percent) -> Money = round_half_up(m * p)", "t.sp")
    got = Interpreter(program).call("f", [cents, Fraction(percent, 100)])
    want = (Decimal(cents) * Decimal(percent) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert got == int(want)


# ---- rules and definitions --------------------------------------------------

RULES = """
record Order { paid: Money  refunded: Bool  outside: Bool  extra_returns: Bool  remorse: Bool  vip: Bool }
rule covered(o: Order) @cite("policy.txt", "Coverage")
  when o.paid > $0 @cite("policy.txt", "1. Paid orders")
  when o.vip
  unless o.outside @cite("policy.txt", "2. Outside payments")
  unless o.remorse except o.extra_returns @cite("policy.txt", "3. Extra returns")
rule blocked(o: Order) overrides covered
  when o.refunded
rule open(o: Order)
  unless o.outside
def refund(o: Order) -> Money
  when o.refunded => $0 @cite("policy.txt", "4. Already refunded")
  when o.paid > $100 => round_down(o.paid * 90%)
  otherwise => o.paid @cite("policy.txt", "5. Full refund")
"""
FIELDS = ("paid", "refunded", "outside", "extra_returns", "remorse", "vip")


def order(**kw: core.Value) -> core.Value:
    base: dict[str, core.Value] = {**dict.fromkeys(FIELDS, False), "paid": 1000, **kw}
    return tuple(base[f] for f in FIELDS)


@pytest.mark.parametrize(
    ("changes", "covered", "decided"),
    [
        ({}, True, "when"),
        ({"paid": 0}, False, "no_when"),
        ({"paid": 0, "vip": True}, True, "when"),
        ({"outside": True}, False, "unless"),
        ({"remorse": True}, False, "unless"),
        ({"remorse": True, "extra_returns": True}, True, "when"),
        ({"refunded": True}, False, "override"),
        ({"refunded": True, "outside": True}, False, "unless"),
    ],
)
def test_rule_semantics_and_what_decided(changes: dict[str, core.Value], covered: bool, decided: str) -> None:
    interp = Interpreter(load_text(RULES, "rules.sp"))
    o = order(**changes)
    assert interp.call("covered", [o]) is covered
    e = interp.explain("covered", [o])
    assert isinstance(e, RuleExplanation)
    assert e.outcome is covered
    assert e.decided.kind == decided


def test_rule_without_when_holds_unless_defeated() -> None:
    interp = Interpreter(load_text(RULES, "rules.sp"))
    assert interp.call("open", [order()]) is True
    assert interp.call("open", [order(outside=True)]) is False
    e = interp.explain("open", [order()])
    assert e.decided.kind == "default"


def test_explanation_marks_what_was_not_read() -> None:
    interp = Interpreter(load_text(RULES, "rules.sp"))
    e = interp.explain("covered", [order(remorse=True)])
    assert isinstance(e, RuleExplanation)
    first, second = e.whens
    assert first.held is True and [c.held for c in first.conds] == [True]
    assert first.cites[0].section == "1. Paid orders"
    assert second.held is None and [c.evaluated for c in second.conds] == [False]  # first when decided
    outside, remorse = e.unlesses
    assert outside.held is False
    assert remorse.held is True and remorse.excepts[0].held is False
    assert e.decided.clause == remorse
    assert [o.held for o in e.overrides] == [None]  # already defeated: not consulted
    # Comparisons carry both sides.
    cond = first.conds[0]
    assert cond.op == "gt" and [o.value for o in cond.operands] == [1000, 0]


def test_no_when_skips_the_unlesses() -> None:
    interp = Interpreter(load_text(RULES, "rules.sp"))
    e = interp.explain("covered", [order(paid=0, outside=True)])
    assert isinstance(e, RuleExplanation)
    assert [w.held for w in e.whens] == [False, False]
    assert [u.held for u in e.unlesses] == [None, None]
    assert e.unlesses[1].excepts[0].held is None


def test_definition_cases() -> None:
    interp = Interpreter(load_text(RULES, "rules.sp"))
    assert interp.call("refund", [order(refunded=True)]) == 0
    assert interp.call("refund", [order(paid=20_000)]) == 18_000
    assert interp.call("refund", [order(paid=5_000)]) == 5_000
    e = interp.explain("refund", [order(paid=5_000)])
    assert isinstance(e, DefExplanation)
    assert (e.decided.kind, e.value) == ("otherwise", 5_000)
    assert [c.held for c in e.cases] == [False, False]
    assert e.otherwise_cites[0].section == "5. Full refund"
    e = interp.explain("refund", [order(paid=20_000)])
    assert isinstance(e, DefExplanation)
    assert (e.decided.kind, e.value, e.decided.clause and e.decided.clause.index) == ("case", 18_000, 2)


def test_case_bindings_are_in_scope_of_the_value() -> None:
    source = """
    def closes(shipped: Date?, extended: Days?) -> Date
      when shipped is some(s) and extended is some(e) => s + e
      when shipped is some(s) => s + 15 days
      otherwise => 1970-01-01
    """
    interp = Interpreter(load_text(source, "t.sp"))
    assert interp.call("closes", [100, 5]) == 105
    assert interp.call("closes", [100, None]) == 115
    assert interp.call("closes", [None, 5]) == 0
    e = interp.explain("closes", [100, None])
    assert isinstance(e, DefExplanation)
    first = e.cases[0]
    assert [(c.kind, c.held, c.evaluated) for c in first.conds] == [
        ("bind", True, True),
        ("bind", False, True),
    ]
    assert first.conds[0].value == 100 and first.conds[0].var == "s"


def test_explanation_renders_as_text_and_json() -> None:
    policy = load_texts({"rules.sp": RULES})
    interp = Interpreter(policy.program)
    e = interp.explain("covered", [order(outside=True)])
    text = render_text(policy.program, e, policy.sources)
    assert "covered(o) = false" in text
    assert "decided by: `unless` #1 held at rules.sp:6:3 [policy.txt, 2. Outside payments]" in text
    assert "o.paid > $0: true (US$10.00 > US$0.00)" in text
    assert "when #2 (rules.sp:5:3): not evaluated" in text
    data = to_json(policy.program, e, policy.sources)
    assert isinstance(data, dict)
    assert data["value"] is False
    decided = data["decided_by"]
    assert isinstance(decided, dict) and decided["kind"] == "unless"


def test_explanation_shows_both_sides_of_in() -> None:
    source = """
    window w(d: Date) from some(d) to some(d + 10 days)
    rule inside(d: Date, t: Date) @cite("policy.txt", "6. Window")
      when t in w(d)
      unless t in [1970-01-05, 1970-01-06]
    """
    policy = load_texts({"w.sp": source})
    interp = Interpreter(policy.program)
    e = interp.explain("inside", [0, 5])
    assert isinstance(e, RuleExplanation) and e.outcome is False
    window_cond = e.whens[0].conds[0]
    assert (window_cond.op, [o.value for o in window_cond.operands]) == ("in_window", [5, (0, 10)])
    text = render_text(policy.program, e, policy.sources)
    assert "source: policy.txt, 6. Window" in text
    assert "t in w(d): true (1970-01-06 in 1970-01-01 to 1970-01-11)" in text
    assert "t in [1970-01-05, 1970-01-06]: true (1970-01-06 in [1970-01-05, 1970-01-06])" in text


def test_explanation_follows_called_rules() -> None:
    source = RULES + "\nrule claim(o: Order) when not covered(o) and o.paid > $0"
    policy = load_texts({"rules.sp": source})
    interp = Interpreter(policy.program)
    e = interp.explain("claim", [order(outside=True)])
    assert isinstance(e, RuleExplanation)
    callee = e.whens[0].conds[0].callee
    assert isinstance(callee, RuleExplanation) and callee.decided.kind == "unless"
    assert "covered(o) = false" in render_text(policy.program, e, policy.sources)


def test_a_called_rule_given_a_shown_value_or_a_part_of_one_names_it() -> None:
    # The outermost explanation prints its inputs in full; a call given one of them, or
    # a record inside one, says where it is instead of printing it again at each level.
    source = (
        RULES
        + """
record Claim { order: Order  again: Order }
rule claim(c: Claim) when covered(c.order) and open(c.again)
"""
    )
    policy = load_texts({"rules.sp": source})
    interp = Interpreter(policy.program)
    first, second = order(outside=False), order(paid=500)
    text = render_text(policy.program, interp.explain("claim", [(first, second)]), policy.sources)
    assert text.count("Order {") == 2  # `with c = Claim { order: Order {...}, again: Order {...} }` only
    assert "with o = c.order" in text and "with o = c.again" in text


def test_a_definition_by_body_says_which_way_it_took() -> None:
    # `decided by: its definition` alone does not say why US$5.99: the match arm and the
    # `if` on the way to the value do, with what the `if` compared.
    source = """
enum Speed { standard, express }
def fee(subtotal: Money, speed: Speed) -> Money
  = match speed { Speed.standard => if subtotal > $35 then $0 else $5.99, Speed.express => $14.99 }
"""
    policy = load_texts({"fee.sp": source})
    e = Interpreter(policy.program).explain("fee", [3000, "standard"])
    assert isinstance(e, DefExplanation) and e.value == 599
    assert [c.held for c in e.branches] == [True, False]
    text = render_text(policy.program, e, policy.sources)
    assert "  by way of:\n    speed == Speed.standard: true" in text
    assert "    subtotal > $35: false (US$30.00 > US$35.00)" in text
    data = to_json(policy.program, e, policy.sources)
    assert isinstance(data, dict) and isinstance(data["branches"], list) and len(data["branches"]) == 2


def test_the_way_is_shown_in_an_otherwise_a_case_and_inside_arithmetic() -> None:
    # A weekend slot on an order of US$649 (the waiver is over US$750): no case held, and
    # `otherwise`'s match shows each pattern tried, `A | B` one by one, before the taken
    # arm; an `if` inside `+` is on the way too (a `when` case's value likewise).
    source = """
enum Slot { morning, afternoon, evening, weekend }
def slot_fee(total: Money, slot: Slot) -> Money
  when total > US$750 => US$0
  otherwise => match slot {
    Slot.morning | Slot.afternoon => US$0, Slot.evening => US$15, Slot.weekend => US$35
  }
def delivery_fee(total: Money, slot: Slot, bulky: Bool) -> Money
  = slot_fee(total, slot) + (if bulky then US$89 else US$0)
def express(total: Money, rush: Bool) -> Money
  when total > US$10 => if rush then US$20 else US$5
  otherwise => US$0
"""
    policy = load_texts({"fee.sp": source})
    interp = Interpreter(policy.program)
    e = interp.explain("slot_fee", [64900, "weekend"])
    assert isinstance(e, DefExplanation) and e.value == 3500 and e.decided.kind == "otherwise"
    text = render_text(policy.program, e, policy.sources)
    assert (
        "  by way of:\n"
        "    slot == Slot.morning: false (Slot.weekend == Slot.morning)\n"
        "    slot == Slot.afternoon: false (Slot.weekend == Slot.afternoon)\n"
        "    slot == Slot.evening: false (Slot.weekend == Slot.evening)\n"
    ) in text
    e = interp.explain("delivery_fee", [64900, "weekend", True])
    assert isinstance(e, DefExplanation) and e.value == 3500 + 8900
    assert [c.held for c in e.branches] == [True]
    assert "by way of:\n    bulky: true" in render_text(policy.program, e, policy.sources)
    e = interp.explain("express", [2000, False])
    assert isinstance(e, DefExplanation) and e.value == 500 and [c.held for c in e.branches] == [False]


def test_an_amount_is_explained_by_the_working_it_was_computed_from() -> None:
    """A restocking fee of 15% of the price paid, rounded half up, at most US$150: on
    US$899.99 paid, 15% is US$134.9985, rounded US$135.00, under the cap. The working is
    listed innermost first, each part as written with its value; the fee itself is the
    first line, not repeated."""
    source = """
const cap: Money = US$150
def paid(price: Money, promo: Percent) -> Money = price - round_half_up(price * promo)
def fee(price: Money, promo: Percent) -> Money
  = min(round_half_up(paid(price, promo) * 15%), cap)
"""
    policy = load_texts({"fee.sp": source})
    e = Interpreter(policy.program).explain("fee", [99999, Fraction(1, 10)])
    assert isinstance(e, DefExplanation) and e.value == 13500
    text = render_text(policy.program, e, policy.sources)
    assert (
        "  worked out from:\n"
        "    paid(price, promo) = US$899.99\n"
        "    paid(price, promo) * 15% = US$134.9985\n"
        "    round_half_up(paid(price, promo) * 15%) = US$135.00\n"
        "    cap = US$150.00\n"
    ) in text + "\n"
    assert "min(round_half_up" not in text
    steps = to_json(policy.program, e, policy.sources)["steps"]
    assert isinstance(steps, list) and steps[0] == {
        "expr": "paid(price, promo)",
        "value": "US$899.99",
        "at": "fee.sp:5:23",
        "decided_by": None,
    }


def test_a_false_forall_written_in_a_clause_says_where_it_fails() -> None:
    source = """
record Line { amount: Money  ok: Bool }
record Cart { lines: List[Line, 4] }
def big(m: Money) -> Bool = m > $50
rule accept(c: Cart)
  when forall l in c.lines. l.ok and big(l.amount)
"""
    policy = load_texts({"cart.sp": source})
    e = Interpreter(policy.program).explain("accept", [(((6000, True), (4000, True)),)])
    assert isinstance(e, RuleExplanation)
    (cond,) = e.whens[0].conds
    assert cond.held is False and cond.failing is not None
    assert [(b.name, b.path) for b in cond.failing.bound] == [("l", "c.lines[1]")]
    text = render_text(policy.program, e, policy.sources)
    assert "      at: m > $50: false (US$40.00 > US$50.00)" in text and "with l = c.lines[1]" in text


# ---- invariants ------------------------------------------------------------------


def test_check_invariants_includes_nested_records() -> None:
    source = """
    record Item { qty: Int  invariant positive: qty > 0 }
    record Order { items: List[Item, 3]  gift: Item?  invariant not_empty: size(items) > 0 }
    """
    interp = Interpreter(load_text(source, "t.sp"))
    assert interp.check_invariants("Order", (((1,),), None)) == []
    broken = interp.check_invariants("Order", ((), (0,)))
    assert [i.name for i in broken] == ["positive", "not_empty"]
    paths = [(v.path, v.record) for v in interp.violations(RecordT("Order"), (((1,), (0,)), None), "o")]
    assert paths == [("o.items[1]", "Item")]


# ---- agreement with the explanations, on the real policy ------------------------------


def test_explain_agrees_with_call_on_the_spec_tests() -> None:
    program = load_policy(SPECS / "aliexpress").program
    interp = Interpreter(program)
    checked = 0
    for test in program.tests:
        env: dict[str, core.Value] = {}
        for step in test.steps:
            if isinstance(step, core.Given):
                env[step.name] = interp.eval(step.value, env)
                continue
            for node in core.walk(step.cond):
                if isinstance(node, core.Call):
                    args = [interp.eval(a, env) for a in node.args]
                    e = interp.explain(node.func, args)
                    outcome = e.outcome if isinstance(e, RuleExplanation) else e.value
                    assert outcome == interp.call(node.func, args), node.func
                    checked += 1
    assert checked > 20


@given(st.booleans(), st.booleans(), st.booleans(), st.booleans(), st.booleans(), st.integers(0, 30_000))
def test_explain_agrees_with_call(
    refunded: bool, outside: bool, extra: bool, remorse: bool, vip: bool, paid: int
) -> None:
    interp = Interpreter(load_text(RULES, "rules.sp"))
    o = (paid, refunded, outside, extra, remorse, vip)
    for name in ("covered", "blocked", "open"):
        e = interp.explain(name, [o])
        assert isinstance(e, RuleExplanation) and e.outcome == interp.call(name, [o])
    d = interp.explain("refund", [o])
    assert isinstance(d, DefExplanation) and d.value == interp.call("refund", [o])


def test_decoded_input_runs() -> None:
    program = load_text(RULES, "rules.sp")
    data = {"paid": "US$5", **dict.fromkeys(FIELDS[1:], False)}
    o = decode(program, RecordT("Order"), data)
    assert o == order(paid=500)
    assert Interpreter(program).call("covered", [o]) is True


def test_a_true_exists_names_the_element_that_makes_it_true() -> None:
    # Two lines, the second over US$100: "exists l in o.lines. l.price > US$100" holds
    # by the second; the text names it `o.lines[1]`, the JSON its index.
    source = """
record Line { price: Money }
record Order { lines: List[Line, 3] }
rule has_big_line(o: Order) when exists l in o.lines where l.price > US$1. l.price > US$100
"""
    policy = load_texts({"big.sp": source})
    e = Interpreter(policy.program).explain("has_big_line", [(((500,), (15000,)),)])
    assert isinstance(e, RuleExplanation) and e.outcome is True
    (cond,) = e.whens[0].conds
    assert cond.witness is not None and cond.witness[:2] == ("l", 1)
    assert "      by l = o.lines[1]" in render_text(policy.program, e, policy.sources).splitlines()
    data = to_json(policy.program, e, policy.sources)
    witness = {"var": "l", "index": 1, "list": "o.lines"}
    assert isinstance(data, dict) and f'"witness": {json.dumps(witness)}' in json.dumps(data)
