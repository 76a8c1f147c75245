"""The `diff` command: semantic diff of two policy versions, gated for CI.

    smallprint diff OLD NEW                 two files or folders
    smallprint diff --base GIT_REV PATH     PATH in the working tree against PATH at GIT_REV

With `--base`, the old version is read from git (`git show REV:path` for every
`.sp` file of the policy's folder) and never written to disk: its files are
named `REV:path` in every message. The gate (`--fail-on`, the allow list of
smallprint.toml) is `checker/diff_report.py`; the comparison `checker/diff.py`.
Exit codes: 0 no gated difference, 1 a gated difference, 2 a bad spec, a bad
revision, a bad configuration or records whose change needs a mapping.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import click

from smallprint.checker.cli import EXIT_FINDINGS, Failure, cli, emit_json, fail_with, load, usage_error
from smallprint.checker.commands import CI_FORMAT, TIMEOUT
from smallprint.checker.progress import Progress

if TYPE_CHECKING:
    from smallprint.checker.diff_gate import Allow
    from smallprint.checker.diff_inputs import FieldMapping
    from smallprint.model import ast
    from smallprint.model.loader import Policy

CONFIG_NAME = "smallprint.toml"
FAIL_ON = ("narrowed", "broadened", "changed", "any", "none")
ALLOW_CHANGES = (
    "narrowed",
    "broadened",
    "changed",
    "added",
    "removed",
    "unknown",
    "incomparable",
    "weakened",
    "strengthened",
    "any",
)


@cli.command("diff")
@click.argument("paths", nargs=-1, type=click.Path(), metavar="OLD NEW | --base GIT_REV PATH")
@click.option(
    "--base", "base_rev", metavar="GIT_REV", help="Compare PATH with the same path at this git revision."
)
@click.option(
    "--fail-on",
    default="narrowed",
    show_default=True,
    metavar="narrowed|broadened|changed|any|none",
    help="Which differences fail (exit 1); several separated by commas (changed: a value definition).",
)
@click.option(
    "--allow-file",
    type=click.Path(dir_okay=False),
    help=f"TOML file with [[allow]] entries (default: the first {CONFIG_NAME} from NEW's folder up).",
)
@click.option("-v", "--verbose", is_flag=True, help="List equivalent rules too.")
@TIMEOUT
@CI_FORMAT
def diff_command(
    paths: tuple[str, ...],
    base_rev: str | None,
    fail_on: str,
    allow_file: str | None,
    verbose: bool,
    timeout: float,
    fmt: str,
) -> None:
    """What changed between two versions of a policy (files or folders): each rule
    narrowed, broadened or equivalent, each definition's largest change, with a
    witness input for every difference.

    \b
    smallprint diff specs/v1 specs/v2
    smallprint diff --base origin/main specs/aliexpress --format sarif
    """
    from smallprint.checker.diff import DiffOptions, MappingError, diff_programs
    from smallprint.checker.diff_gate import gate
    from smallprint.checker.diff_report import Version, diff_json, diff_text

    gates = tuple(x.strip() for x in fail_on.split(",") if x.strip())
    bad = [x for x in gates if x not in FAIL_ON]
    if bad or not gates:
        usage_error(
            f"unknown --fail-on value `{','.join(bad) or fail_on}`", fmt, "one of: " + ", ".join(FAIL_ON)
        )
    if base_rev is not None:
        if len(paths) != 1:
            usage_error("with --base, give one PATH (the policy in the working tree)", fmt)
        new_label = paths[0]
        old_label = f"{base_rev}:{paths[0]}"
        new = load(paths[0], fmt)
        old = policy_at_revision(base_rev, paths[0], fmt)
    else:
        if len(paths) != 2:
            usage_error("give OLD and NEW (files or folders), or --base GIT_REV PATH", fmt)
        old_label, new_label = paths
        old = load(paths[0], fmt)
        new = load(paths[1], fmt)
    config = Path(allow_file) if allow_file is not None else find_config(Path(new_label))
    allows, mapping, restrictions = read_config(config, fmt) if config is not None else ([], None, [])
    options = DiffOptions(timeout_ms=int(timeout * 1000))
    if mapping is not None:
        options = DiffOptions(timeout_ms=options.timeout_ms, fields=mapping)
    try:
        with Progress() as progress:
            report = diff_programs(old.program, new.program, options, progress)
    except MappingError as exc:
        usage_error(
            "the versions' records differ in fields that the diff cannot map by name",
            fmt,
            "\n".join(exc.problems),
        )
    g = gate(report, gates, allows, restrictions)
    old_v = Version(old_label, old.program, old.sources, old.files, base_rev)
    new_v = Version(new_label, new.program, new.sources, new.files)
    if fmt == "json":
        emit_json(diff_json(old_v, new_v, report, g))
    elif fmt == "sarif":
        from smallprint.checker.formats import diff_sarif, dump_sarif

        click.echo(dump_sarif(diff_sarif(old_v, new_v, report, g)))
    elif fmt == "junit":
        from smallprint.checker.formats import diff_junit

        click.echo(diff_junit(old_v, new_v, report, g))
    else:
        for line in diff_text(old_v, new_v, report, g, verbose):
            click.echo(line)
    if g.failed:
        raise Failure(EXIT_FINDINGS)


# ---- configuration ----------------------------------------------------------------------


def find_config(start: Path) -> Path | None:
    """The first smallprint.toml in the folder of `start` or above, up to the repository root."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for d in (folder, *folder.parents):
        candidate = d / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if (d / ".git").exists():
            break
    return None


