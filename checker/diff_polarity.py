"""Which way a rule or Bool definition can change when only what it calls changed
(part of `checker/diff.py`).

A definition whose own text is the same in both versions can change only through
the functions it calls. When each of those is decided to change one way only (a
rule that now holds on more inputs, never fewer: broadened) and each call of it
stands where a larger value can only make the caller larger (under `and`, `or`,
`forall`, `exists`, a `when`: positive; under `not`, an `unless`, the left of
`implies`, a `forall`'s `where`: negative), the caller is monotone in it: it can
broaden, never narrow, and the question "did it narrow?" is settled without the
solver. That question is the costly one on a checkout unrolled over 80 coupons
and 20 stores: showing that no input at all tells the versions apart. A call in
any other place (a comparison, an `if`'s condition, an argument, a count) has no
fixed direction, and then nothing is settled here.

The callee's verdict holds on every input of its parameters (the diff asked it
over all of them, within invariants, bounds and no run-time error), so it holds
on whatever arguments the caller passes.
"""

from __future__ import annotations

from collections.abc import Mapping

from smallprint.model import core
from smallprint.model.types import BOOL

from .diff_results import BROADENED, NARROWED
from .diff_same import alike, reads_of

Occurrence = tuple[str, int]  # a changed function called, and +1 (positive) or -1 (negative)


def ruled_out(
    old: core.Program, new: core.Program, name: str, directions: Mapping[str, int]
) -> frozenset[str]:
    """The changes (NARROWED, BROADENED) `name` cannot show, given how each function
    it calls changed: `directions` holds +1 for one only broadened, -1 for one only
    narrowed, 0 for one changed otherwise or not decided; a function not in it is
    unchanged."""
    of, nf = old.functions.get(name), new.functions.get(name)
    if of is None or nf is None or nf.ret != BOOL or not alike(of, nf):
        return frozenset()
    callees, consts = reads_of(nf)
    if any(not alike(old.consts.get(c), new.consts.get(c)) for c in consts):
        return frozenset()
    changed = {c for c in callees if c in directions}
    if not changed or any(directions[c] == 0 for c in changed):
        return frozenset()
    found = _occurrences(nf, changed)
    if found is None:
        return frozenset()
    effects = {directions[c] * sign for c, sign in found}
    if effects == {1}:
        return frozenset({NARROWED})
    if effects == {-1}:
        return frozenset({BROADENED})
    return frozenset()


def _occurrences(f: core.Function, changed: set[str]) -> set[Occurrence] | None:
    """Every call of a `changed` function in `f` with its sign; None when one has none."""
    out: set[Occurrence] = set()
    if isinstance(f, core.RuleDef):
        parts: list[tuple[core.Clause, int]] = [(w, 1) for w in f.whens]
        for u in f.unlesses:
            parts.append((u.clause, -1))
            parts += [(x, 1) for x in u.excepts]
        for clause, sign in parts:
            for cond in clause.conds:
                if isinstance(cond, core.Test):
                    if not _walk(cond.expr, sign, changed, out):
                        return None
                elif _mentions(cond.opt, changed):
                    return None
        out |= {(r, -1) for r in f.overridden_by if r in changed}
        return out
    if f.body is None or f.cases:
        return None if any(_mentions(e, changed) for e in core.function_exprs(f)) else out
    return out if _walk(f.body, 1, changed, out) else None


def _walk(e: core.CExpr, sign: int, changed: set[str], out: set[Occurrence]) -> bool:
    """Add the calls in the Bool `e` (standing with `sign`); False when a call of a
    changed function stands where its sign is not fixed."""
    if isinstance(e, core.Call) and e.func in changed:
        out.add((e.func, sign))
        return not any(_mentions(a, changed) for a in e.args)
    if isinstance(e, core.Op) and e.op in ("and", "or"):
        return all(_walk(a, sign, changed, out) for a in e.args)
    if isinstance(e, core.Op) and e.op == "not":
        return _walk(e.args[0], -sign, changed, out)
    if isinstance(e, core.Op) and e.op == "implies":
        return _walk(e.args[0], -sign, changed, out) and _walk(e.args[1], sign, changed, out)
    if isinstance(e, core.Agg) and e.op in ("all", "any") and e.body is not None:
        where_sign = -sign if e.op == "all" else sign  # forall x where w. b: w implies b
        return (
            not _mentions(e.source, changed)
            and (e.where is None or _walk(e.where, where_sign, changed, out))
            and _walk(e.body, sign, changed, out)
        )
    if isinstance(e, core.Quant):
        return _walk(e.body, sign, changed, out)
    if isinstance(e, core.If):
        return (
            not _mentions(e.cond, changed)
            and _walk(e.then, sign, changed, out)
            and _walk(e.orelse, sign, changed, out)
        )
    if isinstance(e, core.IfSome):
        return (
            not _mentions(e.opt, changed)
            and _walk(e.then, sign, changed, out)
            and _walk(e.orelse, sign, changed, out)
        )
    if isinstance(e, core.Let):
        return not _mentions(e.value, changed) and _walk(e.body, sign, changed, out)
    return not _mentions(e, changed)


def _mentions(e: core.CExpr, changed: set[str]) -> bool:
    return any(isinstance(x, core.Call) and x.func in changed for x in core.walk(e))
