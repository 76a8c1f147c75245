"""Properties of two versions of a policy compared (`smallprint diff`).

A property is a statement about the policy that `check` proves; a change can
weaken it as surely as it can narrow a rule, and the rules' answers would not
show it. Each property is reported when one version alone has it, and when its
statement changed (the typed core compares without layout, comments or
positions), decided semantically, as statements: on the same values of the
binders (top-level `forall`s, matched by position), with every call that reads
only them (`refund(c)`) standing for any value of its type, the same call in
both statements for the same value. Read with the rules themselves, any two
statements that both prove would be the same (true everywhere): a bound raised
to let a narrowing through would go unseen. So:

* weakened: some values fail the old statement and satisfy the new one, and
  none the reverse (the new claims less);
* strengthened: the reverse; both at once: `weakened_and_strengthened`;
* the same answer on every value: a restatement, not reported;
* `changed`: the statement changed and cannot be compared so (the binders
  differ, a record it reads changed shape, a call reads a value bound inside
  the statement): `reason` says why;
* `unknown`: the solver gave up; never read as the same.

Constants are read as the new version has them. Marking a property `@finding`
(the text breaks it: no longer required to hold) weakens it; dropping the mark
strengthens it. Every witness (the binders and the calls' values) is replayed
through the new version's interpreter on both statements; a replay that
disagrees is an internal error (`ReplayMismatch`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace

import z3

from smallprint.model import core
from smallprint.model.interp import EvalError
from smallprint.model.types import BOOL, EnumT, OptT, Type

from .compiled import Acc
from .decode import decode, model_evaluator
from .diff_domains import Solve, Versions
from .diff_results import (
    ADDED,
    CHANGED,
    REMOVED,
    STRENGTHENED,
    UNKNOWN,
    WEAKENED,
    WEAKENED_AND_STRENGTHENED,
    PropertyChange,
    PropertyWitness,
    Undecided,
)
from .diff_same import alike, same_types
from .results import Input
from .symenv import SymEnv
from .terms import TRUE, and_, boolean, not_
from .verify import ReplayMismatch

_ASKED = {WEAKENED: "weakened", STRENGTHENED: "strengthened"}


def property_changes(
    v: Versions, solve: Solve, renamed: Mapping[str, str] | None = None
) -> tuple[PropertyChange, ...]:
    """Properties added, restated differently, then removed (each version's order);
    `renamed`: old function name -> new, for functions the diff found renamed (a call
    of the old name in an old statement is a call of the new one)."""
    renames = dict(renamed or {})
    out: list[PropertyChange] = []
    for name, prop in v.new.properties.items():
        before = v.old.properties.get(name)
        if before is None:
            out.append(PropertyChange(name, ADDED, (ADDED,), ("added",), prop.span, None))
        elif not alike(before, prop) and (c := _compare(v, before, prop, solve, renames)) is not None:
            out.append(c)
    out += [
        PropertyChange(name, REMOVED, (REMOVED,), ("removed",), prop.span, prop.span)
        for name, prop in v.old.properties.items()
        if name not in v.new.properties
    ]
    return tuple(out)


def _compare(
    v: Versions, old: core.PropertyDef, new: core.PropertyDef, solve: Solve, renames: dict[str, str]
) -> PropertyChange | None:
    changes: list[str] = []
    kinds: list[str] = []
    if new.findings and not old.findings:
        changes.append("marked @finding (no longer required to hold)")
        kinds.append(WEAKENED)
    elif old.findings and not new.findings:
        changes.append("no longer marked @finding (required to hold again)")
        kinds.append(STRENGTHENED)
    witnesses: tuple[PropertyWitness, ...] = ()
    undecided: tuple[Undecided, ...] = ()
    reason = None
    if not alike(old.body, new.body):
        st = _statements(v, old, new, renames)
        if isinstance(st, str):
            reason = st
            changes.append("statement changed")
            kinds.append(CHANGED)
        else:
            witnesses, undecided = _decide(v, new, st, solve)
            if witnesses or undecided:
                changes.append("statement changed")
            kinds += [w.change for w in witnesses] + ([UNKNOWN] if undecided else [])
    if not kinds:
        return None  # cites changed, or a restatement with the same meaning
    kinds = list(dict.fromkeys(kinds))
    return PropertyChange(
        new.name,
        _status(kinds),
        tuple(kinds),
        tuple(changes),
        new.span,
        old.span,
        witnesses,
        undecided,
        reason,
    )


def _status(kinds: list[str]) -> str:
    if CHANGED in kinds:
        return CHANGED
    if WEAKENED in kinds and STRENGTHENED in kinds:
        return WEAKENED_AND_STRENGTHENED
    for k in (WEAKENED, STRENGTHENED):
        if k in kinds:
            return k
    return UNKNOWN


def _peel(body: core.CExpr) -> tuple[list[tuple[str, Type]], core.CExpr]:
    """The top-level `forall` binders and the body below them (as `Compiler.property`)."""
    binders = []
    while isinstance(body, core.Quant) and body.op == "forall":
        binders.append((body.var, body.var_ty))
        body = body.body
    return binders, body


@dataclass(frozen=True)
class _Statements:
    """Both statements over the same names: the new binders, and one variable per call
    (`refund(c)`) that stands for whatever value the rules give there."""

    binders: tuple[tuple[str, Type], ...]
    calls: tuple[tuple[str, Type], ...]
    old: core.CExpr
    new: core.CExpr


def _statements(
    v: Versions, old: core.PropertyDef, new: core.PropertyDef, renames: dict[str, str]
) -> _Statements | str:
    """Both bodies with their calls abstracted, or why they cannot be compared."""
    old_binders, old_body = _peel(old.body)
    new_binders, new_body = _peel(new.body)
    if [t for _, t in old_binders] != [t for _, t in new_binders]:
        shown = ", ".join(str(t) for _, t in new_binders)
        was = ", ".join(str(t) for _, t in old_binders)
        return f"it ranges over ({shown}) now and ranged over ({was})"
    top = {n for n, _ in new_binders}
    old_exprs = core.walk(old_body)
    if _bound(old_exprs) & top:
        return "the old statement binds a name the new one gives a binder"
    if not same_types(v.old, v.new, [*(t for _, t in new_binders), *(e.ty for e in old_exprs)]):
        return "a record or enum it reads changed shape"
    for e in old_exprs:
        if isinstance(e, core.ConstRef):
            const = v.new.consts.get(e.name)
            if const is None or const.ty != v.old.consts[e.name].ty:
                return f"the old statement reads the constant `{e.name}`, gone or of another type now"
    renamed = _rebuild(
        old_body, _renaming({o: n for (o, _), (n, _) in zip(old_binders, new_binders, strict=True)})
    )
    if renames:
        renamed = _rebuild(renamed, _calls_renamed(renames))
    calls: dict[core.Call, str] = {}
    abstract = _abstracting(top, calls)
    old_abs, new_abs = _rebuild(renamed, abstract), _rebuild(new_body, abstract)
    left = next((e for body in (old_abs, new_abs) for e in core.walk(body) if isinstance(e, core.Call)), None)
    if left is not None:
        return f"it calls `{left.func}` on a value bound inside it: the call cannot be compared on its own"
    typed = tuple((name, call.ty) for call, name in calls.items())
    return _Statements(tuple(new_binders), typed, old_abs, new_abs)


def _bound(exprs: list[core.CExpr]) -> set[str]:
    return {e.var for e in exprs if isinstance(e, core.Quant | core.Agg | core.IfSome | core.Let)}


Rewrite = Callable[[core.CExpr], core.CExpr | None]


def _rebuild(e: core.CExpr, rewrite: Rewrite) -> core.CExpr:
    """`e` with every sub-expression `rewrite` answers (outermost first) replaced."""
    done = rewrite(e)
    if done is not None:
        return done
    changes: dict[str, object] = {}
    for f in fields(e):
        value = getattr(e, f.name)
        if isinstance(value, core.CExpr):
            changes[f.name] = _rebuild(value, rewrite)
        elif isinstance(value, tuple) and value and all(isinstance(x, core.CExpr) for x in value):
            changes[f.name] = tuple(_rebuild(x, rewrite) for x in value)
    return replace(e, **changes) if changes else e  # type: ignore[arg-type]


def _renaming(names: dict[str, str]) -> Rewrite:
    def rename(e: core.CExpr) -> core.CExpr | None:
        if isinstance(e, core.Var) and e.name in names:
            return core.Var(names[e.name], ty=e.ty, span=e.span)
        return None

    return rename


def _calls_renamed(names: dict[str, str]) -> Rewrite:
    def rename(e: core.CExpr) -> core.CExpr | None:
        if isinstance(e, core.Call) and e.func in names:
            return replace(e, func=names[e.func], args=tuple(_rebuild(a, rename) for a in e.args))
        return None

    return rename


def _abstracting(top: set[str], calls: dict[core.Call, str]) -> Rewrite:
    """A call that reads only the binders becomes a variable (the same call in both
    statements, the same variable): the statements are compared whatever the rules say."""

    def abstract(e: core.CExpr) -> core.CExpr | None:
        if not isinstance(e, core.Call):
            return None
        inside = core.walk(e)
        if not {x.name for x in inside if isinstance(x, core.Var)} <= top | _bound(inside):
            return None  # reads a value bound around it: left as a call (then not comparable)
        if e not in calls:
            text = _text(e)
            calls[e] = text if text not in calls.values() else f"{text} #{len(calls) + 1}"
        return core.Var(calls[e], ty=e.ty, span=e.span)

    return abstract


def _text(e: core.CExpr) -> str:
    """A call as a person reads it (`refund(c)`, `fee(o.items)`), for naming its value."""
    if isinstance(e, core.Var | core.ConstRef):
        return e.name
    if isinstance(e, core.Field):
        return f"{_text(e.target)}.{e.name}"
    if isinstance(e, core.Call):
        return f"{e.func}({', '.join(_text(a) for a in e.args)})"
    return "..."


def _decide(
    v: Versions, new: core.PropertyDef, st: _Statements, solve: Solve
) -> tuple[tuple[PropertyWitness, ...], tuple[Undecided, ...]]:
    compiler = v.aligner.new
    env = SymEnv(compiler.types)
    scope = {name: env.fresh(name, ty) for name, ty in (*st.binders, *st.calls)}
    acc = Acc(record=False)
    was = boolean(compiler.expr(st.old, scope, TRUE, acc))
    now = boolean(compiler.expr(st.new, scope, TRUE, acc))
    # On values the new version's records accept, where neither statement fails at run time.
    assumed = and_(*compiler.well_formed(env), *(s.ok for s in acc.sides))
    witnesses: list[PropertyWitness] = []
    undecided: list[Undecided] = []
    for change, goal in ((WEAKENED, and_(now, not_(was))), (STRENGTHENED, and_(was, not_(now)))):
        found = solve(and_(assumed, goal), (env,))
        if isinstance(found, str):
            undecided.append(Undecided(_ASKED[change], found))
        elif found is not None:
            witnesses.append(_replay(v, new.name, st, env, found, change))
    return tuple(witnesses), tuple(undecided)


def _replay(
    v: Versions, name: str, st: _Statements, env: SymEnv, model: z3.ModelRef, change: str
) -> PropertyWitness:
    ev = model_evaluator(model)
    types = v.aligner.new.types
    inputs = tuple(Input(n, ty, decode(env.roots[n], ty, ev, types)) for n, ty in (*st.binders, *st.calls))
    interp = v.new_interp
    for i in inputs:
        if interp.violations(i.ty, i.value, i.name):
            raise ReplayMismatch(f"property `{name}`: a witness breaks invariants: {i.value!r}")
    values = {i.name: i.value for i in inputs}
    try:
        was, now = interp.eval(st.old, values), interp.eval(st.new, values)
    except EvalError as exc:
        if _unbounded_quantifier(st.old) or _unbounded_quantifier(st.new):
            return PropertyWitness(change, inputs, None, None, replayed=False)
        raise ReplayMismatch(f"property `{name}`: the interpreter fails on a witness: {exc}") from exc
    expected = (False, True) if change == WEAKENED else (True, False)
    if (was, now) != expected:
        raise ReplayMismatch(
            f"property `{name}` ({change}): the interpreter gives {was!r} for the old statement and "
            f"{now!r} for the new on {values!r}"
        )
    return PropertyWitness(change, inputs, was is True, now is True)


def _unbounded_quantifier(body: core.CExpr) -> bool:
    """Whether `body` quantifies over every value of a type the interpreter cannot enumerate."""
    return any(isinstance(e, core.Quant) and not _finite(e.var_ty) for e in core.walk(body))


def _finite(ty: Type) -> bool:
    if isinstance(ty, OptT):
        return _finite(ty.inner)
    return ty == BOOL or isinstance(ty, EnumT)
