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
    order's invariant `ships_after_payment`)."""
    r = run_cli(
        "ask", str(SPECS / "aliexpress"), "can_open_dispute", "--input", str(ORDER),
        "--arg", "today=2020-06-01", "--free", "o.shipped_at", "--format", "json",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    answer = json.loads(r.stdout)
    assert answer["function"] == "can_open_dispute" and answer["free"] == "o.shipped_at"
    assert answer["intervals"] == [{"from": "2020-05-01", "to": "2020-05-22"}]


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
        "  - o.shipped_at from 2020-05-01 to 2020-05-24 and today from 2020-05-25 to 2020-06-08"
        " and today - o.shipped_at at least 10 days",
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
