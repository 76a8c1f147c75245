"""Rendering of test results (and, through `check`, of the whole run) as text or JSON.

The JSON shapes are documented in docs/reports.md and stay stable: tools read
them. Text is for people: failures first with their location, the source
line, the actual values and the explanation of a failed rule.
"""

from __future__ import annotations

from smallprint.grammar.span import SourceMap, end_json
from smallprint.model import core
from smallprint.model.explain_text import failing_json, failing_lines, render_text
from smallprint.model.explain_text import to_json as explanation_json
from smallprint.model.testrun import ERROR, FAILED, TestError, TestResult


def tests_text(
    program: core.Program, results: list[TestResult], sources: SourceMap, verbose: bool
) -> list[str]:
    out: list[str] = []
    for r in results:
        if r.status == FAILED:
            out.append(f'FAIL {r.span} test "{r.title}"')
            for f in r.failures:
                out.append(f"  {f.span}: {f.message}")
                line = sources.line(f.span.file, f.span.line)
                if line is not None:
                    out.append(f"    | {line.strip()}")
                if f.explanation is not None:
                    out.extend("    " + x for x in render_text(program, f.explanation, sources).splitlines())
        elif r.status == ERROR:
            assert r.error is not None
            out.append(f'ERROR {r.span} test "{r.title}"')
            for e in r.errors or (r.error,):
                out.append(f"  {e.span}: {e.message}")
                line = sources.line(e.span.file, e.span.line)
                if e.failing is not None and line is not None:
                    out.append(f"    | {line.strip()}")
                if e.failing is not None:
                    out.extend(failing_lines(program, e.failing, "    ", sources))
                if e.hint:
                    out.append(f"  = hint: {e.hint}")
        elif verbose:
            out.append(f'ok   {r.span} test "{r.title}"')
    return out


def tests_summary(results: list[TestResult]) -> str:
    passed = sum(r.status == "passed" for r in results)
    failed = sum(r.status == FAILED for r in results)
    errors = sum(r.status == ERROR for r in results)
    text = f"tests: {passed} passed, {failed} failed"
    return text + (f", {errors} errors" if errors else "")


def tests_json(
    program: core.Program, results: list[TestResult], sources: SourceMap
) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for r in results:
        item: dict[str, object] = {
            "title": r.title,
            "module": r.module,
            "status": r.status,
            "file": r.span.file,
            "line": r.span.line,
            "expects": r.expects,
            "cites": [str(c) for c in r.cites],
        }
        if r.failures:
            item["failures"] = [
                {
                    "file": f.span.file,
                    "line": f.span.line,
                    "column": f.span.column,
                    "message": f.message,
                    **({"left": f.left, "op": f.op, "right": f.right} if f.op else {}),
                    **(
                        {"explanation": explanation_json(program, f.explanation, sources)}
                        if f.explanation is not None
                        else {}
                    ),
                }
                for f in r.failures
            ]
        if r.error is not None:
            item["error"] = _error_json(program, r.error, sources)
            item["errors"] = [_error_json(program, e, sources) for e in r.errors or (r.error,)]
        out.append(item)
    return out


def _error_json(program: core.Program, e: TestError, sources: SourceMap) -> dict[str, object]:
    out: dict[str, object] = {
        "message": e.message,
        "file": e.span.file,
        "line": e.span.line,
        "column": e.span.column,
        **end_json(e.span),
        "hint": e.hint,
    }
    if e.failing is not None:
        out["failing"] = failing_json(program, e.failing, sources)
    return out
