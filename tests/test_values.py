"""JSON <-> values: what decode accepts and refuses, the paths it names, and round trips."""

from __future__ import annotations

import datetime
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smallprint.model import core
from smallprint.model.formats import DATE_PATTERN, number_text, string_pattern
from smallprint.model.loader import load_text
from smallprint.model.types import (
    DATASIZE,
    DATE,
    DATETIME,
    DAYS,
    DURATION,
    INT,
    LENGTH,
    MASS,
    MONEY,
    PERCENT,
    EnumT,
    Exact,
    ListT,
    OptT,
    RecordT,
    Type,
    WindowT,
)
from smallprint.model.values import InputError, decode, decode_arg, encode, loads, show

from .value_strategies import EPOCH, everything, same, types, values

PROGRAM = everything()
SHOP = load_text(
    """
enum Carrier { dhl, ups, china_post }
record Item { price: Money  qty: Int  invariant positive: qty > 0 }
record Order {
  paid_at: Date
  shipped_at: Date?
  carrier: Carrier
  items: List[Item, 2]
  invariant ships_after_payment: shipped_at is none or shipped_at ?? paid_at >= paid_at
}
""",
    "shop.sp",
)
ORDER = RecordT("Order")


def day(text: str) -> int:
    return (datetime.date.fromisoformat(text) - EPOCH).days


def problems(program: core.Program, ty: Type, text: str) -> list[tuple[str, str, str | None]]:
    with pytest.raises(InputError) as info:
        decode(program, ty, loads(text))
    return [(p.path, p.message, p.hint) for p in info.value.problems]


# ---- scalars ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ty", "data", "value"),
    [
        (MONEY, "US$12.40", 1240),
        (MONEY, "$0.99", 99),
        (MONEY, "12.4", 1240),
        (MONEY, "7", 700),
        (MONEY, "-US$3.05", -305),
        (PERCENT, "15%", Fraction(3, 20)),
        (PERCENT, "12.5%", Fraction(1, 8)),
        (PERCENT, "100/3%", Fraction(1, 3)),
        (DATE, "2020-05-24", day("2020-05-24")),
        (DATE, "1969-12-31", -1),
        (DATE, "2000-02-29", day("2000-02-29")),
        (DATETIME, "2020-05-24T10:30", day("2020-05-24") * 1440 + 630),
        (DATETIME, "1970-01-01T00:01:00", 1),
        (DAYS, 15, 15),
        (DAYS, "15 days", 15),
        (DAYS, "1 day", 1),
        (DAYS, "2 weeks", 14),
        (DURATION, "48 hours", 48 * 60),
        (DURATION, "1.5 hours", 90),
        (DURATION, "2 days", 2 * 1440),
        (DURATION, "30minutes", 30),
        (LENGTH, "120 cm", 1200),
        (LENGTH, "1.5 m", 1500),
        (LENGTH, "8 mm", 8),
        (MASS, "30 kg", 30_000),
        (MASS, "0.5 kg", 500),
        (DATASIZE, "2 MB", 2_000_000),
        (INT, -4, -4),
        (Exact(MONEY), "US$1/3", Fraction(100, 3)),
    ],
)
def test_decode_scalars(ty: Type, data: object, value: core.Value) -> None:
    assert same(decode(PROGRAM, ty, data), value)


