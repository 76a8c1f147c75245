"""The text forms of scalar values: what a JSON string must look like, and back.

One place for both directions, so that what `decode` reads, what the JSON
Schema allows and what `encode`/`show` write cannot drift apart:

* `string_pattern(ty)`: the regular expression (a full match; also valid
  ECMA-262, for JSON Schema) that a string of type `ty` must match;
* `parse_scalar(ty, text)`: the value of a matching string;
* `scalar_text(ty, value)`: the text of a value, which `parse_scalar` reads back.

Quantities may be written in any unit of their type ("1.5 m", "90 minutes"),
with decimals only as far as the unit is a power of ten times the base unit,
so that every accepted text is a whole number of base units ("1.5 hours" is
90 minutes; "1.25 hours" is refused). `Exact` values take any decimals and
fractions ("US$1/3"). Text is written in the largest unit that divides the
value exactly.
"""

from __future__ import annotations

import datetime
import re
from fractions import Fraction

from smallprint.model.core import Value
from smallprint.model.types import (
    DATASIZE,
    DATE,
    DATETIME,
    DAYS,
    DISPLAY_UNITS,
    DURATION,
    LENGTH,
    MASS,
    MINUTES_PER_DAY,
    MONEY,
    PERCENT,
    UNITS,
    Exact,
    Prim,
    Type,
)

EPOCH = datetime.date(1970, 1, 1)
CENTS = 100

# ---- the accepted string forms (full matches; also valid ECMA-262 for JSON Schema) ----

