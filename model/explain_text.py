"""Explanations (model/explain.py) as text for people and as JSON for programs.

The text names what decided the answer first, then every clause in source
order with each condition's outcome: `true`/`false`, the sides of a failed
comparison (and, for a side that is a count or a sum over a list, the elements
it counts or adds), the value an `is some(v)` bound, or `not evaluated` for what
the semantics never read. Conditions are quoted from the source when a
`SourceMap` is given, else located by `file:line:col`.
"""

from __future__ import annotations

from dataclasses import replace

from smallprint.grammar.span import SourceMap, Span
from smallprint.model import core
from smallprint.model.ast import cites_suffix, cites_text
from smallprint.model.core import Value
from smallprint.model.explain import (
    ClauseTrace,
    CondTrace,
    DefExplanation,
    Explanation,
    FailingPart,
    RuleExplanation,
    Tally,
)
from smallprint.model.types import EnumT, ListT, OptT, RecordT, Type
from smallprint.model.values import Json, encode, show

# How each core comparison is written.
OPERATORS = {
    "eq": "==",
    "ne": "!=",
    "lt": "<",
    "le": "<=",
    "gt": ">",
    "ge": ">=",
    "member": "in",
    "in_window": "in",
}
INDENT = "  "


def source_text(span: Span, sources: SourceMap | None) -> str | None:
    """The source an expression was written as (its first line, when it spans several)."""
    if sources is None:
        return None
    line = sources.line(span.file, span.line)
    if line is None or span.column < 1:
        return None
    end = span.end_column - 1 if span.end_line == span.line else len(line)
    text = line[span.column - 1 : end].strip()
    return text + (" ..." if span.end_line != span.line else "") if text else None


def render_text(
    program: core.Program, e: Explanation, sources: SourceMap | None = None, depth: int = 0
) -> str:
    return "\n".join(_lines(program, e, sources, depth))


# The records and lists the outermost explanation shows (`with c = Claim {...}`), by
# name: a call inside it that is given one of them, or a part of one, says where it
# is (`with o = c.order`) rather than printing it again at every level.
_Shown = tuple[tuple[str, Type, Value], ...]


def _place(program: core.Program, shown: _Shown, value: Value, depth: int = 3) -> str | None:
    """Where `value` (a record or a list) sits in the values shown, if it does."""
    for name, ty, v in shown:
        if v == value:
            return name
        if depth == 0 or not isinstance(v, tuple):
            continue
        inner: list[tuple[str, Type, Value]] = []
        if isinstance(ty, RecordT):
            inner = [
                (f"{name}.{fname}", fty, x)
                for (fname, fty), x in zip(program.records[ty.name].fields, v, strict=True)
                if isinstance(x, tuple)
            ]
        elif isinstance(ty, ListT):
            inner = [(f"{name}[{i}]", ty.elem, x) for i, x in enumerate(v) if isinstance(x, tuple)]
        found = _place(program, tuple(inner), value, depth - 1)
        if found is not None:
            return found
    return None


