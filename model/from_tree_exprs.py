"""Lark tree -> surface AST: names, citations, types and expressions
(`model/from_tree.py` builds the modules and declarations on top of this).

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

from lark import Token, Tree

from smallprint.grammar.span import Diagnostic, Span
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


class ExprBuilder:
    """Builds the parts of a module below its declarations; collects diagnostics."""

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
            source = unquote(str(c.children[0]))
            section = unquote(str(c.children[1])) if c.children[1] is not None else None
            out.append(ast.Cite(source, section, span=self.span(c)))
        return tuple(out)

    # ---- types ----------------------------------------------------------
    def type(self, node: Node) -> ast.TypeRef:
        t = self.tree(node)
        span = self.span(t)
        if t.data == "named_type":
            return ast.NamedType(str(t.children[0]), span=span)
        if t.data == "list_type":
            elem, bound = t.children
            n = None if bound is None else int(str(bound))
            if n is not None and n < 1:
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
        return ast.TextLit(unquote(str(t.children[0])), span=span)

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
            first, last = self.span(patterns[0]), self.span(patterns[-1])
            written = Span(first.file, first.line, first.column, last.end_line, last.end_column)
            out.append(ast.MatchArm(tuple(pats), self.expr(body), span=self.span(at), patterns_span=written))
        return ast.Match(self.expr(scrutinee), tuple(out), span=span)

    def e_quantified(self, t: Tree[Token], span: Span) -> ast.Expr:
        op, binders, where, _dot, body = t.children
        return ast.Quantified(
            str(op),
            self.binders(binders),
            self.expr(where) if where is not None else None,
            self.expr(body),
            span=span,
        )

    def binders(self, binders: Node) -> tuple[ast.Binder, ...]:
        out = []
        for b in self.tree(binders).children:
            bt = self.tree(b)
            if bt.data == "type_binder":
                out.append(
                    ast.Binder(self.name(bt.children[0]), self.type(bt.children[1]), None, span=self.span(bt))
                )
            else:
                out.append(
                    ast.Binder(self.name(bt.children[0]), None, self.expr(bt.children[1]), span=self.span(bt))
                )
        return tuple(out)


def unquote(text: str) -> str:
    body = text[1:-1]
    return body.replace('\\"', '"').replace("\\\\", "\\")
