"""The gate of a semantic diff: which differences fail the build (`smallprint diff`).

`--fail-on` names the kinds (`narrowed` by default: a change that takes something
away from buyers; `broadened`; `changed`, a value definition that moved; `any`;
`none`), and an allow list (`[[allow]] rule change reason` in smallprint.toml)
lets intended changes through, each reported as "allowed: <reason>". A question
the solver gave up on fails every gate but `none`: an unknown is never a pass.

Some kinds count as a direction: a rule removed holds on no input now (narrowed),
one added held on none before (broadened); a property removed or weakened promises
less (narrowed). Rules listed under `[diff] restrictions` are gated the other way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from smallprint.model.names import suggest

from .diff_results import (
    ADDED,
    BROADENED,
    CHANGED,
    INCOMPARABLE,
    NARROWED,
    REMOVED,
    STRENGTHENED,
    UNKNOWN,
    WEAKENED,
    DiffReport,
    Undecided,
)

KINDS = (NARROWED, BROADENED, CHANGED, ADDED, REMOVED, UNKNOWN, INCOMPARABLE, WEAKENED, STRENGTHENED)
# What each `--fail-on` value fails the build on.
GATES: dict[str, frozenset[str]] = {
    NARROWED: frozenset({NARROWED, UNKNOWN}),
    BROADENED: frozenset({BROADENED, UNKNOWN}),
    CHANGED: frozenset({CHANGED, UNKNOWN}),  # a value definition (a refund, a deadline) moved
    "any": frozenset(KINDS),
    "none": frozenset(),
}


@dataclass(frozen=True)
class Allow:
    """An intended change: `change` of `rule` does not fail the build (`change` may be "any")."""

    rule: str
    change: str
    reason: str
    source: str = "smallprint.toml"


@dataclass(frozen=True)
class Verdict:
    """What the gate made of one rule's changes: those that fail, those allowed (with the reason)."""

    gated: tuple[str, ...] = ()
    allowed: tuple[tuple[str, str], ...] = ()
    restriction: bool = False  # listed under `[diff] restrictions`: gated the other way round
    # What a kind counts as: a rule removed holds nowhere now (narrowed), one added
    # held nowhere before (broadened).
    readings: tuple[tuple[str, str], ...] = ()
    # What the solver could not decide ("narrowed", "broadened"): an unknown is shown
    # as the question, not as a change of its own beside the status found.
    undecided: tuple[str, ...] = ()

    def shown(self) -> str:
        """The gated changes as a person reads them (`narrowed restriction`, `removed: narrowed`,
        `unknown whether it narrowed`)."""
        readings = dict(self.readings)
        out = []
        for k in self.gated:
            base = readings.get(k, k)
            text = f"{base} restriction" if self.restriction and base in _TURNED else base
            if k == UNKNOWN and self.undecided:
                text = f"unknown whether it {' or '.join(self.undecided)}"
            out.append(f"{k}: {text}" if k in readings else text)
        return ", ".join(out)


@dataclass(frozen=True)
class Gate:
    fail_on: tuple[str, ...]
    verdicts: Mapping[str, Verdict]
    warnings: tuple[str, ...]

    @property
    def failed(self) -> bool:
        return any(v.gated for v in self.verdicts.values())

    def verdict(self, name: str) -> Verdict:
        return self.verdicts.get(name, Verdict())


@dataclass(frozen=True)
class _Subject:
    """One thing the gate judges: a rule, definition, record, enum or property."""

    name: str
    kinds: tuple[str, ...]
    readings: Mapping[str, str]  # kind -> the direction it counts as
    undecided: tuple[str, ...] = ()  # the questions the solver gave up on


def _asked(undecided: Sequence[Undecided]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(u.question for u in undecided))


# A restriction (a rule whose holding takes something from the buyer: an exclusion, a
# minimum missed) points the other way: narrowing it gives, broadening it takes.
_TURNED = {NARROWED: BROADENED, BROADENED: NARROWED}


def gate(
    report: DiffReport, fail_on: Sequence[str], allows: Sequence[Allow], restrictions: Sequence[str] = ()
) -> Gate:
    """Which changes fail the build. `restrictions`: rules (and records, enums) whose
    narrowing is gated as a broadening and the reverse (`[diff] restrictions`)."""
    gated_kinds: set[str] = set()
    for f in fail_on:
        gated_kinds |= GATES[f]
    subjects = [_Subject(f.name, f.kinds, {}, _asked(f.undecided)) for f in report.functions]
    for change, declared in ((ADDED, report.added), (REMOVED, report.removed)):
        for d in declared:
            reading = d.reading(change)
            subjects.append(_Subject(d.name, (change,), {change: reading} if reading else {}))
    subjects += [_Subject(c.name, c.kinds, {}, _asked(c.undecided)) for c in report.inputs]
    # A property removed, weakened or restated beyond comparison promises buyers less:
    # gated as a narrowing (one added or strengthened, only by `any`).
    promises_less = {REMOVED: NARROWED, WEAKENED: NARROWED, CHANGED: NARROWED}
    subjects += [
        _Subject(
            p.name, p.kinds, {k: r for k, r in promises_less.items() if k in p.kinds}, _asked(p.undecided)
        )
        for p in report.properties
    ]
    names = {s.name for s in subjects}
    used: set[int] = set()
    verdicts: dict[str, Verdict] = {}
    for subject in subjects:
        name, kinds, readings = subject.name, subject.kinds, subject.readings
        gated: list[str] = []
        allowed: list[tuple[str, str]] = []
        restriction = name in restrictions
        for kind in kinds:
            # A removed rule is gated (and may be allowed) as the narrowing it is, and as
            # what it is: `--fail-on any` and `change = "removed"` name it too.
            as_ = readings.get(kind, kind)
            match = next(
                (i for i, a in enumerate(allows) if a.rule == name and a.change in (kind, as_, "any")), None
            )
            if match is not None:
                used.add(match)
                allowed.append((kind, allows[match].reason))
            elif (_TURNED.get(as_, as_) if restriction else as_) in gated_kinds or (
                kind in readings and kind in gated_kinds
            ):
                gated.append(kind)
        if gated or allowed:
            verdicts[name] = Verdict(
                tuple(gated), tuple(allowed), restriction, tuple(readings.items()), subject.undecided
            )
    known = [s.name for s in subjects] + [t for t in report.types if t not in names]
    warnings = []
    for i, a in enumerate(allows):
        if i in used:
            continue
        if a.rule not in known:
            hint = suggest(a.rule, known)
            extra = f" ({hint})" if hint else ""
            warnings.append(f"allow entry for `{a.rule}` ({a.source}): no such rule or definition{extra}")
        else:
            warnings.append(f"allow entry for `{a.rule}` {a.change} ({a.source}) matched no change: drop it")
    for r in restrictions:
        if r not in known:
            warnings.append(f"restriction `{r}` (smallprint.toml): no such rule or definition")
    return Gate(tuple(fail_on), verdicts, tuple(warnings))