def _lines(
    program: core.Program, e: Explanation, sources: SourceMap | None, depth: int, shown: _Shown = ()
) -> list[str]:
    pad = INDENT * depth
    names = ", ".join(p.name for p in e.params)
    if isinstance(e, RuleExplanation):
        answer = "true" if e.outcome else "false"
    else:
        answer = show(program, e.ret, e.value)
    out = [f"{pad}{e.func}({names}) = {answer}"]
    if e.cites:
        out.append(f"{pad}{INDENT}source: " + cites_text(e.cites))
    for p, v in zip(e.params, e.args, strict=True):
        place = _place(program, shown, v) if shown and isinstance(v, tuple) else None
        if place == p.name:
            place = f"{place} (as above)"
        out.append(f"{pad}{INDENT}with {p.name} = {place or show(program, p.ty, v)}")
    if not shown:
        shown = tuple(
            (p.name, p.ty, v) for p, v in zip(e.params, e.args, strict=True) if isinstance(v, tuple)
        )
    decided = f"{pad}{INDENT}decided by: {e.decided.summary}"
    if e.decided.clause is not None:
        decided += f" at {e.decided.clause.span}{cites_suffix(e.decided.clause.cites)}"
    out.append(decided)
    if isinstance(e, DefExplanation) and e.decided.kind == "otherwise" and e.otherwise_cites:
        out[-1] += cites_suffix(e.otherwise_cites)
    if isinstance(e, DefExplanation) and e.failing is not None:
        out.extend(failing_lines(program, e.failing, pad + INDENT, sources))
    if isinstance(e, DefExplanation) and e.branches:
        out.append(f"{pad}{INDENT}by way of:")
        for cond in e.branches:
            out.extend(condition_lines(program, cond, sources, depth + 2, shown))
    written = (
        [(text, step) for step in e.steps if (text := source_text(step.span, sources))]
        if isinstance(e, DefExplanation)
        else []
    )
    if written:
        out.append(f"{pad}{INDENT}worked out from:")
        out.extend(
            f"{pad}{INDENT}{INDENT}{text} = {show(program, s.ty, s.value)}"
            + (f" ({s.decided_by})" if s.decided_by else "")
            for text, s in written
        )
    clauses = (*e.whens, *e.unlesses) if isinstance(e, RuleExplanation) else e.cases
    for clause in clauses:
        out.extend(_clause_lines(program, clause, sources, depth + 1, shown))
    if isinstance(e, RuleExplanation):
        for o in e.overrides:
            status = "not consulted" if o.held is None else ("holds" if o.held else "does not hold")
            out.append(f"{pad}{INDENT}overridden by `{o.rule}`: {status}")
    return out


def _clause_lines(
    program: core.Program, clause: ClauseTrace, sources: SourceMap | None, depth: int, shown: _Shown
) -> list[str]:
    pad = INDENT * depth
    status = {None: "not evaluated", True: "held", False: "did not hold"}[clause.held]
    out = [f"{pad}{clause.kind} #{clause.index} ({clause.span}): {status}{cites_suffix(clause.cites)}"]
    if clause.held is not None:
        for cond in clause.conds:
            out.extend(condition_lines(program, cond, sources, depth + 1, shown))
    for exc in clause.excepts:
        out.extend(_clause_lines(program, exc, sources, depth + 1, shown))
    return out


def condition_lines(
    program: core.Program, cond: CondTrace, sources: SourceMap | None, depth: int, shown: _Shown = ()
) -> list[str]:
    pad = INDENT * depth
    where = _cond_text(cond, sources) or str(cond.span)
    out = [f"{pad}{where}: {_cond_outcome(program, cond)}"]
    if cond.witness is not None:
        var, k, over = cond.witness
        out.append(f"{pad}{INDENT}by {var} = {source_text(over, sources) or 'the list'}[{k}]")
    out.extend(tally_lines(program, cond, sources, pad + INDENT))
    if cond.callee is not None:
        out.extend(_lines(program, cond.callee, sources, depth + 1, shown))
    for worked in cond.operand_callees:
        out.extend(_lines(program, worked, sources, depth + 1, shown))
    if cond.failing is not None:
        out.extend(failing_lines(program, replace(cond.failing, reads=()), pad + INDENT, sources, "at: "))
    return out


# How many elements a count or sum names before it says how many there are in all.
TALLY_SHOWN = 5


def tally_lines(program: core.Program, cond: CondTrace, sources: SourceMap | None, pad: str) -> list[str]:
    """For each counted or summed side of a comparison, the elements it counts or adds:
    `store_offers_used(cs) = 1 counts: wallet.coupons[8]`, `... = US$45.00 adds:
    cart.stores[0].lines[0] (US$20.00), [1] (US$25.00)`; an element of the same list
    as the one before it is named by its position alone."""
    out = []
    for t in cond.tallies:
        side = source_text(t.span, sources) or ("the left side", "the right side")[t.side]
        names: list[str] = []
        before = None
        for term in t.terms[:TALLY_SHOWN]:
            listed = term.path.removesuffix(f"[{term.index}]") if term.path is not None else None
            listed = listed or source_text(term.over, sources) or "the list"
            name = f"[{term.index}]" if listed == before else f"{listed}[{term.index}]"
            if t.op == "sum":
                name += f" ({show(program, t.ty, term.value)})"
            names.append(name)
            before = listed
        if len(t.terms) > TALLY_SHOWN:
            names.append(f"... ({len(t.terms)} in all)")
        verb = "counts" if t.op == "count" else "adds"
        out.append(f"{pad}{side} = {show(program, t.ty, t.value)} {verb}: {', '.join(names) or 'none'}")
    return out


