"""What a semantic diff answers: typed results that `checker/diff_report.py` and
`checker/formats.py` render (text, JSON, SARIF, JUnit) without touching Z3.

Values are runtime values (`model/types.py`); every witness carries both
versions' readings of one input, each replayed through that version's
interpreter, with the interpreter's explanation of the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from smallprint.grammar.span import Span
from smallprint.model import core
from smallprint.model.ast import Cite
from smallprint.model.core import Value
from smallprint.model.explain import Explanation
from smallprint.model.interp import Violation
from smallprint.model.types import BOOL, Type

from .diff_inputs import Assumption
from .results import Input

# What can change about a rule or definition present in both versions.
NARROWED = "narrowed"  # some input made it true before and false now
BROADENED = "broadened"  # some input made it false before and true now
CHANGED = "changed"  # a non-Bool result differs on some input
UNKNOWN = "unknown"  # the solver gave up on a question
INCOMPARABLE = "incomparable"  # the signatures cannot take the same input
# ...and about the set of declarations.
ADDED = "added"
REMOVED = "removed"

EQUIVALENT = "equivalent"
BOTH = "narrowed_and_broadened"
# What can change about a property present in both versions (read with the new
# version's rules: what the statement asks of the policy).
WEAKENED = "weakened"  # some input fails the old statement and satisfies the new one
STRENGTHENED = "strengthened"  # the reverse
WEAKENED_AND_STRENGTHENED = "weakened_and_strengthened"


@dataclass(frozen=True)
class Reading:
    """One version's answer on a witness: the arguments as it reads them, the value and why."""

    inputs: tuple[Input, ...]
    value: Value
    ty: Type
    explanation: Explanation


@dataclass(frozen=True)
class Witness:
    """An input on which the versions differ, replayed through both interpreters.

    `change`: `narrowed`, `broadened`, `changed`, or for one numeric part of
    the result (`component`: "" for the value itself, `start`/`end` of a
    window) `increased`, `decreased`, `appeared` (absent before), `disappeared`.
    `amount` is new minus old of that component, of type `amount_ty`.
    """

    change: str
    component: str
    old: Reading
    new: Reading
    amount: Value = None
    amount_ty: Type | None = None


@dataclass(frozen=True)
class Extreme:
    """The largest change of a numeric component in one direction.

    `status`: `bounded` (`amount` is the largest change, attained by the
    witness), `unbounded` (no largest change; the witness shows one), `never`
    (it never moves that way), `unknown` (the optimiser gave up: `reason`).
    """

    component: str
    direction: str  # "increase" | "decrease"
    status: str
    amount: Value
    amount_ty: Type
    witness: Witness | None = None
    reason: str | None = None
    # Found on inputs whose lists hold at most this many elements (None: on all inputs);
    # longer lists may move it further.
    scope: int | None = None


@dataclass(frozen=True)
class Undecided:
    """A question the solver gave up on (`narrowed`, `broadened`, `changed`, ...)."""

    question: str
    reason: str


@dataclass(frozen=True)
class FunctionDiff:
    """One rule or definition present in both versions.

    `status` is `equivalent`, `narrowed`, `broadened`, `narrowed_and_broadened`,
    `changed` (non-Bool results), `unknown` or `incomparable` (`reason` says
    why). `changes` are the kinds of change found. `own_text_changed` tells a
    change of its own clauses from one that comes only `through` the
    definitions and constants it reads.
    """

    name: str
    kind: str  # rule | def | window
    status: str
    changes: tuple[str, ...]
    old_span: Span
    new_span: Span
    ret: Type
    own_text_changed: bool = False
    through: tuple[str, ...] = ()
    witnesses: tuple[Witness, ...] = ()
    extremes: tuple[Extreme, ...] = ()
    undecided: tuple[Undecided, ...] = ()
    reason: str | None = None
    cites: tuple[Cite, ...] = ()

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds a gate looks at: the changes, plus `unknown`/`incomparable`."""
        out = list(self.changes)
        if self.undecided or self.status == UNKNOWN:
            out.append(UNKNOWN)
        if self.status == INCOMPARABLE:
            out.append(INCOMPARABLE)
        return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class Declared:
    """A rule or definition that only one version has."""

    name: str
    kind: str
    span: Span
    cites: tuple[Cite, ...] = ()
    ret: Type = BOOL

    @staticmethod
    def of(f: core.Function) -> Declared:
        return Declared(f.name, function_kind(f), f.span, f.cites, f.ret)

    def reading(self, change: str) -> str | None:
        """What its removal (addition) does to a rule: a rule or `Bool` definition removed
        holds on no input now, as if narrowed to nothing; one added held on none before,
        broadened. None for other definitions: a value has no direction."""
        if self.ret != BOOL:
            return None
        return NARROWED if change == REMOVED else BROADENED


def function_kind(f: core.Function) -> str:
    return "rule" if isinstance(f, core.RuleDef) else f.kind


@dataclass(frozen=True)
class ConstantChange:
    """A constant of both versions whose value differs (its effect shows in the functions)."""

    name: str
    old_ty: Type
    new_ty: Type
    old: Value
    new: Value
    old_span: Span
    new_span: Span


@dataclass(frozen=True)
class Acceptance:
    """One version's reading of a record value: the value in that version's shape, and
    the invariants it breaks there (none: that version accepts it), found by the
    interpreter's own invariant check."""

    value: Value
    ty: Type
    broken: tuple[Violation, ...]


