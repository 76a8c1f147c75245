"""What the symbolic queries answer: the typed results the CLI and the Python API render.

Every result is a frozen dataclass of plain values (runtime values in the
encoding of `model/types.py`, spans, cites), so that rendering as text, JSON or
SARIF needs nothing from Z3. A proof is `Proved` (the negation is unsat, up to
the stated list bounds), `Violated` (with a counterexample that the interpreter
has replayed) or `Unknown` (the solver gave up: never a pass).
"""

from __future__ import annotations

from dataclasses import dataclass

from smallprint.grammar.span import Label, Span
from smallprint.model.ast import Cite
from smallprint.model.core import Value
from smallprint.model.explain import FailingPart
from smallprint.model.types import Type


@dataclass(frozen=True)
class Input:
    """One named input of a counterexample or witness (a property binder or a parameter)."""

    name: str
    ty: Type
    value: Value


@dataclass(frozen=True)
class ClauseOutcome:
    """A clause that was evaluated, and whether it held.

    `kind` is `when`, `unless`, `except` (index = (unless, except)), `case`,
    `otherwise` or `overridden` (index of the overriding rule in `overridden_by`);
    indices count from 1. `site` is the chain of calls that reached it, from the
    property or function queried (`("refund", "covered#1")`: the second call of
    `covered` inside `refund`). `conds` has the value of each condition of the
    clause in order, None for those not evaluated (after the first that failed).
    """

    func: str
    kind: str
    index: tuple[int, ...]
    span: Span
    cites: tuple[Cite, ...]
    held: bool
    site: tuple[str, ...]
    conds: tuple[bool | None, ...] = ()


@dataclass(frozen=True)
class Counterexample:
    """Inputs on which `subject` fails, decoded from a model, minimised and replayed.

    `reason` says how it fails (`the property is false`, `division by zero`),
    at `span`. The interpreter evaluates the subject on the inputs; a quantifier
    over every value of an infinite type inside a property (`exists d: Date`),
    which it cannot enumerate, is decided by the solver on the concrete values,
    and `note` says so. `replayed` is false only when even that was undecided.
    A replay that disagrees is never a counterexample: it raises `ReplayMismatch`.
    """

    subject: str
    inputs: tuple[Input, ...]
    reason: str
    span: Span
    clauses: tuple[ClauseOutcome, ...]
    replayed: bool = True
    note: str | None = None
    # Where a false property is false (its innermost deciding part), None for other
    # failures (a division by zero says where by itself).
    failing: FailingPart | None = None


@dataclass(frozen=True)
class ListBound:
    """A proof over lists holds for lists up to `bound` elements at `path`."""

    path: str
    bound: int


@dataclass(frozen=True)
class Proved:
    prop: str
    span: Span
    bounds: tuple[ListBound, ...]
    # No input meets the property's `where`: true of nothing, which fails a build.
    vacuous: bool = False


@dataclass(frozen=True)
class Violated:
    prop: str
    span: Span
    counterexample: Counterexample
    bounds: tuple[ListBound, ...]


@dataclass(frozen=True)
class Unknown:
    """The solver gave up (`reason`: timeout, resource limit, incomplete theory)."""

    subject: str
    span: Span
    reason: str


ProofResult = Proved | Violated | Unknown


@dataclass(frozen=True)
class Bound:
    """lower <= sum(coefficient * argument) <= upper; None is unbounded on that side."""

    terms: tuple[tuple[int, str], ...]
    lower: int | None
    upper: int | None


@dataclass(frozen=True)
class Region:
    """A conjunction of bounds on the free whole-number arguments (none: every value)."""

    bounds: tuple[Bound, ...]
    witness: tuple[tuple[str, int], ...]  # a point of the region the solver found


@dataclass(frozen=True)
class FreeCase:
    """The free Bool and enum arguments at these values; the rule holds on the union of `regions`."""

    values: tuple[tuple[str, Value], ...]
    regions: tuple[Region, ...]


@dataclass(frozen=True)
class RegionAnswer:
    """Exactly the values of the free arguments where the rule holds, the others fixed."""

    func: str
    free: tuple[str, ...]
    types: tuple[Type, ...]
    cases: tuple[FreeCase, ...]  # one per combination of the free Bool and enum values

    @property
    def finite(self) -> tuple[str, ...]:
        """The free arguments that are enumerated (Bool, enums)."""
        return tuple(n for n, _ in self.cases[0].values) if self.cases else ()

    @property
    def never(self) -> bool:
        return all(not c.regions for c in self.cases)

    @property
    def always(self) -> bool:
        return all(any(not r.bounds for r in c.regions) for c in self.cases)


@dataclass(frozen=True)
class Interval:
    """The closed interval [start, end] of a free argument; None is unbounded on that side."""

    start: int | None
    end: int | None


@dataclass(frozen=True)
class WindowAnswer:
    """Exactly the values of `free` where the rule holds, the other arguments fixed."""

    func: str
    free: str
    ty: Type
    intervals: tuple[Interval, ...]

    @property
    def never(self) -> bool:
        return not self.intervals

    @property
    def always(self) -> bool:
        return self.intervals == (Interval(None, None),)


@dataclass(frozen=True)
class FailedCondition:
    """A condition whose value (`held`) is part of why a rule is false.

    A `when` condition that failed, or a condition of an `unless` that held
    (with `held` true), or an overriding rule that held.
    """

    kind: str
    clause: tuple[int, ...]
    cond: int
    span: Span
    held: bool
    clause_span: Span
    cites: tuple[Cite, ...]


@dataclass(frozen=True)
class WhyNot:
    """A minimal set of conditions that, with the values they had, make the rule false."""

    func: str
    args: tuple[Input, ...]
    conditions: tuple[FailedCondition, ...]
    cites: tuple[Cite, ...]


@dataclass(frozen=True)
class Decided:
    """A true rule answer and the clause that decided it (None: no `when`, no `unless` applied)."""

    func: str
    args: tuple[Input, ...]
    clause: ClauseOutcome | None
    cites: tuple[Cite, ...]


@dataclass(frozen=True)
class Finding:
    """A lint finding: `dead_rule`, `dead_clause`, `subsumed_clause`, `conflict`,
    `window_order`, `runtime_error` (division by zero and the like), `unknown`
    (a lint query the solver gave up on) or `unsupported` (no Z3 encoding).

    `span` is the primary location; `related` the other one(s) (the subsuming
    clause, the opposed rule, the window's end). `witness` shows inputs where the
    finding happens, replayed through the interpreter.
    """

    kind: str
    message: str
    span: Span
    related: tuple[Label, ...] = ()
    witness: Counterexample | None = None
    severity: str = "warning"
