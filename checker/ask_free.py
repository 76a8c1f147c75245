"""`ask` beyond one concrete answer: a constant's value, and `--free` (the values of
one argument, or of a field of one, for which a rule holds; the combinations for
several), rendered for the command line."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

import click

from smallprint.checker.cli import emit_json, usage_error
from smallprint.model import core
from smallprint.model.types import BOOL, Type

if TYPE_CHECKING:
    from smallprint.checker.free_fields import FreeField
    from smallprint.checker.results import Unknown
    from smallprint.model.loader import Policy
    from smallprint.model.values import Json


# What `--free` takes, one or several: the types `checker/query.py` and `checker/region.py`
# solve for (whole numbers underneath), and the finite ones tried value by value.
FREEABLE = (
    "only a Date, DateTime, Int, Money, Days, Duration, Length, Mass, DataSize, Bool or enum can be left free"
)


def refuse_unless_true_false(f: core.Function, fmt: str) -> None:
    """`--free` asks where `f` holds: a rule or a definition giving a Bool. Asked of one
    giving a value (a fee, a date), the answer would be a value per region, which
    smallprint does not compute: said before any argument is read."""
    if f.ret == BOOL:
        return
    from smallprint.model.values import a_or_an

    usage_error(
        f"--free needs a rule or a true/false definition: `{f.name}` gives {a_or_an(str(f.ret))} `{f.ret}`",
        fmt,
        f"give every argument for its value, or ask a rule that compares it (`{f.name}(...) <= ...`)",
    )


def can_leave_free(ty: Type) -> bool:
    from smallprint.model.types import ADDITIVE, INSTANTS, EnumT

    return ty == BOOL or isinstance(ty, EnumT) or ty in INSTANTS or ty in ADDITIVE


def ask_constant(policy: Policy, name: str, fmt: str) -> None:
    """A constant's value: `ask` on one answers it rather than calling it unknown."""
    from smallprint.model.interp import EvalError, Interpreter
    from smallprint.model.values import encode, show

    decl = policy.program.consts[name]
    try:
        value = Interpreter(policy.program).const(name)
    except EvalError as exc:
        from smallprint.checker.cli import fail_with

        fail_with([exc.diagnostic()], policy.sources, fmt)
    if fmt == "json":
        emit_json(
            {
                "status": "ok",
                "constant": name,
                "type": str(decl.ty),
                "value": encode(policy.program, decl.ty, value),
            }
        )
    else:
        click.echo(f"{name} = {show(policy.program, decl.ty, value)} (a constant, declared at {decl.span})")


def resolve_free_field(program: core.Program, f: core.Function, text: str, fmt: str) -> FreeField:
    from smallprint.checker.free_fields import NotAField, resolve

    try:
        return resolve(program, f, text)
    except NotAField as exc:
        usage_error(str(exc), fmt, exc.hint)


def ask_free(
    program: core.Program,
    f: core.Function,
    fixed: dict[str, core.Value],
    free: str,
    timeout: float,
    fmt: str,
    shown: str | None = None,
) -> None:
    """The values of `free` for which the rule holds: intervals from the solver for
    ordered types, each value checked by the interpreter for Bool and enums. `shown`:
    the rule's name as the user asked for it (`f` may wrap it around free fields)."""
    from smallprint.model.interp import Interpreter
    from smallprint.model.types import EnumT
    from smallprint.model.values import encode, show

    name = shown or f.name
    param = next(p for p in f.params if p.name == free)
    if param.ty == BOOL or isinstance(param.ty, EnumT):
        interp = Interpreter(program)
        domain: list[core.Value] = (
            [False, True] if param.ty == BOOL else list(program.enums[str(param.ty)].variants)
        )
        holds = [
            v
            for v in domain
            if interp.holds(f.name, [fixed.get(p.name, v) if p.name != free else v for p in f.params])
        ]
        if fmt == "json":
            emit_json(
                {
                    "status": "ok",
                    "function": name,
                    "free": free,
                    "values": [encode(program, param.ty, v) for v in holds],
                }
            )
        else:
            values = ", ".join(show(program, param.ty, v) for v in holds) or "none (never)"
            click.echo(f"{name} holds when {free} is: {values}")
        return
    from smallprint.checker.verify import CompiledPolicy
    from smallprint.checker.verify_report import window_json, window_lines

    policy = CompiledPolicy(program, timeout_ms=int(timeout * 1000))
    answer = replace(_solved(lambda: policy.window(f.name, fixed, free), name, fmt), func=name)
    _emit(window_json(program, answer), window_lines(program, answer), fmt)


A = TypeVar("A")


def _solved(question: Callable[[], A | Unknown], func: str, fmt: str) -> A:
    """The answer to a symbolic question; a bad question or a solver that gave up is a
    usage error (exit 2)."""
    from smallprint.checker.results import Unknown

    try:
        answer = question()
    except ValueError as exc:
        # The kinds that cannot be left free are refused before: this is another misuse.
        usage_error(str(exc), fmt)
    if isinstance(answer, Unknown):
        usage_error(f"the solver gave up on `{func}`: {answer.reason}", fmt, "raise --timeout")
    return answer


def _emit(data: Json, lines: Sequence[str], fmt: str) -> None:
    if fmt == "json":
        # Every result of `ask` says its status first, as the others do.
        emit_json({"status": "ok", **data} if isinstance(data, dict) else data)
    else:
        for line in lines:
            click.echo(line)


def ask_region(
    program: core.Program,
    f: core.Function,
    fixed: dict[str, core.Value],
    free: tuple[str, ...],
    timeout: float,
    fmt: str,
    shown: str | None = None,
) -> None:
    """The combinations of values of several free arguments for which the rule holds
    (`shown`: the rule's name as asked for, as in `ask_free`)."""
    from smallprint.checker.region_report import region_json, region_lines
    from smallprint.checker.verify import CompiledPolicy

    policy = CompiledPolicy(program, timeout_ms=int(timeout * 1000))
    name = shown or f.name
    answer = replace(_solved(lambda: policy.region(f.name, fixed, free), name, fmt), func=name)
    _emit(region_json(program, answer), region_lines(program, answer), fmt)
