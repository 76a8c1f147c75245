"""Which inputs each version accepts: records whose invariants changed, enums whose
variants changed (`smallprint diff`).

The functions are compared on the inputs both versions accept (`checker/diff.py`),
so a new invariant that refuses inputs the old version answered, or a variant
removed from an enum, changes no function's answers there, yet takes answers
away. Each record whose own invariants differ is asked, on a shared symbolic
value of it (`checker/diff_inputs.py`), whether some value is accepted by the old
version and refused by the new (narrowed), or the reverse (broadened); an
enum's variants are compared by name (a removed variant narrows, an added one
broadens: an input naming it is refused by the other version).
"""

from __future__ import annotations

from collections.abc import Callable

import z3

from smallprint.model import core
from smallprint.model.types import RecordT

from .diff_inputs import Aligner
from .diff_results import BROADENED, NARROWED, UNKNOWN, InputChange
from .terms import and_, not_

Check = Callable[[z3.BoolRef], z3.CheckSatResult]


def input_changes(
    old: core.Program, new: core.Program, aligner: Aligner, check: Check
) -> tuple[InputChange, ...]:
    """What changed in the inputs accepted, records then enums, in the new version's order."""
    out = [
        c for name in new.records if name in old.records and (c := _record(old, new, aligner, name, check))
    ]
    out += [c for name in new.enums if name in old.enums and (c := _enum(old, new, name))]
    return tuple(out)


def _record(
    old: core.Program, new: core.Program, aligner: Aligner, name: str, check: Check
) -> InputChange | None:
    before = {inv.name: inv.cond for inv in old.records[name].invariants}
    now = {inv.name: inv.cond for inv in new.records[name].invariants}
    if before == now:
        return None
    changes = [f"invariant `{n}` added" for n in now if n not in before]
    changes += [f"invariant `{n}` removed" for n in before if n not in now]
    changes += [f"invariant `{n}` changed" for n in now if n in before and now[n] != before[n]]
    ty = RecordT(name)
    if aligner.incompatible(ty, ty, name) is not None:
        return InputChange(name, (UNKNOWN,), tuple(changes), new.records[name].span)
    known = dict(aligner.problems)
    shared = aligner.input(ty, ty, 0)
    if aligner.problems != known:  # fields the diff cannot map: no function reads this record
        aligner.problems.clear()
        aligner.problems.update(known)
        return InputChange(name, (UNKNOWN,), tuple(changes), new.records[name].span)
    # Over values both versions' types can hold: a variant only one enum has is that enum's
    # change, reported on it, not this record's.
    both = and_(*shared.mapped)
    accepted_before, accepted_now = and_(*shared.old_wf), and_(*shared.new_wf)
    kinds = []
    for kind, question in (
        (NARROWED, and_(both, accepted_before, not_(accepted_now))),
        (BROADENED, and_(both, accepted_now, not_(accepted_before))),
    ):
        answer = check(question)
        if answer == z3.sat:
            kinds.append(kind)
        elif answer != z3.unsat:
            kinds.append(UNKNOWN)
    if not kinds:
        return None  # written differently, the same inputs
    return InputChange(name, tuple(dict.fromkeys(kinds)), tuple(changes), new.records[name].span)


def _enum(old: core.Program, new: core.Program, name: str) -> InputChange | None:
    before, now = old.enums[name].variants, new.enums[name].variants
    removed = [v for v in before if v not in now]
    added = [v for v in now if v not in before]
    if not removed and not added:
        return None
    kinds = ([NARROWED] if removed else []) + ([BROADENED] if added else [])
    changes = [f"variant `{v}` removed" for v in removed] + [f"variant `{v}` added" for v in added]
    return InputChange(name, tuple(kinds), tuple(changes), new.enums[name].span)
