"""`ask --free o.shipped_at`: a field of a record argument left free.

The symbolic questions (`checker/query.py` for one free argument,
`checker/region.py` for several) solve for arguments of a rule. A field left
free is made one: the rule is wrapped in a rule of its own whose parameters
are the original ones plus one per free field, and whose only clause calls the
original with each such record rebuilt around its new value,

    rule can_open_dispute[o.shipped_at](o: Order, p: Problem, today: Date,
                                        o.shipped_at present: Bool, o.shipped_at: Date)
      when can_open_dispute(
        Order { ..., shipped_at: if o.shipped_at present then some(o.shipped_at) else none, ... },
        p, today)

so that the rest is the same question as for an argument: the other fields
keep the values given, an optional field is two free arguments (whether it is
present, and its value: the answer covers its absence too), and a value that
breaks an invariant of a rebuilt record is not in the answer (a
record the policy builds must keep its invariants: building one that breaks
them is an error, which the answers count as not holding).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, replace

from smallprint.model import core
from smallprint.model.types import BOOL, TEXT, EnumT, OptT, RecordT, Type
from smallprint.model.values import encode


@dataclass(frozen=True)
class FreeField:
    """`param.f1.f2...`: a path of record fields from an argument."""

    text: str  # as written: `o.shipped_at`
    param: str
    path: tuple[int, ...]  # field indices, record by record
    ty: Type  # the field's type, without its optional
    optional: bool


class NotAField(ValueError):
    """A dotted `--free` name that is no path of record fields of the rule's arguments."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def resolve(program: core.Program, f: core.Function, text: str) -> FreeField:
    """The field `text` names (`o.shipped_at`), or NotAField saying why not."""
    name, *fields = text.split(".")
    params = {p.name: p.ty for p in f.params}
    if name not in params:
        raise NotAField(f"`{f.name}` has no parameter `{name}`", "parameters: " + ", ".join(params))
    ty = params[name]
    path: list[int] = []
    optional = False
    walked = name
    for field in fields:
        if optional or not isinstance(ty, RecordT):
            raise NotAField(
                f"`{walked}` is {'an optional' if optional else 'not a record'}: it has no field `{field}`",
                "a free field is reached through records only (no optional or list on the way)",
            )
        record = program.records[ty.name]
        names = [n for n, _ in record.fields]
        if field not in names:
            raise NotAField(f"record `{ty.name}` has no field `{field}`", "its fields: " + ", ".join(names))
        path.append(names.index(field))
        ty = record.fields[path[-1]][1]
        optional = isinstance(ty, OptT)
        if isinstance(ty, OptT):
            ty = ty.inner
        walked += f".{field}"
    return FreeField(text, name, tuple(path), ty, optional)


# The free Bool of an optional field `o.x` is named `o.x present` (reports read it back).
PRESENT = " present"


def presence(x: FreeField) -> str:
    """The name of the free Bool saying whether the optional field `x` has a value."""
    return f"{x.text}{PRESENT}"


def free_names(free: Sequence[str], fields: Sequence[FreeField]) -> tuple[str, ...]:
    """The parameters of the wrapping rule left free for `free` (as asked): an optional
    field is two, its presence and its value, so that its absence is answered too."""
    optional = {x.text: x for x in fields if x.optional}
    out: list[str] = []
    for name in free:
        out.extend((presence(optional[name]), name) if name in optional else (name,))
    return tuple(out)


def wrapped(program: core.Program, f: core.Function, free: Sequence[FreeField]) -> tuple[core.Program, str]:
    """The program with the rule wrapping `f` around the free fields, and its name."""
    name = f"{f.name}[{', '.join(x.text for x in free)}]"
    flags = tuple(core.Param(presence(x), BOOL) for x in free if x.optional)
    params = (*f.params, *flags, *(core.Param(x.text, x.ty) for x in free))
    args = tuple(_rebuilt(program, p, [x for x in free if x.param == p.name]) for p in f.params)
    call = core.Call(f.name, args, ty=BOOL)
    rule = core.RuleDef(name, params, (core.Clause((core.Test(call),)),), (), span=f.span)
    functions = {**program.functions, name: rule}
    return replace(program, functions=functions, order=(*program.order, name)), name


def _rebuilt(program: core.Program, p: core.Param, free: Sequence[FreeField]) -> core.CExpr:
    """The argument `p`, with each free field under it read from its new parameter."""
    arg: core.CExpr = core.Var(p.name, ty=p.ty)
    if not free:
        return arg
    return _with_fields(program, arg, p.ty, [(x.path, x) for x in free])


def _with_fields(
    program: core.Program, value: core.CExpr, ty: Type, free: Sequence[tuple[tuple[int, ...], FreeField]]
) -> core.CExpr:
    """`value` (a record of type `ty`) rebuilt with the free fields at their paths."""
    for path, x in free:
        if not path:
            new: core.CExpr = core.Var(x.text, ty=x.ty)
            if not x.optional:
                return new
            # present (with the free value) or absent, as the free Bool says
            some, none = core.SomeE(new, ty=OptT(x.ty)), core.NoneE(ty=OptT(x.ty))
            return core.If(core.Var(presence(x), ty=BOOL), some, none, ty=OptT(x.ty))
    assert isinstance(ty, RecordT)
    record = program.records[ty.name]
    fields: list[core.CExpr] = []
    for i, (fname, fty) in enumerate(record.fields):
        under = [(path[1:], x) for path, x in free if path[0] == i]
        old = core.Field(value, i, fname, ty=fty)
        fields.append(_with_fields(program, old, fty, under) if under else old)
    return core.RecordE(ty.name, tuple(fields), ty=ty)


def loosened(
    program: core.Program, f: core.Function, data: object, free: Sequence[FreeField]
) -> tuple[object, frozenset[str]]:
    """The arguments' JSON with every free field given some value where it is left out
    (the question replaces it), and the JSON paths of the records holding a free field,
    which decoding does not hold to their invariants (the question does, on the value
    of the field it asks about: one given in the input may break them)."""
    if not isinstance(data, dict):
        return data, frozenset()
    data = copy.deepcopy(data)
    unchecked: set[str] = set()
    for x in free:
        holder = data.get(x.param)
        ty: Type = next(p.ty for p in f.params if p.name == x.param)
        path = f"$.{x.param}"
        for depth, i in enumerate(x.path):
            if not isinstance(holder, dict) or not isinstance(ty, RecordT):
                break
            unchecked.add(path)
            fname, ty = program.records[ty.name].fields[i]
            if depth == len(x.path) - 1:
                some = None if x.optional else encode(program, x.ty, _some_value(program, x.ty))
                holder.setdefault(fname, some)
            holder, path = holder.get(fname), f"{path}.{fname}"
    return data, frozenset(unchecked)


def _some_value(program: core.Program, ty: Type) -> core.Value:
    """A value of the scalar type `ty` (any: the question replaces it)."""
    if ty == BOOL:
        return False
    if ty == TEXT:
        return ""
    if isinstance(ty, EnumT):
        return program.enums[ty.name].variants[0]
    return 0
