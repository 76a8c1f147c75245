"""Shared symbolic inputs for comparing two versions of a policy (part of `checker/diff.py`).

Both versions must be asked about the *same* input, so each parameter type gets
one symbolic value, built once (`SymEnv.fresh`) in the shape of the new
version's types, and every function of either version is called on it. The old
version reads the same leaves through an adapted value of its own shape:

* a record field is matched by name (or by a rename from the configuration);
* an enum whose variants differ is read through its variants' names: the
  shared input only takes variants both versions have, and the old version
  sees its own constant of the same name (Z3 sorts differ when variants do);
* a list whose bound differs holds at most the smaller bound;
* a field only one version has takes the value the configuration gives
  (`[diff.fields] "Order.f" = <JSON value>`, or `"any"` to range over every
  value), else `none` for an optional and `[]` for a list (as an omitted field
  of a record literal), else the diff stops and says how to map it.

Every such choice is an `Assumption` the report shows. Record invariants of
both versions hold on the shared input (the old ones through the adapted
value), and so do the list bounds of both.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field

import z3

from smallprint.model.core import Value
from smallprint.model.types import EnumT, ListT, OptT, Prim, RecordT, Type, WindowT
from smallprint.model.values import InputError, decode, show

from .compile import Compiler
from .symenv import RecordSite, Sym, SymEnv, SymList, SymOpt, SymRecord, SymScalar, SymWindow
from .terms import TRUE, and_, as_bool, implies, not_, or_

ANY = "any"


@dataclass(frozen=True)
class FieldMapping:
    """What the configuration says about fields only one version has.

    `values`: "Record.field" -> a JSON value (as `smallprint ask` reads input) or
    "any"; `renames`: "Record.new_field" -> the old field it continues.
    """

    values: Mapping[str, object] = field(default_factory=dict)
    renames: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Assumption:
    """How the diff treated a field only one version has (`version` is "old" or "new")."""

    record: str
    field: str
    version: str
    treatment: str


class MappingError(Exception):
    """Fields only one version has and no way to map them: every problem, with the fix."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class SharedInput:
    """One input of both versions: `new` and `old` read the same Z3 leaves."""

    new: Sym
    old: Sym
    new_ty: Type
    old_ty: Type
    envs: tuple[SymEnv, ...]  # the leaves, for minimisation
    wf: tuple[z3.BoolRef, ...]  # both versions' invariants and list bounds, and the mapping's constraints
    # `wf` split for comparing what each version accepts of a record input
    # (`checker/diff_domains.py`): the invariants of the input's own record in each
    # version (`new_own`, `old_own`), and all the rest (`shape`), which both sides of that
    # comparison assume alike: list lengths within their bounds, the invariants of records
    # nested inside it (their own changes are reported on them), and what makes a value of
    # the new version's types one of the old's too (enum variants both have, the configured
    # values of fields only one has). Only `shape` bounds the list lengths: were they in one
    # side alone, a list longer than its bound would be "refused" by that side only.
    shape: tuple[z3.BoolRef, ...] = ()
    new_own: tuple[z3.BoolRef, ...] = ()
    old_own: tuple[z3.BoolRef, ...] = ()


_TAGS = itertools.count()


