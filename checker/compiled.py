"""What compiling a function or a property produces (`checker/compile.py`): the
terms of its clauses and conditions, its side conditions, and the template or
property query that holds them. Shared by the queries that read them (proofs,
lints, explanations, diff) without depending on the compiler itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import z3

from smallprint.grammar.span import Span
from smallprint.model import core
from smallprint.model.ast import Cite
from smallprint.model.types import Type

from .symenv import Sym, SymEnv
from .terms import Side


@dataclass(frozen=True)
class CondTerm:
    """One condition of a clause: evaluated when `reached` holds; `holds` is its value."""

    span: Span
    holds: z3.BoolRef
    reached: z3.BoolRef
    binds: bool


@dataclass(frozen=True)
class ClauseTerm:
    """A clause of a rule (when/unless/except), a case of a def (case/otherwise), or
    an overriding rule (overridden). `site` names the chain of calls that led to it
    (empty for the clauses of the function itself)."""

    func: str
    kind: str
    index: tuple[int, ...]
    span: Span
    cites: tuple[Cite, ...]
    holds: z3.BoolRef
    reached: z3.BoolRef
    conds: tuple[CondTerm, ...]
    site: tuple[str, ...] = ()


@dataclass
class Acc:
    """What one compilation collects besides its value."""

    sides: list[Side] = field(default_factory=list)
    clauses: list[ClauseTerm] = field(default_factory=list)
    record: bool = True  # false inside a Z3 quantifier: clause terms would mention bound constants
    calls: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Template:
    """A function compiled over fresh parameters."""

    func: core.Function
    env: SymEnv
    param_types: tuple[Type, ...]  # the declared types, list bounds narrowed to the call's
    params: tuple[Sym, ...]
    result: Sym
    sides: tuple[Side, ...]
    clauses: tuple[ClauseTerm, ...]


@dataclass(frozen=True)
class PropertyQuery:
    """A property with its top-level `forall` binders made free constants of `env`."""

    prop: core.PropertyDef
    env: SymEnv
    binders: tuple[tuple[str, Type], ...]
    inner: core.CExpr  # the body below the top-level binders
    wf: tuple[z3.BoolRef, ...]
    body: z3.BoolRef
    sides: tuple[Side, ...]
    clauses: tuple[ClauseTerm, ...]
    bounds: tuple[tuple[str, int], ...]  # every bounded list the property ranges over
    # What its `where` assumes of the binders (None: it assumes nothing): a property
    # proved with no input meeting it holds vacuously, which an auditor must hear.
    assumed: z3.BoolRef | None = None


Scope = dict[str, Sym]
