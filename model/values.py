"""JSON <-> run-time values, and values as text.

`decode(program, ty, data)` turns parsed JSON into a value of type `ty` in the
run-time encoding of `model/types.py`, or raises `InputError` with every
problem found (never just the first), each at a JSON path like
`$.items[2].price`. What it accepts, per type:

    Bool            true / false
    Int             an integer (not 3.5, not "3")
    Money           "US$12.40", "$0.99", "12.40", "-12.40"  (at most 2 decimals; a
                    JSON number is refused: 0.1 has no exact binary float)
    Percent         "15%", "12.5%", "100/3%"
    Date            "2020-05-24" (a real day of the proleptic Gregorian calendar)
    DateTime        "2020-05-24T10:30" (":00" seconds allowed)
    Days            15, or "15 days", "1 day", "2 weeks"
    Duration ...    a string with a unit of its type: "48 hours", "120 cm", "1.5 m",
                    "30 kg", "2 MB"; decimals only as far as the unit is a power of
                    ten times the base unit ("1.5 hours" yes, "1.25 hours" no)
    Text            a string
    enum            the variant name
    record          an object with the declared fields and no other; optional fields
                    may be null or left out (none), list fields left out ([]); the
                    record's invariants must hold
    List[T, n]      an array of at most n elements
    T?              null or a T
    Window[T]       {"from": T, "to": T} or null
    Exact[U]        like U, with any decimals or a fraction ("US$1/3")

JSON should be read with `loads`, which keeps decimals exact (`Decimal`) so
that `3.0` is still the integer 3 and no float is ever made. The string
forms of scalars live in `model/formats.py`, which `model/schema.py` uses
too, so that the schema states exactly these rules.

`encode` is the inverse (`decode(encode(v)) == v`): money "US$12.40", percents
"15%", dates ISO, quantities in the largest unit that divides them exactly
("2 days", "90 minutes"), enums by name, absent as null. `show` writes a
value as smallprint source text (`US$12.40`, `Carrier.dhl`, `Order { ... }`).
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from smallprint.model import core
from smallprint.model.core import Value
from smallprint.model.formats import parse_scalar, scalar_text, string_pattern, units_of
from smallprint.model.interp import EvalError, Interpreter
from smallprint.model.types import (
    BOOL,
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
    TEXT,
    UNITS,
    EnumT,
    Exact,
    ListT,
    OptT,
    Prim,
    RecordT,
    Type,
    WindowT,
)

if TYPE_CHECKING:
    from smallprint.model.explain import FailingPart

Json = None | bool | int | str | list["Json"] | dict[str, "Json"]

_EXAMPLES: dict[Type, str] = {
    MONEY: '"US$12.40"',
    PERCENT: '"15%"',
    DATE: '"2020-05-24"',
    DATETIME: '"2020-05-24T10:30"',
    DAYS: '15 or "15 days"',
    DURATION: '"48 hours"',
    LENGTH: '"120 cm"',
    MASS: '"30 kg"',
    DATASIZE: '"2 MB"',
}

# ---- problems ------------------------------------------------------------------


@dataclass(frozen=True)
class InputProblem:
    path: str  # JSON path: `$.items[2].price`
    message: str
    hint: str | None = None
    # For a broken invariant: the part of it that is false, and the values it compared.
    failing: FailingPart | None = field(default=None, compare=False)
    # For text that is not JSON: the line it fails on, and a caret under the place.
    excerpt: tuple[str, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" + (f" (hint: {self.hint})" if self.hint else "")


class InputError(Exception):
    """Every problem of one input, at once."""

    def __init__(self, problems: list[InputProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _reject_constant(name: str) -> object:
    raise ValueError(f"`{name}` is not a number in JSON")


class RepeatedKey(ValueError):
    """A name given twice in one JSON object: JSON keeps the last silently, which would
    answer for an input the author did not mean."""

    def __init__(self, path: str, key: str) -> None:
        super().__init__(f"`{key}` is given twice in one object at {path}")
        self.path = _member(path, key)
        self.key = key


def loads(text: str) -> object:
    """Parse JSON keeping every number exact: integers as int, decimals as `Decimal`;
    a key given twice in one object raises `RepeatedKey`."""
    repeated: list[tuple[dict[str, object], str]] = []

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        obj: dict[str, object] = {}
        for key, value in items:
            if key in obj:
                repeated.append((obj, key))
            obj[key] = value
        return obj

    data = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant, object_pairs_hook=pairs)
    if repeated:
        holder, key = repeated[0]
        raise RepeatedKey(_path_of(data, holder, "$") or "$", key)
    return data


def _path_of(data: object, target: object, path: str) -> str | None:
    """Where the object `target` (by identity) sits in `data`."""
    if data is target:
        return path
    items: list[tuple[str, object]] = []
    if isinstance(data, dict):
        items = [(_member(path, k), v) for k, v in data.items()]
    elif isinstance(data, list):
        items = [(f"{path}[{i}]", v) for i, v in enumerate(data)]
    for inner, value in items:
        found = _path_of(value, target, inner)
        if found is not None:
            return found
    return None


def _describe(data: object) -> str:
    if data is None:
        return "null"
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, int | float | Decimal):
        return f"number {data}"
    if isinstance(data, str):
        return f"string {json.dumps(data, ensure_ascii=False)}"
    if isinstance(data, list | tuple):
        return "an array"
    if isinstance(data, dict):
        return "an object"
    return type(data).__name__


def _member(path: str, key: str) -> str:
    """`$.price`, or `$["odd key"]` when the key is not a name."""
    return f"{path}.{key}" if key.isidentifier() else f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def a_or_an(word: str) -> str:
    """The article for `word` (a type or field name) by its first sound: `an Order`, `a Unit`."""
    w = word.lstrip("`").lower()
    if w.startswith(("uni", "use", "usu", "eu", "one")):
        return "a"
    return "an" if w[:1] in ("a", "e", "i", "o", "u") else "a"


def _suggest(word: str, choices: Sequence[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean `{close[0]}`?" if close else None


class _Bad:
    """Marks a value that could not be decoded (its problems are already recorded)."""


_BAD = _Bad()


# ---- decoding --------------------------------------------------------------


def decode(
    program: core.Program,
    ty: Type,
    data: object,
    path: str = "$",
    *,
    interpreter: Interpreter | None = None,
    unchecked: frozenset[str] = frozenset(),
) -> Value:
    """`data` (parsed JSON) as a value of `ty`; `InputError` lists every problem. The
    records at the paths `unchecked` are not held to their invariants (the records
    around a field left free: the question holds them to their invariants itself)."""
    decoder = _Decoder(program, interpreter or Interpreter(program), unchecked)
    value = decoder.value(ty, data, path)
    if decoder.problems or isinstance(value, _Bad):
        raise InputError(decoder.problems)
    return value


def decode_arg(program: core.Program, ty: Type, text: str, path: str = "$") -> Value:
    """A command-line argument: a bare string for the string-like types, JSON otherwise."""
    if isinstance(ty, OptT) and text in ("none", "null"):
        return None
    inner = ty.inner if isinstance(ty, OptT) else ty
    # Money, dates, quantities, text and enums are strings in JSON: take the text as it is.
    bare = inner == TEXT or isinstance(inner, EnumT) or string_pattern(inner) is not None
    if bare and not (inner == DAYS and text.lstrip("-").isdigit()):
        return decode(program, ty, text, path)
    try:
        data = loads(text)
    except ValueError as exc:
        structured = isinstance(inner, RecordT | ListT | WindowT)
        if structured or text.lstrip().startswith(("{", "[", '"')):
            # Meant as JSON: the parser's complaint says more than "found a string".
            raise InputError(
                [
                    InputProblem(
                        path,
                        f"invalid JSON: {exc}",
                        "quote the whole value for the shell (--arg 'name={...}') or read it from a file "
                        "(--arg name=@file.json)",
                    )
                ]
            ) from None
        data = text  # not JSON: let the type say what it expected
    return decode(program, ty, data, path)


class _Decoder:
    def __init__(
        self, program: core.Program, interpreter: Interpreter, unchecked: frozenset[str] = frozenset()
    ) -> None:
        self.program = program
        self.interp = interpreter
        self.unchecked = unchecked
        self.problems: list[InputProblem] = []

    def bad(
        self, path: str, message: str, hint: str | None = None, failing: FailingPart | None = None
    ) -> _Bad:
        self.problems.append(InputProblem(path, message, hint, failing))
        return _BAD

    def value(self, ty: Type, data: object, path: str) -> Value | _Bad:
        if isinstance(ty, OptT):
            return None if data is None else self.value(ty.inner, data, path)
        if isinstance(ty, ListT):
            return self.list(ty, data, path)
        if isinstance(ty, RecordT):
            return self.record(ty.name, data, path)
        if isinstance(ty, EnumT):
            return self.enum(ty.name, data, path)
        if isinstance(ty, WindowT):
            return self.window(ty, data, path)
        if isinstance(ty, Exact):
            return self.exact(ty, data, path)
        if ty == BOOL:
            if isinstance(data, bool):
                return data
            return self.bad(path, f"expected `Bool` (true or false), found {_describe(data)}")
        if ty == TEXT:
            if isinstance(data, str):
                return data
            return self.bad(path, f"expected `Text` (a string), found {_describe(data)}")
        if ty == INT or (ty == DAYS and not isinstance(data, str)):
            return self.integer(ty, data, path)
        if isinstance(data, str) and isinstance(ty, Prim):
            return self.scalar(ty, data, path)
        hint = None
        if isinstance(data, int | float | Decimal) and not isinstance(data, bool):
            hint = f"write it as a string, e.g. {_EXAMPLES.get(ty, 'a string')}"
            if ty == MONEY:
                hint = f'quote it: "{data}" (amounts are strings: none passes through an inexact float)'
        return self.bad(path, f"expected `{ty}` like {_EXAMPLES.get(ty, '?')}, found {_describe(data)}", hint)

    def integer(self, ty: Type, data: object, path: str) -> Value | _Bad:
        if isinstance(data, int) and not isinstance(data, bool):
            return data
        if isinstance(data, Decimal) and data == data.to_integral_value():
            return int(data)
        what = "an integer" if ty == INT else 'a whole number of days, or a string like "15 days"'
        return self.bad(path, f"expected `{ty}` ({what}), found {_describe(data)}")

    def scalar(self, ty: Prim, text: str, path: str) -> Value | _Bad:
        pattern = string_pattern(ty)
        if pattern is None or not re.fullmatch(pattern, text):
            return self.bad(path, *self.why_not(ty, text, json.dumps(text, ensure_ascii=False)))
        return parse_scalar(ty, text)

    def why_not(self, ty: Prim, text: str, shown: str) -> tuple[str, str | None]:
        """The message and hint for a string of type `ty` that does not match its pattern."""
        generic = f"expected `{ty}` like {_EXAMPLES.get(ty, '?')}, found {shown}"
        if ty == MONEY:
            if re.fullmatch(r"-?(?:US\$|\$)?[0-9]+\.[0-9]{3,}", text):
                return f"{shown} has more than 2 decimals", "money is counted in whole cents"
            return generic, 'write an amount as "US$12.40", "$12.40" or "12.40"'
        if ty in (DATE, DATETIME):
            return _instant_trouble(ty, text, shown, generic)
        loose = re.fullmatch(r"-?([0-9]+)(?:\.([0-9]+))? ?([A-Za-z]+)", text)
        units = units_of(ty)
        if not loose or not units:
            return generic, None
        word, places = loose.group(3), len(loose.group(2) or "")
        if word in units:
            smallest = min(units, key=lambda w: units[w])
            if not places:
                hint = None
            elif units[word] == units[smallest]:
                hint = f"`{ty}` is counted in whole `{smallest}`: round it to one"
            else:
                hint = f"write it in a smaller unit, e.g. `{smallest}`"
            return f"{shown} has too many decimals for `{word}`", hint
        owner = UNITS.get(word)
        if owner is not None:
            return f"`{word}` measures `{owner[0]}`, not `{ty}`", f"use one of: {', '.join(units)}"
        # Suggestions ignore case ("kB" is meant as `KB`, not `B`); the units themselves do not.
        by_lower = {u.lower(): u for u in units}
        if word.lower() in by_lower:
            return (
                f"unknown unit `{word}` for `{ty}`",
                f"did you mean `{by_lower[word.lower()]}`? (units are case-sensitive)",
            )
        close = difflib.get_close_matches(word.lower(), list(by_lower), n=1)
        hint = f"did you mean `{by_lower[close[0]]}`?" if close else f"use one of: {', '.join(units)}"
        return f"unknown unit `{word}` for `{ty}`", hint

    def exact(self, ty: Exact, data: object, path: str) -> Value | _Bad:
        pattern = string_pattern(ty)
        if not isinstance(data, str) or pattern is None or not re.fullmatch(pattern, data):
            return self.bad(path, f"expected `{ty}` as a string, found {_describe(data)}")
        return parse_scalar(ty, data)

    def enum(self, name: str, data: object, path: str) -> Value | _Bad:
        variants = self.program.enums[name].variants
        allowed = ", ".join(variants)
        if not isinstance(data, str):
            return self.bad(
                path,
                f"expected {a_or_an(name)} `{name}` (a string), found {_describe(data)}",
                f"one of: {allowed}",
            )
        if data in variants:
            return data
        hint = f"one of: {allowed}"
        close = _suggest(data, variants)
        return self.bad(
            path,
            f"unknown `{name}` value {json.dumps(data, ensure_ascii=False)}",
            f"{close} ({hint})" if close else hint,
        )

    def list(self, ty: ListT, data: object, path: str) -> Value | _Bad:
        if not isinstance(data, list | tuple):
            return self.bad(path, f"expected `{ty}` (an array), found {_describe(data)}")
        if len(data) > ty.bound:
            self.bad(path, f"{len(data)} elements, but `{ty}` holds at most {ty.bound}", None)
        items = [self.value(ty.elem, item, f"{path}[{i}]") for i, item in enumerate(data)]
        if len(data) > ty.bound or any(isinstance(i, _Bad) for i in items):
            return _BAD
        return tuple(i for i in items if not isinstance(i, _Bad))

    def record(self, name: str, data: object, path: str) -> Value | _Bad:
        decl = self.program.records[name]
        if not isinstance(data, dict):
            return self.bad(path, f"expected {a_or_an(name)} `{name}` (an object), found {_describe(data)}")
        names = [f for f, _ in decl.fields]
        ok = True
        for key in data:
            if key not in names:
                hint = _suggest(str(key), names) or f"the fields of `{name}` are: {', '.join(names)}"
                self.bad(_member(path, str(key)), f"unknown field `{key}` in `{name}`", hint)
                ok = False
        fields: list[Value] = []
        for fname, fty in decl.fields:
            fpath = f"{path}.{fname}"
            if fname in data:
                value = self.value(fty, data[fname], fpath)
            elif isinstance(fty, OptT):
                value = None
            elif isinstance(fty, ListT):
                # Unlike a record literal's, an input's list is never taken as empty when
                # left out: a caller that lost a key would get an answer for nothing.
                hint = f"add it: a list of at most {fty.bound} `{fty.elem}` (`[]` for none)"
                value = self.bad(fpath, f"missing field `{fname}` of `{name}`", hint)
            else:
                example = _EXAMPLES.get(fty)
                hint = f"add it: {a_or_an(str(fty))} `{fty}`" + (f", e.g. {example}" if example else "")
                value = self.bad(fpath, f"missing field `{fname}` of `{name}`", hint)
            if isinstance(value, _Bad):
                ok = False
            else:
                fields.append(value)
        if not ok:
            return _BAD
        record = tuple(fields)
        if path in self.unchecked:
            return record
        try:
            broken = self.interp.broken(name, record)
        except EvalError as exc:
            return self.bad(path, f"cannot check the invariants of `{name}`: {exc.message}")
        for inv in broken:
            where = f"declared at {inv.span}" if inv.span.line else None
            part = invariant_failing_part(self.interp, inv, record, path)
            self.bad(path, f"breaks invariant `{inv.name}` of `{name}`", where, part)
        # Well-formed even when broken: the records around it can still be checked.
        return record

    def window(self, ty: WindowT, data: object, path: str) -> Value | _Bad:
        if data is None:
            return None
        if not isinstance(data, dict) or set(data) != {"from", "to"}:
            return self.bad(
                path, f'expected `{ty}` as {{"from": ..., "to": ...}} or null, found {_describe(data)}'
            )
        start = self.value(ty.elem, data["from"], f"{path}.from")
        end = self.value(ty.elem, data["to"], f"{path}.to")
        if isinstance(start, _Bad) or isinstance(end, _Bad):
            return _BAD
        return (start, end)


def _instant_trouble(ty: Prim, text: str, shown: str, generic: str) -> tuple[str, str | None]:
    """The message and hint for a string that is not a `Date` (`DATE`) or `DateTime`, with
    a hint in the form the type takes (never a date's form for a date-time)."""
    example = _EXAMPLES[ty]
    form = "YYYY-MM-DD" if ty == DATE else "YYYY-MM-DDTHH:MM (seconds, if written, only :00)"
    form_hint = f"write it as {form}, e.g. {example}"
    m = re.fullmatch(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:([T ])(.*))?", text, re.DOTALL)
    if m is None:
        return generic, form_hint
    day, sep, time = m.groups()
    try:
        datetime.date.fromisoformat(day)
    except ValueError as exc:
        return f"bad date {shown}", str(exc)
    if time is None:
        if ty == DATETIME:
            return f"{shown} has no time of day, which a `DateTime` needs", f'add one: "{day}T00:00"'
        return generic, form_hint
    if ty == DATE:
        return f"{shown} has a time of day, which a `Date` has not", f'write the day alone: "{day}"'
    zone = re.search(r"(Z|[+-][0-9]{2}(?::?[0-9]{2})?)$", time)
    clock = re.fullmatch(
        r"([0-9]{2}):([0-9]{2})(?::([0-9]{2})(\.[0-9]*)?)?", time[: zone.start()] if zone else time
    )
    if clock is None:
        return f"bad time of day in {shown}", form_hint
    hour, minute, second, fraction = clock.groups()
    if int(hour) > 23 or int(minute) > 59:
        return f"bad time of day in {shown}: hours go from 00 to 23, minutes from 00 to 59", form_hint
    plain = f"{day}T{hour}:{minute}"
    if zone:
        # A DateTime is a local time of the policy's own clock: an offset would be silently wrong.
        return (
            f"time zones are not accepted: {shown} ends in `{zone.group(1)}`",
            f'write the local time without it: "{plain}"',
        )
    if sep != "T":
        return f"{shown} separates the date and the time with a space", f'write a `T` between them: "{plain}"'
    if (second or "00") != "00" or fraction:
        return (
            f"{shown} has seconds: a `DateTime` counts whole minutes",
            f'write it as YYYY-MM-DDTHH:MM: "{plain}" (seconds, if written, only :00)',
        )
    return generic, form_hint


# ---- encoding and showing -----------------------------------------------------


def encode(program: core.Program, ty: Type, value: Value) -> Json:
    """`value` as JSON that `decode` reads back to the same value."""
    if isinstance(ty, OptT):
        return None if value is None else encode(program, ty.inner, value)
    if isinstance(ty, ListT):
        return [encode(program, ty.elem, v) for v in _items(value)]
    if isinstance(ty, RecordT):
        decl = program.records[ty.name]
        fields = _items(value)
        return {f: encode(program, t, v) for (f, t), v in zip(decl.fields, fields, strict=True)}
    if isinstance(ty, WindowT):
        if value is None:
            return None
        start, end = _items(value)
        return {"from": encode(program, ty.elem, start), "to": encode(program, ty.elem, end)}
    if isinstance(ty, EnumT) or ty == TEXT:
        return _text(value)
    if ty == BOOL:
        if not isinstance(value, bool):
            raise ValueError(f"not a Bool: {value!r}")
        return value
    if ty == INT:
        return _int(value)
    return scalar_text(ty, value)


def invariant_failing_part(interp: Interpreter, inv: core.Invariant, record: Value, path: str) -> FailingPart:
    """The part of invariant `inv` that `record` (found at `path`: `$.o.items[2]` in an input,
    `o.items[2]` in a test) makes false, with the values it compared; the fields it reads
    are placed under `path`."""
    from smallprint.model.failing import failing_part  # only on an error path

    # An invariant reads `self` alone: the record at `path`, where its fields are.
    part = failing_part(interp, inv.cond, {"self": record}, bound_read_only=True)
    placed = tuple(
        replace(b, path=path + b.path[4:]) if b.path and b.path.startswith("self") else b for b in part.bound
    )
    return replace(part, reads=(), bound=placed)


def show(program: core.Program, ty: Type, value: Value) -> str:
    """`value` as smallprint source text: `US$12.40`, `Carrier.dhl`, `Order { ... }`."""
    if isinstance(ty, OptT):
        return "none" if value is None else show(program, ty.inner, value)
    if isinstance(ty, ListT):
        return "[" + ", ".join(show(program, ty.elem, v) for v in _items(value)) + "]"
    if isinstance(ty, RecordT):
        decl = program.records[ty.name]
        parts = [f"{f}: {show(program, t, v)}" for (f, t), v in zip(decl.fields, _items(value), strict=True)]
        return f"{ty.name} {{ {', '.join(parts)} }}" if parts else f"{ty.name} {{}}"
    if isinstance(ty, WindowT):
        if value is None:
            return "none"
        start, end = _items(value)
        return f"{show(program, ty.elem, start)} to {show(program, ty.elem, end)}"
    if isinstance(ty, EnumT):
        return f"{ty.name}.{_text(value)}"
    if ty == TEXT:
        return json.dumps(_text(value), ensure_ascii=False)
    if ty == BOOL:
        return "true" if value else "false"
    if ty == INT:
        return str(_int(value))
    try:
        return scalar_text(ty, value)
    except ValueError:
        if ty in (DATE, DATETIME):  # beyond the calendar (a solver may pick such a day)
            unit = "day" if ty == DATE else "minute"
            return f"<{unit} {value} after 1970-01-01>"
        raise


def _items(value: Value) -> tuple[Value, ...]:
    if not isinstance(value, tuple):
        raise ValueError(f"not a record, list or window: {value!r}")
    return value


def _text(value: Value) -> str:
    if not isinstance(value, str):
        raise ValueError(f"not a string: {value!r}")
    return value


def _int(value: Value) -> int:
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"not an integer: {value!r}")
    return value
