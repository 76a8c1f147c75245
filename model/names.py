"""Declarations of a policy gathered into one namespace, and type resolution.

Every top-level name is unique across the policy's modules; a module sees its
own names and those of the modules it imports. This module owns those two
facts and the translation of written types (`ast.TypeRef`) into `types.Type`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

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


def decl_span(d: ast.Decl) -> Span:
    """Where a diagnostic about a declaration as a whole points: its name (one line), or,
    for a declaration built without one, the whole declaration."""
    return d.name_span if d.name_span.line > 0 else d.span


def module_span(m: ast.Module) -> Span:
    """The name on a module's `module` line, or the start of a file without one."""
    return m.name_span if m.name_span.line > 0 else Span(m.file, 1, 1, 1, 2)


@dataclass
class Namespace:
    """Where every name of the policy is declared, and who may see it.

    A name declared twice (an error, reported by `gather`) keeps one declaration in the
    tables, the one the other declaring modules import if any; `view(module)` gives the
    tables as `module` sees them, with its own declaration of such a name (or an imported
    one) in place, so that a module using a name it declares itself is checked against
    that declaration and no error follows from the duplicate beyond the one reported.
    """

    types: dict[str, ast.EnumDecl | ast.RecordDecl] = field(default_factory=dict)
    values: dict[str, ast.ConstDecl | ast.DefDecl | ast.RuleDecl | ast.WindowDecl] = field(
        default_factory=dict
    )
    properties: dict[str, ast.PropertyDecl] = field(default_factory=dict)
    plans: dict[str, ast.PlanDecl] = field(default_factory=dict)
    home: dict[str, str] = field(default_factory=dict)  # top-level name -> module
    visible: dict[str, frozenset[str]] = field(default_factory=dict)  # module -> modules seen
    errors: list[Diagnostic] = field(default_factory=list)
    # Type and value names declared more than once: every (module, declaration), in order.
    duplicates: dict[str, list[tuple[str, ast.Decl]]] = field(default_factory=dict)
    _views: dict[str, Namespace] = field(default_factory=dict, repr=False, compare=False)
    _longest: dict[Type, int] | None = field(default=None, repr=False, compare=False)

    def longest_list(self, elem: Type) -> int | None:
        """The largest bound of a record's list of `elem`: every list of `elem` a policy
        sees comes from an input record (or is a literal), so none is longer."""
        if self._longest is None:
            self._longest = {}
            for name, decl in self.types.items():
                if not isinstance(decl, ast.RecordDecl):
                    continue
                for f in decl.fields:
                    if isinstance(f.type, ast.ListType) and f.type.bound is not None:
                        of = resolve_type(self, self.home.get(name, ""), f.type.elem, [])
                        if of is not None:
                            self._longest[of] = max(self._longest.get(of, 0), f.type.bound)
        return self._longest.get(elem)

    def sees(self, module: str, name: str) -> bool:
        home = self.home.get(name)
        return home is None or home in self.visible.get(module, frozenset({module}))

    def view(self, module: str) -> Namespace:
        """The tables as `module` sees them (itself when no name is declared twice)."""
        if not self.duplicates:
            return self
        if module in self._views:
            return self._views[module]
        seen = self.visible.get(module, frozenset({module}))
        types, values, home = dict(self.types), dict(self.values), dict(self.home)
        for name, entries in self.duplicates.items():
            own = [(m, d) for m, d in entries if m == module]
            if not own and self.home.get(name) not in seen:  # else the original, which it sees
                own = [(m, d) for m, d in entries if m in seen]
            if not own:
                continue
            where, decl = own[0]
            if isinstance(decl, ast.EnumDecl | ast.RecordDecl):
                types[name] = decl
            elif isinstance(decl, ast.ConstDecl | ast.DefDecl | ast.RuleDecl | ast.WindowDecl):
                values[name] = decl
            home[name] = where
        view = Namespace(types, values, self.properties, self.plans, home, self.visible)
        self._views[module] = view
        return view


def gather(modules: list[ast.Module]) -> Namespace:
    ns = Namespace()
    names = {m.name for m in modules}
    by_name: dict[str, list[ast.Module]] = {}
    for m in modules:
        by_name.setdefault(m.name, []).append(m)
    for name, same in by_name.items():
        if len(same) > 1:
            _module_twice(ns, name, same)
    for m in modules:
        visible = set(ns.visible.get(m.name, frozenset({m.name})))
        for i, imp in enumerate(m.imports):
            span = m.import_spans[i] if i < len(m.import_spans) else module_span(m)
            if imp == m.name:
                others = [x for x in m.imports if x != imp]
                rest = f"`import {', '.join(others)}`" if others else "no import line"
                ns.errors.append(
                    Diagnostic(
                        f"module `{imp}` imports itself",
                        span,
                        f"a module sees its own declarations: remove `{imp}` from the import line ({rest})",
                    )
                )
                continue
            if imp not in names:
                hint = suggest(imp, names - {m.name}) or "modules are the .sp files of the same folder"
                ns.errors.append(Diagnostic(f"unknown module `{imp}`", span, hint))
            visible.add(imp)
        ns.visible[m.name] = frozenset(visible)
    tables: dict[str, dict[str, list[tuple[str, ast.Decl]]]] = {}
    for m in modules:
        for d in m.decls:
            kind = _table_kind(ns, d)
            if kind is not None:
                tables.setdefault(kind, {}).setdefault(d.name, []).append((m.name, d))
    for kind, declared in tables.items():
        for name, entries in declared.items():
            module, decl = _original(ns, entries)
            if len(entries) > 1:
                _defined_twice(ns, name, entries, module, decl)
                if kind in ("types", "values"):
                    ns.duplicates[name] = entries
            table: dict[str, ast.Decl] = getattr(ns, kind)
            table[name] = decl
            ns.home[name] = module
    return ns


