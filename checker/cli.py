"""The `smallprint` command line.

Only Click is imported at start-up; each command imports the stages it needs,
so `smallprint --help` stays fast and Z3 is loaded only by commands that solve.

Exit codes: 0 all good, 1 findings (a test or property fails, a diff the user
gates on), 2 a bad spec, bad input or bad usage. No traceback reaches the user:
an internal error prints one line and where to report it (exit 2), and the
traceback only with `--debug`.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO, TypeVar, cast

import click

from smallprint.checker.collector import pace_for_a_command

# json and pathlib are imported where used: `smallprint --help` needs neither (about
# 6 ms of its start, against a target of 80).
if TYPE_CHECKING:
    from pathlib import Path

    from smallprint.grammar.span import Diagnostic, SourceMap
    from smallprint.model.loader import Policy

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)

F = TypeVar("F", bound=Callable[..., object])


class Failure(Exception):
    """A user-facing failure already rendered: exit with this code."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


# Commands defined in other modules, imported when one of them runs (or its own help is
# asked for), so that `smallprint --help` imports Click alone. Their summaries are
# kept here for the command list; tests/test_cli.py checks them against the commands.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "ask": (
        "smallprint.checker.commands",
        "Evaluate RULE (or a definition) of the policy at PATH on concrete arguments.",
    ),
    "check": (
        "smallprint.checker.check_commands",
        "Parse, type-check, lint, prove the properties and run the embedded tests of each policy.",
    ),
    "diff": (
        "smallprint.checker.diff_commands",
        "What changed between two versions of a policy (files or folders): each rule narrowed, "
        "broadened or equivalent, each definition's largest change, with a witness input for every "
        "difference.",
    ),
    "explore": (
        "smallprint.checker.commands",
        "Several counterexamples to PROPERTY that differ in which clauses decided.",
    ),
    "optimize": (
        "smallprint.checker.commands",
        "The best plan for the inputs, with proof that no plan is better.",
    ),
    "prove": (
        "smallprint.checker.check_commands",
        "Prove the properties of the policy (all, or those named).",
    ),
    "schema": (
        "smallprint.checker.commands",
        "Print the JSON Schema (draft 2020-12) of an input record or enum.",
    ),
    "test": ("smallprint.checker.commands", "Run the embedded tests of each policy."),
}


