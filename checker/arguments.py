"""Arguments of a rule from the command line: `--input FILE.json` and `--arg name=value`.

`--input` holds a JSON object of arguments by parameter name
(`{"o": {...}, "today": "2020-06-01"}`); for a function of one parameter the
object may also be that argument itself, unless it has a key naming the
parameter (`{"o": {...}, "p": ...}` for `f(o)` is arguments, with `p` unknown).
`--arg name=value` sets or replaces one argument given in `--input` (once per
name): `value` is the bare text of a scalar (`today=2020-06-01`, `o.cash_paid`
is not supported), JSON, or `@file.json` for a JSON document.
Problems name the JSON path (`$.o.items[2].price`) or the flag.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from smallprint.model import core
from smallprint.model.interp import Interpreter
from smallprint.model.names import suggest
from smallprint.model.types import BOOL, ListT, OptT, RecordT, Type
from smallprint.model.values import InputError, InputProblem, RepeatedKey, decode, decode_arg, encode, loads


@dataclass(frozen=True)
class Arguments:
    values: dict[str, core.Value]
    missing: tuple[str, ...]  # parameters given no value (allowed for `--free`)


def read_json(path: str, label: str) -> object:
    """The JSON in the file `path`, or on standard input for `-`."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text("utf-8")
    except OSError as exc:
        raise InputError([InputProblem(label, f"cannot read `{path}`: {exc.strerror}")]) from None
    except UnicodeDecodeError:
        raise InputError([InputProblem(label, f"`{path}` is not UTF-8 text")]) from None
    # A byte-order mark (written by some editors on Windows) is not part of the JSON.
    text = text.removeprefix("\ufeff")
    try:
        return loads(text)
    except RepeatedKey as exc:
        hint = "JSON keeps only the last of them: give each field once"
        raise InputError([InputProblem(exc.path, f"`{exc.key}` is given more than once", hint)]) from None
    except json.JSONDecodeError as exc:
        where = "standard input" if path == "-" else f"`{path}`"
        lines = text.splitlines()
        line = lines[exc.lineno - 1] if exc.lineno <= len(lines) else ""
        excerpt = (f"{exc.lineno:>4} | {line}", f"     | {' ' * (exc.colno - 1)}^")
        problem = InputProblem(
            label,
            f"{where} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            _json_slip(text, exc.pos),
            excerpt=excerpt,
        )
        raise InputError([problem]) from None
    except ValueError as exc:
        raise InputError([InputProblem(label, f"`{path}` is not valid JSON: {exc}")]) from None


def _json_slip(text: str, pos: int) -> str | None:
    """What the text around a JSON syntax error most likely got wrong."""
    before = text[:pos].rstrip()
    here = text[pos : pos + 1]
    if before.endswith(",") and here in "}]":
        return "JSON has no comma after the last member of an object or array"
    if here == "'":
        return 'JSON strings are written in double quotes: "2020-05-24"'
    if here in ("/", "#"):
        return "JSON has no comments"
    if here in ("U", "$") or here.isalpha():
        return 'write amounts, dates and names as strings: "US$12.40", "2020-05-24", "card"'
    if here == "" and before.count("{") + before.count("[") > before.count("}") + before.count("]"):
        return "the text ends before every `{` and `[` is closed"
    return None


