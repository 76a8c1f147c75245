"""CI formats for `check` and `diff`: SARIF 2.1.0 and JUnit XML.

SARIF is for code-review annotations: one result per problem, located at the
rule's, property's or test's file:line (URIs relative to `%SRCROOT%`, the
working directory, as every smallprint message names files), with a stable
rule id (`smallprint/property-violated`, `smallprint/diff-narrowed`, ...) and
a fingerprint per subject so that a tool can follow a result across runs.
A result's level says whether it fails the build (`error`) or not; a change
let through by the allow list is a suppressed result with the reason as its
justification. tests/test_formats.py validates the output against the
official 2.1.0 schema.

JUnit is for test dashboards: one test case per embedded test, property, lint
finding (check) and per rule or definition compared, added or removed (diff).
A case fails exactly when its subject fails the build; everything else a
person should read (known findings, warnings, allowed changes) is in
`system-out`.

Both are built from the same result objects the text and JSON renderers use.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import quote

from smallprint.grammar.span import Label, SourceMap, Span
from smallprint.model import core
from smallprint.model.testrun import ERROR, FAILED, TestResult

from .diff_report import (
    Gate,
    Verdict,
    Version,
    extreme_sentence,
    function_lines,
    input_change_lines,
    property_lines,
    witness_lines,
)
from .diff_results import (
    ADDED,
    BROADENED,
    CHANGED,
    EQUIVALENT,
    INCOMPARABLE,
    NARROWED,
    REMOVED,
    UNKNOWN,
    DiffReport,
    FunctionDiff,
)
from .results import Finding, ProofResult, Proved, Unknown, Violated
from .verify_report import counterexample_lines, proof_failed

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFO_URI = "https://github.com/smallprint-lang/smallprint"
SRCROOT = "%SRCROOT%"

# rule id -> (short description, default level)
CHECK_RULES: dict[str, tuple[str, str]] = {
    "smallprint/test-failed": ("An embedded test's expectation does not hold.", "error"),
    "smallprint/test-error": (
        "An embedded test could not run (evaluation error or a given breaks an invariant).",
        "error",
    ),
    "smallprint/property-violated": (
        "A property has a counterexample, replayed through the interpreter.",
        "error",
    ),
    "smallprint/property-known-finding": (
        "A property the policy text itself breaks, as recorded with @finding.",
        "note",
    ),
    "smallprint/property-stale-finding": (
        "A property marked as a known finding is now proved: drop the mark.",
        "error",
    ),
    "smallprint/property-unknown": ("The solver gave up on a property: it is not proved.", "error"),
    "smallprint/fixture-failed": (
        "A saved counterexample (fixtures/) no longer gives the answer it records.",
        "error",
    ),
    "smallprint/property-vacuous": (
        "A property holds only because no input meets its `where`: it says nothing.",
        "error",
    ),
}
LINT_KINDS = (
    "dead_rule",
    "dead_clause",
    "subsumed_clause",
    "conflict",
    "window_order",
    "runtime_error",
    "unknown",
)
for _kind in LINT_KINDS:
    CHECK_RULES[f"smallprint/lint-{_kind.replace('_', '-')}"] = (
        f"Lint finding: {_kind.replace('_', ' ')}.",
        "warning",
    )

DIFF_RULES: dict[str, tuple[str, str]] = {
    "smallprint/diff-narrowed": ("Some input held before the change and no longer does.", "error"),
    "smallprint/diff-broadened": ("Some input did not hold before the change and holds now.", "warning"),
    "smallprint/diff-changed": ("A definition gives a different value on some input.", "warning"),
    "smallprint/diff-added": ("A rule or definition only the new version has.", "note"),
    "smallprint/diff-removed": ("A rule or definition only the old version has.", "note"),
    "smallprint/diff-unknown": (
        "The solver gave up comparing a rule: it is not known to be equivalent.",
        "error",
    ),
    "smallprint/diff-incomparable": ("The two versions' signatures cannot take the same input.", "warning"),
    "smallprint/diff-property": ("A property added, removed, weakened or strengthened.", "warning"),
}


def _tool_version() -> str:
    try:
        return version("smallprint")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0"


# ---- SARIF plumbing ------------------------------------------------------------------------


def uri_of(file: str, strip: str | None = None) -> tuple[str, str | None]:
    """(uri, uriBaseId) of a file as smallprint names it (relative to the working directory)."""
    if strip and file.startswith(strip):
        file = file[len(strip) :]
    p = Path(file)
    if p.is_absolute():
        return p.as_uri(), None
    return quote(p.as_posix()), SRCROOT


def location(span: Span, message: str | None = None, strip: str | None = None) -> dict[str, object]:
    """A SARIF location. `strip`: the `REV:` prefix of files read at a git revision; such a
    place is shown as its file alone, since its lines are that revision's, not the file's
    as checked out (a code host would annotate unrelated lines)."""
    uri, base = uri_of(span.file, strip)
    artifact: dict[str, object] = {"uri": uri}
    if base is not None:
        artifact["uriBaseId"] = base
    physical: dict[str, object] = {"artifactLocation": artifact}
    elsewhere = strip is not None and span.file.startswith(strip)
    if elsewhere:
        message = f"{message} ({span})" if message else str(span)
    if span.line >= 1 and not elsewhere:
        region: dict[str, object] = {"startLine": span.line}
        if span.column >= 1:
            region["startColumn"] = span.column
        if span.end_line >= span.line:
            region["endLine"] = span.end_line
            if span.end_column >= 1 and (span.end_line > span.line or span.end_column > span.column):
                region["endColumn"] = span.end_column
        physical["region"] = region
    out: dict[str, object] = {"physicalLocation": physical}
    if message:
        out["message"] = {"text": message}
    return out


def _rules_json(rules: dict[str, tuple[str, str]]) -> list[dict[str, object]]:
    return [
        {
            "id": rid,
            "name": "".join(w.capitalize() for w in rid.split("/", 1)[1].split("-")),
            "shortDescription": {"text": text},
            "defaultConfiguration": {"level": level},
        }
        for rid, (text, level) in rules.items()
    ]


@dataclass
class _Sarif:
    rules: dict[str, tuple[str, str]]

    def __post_init__(self) -> None:
        self.index = {rid: i for i, rid in enumerate(self.rules)}
        self.results: list[dict[str, object]] = []

    def add(
        self,
        rule: str,
        level: str,
        text: str,
        span: Span,
        subject: str,
        related: Sequence[dict[str, object]] = (),
        strip: str | None = None,
        suppressed: str | None = None,
        properties: dict[str, object] | None = None,
    ) -> None:
        result: dict[str, object] = {
            "ruleId": rule,
            "ruleIndex": self.index[rule],
            "level": level,
            "message": {"text": text},
            "locations": [location(span, strip=strip)],
            "partialFingerprints": {"smallprintSubject/v1": f"{rule}:{subject}"},
        }
        if related:
            result["relatedLocations"] = [dict(r, id=i) for i, r in enumerate(related, 1)]
        if suppressed is not None:
            result["suppressions"] = [{"kind": "external", "justification": suppressed}]
        if properties:
            result["properties"] = properties
        self.results.append(result)

    def log(self, command: str, exit_code: int) -> dict[str, object]:
        return {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "smallprint",
                            "version": _tool_version(),
                            "informationUri": INFO_URI,
                            "rules": _rules_json(self.rules),
                        }
                    },
                    "automationDetails": {"id": f"smallprint/{command}/"},
                    "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().resolve().as_uri() + "/"}},
                    "invocations": [{"executionSuccessful": True, "exitCode": exit_code}],
                    "columnKind": "unicodeCodePoints",
                    "results": self.results,
                }
            ],
        }


def dump_sarif(log: dict[str, object]) -> str:
    return json.dumps(log, indent=2, ensure_ascii=False)


# ---- check ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckRun:
    """What `check` found in one policy: the same objects its JSON report is built from."""

    path: str
    program: core.Program
    sources: SourceMap
    tests: tuple[TestResult, ...]
    proofs: tuple[ProofResult, ...]
    findings: tuple[Finding, ...]
    # saved counterexamples replayed (`fixtures/*.json`): file, passed, what happened
    fixtures: tuple[tuple[str, bool, str], ...] = ()


def _known(program: core.Program, r: ProofResult) -> tuple[object, ...]:
    name = r.subject if isinstance(r, Unknown) else r.prop
    prop = program.properties.get(name)
    return prop.findings if prop is not None else ()


def _proof_rule(program: core.Program, r: ProofResult) -> str | None:
    if isinstance(r, Unknown):
        return "smallprint/property-unknown"
    known = bool(_known(program, r))
    if isinstance(r, Violated):
        return "smallprint/property-known-finding" if known else "smallprint/property-violated"
    if known:
        return "smallprint/property-stale-finding"
    return "smallprint/property-vacuous" if r.vacuous else None


def _proof_text(program: core.Program, r: ProofResult, sources: SourceMap) -> str:
    if isinstance(r, Unknown):
        return f"property `{r.subject}`: unknown ({r.reason}); raise --timeout to try longer"
    if isinstance(r, Proved) and not _known(program, r):
        return f"property `{r.prop}` holds vacuously: no input meets its `where`"
    if isinstance(r, Proved):
        return f"property `{r.prop}` is proved but marked as a known finding: drop the mark"
    lines = counterexample_lines(program, r.counterexample, "", sources)
    head = "known finding" if _known(program, r) else "violated"
    return f"property `{r.prop}` {head}:\n" + "\n".join(lines)


def _test_text(r: TestResult) -> str:
    if r.status == ERROR and r.error is not None:
        said = [e.message + (f" ({e.hint})" if e.hint else "") for e in r.errors or (r.error,)]
        return f'test "{r.title}" could not run: ' + "\n".join(said)
    parts = [f'test "{r.title}" failed:']
    parts += [f"{f.span}: {f.message}" for f in r.failures]
    return "\n".join(parts)


def _lint_level(f: Finding) -> str:
    return {"error": "error", "warning": "warning"}.get(f.severity, "note")


def _lint_text(f: Finding) -> str:
    return f"{f.kind.replace('_', ' ')}: {f.message}"


def _related(labels: Sequence[Label]) -> list[dict[str, object]]:
    return [location(label.span, label.message) for label in labels]


def check_sarif(runs: Sequence[CheckRun], exit_code: int) -> dict[str, object]:
    s = _Sarif(CHECK_RULES)
    for run in runs:
        for t in run.tests:
            if t.status in (FAILED, ERROR):
                rule = "smallprint/test-failed" if t.status == FAILED else "smallprint/test-error"
                span = t.failures[0].span if t.failures else (t.error.span if t.error else t.span)
                related = [location(t.span, "the test")] if span != t.span else []
                s.add(rule, "error", _test_text(t), span, f"{run.path}:{t.title}", related)
        for file, ok, message in run.fixtures:
            if not ok:
                s.add(
                    "smallprint/fixture-failed",
                    "error",
                    message,
                    Span(file, 1, 1, 1, 2),
                    f"{run.path}:{file}",
                )
        for r in run.proofs:
            pid = _proof_rule(run.program, r)
            if pid is None:
                continue
            level = "error" if proof_failed(run.program, r) else "note"
            name = r.subject if isinstance(r, Unknown) else r.prop
            s.add(pid, level, _proof_text(run.program, r, run.sources), r.span, f"{run.path}:{name}")
        for f in run.findings:
            rule = f"smallprint/lint-{f.kind.replace('_', '-')}"
            if rule not in s.index:
                rule = "smallprint/lint-unknown"
            s.add(
                rule,
                _lint_level(f),
                _lint_text(f),
                f.span,
                f"{run.path}:{f.kind}:{f.span}",
                _related(f.related),
            )
    return s.log("check", exit_code)


def _suite(parent: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(parent, "testsuite", {"name": name})


def _case(suite: ET.Element, name: str, classname: str, span: Span) -> ET.Element:
    attrs = {"name": name, "classname": classname, "file": span.file, "line": str(span.line), "time": "0"}
    return ET.SubElement(suite, "testcase", attrs)


def _fail(case: ET.Element, tag: str, kind: str, message: str, text: str) -> None:
    el = ET.SubElement(case, tag, {"type": kind, "message": message})
    el.text = text


def _out(case: ET.Element, text: str) -> None:
    ET.SubElement(case, "system-out").text = text


def _xml(root: ET.Element) -> str:
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        suite.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
        suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
        suite.set("time", "0")
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in root.iter("testsuite"))))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def check_junit(runs: Sequence[CheckRun]) -> str:
    root = ET.Element("testsuites", {"name": "smallprint check"})
    for run in runs:
        tests = _suite(root, f"{run.path}: tests")
        for t in run.tests:
            case = _case(tests, f'test "{t.title}"', f"{run.path}.{t.module}", t.span)
            if t.status == FAILED:
                _fail(
                    case,
                    "failure",
                    "test-failed",
                    t.failures[0].message if t.failures else "failed",
                    _test_text(t),
                )
            elif t.status == ERROR:
                _fail(case, "error", "test-error", t.error.message if t.error else "error", _test_text(t))
        if run.fixtures:
            saved = _suite(root, f"{run.path}: fixtures")
            for file, ok, message in run.fixtures:
                case = _case(saved, f"fixture {file}", f"{run.path}.fixtures", Span(file, 1, 1, 1, 2))
                if not ok:
                    _fail(case, "failure", "fixture-failed", message, message)
        props = _suite(root, f"{run.path}: properties")
        for r in run.proofs:
            name = r.subject if isinstance(r, Unknown) else r.prop
            case = _case(props, f"property {name}", f"{run.path}.properties", r.span)
            text = _proof_text(run.program, r, run.sources)
            if isinstance(r, Unknown):
                _fail(case, "error", "property-unknown", r.reason, text)
            elif proof_failed(run.program, r):
                rule = _proof_rule(run.program, r) or "property"
                _fail(case, "failure", rule.split("/")[1], text.splitlines()[0].rstrip(":"), text)
            elif isinstance(r, Violated):
                _out(case, text)
        lint = _suite(root, f"{run.path}: lint")
        for f in run.findings:
            case = _case(lint, f"{f.kind} at {f.span}", f"{run.path}.lint", f.span)
            if f.severity == "error":
                _fail(case, "failure", f.kind, f.message, _lint_text(f))
            else:
                _out(case, f"{f.severity}: {_lint_text(f)}")
    return _xml(root)


# ---- diff ---------------------------------------------------------------------------------------

_DIFF_RULE = {
    NARROWED: "smallprint/diff-narrowed",
    BROADENED: "smallprint/diff-broadened",
    CHANGED: "smallprint/diff-changed",
    ADDED: "smallprint/diff-added",
    REMOVED: "smallprint/diff-removed",
    UNKNOWN: "smallprint/diff-unknown",
    INCOMPARABLE: "smallprint/diff-incomparable",
}


def _level(kind: str, v: Verdict) -> tuple[str, str | None]:
    """(level, suppression justification) of one kind of change of one subject."""
    allowed = dict(v.allowed)
    if kind in allowed:
        return "note", allowed[kind]
    if kind in v.gated:
        return "error", None
    return ("note" if kind in (ADDED, REMOVED) else "warning"), None


def _diff_message(old: Version, new: Version, f: FunctionDiff, kind: str) -> str:
    if kind in (NARROWED, BROADENED, CHANGED):
        lines = [f"`{f.name}` {kind}"]
        lines += [extreme_sentence(new, f, e) for e in f.extremes if e.status != "never"]
        for w in f.witnesses:
            if kind != CHANGED and w.change != kind:
                continue
            lines.append("witness:")
            lines += witness_lines(old, new, w, "  ")[:40]
        return "\n".join(lines)
    return "\n".join(function_lines(old, new, f, Verdict()))


def _strip(old: Version) -> str | None:
    return f"{old.git_rev}:" if old.git_rev else None


def diff_sarif(
    old: Version, new: Version, report: DiffReport, g: Gate, exit_code: int = 0
) -> dict[str, object]:
    s = _Sarif(DIFF_RULES)
    strip = _strip(old)
    for f in report.functions:
        if f.status == EQUIVALENT:
            continue
        v = g.verdict(f.name)
        related = [location(f.old_span, "the old version", strip)]
        for w in f.witnesses[:1]:
            clause = w.new.explanation.decided.clause
            if clause is not None:
                related.append(location(clause.span, "what decided in the new version"))
        for kind in f.kinds:
            level, why = _level(kind, v)
            s.add(
                _DIFF_RULE[kind],
                level,
                _diff_message(old, new, f, kind),
                f.new_span,
                f.name,
                related,
                suppressed=why,
                properties={"status": f.status, "through": list(f.through)},
            )
    for d in report.added:
        level, why = _level(ADDED, g.verdict(d.name))
        s.add(_DIFF_RULE[ADDED], level, f"{d.kind} `{d.name}` is new", d.span, d.name, suppressed=why)
    for d in report.removed:
        level, why = _level(REMOVED, g.verdict(d.name))
        s.add(
            _DIFF_RULE[REMOVED],
            level,
            f"{d.kind} `{d.name}` was removed (it was at {d.span})",
            d.span,
            d.name,
            strip=strip,
            suppressed=why,
        )
    for c in report.inputs:
        for kind in c.kinds:
            level, why = _level(kind, g.verdict(c.name))
            message = "inputs of " + "\n".join(input_change_lines(old, new, c, ""))
            s.add(_DIFF_RULE[kind], level, message, c.span, c.name, suppressed=why)
    for p in report.properties:
        v = g.verdict(p.name)
        why = v.allowed[0][1] if v.allowed and not v.gated else None
        level = "error" if v.gated else "note" if why is not None else "warning"
        text = "property " + "\n".join(property_lines(new, p, v, ""))
        s.add(
            "smallprint/diff-property",
            level,
            text,
            p.span,
            p.name,
            strip=strip if p.kinds == (REMOVED,) else None,
            suppressed=why,
        )
    return s.log("diff", 1 if g.failed else exit_code)


def diff_junit(old: Version, new: Version, report: DiffReport, g: Gate) -> str:
    root = ET.Element("testsuites", {"name": "smallprint diff"})
    suite = _suite(root, f"diff {old.label} -> {new.label}")
    for f in report.functions:
        case = _case(suite, f"{f.kind} {f.name}", f"{new.label}.{f.kind}", f.new_span)
        if f.status == EQUIVALENT:
            continue
        v = g.verdict(f.name)
        text = "\n".join(function_lines(old, new, f, v))
        if v.gated:
            first = f"{f.name}: {v.shown()} (--fail-on {','.join(g.fail_on)})"
            _fail(case, "failure", v.gated[0], first, text)
        else:
            _out(case, text)
    for c in report.inputs:
        case = _case(suite, f"inputs {c.name}", f"{new.label}.inputs", c.span)
        v = g.verdict(c.name)
        text = "inputs of " + "\n".join(input_change_lines(old, new, c, ""))
        if v.gated:
            _fail(case, "failure", v.gated[0], f"{c.name}: {v.shown()}", text)
        else:
            _out(case, text)
    for p in report.properties:
        case = _case(suite, f"property {p.name}", f"{new.label}.properties", p.span)
        v = g.verdict(p.name)
        text = "\n".join(property_lines(new, p, v, ""))
        if v.gated:
            _fail(case, "failure", v.gated[0], f"property {p.name}: {v.shown()}", text)
        else:
            _out(case, text)
    for kind, items in ((ADDED, report.added), (REMOVED, report.removed)):
        for d in items:
            case = _case(suite, f"{d.kind} {d.name} ({kind})", f"{new.label}.{kind}", d.span)
            v = g.verdict(d.name)
            if v.gated:
                _fail(case, "failure", kind, f"{d.name} {kind}", f"{d.kind} `{d.name}` {kind}")
            else:
                note = "".join(f"; allowed: {r}" for _, r in v.allowed)
                _out(case, f"{d.kind} `{d.name}` {kind}{note}")
    return _xml(root)