def _module_twice(ns: Namespace, name: str, same: list[ast.Module]) -> None:
    """One error for each file that repeats a module name; the file named after the module
    (`delivery.sp` for `module delivery`) is taken as the original."""
    original = next((m for m in same if Path(m.file).stem == name), same[0])
    for m in same:
        if m is original:
            continue
        hint = "give each file its own `module` name"
        stem = Path(m.file).stem
        if stem != name and stem not in {x.name for x in same}:
            hint += f" (the file name's: `module {stem}`)"
        ns.errors.append(
            Diagnostic(
                f"module `{name}` is defined twice",
                module_span(m),
                hint,
                (Label(module_span(original), f"module `{name}` is also declared here"),),
            )
        )


def _table_kind(ns: Namespace, d: ast.Decl) -> str | None:
    """The table a declaration goes in, or None (a test, or a name that cannot be declared)."""
    if isinstance(d, ast.TestDecl):
        return None
    value = not isinstance(d, ast.EnumDecl | ast.RecordDecl | ast.PropertyDecl | ast.PlanDecl)
    if value and d.name in BUILTIN_FUNCTIONS:
        ns.errors.append(
            Diagnostic(f"`{d.name}` is a built-in function and cannot be redefined", decl_span(d))
        )
        return None
    if d.name in PRIMS or d.name == "List":
        ns.errors.append(Diagnostic(f"`{d.name}` is a built-in type and cannot be redefined", decl_span(d)))
        return None
    if isinstance(d, ast.EnumDecl | ast.RecordDecl):
        return "types"
    if isinstance(d, ast.PropertyDecl):
        return "properties"
    if isinstance(d, ast.PlanDecl):
        return "plans"
    return "values"


def _original(ns: Namespace, entries: list[tuple[str, ast.Decl]]) -> tuple[str, ast.Decl]:
    """Of the declarations of one name, the one the others duplicate: the first whose
    module imports none of the other declaring modules (`bad` imports `types` and both
    declare `Slot`: `bad`'s is the duplicate), else the first."""
    for module, decl in entries:
        seen = ns.visible.get(module, frozenset({module}))
        if not any(other != module and other in seen for other, _ in entries):
            return module, decl
    return entries[0]


def _defined_twice(
    ns: Namespace, name: str, entries: list[tuple[str, ast.Decl]], module: str, original: ast.Decl
) -> None:
    first = decl_span(original)
    for other_module, d in entries:
        if d is original:
            continue
        here = decl_span(d)
        before = (first.file, first.line, first.column) < (here.file, here.line, here.column)
        label = "first defined here" if before and first.file == here.file else "also defined here"
        if other_module != module:
            label = f"also defined here, in module `{module}`"
        hint = "top-level names are shared by every module of a policy; rename one"
        if other_module != module and module in ns.visible.get(other_module, frozenset()):
            hint = (
                f"`{other_module}` imports `{module}`, which declares `{name}` already: "
                "use that one, or rename this one"
            )
        ns.errors.append(Diagnostic(f"`{name}` is defined twice", here, hint, (Label(first, label),)))


def resolve_type(
    ns: Namespace, module: str, ref: ast.TypeRef, errors: list[Diagnostic], in_record: bool = False
) -> Type | None:
    """The type `ref` names in `module` (`in_record`: of a record field, whose lists state
    their bounds: they say what inputs may hold)."""
    if isinstance(ref, ast.OptionalType):
        inner = resolve_type(ns, module, ref.inner, errors, in_record)
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
        if ref.bound is not None:
            return ListT(elem, ref.bound)
        if in_record:
            errors.append(
                Diagnostic(
                    f"a record's list states its bound, the most items it holds: `List[{elem}, 8]`",
                    ref.span,
                    "the bounds of records' lists say how long an input's lists may be; "
                    f"elsewhere `List[{elem}]` takes the longest of them",
                )
            )
            return None
        longest = ns.longest_list(elem)
        if longest is None:
            errors.append(
                Diagnostic(
                    f"no record holds a list of `{elem}`, so `List[{elem}]` has no length to take",
                    ref.span,
                    f"state the bound: `List[{elem}, 8]`",
                )
            )
            return None
        return ListT(elem, longest)
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