def _cond_text(cond: CondTrace, sources: SourceMap | None) -> str | None:
    """The condition as written; for one rewritten from its operands, their sources."""
    if cond.by_operands and cond.op is not None and len(cond.operands) == 2:
        left, right = (source_text(o.span, sources) for o in cond.operands)
        pattern = cond.operands[1]
        if right is not None and "|" in right and isinstance(pattern.ty, EnumT):
            right = f"{pattern.ty.name}.{pattern.value}"  # one pattern of an arm `A | B =>`
        if left is not None and right is not None:
            return f"{left} {OPERATORS[cond.op]} {right}"
    return source_text(cond.span, sources)


def _cond_outcome(program: core.Program, cond: CondTrace) -> str:
    if not cond.evaluated:
        return "not evaluated"
    if cond.kind == "bind":
        if cond.value is None:
            return "absent"
        inner = cond.ty.inner if isinstance(cond.ty, OptT) else cond.ty
        return f"present, {cond.var} = {show(program, inner, cond.value)}"
    outcome = "true" if cond.held else "false"
    if cond.op is not None and len(cond.operands) == 2:
        left, right = (show(program, o.ty, o.value) for o in cond.operands)
        outcome += f" ({left} {OPERATORS[cond.op]} {right})"
    return outcome


def to_json(program: core.Program, e: Explanation, sources: SourceMap | None = None) -> Json:
    """The explanation as JSON, values encoded as `model/values.py` encodes input."""
    out: dict[str, Json] = {
        "function": e.func,
        "kind": "rule" if isinstance(e, RuleExplanation) else "def",
        "args": {p.name: encode(program, p.ty, v) for p, v in zip(e.params, e.args, strict=True)},
    }
    if isinstance(e, RuleExplanation):
        out["value"] = e.outcome
    else:
        out["value"] = encode(program, e.ret, e.value)
    out["decided_by"] = {
        "kind": e.decided.kind,
        "summary": e.decided.summary,
        "clause": _clause_json(program, e.decided.clause, sources) if e.decided.clause else None,
        "rule": e.decided.rule,
    }
    if isinstance(e, RuleExplanation):
        out["whens"] = [_clause_json(program, c, sources) for c in e.whens]
        out["unlesses"] = [_clause_json(program, c, sources) for c in e.unlesses]
        out["overridden_by"] = [{"rule": o.rule, "held": o.held} for o in e.overrides]
    else:
        out["cases"] = [_clause_json(program, c, sources) for c in e.cases]
        out["otherwise_cites"] = [str(c) for c in e.otherwise_cites]
        out["failing"] = None if e.failing is None else failing_json(program, e.failing, sources)
        out["branches"] = [condition_json(program, c, sources) for c in e.branches]
        out["steps"] = [
            {
                "expr": source_text(x.span, sources),
                "value": encode(program, x.ty, x.value),
                "at": str(x.span),
                "decided_by": x.decided_by,
            }
            for x in e.steps
        ]
    out["cites"] = [str(c) for c in e.cites]
    out["at"] = str(e.span)
    return out


def _clause_json(program: core.Program, c: ClauseTrace, sources: SourceMap | None) -> Json:
    return {
        "kind": c.kind,
        "index": c.index,
        "at": str(c.span),
        "cites": [str(x) for x in c.cites],
        "held": c.held,
        "conditions": [condition_json(program, x, sources) for x in c.conds],
        "excepts": [_clause_json(program, x, sources) for x in c.excepts],
    }


