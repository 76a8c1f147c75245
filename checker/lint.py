"""Lint findings found by the solver, each with both locations and a replayed witness.

Every query assumes the invariants and list bounds of the parameters.

Lints look at inputs whose lists hold at most `LINT_LIST_BOUND` elements (or the
declared bound when it is smaller): a checkout of 80 coupons and 20 stores would
otherwise be unrolled to its full size for every question, and the mistakes lints
look for show up on small inputs (the small-scope hypothesis behind bounded
model checking). A witness found there is a real input at any bound. A finding
that says "never" (a dead rule or clause, a subsumed clause) is confirmed at the
declared bounds before it is reported, so a rule that needs 5 coupons is not
called dead; the absence of conflicts, errors and inverted windows is checked up
to the smaller bound, which `check` states.

* `dead_rule`: a rule that holds on no input.
* `dead_clause`: a `when` clause that holds on no input (it can be deleted).
* `subsumed_clause`: a `when` clause that implies another `when` of the same
  rule (whenever it holds, the other holds too); of two equivalent clauses the
  later one is reported.
* `conflict`: two rules related by `opposes` that both hold on some input; the
  witness is replayed (the interpreter says true for both).
* `window_order`: a window whose start can come after its end (replayed).
* `runtime_error`: a division reachable with a zero divisor, a `min`/`max` of
  no element without `else`, or a `def` whose cases can all fail without an
  `otherwise` (replayed: the interpreter raises an error too).
* `unknown`: a lint query the solver gave up on (severity `note`).
* `unsupported`: a function the compiler has no encoding for (severity `error`;
  none today: every construct of the core is compiled).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import z3

from smallprint.grammar.span import Label, Span
from smallprint.model import core
from smallprint.model.interp import EvalError
from smallprint.model.types import TEXT, ListT, OptT, RecordT, Type

from .compiled import Acc, ClauseTerm, Template
from .results import Finding
from .symenv import SymWindow, string_val
from .terms import and_, as_bool, boolean, is_false, not_

if TYPE_CHECKING:
    from .verify import CompiledPolicy

LINT_TIMEOUT_MS = 2_000
LINT_LIST_BOUND = 4


def lint(
    policy: CompiledPolicy, timeout_ms: int | None = None, list_bound: int | None = LINT_LIST_BOUND
) -> list[Finding]:
    """Every finding of the policy, function by function in dependency order.

    The well-formedness of a function's parameters is asserted once for all of its
    queries; each query has `timeout_ms` (default `LINT_TIMEOUT_MS`). Lists hold at
    most `list_bound` elements (None: the declared bounds)."""
    timeout = timeout_ms if timeout_ms is not None else min(LINT_TIMEOUT_MS, policy.timeout_ms)
    cap = list_bound
    out: list[Finding] = []
    reported: set[tuple[Span, str]] = set()  # a callee's error is not reported again for its callers
    settings = _settings(timeout, cap)
    for name in policy.program.order or tuple(policy.program.functions):
        f = policy.program.functions[name]
        # A function whose lints found nothing before, with its cone unchanged, finds
        # nothing again; a callee's finding is still reported by the callee.
        if policy.kept is not None and policy.kept.lint_clean(name, settings):
            continue
        reason = policy.unsupported_reason(name, cap)
        if reason is not None:
            message = f"`{name}` cannot be compiled to Z3: {reason}"
            out.append(Finding("unsupported", message, f.span, severity="error"))
            continue
        found: list[Finding] = []
        with policy.frame() as s:
            s.add(*policy.well_formed(name, cap))
            if isinstance(f, core.RuleDef):
                found.extend(_dead(policy, f, timeout, cap))
                found.extend(_opposes(policy, f, timeout, cap))
            elif f.kind == "window":
                found.extend(_window_order(policy, f, timeout, cap))
            found.extend(_errors(policy, f, timeout, reported, cap))
        if not found and policy.kept is not None:
            policy.kept.keep_lint_clean(name, settings)
        out.extend(found)
    return out


def _settings(timeout_ms: int, cap: int | None) -> str:
    return f"lint {timeout_ms} {cap}"


def to_lint(policy: CompiledPolicy) -> list[str]:
    """The functions `lint` would query: all of them, less those whose lints found
    nothing before with their cone unchanged (`checker/proof_cache.py`)."""
    names = list(policy.program.functions)
    if policy.kept is None:
        return names
    settings = _settings(min(LINT_TIMEOUT_MS, policy.timeout_ms), LINT_LIST_BOUND)
    return [n for n in names if not policy.kept.lint_clean(n, settings)]


def cuts_bounds(program: core.Program, cap: int | None, funcs: Iterable[str] | None = None) -> bool:
    """Does `cap` lower the bound of some list in the inputs of `funcs` (default: all)?"""
    if cap is None:
        return False
    seen: set[str] = set()

    def cut(ty: Type) -> bool:
        if isinstance(ty, ListT):
            return ty.bound > cap or cut(ty.elem)
        if isinstance(ty, OptT):
            return cut(ty.inner)
        if isinstance(ty, RecordT) and ty.name not in seen:
            seen.add(ty.name)
            return any(cut(fty) for _, fty in program.records[ty.name].fields)
        return False

    names = program.functions if funcs is None else funcs
    return any(cut(p.ty) for name in names for p in program.functions[name].params)


def _confirm_never(
    policy: CompiledPolicy,
    func: str,
    cap: int | None,
    timeout_ms: int | None,
    cond: Callable[[Template], z3.BoolRef],
) -> z3.CheckSatResult:
    """Whether `cond` (over the template of `func`) is possible at the declared bounds:
    a "never" (unsat) found on capped lists holds only if it is unsat there too."""
    if not cuts_bounds(policy.program, cap, [func]):
        return z3.unsat
    full = policy.template(func)
    with policy.frame() as s:
        s.add(*policy.well_formed(func))
        result, _ = _sat(policy, func, cond(full), timeout_ms)
    return result


def _sat(
    policy: CompiledPolicy,
    func: str,
    cond: z3.BoolRef,
    timeout_ms: int | None,
    first: Sequence[z3.BoolRef] = (),
) -> tuple[z3.CheckSatResult, z3.ModelRef | None]:
    """Is `cond` possible on well-formed arguments of `func` (asserted by `lint`)?
    Tried under the assumptions `first` before without them."""
    if is_false(cond):
        return z3.unsat, None
    policy.solver.add(cond)
    if first and policy.check(timeout_ms, *first) == z3.sat:
        return z3.sat, policy.solver.model()
    result = policy.check(timeout_ms)
    return result, (policy.solver.model() if result == z3.sat else None)


def _unknown(policy: CompiledPolicy, what: str, span: Span) -> Finding:
    return Finding("unknown", f"could not decide {what}: {policy.reason_unknown()}", span, severity="note")


def _dead(
    policy: CompiledPolicy, rule: core.RuleDef, timeout_ms: int | None, cap: int | None
) -> list[Finding]:
    t = policy.template(rule.name, cap)
    out: list[Finding] = []
    models: list[z3.ModelRef] = []  # every model found: it settles the questions it answers
    # Most of these questions have an answer without text: a model that needs Z3's
    # string solver (a postal code in the record) costs far more than one with "".
    no_text = [leaf.term == string_val("") for leaf in t.env.leaves if leaf.ty == TEXT]

    def possible(cond: Callable[[Template], z3.BoolRef]) -> z3.CheckSatResult:
        term = cond(t)
        if any(z3.is_true(m.eval(term, model_completion=True)) for m in models):
            return z3.sat
        with policy.frame():
            result, model = _sat(policy, rule.name, term, timeout_ms, no_text)
        if model is not None:
            models.append(model)
        if result == z3.unsat:
            return _confirm_never(policy, rule.name, cap, timeout_ms, cond)
        return result

    def holds(i: tuple[int, ...]) -> Callable[[Template], z3.BoolRef]:
        return lambda x: _when(x, i).holds

    def without(i: tuple[int, ...], j: tuple[int, ...]) -> Callable[[Template], z3.BoolRef]:
        return lambda x: and_(_when(x, i).holds, not_(_when(x, j).holds))

    result = possible(lambda x: boolean(x.result))
    if result == z3.unsat:
        related = tuple(Label(c.span, "this `when` clause") for c in rule.whens) or tuple(
            Label(u.clause.span, "this `unless` always applies") for u in rule.unlesses
        )
        out.append(Finding("dead_rule", f"rule `{rule.name}` can never hold", rule.span, related))
        return out
    if result == z3.unknown:
        out.append(_unknown(policy, f"whether `{rule.name}` can hold", rule.span))
    whens = [c for c in t.clauses if not c.site and c.kind == "when"]
    live: list[ClauseTerm] = []
    for c in whens:
        if possible(holds(c.index)) == z3.unsat:
            message = f"`when` #{c.index[0]} of `{rule.name}` can never hold"
            out.append(Finding("dead_clause", message, c.span, (Label(rule.span, "in this rule"),)))
        else:
            live.append(c)
    for c in live:
        for other in live:
            if other is c or possible(without(c.index, other.index)) != z3.unsat:
                continue
            if other.index > c.index and possible(without(other.index, c.index)) == z3.unsat:
                continue  # equivalent clauses: the later one is reported
            message = (
                f"`when` #{c.index[0]} of `{rule.name}` is subsumed by `when` #{other.index[0]}: "
                "whenever it holds, that one holds too"
            )
            out.append(
                Finding("subsumed_clause", message, c.span, (Label(other.span, "this clause covers it"),))
            )
            break
    return out


def _when(t: Template, index: tuple[int, ...]) -> ClauseTerm:
    """The `when` clause of the template's own rule at `index`."""
    return next(c for c in t.clauses if not c.site and c.kind == "when" and c.index == index)