_DEC = r"[0-9]+(?:\.[0-9]+)?"
_FRAC = r"[0-9]+/0*[1-9][0-9]*"
MONEY_PATTERN = r"-?(?:US\$|\$)?[0-9]+(?:\.[0-9]{1,2})?"
PERCENT_PATTERN = rf"-?(?:{_DEC}|{_FRAC})%"
# Years 0001-9999; Feb 29 only in leap years (divisible by 4, centuries by 400).
_YEAR = r"(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
_MONTH_DAY = (
    r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_LEAP_YEAR = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
DATE_PATTERN = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
DATETIME_PATTERN = rf"{DATE_PATTERN}T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::00)?"

_SINGULAR = {"days": "day", "weeks": "week", "hours": "hour", "minutes": "minute"}


def units_of(ty: Prim) -> dict[str, int]:
    """Unit word -> base units, for the quantity type `ty` (a Duration may be in days)."""
    out = {word: factor for word, (t, factor) in UNITS.items() if t == ty}
    if ty == DURATION:
        for word, (t, factor) in UNITS.items():
            if t == DAYS:
                out[word] = factor * MINUTES_PER_DAY
    return out


def _places(factor: int) -> int:
    """How many decimals a number of a unit may have and stay whole in the base unit."""
    k = 0
    while factor % 10 ** (k + 1) == 0:
        k += 1
    return k


def _quantity_pattern(ty: Prim, exact: bool) -> str:
    alts = []
    for word, factor in sorted(units_of(ty).items(), key=lambda u: (-len(u[0]), u[0])):
        places = _places(factor)
        if exact:
            number = f"(?:{_DEC}|{_FRAC})"
        elif places:
            number = rf"[0-9]+(?:\.[0-9]{{1,{places}}})?"
        else:
            number = "[0-9]+"
        alts.append(f"{number} ?{re.escape(word)}")
    return f"-?(?:{'|'.join(alts)})"


def string_pattern(ty: Type) -> str | None:
    """The regular expression a JSON string of scalar type `ty` must match in full."""
    if ty == MONEY:
        return MONEY_PATTERN
    if ty == PERCENT:
        return PERCENT_PATTERN
    if ty == DATE:
        return DATE_PATTERN
    if ty == DATETIME:
        return DATETIME_PATTERN
    if isinstance(ty, Prim) and ty in DISPLAY_UNITS:
        return _quantity_pattern(ty, exact=False)
    if isinstance(ty, Exact):
        unit = ty.unit
        if unit == MONEY:
            return rf"-?(?:US\$|\$)?(?:{_DEC}|{_FRAC})"
        if unit == PERCENT:
            return PERCENT_PATTERN
        if unit in DISPLAY_UNITS:
            return _quantity_pattern(unit, exact=True)
        return rf"-?(?:{_DEC}|{_FRAC})"
    return None


def parse_scalar(ty: Type, text: str) -> Value:
    """The value of `text`, which must match `string_pattern(ty)` (ValueError otherwise)."""
    pattern = string_pattern(ty)
    if pattern is None or not re.fullmatch(pattern, text):
        raise ValueError(f"not a `{ty}`: {text!r}")
    if isinstance(ty, Exact):
        if ty.unit == MONEY:
            return Fraction(_strip_currency(text)) * CENTS
        if ty.unit == PERCENT:
            return Fraction(text[:-1]) / 100
        if ty.unit in DISPLAY_UNITS:
            amount, word = _split_quantity(text)
            return Fraction(amount) * units_of(ty.unit)[word]
        return Fraction(text)
    if ty == MONEY:
        return _whole(Fraction(_strip_currency(text)) * CENTS)
    if ty == PERCENT:
        return Fraction(text[:-1]) / 100
    if ty == DATE:
        return (datetime.date.fromisoformat(text) - EPOCH).days
    if ty == DATETIME:
        moment = datetime.datetime.fromisoformat(text)
        day = (moment.date() - EPOCH).days
        return day * MINUTES_PER_DAY + moment.hour * 60 + moment.minute
    assert isinstance(ty, Prim)
    amount, word = _split_quantity(text)
    return _whole(Fraction(amount) * units_of(ty)[word])


def _split_quantity(text: str) -> tuple[str, str]:
    m = re.fullmatch(r"(-?[0-9./]+) ?([A-Za-z]+)", text)
    assert m is not None, text  # only called after the type's pattern matched
    return m.group(1), m.group(2)


def _strip_currency(text: str) -> str:
    return text.replace("US$", "").replace("$", "")


def _whole(q: Fraction) -> int:
    assert q.denominator == 1, q  # the patterns only let whole base units through
    return q.numerator


def scalar_text(ty: Type, value: Value) -> str:
    """Money, percents, instants and quantities (and their `Exact` forms) as text."""
    if ty == MONEY:
        cents = _int(value)
        sign = "-" if cents < 0 else ""
        whole, rest = divmod(abs(cents), CENTS)
        return f"{sign}US${whole}.{rest:02d}"
    if ty == PERCENT:
        return number_text(_fraction(value) * 100) + "%"
    if ty == DATE:
        return _date(_int(value)).isoformat()
    if ty == DATETIME:
        day, minute = divmod(_int(value), MINUTES_PER_DAY)
        hour, minute = divmod(minute, 60)
        return f"{_date(day).isoformat()}T{hour:02d}:{minute:02d}"
    if isinstance(ty, Prim) and ty in DISPLAY_UNITS:
        return _quantity_text(ty, Fraction(_int(value)))
    if isinstance(ty, Exact):
        amount = _fraction(value)
        if ty.unit == MONEY:
            sign = "-" if amount < 0 else ""
            return f"{sign}US${number_text(abs(amount) / CENTS)}"
        if ty.unit == PERCENT:
            return number_text(amount * 100) + "%"
        if ty.unit in DISPLAY_UNITS:
            return _quantity_text(ty.unit, amount)
        return number_text(amount)
    raise ValueError(f"no text form for `{ty}`")


_ZERO_UNITS = {LENGTH: "cm", MASS: "kg", DATASIZE: "MB"}


def _quantity_text(ty: Prim, amount: Fraction) -> str:
    """In the largest display unit that divides the amount exactly, else the smallest;
    zero in the unit parcels and files are measured in (every unit divides zero, and
    `0 km` beside `120 cm` reads as a mistake)."""
    units = DISPLAY_UNITS[ty]
    word, factor = units[-1]
    if amount == 0 and ty in _ZERO_UNITS:
        return f"0 {_ZERO_UNITS[ty]}"
    for w, f in units:
        if (amount / f).denominator == 1:
            word, factor = w, f
            break
    count = amount / factor
    if abs(count) == 1:
        word = _SINGULAR.get(word, word)
    return f"{number_text(count)} {word}"


def number_text(q: Fraction) -> str:
    """`q` as a terminating decimal ("12.5", "-0.25", "3"), else as a fraction ("-1/3")."""
    den = q.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{q.numerator}/{q.denominator}"
    places = max(twos, fives)
    scaled = abs(q.numerator) * 10**places // q.denominator
    whole, frac = divmod(scaled, 10**places)
    sign = "-" if q < 0 else ""
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"


def calendar_range(ty: Type) -> tuple[int, int] | None:
    """The first and last instant of the calendar (0001-01-01 to 9999-12-31) a date or
    date-time can be written in; None for other types."""
    first, last = (datetime.date(1, 1, 1) - EPOCH).days, (datetime.date(9999, 12, 31) - EPOCH).days
    if ty == DATE:
        return first, last
    if ty == DATETIME:
        return first * MINUTES_PER_DAY, (last + 1) * MINUTES_PER_DAY - 1
    return None


def _date(day: int) -> datetime.date:
    try:
        return EPOCH + datetime.timedelta(days=day)
    except OverflowError:
        raise ValueError(f"day {day} is outside the calendar (years 1 to 9999)") from None


def _int(value: Value) -> int:
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"not an integer: {value!r}")
    return value


def _fraction(value: Value) -> Fraction:
    if isinstance(value, Fraction):
        return value
    return Fraction(_int(value))
