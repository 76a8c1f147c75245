"""Declarations of all modules of a policy -> one checked `core.Program`.

Order of work: gather names (`model/names.py`), resolve record and enum
types, compute signatures (a window's element type comes from its start
expression), elaborate every body with `model/typecheck.py`, then check what
needs the whole program: rule relations (`opposes`, `overrides`) and the
absence of recursion. Without recursion every use of negation is stratified
by construction, so no separate stratification pass is needed.

Every diagnostic of every module is collected and raised together.
"""

from __future__ import annotations

from smallprint.grammar.span import Diagnostic, Label, SmallprintError, Span
from smallprint.model import ast, core
from smallprint.model.fmt import expr_text
from smallprint.model.names import Namespace, decl_span, gather, resolve_type
from smallprint.model.recursion import call_graph, cycle_errors
from smallprint.model.typecheck import Checker, Scope, Signature
from smallprint.model.types import (
    BOOL,
    DATE,
    DATETIME,
    ERROR,
    INT,
    ORDERED,
    EnumT,
    Exact,
    ListT,
    OptT,
    RecordT,
    Type,
    WindowT,
)


class _Elaborator:
    def __init__(self, modules: list[ast.Module]) -> None:
        self.modules = modules
        self.ns: Namespace = gather(modules)
        self.errors: list[Diagnostic] = list(self.ns.errors)
        self.signatures: dict[tuple[str, str], Signature | None] = {}
        self.in_progress: set[str] = set()
        self.window_bodies: dict[str, core.MkWindow] = {}
        self.calls: dict[str, set[str]] = {}
        self.const_types: dict[tuple[str, str], Type | None] = {}

    # ---- helpers -----------------------------------------------------------------
    def checker(self, module: str, calls: set[str], properties: bool = False) -> Checker:
        ns = self.ns.view(module)
        return Checker(
            ns,
            module,
            lambda name: self.signature_of(name, ns),
            lambda name: self.const_type(name, ns),
            self.errors,
            calls,
            properties,
        )

    def resolve(self, module: str, ref: ast.TypeRef, in_record: bool = False) -> Type:
        t = resolve_type(self.ns.view(module), module, ref, self.errors, in_record)
        return ERROR if t is None else t

    def params(self, module: str, params: tuple[ast.Param, ...]) -> tuple[core.Param, ...]:
        seen: dict[str, ast.Param] = {}
        out = []
        for p in params:
            if p.name in seen:
                self.errors.append(
                    Diagnostic(
                        f"parameter `{p.name}` is declared twice",
                        p.span,
                        labels=(Label(seen[p.name].span, "first declared here"),),
                    )
                )
            seen[p.name] = p
            out.append(core.Param(p.name, self.resolve(module, p.type)))
        return tuple(out)

    def const_type(self, name: str, ns: Namespace | None = None) -> Type | None:
        """The declared type of constant `name`, as a module whose view is `ns` sees it."""
        ns = ns or self.ns
        key = (ns.home[name], name)
        if key not in self.const_types:
            decl = ns.values[name]
            assert isinstance(decl, ast.ConstDecl)
            self.const_types[key] = self.resolve(key[0], decl.type)
        return self.const_types[key]

    def signature_of(self, name: str, ns: Namespace | None = None) -> Signature | None:
        """The signature of `name`, as a module whose view is `ns` sees it (a name declared
        twice has one per declaring module)."""
        ns = ns or self.ns
        module = ns.home[name]
        key = (module, name)
        if key in self.signatures:
            return self.signatures[key]
        decl = ns.values[name]
        sig: Signature | None
        if isinstance(decl, ast.DefDecl):
            sig = Signature(
                self.params(module, decl.params), self.resolve(module, decl.result), "def", decl.span
            )
        elif isinstance(decl, ast.RuleDecl):
            sig = Signature(self.params(module, decl.params), BOOL, "rule", decl.span)
        elif isinstance(decl, ast.WindowDecl):
            if name in self.in_progress:
                self.errors.append(
                    Diagnostic(
                        f"window `{name}` is defined in terms of itself", decl_span(decl), code="recursion"
                    )
                )
                self.signatures[key] = None
                return None
            self.in_progress.add(name)
            sig = self.window_signature(decl, module)
            self.in_progress.discard(name)
        else:
            return None
        self.signatures[key] = sig
        return sig

    def window_signature(self, decl: ast.WindowDecl, module: str) -> Signature | None:
        params = self.params(module, decl.params)
        scope = Scope({p.name: p.ty for p in params})
        calls = self.calls.setdefault(decl.name, set())
        checker = self.checker(module, calls)
        start = checker.infer(decl.start, scope)
        elem = start.ty.inner if isinstance(start.ty, OptT) else start.ty
        if elem not in (DATE, DATETIME, INT, ERROR):
            self.errors.append(
                Diagnostic(
                    f"a window runs between dates, date-times or integers, found `{elem}`",
                    decl.start.span,
                )
            )
            elem = ERROR
        end = checker.check(decl.end, scope, OptT(elem)) if elem != ERROR else checker.infer(decl.end, scope)
        if not isinstance(start.ty, OptT) and elem != ERROR:
            start = core.SomeE(start, ty=OptT(elem), span=start.span)
        self.window_bodies[decl.name] = core.MkWindow(start, end, ty=WindowT(elem), span=decl.span)
        return Signature(params, WindowT(elem), "window", decl.span)

    # ---- the whole program -------------------------------------------------------
    def run(self) -> core.Program:
        enums: dict[str, core.EnumDef] = {}
        records: dict[str, core.RecordDef] = {}
        for name, tdecl in self.ns.types.items():
            if isinstance(tdecl, ast.EnumDecl):
                enums[name] = self.enum(tdecl)
        for name, tdecl in self.ns.types.items():
            if isinstance(tdecl, ast.RecordDecl):
                records[name] = self.record(tdecl)
        self.check_record_cycles(records)
        consts: dict[str, core.ConstDef] = {}
        functions: dict[str, core.Function] = {}
        for name, decl in self.ns.values.items():
            if isinstance(decl, ast.ConstDecl):
                consts[name] = self.const(decl)
            else:
                f = self.function(decl)
                if f is not None:
                    functions[name] = f
        self.check_duplicates()
        functions = self.relate(functions)
        order = self.check_recursion(functions, consts)
        properties = {name: self.property(p) for name, p in self.ns.properties.items()}
        tests: list[core.TestDef] = []
        for m in self.modules:
            for d in m.decls:
                if isinstance(d, ast.TestDecl):
                    tests.append(self.test(d, m.name))
        plans = {name: self.plan(p) for name, p in self.ns.plans.items()}
        if self.errors:
            files = {m.file: i for i, m in enumerate(self.modules)}
            raise SmallprintError(sorted_diagnostics(_dedupe(self.errors), files))
        return core.Program(
            enums, records, consts, functions, properties, tuple(tests), plans=plans, order=order
        )

    def check_duplicates(self) -> None:
        """The bodies of declarations that repeat a name (reported by `gather`) are checked
        too, in their own module, so that every error of a file shows at once; their
        results are dropped."""
        for name, entries in self.ns.duplicates.items():
            for module, decl in entries:
                if decl is self.ns.types.get(name) or decl is self.ns.values.get(name):
                    continue
                if isinstance(decl, ast.EnumDecl):
                    self.enum(decl)
                elif isinstance(decl, ast.RecordDecl):
                    self.record(decl, module)
                elif isinstance(decl, ast.ConstDecl):
                    ty = self.resolve(module, decl.type)
                    self.checker(module, set()).check(decl.value, Scope(), ty)
                elif isinstance(decl, ast.DefDecl | ast.RuleDecl):
                    self.function(decl, module)

    def enum(self, decl: ast.EnumDecl) -> core.EnumDef:
        seen: set[str] = set()
        for v in decl.variants:
            if v.name in seen:
                self.errors.append(Diagnostic(f"variant `{v.name}` is listed twice in `{decl.name}`", v.span))
            seen.add(v.name)
        return core.EnumDef(decl.name, tuple(dict.fromkeys(v.name for v in decl.variants)), span=decl.span)

    def record(self, decl: ast.RecordDecl, module: str | None = None) -> core.RecordDef:
        module = module or self.ns.home[decl.name]
        fields: list[tuple[str, Type]] = []
        seen: dict[str, ast.FieldDecl] = {}
        for f in decl.fields:
            if f.name in seen:
                self.errors.append(
                    Diagnostic(
                        f"field `{f.name}` is declared twice in `{decl.name}`",
                        f.span,
                        labels=(Label(seen[f.name].span, "first declared here"),),
                    )
                )
                continue
            seen[f.name] = f
            fields.append((f.name, self.resolve(module, f.type, in_record=True)))
        self_ty = RecordT(decl.name)
        invariants = []
        for inv in decl.invariants:
            scope = Scope({name: ty for name, ty in fields})
            body = self.checker(module, set()).check(inv.cond, scope, BOOL)
            # Fields are read from `self`, the record being checked.
            for i in reversed(range(len(fields))):
                fname, fty = fields[i]
                field_value = core.Field(core.Var("self", ty=self_ty), i, fname, ty=fty)
                body = core.Let(fname, field_value, body, ty=BOOL, span=inv.span)
            invariants.append(core.Invariant(inv.name, body, inv.cites, span=inv.span))
        return core.RecordDef(decl.name, tuple(fields), tuple(invariants), span=decl.span)

    def check_record_cycles(self, records: dict[str, core.RecordDef]) -> None:
        """A record may not contain itself, however deep: its values would be infinite."""

        def contained(t: Type) -> set[str]:
            if isinstance(t, OptT):
                return contained(t.inner)
            if isinstance(t, ListT):
                return contained(t.elem)
            return {t.name} if isinstance(t, RecordT) else set()

        done: set[str] = set()

        def visit(name: str, path: list[str]) -> bool:
            decl = self.ns.types[name]
            assert isinstance(decl, ast.RecordDecl)
            for (fname, fty), fdecl in zip(records[name].fields, decl.fields, strict=False):
                for inner in sorted(contained(fty)):
                    if inner not in records or inner in done:
                        continue
                    if inner in path or inner == name:
                        cycle = " -> ".join([*path[path.index(inner) :], name, inner])
                        self.errors.append(
                            Diagnostic(
                                f"record `{inner}` contains itself ({cycle})",
                                fdecl.span,
                                f"records must be finite: give `{fname}` an id instead of the record",
                                code="recursion",
                            )
                        )
                        return True
                    if visit(inner, [*path, name]):
                        return True
            done.add(name)
            return False

        for name in records:
            if name not in done and visit(name, []):
                return

    def const(self, decl: ast.ConstDecl) -> core.ConstDef:
        module = self.ns.home[decl.name]
        ty = self.const_type(decl.name) or ERROR
        calls = self.calls.setdefault(decl.name, set())
        value = self.checker(module, calls).check(decl.value, Scope(), ty)
        return core.ConstDef(decl.name, ty, value, decl.cites, span=decl.span)

    def clause(
        self, checker: Checker, cond: ast.Expr, scope: Scope, cites: tuple[ast.Cite, ...], span: Span
    ) -> tuple[core.Clause, Scope]:
        conds, inner = checker.conditions(cond, scope)
        return core.Clause(tuple(conds), cites, span=span), inner

    def function(self, decl: ast.Decl, duplicate_in: str | None = None) -> core.Function | None:
        """A function's body checked; `duplicate_in`: the module of a declaration that repeats
        the name, checked for its errors alone (against its own parameters, outside the call
        graph)."""
        module = duplicate_in or self.ns.home[decl.name]
        sig: Signature | None
        calls: set[str] = set()
        if duplicate_in is None:
            sig = self.signature_of(decl.name)
            calls = self.calls.setdefault(decl.name, set())
        elif isinstance(decl, ast.DefDecl):
            params = self.params(module, decl.params)
            sig = Signature(params, self.resolve(module, decl.result), "def", decl.span)
        elif isinstance(decl, ast.RuleDecl):
            sig = Signature(self.params(module, decl.params), BOOL, "rule", decl.span)
        else:
            return None
        if sig is None:
            return None
        scope = Scope({p.name: p.ty for p in sig.params})
        checker = self.checker(module, calls)
        if isinstance(decl, ast.WindowDecl):
            return core.DefDef(
                decl.name,
                sig.params,
                sig.ret,
                self.window_bodies.get(decl.name),
                kind="window",
                cites=decl.cites,
                span=decl.span,
            )
        if isinstance(decl, ast.RuleDecl):
            whens: list[core.Clause] = []
            unlesses: list[core.Unless] = []
            for c in decl.clauses:
                clause, _ = self.clause(checker, c.cond, scope, c.cites, c.span)
                if c.kind == "when":
                    whens.append(clause)
                    continue
                checker.unless_binding = c.cond  # for the hint on a name only it binds
                excepts = tuple(self.clause(checker, x.cond, scope, x.cites, x.span)[0] for x in c.excepts)
                checker.unless_binding = None
                unlesses.append(core.Unless(clause, excepts))
            relation = decl.relation
            return core.RuleDef(
                decl.name,
                sig.params,
                tuple(whens),
                tuple(unlesses),
                opposes=relation[1] if relation and relation[0] == "opposes" else None,
                overrides=relation[1] if relation and relation[0] == "overrides" else None,
                cites=decl.cites,
                span=decl.span,
            )
        assert isinstance(decl, ast.DefDecl)
        if decl.body is not None:
            body = checker.check(decl.body, scope, sig.ret)
            return core.DefDef(decl.name, sig.params, sig.ret, body, cites=decl.cites, span=decl.span)
        cases = []
        for case in decl.cases:
            clause, inner = self.clause(checker, case.cond, scope, case.cites, case.span)
            cases.append(core.Case(clause, checker.check(case.value, inner, sig.ret)))
        assert decl.otherwise is not None
        otherwise = checker.check(decl.otherwise, scope, sig.ret)
        return core.DefDef(
            decl.name,
            sig.params,
            sig.ret,
            None,
            tuple(cases),
            otherwise,
            cites=decl.cites,
            otherwise_cites=decl.otherwise_cites,
            span=decl.span,
        )

    def relate(self, functions: dict[str, core.Function]) -> dict[str, core.Function]:
        overriders: dict[str, list[str]] = {}
        for name, f in functions.items():
            if not isinstance(f, core.RuleDef):
                continue
            other = f.opposes or f.overrides
            if other is None:
                continue
            target = functions.get(other)
            word = "opposes" if f.opposes else "overrides"
            if not isinstance(target, core.RuleDef):
                self.errors.append(
                    Diagnostic(
                        f"`{name}` {word} `{other}`, which is not a rule",
                        decl_span(self.ns.values[name]),
                        code="relation",
                    )
                )
                continue
            if [p.ty for p in f.params] != [p.ty for p in target.params]:
                self.errors.append(
                    Diagnostic(
                        f"`{name}` {word} `{other}` but their parameters differ",
                        decl_span(self.ns.values[name]),
                        "related rules take the same parameter types, in the same order",
                        (Label(decl_span(self.ns.values[other]), f"`{other}` declared here"),),
                        code="relation",
                    )
                )
                continue
            if f.overrides:
                overriders.setdefault(other, []).append(name)
                self.calls.setdefault(other, set()).add(name)
        out: dict[str, core.Function] = {}
        for name, f in functions.items():
            if isinstance(f, core.RuleDef) and name in overriders:
                out[name] = core.RuleDef(
                    f.name,
                    f.params,
                    f.whens,
                    f.unlesses,
                    tuple(overriders[name]),
                    f.opposes,
                    f.overrides,
                    f.cites,
                    span=f.span,
                )
            else:
                out[name] = f
        return out

    def check_recursion(
        self, functions: dict[str, core.Function], consts: dict[str, core.ConstDef]
    ) -> tuple[str, ...]:
        """Report every cycle of the call graph (`model/recursion.py`); return the functions
        in an order where each comes after those it calls."""

        def declared(name: str) -> Span:
            return decl_span(self.ns.values[name])

        graph = call_graph(functions, consts, self.calls, declared)
        self.errors.extend(cycle_errors(graph, declared))
        order: list[str] = []
        done: set[str] = set()

        def visit(name: str) -> None:
            done.add(name)
            for callee in sorted(graph.get(name, ())):
                if callee in graph and callee not in done:
                    visit(callee)
            if name in functions:
                order.append(name)

        for name in sorted(graph):
            if name not in done:
                visit(name)
        return tuple(order)

    def plan(self, decl: ast.PlanDecl) -> core.PlanDef:
        module = self.ns.home[decl.name]
        params = self.params(module, decl.params)
        scope = Scope({p.name: p.ty for p in params})
        checker = self.checker(module, set())
        choices: list[core.Choice] = []
        lets: list[tuple[str, core.CExpr]] = []
        each: list[core.EachLet] = []
        requires: list[core.Require] = []
        objectives: list[core.Objective] = []
        for item in decl.items:
            if isinstance(item, ast.Choose):
                choice = self.choice(checker, item, scope)
                if choice is not None:
                    choices.append(choice)
            elif isinstance(item, ast.PlanLet):
                if item.name in scope.names or item.name in checker.report_only:
                    self.errors.append(
                        Diagnostic(f"`{item.name}` is already defined in this plan", item.span)
                    )
                if item.binders:
                    each.append(self.each_let(checker, item, scope))
                    checker.report_only[item.name] = item.span
                    continue
                value = checker.infer(item.value, scope)
                lets.append((item.name, value))
                scope = scope.with_(item.name, value.ty)
            elif isinstance(item, ast.Require):
                cond = checker.check(item.cond, scope, BOOL)
                requires.append(core.Require(expr_text(item.cond), cond, item.cites, span=item.span))
            else:
                for obj in item.items:
                    value = checker.infer(obj.expr, scope)
                    base = value.ty.unit if isinstance(value.ty, Exact) else value.ty
                    if base not in ORDERED and base != ERROR:
                        self.errors.append(
                            Diagnostic(
                                f"an objective must be a number or amount, found `{value.ty}`", obj.span
                            )
                        )
                    objectives.append(
                        core.Objective(obj.direction, value, expr_text(obj.expr), span=obj.span)
                    )
        if not any(isinstance(item, ast.Choose) for item in decl.items):
            # A `choose` that is wrong is reported itself: the plan does not also "choose nothing".
            self.errors.append(
                Diagnostic(
                    f"plan `{decl.name}` chooses nothing",
                    decl_span(decl),
                    "add `choose x.field for x in xs`",
                )
            )
        if not objectives:
            self.errors.append(
                Diagnostic(f"plan `{decl.name}` has no objective", decl_span(decl), "add `minimize ...`")
            )
        return core.PlanDef(
            decl.name,
            params,
            tuple(choices),
            tuple(lets),
            tuple(requires),
            tuple(objectives),
            decl.cites,
            tuple(each),
            span=decl.span,
        )

    def each_let(self, checker: Checker, item: ast.PlanLet, scope: Scope) -> core.EachLet:
        """`let name = value for x in xs, ... where c`: the value under each combination."""
        binders: list[tuple[str, core.CExpr]] = []
        for b in item.binders:
            if b.source is None:
                self.errors.append(
                    Diagnostic(
                        f"`{b.name}` ranges over a type: a plan reports values of elements of its inputs",
                        b.span,
                        f"range over a list instead: `for {b.name} in xs`",
                    )
                )
                continue
            source, elem = checker.source(b.source, scope)
            binders.append((b.name, source))
            scope = scope.with_(b.name, elem)
        conds: list[core.Cond] = []
        if item.where is not None:
            conds, scope = checker.conditions(item.where, scope)
        value = checker.infer(item.value, scope)
        where = checker.fold_and(conds, None, item.where.span) if item.where is not None else None
        # The value is read only where `where` holds, so its other branch is never taken.
        value = checker.fold_if(conds, value, value, item.value.span)
        return core.EachLet(item.name, tuple(binders), where, value, span=item.span)

    def choice(self, checker: Checker, item: ast.Choose, scope: Scope) -> core.Choice | None:
        """A chosen field must be reached from a parameter by fields (and one list)."""
        param = ""
        path: tuple[int, ...] = ()
        inner = scope
        if item.source is not None and item.var is not None:
            source = checker.infer(item.source, scope)
            if source.ty == ERROR:
                return None  # reported where it went wrong (`cart.coupon`: no such field)
            found = _field_path(source)
            if found is None or not isinstance(source.ty, ListT):
                self.errors.append(
                    Diagnostic(
                        "`choose ... for x in xs` needs a list field of a parameter as `xs`",
                        item.source.span,
                        "for example `choose c.used for c in wallet.coupons`",
                    )
                )
                return None
            param, path = found
            inner = scope.with_(item.var, source.ty.elem)
        target = checker.infer(item.target, inner)
        if target.ty == ERROR:
            return None
        found = _field_path(target)
        root = item.var if item.source is not None else None
        if (
            found is None
            or (root is not None and found[0] != root)
            or (root is None and found[0] not in scope.names)
        ):
            self.errors.append(
                Diagnostic(
                    "a plan chooses input fields: write `x.field` for the element `x`, or `param.field`",
                    item.target.span,
                )
            )
            return None
        if root is None:
            param, path = found
            field_path: tuple[int, ...] = ()
        else:
            field_path = found[1]
        if not (target.ty == BOOL or isinstance(target.ty, EnumT)):
            self.errors.append(
                Diagnostic(
                    f"a plan can choose `Bool` and enum fields, found `{target.ty}`",
                    item.target.span,
                    "model an amount as a choice among options (an enum) or a flag per option",
                )
            )
            return None
        text = expr_text(item.target) + (
            f" for {item.var} in {expr_text(item.source)}" if item.source is not None else ""
        )
        return core.Choice(
            param, path, root is not None, field_path, target.ty, text, item.cites, span=item.span
        )

    def property(self, decl: ast.PropertyDecl) -> core.PropertyDef:
        module = self.ns.home[decl.name]
        body = self.checker(module, set(), properties=True).check(decl.body, Scope(), BOOL)
        return core.PropertyDef(decl.name, body, decl.cites, decl.findings, span=decl.span)

    def test(self, decl: ast.TestDecl, module: str) -> core.TestDef:
        checker = self.checker(module, set())
        scope = Scope()
        steps: list[core.Given | core.Expect] = []
        for step in decl.steps:
            if isinstance(step, ast.Given):
                if step.type is not None:
                    value = checker.check(step.value, scope, self.resolve(module, step.type))
                else:
                    value = checker.infer(step.value, scope)
                if step.name in scope.names:
                    self.errors.append(Diagnostic(f"`{step.name}` is already given in this test", step.span))
                scope = scope.with_(step.name, value.ty)
                steps.append(core.Given(step.name, value, span=step.span))
            else:
                steps.append(core.Expect(checker.check(step.cond, scope, BOOL), span=step.span))
        return core.TestDef(decl.name, tuple(steps), module, decl.cites, span=decl.span)


def _field_path(e: core.CExpr) -> tuple[str, tuple[int, ...]] | None:
    """`p.a.b` as (`p`, (index of a, index of b)), or None for any other expression."""
    indices: list[int] = []
    while isinstance(e, core.Field):
        indices.append(e.index)
        e = e.target
    if not isinstance(e, core.Var) or not indices:
        return None
    return e.name, tuple(reversed(indices))


def _dedupe(errors: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple[str, str]] = set()
    out = []
    for d in errors:
        key = (str(d.span), d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def sorted_diagnostics(diags: list[Diagnostic], files: dict[str, int]) -> list[Diagnostic]:
    """By file (in `files` order, others after), then line and column; stable otherwise."""
    return sorted(
        diags, key=lambda d: (files.get(d.span.file, len(files)), d.span.file, d.span.line, d.span.column)
    )


def elaborate(modules: list[ast.Module]) -> core.Program:
    """Check every module of one policy together; raise every diagnostic at once."""
    return _Elaborator(modules).run()