@pytest.mark.parametrize(
    ("ty", "text", "message", "hint"),
    [
        (MONEY, '"12.345"', "more than 2 decimals", "cents"),
        (MONEY, "12.4", "expected `Money`", 'quote it: "12.4"'),
        (MONEY, '"12 dollars"', "expected `Money`", "US$12.40"),
        (MONEY, '"€12"', "expected `Money`", None),
        (PERCENT, '"15"', "expected `Percent`", None),
        (DATE, '"2020-02-30"', 'bad date "2020-02-30"', "day is out of range"),
        (DATE, '"2021-02-29"', "bad date", None),
        (DATE, '"2020-13-01"', "bad date", "month must be in 1..12"),
        (DATE, '"24/05/2020"', "expected `Date`", None),
        (DATE, '"2020-05-24\\n"', "expected `Date`", None),
        (DATETIME, '"2020-05-24T24:00"', "bad time of day", "YYYY-MM-DDTHH:MM"),
        # A date-time's hint gives a date-time's form, never a date's (which it refuses).
        (
            DATETIME,
            '"2020-05-24T10:30:15"',
            "has seconds",
            '"2020-05-24T10:30" (seconds, if written, only :00)',
        ),
        (DATETIME, '"2020-05-24T10:30Z"', "time zones are not accepted", '"2020-05-24T10:30"'),
        (DATETIME, '"2020-05-24T10:30:00+08:00"', "ends in `+08:00`", '"2020-05-24T10:30"'),
        (DATETIME, '"2020-05-24"', "no time of day", '"2020-05-24T00:00"'),
        (DATETIME, '"2020-05-24 10:30"', "with a space", '"2020-05-24T10:30"'),
        (DATETIME, '"2020-02-30T10:30"', "bad date", "day is out of range"),
        (DATE, '"2020-05-24T10:30"', "has a time of day", '"2020-05-24"'),
        (DAYS, "1.5", "expected `Days`", None),
        (DAYS, '"15"', "expected `Days`", None),
        (DURATION, "48", "expected `Duration`", '"48 hours"'),
        (DURATION, '"48 hrs"', "unknown unit `hrs`", "did you mean `hours`?"),
        # Suggestions ignore case: `kB` is `KB`, not the closer-spelled `B`.
        (DATASIZE, '"100 kB"', "unknown unit `kB`", "did you mean `KB`?"),
        (DATASIZE, '"100 gb"', "unknown unit `gb`", "did you mean `GB`?"),
        (MASS, '"3 KG"', "unknown unit `KG`", "did you mean `kg`?"),
        (DURATION, '"1.25 hours"', "too many decimals for `hours`", "smaller unit"),
        (LENGTH, '"30 kg"', "`kg` measures `Mass`, not `Length`", "use one of"),
        (LENGTH, '"1.5 mm"', "too many decimals", "`Length` is counted in whole `mm`: round it to one"),
        (MASS, '"29999.5 g"', "too many decimals for `g`", "counted in whole `g`"),
        (MASS, '"1.0005 kg"', "too many decimals for `kg`", "smaller unit, e.g. `g`"),
        (INT, "3.5", "expected `Int`", None),
        (INT, '"3"', "expected `Int`", None),
        (INT, "true", "expected `Int`", None),
        (EnumT("Color"), '"purple"', 'unknown `Color` value "purple"', "one of: red, green, blue_ish"),
        (EnumT("Color"), '"gren"', "unknown `Color` value", "did you mean `green`?"),
        (EnumT("Color"), "3", "expected a `Color`", None),
    ],
)
def test_decode_refuses_with_a_message(ty: Type, text: str, message: str, hint: str | None) -> None:
    [(path, got, got_hint)] = problems(PROGRAM, ty, text)
    assert path == "$"
    assert message in got
    if hint is not None:
        assert got_hint is not None and hint in got_hint


def test_json_numbers_stay_exact() -> None:
    # `loads` reads decimals as Decimal, so a whole number written 3.0 or 1e2 is still an Int.
    assert decode(PROGRAM, INT, loads("3.0")) == 3
    assert decode(PROGRAM, INT, loads("1e2")) == 100
    assert problems(PROGRAM, INT, "1.0000000000000000001")[0][1].startswith("expected `Int`")
    with pytest.raises(InputError):  # a float never gets in, even a whole one
        decode(PROGRAM, INT, 3.0)
    with pytest.raises(ValueError):
        loads("NaN")


# ---- records, lists, paths ---------------------------------------------------


def test_every_problem_is_reported_with_its_path() -> None:
    text = json.dumps(
        {
            "paid_at": "2020-02-30",
            "carrier": "dhll",
            "items": [{"price": "US$1.00", "qty": 1}, {"pricee": "$1", "qty": 2.5}],
            "extra": True,
        }
    )
    found = problems(SHOP, ORDER, text)
    paths = [p for p, _, _ in found]
    assert paths == [
        "$.extra",
        "$.paid_at",
        "$.carrier",
        "$.items[1].pricee",
        "$.items[1].price",
        "$.items[1].qty",
    ]
    by_path = {p: (m, h) for p, m, h in found}
    assert by_path["$.extra"][0] == "unknown field `extra` in `Order`"
    assert by_path["$.items[1].pricee"][1] == "did you mean `price`?"
    assert by_path["$.items[1].price"][0] == "missing field `price` of `Item`"
    assert "dhl" in (by_path["$.carrier"][1] or "")


def test_optional_fields_may_be_left_out_lists_may_not() -> None:
    order = decode(SHOP, ORDER, {"paid_at": "2020-05-01", "carrier": "ups", "items": []})
    assert order == (day("2020-05-01"), None, "ups", ())
    with_null = decode(
        SHOP, ORDER, {"paid_at": "2020-05-01", "shipped_at": None, "carrier": "ups", "items": []}
    )
    assert with_null == order
    # A caller that lost the key must not get an answer for an empty order.
    found = problems(SHOP, ORDER, '{"paid_at": "2020-05-01", "carrier": "ups"}')
    assert [(p, m) for p, m, _ in found] == [("$.items", "missing field `items` of `Order`")]


