"""A false comparison of counts or sums says which elements each side counts or adds.

`store_offers_used_at_checkout_stores(ss, cs) == store_offers_used(cs): false (0 == 1)`
says little by its numbers alone: the explanation also names, by their place in the
inputs, the elements each counted side counts (`wallet.coupons[8]`), following the
definitions the sides call down to their `count`; a `sum` side names the elements it
adds with what each adds. The same holds wherever a failing part is shown (an unused
coupon, `ask --explain`, a property's counterexample) and for a false comparison of a
clause.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import smallprint.checker
from smallprint.checker.results import Violated
from smallprint.checker.verify import CompiledPolicy
from smallprint.grammar.span import SourceMap
from smallprint.model.explain import DefExplanation, FailingPart, Tally
from smallprint.model.explain_text import failing_json, failing_lines, render_text
from smallprint.model.failing import failing_part
from smallprint.model.interp import Interpreter
from smallprint.model.loader import load_text

from .conftest import SPECS, run_cli

POLICY = SPECS / "aliexpress"
EXAMPLES = POLICY / "examples"
ELSEWHERE = "9999-coupon-1-over-5"


def _not_in_cart() -> dict[str, Any]:
    """two-stores.json with one more Store Coupon, of a store with no order in the cart
    (13a): it ends up last, at wallet.coupons[8]."""
    data: dict[str, Any] = json.loads((EXAMPLES / "two-stores.json").read_text("utf-8"))
    coupon = dict(data["wallet"]["coupons"][0])
    coupon.update(id=ELSEWHERE, store=9999, value="1.00", min_spend="5.00")
    data["wallet"]["coupons"].append(coupon)
    return data


def _paths(t: Tally) -> list[str | None]:
    return [term.path for term in t.terms]


def test_the_unused_coupon_of_a_store_not_in_the_cart_is_the_one_counted(tmp_path: Path) -> None:
    given = tmp_path / "cart.json"
    given.write_text(json.dumps(_not_in_cart()), "utf-8")
    r = run_cli("optimize", str(POLICY), "--input", str(given))
    assert r.returncode == 0, r.stderr
    lines = [line.strip() for line in r.stdout.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith(f"wallet.coupons[8] ({ELSEWHERE})"))
    assert lines[start + 1 : start + 7] == [
        "used alone:",
        "fails at: store_offers_used_at_checkout_stores(ss, cs) == store_offers_used(cs): false (0 == 1)",
        "in stores_in_cart",
        "store_offers_used_at_checkout_stores(ss, cs) = 0 counts: none",
        "store_offers_used(cs) = 1 counts: wallet.coupons[8]",
        "reads: cart, wallet",
    ]
    # the other reasons compare no counts: they say nothing more
    assert sum(" counts: " in line or " adds: " in line for line in lines) == 2

    r = run_cli("optimize", str(POLICY), "--input", str(given), "--format", "json")
    assert r.returncode == 0, r.stderr
    (item,) = [u for u in json.loads(r.stdout)["unused"] if u["choice"].startswith("wallet.coupons[8]")]
    left, right = item["example"]["condition"]["tallies"]
    assert left == {
        "side": "left",
        "text": "store_offers_used_at_checkout_stores(ss, cs)",
        "at": left["at"],
        "op": "count",
        "value": 0,
        "elements": [],
    }
    assert right["side"] == "right" and right["text"] == "store_offers_used(cs)"
    assert right["op"] == "count" and right["value"] == 1
    assert right["elements"] == [{"path": "wallet.coupons[8]", "list": "cs", "index": 8}]


def test_the_python_api_carries_the_counted_elements() -> None:
    data = _not_in_cart()
    plan = smallprint.checker.load(POLICY).optimize(data["cart"], data["wallet"])
    (why,) = [u for u in plan.unused if u.choice.label == ELSEWHERE]
    assert why.kind == "excluded" and why.example is not None
    left, right = why.example.cond.tallies
    assert (left.side, left.op, left.value, left.terms) == (0, "count", 0, ())
    assert (right.side, right.op, right.value) == (1, "count", 1)
    assert _paths(right) == ["wallet.coupons[8]"] and right.terms[0].index == 8


def test_a_count_of_several_elements_and_a_sum_of_counts_through_ask_explain() -> None:
    """Both sides count: the left is a sum over the store orders of the store offers used
    at each (a sum of counts counts what they count); two offers of a store not in the
    cart make the right side 2 more."""
    data = _not_in_cart()
    coupons = data["wallet"]["coupons"]
    for k, c in enumerate(coupons):
        c["used"] = k in (0, 3, 8)
    coupons.append({**coupons[8], "id": "9999-b"})
    inputs = {"ss": data["cart"]["stores"], "cs": coupons}
    policy = smallprint.checker.load(POLICY)
    answer = policy.ask("stores_in_cart", inputs, explain=True)
    e = answer.explanation
    assert answer.value is False and isinstance(e, DefExplanation) and e.failing is not None
    left, right = e.failing.cond.tallies
    # store 2001's Store Coupon at store order 0, store 2002's at store order 1
    assert (left.op, left.value, _paths(left)) == ("count", 2, ["cs[0]", "cs[3]"])
    assert (right.op, right.value, _paths(right)) == ("count", 4, ["cs[0]", "cs[3]", "cs[8]", "cs[9]"])
    text = render_text(policy.program, e, policy.loaded.sources)
    assert "    store_offers_used_at_checkout_stores(ss, cs) = 2 counts: cs[0], [3]\n" in text
    assert "    store_offers_used(cs) = 4 counts: cs[0], [3], [8], [9]\n" in text


SUMS = """
record Line { price: Money  gift: Bool }
record Order {
  lines: List[Line, 9]
  cap: Money
  invariant lines_priced: forall l in lines. l.price >= $0
}
def paid(o: Order) -> Money = sum(l.price for l in o.lines where not l.gift)
def gifts(o: Order) -> Int = count(l in o.lines where l.gift)
def fits(o: Order) -> Bool = paid(o) <= o.cap and gifts(o) <= 1
rule few_gifts(o: Order)
  when o.cap > $0 and gifts(o) <= 1
