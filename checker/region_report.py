"""Answers of `ask` with several free arguments (`RegionAnswer`) as text or JSON."""

from __future__ import annotations

from collections.abc import Mapping

from smallprint.model import core
from smallprint.model.core import Value
from smallprint.model.types import ADDITIVE, INSTANTS, INT, EnumT, Type
from smallprint.model.values import Json, encode, show

from .free_fields import PRESENT
from .results import Bound, Interval, Region, RegionAnswer
from .verify_report import interval_text


def form_type(terms: tuple[tuple[int, str], ...], types: Mapping[str, Type]) -> Type:
    """The type of sum(coefficient * argument): a date, a difference of dates, an amount."""
    kinds = {types[n] for _, n in terms}
    if len(kinds) == 1:
        (ty,) = kinds
        total = sum(c for c, _ in terms)
        if ty in INSTANTS:
            if total == 1:
                return ty
            if total == 0:
                return INSTANTS[ty]
        elif ty in ADDITIVE:
            return ty
    return INT


def form_text(terms: tuple[tuple[int, str], ...]) -> str:
    out = ""
    for i, (c, n) in enumerate(sorted(terms, key=lambda t: t[0] < 0)):
        size = "" if abs(c) == 1 else f"{abs(c)}*"
        if i == 0:
            out = f"{'-' if c < 0 else ''}{size}{n}"
        else:
            out += f" {'-' if c < 0 else '+'} {size}{n}"
    return out


def _bound_text(program: core.Program, b: Bound, types: Mapping[str, Type]) -> str:
    ty = form_type(b.terms, types)
    form = form_text(b.terms)
    if ty in INSTANTS:
        return f"{form} {interval_text(program, ty, Interval(b.lower, b.upper))}"
    if b.lower is not None and b.upper is not None:
        if b.lower == b.upper:
            return f"{form} is {show(program, ty, b.lower)}"
        return f"{form} from {show(program, ty, b.lower)} to {show(program, ty, b.upper)}"
    if b.lower is not None:
        return f"{form} at least {show(program, ty, b.lower)}"
    assert b.upper is not None
    return f"{form} at most {show(program, ty, b.upper)}"


def _case_text(
    program: core.Program, a: RegionAnswer, values: Mapping[str, tuple[Value, ...]], r: Region
) -> str:
    types = dict(zip(a.free, a.types, strict=True))
    # An optional field left free is two arguments (`o.x present`, `o.x`): said as one,
    # "o.x is absent", or its bounds (which say it is present).
    flags = {
        n.removesuffix(PRESENT): v
        for n, v in values.items()
        if n.endswith(PRESENT) and n[: -len(PRESENT)] in types
    }
    bounded = {n for b in r.bounds for _, n in b.terms}
    parts = []
    anything: list[str] = []
    for n, vs in values.items():
        field = n.removesuffix(PRESENT)
        if field not in flags:
            shown = [show(program, types[n], v) for v in vs]
            if len(vs) == len(_domain(program, types[n])):
                anything.append(n)
            elif len(shown) == 1:
                parts.append(f"{n} is {shown[0]}")
            else:
                parts.append(f"{n} is one of {', '.join(shown)}")
        elif vs == (False,):
            parts.append(f"{field} is absent")
        elif field not in bounded:
            parts.append(f"{field} is present (any value)")
    parts += [_bound_text(program, b, types) for b in r.bounds]
    numeric = [n for n in a.free if n not in a.finite and n not in flags]
    if not r.bounds and numeric:
        anything += numeric
    if anything:
        parts.append(f"any {', '.join(anything)}")
    return " and ".join(parts) or "any value"


def _domain(program: core.Program, ty: Type) -> tuple[Value, ...]:
    return tuple(program.enums[str(ty)].variants) if isinstance(ty, EnumT) else (False, True)


Row = tuple[dict[str, tuple[Value, ...]], Region]  # a row: the values of each free enum or Bool, and bounds


def merged_rows(program: core.Program, a: RegionAnswer) -> list[Row]:
    """The answer's rows, those that differ in one free enum or Bool alone (the same
    other values and bounds) said as one: `r.reason is one of A, B` for two rows, and
    nothing of an argument whose every value is in the row (`any r.condition`). An
    optional field's presence is kept as it is."""
    types = dict(zip(a.free, a.types, strict=True))
    rows: list[Row] = [({n: (v,) for n, v in case.values}, r) for case in a.cases for r in case.regions]
    mergeable = [n for n in a.finite if not n.endswith(PRESENT)]
    changed = True
    while changed:
        changed = False
        for n in mergeable:
            order = {v: i for i, v in enumerate(_domain(program, types[n]))}
            groups: dict[object, list[Row]] = {}
            for values, r in rows:
                key = (tuple((m, values[m]) for m in a.finite if m != n), r.bounds)
                groups.setdefault(key, []).append((values, r))
            if all(len(g) == 1 for g in groups.values()):
                continue
            changed = True
            rows = []
            for g in groups.values():
                together: tuple[Value, ...] = tuple(
                    sorted({v for values, _ in g for v in values[n]}, key=order.__getitem__)
                )
                rows.append(({**g[0][0], n: together}, g[0][1]))
    return rows


def region_lines(program: core.Program, a: RegionAnswer) -> list[str]:
    names = ", ".join(n for n in a.free if not (n.endswith(PRESENT) and n.removesuffix(PRESENT) in a.free))
    if a.never:
        return [f"{a.func} holds for no values of {names} (never)"]
    if a.always:
        return [f"{a.func} holds for every value of {names} (always)"]
    out = [f"{a.func} holds exactly when one of these holds ({names} free):"]
    out += [f"  - {_case_text(program, a, values, r)}" for values, r in merged_rows(program, a)]
    return out


def region_json(program: core.Program, a: RegionAnswer) -> dict[str, Json]:
    types = dict(zip(a.free, a.types, strict=True))

    def point(ty: Type, v: int | None) -> Json:
        return None if v is None else encode(program, ty, v)

    def bound(b: Bound) -> dict[str, Json]:
        ty = form_type(b.terms, types)
        return {
            "terms": [{"coefficient": c, "argument": n} for c, n in b.terms],
            "type": str(ty),
            "from": point(ty, b.lower),
            "to": point(ty, b.upper),
        }

    return {
        "function": a.func,
        "free": list(a.free),
        "never": a.never,
        "always": a.always,
        "cases": [
            {
                "values": {n: encode(program, types[n], v) for n, v in case.values},
                "regions": [
                    {
                        "bounds": [bound(b) for b in r.bounds],
                        "witness": {n: encode(program, types[n], v) for n, v in r.witness},
                    }
                    for r in case.regions
                ],
            }
            for case in a.cases
        ],
    }
