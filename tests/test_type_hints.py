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
