"""Seeded random values of any spec type, for benchmarks (no hypothesis needed).

Values respect list bounds; records that break an invariant are redrawn a few
times, then dropped by the caller's filter. Amounts stay small and dates near
2020 so that the rules see realistic, varied inputs.
"""

from __future__ import annotations

import random
from fractions import Fraction

from smallprint.model import core
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
    EnumT,
    ListT,
    OptT,
    RecordT,
    Type,
)

_BASE_DAY = 18262  # 2020-01-01
_RANGES: dict[Type, tuple[int, int]] = {
    INT: (0, 20),
    MONEY: (0, 50_000),
    DATE: (_BASE_DAY, _BASE_DAY + 400),
    DATETIME: (_BASE_DAY * 1440, (_BASE_DAY + 400) * 1440),
    DAYS: (0, 90),
    DURATION: (0, 200 * 60),
    LENGTH: (0, 2_000),
    MASS: (0, 50_000),
    DATASIZE: (0, 5_000_000),
}
_TEXTS = ("", "35", "38", "090", "96700", "10001", "28001", "51", "00601")


def random_value(program: core.Program, ty: Type, rng: random.Random, cap: int | None = None) -> core.Value:
    """A value of `ty`; with `cap`, every list holds at most `cap` elements."""
    if ty == BOOL:
        return rng.random() < 0.5
    if ty in _RANGES:
        lo, hi = _RANGES[ty]
        return rng.randint(lo, hi)
    if ty == PERCENT:
        return Fraction(rng.randint(0, 100), 100)
    if ty == TEXT:
        return rng.choice(_TEXTS)
    if isinstance(ty, EnumT):
        return rng.choice(program.enums[ty.name].variants)
    if isinstance(ty, OptT):
        return None if rng.random() < 0.3 else random_value(program, ty.inner, rng, cap)
    if isinstance(ty, ListT):
        n = rng.randint(0, ty.bound if cap is None else min(ty.bound, cap))
        return tuple(random_value(program, ty.elem, rng, cap) for _ in range(n))
    if isinstance(ty, RecordT):
        record = program.records[ty.name]
        return tuple(random_value(program, fty, rng, cap) for _, fty in record.fields)
    raise TypeError(f"no generator for {ty}")
