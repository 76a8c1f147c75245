"""`--free o.shipped_at`: a field of a record argument left free, as an argument is.

The answers are read off aliexpress-buyer-help-center.txt, "When can I open
dispute?": "the option to open a dispute will become available on the 11th day
after seller has sent out the goods, until to the 15th day after delivery time
is over" (the 11th day is shipment + 10 days, F1), for the order of
specs/aliexpress/examples/order.json: paid 2020-05-01, delivery deadline
2020-05-24, not received.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smallprint.checker.api import load
from smallprint.checker.free_fields import NotAField
from smallprint.checker.results import Interval, RegionAnswer, WindowAnswer
from smallprint.model.values import InputError

from .conftest import SPECS, run_cli

ORDER = SPECS / "aliexpress" / "examples" / "order.json"
DAY0 = 18_383  # 2020-05-01, days since 1970-01-01


def test_the_shipping_dates_for_which_a_dispute_can_be_opened_on_a_day() -> None:
    """On 2020-06-01 (before the window closes on 2020-06-08): any shipment on or before
    2020-05-22 (its 11th day is 2020-06-01) and not before the payment, 2020-05-01 (the
    order's invariant `ships_after_payment`). An optional field is answered present and
    absent: not shipped, the order keeps its delivery deadline, which the invariant
    `deadline_once_shipped` refuses, so never."""
    r = run_cli(
        "ask", str(SPECS / "aliexpress"), "can_open_dispute", "--input", str(ORDER),
        "--arg", "today=2020-06-01", "--free", "o.shipped_at", "--format", "json",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    answer = json.loads(r.stdout)
    assert answer["function"] == "can_open_dispute"
    assert answer["free"] == ["o.shipped_at present", "o.shipped_at"]
    cases = {case["values"]["o.shipped_at present"]: case["regions"] for case in answer["cases"]}
    assert cases[False] == []
    assert [b["from"] for r in cases[True] for b in r["bounds"]] == ["2020-05-01"]
    assert [b["to"] for r in cases[True] for b in r["bounds"]] == ["2020-05-22"]


def test_an_optional_field_left_free_answers_its_absence_too(tmp_path: Path) -> None:
    """A "not received" claim filed 2020-05-30 on the example order (deadline 2020-05-24):
    protected while the order is not delivered ("1. Full Refund - if you don't receive
    your order", aliexpress-buyer-protection-2017.txt), and when it is delivered after the
    claim was filed (from 2020-05-31: late, and not delivered when claimed, docs/findings.md
    F39); delivered on or before the filing day it is excluded ("Claims that an item was
    not delivered when the shipping company's records show that it was")."""
    order = json.loads(ORDER.read_text())["o"]
    claim = {
        "order": order, "item": order["items"][0], "problem": "not_received", "filed_on": "2020-05-30",
        "card_fraud": False, "outside_platform": False, "seller_proves_as_described": False,
        "extra_returns": False, "domestic_returns": False, "unused_in_original_packaging": False,
        "keeps_item": False, "agreed_partial_refund": "US$0", "damaged_by_buyer": False,
        "only_package_opened_to_check": False, "devalued_by_use": False,
        "devalued_by_time_unsellable": False, "copiable_package_opened": False,
    }  # fmt: skip
    (tmp_path / "claim.json").write_text(json.dumps({"c": claim}))
    base = ("ask", str(SPECS / "aliexpress"), "protected", "--input", str(tmp_path / "claim.json"))
    assert run_cli(*base).stdout.startswith("protected(c) = true")
    r = run_cli(*base, "--free", "c.order.delivered_at")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[1:] == [
        "  - c.order.delivered_at is absent",
        "  - c.order.delivered_at from 2020-05-31 onwards",
    ]


def test_the_python_api_answers_for_a_field_and_checks_the_ends() -> None:
    policy = load(SPECS / "aliexpress")
    inputs = json.loads(ORDER.read_text())
    window = policy.window("can_open_dispute", {**inputs, "today": "2020-06-01"}, free="o.shipped_at")
    assert isinstance(window, WindowAnswer) and window.func == "can_open_dispute"
    assert window.intervals == (Interval(DAY0, DAY0 + 21),)
    region = policy.region("can_open_dispute", inputs, free=["o.shipped_at", "today"])
    assert isinstance(region, RegionAnswer) and region.func == "can_open_dispute"
    with pytest.raises(NotAField, match="record `Order` has no field `shiped_at`"):
        policy.window("can_open_dispute", {**inputs, "today": "2020-06-01"}, free="o.shiped_at")


def test_a_field_and_the_day_free_together() -> None:
    """Both free: shipped between the payment (2020-05-01) and the delivery deadline
    (2020-05-24, the invariant `deadline_after_shipment`); the day from the 11th day after
    shipment, not before the deadline is over (normal tracking: "you can open dispute
    only after delivery time is over", 2020-05-25), to 15 days after it (2020-06-08)."""
    r = run_cli(
        "ask", str(SPECS / "aliexpress"), "can_open_dispute", "--input", str(ORDER),
        "--free", "o.shipped_at", "--free", "today",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "can_open_dispute holds exactly when one of these holds (o.shipped_at, today free):",
        "  - o.shipped_at from 2020-05-01 to 2020-05-24"
        " and today from 2020-05-25 to 2020-06-08 and today - o.shipped_at at least 10 days",
    ]


def test_a_free_field_must_be_a_field_of_a_kind_that_can_be_left_free() -> None:
    base = (
        "ask",
        str(SPECS / "aliexpress"),
        "can_open_dispute",
        "--input",
        str(ORDER),
        "--arg",
        "today=2020-06-01",
    )
    r = run_cli(*base, "--free", "o.nope")
    assert r.returncode == 2 and "record `Order` has no field `nope`" in r.stderr and "paid_at" in r.stderr
    r = run_cli(*base, "--free", "o.items")
    assert r.returncode == 2 and "cannot be left free" in r.stderr and "--arg o.items" not in r.stderr
    r = run_cli(*base, "--free", "p.x")
    assert r.returncode == 2 and "not a record" in r.stderr
    assert "Traceback" not in r.stderr


def test_symbolic_queries_from_several_threads_are_safe() -> None:
    """Z3's context is not thread safe: the API serialises the queries that reach it, so
    a service may call `window` from any thread (without, the process could crash)."""
    from concurrent.futures import ThreadPoolExecutor

    policy = load(SPECS / "aliexpress")
    inputs = {**json.loads(ORDER.read_text()), "today": "2020-06-01"}

    def ask(_: int) -> object:
        return policy.window("can_open_dispute", inputs, free="o.shipped_at")

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(ask, range(16)))
    assert all(a == answers[0] for a in answers)
    assert isinstance(answers[0], WindowAnswer) and answers[0].intervals == (Interval(DAY0, DAY0 + 21),)


def test_a_value_given_for_an_argument_left_free_is_refused_by_name() -> None:
    policy = load(SPECS / "aliexpress")
    inputs = {**json.loads(ORDER.read_text()), "today": "2020-06-01"}
    with pytest.raises(InputError) as info:
        policy.window("can_open_dispute", inputs, free="today")
    assert [(p.path, p.message) for p in info.value.problems] == [("$.today", "`today` is left free")]
    # one name given where a list is expected is one argument, not its letters
    inputs.pop("today")
    region = policy.region("can_open_dispute", inputs, free="today")
    assert isinstance(region, RegionAnswer) and region.free == ("today",)


def test_the_field_left_free_need_not_be_given_nor_valid(tmp_path: Path) -> None:
    """Its value is what the question is about: left out, or breaking an invariant of the
    order (paid after shipping), the answer is the same as with a valid value."""
    inputs = json.loads(ORDER.read_text())
    want = ["can_open_dispute holds when o.paid_at is:", "  up to 2020-05-02"]  # paid by shipment day
    answers = []
    for paid in (None, "2020-05-30"):
        order = {k: v for k, v in inputs["o"].items() if k != "paid_at"}
        if paid is not None:
            order["paid_at"] = paid
        (tmp_path / "o.json").write_text(json.dumps({**inputs, "o": order}))
        base = ("ask", str(SPECS / "aliexpress"), "can_open_dispute", "--input", str(tmp_path / "o.json"))
        r = run_cli(*base, "--arg", "today=2020-06-01", "--free", "o.paid_at")
        assert r.returncode == 0, r.stderr
        answers.append(r.stdout.splitlines())
    assert answers == [want, want]
    policy = load(SPECS / "aliexpress")
    order = {k: v for k, v in inputs["o"].items() if k != "paid_at"}
    asked = {**inputs, "o": order, "today": "2020-06-01"}
    window = policy.window("can_open_dispute", asked, free="o.paid_at")
    assert isinstance(window, WindowAnswer) and window.intervals == (Interval(None, DAY0 + 1),)


COUPON = {
    "id": "S5", "kind": "store_coupon", "issuer": "seller", "store": 101, "value": "US$5",
    "percent_off": None, "min_spend": "US$20", "valid_from": "2024-01-01",
    "valid_until": "2024-01-31", "used_before": False, "combinable": True, "used": True,
}  # fmt: skip


def test_a_true_false_definition_can_be_asked_where_it_holds(tmp_path: Path) -> None:
    """Per "Coupons must be used within the validity period stated on or attached to the
    Coupon" (Coupons Terms 6, aliexpress-buyer-help-center.txt) and "each Coupon may
    only be used once by each individual Buyer" (5): `coupon_usable_today`, a definition
    giving a Bool, holds from its first valid day to its last, and only unused before."""
    given = tmp_path / "coupon.json"
    given.write_text(json.dumps({"c": COUPON}))
    spec = str(SPECS / "aliexpress")
    r = run_cli(
        "ask", spec, "coupon_usable_today", "--input", str(given), "--free", "today", "--format", "json"
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    bounds = json.loads(r.stdout)["intervals"]
    assert [(b["from"], b["to"]) for b in bounds] == [("2024-01-01", "2024-01-31")]
    r = run_cli(
        "ask", spec, "coupon_usable_today", "--input", str(given), "--arg", "today=2024-01-15",
        "--free", "c.used_before", "--format", "json",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["values"] == [False]


def test_a_definition_giving_a_value_cannot_be_left_free() -> None:
    """Voltmart's `refund` gives Money: "where it holds" means nothing, and the answer
    is a usage error naming what it gives (it was an internal error, and for a Bool or
    enum field a wrong "never")."""
    for free in ("r.requested_on", "r.opened"):
        r = run_cli(
            "ask", str(SPECS / "voltmart"), "refund", "--input",
            str(SPECS / "voltmart" / "examples" / "return.json"), "--free", free,
        )  # fmt: skip
        assert r.returncode == 2
        assert "`refund` gives a `Money`" in r.stderr and "internal error" not in r.stderr
    policy = load(SPECS / "voltmart")
    ret = json.loads((SPECS / "voltmart" / "examples" / "return.json").read_text())
    with pytest.raises(ValueError, match="gives a `Money`"):
        policy.window("refund", ret, free="r.requested_on")


def test_the_api_renders_results_as_the_command_line_does() -> None:
    """`Policy.lines`: the example order (normal tracking, deadline 2020-05-24) cannot be
    disputed as not received on 2020-05-20, in normal transit within the delivery time
    ("you can open dispute only after delivery time is over", "When can I open
    dispute?"); its window is 2020-05-25 to 2020-06-08, as `ask --free today` prints."""
    policy = load(SPECS / "aliexpress")
    inputs = json.loads(ORDER.read_text())
    why = policy.why("can_open_dispute", {**inputs, "today": "2020-05-20"})
    lines = policy.lines(why)
    assert lines[0] == "can_open_dispute = false because of these conditions (a minimal set):"
    assert any("in_transit_within_delivery_time" in line for line in lines[1:])
    window = policy.window("can_open_dispute", inputs, free="today")
    assert isinstance(window, WindowAnswer)
    assert policy.lines(window) == [
        "can_open_dispute holds when today is:",
        "  from 2020-05-25 to 2020-06-08",
    ]
