"""Rendering of a semantic diff (`checker/diff.py`) and its gate (`checker/diff_gate.py`)
as text and JSON.

The JSON shape is documented in docs/reports.md and stays stable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from smallprint.grammar.span import SourceMap, Span
from smallprint.model import core
from smallprint.model.ast import cites_suffix
from smallprint.model.explain_text import render_text
from smallprint.model.explain_text import to_json as explanation_json
from smallprint.model.types import DATE, DATETIME
from smallprint.model.values import Json, encode, show

from .diff_domains import EITHER
from .diff_gate import Gate as Gate  # re-exported: `checker/formats.py` reads them here
from .diff_gate import Verdict as Verdict
from .diff_results import (
    ADDED,
    BOTH,
    BROADENED,
    CHANGED,
    EQUIVALENT,
    INCOMPARABLE,
    NARROWED,
    REMOVED,
    STRENGTHENED,
    UNKNOWN,
    WEAKENED,
    WEAKENED_AND_STRENGTHENED,
    Acceptance,
    Declared,
    DiffReport,
    Extreme,
    FunctionDiff,
    InputChange,
    PropertyChange,
    Reading,
    Witness,
)


@dataclass(frozen=True)
class Version:
    """One side of the diff, for rendering: where it came from and how to show its values."""

    label: str
    program: core.Program
    sources: SourceMap
    files: tuple[str, ...] = ()
    git_rev: str | None = None  # files of a version read from git are named `REV:path`


# ---- text -------------------------------------------------------------------------------

_LABEL = {
    EQUIVALENT: "equivalent",
    NARROWED: "NARROWED",
    BROADENED: "BROADENED",
    BOTH: "NARROWED+BROADENED",
    CHANGED: "CHANGED",
    UNKNOWN: "UNKNOWN",
    INCOMPARABLE: "INCOMPARABLE",
}
_WHAT = {
    NARROWED: "held before and no longer does",
    BROADENED: "did not hold before and holds now",
    CHANGED: "gives a different value",
    "appeared": "had no value before and has one now",
    "disappeared": "had a value before and has none now",
}


_RAISE = "; raise --timeout (seconds per question) to try longer"


def where(span: Span) -> str:
    return f"{span.file}:{span.line}"


def _gate_text(v: Verdict) -> str:
    parts = [f"FAILS ({v.shown()})"] if v.gated else []
    parts += [f"allowed {k}: {reason}" for k, reason in v.allowed]
    return "; ".join(parts)


def _status_label(f: FunctionDiff) -> str:
    """The status, and what the solver could not decide beside it (`BROADENED, NARROWED?`):
    a row that fails as unknown says so."""
    label = _LABEL[f.status]
    if f.undecided and f.status != UNKNOWN:
        label += ", " + "/".join(dict.fromkeys(f"{u.question.upper()}?" for u in f.undecided))
    return label


def summary_counts(report: DiffReport) -> dict[str, int]:
    counts = {k: 0 for k in (EQUIVALENT, NARROWED, BROADENED, BOTH, CHANGED, UNKNOWN, INCOMPARABLE)}
    for f in report.functions:
        counts[f.status] += 1
    return counts


def diff_text(old: Version, new: Version, report: DiffReport, g: Gate, verbose: bool = False) -> list[str]:
    counts = summary_counts(report)
    n = len(report.functions)
    said = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items() if v)
    out = [f"smallprint diff {old.label} -> {new.label}"]
    out.append(f"compared {n} rules and definitions in {report.seconds:.1f} s: {said or 'none'}")
    rows: list[tuple[str, str, str, str]] = []
    for f in report.functions:
        if f.status == EQUIVALENT and not verbose:
            continue
        rows.append((_status_label(f), f.name, where(f.new_span), _gate_text(g.verdict(f.name))))
    rows += [("ADDED", d.name, where(d.span), _gate_text(g.verdict(d.name))) for d in report.added]
    rows += [("REMOVED", d.name, where(d.span), _gate_text(g.verdict(d.name))) for d in report.removed]
    rows += [
        ("RENAMED", f"{o.name} -> {n.name}", where(n.span), "ok (same meaning)") for o, n in report.renamed
    ]
    rows += [
        (f"INPUTS {'+'.join(c.kinds).upper()}", c.name, where(c.span), _gate_text(g.verdict(c.name)))
        for c in report.inputs
    ]
    rows += [
        (f"PROPERTY {_PROPERTY_LABEL[p.status]}", p.name, where(p.span), _gate_text(g.verdict(p.name)))
        for p in report.properties
    ]
    if rows:
        out.append("")
        widths = [max(len(r[i]) for r in [("status", "rule", "where", ""), *rows]) for i in range(3)]
        for r in [("status", "rule", "where", "gate"), *rows]:
            line = "  " + "  ".join(x.ljust(w) for x, w in zip(r, widths, strict=False)) + "  " + r[3]
            out.append(line.rstrip())
    else:
        out.append("no difference: every rule, definition and property is equivalent")
    for f in report.functions:
        if f.status != EQUIVALENT:
            out.append("")
            out.extend(function_lines(old, new, f, g.verdict(f.name)))
    if report.inputs:
        out.append("")
        out.append("inputs accepted changed (the rules above are compared on inputs both versions accept):")
        for i in report.inputs:
            out.extend(input_change_lines(old, new, i, "  "))
    if report.properties:
        out.append("")
        out.append(
            "properties changed (as statements: each call they make stands for any value it may give):"
        )
        for p in report.properties:
            out.extend(property_lines(new, p, g.verdict(p.name), "  "))
    if report.constants:
        out.append("")
        out.append("constants changed:")
        for c in report.constants:
            before = show(old.program, c.old_ty, c.old)
            now = show(new.program, c.new_ty, c.new)
            out.append(f"  {c.name}: {before} -> {now} ({where(c.new_span)})")
    if report.assumptions:
        out.append("")
        out.append("fields only one version has (inputs compared with):")
        for a in report.assumptions:
            out.append(f"  {a.record}.{a.field} ({a.version} version only) = {a.treatment}")
    for w in g.warnings:
        out.append(f"warning: {w}")
    out.append("")
    out.append(_result_line(report, g))
    return out


_PROPERTY_LABEL = {
    ADDED: "ADDED",
    REMOVED: "REMOVED",
    WEAKENED: "WEAKENED",
    STRENGTHENED: "STRENGTHENED",
    WEAKENED_AND_STRENGTHENED: "WEAKENED+STRENGTHENED",
    CHANGED: "CHANGED",
    UNKNOWN: "UNKNOWN",
}
_PROPERTY_SAID = {
    ADDED: "only the new version states it",
    REMOVED: "only the old version stated it: nothing checks it now",
    WEAKENED: "some values fail the old statement and satisfy the new one",
    STRENGTHENED: "some values satisfy the old statement and fail the new one",
    CHANGED: "the statement changed and could not be compared",
}
_PROPERTY_WITNESS = {WEAKENED: "fails the old statement, satisfies the new", STRENGTHENED: "the reverse"}


def property_lines(new: Version, p: PropertyChange, v: Verdict, indent: str) -> list[str]:
    """A property added, removed or restated: what changed, and values that show it."""
    said = "; ".join(_PROPERTY_SAID[k] for k in p.kinds if k in _PROPERTY_SAID)
    out = [f"{indent}{p.name} ({where(p.span)}): {'; '.join(p.changes)}" + (f": {said}" if said else "")]
    if p.reason:
        out.append(f"{indent}  cannot read the old statement with the new rules: {p.reason}")
    for k, reason in v.allowed:
        out.append(f"{indent}  allowed ({k}): {reason}")
    for w in p.witnesses:
        note = "" if w.replayed else " (not replayed: it quantifies over every value of an infinite type)"
        out.append(f"{indent}  witness ({_PROPERTY_WITNESS[w.change]}){note}:")
        for i in w.inputs:
            value = json.dumps(encode(new.program, i.ty, i.value), ensure_ascii=False)
            out.append(f"{indent}    {i.name} = {value}")
    for u in p.undecided:
        out.append(f"{indent}  unknown whether it {u.question}: {u.reason}{_RAISE}")
    return out


def property_json(new: Version, p: PropertyChange, v: Verdict) -> dict[str, Json]:
    return {
        "name": p.name,
        "status": p.status,
        "kinds": list(p.kinds),
        "changes": list(p.changes),
        **_span_json(p.span),
        "old": _span_json(p.old_span) if p.old_span is not None else None,
        "witnesses": [
            {
                "change": w.change,
                "inputs": {i.name: encode(new.program, i.ty, i.value) for i in w.inputs},
                "old_holds": w.old_holds,
                "new_holds": w.new_holds,
                "replayed": w.replayed,
            }
            for w in p.witnesses
        ],
        "undecided": [{"question": u.question, "reason": u.reason} for u in p.undecided],
        "reason": p.reason,
        "gate": _verdict_json(v),
    }


def input_change_sentence(c: InputChange) -> str:
    said = {
        NARROWED: "some input accepted before is refused now",
        BROADENED: "some input refused before is accepted now",
        UNKNOWN: "the solver could not tell which inputs",
    }
    return ", and ".join(said[k] for k in c.kinds)


def input_change_lines(old: Version, new: Version, c: InputChange, indent: str) -> list[str]:
    """What changed in the inputs of a record or enum, with a value that shows each
    direction (what each version's interpreter says of it) and why a question is unknown."""
    out = [f"{indent}{c.name} ({where(c.span)}): {'; '.join(c.changes)}: {input_change_sentence(c)}"]
    for w in c.witnesses:
        out.append(f"{indent}  witness ({_WITNESS_INPUTS[w.change]}):")
        shown = json.dumps(encode(new.program, w.new.ty, w.new.value), ensure_ascii=False)
        out.append(f"{indent}    {c.name} = {shown}")
        before = json.dumps(encode(old.program, w.old.ty, w.old.value), ensure_ascii=False)
        if before != shown:
            out.append(f"{indent}    (as the old version reads it: {before})")
        for label, version, a in (("old", old, w.old), ("new", new, w.new)):
            out.append(f"{indent}    {label}: {_acceptance_text(version, a)}")
    for u in c.undecided:
        said = _UNDECIDED_INPUTS.get(u.question, u.question)
        out.append(f"{indent}  unknown whether {said}: {u.reason}{_RAISE if u.question != EITHER else ''}")
    return out


_WITNESS_INPUTS = {NARROWED: "accepted before, refused now", BROADENED: "refused before, accepted now"}
_UNDECIDED_INPUTS = {
    NARROWED: "some input accepted before is refused now",
    BROADENED: "some input refused before is accepted now",
    EITHER: "the inputs accepted changed",
}


def _acceptance_text(version: Version, a: Acceptance) -> str:
    if not a.broken:
        return "accepted"
    parts = []
    for b in a.broken:
        at = f" at `{b.path}`" if b.path else ""
        source = _declaration(version, b.invariant.span)
        quoted = f": {source}" if source else ""
        parts.append(
            f"invariant `{b.record}.{b.invariant.name}`{at} is false ({where(b.invariant.span)}{quoted})"
        )
    return "refused: " + "; ".join(parts)


def _declaration(version: Version, span: Span) -> str | None:
    """The source of a declaration on one line: its first line and the lines indented
    below it (an invariant written over several lines)."""
    first = version.sources.line(span.file, span.line)
    if first is None:
        return None
    depth = len(first) - len(first.lstrip())
    parts = [first.strip()]
    n = span.line + 1
    while (more := version.sources.line(span.file, n)) is not None and len(parts) < 6:
        if (
            not more.strip()
            or len(more) - len(more.lstrip()) <= depth
            or more.lstrip().startswith(("#", "@"))
        ):
            break
        parts.append(more.strip())
        n += 1
    return " ".join(parts)


def _result_line(report: DiffReport, g: Gate) -> str:
    failing = [f"{name} ({v.shown()})" for name, v in g.verdicts.items() if v.gated]
    gate_text = f"--fail-on {','.join(g.fail_on)}"
    if failing:
        return f"FAILED ({gate_text}): " + "; ".join(failing)
    return f"ok ({gate_text}): no gated difference"


def function_lines(old: Version, new: Version, f: FunctionDiff, v: Verdict) -> list[str]:
    head = f"{f.status.replace('_', ' ')}: {f.kind} `{f.name}` ({f.new_span}){cites_suffix(f.cites)}"
    out = [head]
    if f.through:
        how = "its own text changed, and " if f.own_text_changed else ""
        out.append(f"  {how}through: " + ", ".join(f"`{x}`" for x in f.through))
    elif f.own_text_changed:
        out.append("  its own text changed")
    if f.reason:
        out.append(f"  cannot compare: {f.reason}")
    for k, reason in v.allowed:
        out.append(f"  allowed ({k}): {reason}")
    for e in f.extremes:
        out.extend(_extreme_lines(old, new, f, e))
    for w in f.witnesses:
        out.append(
            f"  some input {_WHAT[w.change]}:"
            if not w.component
            else f"  the {w.component} {_WHAT[w.change]}:"
        )
        out.extend(witness_lines(old, new, w, "    "))
    for u in f.undecided:
        out.append(f"  unknown whether it {u.question}: {u.reason}{_RAISE}")
    return out


def _subject(f: FunctionDiff, component: str) -> str:
    return f"the {component} of `{f.name}`" if component else f"`{f.name}`"


def _is_instant(f: FunctionDiff, component: str) -> bool:
    from smallprint.model.types import OptT, WindowT

    ty = f.ret.inner if isinstance(f.ret, OptT) else f.ret
    return isinstance(ty, WindowT) or ty in (DATE, DATETIME)


def extreme_sentence(new: Version, f: FunctionDiff, e: Extreme) -> str:
    text = _extreme_words(new, f, e)
    if e.scope is None or e.status == UNKNOWN:
        return text
    return f"{text} on inputs whose lists hold at most {e.scope} elements (longer ones may move it further)"


def _extreme_words(new: Version, f: FunctionDiff, e: Extreme) -> str:
    later = _is_instant(f, e.component)
    up = e.direction == "increase"
    verb = ("move later" if up else "move earlier") if later else ("rise" if up else "drop")
    subject = _subject(f, e.component)
    if e.status == "never":
        return (
            f"{subject} never {'moves later' if later and up else 'moves earlier' if later else verb + 's'}"
        )
    if e.status == UNKNOWN:
        return f"{subject}: largest {verb} unknown: {e.reason}{_RAISE}"
    if e.status == "unbounded":
        return f"{subject} can {verb} without limit"
    return f"{subject} can {verb} by up to {show(new.program, e.amount_ty, e.amount)}"


def _extreme_lines(old: Version, new: Version, f: FunctionDiff, e: Extreme) -> list[str]:
    text = extreme_sentence(new, f, e)
    if e.witness is None:
        return [f"  {text}"]
    w = e.witness
    amount = ""
    if e.status == "unbounded" and w.amount is not None and w.amount_ty is not None:
        amount = f" (here by {show(new.program, w.amount_ty, abs(w.amount))})"  # type: ignore[arg-type]
    return [f"  {text}{amount}: witness", *witness_lines(old, new, w, "    ")]


def _inputs_lines(version: Version, r: Reading, indent: str) -> list[str]:
    out = []
    for i in r.inputs:
        out.append(
            f"{indent}{i.name} = {json.dumps(encode(version.program, i.ty, i.value), ensure_ascii=False)}"
        )
    return out


def witness_lines(old: Version, new: Version, w: Witness, indent: str) -> list[str]:
    out = _inputs_lines(new, w.new, indent)
    old_inputs = _inputs_lines(old, w.old, indent)
    if [x.split(" = ", 1)[1] for x in old_inputs] != [x.split(" = ", 1)[1] for x in out]:
        out.append(f"{indent}(as the old version reads it:)")
        out.extend(old_inputs)
    for label, version, r in (("old", old, w.old), ("new", new, w.new)):
        out.append(f"{indent}{label}: {show(version.program, r.ty, r.value)}")
        # The first line repeats the call, `with` lines the inputs and `source` the header's cites.
        text = render_text(version.program, r.explanation, version.sources).splitlines()[1:]
        out.extend(indent + line for line in text if not line.lstrip().startswith(("with ", "source: ")))
    return out


# ---- JSON -------------------------------------------------------------------------------


def _span_json(span: Span) -> dict[str, Json]:
    return {"file": span.file, "line": span.line, "column": span.column}


def _reading_json(version: Version, r: Reading) -> dict[str, Json]:
    return {
        "inputs": {i.name: encode(version.program, i.ty, i.value) for i in r.inputs},
        "value": encode(version.program, r.ty, r.value),
        "explanation": explanation_json(version.program, r.explanation, version.sources),
    }


def witness_json(old: Version, new: Version, w: Witness) -> dict[str, Json]:
    amount: Json = None
    if w.amount is not None and w.amount_ty is not None:
        amount = encode(new.program, w.amount_ty, w.amount)
    return {
        "change": w.change,
        "component": w.component or None,
        "amount": amount,
        "old": _reading_json(old, w.old),
        "new": _reading_json(new, w.new),
    }


def _extreme_json(old: Version, new: Version, f: FunctionDiff, e: Extreme) -> dict[str, Json]:
    return {
        "component": e.component or None,
        "direction": e.direction,
        "status": e.status,
        "amount": encode(new.program, e.amount_ty, e.amount) if e.amount is not None else None,
        "text": extreme_sentence(new, f, e),
        "reason": e.reason,
        "lists_up_to": e.scope,
        "witness": witness_json(old, new, e.witness) if e.witness else None,
    }


def _verdict_json(v: Verdict) -> dict[str, Json]:
    return {
        "fails_build": bool(v.gated),
        "gated": list(v.gated),
        "allowed": [{"change": k, "reason": r} for k, r in v.allowed],
    }


def function_json(old: Version, new: Version, f: FunctionDiff, v: Verdict) -> dict[str, Json]:
    return {
        "name": f.name,
        "kind": f.kind,
        "status": f.status,
        "changes": list(f.changes),
        **_span_json(f.new_span),
        "old": _span_json(f.old_span),
        "cites": [str(c) for c in f.cites],
        "own_text_changed": f.own_text_changed,
        "through": list(f.through),
        "witnesses": [witness_json(old, new, w) for w in f.witnesses],
        "largest_changes": [_extreme_json(old, new, f, e) for e in f.extremes],
        "undecided": [{"question": u.question, "reason": u.reason} for u in f.undecided],
        "reason": f.reason,
        "gate": _verdict_json(v),
    }


def _declared_json(d: Declared, change: str, v: Verdict) -> dict[str, Json]:
    return {
        "name": d.name,
        "kind": d.kind,
        **_span_json(d.span),
        "counts_as": d.reading(change),
        "gate": _verdict_json(v),
    }


def _acceptance_json(version: Version, a: Acceptance) -> dict[str, Json]:
    return {
        "value": encode(version.program, a.ty, a.value),
        "accepted": not a.broken,
        "broken": [
            {
                "record": b.record,
                "invariant": b.invariant.name,
                "path": b.path,
                **_span_json(b.invariant.span),
            }
            for b in a.broken
        ],
    }


def diff_json(old: Version, new: Version, report: DiffReport, g: Gate) -> dict[str, Json]:
    counts: dict[str, Json] = dict(summary_counts(report))
    counts["compared"] = len(report.functions)
    counts["added"] = len(report.added)
    counts["removed"] = len(report.removed)
    counts["renamed"] = len(report.renamed)
    counts["properties"] = len(report.properties)
    counts["gated"] = sum(1 for v in g.verdicts.values() if v.gated)
    return {
        "status": "failed" if g.failed else "ok",
        "old": {"path": old.label, "files": list(old.files)},
        "new": {"path": new.label, "files": list(new.files)},
        "fail_on": list(g.fail_on),
        "summary": counts,
        "functions": [function_json(old, new, f, g.verdict(f.name)) for f in report.functions],
        "added": [_declared_json(d, ADDED, g.verdict(d.name)) for d in report.added],
        "removed": [_declared_json(d, REMOVED, g.verdict(d.name)) for d in report.removed],
        "renamed": [
            {"old": o.name, "new": n.name, "kind": n.kind, **_span_json(n.span)} for o, n in report.renamed
        ],
        "inputs": [
            {
                "name": c.name,
                "kinds": list(c.kinds),
                "changes": list(c.changes),
                **_span_json(c.span),
                "witnesses": [
                    {
                        "change": w.change,
                        "old": _acceptance_json(old, w.old),
                        "new": _acceptance_json(new, w.new),
                    }
                    for w in c.witnesses
                ],
                "undecided": [{"question": u.question, "reason": u.reason} for u in c.undecided],
                "gate": _verdict_json(g.verdict(c.name)),
            }
            for c in report.inputs
        ],
        "properties": [property_json(new, p, g.verdict(p.name)) for p in report.properties],
        "constants": [
            {
                "name": c.name,
                "old": encode(old.program, c.old_ty, c.old),
                "new": encode(new.program, c.new_ty, c.new),
                **_span_json(c.new_span),
            }
            for c in report.constants
        ],
        "assumptions": [
            {"record": a.record, "field": a.field, "version": a.version, "treatment": a.treatment}
            for a in report.assumptions
        ],
        "warnings": list(g.warnings),
    }
