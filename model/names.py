"""Declarations of a policy gathered into one namespace, and type resolution.

Every top-level name is unique across the policy's modules; a module sees its
own names and those of the modules it imports. This module owns those two
facts and the translation of written types (`ast.TypeRef`) into `types.Type`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from smallprint.grammar.span import Diagnostic, Label, Span
from smallprint.model import ast
from smallprint.model.types import PRIMS, EnumT, ListT, OptT, RecordT, Type

BUILTIN_FUNCTIONS = frozenset(
    {
        "round_down",
        "round_up",
        "round_half_up",
        "round_half_even",
        "starts_with",
        "ends_with",
        "contains",
        "length",
        "date_of",
        "start_of",
    }
)


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


@dataclass
class Namespace:
    """Where every name of the policy is declared, and who may see it."""

    types: dict[str, ast.EnumDecl | ast.RecordDecl] = field(default_factory=dict)
    values: dict[str, ast.ConstDecl | ast.DefDecl | ast.RuleDecl | ast.WindowDecl] = field(
        default_factory=dict
    )
    properties: dict[str, ast.PropertyDecl] = field(default_factory=dict)
    plans: dict[str, ast.PlanDecl] = field(default_factory=dict)
    home: dict[str, str] = field(default_factory=dict)  # top-level name -> module
    visible: dict[str, frozenset[str]] = field(default_factory=dict)  # module -> modules seen
    errors: list[Diagnostic] = field(default_factory=list)

    def sees(self, module: str, name: str) -> bool:
        home = self.home.get(name)
        return home is None or home in self.visible.get(module, frozenset({module}))


def gather(modules: list[ast.Module]) -> Namespace:
    ns = Namespace()
    names = {m.name for m in modules}
    seen_modules: dict[str, ast.Module] = {}
    for m in modules:
        if m.name in seen_modules:
            ns.errors.append(
                Diagnostic(
                    f"module `{m.name}` is defined twice",
                    Span(m.file, 1, 1, 1, 2),
                    "give each file its own `module` name",
                    (Label(Span(seen_modules[m.name].file, 1, 1, 1, 2), "first defined here"),),
                )
            )
        seen_modules[m.name] = m
        visible = {m.name}
        for i, imp in enumerate(m.imports):
            if imp not in names:
                hint = suggest(imp, names) or "modules are the .sp files of the same folder"
                span = m.import_spans[i] if i < len(m.import_spans) else Span(m.file, 1, 1, 1, 2)
                ns.errors.append(Diagnostic(f"unknown module `{imp}`", span, hint))
            visible.add(imp)
        ns.visible[m.name] = frozenset(visible)
        for d in m.decls:
            _declare(ns, m, d)
    return ns


def _declare(ns: Namespace, m: ast.Module, d: ast.Decl) -> None:
    table: dict[str, ast.Decl]
    if isinstance(d, ast.EnumDecl | ast.RecordDecl):
        table = ns.types  # type: ignore[assignment]
    elif isinstance(d, ast.PropertyDecl):
        table = ns.properties  # type: ignore[assignment]
    elif isinstance(d, ast.PlanDecl):
        table = ns.plans  # type: ignore[assignment]
    elif isinstance(d, ast.TestDecl):
        return
    else:
        table = ns.values  # type: ignore[assignment]
        if d.name in BUILTIN_FUNCTIONS:
            ns.errors.append(Diagnostic(f"`{d.name}` is a built-in function and cannot be redefined", d.span))
            return
    if d.name in PRIMS or d.name == "List":
        ns.errors.append(Diagnostic(f"`{d.name}` is a built-in type and cannot be redefined", d.span))
        return
    previous = table.get(d.name)
    if previous is not None:
        ns.errors.append(
            Diagnostic(
                f"`{d.name}` is defined twice",
                d.span,
                "top-level names are shared by every module of a policy; rename one",
                (Label(previous.span, "first defined here"),),
            )
        )
        return
    table[d.name] = d
    ns.home[d.name] = m.name


def resolve_type(ns: Namespace, module: str, ref: ast.TypeRef, errors: list[Diagnostic]) -> Type | None:
    if isinstance(ref, ast.OptionalType):
        inner = resolve_type(ns, module, ref.inner, errors)
        if inner is None:
            return None
        if isinstance(inner, OptT):
            errors.append(Diagnostic("an optional of an optional is not allowed", ref.span))
            return inner
        return OptT(inner)
    if isinstance(ref, ast.ListType):
        elem = resolve_type(ns, module, ref.elem, errors)
        if elem is None:
            return None
        if isinstance(elem, ListT):
            errors.append(
                Diagnostic("lists of lists are not supported", ref.span, "wrap the inner list in a record")
            )
        return ListT(elem, ref.bound)
    assert isinstance(ref, ast.NamedType)
    if ref.name in PRIMS:
        return PRIMS[ref.name]
    decl = ns.types.get(ref.name)
    if decl is None or not ns.sees(module, ref.name):
        hint = suggest(ref.name, [*PRIMS, *ns.types])
        if decl is not None:
            hint = (
                f"`{ref.name}` is declared in module `{ns.home[ref.name]}`: add `import {ns.home[ref.name]}`"
            )
        errors.append(Diagnostic(f"unknown type `{ref.name}`", ref.span, hint))
        return None
    if isinstance(decl, ast.EnumDecl):
        return EnumT(ref.name)
    return RecordT(ref.name)
