"""The JSON Schema accepts exactly what decode accepts (invariants aside)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smallprint.model import core
from smallprint.model.formats import string_pattern
from smallprint.model.loader import load_text
from smallprint.model.schema import json_schema
from smallprint.model.types import RecordT
from smallprint.model.values import InputError, decode, encode, loads

from .value_strategies import everything, values

PROGRAM = everything()
EVERYTHING = RecordT("Everything")
SCHEMA = json_schema(PROGRAM, "Everything")


def _is_integer(checker: object, instance: object) -> bool:
    # JSON Schema: an integer is any number whose fractional part is zero (3.0 is one).
    if isinstance(instance, Decimal):
        return instance == instance.to_integral_value()
    return isinstance(instance, int) and not isinstance(instance, bool)


# A validator that reads numbers exactly, as the specification means them: a float
# reader would take 1.0000000000000000001 for the integer 1.
EXACT = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)
VALIDATOR = EXACT(SCHEMA)


def schema_accepts(text: str) -> bool:
    return bool(VALIDATOR.is_valid(loads(text)))


def decode_accepts(text: str) -> bool:
    try:
        decode(PROGRAM, EVERYTHING, loads(text))
    except InputError:
        return False
    return True


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["additionalProperties"] is False
    assert SCHEMA["required"] == [
        "flag",
        "n",
        "price",
        "rate",
        "day",
        "moment",
        "wait",
        "span",
        "len",
        "weight",
        "data",
        "label",
        "color",
        "inners",  # a list is given, `[]` for none (an optional list may be left out)
    ]
    props: Any = SCHEMA["properties"]
    assert props["inners"] == {"type": "array", "items": {"$ref": "#/$defs/Inner"}, "maxItems": 3}
    assert props["color"] == {"$ref": "#/$defs/Color"}
    defs: Any = SCHEMA["$defs"]
    assert defs["Color"] == {"type": "string", "enum": ["red", "green", "blue_ish"]}


def test_enum_schema_and_unknown_type() -> None:
    assert json_schema(PROGRAM, "Color")["enum"] == ["red", "green", "blue_ish"]
    with pytest.raises(KeyError):
        json_schema(PROGRAM, "Nope")


def test_invariants_are_described() -> None:
    program = load_text("record Box { low: Int  high: Int  invariant ordered: low <= high }")
    schema = json_schema(program, "Box")
    assert "ordered" in str(schema["description"])


def test_a_field_a_plan_chooses_is_not_required() -> None:
    # `smallprint optimize` fills in what the plan chooses: its input leaves it out.
    program = load_text(
        """
record Coupon { id: Text  value: Money  used: Bool }
record Wallet { coupons: List[Coupon, 4]  note: Bool }
plan best(w: Wallet)
  choose c.used for c in w.coupons
  minimize sum(c.value for c in w.coupons where c.used)
"""
    )
    schema = json_schema(program, "Coupon")
    assert schema["required"] == ["id", "value"]
    properties = schema["properties"]
    assert isinstance(properties, dict) and "plan `best`" in str(properties["used"])
    assert json_schema(program, "Wallet")["required"] == ["coupons", "note"]


@given(values(PROGRAM, EVERYTHING))
def test_every_encoded_value_is_valid(value: core.Value) -> None:
    # The stock validator too: encode never writes a number that needs exact reading.
    jsonschema.Draft202012Validator(SCHEMA).validate(encode(PROGRAM, EVERYTHING, value))


BASE = {
    "flag": True,
    "n": 1,
    "price": "US$1.00",
    "rate": "5%",
    "day": "2020-05-24",
    "moment": "2020-05-24T10:30",
    "wait": 3,
    "span": "2 hours",
    "len": "1 m",
    "weight": "1 kg",
    "data": "1 MB",
    "label": "x",
    "color": "red",
    "inners": [],
}

# Pieces that near-misses of every scalar form are made of.
ATOMS = [
    *"0123456789",
    "-",
    ".",
    "/",
    ":",
    "T",
    " ",
    "%",
    "$",
    "US$",
    "\n",
    "2020-",
    "02-29",
    "12-31",
    "T23:59",
    ":00",
    "days",
    "day",
    "weeks",
    "hours",
    "minutes",
    "mm",
    "cm",
    "m",
    "km",
    "g",
    "kg",
    "B",
    "KB",
    "MB",
    "GB",
]
near_misses = st.lists(st.sampled_from(ATOMS), min_size=1, max_size=8).map("".join)
json_numbers = st.sampled_from(["3", "-2", "3.0", "3.5", "1e2", "1.0000000000000000001", "0.10"])
json_other = st.sampled_from(["null", "true", "[]", "{}", '"red"', '"purple"', '"x"'])
SCALAR_FIELDS = [
    "n",
    "price",
    "rate",
    "day",
    "moment",
    "wait",
    "span",
    "len",
    "weight",
    "data",
    "color",
    "label",
]


@given(st.sampled_from(SCALAR_FIELDS), st.data())
def test_schema_and_decode_agree_on_each_field(field: str, data: st.DataObject) -> None:
    ty = dict(PROGRAM.records["Everything"].fields)[field]
    pattern = string_pattern(ty)
    strings = near_misses if pattern is None else near_misses | st.from_regex(pattern, fullmatch=True)
    candidate = data.draw(strings.map(json.dumps) | json_numbers | json_other)
    # Written as text, so that decode and the schema each parse it their own way.
    rest = {k: v for k, v in BASE.items() if k != field}
    text = json.dumps(rest)[:-1] + f', "{field}": {candidate}}}'
    assert schema_accepts(text) == decode_accepts(text), text


@pytest.mark.parametrize(
    "change",
    [
        {"extra": 1},  # unknown field
        {"price": None},  # required, not optional
        {"inners": [{"note": "a", "extent": "1 cm"}] * 4},  # over the bound
        {"inners": [{"note": "a"}]},  # nested missing field
        {"inner": {"note": "a", "extent": "1 cm", "seen": "2020-02-30"}},  # bad nested date
        {"tags": ["a", "b", "c"]},
        {"color": "purple"},
        {"maybe": 12},
    ],
)
def test_structural_refusals_agree(change: dict[str, object]) -> None:
    text = json.dumps({**BASE, **change})
    assert not decode_accepts(text)
    assert not schema_accepts(text)


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"maybe": None, "inner": None, "tags": None},
        {"inners": [{"note": "a", "extent": "1 cm", "seen": None}]},
        {"tags": ["a", "b"]},
        {"n": 3.0},
    ],
)
def test_acceptances_agree(change: dict[str, object]) -> None:
    text = json.dumps({**BASE, **change})
    assert decode_accepts(text)
    assert schema_accepts(text)
