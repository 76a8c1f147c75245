"""The commands that judge a whole policy: check and prove.

Both replay an identical earlier run from the result cache
(`checker/result_cache.py`) when the policy, the options and smallprint are
unchanged; a run with an `unknown` answer is never kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from smallprint.checker.cli import EXIT_FINDINGS, FORMAT, Failure, cli, emit_json, load, usage_error
from smallprint.checker.commands import CI_FORMAT, TIMEOUT, run_fixtures
from smallprint.checker.progress import Progress

if TYPE_CHECKING:
    from smallprint.checker.formats import CheckRun
    from smallprint.checker.results import Finding, ProofResult
    from smallprint.checker.verify import CompiledPolicy
    from smallprint.model import core

NO_CACHE = click.option(
    "--no-cache", is_flag=True, help="Recompute even when an identical run's results are in the cache."
)


def policy_summary(program: core.Program, files: int) -> str:
    from smallprint.model import core

    rules = sum(isinstance(f, core.RuleDef) for f in program.functions.values())
    defs = len(program.functions) - rules
    return (
        f"{files} module{'s' if files != 1 else ''}: {rules} rules, {defs} definitions, "
        f"{len(program.properties)} properties, {len(program.tests)} tests"
    )


def definite(proofs: Sequence[ProofResult], findings: Sequence[Finding] = ()) -> bool:
    """No answer here depends on how fast the machine is."""
    from smallprint.checker.results import Unknown

    return not any(isinstance(r, Unknown) for r in proofs) and not any(f.kind == "unknown" for f in findings)


@cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-v", "--verbose", is_flag=True, help="List passing tests and proofs too.")
@click.option("--no-prove", is_flag=True, help="Skip properties and lints (parse, type-check and test only).")
@TIMEOUT
@CI_FORMAT
@NO_CACHE
def check_command(
    paths: tuple[str, ...], verbose: bool, no_prove: bool, timeout: float, fmt: str, no_cache: bool
) -> None:
    """Parse, type-check, lint, prove the properties and run the embedded tests of each policy."""
    from smallprint.checker.result_cache import run_cached

    options = {"verbose": verbose, "no_prove": no_prove, "timeout": timeout, "format": fmt}
    code = run_cached(
        "check",
        paths,
        options,
        lambda: check_policies(paths, verbose, no_prove, timeout, fmt, keep_answers=not no_cache),
        use_cache=not no_cache,
    )
    if code:
        raise Failure(code)


def check_policies(
    paths: Sequence[str], verbose: bool, no_prove: bool, timeout: float, fmt: str, *, keep_answers: bool
) -> tuple[int, bool]:
    """Check each policy and print the report; the exit code and whether every answer is
    definite. `keep_answers`: reuse and keep answers per definition (`checker/proof_cache.py`)."""
    from smallprint.checker.report import tests_json, tests_summary, tests_text
    from smallprint.model.testrun import PASSED, run_tests

    failed = False
    all_definite = True
    reports: list[dict[str, object]] = []
    ci_runs: list[CheckRun] = []  # for sarif and junit: the same results the JSON is built from
    for path in paths:
        policy = load(path, fmt)
        program = policy.program
        results = run_tests(program)
        failed = failed or any(r.status != PASSED for r in results)
        fixtures = run_fixtures(policy, fmt)  # counterexamples saved as regression tests
        failed = failed or not all(ok for _, ok, _ in fixtures)
        proofs: list[ProofResult] = []
        findings: list[Finding] = []
        lint_bound: int | None = None  # set when lints looked at shorter lists than declared
        if not no_prove:
            from smallprint.checker.lint import LINT_LIST_BOUND, cuts_bounds, to_lint
            from smallprint.checker.parallel import prove_and_lint
            from smallprint.checker.verify import CompiledPolicy
            from smallprint.checker.verify_report import proof_failed

            compiled = CompiledPolicy(program, timeout_ms=int(timeout * 1000))
            if keep_answers:
                compiled.keep_answers()
            lints_kept = len(program.functions) - len(to_lint(compiled))
            with Progress() as progress:
                proofs, findings = prove_and_lint(compiled, path, progress)
            say_reused(compiled, len(proofs), (lints_kept, len(program.functions)))
            lint_bound = LINT_LIST_BOUND if cuts_bounds(program, LINT_LIST_BOUND) else None
            failed = failed or any(proof_failed(program, r) for r in proofs)
            failed = failed or any(f.severity == "error" for f in findings)
            all_definite = all_definite and definite(proofs, findings)
        if fmt in ("sarif", "junit"):
            from smallprint.checker.formats import CheckRun

            ci_runs.append(
                CheckRun(
                    path,
                    program,
                    policy.sources,
                    tuple(results),
                    tuple(proofs),
                    tuple(findings),
                    tuple(fixtures),
                )
            )
            continue
        if fmt == "json":
            from smallprint.checker.verify_report import finding_json, proof_json

            reports.append(
                {
                    "path": path,
                    "files": list(policy.files),
                    "tests": tests_json(program, results, policy.sources),
                    "fixtures": [{"file": saved, "passed": ok, "message": m} for saved, ok, m in fixtures],
                    "properties": [proof_json(program, r, policy.sources) for r in proofs],
                    "findings": [finding_json(program, f, policy.sources) for f in findings],
                    "lint_list_bound": lint_bound,
                }
            )
            continue
        click.echo(f"{path}: {policy_summary(program, len(policy.modules))}")
        for line in tests_text(program, results, policy.sources, verbose):
            click.echo(line)
        for saved, ok, m in fixtures:
            if verbose or not ok:
                click.echo(f"  {'ok  ' if ok else 'FAIL'} {saved}: {m}")
        if not no_prove:
            from smallprint.checker.results import Proved
            from smallprint.checker.verify_report import finding_lines, proof_lines

            for r in proofs:
                if verbose or not isinstance(r, Proved) or r.vacuous or program.properties[r.prop].findings:
                    for line in proof_lines(program, r, policy.sources):
                        click.echo(f"  {line}")
            for f in findings:
                for line in finding_lines(program, f, policy.sources):
                    click.echo(f"  {line}")
        click.echo(f"  {tests_summary(results)}")
        if fixtures:
            passed = sum(ok for _, ok, _ in fixtures)
            click.echo(f"  fixtures: {passed} passed, {len(fixtures) - passed} failed")
        if not no_prove:
            click.echo(f"  {proofs_summary(program, proofs)}")
            scope = f" (inputs with lists of up to {lint_bound} elements)" if lint_bound else ""
            click.echo(f"  lint: {len(findings)} finding{'s' if len(findings) != 1 else ''}{scope}")
    code = EXIT_FINDINGS if failed else 0
    if fmt == "json":
        emit_json({"status": "failed" if failed else "ok", "policies": reports})
    elif fmt == "sarif":
        from smallprint.checker.formats import check_sarif, dump_sarif

        click.echo(dump_sarif(check_sarif(ci_runs, code)))
    elif fmt == "junit":
        from smallprint.checker.formats import check_junit

        click.echo(check_junit(ci_runs))
    return code, all_definite


@cli.command("prove")
@click.argument("path", type=click.Path())
@click.argument("properties", nargs=-1)
@TIMEOUT
@FORMAT
@NO_CACHE
def prove_command(path: str, properties: tuple[str, ...], timeout: float, fmt: str, no_cache: bool) -> None:
    """Prove the properties of the policy (all, or those named)."""
    from smallprint.checker.result_cache import run_cached

    options = {"properties": list(properties), "timeout": timeout, "format": fmt}
    code = run_cached(
        "prove",
        [path],
        options,
        lambda: prove_policy(path, properties, timeout, fmt, keep_answers=not no_cache),
        use_cache=not no_cache,
    )
    if code:
        raise Failure(code)


def prove_policy(
    path: str, properties: Sequence[str], timeout: float, fmt: str, *, keep_answers: bool
) -> tuple[int, bool]:
    """Prove the named properties (all when none) and print them; the exit code and
    definiteness. `keep_answers`: reuse and keep proofs per property (`checker/proof_cache.py`)."""
    from smallprint.checker.verify import CompiledPolicy
    from smallprint.checker.verify_report import proof_failed, proof_json, proof_lines
    from smallprint.model.names import suggest

    policy = load(path, fmt)
    program = policy.program
    names = list(dict.fromkeys(properties)) or list(program.properties)  # each once
    for n in names:
        if n not in program.properties:
            usage_error(
                f"no property `{n}`",
                fmt,
                suggest(n, program.properties) or "properties: " + ", ".join(program.properties),
            )
    compiled = CompiledPolicy(program, timeout_ms=int(timeout * 1000))
    if keep_answers:
        compiled.keep_answers()
    from smallprint.checker.parallel import prove_split

    with Progress() as progress:
        results = prove_split(compiled, path, names, progress)
    say_reused(compiled, len(results))
    failed = any(proof_failed(program, r) for r in results)
    if fmt == "json":
        proved = [proof_json(program, r, policy.sources) for r in results]
        emit_json({"status": "failed" if failed else "ok", "properties": proved})
    else:
        for r in results:
            for line in proof_lines(program, r, policy.sources):
                click.echo(line)
        click.echo(proofs_summary(program, results))
    return (EXIT_FINDINGS if failed else 0), definite(results)


def say_reused(compiled: CompiledPolicy, proofs: int, lints: tuple[int, int] | None = None) -> None:
    """Say on stderr how many answers came from earlier runs (stdout is the same either way)."""
    if compiled.kept is None:
        return
    parts = [f"{compiled.kept.reused} of {proofs} proofs"] if compiled.kept.reused else []
    if lints is not None and lints[0]:
        parts.append(f"the lints of {lints[0]} of {lints[1]} functions")
    if parts:
        click.echo(
            f"smallprint: reused {' and '.join(parts)} from earlier runs (what each reads is unchanged; "
            "--no-cache to recompute)",
            err=True,
        )


def proofs_summary(program: core.Program, results: Sequence[ProofResult]) -> str:
    from smallprint.checker.results import Proved, Unknown, Violated

    proved = sum(isinstance(r, Proved) for r in results)
    violated = sum(isinstance(r, Violated) for r in results)
    unknown = sum(isinstance(r, Unknown) for r in results)
    known = sum(isinstance(r, Violated) and bool(program.properties[r.prop].findings) for r in results)
    vacuous = sum(isinstance(r, Proved) and r.vacuous for r in results)
    text = (
        f"properties: {proved} proved"
        + (f" ({vacuous} vacuously)" if vacuous else "")
        + f", {violated} violated"
    )
    if known:
        text += f" ({known} known finding{'s' if known != 1 else ''})"
    return text + (f", {unknown} unknown" if unknown else "")
