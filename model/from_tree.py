"""Lark tree -> surface AST (`model/ast.py`), with a span on every node: modules
and declarations here, names, types and expressions in `model/from_tree_exprs.py`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from lark import Token, Tree

from smallprint.grammar.parser import parse
from smallprint.grammar.span import NO_SPAN, SmallprintError, Span
from smallprint.model import ast
from smallprint.model.from_tree_exprs import ExprBuilder, Node, unquote


class _Builder(ExprBuilder):
    # ---- module ---------------------------------------------------------
    def module(self, root: Tree[Token], default_name: str) -> ast.Module:
        name = default_name
        declared = False
        imports: list[str] = []
        import_spans: list[Span] = []
        decls: list[ast.Decl] = []
        name_span = NO_SPAN
        for child in root.children:
            t = self.tree(child)
            if t.data == "module_line":
                name = self.dotted(t.children[0])
                name_span = self.span(t.children[0])
                declared = True
            elif t.data == "import_line":
                for c in t.children:
                    imports.append(self.dotted(c))
                    import_spans.append(self.span(c))
            else:
                decl = self.decl(t)
                if decl is not None:
                    decls.append(decl)
        return ast.Module(
            name,
            tuple(imports),
            tuple(decls),
            file=self.file,
            declared_name=declared,
            import_spans=tuple(import_spans),
            name_span=name_span,
        )

    def dotted(self, node: Node) -> str:
        return ".".join(self.name(c) for c in self.tree(node).children)

    def decl(self, t: Tree[Token]) -> ast.Decl | None:
        handler = getattr(self, "d_" + str(t.data), None)
        if handler is None:  # pragma: no cover - grammar and builder out of step
            self.error(f"unsupported declaration `{t.data}`", t)
            return None
        result: ast.Decl = handler(t)
        # Every declaration's first child is its name (a title string for a test).
        return replace(result, name_span=self.span(t.children[0]))

    def d_enum_decl(self, t: Tree[Token]) -> ast.Decl:
        name, cites, *variants = t.children
        vs = []
        for v in variants:
            vt = self.tree(v)
            vs.append(ast.Variant(self.name(vt.children[0]), self.cites(vt.children[1]), span=self.span(vt)))
        return ast.EnumDecl(self.name(name), tuple(vs), self.cites(cites), span=self.span(t))

    def d_record_decl(self, t: Tree[Token]) -> ast.Decl:
        name, cites, *items = t.children
        fields: list[ast.FieldDecl] = []
        invariants: list[ast.Invariant] = []
        for item in items:
            it = self.tree(item)
            if it.data == "field_decl":
                fname, ftype, fcites = it.children
                fields.append(
                    ast.FieldDecl(self.name(fname), self.type(ftype), self.cites(fcites), span=self.span(it))
                )
            else:
                iname, cond, icites = it.children
                invariants.append(
                    ast.Invariant(self.name(iname), self.expr(cond), self.cites(icites), span=self.span(it))
                )
        return ast.RecordDecl(
            self.name(name), tuple(fields), tuple(invariants), self.cites(cites), span=self.span(t)
        )

    def d_const_decl(self, t: Tree[Token]) -> ast.Decl:
        name, typ, value, cites = t.children
        return ast.ConstDecl(
            self.name(name), self.type(typ), self.expr(value), self.cites(cites), span=self.span(t)
        )

    def params(self, node: Node | None) -> tuple[ast.Param, ...]:
        if node is None:
            return ()
        out = []
        for p in self.tree(node).children:
            pt = self.tree(p)
            out.append(ast.Param(self.name(pt.children[0]), self.type(pt.children[1]), span=self.span(pt)))
        return tuple(out)

    def d_def_decl(self, t: Tree[Token]) -> ast.Decl:
        name, params, result, cites, body = t.children
        b = self.tree(body)
        span = self.span(t)
        if b.data == "def_expr":
            return ast.DefDecl(
                self.name(name),
                self.params(params),
                self.type(result),
                self.expr(b.children[0]),
                (),
                None,
                self.cites(cites),
                span=span,
            )
        cases = []
        otherwise: ast.Expr | None = None
        otherwise_cites: tuple[ast.Cite, ...] = ()
        for c in b.children:
            ct = self.tree(c)
            if ct.data == "case":
                cond, value, ccites = ct.children
                cases.append(
                    ast.Case(self.expr(cond), self.expr(value), self.cites(ccites), span=self.span(ct))
                )
            else:
                otherwise = self.expr(ct.children[0])
                otherwise_cites = self.cites(ct.children[1])
        return ast.DefDecl(
            self.name(name),
            self.params(params),
            self.type(result),
            None,
            tuple(cases),
            otherwise,
            self.cites(cites),
            otherwise_cites,
            span=span,
        )

    def d_rule_decl(self, t: Tree[Token]) -> ast.Decl:
        name, params, relation, cites, *clauses = t.children
        rel: tuple[str, str] | None = None
        if relation is not None:
            rt = self.tree(relation)
            rel = (str(rt.children[0]), self.name(rt.children[1]))
        out = []
        for c in clauses:
            ct = self.tree(c)
            if ct.data == "when_clause":
                out.append(
                    ast.Clause(
                        "when", self.expr(ct.children[0]), self.cites(ct.children[1]), span=self.span(ct)
                    )
                )
            else:
                cond, ccites, *excepts = ct.children
                exs = []
                for e in excepts:
                    et = self.tree(e)
                    exs.append(
                        ast.Except(self.expr(et.children[0]), self.cites(et.children[1]), span=self.span(et))
                    )
                out.append(
                    ast.Clause("unless", self.expr(cond), self.cites(ccites), tuple(exs), span=self.span(ct))
                )
        return ast.RuleDecl(
            self.name(name), self.params(params), tuple(out), rel, self.cites(cites), span=self.span(t)
        )

    def d_window_decl(self, t: Tree[Token]) -> ast.Decl:
        name, params, cites, start, end = t.children
        return ast.WindowDecl(
            self.name(name),
            self.params(params),
            self.expr(start),
            self.expr(end),
            self.cites(cites),
            span=self.span(t),
        )

    def d_property_decl(self, t: Tree[Token]) -> ast.Decl:
        name, annotations, body = t.children
        cites: list[ast.Cite] = []
        findings: list[ast.Cite] = []
        for a in self.tree(annotations).children:
            at = self.tree(a)
            source = unquote(str(at.children[0]))
            section = unquote(str(at.children[1])) if at.children[1] is not None else None
            (cites if at.data == "cite" else findings).append(ast.Cite(source, section, span=self.span(at)))
        return ast.PropertyDecl(
            self.name(name), self.expr(body), tuple(cites), tuple(findings), span=self.span(t)
        )

    def d_test_decl(self, t: Tree[Token]) -> ast.Decl:
        title, cites, *steps = t.children
        out: list[ast.Given | ast.Expect] = []
        for s in steps:
            st = self.tree(s)
            if st.data == "given_stmt":
                gname, gtype, gvalue = st.children
                out.append(
                    ast.Given(
                        self.name(gname),
                        self.type(gtype) if gtype is not None else None,
                        self.expr(gvalue),
                        span=self.span(st),
                    )
                )
            else:
                out.append(ast.Expect(self.expr(st.children[0]), span=self.span(st)))
        return ast.TestDecl(unquote(str(title)), tuple(out), self.cites(cites), span=self.span(t))

    def d_plan_decl(self, t: Tree[Token]) -> ast.Decl:
        name, params, cites, *items = t.children
        out: list[ast.PlanItem] = []
        for item in items:
            it = self.tree(item)
            span = self.span(it)
            if it.data == "choose_each":
                target, var, source, ccites = it.children
                out.append(
                    ast.Choose(
                        self.expr(target), self.name(var), self.expr(source), self.cites(ccites), span=span
                    )
                )
            elif it.data == "choose_one":
                target, ccites = it.children
                out.append(ast.Choose(self.expr(target), None, None, self.cites(ccites), span=span))
            elif it.data == "plan_let":
                out.append(ast.PlanLet(self.name(it.children[0]), self.expr(it.children[1]), span=span))
            elif it.data == "plan_let_each":
                let_name, value, binders, where = it.children
                out.append(
                    ast.PlanLet(
                        self.name(let_name),
                        self.expr(value),
                        self.binders(binders),
                        self.expr(where) if where is not None else None,
                        span=span,
                    )
                )
            elif it.data == "require":
                out.append(ast.Require(self.expr(it.children[0]), self.cites(it.children[1]), span=span))
            else:
                objs = []
                for o in it.children:
                    ot = self.tree(o)
                    objs.append(
                        ast.Objective(str(ot.children[0]), self.expr(ot.children[1]), span=self.span(ot))
                    )
                out.append(ast.Objectives(tuple(objs), span=span))
        return ast.PlanDecl(
            self.name(name), self.params(params), tuple(out), self.cites(cites), span=self.span(t)
        )


def module_from_text(text: str, file: str, default_name: str | None = None) -> ast.Module:
    """Parse and build one module; raises `SmallprintError` with every problem found."""
    tree = parse(text, file)
    builder = _Builder(file)
    module = builder.module(tree, default_name or Path(file).stem)
    if builder.errors:
        raise SmallprintError(builder.errors)
    return module