class Aligner:
    """Builds and caches the shared inputs of two compiled versions."""

    def __init__(self, old: Compiler, new: Compiler, mapping: FieldMapping, cap: int | None = None) -> None:
        self.old = old
        self.new = new
        self.mapping = mapping
        self.cap = cap  # lists of at most this many elements (the small scope tried first)
        self.problems: dict[str, str] = {}  # "Record.field" -> what to do about it
        self.assumptions: dict[tuple[str, str, str], Assumption] = {}
        self._inputs: dict[tuple[Type, Type, int], SharedInput] = {}
        self._same: dict[tuple[Type, Type], bool] = {}

    # ---- structural comparison of types ------------------------------------------
    def incompatible(self, new_ty: Type, old_ty: Type, where: str) -> str | None:
        """Why an input of `new_ty` cannot be read as `old_ty` (None when it can)."""
        return self._incompatible(new_ty, old_ty, where, set())

    def _incompatible(self, n: Type, o: Type, where: str, seen: set[str]) -> str | None:
        if isinstance(n, OptT) and isinstance(o, OptT):
            return self._incompatible(n.inner, o.inner, where, seen)
        if isinstance(n, ListT) and isinstance(o, ListT):
            return self._incompatible(n.elem, o.elem, f"{where}[]", seen)
        if isinstance(n, RecordT) and isinstance(o, RecordT) and n.name == o.name:
            if n.name in seen:
                return None
            seen = seen | {n.name}
            old_fields = dict(self.old.types.fields(o.name))
            for fname, fty in self.new.types.fields(n.name):
                oname = self._old_name(n.name, fname)
                if oname in old_fields:
                    why = self._incompatible(fty, old_fields[oname], f"{where}.{fname}", seen)
                    if why is not None:
                        return why
            return None
        if isinstance(n, EnumT) and isinstance(o, EnumT) and n.name == o.name:
            shared = set(self.new.program.enums[n.name].variants) & set(
                self.old.program.enums[o.name].variants
            )
            return None if shared else f"`{where}`: enum `{n.name}` has no variant in both versions"
        if isinstance(n, Prim | WindowT) and n == o:
            return None
        return f"`{where}` is `{n}` in the new version and `{o}` in the old"

    def same(self, new_ty: Type, old_ty: Type) -> bool:
        """Whether the two types have the same shape (record fields, enum variants, bounds)."""
        key = (new_ty, old_ty)
        if key not in self._same:
            self._same[key] = self._same_shape(new_ty, old_ty, set())
        return self._same[key]

    def _same_shape(self, n: Type, o: Type, seen: set[str]) -> bool:
        if isinstance(n, OptT) and isinstance(o, OptT):
            return self._same_shape(n.inner, o.inner, seen)
        if isinstance(n, ListT) and isinstance(o, ListT):
            return n.bound == o.bound and self._same_shape(n.elem, o.elem, seen)
        if isinstance(n, RecordT) and isinstance(o, RecordT) and n.name == o.name:
            if n.name in seen:
                return True
            nf, of = self.new.types.fields(n.name), self.old.types.fields(o.name)
            return [x for x, _ in nf] == [x for x, _ in of] and all(
                self._same_shape(a, b, seen | {n.name}) for (_, a), (_, b) in zip(nf, of, strict=True)
            )
        if isinstance(n, EnumT) and isinstance(o, EnumT) and n.name == o.name:
            return self.new.program.enums[n.name].variants == self.old.program.enums[o.name].variants
        return n == o and isinstance(n, Prim | WindowT)

    def _old_name(self, record: str, new_field: str) -> str:
        return self.mapping.renames.get(f"{record}.{new_field}", new_field)

    # ---- inputs -------------------------------------------------------------------
    def input(self, new_ty: Type, old_ty: Type, k: int) -> SharedInput:
        """The k-th shared input of this pair of types (a function may take two orders)."""
        key = (new_ty, old_ty, k)
        if key not in self._inputs:
            self._inputs[key] = self._build(new_ty, old_ty, k)
        return self._inputs[key]

    def _build(self, new_ty: Type, old_ty: Type, k: int) -> SharedInput:
        tag = f"diff{next(_TAGS)}"
        env = SymEnv(self.new.types, tag=tag, cap=self.cap)
        root = f"{new_ty}#{k}".replace(" ", "")
        new_sym = env.fresh(root, new_ty)
        b = _Build(self, SymEnv(self.old.types, tag=f"{tag}.old", cap=self.cap))
        old_sym = b.adapt(new_sym, new_ty, old_ty, TRUE, root)
        old_sites = SymEnv(self.old.types, tag=f"{tag}.sites", sites=b.sites)
        old_wf = (*self.old.well_formed(old_sites), *self.old.well_formed(b.extra))
        mapped = tuple(b.constraints)
        wf = (*self.new.well_formed(env), *old_wf, *mapped)
        new_root = f"({root})" if "." in root else root  # as `SymEnv.fresh` names it
        new_own, new_rest = self._split(self.new, env.sites, new_root)
        old_own, old_rest = self._split(self.old, b.sites, root)
        shape = (*env.structure, *new_rest, *old_rest, *self.old.well_formed(b.extra), *mapped)
        envs = (env, b.extra)
        return SharedInput(new_sym, old_sym, new_ty, old_ty, envs, wf, shape, new_own, old_own)

    @staticmethod
    def _split(
        compiler: Compiler, sites: list[RecordSite], root: str
    ) -> tuple[tuple[z3.BoolRef, ...], tuple[z3.BoolRef, ...]]:
        """The invariants of the record at `root` and those of the records inside it."""
        own = [s for s in sites if s.path == root]
        rest = [s for s in sites if s.path != root]
        return (
            tuple(compiler.well_formed(SymEnv(compiler.types, sites=own))),
            tuple(compiler.well_formed(SymEnv(compiler.types, sites=rest))),
        )

    def problem(self, record: str, fname: str, message: str) -> None:
        self.problems.setdefault(f"{record}.{fname}", message)

    def assume(self, record: str, fname: str, version: str, treatment: str) -> None:
        self.assumptions.setdefault((record, fname, version), Assumption(record, fname, version, treatment))

    def configured(self, record: str, fname: str, program_is_new: bool) -> tuple[str, Value] | None:
        """("any", None) or ("value", v) when the configuration says what the field holds."""
        key = f"{record}.{fname}"
        if key not in self.mapping.values:
            return None
        data = self.mapping.values[key]
        if data == ANY:
            return (ANY, None)
        compiler = self.new if program_is_new else self.old
        ty = dict(compiler.types.fields(record))[fname]
        try:
            return ("value", decode(compiler.program, ty, data, key))
        except InputError as exc:
            detail = "; ".join(f"{p.message}" for p in exc.problems)
            self.problem(record, fname, f"the value given for `{key}` is not a `{ty}`: {detail}")
            return None


