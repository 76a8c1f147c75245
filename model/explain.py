"""Why a rule or definition gave its answer: the trace behind `ask --explain`.

`Interpreter.explain` (model/interp.py) builds these; `model/explain_text.py`
renders them as text or JSON. A trace records exactly what the reference
semantics read, in the order it read it, and nothing more:

* the conditions of a clause are read left to right and stop at the first
  that fails; the rest are `evaluated=False` ("not evaluated");
* a rule reads its `when`s until one holds (none when it has no `when`), then
  its `unless`es until one defeats it (for an `unless` that holds, its
  `except`s until one holds), then the rules that override it;
* a definition reads its cases until one holds.

So a clause that shows `held=None` was never looked at, and an evaluation
error (division by zero) can only come from a condition the trace shows.
Values are in the runtime encoding of `model/types.py`, each with its type so
that a renderer can `show` it.
"""

from __future__ import annotations

from dataclasses import dataclass

from smallprint.grammar.span import Span
from smallprint.model.ast import Cite
from smallprint.model.core import Param, Value
from smallprint.model.types import Type


@dataclass(frozen=True)
class Operand:
    """One side of a comparison or `in`, so that `today >= s + 11 days: false` can say why."""

    ty: Type
    value: Value
    span: Span
    # A step of a value's working that calls a definition by cases: the case that gave
    # its value (`case #2 held at disputes.sp:44:3`, with its citations) or `otherwise`.
    decided_by: str | None = None


@dataclass(frozen=True)
class Term:
    """An element that a `count` counts or a `sum` adds: the `index`-th of the list
    written at `over`, and where it sits in the inputs when it is reached by fields and
    positions from them (`wallet.coupons[8]`)."""

    index: int
    over: Span
    path: str | None = None
    value: Value = None  # what a sum adds for it (None for a count)


@dataclass(frozen=True)
class Tally:
    """A side of a false comparison that is a `count` or a `sum` over a list, written
    so or as the body of the definitions it calls (`store_offers_used(cs)`), with the
    elements it counts or adds, so that `0 == 1` can say which one is the 1.

    `side` is 0 (left) or 1 (right); `op` is "count" or "sum" (a sum of counts, as
    `sum(used_at(s, cs) for s in ss)`, counts the elements its counts count);
    `value` is the side's value and `ty` its type, a sum's terms' too. A sum leaves
    out the elements that add zero."""

    side: int
    span: Span
    op: str
    ty: Type
    value: Value
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class CondTrace:
    """One condition of a clause.

    `kind` is "test" (a Bool condition: `value` is its truth) or "bind"
    (`x is some(v)`: `value` is the optional, None when absent, and `var` the
    name bound). `held` is None when the condition was not evaluated.
    """

    kind: str
    span: Span
    evaluated: bool
    held: bool | None
    ty: Type
    value: Value = None
    var: str | None = None
    op: str | None = None  # the core operator (`lt`, `in_window`, ...) when `operands` is set
    operands: tuple[Operand, ...] = ()
    # The explanation of a rule called directly by this condition (`f(x)` or `not f(x)`).
    callee: Explanation | None = None
    # A false condition of another shape (`forall`, `or`, `not (a and b)`, ...): the part
    # of it that decides (`model/failing.py`).
    failing: FailingPart | None = None
    # Quoted as its two operands' sources joined by the operator, not as the source at
    # `span`: a comparison whose `if` operand was replaced by the branch it took.
    by_operands: bool = False
    # A true `exists x in xs. ...`: the first element that makes it true (`x`, its index,
    # and where `xs` is written, to name it `xs[k]`).
    witness: tuple[str, int, Span] | None = None
    # A false comparison (or the one a failing part stops at): its sides that are
    # counts or sums over lists, with the elements they count or add.
    tallies: tuple[Tally, ...] = ()
    # A false comparison: its sides that call a definition of a value directly
    # (`today in dispute_window(o)`), each explained: how that value came about.
    operand_callees: tuple[Explanation, ...] = ()