def read_config(path: Path, fmt: str) -> tuple[list[Allow], FieldMapping, list[str]]:
    """The allow list, the field mapping and the restrictions of a smallprint.toml (every
    problem at once)."""
    import tomllib

    from smallprint.checker.diff_gate import Allow
    from smallprint.checker.diff_inputs import FieldMapping

    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        usage_error(f"cannot read `{path}`: {exc}", fmt)
    except tomllib.TOMLDecodeError as exc:
        usage_error(f"`{path}` is not valid TOML: {exc}", fmt)
    problems: list[str] = []
    diff_table = data.get("diff", {})
    if not isinstance(diff_table, dict):
        problems.append("`diff` must be a table")
        diff_table = {}
    entries = [
        *_as_list(data.get("allow", []), "allow", problems),
        *_as_list(diff_table.get("allow", []), "diff.allow", problems),
    ]
    allows: list[Allow] = []
    for i, entry in enumerate(entries, 1):
        where = f"allow entry {i}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a table with `rule`, `change` and `reason`")
            continue
        rule, change, reason = entry.get("rule"), entry.get("change", "any"), entry.get("reason")
        extra = set(entry) - {"rule", "change", "reason"}
        if extra:
            problems.append(f"{where}: unknown key(s) {', '.join(sorted(extra))}")
        if not isinstance(rule, str) or not rule:
            problems.append(f"{where}: `rule` must name a rule or definition")
        if change not in ALLOW_CHANGES:
            problems.append(f"{where}: `change` must be one of {', '.join(ALLOW_CHANGES)}")
        if not isinstance(reason, str) or not reason.strip():
            problems.append(f"{where} ({rule}): every allowed change needs a `reason`")
        if isinstance(rule, str) and isinstance(change, str) and isinstance(reason, str):
            allows.append(Allow(rule, change, reason.strip(), str(path)))
    fields = diff_table.get("fields", {})
    renames = diff_table.get("rename", {})
    for key, table in (("diff.fields", fields), ("diff.rename", renames)):
        if not isinstance(table, dict):
            problems.append(f"`{key}` must be a table")
            continue
        for name in table:
            if name.count(".") != 1:
                problems.append(f'`{key}`: keys are "Record.field", found `{name}`')
    if isinstance(renames, dict):
        problems.extend(
            f"`diff.rename`: `{k}` must name the old field"
            for k, v in renames.items()
            if not isinstance(v, str)
        )
    restrictions = diff_table.get("restrictions", [])
    if not (isinstance(restrictions, list) and all(isinstance(r, str) for r in restrictions)):
        problems.append("`diff.restrictions` must be an array of rule names")
        restrictions = []
    if problems:
        usage_error(f"bad configuration in `{path}`", fmt, "\n".join(problems))
    mapping = FieldMapping(
        dict(fields) if isinstance(fields, dict) else {},
        {k: v for k, v in renames.items() if isinstance(v, str)} if isinstance(renames, dict) else {},
    )
    return allows, mapping, list(restrictions)