property one_gift_at_most: forall o: Order. gifts(o) <= 1
"""


def _fits(o: tuple[object, ...]) -> tuple[FailingPart, list[str], dict[str, Any]]:
    program = load_text(SUMS, "o.sp")
    body = program.functions["fits"].body
    assert body is not None
    part = failing_part(Interpreter(program), body, {"o": o})
    sources = SourceMap({"o.sp": SUMS})
    return part, failing_lines(program, part, "", sources), failing_json(program, part, sources)


def test_a_sum_names_the_elements_it_adds_with_their_values() -> None:
    # the line of no price adds nothing and the gift is not summed: two lines are
    o = (((1000, False), (0, False), (2500, False), (700, True)), 3000)
    part, lines, data = _fits(o)
    (paid,) = part.cond.tallies
    assert (paid.side, paid.op, paid.value) == (0, "sum", 3500)
    assert [(t.path, t.value) for t in paid.terms] == [("o.lines[0]", 1000), ("o.lines[2]", 2500)]
    assert lines == [
        "fails at: paid(o) <= o.cap: false (US$35.00 <= US$30.00)",
        "  paid(o) = US$35.00 adds: o.lines[0] (US$10.00), [2] (US$25.00)",
        "  reads: o",
    ]
    (tally,) = data["condition"]["tallies"]  # type: ignore[index]
    assert tally["elements"] == [
        {"path": "o.lines[0]", "list": "o.lines", "index": 0, "value": "US$10.00"},
        {"path": "o.lines[2]", "list": "o.lines", "index": 2, "value": "US$25.00"},
    ]


def test_a_long_list_of_elements_is_cut_short_in_text_but_not_in_json() -> None:
    o = (tuple((100, True) for _ in range(8)), 3000)
    part, lines, data = _fits(o)
    (gifts,) = part.cond.tallies
    assert len(gifts.terms) == 8
    assert lines[1] == "  gifts(o) = 8 counts: o.lines[0], [1], [2], [3], [4], ... (8 in all)"
    (tally,) = data["condition"]["tallies"]  # type: ignore[index]
    assert [x["path"] for x in tally["elements"]] == [f"o.lines[{k}]" for k in range(8)]


def test_a_false_comparison_of_a_clause_names_what_it_counts_and_a_true_one_does_not() -> None:
    program = load_text(SUMS, "o.sp")
    interp = Interpreter(program)
    sources = SourceMap({"o.sp": SUMS})
    gifts = ((100, True), (200, False), (300, True))
    text = render_text(program, interp.explain("few_gifts", [(gifts, 1000)]), sources)
    assert text.endswith("    gifts(o) <= 1: false (2 <= 1)\n      gifts(o) = 2 counts: o.lines[0], [2]")
    held = render_text(program, interp.explain("few_gifts", [(gifts[:1], 1000)]), sources)
    assert "gifts(o) <= 1: true (1 <= 1)" in held and " counts: " not in held


def test_a_property_counterexample_names_the_elements_counted() -> None:
    result = CompiledPolicy(load_text(SUMS, "o.sp")).prove("one_gift_at_most")
    assert isinstance(result, Violated), result
    part = result.counterexample.failing
    assert part is not None
    (o,) = (i.value for i in result.counterexample.inputs)
    (gifts,) = part.cond.tallies
    lines = o[0]  # type: ignore[index]
    # exactly the gifts of the counterexample, each named where it sits
    expected = [f"o.lines[{k}]" for k, line in enumerate(lines) if line[1]]  # type: ignore[arg-type, index]
    assert len(expected) >= 2 and _paths(gifts) == expected