def test_required_field_missing_and_null() -> None:
    found = problems(SHOP, ORDER, '{"paid_at": null}')
    assert [(p, m) for p, m, _ in found] == [
        ("$.paid_at", 'expected `Date` like "2020-05-24", found null'),
        ("$.carrier", "missing field `carrier` of `Order`"),
        ("$.items", "missing field `items` of `Order`"),
    ]


def test_list_longer_than_its_bound() -> None:
    item = {"price": "$1", "qty": 1}
    found = problems(
        SHOP, ORDER, json.dumps({"paid_at": "2020-05-01", "carrier": "ups", "items": [item] * 3})
    )
    assert found == [("$.items", "3 elements, but `List[Item, 2]` holds at most 2", None)]


def test_broken_invariants_are_named_at_the_record_path() -> None:
    data = {
        "paid_at": "2020-05-03",
        "shipped_at": "2020-05-02",
        "carrier": "ups",
        "items": [{"price": "$1", "qty": 0}],
    }
    found = problems(SHOP, ORDER, json.dumps(data))
    assert [(p, m) for p, m, _ in found] == [
        ("$.items[0]", "breaks invariant `positive` of `Item`"),
        ("$", "breaks invariant `ships_after_payment` of `Order`"),
    ]
    assert found[0][2] is not None and "shop.sp:3" in found[0][2]


def test_odd_keys_are_quoted_in_paths() -> None:
    found = problems(SHOP, ORDER, '{"paid_at": "2020-05-01", "carrier": "ups", "ship date": 1}')
    assert found[0][0] == '$["ship date"]'


def test_wrong_json_kinds() -> None:
    assert problems(SHOP, ORDER, "[]") == [("$", "expected an `Order` (an object), found an array", None)]
    found = problems(SHOP, ORDER, '{"paid_at": "2020-05-01", "carrier": "ups", "items": {}}')
    assert found == [("$.items", "expected `List[Item, 2]` (an array), found an object", None)]


def test_windows() -> None:
    w = WindowT(DATE)
    assert decode(PROGRAM, w, {"from": "2020-05-01", "to": "2020-05-02"}) == (
        day("2020-05-01"),
        day("2020-05-02"),
    )
    assert decode(PROGRAM, w, None) is None
    [(path, message, _)] = problems(PROGRAM, w, '{"from": "2020-05-01", "to": "x"}')
    assert path == "$.to" and "expected `Date`" in message


def test_decode_arg_takes_bare_text() -> None:
    assert decode_arg(SHOP, DATE, "2020-05-12") == day("2020-05-12")
    assert decode_arg(SHOP, MONEY, "12.40") == 1240
    assert decode_arg(SHOP, EnumT("Carrier"), "dhl") == "dhl"
    assert decode_arg(SHOP, DAYS, "15") == 15
    assert decode_arg(SHOP, DAYS, "15 days") == 15
    assert decode_arg(SHOP, INT, "-3") == -3
    assert decode_arg(SHOP, OptT(DATE), "none") is None
    assert decode_arg(SHOP, ListT(INT, 3), "[1, 2]") == (1, 2)
    with pytest.raises(InputError) as info:
        decode_arg(SHOP, INT, "three", "--arg n")
    assert info.value.problems[0].path == "--arg n"


def test_decode_arg_names_malformed_json() -> None:
    # A record's text that is not JSON is reported as such, with the parser's own words,
    # not as "expected an object, found a string".
    for text in ('{"paid_at": "2020-05-01"', "paid_at=2020-05-01"):
        with pytest.raises(InputError) as info:
            decode_arg(SHOP, ORDER, text, "--arg o")
        [problem] = info.value.problems
        assert problem.path == "--arg o" and problem.message.startswith("invalid JSON: ")
        assert problem.hint is not None and "@file.json" in problem.hint
    with pytest.raises(InputError) as info:
        decode_arg(SHOP, ListT(INT, 3), "[1, 2")
    assert "invalid JSON: Expecting" in info.value.problems[0].message
    with pytest.raises(InputError) as info:  # valid JSON of the wrong kind: the type says so
        decode_arg(SHOP, ORDER, "5", "--arg o")
    assert info.value.problems[0].message == "expected an `Order` (an object), found number 5"


# ---- encode, show -----------------------------------------------------------


def test_encode_writes_canonical_forms() -> None:
    value = decode(
        PROGRAM,
        RecordT("Everything"),
        {
            "flag": True,
            "n": 3,
            "price": "12.4",
            "rate": "12.5%",
            "day": "2020-05-24",
            "moment": "2020-05-24T10:30",
            "wait": 1,
            "span": "90 minutes",
            "len": "1200 mm",
            "weight": "1500 g",
            "data": "2000 KB",
            "label": "35",
            "color": "blue_ish",
            "inners": [],
        },
    )
    assert encode(PROGRAM, RecordT("Everything"), value) == {
        "flag": True,
        "n": 3,
        "price": "US$12.40",
        "rate": "12.5%",
        "day": "2020-05-24",
        "moment": "2020-05-24T10:30",
        "wait": "1 day",
        "span": "90 minutes",
        "len": "120 cm",
        "weight": "1500 g",
        "data": "2 MB",
        "label": "35",
        "color": "blue_ish",
        "maybe": None,
        "inners": [],
        "inner": None,
        "tags": None,
    }


