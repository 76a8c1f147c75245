"""What a property's or a function's answer depends on, as one digest.

The cone of a definition is the definition itself, every function it calls (and
every rule that overrides one of them), every constant it reads, and every
record and enum whose values it sees (with the records' invariants, which are
assumptions of every query), transitively. Two programs whose cones of a
definition are equal (compared as the typed core compares: without source
positions) give that definition the same answers, so the digest of the cone,
with the solver settings and smallprint's own fingerprint, keys a kept result
(`checker/proof_cache.py`). An edit anywhere else in the policy leaves it alone.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import hashlib
from collections.abc import Iterable, Iterator
from fractions import Fraction

from smallprint.model import core
from smallprint.model.types import EnumT, ListT, OptT, RecordT, Type, WindowT

Node = tuple[str, str]  # ("function" | "const" | "record" | "enum" | "property", name)

_FIELDS: dict[type, tuple[str, ...]] = {}
_ALL_FIELDS: dict[type, tuple[str, ...]] = {}
_ATOMS = (bool, int, str, Fraction, datetime.date, datetime.datetime, datetime.timedelta)


def canonical(x: object, positions: bool = False) -> str:
    """A text that two values share exactly when they compare equal as core values
    (fields excluded from comparison, such as source spans, are left out unless
    `positions`: then two values share it only if they also sit at the same places)."""
    parts: list[str] = []
    _encode(x, parts, positions)
    return "".join(parts)


def _encode(x: object, parts: list[str], positions: bool = False) -> None:
    if x is None or isinstance(x, _ATOMS):
        parts.append(f"{type(x).__name__}:{x!r};")
    elif isinstance(x, tuple | list | frozenset):
        items = sorted(x, key=canonical) if isinstance(x, frozenset) else x
        parts.append("(")
        for y in items:
            _encode(y, parts, positions)
        parts.append(")")
    elif isinstance(x, dict):
        parts.append("{")
        for k in sorted(x, key=repr):
            _encode(k, parts, positions)
            _encode(x[k], parts, positions)
        parts.append("}")
    elif isinstance(x, enum.Enum):
        parts.append(f"{type(x).__name__}.{x.name};")
    elif dataclasses.is_dataclass(x) and not isinstance(x, type):
        if positions:
            names = _ALL_FIELDS.get(type(x)) or _all_fields(x)
        else:
            names = _FIELDS.get(type(x)) or _fields(x)
        parts.append(f"{type(x).__name__}[")
        for n in names:
            _encode(getattr(x, n), parts, positions)
        parts.append("]")
    else:
        # A value without a stable text (an object's repr may hold its address) must
        # not reach a key: it would make every run a miss, or worse, a false hit.
        raise TypeError(f"no canonical form for {type(x).__name__}")


class Cones:
    """Digests of the cones of one program's definitions (memoised per definition)."""

    def __init__(self, program: core.Program, positions: bool = False) -> None:
        self.program = program
        self.positions = positions
        self._own: dict[Node, str] = {}
        self._deps: dict[Node, tuple[Node, ...]] = {}

    def digest(self, roots: Iterable[Node]) -> str:
        """The digest of the union of the cones of `roots`."""
        seen: set[Node] = set()
        todo = list(roots)
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            todo.extend(self.deps(node))
        h = hashlib.sha256()
        for node in sorted(seen):
            h.update(f"{node[0]} {node[1]} {self.own(node)}\n".encode())
        return h.hexdigest()

    def own(self, node: Node) -> str:
        """The digest of the definition itself."""
        if node not in self._own:
            text = canonical(self._definition(node), self.positions)
            self._own[node] = hashlib.sha256(text.encode()).hexdigest()
        return self._own[node]

    def deps(self, node: Node) -> tuple[Node, ...]:
        if node not in self._deps:
            self._deps[node] = tuple(dict.fromkeys(self._direct(node)))
        return self._deps[node]

    def _definition(self, node: Node) -> object:
        kind, name = node
        p = self.program
        table: dict[str, object] = {
            "function": p.functions.get(name),
            "const": p.consts.get(name),
            "record": p.records.get(name),
            "enum": p.enums.get(name),
            "property": p.properties.get(name),
        }
        return table[kind]

    def _direct(self, node: Node) -> Iterator[Node]:
        kind, name = node
        p = self.program
        if kind == "function" and name in p.functions:
            f = p.functions[name]
            if isinstance(f, core.RuleDef):
                yield from (("function", n) for n in f.overridden_by)
            yield from _types(f.ret)
            for param in f.params:
                yield from _types(param.ty)
            yield from _exprs(core.function_exprs(f))
        elif kind == "const" and name in p.consts:
            c = p.consts[name]
            yield from _types(c.ty)
            yield from _exprs([c.value])
        elif kind == "record" and name in p.records:
            r = p.records[name]
            for _, ty in r.fields:
                yield from _types(ty)
            yield from _exprs([inv.cond for inv in r.invariants])
        elif kind == "property" and name in p.properties:
            yield from _exprs([p.properties[name].body])


def _exprs(tops: Iterable[core.CExpr]) -> Iterator[Node]:
    for top in tops:
        for e in core.walk(top):
            yield from _types(e.ty)
            # Types a node names besides its own (a quantifier's bound variable, whose
            # record's invariants are assumptions even when the body never reads it).
            for name in _FIELDS.get(type(e)) or _fields(e):
                value = getattr(e, name)
                if isinstance(value, _TYPES):
                    yield from _types(value)
            if isinstance(e, core.Call):
                yield ("function", e.func)
            elif isinstance(e, core.ConstRef):
                yield ("const", e.name)


_TYPES = (RecordT, EnumT, ListT, OptT, WindowT)


def _fields(x: object) -> tuple[str, ...]:
    names = _FIELDS[type(x)] = tuple(f.name for f in dataclasses.fields(x) if f.compare)  # type: ignore[arg-type]
    return names


def _all_fields(x: object) -> tuple[str, ...]:
    names = _ALL_FIELDS[type(x)] = tuple(f.name for f in dataclasses.fields(x))  # type: ignore[arg-type]
    return names


def _types(ty: Type) -> Iterator[Node]:
    while isinstance(ty, ListT | OptT | WindowT):
        ty = ty.elem if isinstance(ty, ListT | WindowT) else ty.inner
    if isinstance(ty, RecordT):
        yield ("record", ty.name)
    elif isinstance(ty, EnumT):
        yield ("enum", ty.name)