class _Build:
    """One adaptation of a new-shaped input to the old version's types."""

    def __init__(self, aligner: Aligner, extra: SymEnv) -> None:
        self.a = aligner
        self.extra = extra  # fresh leaves of fields only the old version has ("any")
        self.sites: list[RecordSite] = []
        self.constraints: list[z3.BoolRef] = []

    def adapt(self, sym: Sym, n: Type, o: Type, guard: z3.BoolRef, path: str) -> Sym:
        if isinstance(n, OptT) and isinstance(o, OptT) and isinstance(sym, SymOpt):
            inner = self.adapt(sym.value, n.inner, o.inner, and_(guard, sym.present), path)
            return SymOpt(sym.present, inner)
        if isinstance(n, ListT) and isinstance(o, ListT) and isinstance(sym, SymList):
            if o.bound < n.bound:
                self.constraints.append(implies(guard, as_bool(sym.length <= o.bound)))
            slots = tuple(
                self.adapt(s, n.elem, o.elem, and_(guard, as_bool(sym.length > i)), f"{path}[{i}]")
                for i, s in enumerate(sym.slots[: o.bound])
            )
            return SymList(sym.length, slots)
        if isinstance(n, RecordT) and isinstance(o, RecordT) and isinstance(sym, SymRecord):
            return self._record(sym, n.name, guard, path)
        if isinstance(n, EnumT) and isinstance(o, EnumT) and isinstance(sym, SymScalar):
            return self._enum(sym, n.name, guard)
        if isinstance(sym, SymScalar | SymWindow):
            return sym
        raise AssertionError(f"cannot adapt {sym} from `{n}` to `{o}`")  # ruled out by `incompatible`

    def _record(self, sym: SymRecord, name: str, guard: z3.BoolRef, path: str) -> SymRecord:
        a = self.a
        new_fields = a.new.types.fields(name)
        by_old_name = {
            a._old_name(name, f): (f, t, s) for (f, t), s in zip(new_fields, sym.fields, strict=True)
        }
        out: list[Sym] = []
        for fname, fty in a.old.types.fields(name):
            if fname in by_old_name:
                nf, nty, nsym = by_old_name[fname]
                out.append(self.adapt(nsym, nty, fty, guard, f"{path}.{nf}"))
            else:
                out.append(self._old_only(name, fname, fty, path))
        rec = SymRecord(name, tuple(out))
        self.sites.append(RecordSite(name, rec, guard, path))
        old_names = {f for f, _ in a.old.types.fields(name)}
        for (fname, fty), fsym in zip(new_fields, sym.fields, strict=True):
            if a._old_name(name, fname) not in old_names:
                self._new_only(name, fname, fty, fsym, guard)
        return rec

    def _old_only(self, record: str, fname: str, ty: Type, path: str) -> Sym:
        """A field the new version dropped: the old version still reads some value of it."""
        a = self.a
        choice = a.configured(record, fname, program_is_new=False)
        if choice is not None and choice[0] == ANY:
            a.assume(record, fname, "old", "any value (smallprint.toml)")
            return self.extra.fresh(f"{path}.{fname}", ty)
        if choice is not None:
            a.assume(record, fname, "old", f"{show(a.old.program, ty, choice[1])} (smallprint.toml)")
            return a.old.types.value(choice[1], ty)
        if isinstance(ty, OptT | ListT) and not _counterparts(a, record, fname, ty, "old"):
            a.assume(record, fname, "old", "none" if isinstance(ty, OptT) else "[]")
            return a.old.types.value(None if isinstance(ty, OptT) else (), ty)
        a.problem(record, fname, _how_to_map(a, record, fname, ty, "old"))
        return a.old.types.placeholder(ty)

    def _new_only(self, record: str, fname: str, ty: Type, sym: Sym, guard: z3.BoolRef) -> None:
        """A field the new version added: the shared input is held to what old inputs mean."""
        a = self.a
        choice = a.configured(record, fname, program_is_new=True)
        if choice is not None and choice[0] == ANY:
            a.assume(record, fname, "new", "any value (smallprint.toml)")
            return
        if choice is not None:
            value = a.new.types.value(choice[1], ty)
            self.constraints.append(implies(guard, a.new.equal(sym, value)))
            a.assume(record, fname, "new", f"{show(a.new.program, ty, choice[1])} (smallprint.toml)")
            return
        if _counterparts(a, record, fname, ty, "new"):
            # Maybe a rename: defaulting it would silently compare nothing.
            a.problem(record, fname, _how_to_map(a, record, fname, ty, "new"))
            return
        if isinstance(sym, SymOpt):
            self.constraints.append(implies(guard, not_(sym.present)))
            a.assume(record, fname, "new", "none")
            return
        if isinstance(sym, SymList):
            self.constraints.append(implies(guard, as_bool(sym.length == 0)))
            a.assume(record, fname, "new", "[]")
            return
        a.problem(record, fname, _how_to_map(a, record, fname, ty, "new"))

    def _enum(self, sym: SymScalar, name: str, guard: z3.BoolRef) -> SymScalar:
        a = self.a
        new_variants = a.new.types.enums[name][1]
        old_variants = a.old.types.enums[name][1]
        if list(new_variants) == list(old_variants):
            return sym
        shared = [v for v in new_variants if v in old_variants]
        if len(shared) < len(new_variants):
            allowed = or_(*(as_bool(sym.term == new_variants[v]) for v in shared))
            self.constraints.append(implies(guard, allowed))
        # The old version reads the variant of the same name (its own Z3 constant).
        term = old_variants[shared[-1]]
        for v in reversed(shared[:-1]):
            term = z3.If(sym.term == new_variants[v], old_variants[v], term)
        return SymScalar(term)