def _as_list(value: object, key: str, problems: list[str]) -> list[object]:
    if isinstance(value, list):
        return value
    problems.append(f"`{key}` must be an array of tables ([[{key}]])")
    return []


# ---- the old version from git -------------------------------------------------------------


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as exc:  # no git at all
        return subprocess.CompletedProcess(["git", *args], 127, "", str(exc))


def policy_at_revision(rev: str, path: str, fmt: str) -> Policy:
    """The policy at `path` as it was at `rev`: every `.sp` file of its folder, read with `git show`."""
    from smallprint.grammar.span import SmallprintError, SourceMap
    from smallprint.model import core
    from smallprint.model.elaborate import elaborate
    from smallprint.model.loader import SUFFIX, Policy, _display, module_from_text

    p = Path(path).resolve()
    folder = p if p.is_dir() else p.parent
    if not folder.is_dir():
        usage_error(f"no such folder: `{folder}`", fmt)
    top = _git(["rev-parse", "--show-toplevel"], folder)
    if top.returncode != 0:
        usage_error(f"`{path}` is not inside a git repository", fmt, top.stderr.strip() or None)
    root = Path(top.stdout.strip()).resolve()
    commit = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    if commit.returncode != 0:
        usage_error(
            f"unknown git revision `{rev}`", fmt, "e.g. `origin/main` (fetch it first), a tag or a commit"
        )
    rel = folder.relative_to(root).as_posix()
    prefix = "" if rel == "." else rel + "/"
    listing = _git(["ls-tree", "--name-only", rev, "--", prefix or "."], root)
    names = sorted(
        n[len(prefix) :]
        for n in listing.stdout.splitlines()
        if n.endswith(SUFFIX) and "/" not in n[len(prefix) :]
    )
    if listing.returncode != 0:
        usage_error(f"cannot list `{path}` at `{rev}`", fmt, listing.stderr.strip() or None)
    if not names or (not p.is_dir() and p.name not in names):
        # A policy (or file) the change adds: every rule of it is new.
        click.echo(f"note: `{path}` did not exist at `{rev}`: every rule is new", err=True)
        empty = core.Program(enums={}, records={}, consts={}, functions={}, properties={}, tests=())
        return Policy(folder, empty, (), SourceMap())
    sources = SourceMap()
    modules = []
    errors = []
    for name in names:
        shown = _git(["show", f"{rev}:{prefix}{name}"], root)
        if shown.returncode != 0:
            usage_error(f"cannot read `{prefix}{name}` at `{rev}`", fmt, shown.stderr.strip() or None)
        label = f"{rev}:{_display(folder / name)}"
        sources.texts[label] = shown.stdout
        try:
            modules.append(module_from_text(shown.stdout, label))
        except SmallprintError as exc:
            errors.extend(exc.diagnostics)
    if errors:
        fail_with(errors, sources, fmt)
    if not p.is_dir():
        modules = _closure(modules, p.stem)
    try:
        program = elaborate(modules)
    except SmallprintError as exc:
        fail_with(exc.diagnostics, sources, fmt)
    return Policy(folder, program, tuple(modules), sources)


def _closure(modules: list[ast.Module], stem: str) -> list[ast.Module]:
    """The module of the file `stem` and the modules it imports, transitively (as `load_policy`)."""
    by_file = {Path(m.file).stem: m for m in modules}
    by_name = {m.name: m for m in modules}
    out: dict[str, ast.Module] = {}
    pending = [by_file[stem]]
    while pending:
        m = pending.pop()
        if m.name in out:
            continue
        out[m.name] = m
        pending.extend(by_name[i] for i in m.imports if i in by_name)
    return list(out.values())
