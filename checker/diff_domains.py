"""Which inputs each version accepts: records whose invariants changed, enums whose
variants changed (`smallprint diff`).

The functions are compared on the inputs both versions accept (`checker/diff.py`),
so a new invariant that refuses inputs the old version answered, or a variant
removed from an enum, changes no function's answers there, yet takes answers
away. Each record whose own invariants differ is asked, on a shared symbolic
value of it (`checker/diff_inputs.py`), whether some value is accepted by the old
version and refused by the new (narrowed), or the reverse (broadened); an
enum's variants are compared by name (a removed variant narrows, an added one
broadens: an input naming it is refused by the other version); a record's list
whose bound grew broadens (a longer list is accepted), one whose bound shrank
narrows, and the functions are compared on lists within both bounds.

Both sides of a record's question assume the same things of the shared value, all
but the record's own invariants: list lengths within their bounds (a bound on one
side alone would make "a list longer than allowed" a value only that side refuses)
and the invariants of the records nested inside it, in both versions. Each answer
found is a witness value, minimised, read by each version and checked by its
interpreter (`Interpreter.violations`): one accepts it and the other refuses it by
this record's invariants, or the replay is an internal error (`ReplayMismatch`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import z3

from smallprint.model import core
from smallprint.model.interp import Interpreter
from smallprint.model.types import ListT, RecordT

from .decode import decode, model_evaluator
from .diff_inputs import Aligner, SharedInput
from .diff_results import BROADENED, NARROWED, UNKNOWN, Acceptance, InputChange, InputWitness, Undecided
from .diff_same import alike
from .symenv import SymEnv
from .terms import and_, not_
from .verify import ReplayMismatch

# The question when a record cannot be compared at all.
EITHER = f"{NARROWED} or {BROADENED}"

# A minimised model of a question about the inputs alone (None: there is none; a string:
# why the solver gave up): `Solving.alone`.
Solve = Callable[[z3.BoolRef, Sequence[SymEnv]], z3.ModelRef | str | None]


@dataclass(frozen=True)
class Versions:
    """Both versions, as the comparison of their inputs needs them."""

    old: core.Program
    new: core.Program
    aligner: Aligner
    old_interp: Interpreter
    new_interp: Interpreter


def input_changes(v: Versions, solve: Solve) -> tuple[InputChange, ...]:
    """What changed in the inputs accepted, records then enums, in the new version's order."""
    old, new = v.old, v.new
    out = [c for name in new.records if name in old.records and (c := _record(v, name, solve))]
    out += [c for name in new.enums if name in old.enums and (c := _enum(old, new, name))]
    return tuple(out)


def _bounds(old: core.RecordDef, new: core.RecordDef) -> list[tuple[str, str]]:
    """The kind and words of each list field whose bound changed: a longer list is
    accepted now (broadened), or one accepted before is refused (narrowed)."""
    before = dict(old.fields)
    out = []
    for fname, ty in new.fields:
        was = before.get(fname)
        if isinstance(ty, ListT) and isinstance(was, ListT) and ty.bound != was.bound:
            kind = BROADENED if ty.bound > was.bound else NARROWED
            out.append((kind, f"`{fname}` holds up to {ty.bound} (was {was.bound})"))
    return out


def _record(v: Versions, name: str, solve: Solve) -> InputChange | None:
    old, new, aligner = v.old, v.new, v.aligner
    before = {inv.name: inv.cond for inv in old.records[name].invariants}
    now = {inv.name: inv.cond for inv in new.records[name].invariants}
    bounds = _bounds(old.records[name], new.records[name])
    if alike(before, now):
        if not bounds:
            return None
        grown = tuple(dict.fromkeys(k for k, _ in bounds))
        return InputChange(name, grown, tuple(w for _, w in bounds), new.records[name].span)
    changes = [w for _, w in bounds]
    changes += [f"invariant `{n}` added" for n in now if n not in before]
    changes += [f"invariant `{n}` removed" for n in before if n not in now]
    changes += [f"invariant `{n}` changed" for n in now if n in before and not alike(now[n], before[n])]
    span = new.records[name].span
    ty = RecordT(name)
    why = aligner.incompatible(ty, ty, name)
    if why is not None:
        return InputChange(name, (UNKNOWN,), tuple(changes), span, undecided=(Undecided(EITHER, why),))
    known = dict(aligner.problems)
    shared = aligner.input(ty, ty, 0)
    if aligner.problems != known:  # fields the diff cannot map: no function reads this record
        unmapped = ", ".join(f"`{k}`" for k in aligner.problems if k not in known)
        aligner.problems.clear()
        aligner.problems.update(known)
        why = f"fields only one version has and no mapping for them in smallprint.toml: {unmapped}"
        return InputChange(name, (UNKNOWN,), tuple(changes), span, undecided=(Undecided(EITHER, why),))
    # Over values both versions' types can hold, whose lists are within their bounds and
    # whose nested records both versions accept (a change of those is reported on them):
    # only this record's own invariants differ between the two sides.
    both = and_(*shared.shape)
    accepted_before, accepted_now = and_(*shared.old_own), and_(*shared.new_own)
    kinds: list[str] = [k for k, _ in bounds]
    witnesses: list[InputWitness] = []
    undecided: list[Undecided] = []
    for kind, question in (
        (NARROWED, and_(both, accepted_before, not_(accepted_now))),
        (BROADENED, and_(both, accepted_now, not_(accepted_before))),
    ):
        found = solve(question, shared.envs)
        if isinstance(found, str):
            kinds.append(UNKNOWN)
            undecided.append(Undecided(kind, found))
        elif found is not None:
            kinds.append(kind)
            witnesses.append(_replay(v, name, shared, found, kind))
    if not kinds:
        return None  # written differently, the same inputs
    return InputChange(
        name, tuple(dict.fromkeys(kinds)), tuple(changes), span, tuple(witnesses), tuple(undecided)
    )


def _replay(v: Versions, name: str, shared: SharedInput, model: z3.ModelRef, kind: str) -> InputWitness:
    """The value of the model, read by each version and checked by its interpreter: the
    report says "refused" only where the interpreter refuses it."""
    ev = model_evaluator(model)
    ty = RecordT(name)
    old_v = decode(shared.old, ty, ev, v.aligner.old.types)
    new_v = decode(shared.new, ty, ev, v.aligner.new.types)
    old = Acceptance(old_v, ty, tuple(v.old_interp.violations(ty, old_v)))
    new = Acceptance(new_v, ty, tuple(v.new_interp.violations(ty, new_v)))
    refused, accepted = (new, old) if kind == NARROWED else (old, new)
    # Only the record's own invariants may refuse it: the rest both sides assumed.
    if accepted.broken or not refused.broken or any(b.path for b in refused.broken):
        raise ReplayMismatch(
            f"inputs of `{name}` ({kind}): the interpreters refuse {[b.invariant.name for b in old.broken]} "
            f"before and {[b.invariant.name for b in new.broken]} now on {old_v!r} / {new_v!r}"
        )
    return InputWitness(kind, old, new)


def _enum(old: core.Program, new: core.Program, name: str) -> InputChange | None:
    before, now = old.enums[name].variants, new.enums[name].variants
    removed = [v for v in before if v not in now]
    added = [v for v in now if v not in before]
    if not removed and not added:
        return None
    kinds = ([NARROWED] if removed else []) + ([BROADENED] if added else [])
    changes = [f"variant `{v}` removed" for v in removed] + [f"variant `{v}` added" for v in added]
    return InputChange(name, tuple(kinds), tuple(changes), new.enums[name].span)
