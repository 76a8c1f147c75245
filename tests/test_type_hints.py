"""Type errors whose hint names the slip a policy writer made."""

from __future__ import annotations

import pytest

from smallprint.grammar.span import Diagnostic, SmallprintError
from smallprint.model.loader import load_text


def only_error(text: str) -> Diagnostic:
    with pytest.raises(SmallprintError) as info:
        load_text(text, "t.sp")
    (d,) = info.value.diagnostics
    return d


def test_an_enum_compared_with_text_names_the_variant() -> None:
    d = only_error('enum Payment { card, paypal }\nrule r(p: Payment) when p == "Card"\n')
    assert d.message == "cannot compare `Payment` with `Text`"
    assert d.hint == "write the variant: `Payment.card`"
    d = only_error('enum Payment { card, paypal }\nrule r(p: Payment) when "cash" != p\n')
    assert d.hint == "compare with a variant of `Payment`: `Payment.card`, `Payment.paypal`"


def test_a_name_bound_by_is_some_under_or_says_why_it_is_unknown() -> None:
    record = "record W { until: Date? }\n"
    d = only_error(record + "rule r(w: W, today: Date) when w.until is some(u) or today <= u\n")
    assert d.message == "unknown name `u`" and (d.span.line, d.span.column) == (2, 63)
    assert d.hint is not None and d.hint.startswith("`u` is bound by the `is some(u)` at t.sp:2:32")
    # where it is known to hold, the name is bound: no error
    load_text(record + "rule r(w: W, today: Date) when w.until is some(u) and today <= u\n")


ORDER = "enum Slot { morning, weekend }\nrecord O { placed_on: Date at: DateTime slot: Slot fee: Money }\n"


@pytest.mark.parametrize(
    ("body", "message", "hint"),
    [
        (
            "def f(o: O) -> Date = o.placed_on + 30",
            "cannot apply `+` to `Date` and `Int`",
            "a `Date` moves by a duration: `30 days`",
        ),
        (
            "def f(o: O) -> DateTime = o.at - 2",
            "cannot apply `-` to `DateTime` and `Int`",
            "a `DateTime` moves by a duration: `30 days`, `48 hours`",
        ),
        (
            "def f(o: O) -> Money = o.fee + 5",
            "cannot apply `+` to `Money` and `Int`",
            "write money with a currency: `$0`, `US$15`",
        ),
        (
            "def f(o: O) -> Bool = o.at > o.placed_on",
            "cannot compare `DateTime` with `Date`",
            "compare like with like: `date_of(t)` is the `Date` of a `DateTime`, "
            "`start_of(d)` the `DateTime` a day starts",
        ),
        (
            "def f(o: O) -> Bool = o.slot == weekend",
            "unknown name `weekend`",
            "did you mean `Slot.weekend`? (a variant is named with its enum)",
        ),
    ],
)
def test_a_unit_slip_or_a_bare_enum_variant_is_named(body: str, message: str, hint: str) -> None:
    d = only_error(ORDER + body + "\n")
    assert (d.message, d.hint) == (message, hint)


def test_the_rounding_hint_names_every_rounding_function() -> None:
    d = only_error(ORDER + "def f(o: O) -> Money = o.fee * 10%\n")
    assert d.hint is not None
    for name in ("round_half_up", "round_half_even", "round_down", "round_up"):
        assert f"`{name}(...)`" in d.hint


def test_a_name_an_unless_binds_is_not_seen_by_its_except_and_the_hint_says_so() -> None:
    text = (
        "record R { delivered_on: Date?  requested_on: Date }\n"
        "rule ok(r: R)\n"
        "  when r.requested_on > 2020-01-01\n"
        "  unless r.delivered_on is some(d) and r.requested_on > d + 5 days\n"
        "    except r.requested_on <= d + 7 days\n"
    )
    d = only_error(text)
    assert d.message == "unknown name `d`" and (d.span.line, d.span.column) == (5, 30)
    assert d.hint is not None and d.hint.startswith(
        "`d` is bound by the `is some(d)` of the `unless` at t.sp:4:10"
    )
    # bound again in the except, it is seen
    load_text(text.replace("except r.requested_on", "except r.delivered_on is some(d) and r.requested_on"))
