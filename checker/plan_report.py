"""Plan results (`checker/optimize.py`) as text for people and JSON for programs."""

from __future__ import annotations

from fractions import Fraction

from smallprint.grammar.span import SourceMap
from smallprint.model import core
from smallprint.model.ast import cites_suffix
from smallprint.model.explain_text import failing_json, failing_lines
from smallprint.model.types import Type
from smallprint.model.values import Json, encode, show

from .plan_result import ChosenValue, ObjectiveValue, PlanResult, ReportedRow, Unused


def _objective(program: core.Program, o: ObjectiveValue) -> str:
    return f"{o.direction} {o.text} = {show(program, o.ty, o.value)}"


def _difference(program: core.Program, ty: Type, d: int | Fraction) -> str:
    sign = "+" if d >= 0 else "-"
    return sign + show(program, ty, abs(d))


def unused_text(program: core.Program, u: Unused) -> str:
    who = u.choice.text.rsplit(".", 1)[0] + (f" ({u.choice.label})" if u.choice.label else "")
    if u.kind == "excluded":
        if not u.requires:
            return f"{who}: cannot be chosen"
        why = "; ".join(r.text + cites_suffix(r.cites) + f" at {r.span}" for r in u.requires)
        return f"{who}: excluded by {why}"
    if u.kind == "worse" and not u.best_with:
        return f"{who}: a better plan exists without it (the best plan using it was not found in time)"
    if u.kind in ("worse", "tie") and u.best_with:
        best = ", ".join(f"{o.text} = {show(program, o.ty, o.value)}" for o in u.best_with)
        trade = _trade(u)
        if u.kind == "tie":
            return f"{who}: an equally good plan uses it ({best}){trade}"
        assert u.difference is not None
        worse = _worse(program, u)
        return f"{who}: a better plan exists without it; the best plan using it has {best} ({worse}){trade}"
    return f"{who}: the solver could not tell why (timeout)"


def _worse(program: core.Program, u: Unused) -> str:
    """How much worse the best plan using it is: on the first objective (`+US$4.50`), or,
    when that is the same, on the objective that ranks it below (`the same cash;
    count(...) = 2 against 1`)."""
    first = u.best_with[0]
    if u.worse_on is None or u.worse_on[0] == 0:
        assert u.difference is not None
        return f"{first.text} {_difference(program, first.ty, u.difference)}"
    k, against = u.worse_on
    o = u.best_with[k]
    earlier = ", ".join(e.text for e in u.best_with[:k])
    return (
        f"the same {earlier}; {o.text} = {show(program, o.ty, o.value)} "
        f"against {show(program, o.ty, against)}"
    )


def _trade(u: Unused) -> str:
    """`; it gives up A, B and takes C`: how the best plan using it differs otherwise."""
    parts = []
    if u.drops:
        parts.append("gives up " + ", ".join(_name(c) for c in u.drops))
    if u.adds:
        parts.append("takes " + ", ".join(_name(c) for c in u.adds))
    return "; it " + " and ".join(parts) if parts else ""


def _name(c: ChosenValue) -> str:
    return c.label or c.text.rsplit(".", 1)[0]


def row_text(row: ReportedRow) -> str:
    """`cart.stores[0].lines[1] (store 2001, no 2)`: the places of a row's elements, less
    those a later one is inside of, then how a person finds each."""
    shown = [
        place
        for i, place in enumerate(row.at)
        if not any(later.startswith(place + ".") for later in row.at[i + 1 :])
    ]
    labels = [label for label in row.labels if label]
    return ", ".join(shown) + (f" ({', '.join(labels)})" if labels else "")


def plan_text(program: core.Program, r: PlanResult, sources: SourceMap | None = None) -> list[str]:
    head = {
        "optimal": "optimal (proved)",
        "infeasible": "no plan satisfies the requires",
        "unknown": "unknown",
    }
    out = [f"plan {r.plan}: {head[r.status]}"]
    if r.status == "infeasible":
        out.append(f"  {r.proof}")
        return out
    if r.chosen:
        out.append("  chosen:")
        for c in r.chosen:
            label = f"  ({c.label})" if c.label else ""
            out.append(f"    {c.text} = {show(program, c.ty, c.value)}{label}")
    for name, ty, value in r.lets:
        out.append(f"  {name} = {show(program, ty, value)}")
    for each in r.each:
        out.append(f"  {each.name}:" + ("" if each.rows else " (no element)"))
        for row in each.rows:
            out.append(f"    {row_text(row)} = {show(program, each.ty, row.value)}")
    out.append("  objectives: " + "; then ".join(_objective(program, o) for o in r.objectives))
    out.append(f"  proof: {r.proof}")
    if r.unused:
        out.append("  not used:")
        for u in r.unused:
            out.append(f"    {unused_text(program, u)}")
            if u.example is not None:
                out.append("      used alone:" if u.example_alone else "      with it added to the plan:")
                out.extend(failing_lines(program, u.example, "        ", sources))
        untold = sum(u.kind == "unknown" or (u.kind == "worse" and not u.best_with) for u in r.unused)
        if untold:
            out.append(
                f"  {untold} of {len(r.unused)} unused not explained in full in time "
                "(raise --timeout; the plan and its proof do not depend on them)"
            )
    if r.reason:
        out.append(f"  solver: {r.reason}")
    calls = f"{r.solver_calls} solver call{'s' if r.solver_calls != 1 else ''}"
    out.append(f"  ({calls}, {r.milliseconds:.0f} ms)")
    return out


def plan_json(program: core.Program, r: PlanResult, sources: SourceMap | None = None) -> dict[str, Json]:
    def objective(o: ObjectiveValue) -> Json:
        return {"objective": o.text, "direction": o.direction, "value": encode(program, o.ty, o.value)}

    unused: list[Json] = []
    for u in r.unused:
        item: dict[str, Json] = {"choice": u.choice.text, "label": u.choice.label, "reason": u.kind}
        if u.requires:
            item["requires"] = [
                {"text": q.text, "cites": [str(c) for c in q.cites], "file": q.span.file, "line": q.span.line}
                for q in u.requires
            ]
        if u.best_with:
            item["best_with"] = [objective(o) for o in u.best_with]
        if u.difference is not None and u.best_with:
            item["difference"] = encode(program, u.best_with[0].ty, u.difference)
            item["gives_up"] = [{"choice": c.text, "label": c.label} for c in u.drops]
            item["takes"] = [{"choice": c.text, "label": c.label} for c in u.adds]
        if u.worse_on is not None and u.best_with:
            k, against = u.worse_on
            o = u.best_with[k]
            item["worse_on"] = {
                "objective": o.text,
                "with_it": encode(program, o.ty, o.value),
                "optimum": encode(program, o.ty, against),
            }
        if u.example is not None:
            item["example"] = failing_json(program, u.example, sources)
            item["example_plan"] = "alone" if u.example_alone else "with_optimum"
        item["text"] = unused_text(program, u)
        unused.append(item)
    return {
        "plan": r.plan,
        "status": r.status,
        "chosen": [
            {"choice": c.text, "label": c.label, "value": encode(program, c.ty, c.value)} for c in r.chosen
        ],
        "lets": {name: encode(program, ty, value) for name, ty, value in r.lets},
        "each": {
            each.name: [
                {"at": list(row.at), "labels": list(row.labels), "value": encode(program, each.ty, row.value)}
                for row in each.rows
            ]
            for each in r.each
        },
        "objectives": [objective(o) for o in r.objectives],
        "proof": r.proof,
        "unused": unused,
        "solver_calls": r.solver_calls,
        "reason": r.reason,
    }
