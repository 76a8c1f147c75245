"""Proofs, counterexamples, lint findings, windows and symbolic explanations as text or JSON.

Counterexample inputs are printed as the JSON a user would feed `smallprint ask`
(money as `"US$12.40"`, dates as dates, enum names), so an auditor can replay
them by hand.
"""

from __future__ import annotations

import json

from smallprint.grammar.span import SourceMap
from smallprint.model import core
from smallprint.model.ast import cites_suffix
from smallprint.model.explain_text import failing_json, failing_lines, source_text
from smallprint.model.types import DATE, DATETIME, Type
from smallprint.model.values import Json, encode, show

from .results import (
    ClauseOutcome,
    Counterexample,
    Decided,
    Finding,
    Interval,
    ListBound,
    ProofResult,
    Proved,
    Unknown,
    Violated,
    WhyNot,
    WindowAnswer,
)


def bounds_text(bounds: tuple[ListBound, ...]) -> str:
    if not bounds:
        return ""
    return " (lists up to: " + ", ".join(f"{b.path} <= {b.bound}" for b in bounds) + ")"


def clause_text(c: ClauseOutcome) -> str:
    index = ".".join(str(i) for i in c.index)
    where = " in " + " > ".join(c.site) if c.site else ""
    verdict = "held" if c.held else "did not hold"
    return f"{c.func}: {c.kind} #{index} {verdict} ({c.span}){cites_suffix(c.cites)}{where}"


def counterexample_lines(
    program: core.Program, cex: Counterexample, indent: str = "  ", sources: SourceMap | None = None
) -> list[str]:
    out = [f"{indent}reason: {cex.reason} at {cex.span}"]
    if cex.failing is not None:
        out.extend(failing_lines(program, cex.failing, indent, sources))
    # The inputs the failing part reads come first; the others still follow, since
    # replaying the whole property needs them all.
    reads = set(cex.failing.reads) if cex.failing is not None else set()
    read = [i for i in cex.inputs if i.name in reads] if reads else list(cex.inputs)
    other = [i for i in cex.inputs if i not in read]
    for title, group in (("inputs:", read), ("other inputs (the failing part does not read them):", other)):
        if group:
            out.append(f"{indent}{title}")
        for i in group:
            text = json.dumps(encode(program, i.ty, i.value), indent=2, ensure_ascii=False)
            lines = text.splitlines()
            out.append(f"{indent}  {i.name} = {lines[0]}")
            out.extend(f"{indent}  {' ' * (len(i.name) + 3)}{line}" for line in lines[1:])
    decided = [c for c in cex.clauses if c.held]
    under = set(cex.failing.decided_under) if cex.failing is not None else set()
    inside = [c for c in decided if c.site and c.site[0] in under] if under else decided
    outside = [c for c in decided if c not in inside]
    for title, held in (
        ("clauses that held:", inside),
        ("other clauses that held (outside the failing part):", outside),
    ):
        if held:
            out.append(f"{indent}{title}")
        out.extend(f"{indent}  {clause_text(c)}" for c in held)
    out.append(f"{indent}replayed through the interpreter: {'yes' if cex.replayed else 'no'}")
    if cex.note:
        out.append(f"{indent}note: {cex.note}")
    return out


def proof_lines(program: core.Program, r: ProofResult, sources: SourceMap | None = None) -> list[str]:
    prop = program.properties.get(r.prop if not isinstance(r, Unknown) else r.subject)
    known = prop.findings if prop is not None else ()
    if isinstance(r, Proved):
        if known:
            return [
                f"STALE    {r.prop} ({r.span}): proved, but marked as a finding"
                f"{cites_suffix(known)}: drop the mark"
            ]
        if r.vacuous:
            return [
                f"VACUOUS  {r.prop} ({r.span}){bounds_text(r.bounds)}: no input meets its `where`, "
                "so it holds of nothing (check the assumptions)"
            ]
        return [f"proved   {r.prop} ({r.span}){bounds_text(r.bounds)}"]
    if isinstance(r, Violated):
        label = "finding " if known else "VIOLATED"
        note = f" known finding{cites_suffix(known)}" if known else ""
        head = f"{label} {r.prop} ({r.span}){bounds_text(r.bounds)}{note}"
        return [head, *counterexample_lines(program, r.counterexample, "    ", sources)]
    return [f"UNKNOWN  {r.subject} ({r.span}): {r.reason} (raise --timeout to try longer)"]


def proof_failed(program: core.Program, r: ProofResult) -> bool:
    """Whether the result should fail a build: a new violation, a stale finding, a vacuous
    proof, or unknown."""
    if isinstance(r, Unknown) or (isinstance(r, Proved) and r.vacuous):
        return True
    prop = program.properties.get(r.prop)
    known = bool(prop is not None and prop.findings)
    return isinstance(r, Violated) != known


def clause_json(c: ClauseOutcome) -> dict[str, Json]:
    return {
        "function": c.func,
        "kind": c.kind,
        "index": list(c.index),
        "held": c.held,
        "file": c.span.file,
        "line": c.span.line,
        "cites": [str(x) for x in c.cites],
        "site": list(c.site),
    }