def _opposes(
    policy: CompiledPolicy, rule: core.RuleDef, timeout_ms: int | None, cap: int | None
) -> list[Finding]:
    if rule.opposes is None:
        return []
    other = policy.program.functions[rule.opposes]
    t = policy.template(rule.name, cap)
    both = policy.compiler.call(rule.opposes, t.params, z3.BoolVal(True), Acc(record=False), rule.span)
    with policy.frame():
        result, model = _sat(policy, rule.name, and_(boolean(t.result), boolean(both)), timeout_ms)
        if result == z3.unknown:
            return [_unknown(policy, f"whether `{rule.name}` and `{other.name}` conflict", rule.span)]
        if model is None:
            return []
        message = f"`{rule.name}` and `{other.name}` are declared opposite but both hold here"
        witness, args = policy.witness(rule.name, model, message, rule.span, timeout_ms, cap)
    if policy.interp.call(rule.name, args) is not True or policy.interp.call(other.name, args) is not True:
        _mismatch(f"conflict of `{rule.name}` and `{other.name}` on {args!r}")
    # Both sides of the conflict: the clauses that made `other` hold too.
    from .verify import outcomes  # verify imports this module

    theirs = policy.template(other.name, cap)
    witness = replace(witness, clauses=witness.clauses + outcomes(theirs.clauses, policy.fixed(theirs, args)))
    related = (Label(other.span, f"`{other.name}` is declared here"),)
    return [Finding("conflict", message, rule.span, related, witness)]