@dataclass(frozen=True)
class ClauseTrace:
    """A `when`, `unless`, `except` or case; `index` counts from 1 within its kind.

    `held` is None when the clause was not evaluated at all; `excepts` are the
    exceptions of an `unless`.
    """

    kind: str
    index: int
    span: Span
    cites: tuple[Cite, ...]
    held: bool | None
    conds: tuple[CondTrace, ...]
    excepts: tuple[ClauseTrace, ...] = ()


@dataclass(frozen=True)
class OverrideTrace:
    """A rule declared to override this one; `held` is None when it was not consulted."""

    rule: str
    held: bool | None


@dataclass(frozen=True)
class Decision:
    """What decided the answer.

    kind, for a rule:
      "when"      the first `when` that held (`clause`), and no `unless` defeated it
      "default"   the rule has no `when` and no `unless` defeated it
      "no_when"   it has `when`s and none held
      "unless"    the `unless` (`clause`) that held with none of its `except`s
      "override"  the overriding rule `rule` held
    for a definition:
      "body"      it is `= expr`
      "case"      the first case that held (`clause`)
      "otherwise" no case held
    """

    kind: str
    summary: str
    clause: ClauseTrace | None = None
    rule: str | None = None


@dataclass(frozen=True)
class RuleExplanation:
    func: str
    params: tuple[Param, ...]
    args: tuple[Value, ...]
    outcome: bool
    decided: Decision
    whens: tuple[ClauseTrace, ...]
    unlesses: tuple[ClauseTrace, ...]
    overrides: tuple[OverrideTrace, ...]
    cites: tuple[Cite, ...]
    span: Span


@dataclass(frozen=True)
class DefExplanation:
    func: str
    params: tuple[Param, ...]
    args: tuple[Value, ...]
    ret: Type
    value: Value
    decided: Decision
    cases: tuple[ClauseTrace, ...]
    cites: tuple[Cite, ...]
    otherwise_cites: tuple[Cite, ...]
    span: Span
    # A Bool `= body` that is false: where (`model/failing.py`).
    failing: FailingPart | None = None
    # Any other `= body`: the conditions of the `if`s (and `match` arms) and
    # `is some`s that chose the way to its value, in order.
    branches: tuple[CondTrace, ...] = ()
    # A value that is not a truth: the calls, constants, roundings and `min`/`max` its
    # value was worked out from, each with its value, innermost first (`item_paid(r) =
    # US$899.99`, ..., `round_up(item_paid(r) * rate) = US$135.00`).
    steps: tuple[Operand, ...] = ()


Explanation = RuleExplanation | DefExplanation


@dataclass(frozen=True)
class Bound:
    """A name bound on the way to a failing part: a list element, a present
    optional's value, a `let`."""

    name: str
    ty: Type
    value: Value
    # Where the value sits in the inputs, when it is a list element reached by fields
    # and positions from them (`cart.stores[0]`).
    path: str | None = None


@dataclass(frozen=True)
class FailingPart:
    """Where a false condition (a property's body on a counterexample, a require) is
    false: the innermost part that decides it (`model/failing.py`), traced like a
    clause's condition, with the names bound and the definitions entered on the way
    to it, and the starting names (inputs) it reads."""

    cond: CondTrace
    bound: tuple[Bound, ...]
    reads: tuple[str, ...]
    calls: tuple[str, ...] = ()  # the rules and definitions it calls itself
    through: tuple[str, ...] = ()  # the Bool definitions entered on the way, outermost first
    # When the part is an `or`: where each of its operands is false, followed down alike.
    alternatives: tuple[FailingPart, ...] = ()

    @property
    def decided_under(self) -> tuple[str, ...]:
        """The functions called by the starting condition itself that the part is in or
        calls: their clauses decided it."""
        return self.through[:1] or self.calls