@dataclass(frozen=True)
class InputWitness:
    """A value of a record that one version accepts and the other refuses (`change`:
    NARROWED, accepted before and refused now, or BROADENED)."""

    change: str
    old: Acceptance
    new: Acceptance


@dataclass(frozen=True)
class InputChange:
    """A record's invariants or an enum's variants differ: the inputs each version
    accepts differ. `kinds`: NARROWED (some input accepted before is refused now),
    BROADENED (the reverse), UNKNOWN (the solver gave up: `undecided` says on what)."""

    name: str  # the record or enum
    kinds: tuple[str, ...]
    changes: tuple[str, ...]  # what changed in its declaration, in words
    span: Span  # its declaration in the new version
    witnesses: tuple[InputWitness, ...] = ()  # for a record: one value per kind found
    undecided: tuple[Undecided, ...] = ()


@dataclass(frozen=True)
class PropertyWitness:
    """Values of a property's binders on which its two statements disagree (`change`:
    WEAKENED, the old statement false and the new true; STRENGTHENED, the reverse),
    both read with the new version's rules. `old_holds`/`new_holds` are the
    interpreter's values of each statement there (None: `replayed` is False, a
    quantifier over every value of an infinite type that the interpreter cannot run)."""

    change: str
    inputs: tuple[Input, ...]
    old_holds: bool | None
    new_holds: bool | None
    replayed: bool = True


@dataclass(frozen=True)
class PropertyChange:
    """A property added, removed or whose statement changed.

    `status`: ADDED, REMOVED, WEAKENED, STRENGTHENED, WEAKENED_AND_STRENGTHENED,
    CHANGED (the statement changed and could not be compared: `reason` says why) or
    UNKNOWN (the solver gave up: `undecided`). `changes` says what changed in its
    declaration, in words; `kinds` are what the gate looks at."""

    name: str
    status: str
    kinds: tuple[str, ...]
    changes: tuple[str, ...]
    span: Span  # the new declaration (the old one for a removed property)
    old_span: Span | None
    witnesses: tuple[PropertyWitness, ...] = ()
    undecided: tuple[Undecided, ...] = ()
    reason: str | None = None


@dataclass(frozen=True)
class DiffReport:
    functions: tuple[FunctionDiff, ...]
    added: tuple[Declared, ...]
    removed: tuple[Declared, ...]
    constants: tuple[ConstantChange, ...]
    assumptions: tuple[Assumption, ...]
    seconds: float
    # The functions are compared on the inputs both versions accept; which inputs
    # those are can change too.
    inputs: tuple[InputChange, ...] = ()
    types: tuple[str, ...] = ()  # the records and enums of the new version (allow entries may name them)
    properties: tuple[PropertyChange, ...] = ()  # added, removed or restated
    # A rule or definition only the old version has, the same in meaning as one only
    # the new version has (same parameters, every answer equal): a rename, not a
    # removal and an addition. Not gated.
    renamed: tuple[tuple[Declared, Declared], ...] = ()
