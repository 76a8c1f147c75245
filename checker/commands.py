"""The commands that read a policy: ask, schema, test, check.

Each loads the policy (`cli.load` reports spec errors and exits 2), does its
work through the model or the solver, and renders a result object as text or
JSON. Heavy modules are imported inside the commands, never at start-up.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, NoReturn

import click

from smallprint.checker.cli import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    FORMAT,
    Failure,
    cli,
    emit_json,
    load,
    usage_error,
)

if TYPE_CHECKING:
    from smallprint.checker.results import Decided, WhyNot
    from smallprint.model import core
    from smallprint.model.loader import Policy
    from smallprint.model.values import InputError, Json


TIMEOUT = click.option(
    "--timeout",
    type=click.FloatRange(min=0.001),
    default=10.0,
    show_default=True,
    help="Seconds the solver may spend on each query.",
)

# The --format of the commands that gate CI: their reports also come as SARIF and JUnit.
CI_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "junit"]),
    default="text",
    show_default=True,
    help="Output format (sarif and junit for CI: docs/reports.md).",
)


def input_failure(exc: InputError, fmt: str, policy: Policy | None = None) -> NoReturn:
    """Every problem of the input, then exit 2. With the `policy` they were found against,
    a broken invariant also says which part of it is false and on what values."""
    from smallprint.model.explain_text import failing_json, failing_lines

    if fmt == "json":
        errors: list[Json] = []
        for p in exc.problems:
            error: dict[str, Json] = {"path": p.path, "message": p.message, "hint": p.hint}
            if p.failing is not None and policy is not None:
                error["failing"] = failing_json(policy.program, p.failing, policy.sources)
            errors.append(error)
        emit_json({"status": "error", "errors": errors})
    else:
        for p in exc.problems:
            click.echo(f"input error: {p.path}: {p.message}", err=True)
            for line in p.excerpt:
                click.echo(line, err=True)
            if p.failing is not None and policy is not None:
                for line in failing_lines(policy.program, p.failing, "  ", policy.sources):
                    click.echo(line, err=True)
            if p.hint:
                click.echo(f"  = hint: {p.hint}", err=True)
        n = len(exc.problems)
        click.echo(f"{n} input error{'s' if n != 1 else ''}", err=True)
    raise Failure(EXIT_ERROR)


def find_function(program: core.Program, name: str, fmt: str) -> core.Function:
    from smallprint.model.names import suggest

    f = program.functions.get(name)
    if f is None and name in program.consts:
        usage_error(
            f"`{name}` is a constant, not a rule or definition: it takes no arguments",
            fmt,
            f"ask `{name}` with no --input, --arg or --free for its value",
        )
    if f is None and name in program.plans:
        usage_error(
            f"`{name}` is a plan, not a rule or definition: it is answered by `optimize`",
            fmt,
            f"smallprint optimize PATH --plan {name} --input FILE.json",
        )
    if f is None:
        names = sorted(program.functions)
        hint = suggest(name, program.functions) or f"rules and definitions: {', '.join(names[:12])}" + (
            f" (and {len(names) - 12} more)" if len(names) > 12 else ""
        )
        usage_error(f"no rule or definition `{name}` in this policy", fmt, hint)
    return f


@cli.command("ask")
@click.argument("path", type=click.Path())
@click.argument("rule")
@click.option(
    "--input",
    "input_file",
    type=click.Path(),
    help="JSON object of the arguments by name (`-`: standard input).",
)
@click.option(
    "--arg",
    "assignments",
    multiple=True,
    metavar="NAME=VALUE",
    help="One argument (`@file.json` for JSON), or one field of an argument given in --input "
    "(`o.shipped_at=2020-05-12`).",
)
@click.option(
    "--free",
    "free",
    multiple=True,
    metavar="NAME",
    help="Leave this argument (or a field of one: o.shipped_at) free: answer for which values it holds "
    "(repeat for several).",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Show which clause decided and each condition's value, and (for a rule) the minimal reason.",
)
@TIMEOUT
@FORMAT
def ask_command(
    path: str,
    rule: str,
    input_file: str | None,
    assignments: tuple[str, ...],
    free: tuple[str, ...],
    explain: bool,
    timeout: float,
    fmt: str,
) -> None:
    """Evaluate RULE (or a definition) of the policy at PATH on concrete arguments.

    With --free NAME, the other arguments are fixed and the answer is the set of
    values of NAME for which the rule holds (intervals for dates and numbers).
    NAME may be a field of a record argument (`--free o.shipped_at`): the
    record's other fields keep the values given.
    With several --free, the combinations: bounds on the free dates and numbers
    and their differences (`today - closed_on from 0 days to 7 days`), for each
    value of the free Bool and enum arguments.
    """
    from smallprint.checker.arguments import collect, read_json
    from smallprint.checker.ask_free import (
        FREEABLE,
        ask_constant,
        ask_free,
        ask_region,
        can_leave_free,
        refuse_unless_true_false,
        resolve_free_field,
    )
    from smallprint.model.explain import RuleExplanation
    from smallprint.model.explain_text import render_text, to_json
    from smallprint.model.interp import EvalError, Interpreter
    from smallprint.model.values import InputError, encode, show

    policy = load(path, fmt)
    program = policy.program
    if rule in program.consts and rule not in program.functions and not (input_file or assignments or free):
        ask_constant(policy, rule, fmt)
        return
    f = find_function(program, rule, fmt)
    if free:
        refuse_unless_true_false(f, fmt)
    # `--free o.shipped_at`: a field of a record argument (`checker/free_fields.py`).
    fields = [resolve_free_field(program, f, name, fmt) for name in free if "." in name]
    for name in free:
        if "." not in name and name not in [p.name for p in f.params]:
            usage_error(
                f"`{rule}` has no parameter `{name}`",
                fmt,
                "parameters: " + ", ".join(p.name for p in f.params),
            )
    if len(set(free)) != len(free):
        usage_error("an argument is left free twice", fmt, "name each free argument once")
    for x in fields:
        if x.param in free:
            usage_error(f"`{x.text}` is a field of `{x.param}`, which is left free itself", fmt)
    for name in free:
        ty = next((p.ty for p in f.params if p.name == name), None) or next(
            x.ty for x in fields if x.text == name
        )
        if not can_leave_free(ty):
            from smallprint.model.values import a_or_an

            usage_error(
                f"`{name}` is {a_or_an(str(ty))} `{ty}`, which cannot be left free",
                fmt,
                FREEABLE if "." in name else f"{FREEABLE}; give `{name}` in --input or with --arg {name}=...",
            )
    given = {a.partition("=")[0] for a in assignments if "=" in a}
    for name in free:
        if name in given:
            # Leaving it free asks for every value of it: the one given would be ignored.
            usage_error(
                f"`{name}` is both given (--arg {name}=...) and left free (--free {name})",
                fmt,
                f"drop --arg {name} to ask for which values it holds, or --free {name} to ask about one",
            )
    try:
        data = read_json(input_file, "--input") if input_file is not None else None
        unchecked: frozenset[str] = frozenset()
        if fields:
            from smallprint.checker.free_fields import loosened

            data, unchecked = loosened(program, f, data, fields)
        plain = tuple(n for n in free if "." not in n)
        for name in plain:
            if isinstance(data, dict) and name in data:
                # As with --arg (refused), but a case file serves other questions too.
                click.echo(f"note: `{name}` is left free: its value in --input is not used", err=True)
        args = collect(program, f.params, data, assignments, free=plain, unchecked=unchecked)
    except InputError as exc:
        input_failure(exc, fmt, policy)
    if fields:
        from smallprint.checker.free_fields import free_names, wrapped

        asked, name = wrapped(program, f, fields)
        free_f: core.Function = asked.functions[name]
        free = free_names(free, fields)  # an optional field: its presence too
    else:
        asked, free_f = program, f
    if len(free) == 1:
        ask_free(asked, free_f, args.values, free[0], timeout, fmt, shown=f.name)
        return
    if free:
        ask_region(asked, free_f, args.values, free, timeout, fmt, shown=f.name)
        return
    interp = Interpreter(program)
    values = [args.values[p.name] for p in f.params]
    ret = f.ret
    try:
        if explain:
            explanation = interp.explain(rule, values)
            value = explanation.outcome if isinstance(explanation, RuleExplanation) else explanation.value
        else:
            value = interp.call(rule, values)
    except EvalError as exc:
        from smallprint.checker.cli import fail_with

        fail_with([exc.diagnostic()], policy.sources, fmt)
    from smallprint.model.core import RuleDef

    why: WhyNot | Decided | None = None
    if explain and isinstance(f, RuleDef):
        from smallprint.checker.verify import CompiledPolicy

        why = CompiledPolicy(program, timeout_ms=int(timeout * 1000)).explain(rule, values)
    if fmt == "json":
        out: dict[str, object] = {
            "status": "ok",
            "function": rule,
            "type": str(ret),
            "value": encode(program, ret, value),
        }
        if explain:
            out["explanation"] = to_json(program, explanation, policy.sources)
        if why is not None:
            from smallprint.checker.verify_report import why_json

            out["why"] = why_json(program, why)
        emit_json(out)
        return
    if explain:
        click.echo(render_text(program, explanation, policy.sources))
        if why is not None:
            from smallprint.checker.verify_report import why_lines

            click.echo("")
            for line in why_lines(program, why, policy.sources):
                click.echo(line)
    else:
        click.echo(f"{rule}({', '.join(p.name for p in f.params)}) = {show(program, ret, value)}")


@cli.command("schema")
@click.argument("path", type=click.Path())
@click.argument("type_name", metavar="TYPE", required=False)
@FORMAT
def schema_command(path: str, type_name: str | None, fmt: str) -> None:
    """Print the JSON Schema (draft 2020-12) of an input record or enum.

    The schema is JSON in either --format; the format decides how errors are
    reported (text on stderr, or a JSON object on stdout)."""
    from smallprint.model.names import suggest
    from smallprint.model.schema import json_schema

    program = load(path, fmt).program
    known = "records: " + ", ".join(sorted(program.records)) + "; enums: " + ", ".join(sorted(program.enums))
    if type_name is None:
        usage_error("which type? give the name of a record or enum after PATH", fmt, known)
    if type_name not in program.records and type_name not in program.enums:
        usage_error(
            f"no record or enum `{type_name}` in this policy",
            fmt,
            suggest(type_name, [*program.records, *program.enums]) or known,
        )
    emit_json(json_schema(program, type_name))


def run_tests_for(paths: tuple[str, ...], fmt: str, verbose: bool, pattern: str | None) -> int:
    """Load each policy, run its embedded tests, render; return the exit code."""
    from smallprint.checker.report import tests_json, tests_summary, tests_text
    from smallprint.model.testrun import PASSED, run_tests

    failed = False
    reports: list[dict[str, object]] = []
    policies = [(path, load(path, fmt)) for path in paths]
    if pattern is not None:
        titles = [t.title for _, policy in policies for t in policy.program.tests]
        if not any(pattern in title for title in titles):
            # "0 passed, 0 failed" and exit 0 would read as a pass of a selection that ran nothing.
            shown = ", ".join(f'"{t}"' for t in titles[:12]) + (", ..." if len(titles) > 12 else "")
            usage_error(
                f"no test title contains `{pattern}`",
                fmt,
                f"the tests are: {shown}" if titles else "these policies have no embedded tests",
            )
    for path, policy in policies:
        results = run_tests(policy.program, select=(lambda t: pattern in t.title) if pattern else None)
        failed = failed or any(r.status != PASSED for r in results)
        fixtures = run_fixtures(policy, fmt)
        failed = failed or not all(ok for _, ok, _ in fixtures)
        if fmt == "json":
            reports.append(
                {
                    "path": path,
                    "tests": tests_json(policy.program, results, policy.sources),
                    "fixtures": [{"file": f, "passed": ok, "message": m} for f, ok, m in fixtures],
                }
            )
        else:
            for line in tests_text(policy.program, results, policy.sources, verbose):
                click.echo(line)
            for f, ok, m in fixtures:
                if verbose or not ok:
                    click.echo(f"{'ok  ' if ok else 'FAIL'} {f}: {m}")
            click.echo(f"{path}: {tests_summary(results)}")
            if fixtures:
                passed = sum(ok for _, ok, _ in fixtures)
                click.echo(f"{path}: fixtures: {passed} passed, {len(fixtures) - passed} failed")
    if fmt == "json":
        emit_json({"status": "failed" if failed else "ok", "policies": reports})
    return EXIT_FINDINGS if failed else 0


def run_fixtures(policy: Policy, fmt: str) -> list[tuple[str, bool, str]]:
    """Replay the saved counterexamples in the policy's `fixtures/` folder
    (`smallprint explore --save`): each must still give the answer it records."""
    folder = policy.root / "fixtures"
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        return []  # before the imports: a policy without fixtures pays nothing for Z3's
    from smallprint.checker.arguments import read_json
    from smallprint.checker.verify import CompiledPolicy
    from smallprint.model.loader import policy_files
    from smallprint.model.values import InputError, InputProblem, decode

    # Loaded from one file and its imports: the other modules' fixtures are not its own.
    partial = len(policy.files) < len(policy_files(policy.root))
    compiled = CompiledPolicy(policy.program)
    out: list[tuple[str, bool, str]] = []
    for f in files:
        try:
            data = read_json(str(f), str(f))
            if not isinstance(data, dict) or not isinstance(data.get("inputs"), dict):
                raise InputError([InputProblem("$", "expected {property, expect, inputs}")])
            prop = str(data.get("property"))
            if prop not in policy.program.properties:
                if partial:
                    continue  # a property of a module this load left out (`check one.sp`)
                raise InputError([InputProblem("$.property", f"no property `{prop}` in this policy")])
            binders = dict(compiled.property_query(prop).binders)
            raw = data["inputs"]
            values = {
                name: decode(policy.program, ty, raw.get(name), f"$.inputs.{name}")
                for name, ty in binders.items()
            }
        except InputError as exc:
            # Which fixture: the JSON paths alone would not say.
            named = [replace(p, path=f"{f}: {p.path}") for p in exc.problems]
            input_failure(InputError(named), fmt, policy)
        expect = data.get("expect", "violated")
        holds = compiled.holds_on(prop, values)
        ok = holds == (expect == "holds")
        verdict = "holds" if holds else "is violated"
        wanted = "to hold" if expect == "holds" else "violated"
        message = f"{prop} {verdict} on this input (the fixture expects it {wanted})"
        if holds and expect != "holds":
            # What a fixed bug looks like: the fixture becomes the test that keeps it fixed.
            message += '; if the policy was fixed, set "expect": "holds" to keep it as a regression test'
        out.append((str(f), ok, message))
    return out


@cli.command("test")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-k", "pattern", help="Only tests whose title contains this text.")
@click.option("-v", "--verbose", is_flag=True, help="List passing tests too.")
@FORMAT
def test_command(paths: tuple[str, ...], pattern: str | None, verbose: bool, fmt: str) -> None:
    """Run the embedded tests of each policy."""
    code = run_tests_for(paths, fmt, verbose, pattern)
    if code:
        raise Failure(code)


@cli.command("optimize")
@click.argument("path", type=click.Path())
@click.option("--plan", "plan_name", help="Which plan (default: the first the policy declares).")
@click.option(
    "--input",
    "input_file",
    required=True,
    type=click.Path(),
    help="JSON object of the plan's arguments (`-`: standard input).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.001),
    default=10.0,
    show_default=True,
    help="Seconds for the whole search.",
)
@click.option("--no-reasons", is_flag=True, help="Skip explaining unused choices (faster).")
@FORMAT
def optimize_command(
    path: str, plan_name: str | None, input_file: str, timeout: float, no_reasons: bool, fmt: str
) -> None:
    """The best plan for the inputs, with proof that no plan is better."""
    from smallprint.checker.arguments import collect, fill_choices, read_json
    from smallprint.checker.optimize import Optimizer
    from smallprint.checker.plan_report import plan_json, plan_text
    from smallprint.model.values import InputError

    policy = load(path, fmt)
    program = policy.program
    if not program.plans:
        usage_error("this policy declares no plan", fmt, "declare one with `plan name(...) choose ...`")
    if plan_name is None:
        plan_name = next(iter(program.plans))  # as the Python API: the first declared
    if plan_name not in program.plans:
        usage_error(f"no plan `{plan_name}`", fmt, "plans: " + ", ".join(program.plans))
    plan = program.plans[plan_name]
    try:
        data = fill_choices(program, plan, read_json(input_file, "--input"))
        args = collect(program, plan.params, data, (), takes_arg_option=False)
    except InputError as exc:
        input_failure(exc, fmt, policy)
    values = [args.values[p.name] for p in plan.params]
    result = Optimizer(program).optimize(
        plan_name, values, timeout_ms=int(timeout * 1000), explain_unused=not no_reasons
    )
    if fmt == "json":
        emit_json(plan_json(program, result, policy.sources))
    else:
        for line in plan_text(program, result, policy.sources):
            click.echo(line)
    # Not proved optimal in time is a finding, as an unknown property is: the run was
    # done, and the plan shown is the best found (2 is for a run that could not be done).
    if result.status in ("unknown", "infeasible"):
        raise Failure(EXIT_FINDINGS)


@cli.command("explore")
@click.argument("path", type=click.Path())
@click.argument("prop", metavar="PROPERTY")
@click.option(
    "--count", type=click.IntRange(min=1), default=3, show_default=True, help="How many counterexamples."
)
@click.option(
    "--save", "save_dir", type=click.Path(file_okay=False), help="Write each as a JSON test fixture here."
)
@TIMEOUT
@FORMAT
def explore_command(path: str, prop: str, count: int, save_dir: str | None, timeout: float, fmt: str) -> None:
    """Several counterexamples to PROPERTY that differ in which clauses decided."""
    import json as _json
    from pathlib import Path

    from smallprint.checker.progress import Progress
    from smallprint.checker.verify import CompiledPolicy
    from smallprint.checker.verify_report import counterexample_json, counterexample_lines
    from smallprint.model.names import suggest
    from smallprint.model.values import encode

    policy = load(path, fmt)
    program = policy.program
    if prop not in program.properties:
        hint = suggest(prop, program.properties) or "properties: " + ", ".join(program.properties)
        usage_error(
            f"no property `{prop}`", fmt, hint if program.properties else "this policy has no properties"
        )
    compiled = CompiledPolicy(program, timeout_ms=int(timeout * 1000))
    with Progress() as progress:
        progress.show(f"looking for {count} counterexamples to {prop}")
        found, exhausted = compiled.explore_all(prop, count)
    fewer = None
    if found and len(found) < count:
        fewer = (
            f"only {len(found)} of the {count} asked for: no other counterexample differs in which "
            "clauses decided"
            if exhausted
            else f"only {len(found)} of the {count} asked for: the solver found no other in time "
            "(raise --timeout to look further)"
        )
    saved: list[str] = []
    if save_dir is not None:
        folder = Path(save_dir)
        folder.mkdir(parents=True, exist_ok=True)
        for i, cex in enumerate(found, start=1):
            fixture = {
                "property": prop,
                "expect": "violated",
                "reason": cex.reason,
                "inputs": {x.name: encode(program, x.ty, x.value) for x in cex.inputs},
            }
            target = folder / f"{prop}-{i}.json"
            target.write_text(_json.dumps(fixture, indent=2, ensure_ascii=False) + "\n", "utf-8")
            saved.append(str(target))
    if fmt == "json":
        emit_json(
            {
                "property": prop,
                "counterexamples": [counterexample_json(program, c, policy.sources) for c in found],
                "requested": count,
                "all_found": exhausted,
                "note": fewer,
                "saved": saved,
            }
        )
    else:
        if not found and exhausted:
            click.echo(f"{prop}: no counterexample (the property holds within the list bounds)")
        elif not found:
            click.echo(f"{prop}: no counterexample found in time (raise --timeout to look further)")
        if fewer:
            click.echo(f"{prop}: {fewer}")
        for i, cex in enumerate(found, start=1):
            click.echo(f"counterexample {i} of {len(found)} for {prop}:")
            for line in counterexample_lines(program, cex, sources=policy.sources):
                click.echo(line)
        for s in saved:
            click.echo(f"saved {s}")
    # As `prove` judges a property: a counterexample is a finding unless the property is
    # marked as a known one; no answer in time is never a pass.
    known = bool(program.properties[prop].findings)
    if (bool(found) != known) if (found or exhausted) else True:
        raise Failure(EXIT_FINDINGS)