def _window_order(
    policy: CompiledPolicy, f: core.DefDef, timeout_ms: int | None, cap: int | None
) -> list[Finding]:
    t = policy.template(f.name, cap)
    w = t.result
    assert isinstance(w, SymWindow)
    start_span, end_span = f.span, f.span
    if isinstance(f.body, core.MkWindow):
        start_span, end_span = f.body.start.span, f.body.end.span
    with policy.frame():
        result, model = _sat(policy, f.name, and_(w.present, as_bool(w.start > w.end)), timeout_ms)
        if result == z3.unknown:
            return [_unknown(policy, f"whether window `{f.name}` can end before it starts", f.span)]
        if model is None:
            return []
        message = f"window `{f.name}` can start after it ends"
        witness, args = policy.witness(f.name, model, message, start_span, timeout_ms, cap)
    value = policy.interp.call(f.name, args)
    if not (isinstance(value, tuple) and value[0] > value[1]):  # type: ignore[operator]
        _mismatch(f"window `{f.name}` on {args!r} is {value!r}")
    related = (Label(end_span, "its end"),)
    return [Finding("window_order", message, start_span, related, witness)]


def _errors(
    policy: CompiledPolicy,
    f: core.Function,
    timeout_ms: int | None,
    reported: set[tuple[Span, str]],
    cap: int | None,
) -> list[Finding]:
    out: list[Finding] = []
    t = policy.template(f.name, cap)
    for side in t.sides:
        if (side.span, side.message) in reported:
            continue
        with policy.frame():
            result, model = _sat(policy, f.name, not_(side.ok), timeout_ms)
            if result == z3.unknown:
                out.append(_unknown(policy, f"whether `{f.name}` can fail", side.span))
                continue
            if model is None:
                continue
            message = f"`{f.name}` can fail: {side.message}"
            witness, args = policy.witness(f.name, model, side.message, side.span, timeout_ms, cap)
        try:
            policy.interp.call(f.name, args)
        except EvalError:
            pass
        else:
            _mismatch(f"`{f.name}` on {args!r}: Z3 reports {side.message}, the interpreter does not")
        reported.add((side.span, side.message))
        out.append(Finding("runtime_error", message, side.span, (Label(f.span, "in this"),), witness))
    return out


def _mismatch(message: str) -> None:
    from .verify import ReplayMismatch

    raise ReplayMismatch(message)