def collect(
    program: core.Program,
    params: Sequence[core.Param],
    data: object | None,
    assignments: Sequence[str],
    free: Sequence[str] = (),
    unchecked: frozenset[str] = frozenset(),
    takes_arg_option: bool = True,
) -> Arguments:
    """Decode every argument (`data` is the parsed `--input`), reporting all problems together
    (`unchecked`: JSON paths of records not held to their invariants, as `decode`;
    `takes_arg_option`: whether the command has `--arg`, for the hints)."""
    interp = Interpreter(program)
    by_name = {p.name: p for p in params}
    raw: dict[str, tuple[object, str]] = {}  # name -> (JSON data, path)
    problems: list[InputProblem] = []
    if data is not None:
        if isinstance(data, dict) and _argument_shaped(program, params, data):
            unknown = sorted(set(data) - set(by_name))
            if unknown:
                problems.append(
                    InputProblem(
                        "$",
                        f"unknown argument{'s' if len(unknown) > 1 else ''} "
                        + ", ".join(f"`{u}`" for u in unknown),
                        f"the arguments are: {', '.join(p.name for p in params)}",
                    )
                )
            # The known ones are still decoded: reporting them as missing too would be false.
            for k, v in data.items():
                if k in by_name:
                    raw[k] = (v, f"$.{k}")
        elif len(params) == 1:
            raw[params[0].name] = (data, "$")
        else:
            problems.append(InputProblem("$", "expected an object of arguments by name", _signature(params)))
    values: dict[str, core.Value] = {}
    seen: set[str] = set()
    fields = [a for a in assignments if "." in a.partition("=")[0]]
    for assignment in fields:  # `--arg o.delivered_at=2021-03-25`: one field of an argument given
        problem = _set_field(program, by_name, raw, assignment)
        if problem is not None:
            problems.append(problem)
    for assignment in assignments:
        if assignment in fields:
            continue
        name, sep, text = assignment.partition("=")
        label = f"--arg {name}"
        if sep and name in seen:
            problems.append(
                InputProblem(label, f"`{name}` is given twice with --arg", "give each argument once")
            )
            continue
        seen.add(name)
        if not sep or name not in by_name:
            problems.append(
                InputProblem(
                    f"--arg {assignment}",
                    "expected `name=value` with a parameter name" if not sep else f"no parameter `{name}`",
                    _signature(params),
                )
            )
            continue
        raw.pop(name, None)
        try:
            if text.startswith("@"):
                values[name] = decode(
                    program, by_name[name].ty, read_json(text[1:], label), f"{label}", interpreter=interp
                )
            else:
                values[name] = decode_arg(program, by_name[name].ty, text, label)
        except InputError as exc:
            problems.extend(exc.problems)
    for name, (data, path) in raw.items():
        try:
            ty = by_name[name].ty
            values[name] = decode(program, ty, data, path, interpreter=interp, unchecked=unchecked)
        except InputError as exc:
            problems.extend(exc.problems)
    missing = tuple(p.name for p in params if p.name not in values and p.name not in problems_for(problems))
    for name in missing:
        if name not in free:
            problems.append(
                InputProblem(
                    f"$.{name}",
                    f"no value for parameter `{name}`",
                    f"give it in --input or with --arg {name}=..."
                    if takes_arg_option
                    else f'give it in --input: {{"{name}": ..., ...}}, one member per parameter',
                )
            )
    if problems:
        raise InputError(problems)
    return Arguments(values, tuple(n for n in missing if n in free))


def _set_field(
    program: core.Program,
    by_name: dict[str, core.Param],
    raw: dict[str, tuple[object, str]],
    assignment: str,
) -> InputProblem | None:
    """Put the value of `--arg o.f1.f2=text` into the JSON of argument `o` (given in
    `--input`), as that field's JSON: the record is then read, and its invariants
    checked, as if the file said so. A problem, or None."""
    name, sep, text = assignment.partition("=")
    label = f"--arg {name}"
    root, *path = name.split(".")
    if not sep or root not in by_name:
        hint = "parameters: " + ", ".join(by_name)
        return InputProblem(
            f"--arg {assignment}", f"no parameter `{root}`" if sep else "expected `name=value`", hint
        )
    given = raw[root][0] if root in raw else None
    if not isinstance(given, dict):
        return InputProblem(
            label, f"`{root}` is not given as a record in --input", f"give `{root}` in --input"
        )
    data: dict[str, object] = copy.deepcopy(given)
    holder = data
    ty: Type = by_name[root].ty
    for i, field in enumerate(path):
        inner = ty.inner if isinstance(ty, OptT) else ty
        if not isinstance(inner, RecordT):
            return InputProblem(label, f"`{'.'.join([root, *path[:i]])}` is a `{ty}`, which has no fields")
        names = dict(program.records[inner.name].fields)
        if field not in names:
            return InputProblem(
                label,
                f"record `{inner.name}` has no field `{field}`",
                suggest(field, names) or "fields: " + ", ".join(names),
            )
        ty = names[field]
        if i < len(path) - 1:
            nxt = holder.get(field)
            if not isinstance(nxt, dict):
                return InputProblem(label, f"`{'.'.join([root, *path[: i + 1]])}` is not given as a record")
            holder = nxt
    try:
        holder[path[-1]] = encode(program, ty, decode_arg(program, ty, text, label))
    except InputError as exc:
        return exc.problems[0]
    raw[root] = (data, raw[root][1])
    return None