def condition_json(program: core.Program, c: CondTrace, sources: SourceMap | None) -> Json:
    out: dict[str, Json] = {
        "kind": c.kind,
        "at": str(c.span),
        "text": _cond_text(c, sources),
        "evaluated": c.evaluated,
        "held": c.held,
    }
    if c.evaluated:
        out["value"] = encode(program, c.ty, c.value)
    if c.var is not None:
        out["binds"] = c.var
    if c.op is not None:
        out["op"] = OPERATORS[c.op]
        out["operands"] = [encode(program, o.ty, o.value) for o in c.operands]
    if c.callee is not None:
        out["callee"] = to_json(program, c.callee, sources)
    if c.operand_callees:
        out["operand_callees"] = [to_json(program, e, sources) for e in c.operand_callees]
    if c.failing is not None:
        out["failing"] = failing_json(program, c.failing, sources)
    if c.witness is not None:
        var, k, over = c.witness
        out["witness"] = {"var": var, "index": k, "list": source_text(over, sources)}
    if c.tallies:
        out["tallies"] = [_tally_json(program, t, sources) for t in c.tallies]
    return out


def _tally_json(program: core.Program, t: Tally, sources: SourceMap | None) -> Json:
    """A counted or summed side, with every element it counts or adds (the text stops
    at `TALLY_SHOWN`): where it sits in the inputs (`path`, null when it is in none)
    and its position in the list written as `list`."""
    elements: list[Json] = []
    for term in t.terms:
        element: dict[str, Json] = {
            "path": term.path,
            "list": source_text(term.over, sources),
            "index": term.index,
        }
        if t.op == "sum":
            element["value"] = encode(program, t.ty, term.value)
        elements.append(element)
    return {
        "side": ("left", "right")[t.side],
        "text": source_text(t.span, sources),
        "at": str(t.span),
        "op": t.op,
        "value": encode(program, t.ty, t.value),
        "elements": elements,
    }


def failing_lines(
    program: core.Program,
    part: FailingPart,
    indent: str,
    sources: SourceMap | None,
    head: str = "fails at: ",
) -> list[str]:
    """`fails at: <the deciding part>: false (<what it compared>)`, the definitions and
    the names bound on the way there, and the inputs it reads; for a false `or`, each
    of its operands followed down alike."""
    # the counted and summed sides go below the names bound, which they may use
    first, *rest = condition_lines(program, replace(part.cond, tallies=()), sources, 0)
    if part.cond.held and head == "fails at: ":
        head = "fails as this holds: "  # under a `not`: the part that must not hold
    out = [f"{indent}{head}{first}"]
    out.extend(f"{indent}  {line}" for line in rest)
    if part.through:
        out.append(f"{indent}  in {' > '.join(part.through)}")
    for b in part.bound:
        # A record or a list is named by its place in the inputs (`o.items[1]`), which
        # are shown in full; other values as the source writes them, as the comparison
        # above shows them.
        shown = b.path if isinstance(b.value, tuple) and b.path is not None else show(program, b.ty, b.value)
        out.append(f"{indent}  with {b.name} = {shown}")
    out.extend(tally_lines(program, part.cond, sources, indent + "  "))
    if part.alternatives:
        # the alternatives of a false `or`, or the parts of a true `and` (under a `not`)
        out.append(f"{indent}  " + ("each of these holds:" if part.cond.held else "no alternative holds:"))
        for alternative in part.alternatives:
            out.extend(failing_lines(program, replace(alternative, reads=()), indent + "    ", sources, "- "))
    if part.reads:
        out.append(f"{indent}  reads: {', '.join(part.reads)}")
    return out


def failing_json(program: core.Program, part: FailingPart, sources: SourceMap | None) -> dict[str, Json]:
    return {
        "condition": condition_json(program, part.cond, sources),
        "bound": {b.name: encode(program, b.ty, b.value) for b in part.bound},
        "bound_at": {b.name: b.path for b in part.bound if b.path is not None},
        "reads": list(part.reads),
        "calls": list(part.calls),
        "through": list(part.through),
        "alternatives": [failing_json(program, a, sources) for a in part.alternatives],
    }
