"""Lark tree -> surface AST (`model/ast.py`), with a span on every node.

Literals become exact values here: `US$12.40` is 1240 minor units, `12.5%` is
Fraction(1, 8), `2020-05-24` a `datetime.date`. Malformed literals (a 13th
month, a reserved word used as a name) are reported as diagnostics, all of a
file at once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from lark import Token, Tree

from smallprint.grammar.parser import parse
from smallprint.grammar.span import Diagnostic, SmallprintError, Span
from smallprint.model import ast

RESERVED = frozenset(
    [
        "module",
        "import",
        "enum",
        "record",
        "invariant",
        "const",
        "def",
        "rule",
        "when",
        "unless",
        "except",
        "otherwise",
        "opposes",
        "overrides",
        "window",
        "from",
        "to",
        "property",
        "test",
        "given",
        "expect",
        "plan",
        "choose",
        "let",
        "require",
        "minimize",
        "maximize",
        "then",
        "if",
        "else",
        "match",
        "and",
        "or",
        "not",
        "implies",
        "is",
        "some",
        "none",
        "true",
        "false",
        "forall",
        "exists",
        "where",
        "in",
        "for",
        "sum",
        "count",
        "min",
        "max",
        "size",
    ]
)

Node = Tree[Token] | Token


def _span(file: str, node: Node) -> Span:
    if isinstance(node, Token):
        return Span(
            file,
            node.line or 0,
            node.column or 0,
            node.end_line or node.line or 0,
            node.end_column or node.column or 0,
        )
    meta = node.meta
    if getattr(meta, "empty", True):
        return Span(file, 0, 0, 0, 0)
    return Span(file, meta.line, meta.column, meta.end_line, meta.end_column)


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[Diagnostic] = []

    # ---- helpers --------------------------------------------------------
    def span(self, node: Node) -> Span:
        return _span(self.file, node)

    def error(self, message: str, node: Node, hint: str | None = None) -> None:
        self.errors.append(Diagnostic(message, self.span(node), hint, code="syntax"))

    def name(self, node: Node) -> str:
        if isinstance(node, Tree):  # the `name` rule wraps one token
            node = node.children[0]
        assert isinstance(node, Token)
        text = str(node)
        if text in RESERVED:
            self.error(
                f"`{text}` is a reserved word and cannot be used as a name",
                node,
                f"pick another name, such as `{text}_`",
            )
        return text

    def tree(self, node: Node | None) -> Tree[Token]:
        assert isinstance(node, Tree)
        return node

    def cites(self, node: Node | None) -> tuple[ast.Cite, ...]:
        if node is None:
            return ()
        out = []
        for cite in self.tree(node).children:
            c = self.tree(cite)
            source = _unquote(str(c.children[0]))
            section = _unquote(str(c.children[1])) if c.children[1] is not None else None
            out.append(ast.Cite(source, section, span=self.span(c)))
        return tuple(out)

    # ---- module ---------------------------------------------------------
    def module(self, root: Tree[Token], default_name: str) -> ast.Module:
        name = default_name
        declared = False
        imports: list[str] = []
        import_spans: list[Span] = []
        decls: list[ast.Decl] = []
        for child in root.children:
            t = self.tree(child)
            if t.data == "module_line":
                name = self.dotted(t.children[0])
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
        )

    def dotted(self, node: Node) -> str:
        return ".".join(self.name(c) for c in self.tree(node).children)

    def decl(self, t: Tree[Token]) -> ast.Decl | None:
        handler = getattr(self, "d_" + str(t.data), None)
        if handler is None:  # pragma: no cover - grammar and builder out of step
            self.error(f"unsupported declaration `{t.data}`", t)
            return None
        result: ast.Decl = handler(t)
        return result

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
            source = _unquote(str(at.children[0]))
            section = _unquote(str(at.children[1])) if at.children[1] is not None else None
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
        return ast.TestDecl(_unquote(str(title)), tuple(out), self.cites(cites), span=self.span(t))

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

    # ---- types ----------------------------------------------------------
    def type(self, node: Node) -> ast.TypeRef:
        t = self.tree(node)
        span = self.span(t)
        if t.data == "named_type":
            return ast.NamedType(str(t.children[0]), span=span)
        if t.data == "list_type":
            elem, bound = t.children
            n = int(str(bound))
            if n < 1:
                self.error("a list bound must be at least 1", t)
            return ast.ListType(self.type(elem), n, span=span)
        assert t.data == "optional_type"
        return ast.OptionalType(self.type(t.children[0]), span=span)

    # ---- expressions ----------------------------------------------------
    def expr(self, node: Node) -> ast.Expr:
        if isinstance(node, Token):  # only reachable through a bare `name`
            return ast.Var(self.name(node), span=self.span(node))
        handler: Callable[[Tree[Token], Span], ast.Expr] | None = getattr(self, "e_" + str(node.data), None)
        if handler is None:  # pragma: no cover - grammar and builder out of step
            self.error(f"unsupported expression `{node.data}`", node)
            return ast.BoolLit(False, span=self.span(node))
        return handler(node, self.span(node))

    def e_var(self, t: Tree[Token], span: Span) -> ast.Expr:
        return ast.Var(self.name(t.children[0]), span=span)

    def e_true(self, t: Tree[Token], span: Span) -> ast.Expr:
        return ast.BoolLit(True, span=span)

    def e_false(self, t: Tree[Token], span: Span) -> ast.Expr:
        return ast.BoolLit(False, span=span)

    def e_none(self, t: Tree[Token], span: Span) -> ast.Expr:
        return ast.NoneLit(span=span)

    def e_int(self, t: Tree[Token], span: Span) -> ast.Expr:
        return ast.IntLit(int(str(t.children[0])), span=span)

    def e_string(self, t: Tree[Token], span: Span) -> ast.Expr:
        return ast.TextLit(_unquote(str(t.children[0])), span=span)

    def e_money(self, t: Tree[Token], span: Span) -> ast.Expr:
        text = str(t.children[0])
        amount = Decimal(text.split("$", 1)[1])
        return ast.MoneyLit(int(amount * 100), text, span=span)

    def e_percent(self, t: Tree[Token], span: Span) -> ast.Expr:
        text = str(t.children[0])
        return ast.PercentLit(Fraction(Decimal(text[:-1])) / 100, text, span=span)

    def e_date(self, t: Tree[Token], span: Span) -> ast.Expr:
        text = str(t.children[0])
        try:
            return ast.DateLit(datetime.date.fromisoformat(text), span=span)
        except ValueError:
            self.error(f"`{text}` is not a calendar date", t, "dates are written YYYY-MM-DD")
            return ast.DateLit(datetime.date(1970, 1, 1), span=span)

    def e_datetime(self, t: Tree[Token], span: Span) -> ast.Expr:
        text = str(t.children[0])
        try:
            return ast.DateTimeLit(datetime.datetime.fromisoformat(text), span=span)
        except ValueError:
            self.error(f"`{text}` is not a date and time", t, "write YYYY-MM-DDTHH:MM")
            return ast.DateTimeLit(datetime.datetime(1970, 1, 1), span=span)

    def e_quantity(self, t: Tree[Token], span: Span) -> ast.Expr:
        text = str(t.children[0])
        i = 0
        while i < len(text) and (text[i].isdigit() or text[i] == "."):
            i += 1
        amount = Fraction(Decimal(text[:i]))
        return ast.QuantityLit(amount, text[i:].strip(), " ".join(text.split()), span=span)

    def e_some(self, t: Tree[Token], span: Span) -> ast.Expr:
        return ast.SomeExpr(self.expr(t.children[0]), span=span)

    def e_list_lit(self, t: Tree[Token], span: Span) -> ast.Expr:
        args = t.children[0]
        items = () if args is None else tuple(self.expr(a) for a in self.tree(args).children)
        return ast.ListLit(items, span=span)

    def e_record_lit(self, t: Tree[Token], span: Span) -> ast.Expr:
        tname, inits = t.children
        fields: list[tuple[str, ast.Expr]] = []
        if inits is not None:
            for fi in self.tree(inits).children:
                ft = self.tree(fi)
                fields.append((self.name(ft.children[0]), self.expr(ft.children[1])))
        return ast.RecordLit(str(tname), tuple(fields), span=span)

    def e_enum_value(self, t: Tree[Token], span: Span) -> ast.Expr:
        enum, _dot, variant = t.children
        return ast.EnumValue(str(enum), self.name(variant), span=span)

    def e_field(self, t: Tree[Token], span: Span) -> ast.Expr:
        target, _dot, fname = t.children
        return ast.FieldAccess(self.expr(target), self.name(fname), span=span)

    def e_call(self, t: Tree[Token], span: Span) -> ast.Expr:
        fname, args = t.children
        items = () if args is None else tuple(self.expr(a) for a in self.tree(args).children)
        return ast.Call(self.name(fname), items, span=span)

    def e_minmax(self, t: Tree[Token], span: Span) -> ast.Expr:
        op, *args = t.children
        return ast.MinMax(str(op), tuple(self.expr(a) for a in args), span=span)

    def e_agg_extreme(self, t: Tree[Token], span: Span) -> ast.Expr:
        op, body, var, source, where, default = t.children
        return ast.Aggregate(
            str(op),
            self.name(var),
            self.expr(source),
            self.expr(where) if where is not None else None,
            self.expr(body),
            self.expr(default),
            span=span,
        )

    def e_agg_sum(self, t: Tree[Token], span: Span) -> ast.Expr:
        body, var, source, where = t.children
        return ast.Aggregate(
            "sum",
            self.name(var),
            self.expr(source),
            self.expr(where) if where is not None else None,
            self.expr(body),
            None,
            span=span,
        )

    def e_agg_count(self, t: Tree[Token], span: Span) -> ast.Expr:
        var, source, where = t.children
        return ast.Aggregate(
            "count",
            self.name(var),
            self.expr(source),
            self.expr(where) if where is not None else None,
            None,
            None,
            span=span,
        )

    def e_size(self, t: Tree[Token], span: Span) -> ast.Expr:
        return ast.Size(self.expr(t.children[0]), span=span)

    def _binary(self, op: str, t: Tree[Token], span: Span) -> ast.Expr:
        return ast.Binary(op, self.expr(t.children[0]), self.expr(t.children[-1]), span=span)

    def e_add(self, t: Tree[Token], span: Span) -> ast.Expr:
        return self._binary("+", t, span)

    def e_sub(self, t: Tree[Token], span: Span) -> ast.Expr:
        return self._binary("-", t, span)

    def e_mul(self, t: Tree[Token], span: Span) -> ast.Expr:
        return self._binary("*", t, span)

    def e_div(self, t: Tree[Token], span: Span) -> ast.Expr:
        return self._binary("/", t, span)

    def e_and_expr(self, t: Tree[Token], span: Span) -> ast.Expr:
        return self._binary("and", t, span)

    def e_or_expr(self, t: Tree[Token], span: Span) -> ast.Expr:
        return self._binary("or", t, span)

    def e_implies(self, t: Tree[Token], span: Span) -> ast.Expr:
        return self._binary("implies", t, span)

    def e_member(self, t: Tree[Token], span: Span) -> ast.Expr:
        return self._binary("in", t, span)

    def e_coalesce_expr(self, t: Tree[Token], span: Span) -> ast.Expr:
        return self._binary("??", t, span)

    def e_compare(self, t: Tree[Token], span: Span) -> ast.Expr:
        left, op, right = t.children
        return ast.Binary(str(op), self.expr(left), self.expr(right), span=span)

    def e_neg(self, t: Tree[Token], span: Span) -> ast.Expr:
        return ast.Unary("-", self.expr(t.children[0]), span=span)

    def e_not_expr(self, t: Tree[Token], span: Span) -> ast.Expr:
        return ast.Unary("not", self.expr(t.children[0]), span=span)

    def e_is_some(self, t: Tree[Token], span: Span) -> ast.Expr:
        return ast.IsSome(self.expr(t.children[0]), self.name(t.children[1]), span=span)

    def e_is_none(self, t: Tree[Token], span: Span) -> ast.Expr:
        return ast.IsNone(self.expr(t.children[0]), span=span)

    def e_if_expr(self, t: Tree[Token], span: Span) -> ast.Expr:
        c, a, b = t.children
        return ast.If(self.expr(c), self.expr(a), self.expr(b), span=span)

    def e_match_expr(self, t: Tree[Token], span: Span) -> ast.Expr:
        scrutinee, *arms = t.children
        out = []
        for arm in arms:
            at = self.tree(arm)
            *patterns, body = at.children
            pats: list[tuple[str, str]] = []
            for p in patterns:
                pt = self.tree(p)
                if pt.data == "enum_pattern":
                    pats.append((str(pt.children[0]), self.name(pt.children[2])))
            if len(pats) != len(patterns):
                pats = []  # `_` anywhere in the alternatives matches everything
            out.append(ast.MatchArm(tuple(pats), self.expr(body), span=self.span(at)))
        return ast.Match(self.expr(scrutinee), tuple(out), span=span)

    def e_quantified(self, t: Tree[Token], span: Span) -> ast.Expr:
        op, binders, where, _dot, body = t.children
        bs = []
        for b in self.tree(binders).children:
            bt = self.tree(b)
            if bt.data == "type_binder":
                bs.append(
                    ast.Binder(self.name(bt.children[0]), self.type(bt.children[1]), None, span=self.span(bt))
                )
            else:
                bs.append(
                    ast.Binder(self.name(bt.children[0]), None, self.expr(bt.children[1]), span=self.span(bt))
                )
        return ast.Quantified(
            str(op),
            tuple(bs),
            self.expr(where) if where is not None else None,
            self.expr(body),
            span=span,
        )


def _unquote(text: str) -> str:
    body = text[1:-1]
    return body.replace('\\"', '"').replace("\\\\", "\\")


def module_from_text(text: str, file: str, default_name: str | None = None) -> ast.Module:
    """Parse and build one module; raises `SmallprintError` with every problem found."""
    tree = parse(text, file)
    builder = _Builder(file)
    module = builder.module(tree, default_name or Path(file).stem)
    if builder.errors:
        raise SmallprintError(builder.errors)
    return module