def _counterparts(a: Aligner, record: str, fname: str, ty: Type, version: str) -> list[str]:
    """Fields of the same type that only the other version has: `fname` may be one renamed."""
    old_fields = a.old.types.fields(record)
    new_fields = a.new.types.fields(record)
    matched = {a._old_name(record, f) for f, _ in new_fields}
    if version == "new":  # `fname` is new only: old fields no new field continues
        return [f for f, t in old_fields if t == ty and f not in matched]
    old_names = {f for f, _ in old_fields}  # `fname` is old only: new fields that continue none
    return [f for f, t in new_fields if t == ty and a._old_name(record, f) not in old_names]


def _how_to_map(a: Aligner, record: str, fname: str, ty: Type, version: str) -> str:
    candidates = _counterparts(a, record, fname, ty, version)
    verb = "added" if version == "new" else "removed"
    lines = [
        f"record `{record}` {verb} field `{fname}: {ty}`: say what it holds for inputs of the "
        f"{'old' if version == 'new' else 'new'} version in smallprint.toml, under [diff.fields]:",
        f'  "{record}.{fname}" = <a JSON value, as `smallprint ask` reads it>   # or "any": every value',
    ]
    if candidates and version == "new":
        lines.append(
            f'  or, if it continues an old field, under [diff.rename]: "{record}.{fname}" = "{candidates[0]}"'
        )
    elif candidates:
        lines.append(
            f'  or, if a new field continues it, under [diff.rename]: "{record}.{candidates[0]}" = "{fname}"'
        )
    return "\n".join(lines)
