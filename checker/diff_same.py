"""Functions a diff need not compile: same definition, same everything they read.

Two versions of a policy usually differ in a few clauses. A function whose own
definition is unchanged (the typed core compares without source positions), and
whose callees, constants, records and enums are unchanged too, computes the same
value on every input: it is equivalent without a solver, and without compiling
it (a checkout over 80 coupons would otherwise be unrolled twice just to find
the same term on both sides).

List bounds do not count: the versions are compared on inputs whose lists fit
both bounds (`checker/diff_inputs.py`), and on those a definition written the
same computes the same whatever bounds its types state (a wallet raised from 80
to 100 coupons changes the type of every definition that takes it, and none of
their answers). The bound change itself is an input change (`diff_domains`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from smallprint.model import core
from smallprint.model.types import EnumT, ListT, OptT, RecordT, Type, WindowT


def reads_of(f: core.Function) -> tuple[list[str], list[str]]:
    """The functions (called or overriding) and constants `f` reads directly."""
    calls: list[str] = list(f.overridden_by) if isinstance(f, core.RuleDef) else []
    consts: list[str] = []
    for top in core.function_exprs(f):
        for e in core.walk(top):
            if isinstance(e, core.Call):
                calls.append(e.func)
            elif isinstance(e, core.ConstRef):
                consts.append(e.name)
    return list(dict.fromkeys(calls)), list(dict.fromkeys(consts))


def reads_lists(program: core.Program, name: str) -> bool:
    """Whether `name`'s value can depend on a list's elements or length: a list-typed
    expression in it or in anything it reads, or `==`/`!=` on values holding lists. One
    that reads none answers alike on every list length."""
    memo: dict[str, bool] = {}

    def holds_list(ty: Type, seen: frozenset[str] = frozenset()) -> bool:
        if isinstance(ty, ListT):
            return True
        if isinstance(ty, OptT | WindowT):
            inner = ty.inner if isinstance(ty, OptT) else ty.elem
            return holds_list(inner, seen)
        if isinstance(ty, RecordT) and ty.name not in seen and ty.name in program.records:
            return any(holds_list(t, seen | {ty.name}) for _, t in program.records[ty.name].fields)
        return False

    def in_exprs(tops: Iterable[core.CExpr]) -> bool:
        for top in tops:
            for e in core.walk(top):
                if isinstance(e.ty, ListT):
                    return True
                if isinstance(e, core.Op) and e.op in ("==", "!=") and any(holds_list(a.ty) for a in e.args):
                    return True
        return False

    def reads(name: str) -> bool:
        if name not in memo:
            memo[name] = False  # no recursion in the core; this only guards a bad program
            f = program.functions[name]
            callees, consts = reads_of(f)
            memo[name] = (
                in_exprs(core.function_exprs(f))
                or any(in_exprs((program.consts[c].value,)) for c in consts if c in program.consts)
                or any(reads(c) for c in callees if c in program.functions)
            )
        return memo[name]

    return reads(name)


def unchanged(old: core.Program, new: core.Program) -> set[str]:
    """The functions of both programs that are the same in every respect that counts."""
    memo: dict[str, bool] = {}

    def same(name: str) -> bool:
        if name not in memo:
            memo[name] = False  # no recursion in the core; this only guards a bad program
            of, nf = old.functions.get(name), new.functions.get(name)
            memo[name] = (
                of is not None
                and nf is not None
                and alike(of, nf)
                and same_types(old, new, _types_of(nf))
                and all(same(c) for c in reads_of(nf)[0])
                and all(old.consts.get(c) == new.consts.get(c) for c in reads_of(nf)[1])
            )
        return memo[name]

    return {n for n in new.functions if same(n)}


def _types_of(f: core.Function) -> Iterator[Type]:
    yield f.ret
    for p in f.params:
        yield p.ty
    for top in core.function_exprs(f):
        for e in core.walk(top):
            yield e.ty


def same_types(old: core.Program, new: core.Program, types: Iterable[Type]) -> bool:
    """Whether every record and enum that `types` name (and those inside them) is declared
    the same in both programs."""
    seen: set[str] = set()
    todo = list(types)
    while todo:
        ty = todo.pop()
        if isinstance(ty, ListT):
            todo.append(ty.elem)
        elif isinstance(ty, OptT):
            todo.append(ty.inner)
        elif isinstance(ty, WindowT):
            todo.append(ty.elem)
        elif isinstance(ty, EnumT) and ty.name not in seen:
            seen.add(ty.name)
            if old.enums.get(ty.name) != new.enums.get(ty.name):
                return False
        elif isinstance(ty, RecordT) and ty.name not in seen:
            seen.add(ty.name)
            o, n = old.records.get(ty.name), new.records.get(ty.name)
            if o is None or n is None or not alike(o, n):
                return False
            todo.extend(fty for _, fty in n.fields)
    return True


def alike(a: object, b: object) -> bool:
    """Equal (as `==` compares: spans aside) but for the bounds of list types."""
    todo = [(a, b)]
    while todo:
        x, y = todo.pop()
        if x is y:
            continue
        if isinstance(x, ListT) and isinstance(y, ListT):
            todo.append((x.elem, y.elem))
        elif type(x) is not type(y):
            return False
        elif isinstance(x, tuple) and isinstance(y, tuple):
            if len(x) != len(y):
                return False
            todo.extend(zip(x, y, strict=True))
        elif isinstance(x, dict) and isinstance(y, dict):
            if x.keys() != y.keys():
                return False
            todo.extend((x[k], y[k]) for k in x)
        elif dataclasses.is_dataclass(x) and not isinstance(x, type):
            todo.extend((getattr(x, f.name), getattr(y, f.name)) for f in dataclasses.fields(x) if f.compare)
        elif x != y:
            return False
    return True