@pytest.mark.parametrize(
    ("ty", "value", "text"),
    [
        (MONEY, 1240, "US$12.40"),
        (MONEY, -5, "-US$0.05"),
        (PERCENT, Fraction(3, 20), "15%"),
        (PERCENT, Fraction(1, 3), "100/3%"),
        (DATE, day("2020-05-24"), "2020-05-24"),
        (DAYS, 15, "15 days"),
        (DURATION, 2880, "2 days"),
        (DURATION, 150, "150 minutes"),
        (LENGTH, 1_500, "150 cm"),
        (LENGTH, 0, "0 cm"),  # not `0 km`: every unit divides zero
        (MASS, 0, "0 kg"),
        (Exact(MONEY), Fraction(1001, 4), "US$2.5025"),
        (Exact(INT), Fraction(7, 3), "7/3"),
        (EnumT("Color"), "red", "Color.red"),
        (OptT(MONEY), None, "none"),
        (ListT(MONEY, 3), (1, 250), "[US$0.01, US$2.50]"),
        (WindowT(DATE), (0, 1), "1970-01-01 to 1970-01-02"),
        (
            RecordT("Inner"),
            (None, 'say "hi"', 10),
            'Inner { seen: none, note: "say \\"hi\\"", extent: 1 cm }',
        ),
    ],
)
def test_show(ty: Type, value: core.Value, text: str) -> None:
    assert show(PROGRAM, ty, value) == text


def test_show_survives_days_beyond_the_calendar() -> None:
    assert show(PROGRAM, DATE, 10**9) == "<day 1000000000 after 1970-01-01>"
    with pytest.raises(ValueError):
        encode(PROGRAM, DATE, 10**9)


# ---- properties ---------------------------------------------------------------


@given(st.data())
def test_decode_inverts_encode(data: st.DataObject) -> None:
    ty = data.draw(types(PROGRAM), label="type")
    value = data.draw(values(PROGRAM, ty), label="value")
    encoded = encode(PROGRAM, ty, value)
    # Through JSON text and back, as a file would carry it.
    assert same(decode(PROGRAM, ty, loads(json.dumps(encoded))), value)


@given(st.integers(-(10**7), 10**7), st.integers(1, 10**6))
def test_number_text_is_exact(num: int, den: int) -> None:
    q = Fraction(num, den)
    assert Fraction(number_text(q)) == q


@given(st.dates())
def test_date_pattern_accepts_every_real_day(d: datetime.date) -> None:
    assert re.fullmatch(DATE_PATTERN, d.isoformat())


@given(st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True))
def test_date_pattern_is_the_calendar(text: str) -> None:
    try:
        datetime.date.fromisoformat(text)
        real = True
    except ValueError:
        real = False
    assert bool(re.fullmatch(DATE_PATTERN, text)) == real


@given(st.sampled_from([DURATION, LENGTH, MASS, DATASIZE, DAYS]), st.data())
def test_every_quantity_text_is_a_whole_number_of_base_units(ty: Type, data: st.DataObject) -> None:
    pattern = string_pattern(ty)
    assert pattern is not None
    text = data.draw(st.from_regex(pattern, fullmatch=True))
    assert isinstance(decode(PROGRAM, ty, text), int)


def test_a_key_given_twice_is_an_input_error_at_its_path(tmp_path: Path) -> None:
    from smallprint.checker.arguments import read_json
    from smallprint.model.values import InputError

    f = tmp_path / "order.json"
    # The last value would win silently: here a confirmation date erased by a later null.
    f.write_text('{"o": {"items": [{"sku": "a"}, {"at": "2020-03-05", "at": null}]}, "today": "2020-04-25"}')
    with pytest.raises(InputError) as caught:
        read_json(str(f), "--input")
    (problem,) = caught.value.problems
    assert problem.path == "$.o.items[1].at" and "given more than once" in problem.message
    f.write_text('{"today": "2020-04-25", "today": "2020-06-30"}')
    with pytest.raises(InputError) as caught:
        read_json(str(f), "--input")
    assert caught.value.problems[0].path == "$.today"


def test_a_byte_order_mark_before_the_json_is_not_an_error(tmp_path: Path) -> None:
    from smallprint.checker.arguments import read_json

    f = tmp_path / "order.json"
    f.write_bytes(b'\xef\xbb\xbf{"today": "2020-04-25"}')
    assert read_json(str(f), "--input") == {"today": "2020-04-25"}