def _argument_shaped(program: core.Program, params: Sequence[core.Param], data: dict[object, object]) -> bool:
    """Whether an `--input` object holds arguments by name rather than, for a function
    of one parameter, that one argument itself."""
    if len(params) != 1:
        return True
    keys = set(data)
    ty = params[0].ty
    if isinstance(ty, RecordT) and keys and keys <= {f for f, _ in program.records[ty.name].fields}:
        return False  # the record itself, even when a field shares the parameter's name
    # A key naming the parameter marks arguments: `{"o": {...}, "p": ...}` for `f(o)` is
    # an extra argument, not a record with unknown fields `o` and `p`.
    return params[0].name in keys


def problems_for(problems: list[InputProblem]) -> set[str]:
    """Parameters that already have a reported problem (not to be called missing too)."""
    out = set()
    for p in problems:
        head = p.path.removeprefix("$.").removeprefix("--arg ")
        out.add(head.split(".")[0].split("[")[0].split("=")[0])
    return out


def _signature(params: Sequence[core.Param]) -> str:
    return "parameters: " + ", ".join(f"{p.name}: {p.ty}" for p in params)


def fill_choices(program: core.Program, plan: core.PlanDef, data: object) -> object:
    """Give every chosen field a placeholder. A value given for one is refused: the plan
    would overwrite it, and a caller who meant to pin a coupon would never know."""
    if not isinstance(data, dict):
        return data
    data = copy.deepcopy(data)
    given: list[InputProblem] = []

    def place(holder: dict[str, object], field: str, path: str, placeholder: object) -> None:
        if field in holder:
            given.append(
                InputProblem(
                    f"{path}.{field}",
                    f"`{field}` is chosen by plan `{plan.name}`: a value given for it would be ignored",
                    f"leave `{field}` out: `optimize` chooses it",
                )
            )
        holder[field] = placeholder

    params = {p.name: p.ty for p in plan.params}
    for choice in plan.choices:
        target = data.get(choice.param)
        ty = params[choice.param]
        path = list(choice.path) if choice.each else list(choice.path[:-1])
        where = f"$.{choice.param}"
        for i in path:
            if not isinstance(target, dict) or not isinstance(ty, RecordT):
                break
            name, ty = program.records[ty.name].fields[i]
            target = target.get(name)
            where += f".{name}"
        placeholder: object = False if choice.ty == BOOL else program.enums[str(choice.ty)].variants[0]
        if (
            choice.each
            and isinstance(target, list)
            and isinstance(ty, ListT)
            and isinstance(ty.elem, RecordT)
        ):
            elem = ty.elem
            for k, item in enumerate(target):
                holder = item
                fty: Type = elem
                at = f"{where}[{k}]"
                for j in choice.field_path[:-1]:
                    if not isinstance(holder, dict) or not isinstance(fty, RecordT):
                        break
                    fname, fty = program.records[fty.name].fields[j]
                    holder = holder.get(fname)
                    at += f".{fname}"
                if isinstance(holder, dict) and isinstance(fty, RecordT):
                    place(holder, program.records[fty.name].fields[choice.field_path[-1]][0], at, placeholder)
        elif not choice.each and isinstance(target, dict) and isinstance(ty, RecordT):
            place(target, program.records[ty.name].fields[choice.path[-1]][0], where, placeholder)
    if given:
        raise InputError(given)
    return data