def counterexample_json(
    program: core.Program, cex: Counterexample, sources: SourceMap | None = None
) -> dict[str, Json]:
    return {
        "reason": cex.reason,
        "file": cex.span.file,
        "line": cex.span.line,
        "failing": None if cex.failing is None else failing_json(program, cex.failing, sources),
        "inputs": {i.name: encode(program, i.ty, i.value) for i in cex.inputs},
        "clauses": [clause_json(c) for c in cex.clauses if c.held],
        "replayed": cex.replayed,
        "note": cex.note,
    }


def proof_json(program: core.Program, r: ProofResult, sources: SourceMap | None = None) -> dict[str, Json]:
    if isinstance(r, Unknown):
        return {
            "property": r.subject,
            "status": "unknown",
            "file": r.span.file,
            "line": r.span.line,
            "reason": r.reason,
        }
    prop = program.properties.get(r.prop)
    out: dict[str, Json] = {
        "property": r.prop,
        "status": ("vacuous" if r.vacuous else "proved") if isinstance(r, Proved) else "violated",
        "file": r.span.file,
        "line": r.span.line,
        "bounds": {b.path: b.bound for b in r.bounds},
        "known_finding": [str(c) for c in prop.findings] if prop is not None else [],
        "fails_build": proof_failed(program, r),
    }
    if isinstance(r, Violated):
        out["counterexample"] = counterexample_json(program, r.counterexample, sources)
    return out


def finding_lines(program: core.Program, f: Finding, sources: SourceMap | None = None) -> list[str]:
    out = [f"{f.severity}: {f.kind}: {f.message} ({f.span})"]
    out.extend(f"    note: {label.message} ({label.span})" for label in f.related)
    if f.witness is not None:
        out.extend(counterexample_lines(program, f.witness, "    ", sources))
    return out


def finding_json(program: core.Program, f: Finding, sources: SourceMap | None = None) -> dict[str, Json]:
    out: dict[str, Json] = {
        "kind": f.kind,
        "severity": f.severity,
        "message": f.message,
        "file": f.span.file,
        "line": f.span.line,
        "column": f.span.column,
        "related": [
            {"message": label.message, "file": label.span.file, "line": label.span.line}
            for label in f.related
        ],
    }
    if f.witness is not None:
        out["witness"] = counterexample_json(program, f.witness, sources)
    return out


def _point(program: core.Program, ty: Type, v: int | None) -> str:
    if v is None:
        return "ever" if ty in (DATE, DATETIME) else "unbounded"
    return show(program, ty, v)


def interval_text(program: core.Program, ty: Type, i: Interval) -> str:
    if i.start is not None and i.end is not None and i.start == i.end:
        return f"on {show(program, ty, i.start)}"
    start = "from " + _point(program, ty, i.start) if i.start is not None else "up"
    end = "to " + _point(program, ty, i.end) if i.end is not None else "onwards"
    return f"{start} {end}"


def window_lines(program: core.Program, w: WindowAnswer) -> list[str]:
    if w.never:
        return [f"{w.func} holds for no value of {w.free} (never)"]
    if w.always:
        return [f"{w.func} holds for every value of {w.free} (always)"]
    return [f"{w.func} holds when {w.free} is:"] + [
        f"  {interval_text(program, w.ty, i)}" for i in w.intervals
    ]


def window_json(program: core.Program, w: WindowAnswer) -> dict[str, Json]:
    def point(v: int | None) -> Json:
        return None if v is None else encode(program, w.ty, v)

    return {
        "function": w.func,
        "free": w.free,
        "never": w.never,
        "always": w.always,
        "intervals": [{"from": point(i.start), "to": point(i.end)} for i in w.intervals],
    }


def why_lines(program: core.Program, r: WhyNot | Decided, sources: SourceMap | None = None) -> list[str]:
    if isinstance(r, Decided):
        if r.clause is None:
            return [f"{r.func} = true: no `when` to meet and no exception applied{cites_suffix(r.cites)}"]
        return [f"{r.func} = true, decided by {clause_text(r.clause)}"]
    out = [f"{r.func} = false because of these conditions (a minimal set):"]
    for c in r.conditions:
        verdict = "holds" if c.held else "fails"
        clause = ".".join(map(str, c.clause))
        quoted = source_text(c.span, sources)
        what = f"`{quoted}`" if quoted else f"condition {c.cond}"
        out.append(f"  {c.kind} #{clause}: {what} {verdict} ({c.span}){cites_suffix(c.cites)}")
    return out


def why_json(program: core.Program, r: WhyNot | Decided) -> dict[str, Json]:
    if isinstance(r, Decided):
        return {"function": r.func, "value": True, "clause": clause_json(r.clause) if r.clause else None}
    return {
        "function": r.func,
        "value": False,
        "conditions": [
            {
                "kind": c.kind,
                "clause": list(c.clause),
                "condition": c.cond,
                "held": c.held,
                "file": c.span.file,
                "line": c.span.line,
                "column": c.span.column,
                "cites": [str(x) for x in c.cites],
            }
            for c in r.conditions
        ],
    }