class LazyGroup(click.Group):
    """A group whose commands in `LAZY_COMMANDS` are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            import importlib

            importlib.import_module(LAZY_COMMANDS[cmd_name][0])  # registers it on `cli`
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the summaries, without importing the commands."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            # A command not imported yet is listed as a stand-in with its summary.
            command = self.commands.get(name) or click.Command(name, help=LAZY_COMMANDS[name][1])
            rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.version_option(package_name="smallprint")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """smallprint: check commerce policies written as typed rules, with Z3.

    \b
    smallprint check specs/aliexpress          parse, type-check, test, prove
    smallprint ask specs/aliexpress can_open_dispute --input args.json --explain
    smallprint fmt --check specs/aliexpress
    """
    ctx.obj = {"debug": debug}


# ---- shared plumbing ----------------------------------------------------------


def emit_json(data: object) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


def diagnostics_json(diags: Sequence[Diagnostic]) -> list[dict[str, object]]:
    from smallprint.grammar.span import end_json

    out: list[dict[str, object]] = []
    for d in diags:
        item: dict[str, object] = {
            "severity": d.severity,
            "code": d.code,
            "message": d.message,
            "file": d.span.file,
            "line": d.span.line,
            "column": d.span.column,
            **end_json(d.span),
        }
        if d.hint:
            item["hint"] = d.hint
        if d.labels:
            item["notes"] = [
                {
                    "message": label.message,
                    "file": label.span.file,
                    "line": label.span.line,
                    "column": label.span.column,
                    **end_json(label.span),
                }
                for label in d.labels
            ]
        out.append(item)
    return out


def fail_with(diags: Sequence[Diagnostic], sources: SourceMap | None, fmt: str) -> NoReturn:
    from smallprint.grammar.span import SourceMap, render

    if fmt == "json":
        emit_json({"status": "error", "errors": diagnostics_json(diags)})
    else:
        src = sources or SourceMap()
        for d in diags:
            click.echo(render(d, src), err=True)
        n = len(diags)
        click.echo(f"{n} error{'s' if n != 1 else ''}", err=True)
    raise Failure(EXIT_ERROR)


def load(path: str, fmt: str) -> Policy:
    from pathlib import Path

    from smallprint.grammar.span import SmallprintError, SourceMap
    from smallprint.model.loader import load_policy

    try:
        return load_policy(path)
    except SmallprintError as exc:
        sources = SourceMap()
        p = Path(path)
        for f in [*p.glob("*.sp")] if p.is_dir() else [p]:
            try:
                from smallprint.model.loader import _display

                sources.texts[_display(f)] = f.read_text("utf-8")
            except (OSError, UnicodeDecodeError):
                pass
        fail_with(exc.diagnostics, sources, fmt)


def usage_error(message: str, fmt: str, hint: str | None = None) -> NoReturn:
    if fmt == "json":
        body: dict[str, object] = {"status": "error", "errors": [{"message": message, "hint": hint}]}
        emit_json(body)
    else:
        click.echo(f"error: {message}", err=True)
        if hint:
            click.echo(f"  = hint: {hint}", err=True)
    raise Failure(EXIT_ERROR)


# ---- fmt ------------------------------------------------------------------------


@cli.command("fmt")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file is not formatted.")
@click.option(
    "--diff", "show_diff", is_flag=True, help="Change nothing; print what would change (implies --check)."
)
@FORMAT
def fmt_command(paths: tuple[str, ...], check: bool, show_diff: bool, fmt: str) -> None:
    """Rewrite spec files in canonical form (comments kept)."""
    from pathlib import Path

    from smallprint.grammar.span import SmallprintError, SourceMap
    from smallprint.model.fmt import format_module
    from smallprint.model.from_tree import module_from_text
    from smallprint.model.loader import _display

    files: list[Path] = []
    for p in paths:
        path = Path(p)
        if not path.exists():
            usage_error(f"no such file or folder: `{p}`", fmt)
        files.extend(sorted(path.rglob("*.sp")) if path.is_dir() else [path])
    check = check or show_diff
    changed: list[str] = []
    diffs: dict[str, str] = {}  # file -> unified diff, with --diff
    errors: list[Diagnostic] = []
    sources = SourceMap()
    for f in files:
        name = _display(f)
        text = f.read_text("utf-8")
        sources.texts[name] = text
        try:
            module = module_from_text(text, name)
        except SmallprintError as exc:
            errors.extend(exc.diagnostics)
            continue
        formatted = format_module(module, text)
        if formatted != text:
            changed.append(name)
            if show_diff:
                diffs[name] = unified_diff(name, text, formatted)
            if not check:
                f.write_text(formatted, "utf-8")
    if errors:
        fail_with(errors, sources, fmt)
    if fmt == "json":
        body: dict[str, object] = {
            "status": "ok" if not (check and changed) else "unformatted",
            "files": [_display(f) for f in files],
            "changed": changed,
        }
        if show_diff:
            body["diffs"] = diffs
        emit_json(body)
    else:
        verb = "would reformat" if check else "reformatted"
        for name in changed:
            if name in diffs:
                click.echo(diffs[name], nl=False)
            click.echo(f"{verb} {name}", err=show_diff)  # with --diff, stdout is a patch
        if not changed:
            click.echo(f"{len(files)} file{'s' if len(files) != 1 else ''} already formatted")
    if check and changed:
        raise Failure(EXIT_FINDINGS)


def unified_diff(name: str, before: str, after: str) -> str:
    """What `patch` reads, a last line without its newline marked as `diff` marks it."""
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        f"{name} (as written)",
        f"{name} (formatted)",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


class _ReaderMayLeave:
    """Standard output whose reader may stop reading early (`smallprint diff | head`).
    The rest of the output is dropped and the command still ends with its own exit
    code: a broken pipe is not a finding (Click would exit 1) nor an error."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._gone = False

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._leave()
        return len(text)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._leave()

    def _leave(self) -> None:
        self._gone = True
        # Python flushes standard output once more at exit: point it where that succeeds.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), self._stream.fileno())

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Console entry point: run the CLI and turn every outcome into an exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    pace_for_a_command()
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout = cast(TextIO, _ReaderMayLeave(sys.stdout))
    try:
        cli.main(args=args, prog_name="smallprint", standalone_mode=False)
        code = EXIT_OK
    except Failure as exc:
        code = exc.code
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        code = EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        code = EXIT_ERROR
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        code = EXIT_ERROR
    except Exception as exc:
        if debug:
            raise
        where = ""
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        if tb is not None:
            where = f" at {os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}"
        click.echo(
            f"internal error: {type(exc).__name__}: {exc}{where} "
            "(a bug in smallprint: please report it with the command and files that caused it; "
            "rerun with --debug for the traceback)",
            err=True,
        )
        code = EXIT_ERROR
    sys.exit(code)
