"""`fmt` for expressions: the comments of a file, and an expression as a layout document.

Where a long expression breaks (`model/fmt_doc.py` decides whether it does: a
group stays on one line when it fits, else breaks, outermost first):
- a bracketed form (list, record, call, `min`/`max`, `size`, `some`, `match`,
  `sum`/`count`/`min`/`max` over a list) puts each item on its own line, one indent
  step in, with a trailing comma where the grammar allows one, and its closing
  bracket back on the indentation of the line it opened on. A record, list or
  `match` that is the only argument of a call or the only element of a list opens
  on the same line (`f(Item {` ... `})`), and so does one that is the right operand
  of an operator (`s in [` ... `]`);
- a chain of operators of one precedence (`a and b and c`, `x + y - z`, `p <= q`)
  breaks before each operator;
- `if c then a else d` puts each `else` on a line of its own under the `if`, and
  `then a` one step in under its condition when the two do not fit on one line;
- a quantifier breaks after its `.` (the body one step in) and before `where` (two
  steps in); a match arm's alternatives break before each `|`.
An expression that follows text on its line (`when`, `expect`, `given x =`, a
field's `name:`, an arm's `=>`...) "hangs": the continuation lines of a chain are
one step in, so that they do not line up with the code around it. One that starts
its own line (an item in brackets, a quantifier's body, a `def` body after `= `)
does not: its operators line up under its first operand.

An `and` inside an `or` is printed in parentheses (`(a and b) or c`): the same
tree, but the grouping is visible without knowing the precedences.

Comments: the builder takes each comment from the file's queue at the first place
in source order where it can go. At a point where the layout may break before an
item (list element, argument, field, arm, operand, part of an aggregate...), the
comments written before that item are placed there: one at the end of a line of
code stays at the end of the line printed for that code, one on a line of its own
goes on a line of its own just before the item. Either forces the surrounding
construct onto several lines. A comment where no line can break (inside a type,
between a field's name and its value) moves to the nearest point where one can.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from smallprint.grammar.span import Span
from smallprint.model import ast
from smallprint.model.fmt_doc import HARDLINE, LINE, SOFTLINE, Doc, Group, IfBreak, Nest, Suffix, render

INDENT = 2
Pos = tuple[int, int]  # (line, column), both from 1; (0, 0) for a node without a span

# Binding strength of each expression form; higher binds tighter.
_LOWEST, _IMPLIES, _OR, _AND, _NOT, _COMPARE, _COALESCE, _ADD, _MUL, _UNARY, _ATOM = range(11)
_BINARY_LEVEL = {
    "implies": _IMPLIES,
    "or": _OR,
    "and": _AND,
    "==": _COMPARE,
    "!=": _COMPARE,
    "<": _COMPARE,
    "<=": _COMPARE,
    ">": _COMPARE,
    ">=": _COMPARE,
    "in": _COMPARE,
    "??": _COALESCE,
    "+": _ADD,
    "-": _ADD,
    "*": _MUL,
    "/": _MUL,
}


# ---- comments --------------------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    line: int
    column: int
    text: str
    blank_before: bool  # the source has an empty line just above it
    blank_after: bool  # ... and just below it
    trailing: bool  # code stands before it on its line

    @property
    def pos(self) -> Pos:
        return (self.line, self.column)


def scan_comments(text: str) -> list[Comment]:
    """Every `#` comment outside string literals, with its position."""
    lines = text.split("\n")
    found: list[tuple[int, int, str]] = []
    line, line_start = 1, 0
    i = 0
    in_string = False
    while i < len(text):
        ch = text[i]
        if ch == "\n":
            line += 1
            line_start = i + 1
            in_string = False
        elif in_string:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "#":
            end = text.find("\n", i)
            end = len(text) if end == -1 else end
            found.append((line, i - line_start + 1, text[i:end].rstrip()))
            i = end
            continue
        i += 1

    def blank(n: int) -> bool:
        return 1 <= n <= len(lines) and not lines[n - 1].strip()

    return [
        Comment(n, col, t, blank(n - 1), blank(n + 1), bool(lines[n - 1][: col - 1].strip()))
        for n, col, t in found
    ]


class Comments:
    """The comments not placed yet, in source order."""

    def __init__(self, comments: Sequence[Comment] = ()) -> None:
        self._queue = sorted(comments, key=lambda c: c.pos)
        self._next = 0

    def take_before(self, pos: Pos) -> list[Comment]:
        start = self._next
        while self._next < len(self._queue) and self._queue[self._next].pos < pos:
            self._next += 1
        return self._queue[start : self._next]

    def any_before(self, pos: Pos) -> bool:
        return self._next < len(self._queue) and self._queue[self._next].pos < pos

    def first_own_line(self, pos: Pos, default: int) -> int:
        """The line of the first comment on a line of its own still to place before `pos`
        (what the item at `pos` starts with on the page), else `default`."""
        for c in self._queue[self._next :]:
            if c.pos >= pos:
                break
            if not c.trailing:
                return c.line
        return default


def start(span: Span) -> Pos:
    return (span.line, span.column)


def end(span: Span) -> Pos:
    return (span.end_line, span.end_column)


# ---- expressions -----------------------------------------------------------------

_Item = tuple[Pos, Callable[[], Doc]]  # where an item starts, and how to lay it out
_BRACKETED = (ast.RecordLit, ast.ListLit, ast.Match)  # hugged as the only argument or element


class ExprDocs:
    """Builds layout documents for expressions, placing the comments they contain."""

    def __init__(self, comments: Comments | None = None) -> None:
        self.comments = comments if comments is not None else Comments()

    # ---- comment placement -------------------------------------------------------
    def gap(self, pos: Pos, line: Doc = LINE) -> list[Doc]:
        """A possible line break before the item at `pos`, with the comments before it:
        trailing ones end the line, own-line ones go on lines of their own after it."""
        out: list[Doc] = []
        own: list[Doc] = []
        for c in self.comments.take_before(pos):
            if c.trailing:
                out.append(Suffix(c.text))
            else:
                own += [c.text, HARDLINE]
        return [*out, line, *own]

    def close(self, pos: Pos) -> list[Doc]:
        """The comments left before a closing bracket at `pos` (inside the indentation)."""
        out: list[Doc] = []
        for c in self.comments.take_before(pos):
            out += [Suffix(c.text)] if c.trailing else [HARDLINE, c.text]
        return out

    def seq(
        self, opener: Doc, items: Sequence[_Item], closer: str, end_pos: Pos, spaced: bool, comma: bool = True
    ) -> Doc:
        """`opener item, item closer`, or one item per line."""
        line = LINE if spaced else SOFTLINE
        inner: list[Doc] = []
        for i, (pos, build) in enumerate(items):
            if i:
                inner.append(",")
            inner += self.gap(pos, LINE if i else line)
            inner.append(build())
        if comma:
            inner.append(IfBreak(","))
        inner += self.close(end_pos)
        return Group([opener, Nest(INDENT, inner), line, closer])

    # ---- contexts --------------------------------------------------------------
    def hang(self, e: ast.Expr) -> Doc:
        """`e` after other text on its line: a chain's continuation lines one step in (its
        first operand stays as it is: `f(Item {` ... `})` closes on the line's indentation)."""
        if isinstance(e, ast.Binary):
            return self.chain(e, hanging=True)
        if isinstance(e, ast.If):
            return Nest(INDENT, self.if_chain(e))
        return self.expr(e)

    def wrapped(self, e: ast.Expr, min_level: int, clarify: bool = False) -> Doc:
        """`e` as an operand that binds at least `min_level`, in parentheses if it does not
        (or, with `clarify`, if it is an `and`)."""
        if _level(e) < min_level or (clarify and isinstance(e, ast.Binary) and e.op == "and"):
            return Group(["(", Nest(INDENT, [SOFTLINE, self.expr(e)]), SOFTLINE, ")"])
        return self.hang(e)

    # ---- forms -----------------------------------------------------------------
    def expr(self, e: ast.Expr) -> Doc:
        leaf = _leaf(e)
        if leaf is not None:
            return leaf
        if isinstance(e, ast.SomeExpr):
            return self.call("some", (e.value,), e.span, comma=False)
        if isinstance(e, ast.Size):
            return self.call("size", (e.target,), e.span, comma=False)
        if isinstance(e, ast.Call):
            return self.call(e.func, e.args, e.span)
        if isinstance(e, ast.MinMax):
            return self.call(e.op, e.args, e.span)
        if isinstance(e, ast.ListLit):
            if not e.items:
                return "[]"
            only = e.items[0]
            if (
                len(e.items) == 1
                and isinstance(only, _BRACKETED)
                and not self.comments.any_before(start(only.span))
            ):
                return ["[", self.expr(only), "]"]  # `[Item {` ... `}]`, as a call's only argument
            items = [(start(x.span), _bind(self.expr, x)) for x in e.items]
            return self.seq("[", items, "]", end(e.span), spaced=False)
        if isinstance(e, ast.RecordLit):
            if not e.fields:
                return f"{e.type_name} {{}}"
            fields = [(start(v.span), _bind(self.field, k, v)) for k, v in e.fields]
            return self.seq(f"{e.type_name} {{", fields, "}", end(e.span), spaced=True)
        if isinstance(e, ast.FieldAccess):
            return [self.wrapped(e.target, _ATOM), ".", e.name]
        if isinstance(e, ast.Unary):
            if e.op == "not":
                return ["not ", self.wrapped(e.operand, _COALESCE)]
            return ["-", self.wrapped(e.operand, _UNARY)]
        if isinstance(e, ast.Binary):
            return self.chain(e)
        if isinstance(e, ast.IsSome):
            return [self.wrapped(e.target, _COALESCE), f" is some({e.binding})"]
        if isinstance(e, ast.IsNone):
            return [self.wrapped(e.target, _COALESCE), " is none"]
        if isinstance(e, ast.If):
            return self.if_chain(e)
        if isinstance(e, ast.Match):
            opener = ["match ", self.hang(e.scrutinee), " {"]
            arms = [(start(arm.span), _bind(self.arm, arm)) for arm in e.arms]
            return self.seq(opener, arms, "}", end(e.span), spaced=True)
        if isinstance(e, ast.Aggregate):
            return self.aggregate(e)
        if isinstance(e, ast.Quantified):
            return self.quantified(e)
        raise TypeError(f"cannot format {type(e).__name__}")  # pragma: no cover

    def field(self, name: str, value: ast.Expr) -> Doc:
        return [name, ": ", self.hang(value)]

    def arm(self, arm: ast.MatchArm) -> Doc:
        if not arm.patterns:
            return ["_ => ", self.hang(arm.body)]
        pats: list[Doc] = []
        for i, (en, v) in enumerate(arm.patterns):
            pats += [LINE, f"| {en}.{v}"] if i else [f"{en}.{v}"]
        return [Group([Nest(INDENT, pats)]), " => ", self.hang(arm.body)]

    def call(self, func: str, args: Sequence[ast.Expr], span: Span, comma: bool = True) -> Doc:
        """`f(a, b)`; `comma`: the grammar allows a trailing comma (not in `some(...)`, `size(...)`)."""
        if not args:
            return f"{func}()"
        only = args[0]
        if len(args) == 1 and isinstance(only, _BRACKETED) and not self.comments.any_before(start(only.span)):
            # `f(Item {` ... `})`: the literal's own lines suffice; no line for the call.
            return [func, "(", self.expr(only), ")"]
        items = [(start(a.span), _bind(self.expr, a)) for a in args]
        return self.seq(f"{func}(", items, ")", end(span), spaced=False, comma=comma)

    def chain(self, e: ast.Binary, hanging: bool = False) -> Doc:
        first, rest = _flatten(e)
        clarify = e.op == "or"
        out: list[Doc] = [self.wrapped(first[0], first[1], clarify)]
        for op, x, level in rest:
            if _inlined(x) and not self.comments.any_before(start(x.span)):
                # `s in [` ... `]`: the literal's own lines suffice, relative to this line
                out += [f" {op} ", self.wrapped(x, level, clarify)]
                continue
            part = [*self.gap(start(x.span)), f"{op} ", self.wrapped(x, level, clarify)]
            out.append(Nest(INDENT, part) if hanging else part)
        return Group(out)

    def if_chain(self, e: ast.If) -> Doc:
        """`if c then a` / `else if d then b` / `else z`, each `else` on a line of its own
        under the `if`, and `then a` one step in under its condition when it does not fit."""
        out: list[Doc] = []
        node: ast.Expr = e
        while isinstance(node, ast.If):
            if node is not e:
                out += [*self.gap(start(node.span)), "else "]
            then = [*self.gap(start(node.then.span)), "then ", self.hang(node.then)]
            # the condition's own continuation lines two steps in, past the `then` line's
            out.append(Group(["if ", Nest(INDENT, self.hang(node.cond)), Nest(INDENT, then)]))
            node = node.orelse
        out += [*self.gap(start(node.span)), "else ", self.hang(node)]
        return Group(out)

    def aggregate(self, e: ast.Aggregate) -> Doc:
        parts: list[_Item] = []
        source = e.source
        if e.op == "count":
            parts.append((start(source.span), lambda: [e.var, " in ", self.wrapped(source, _ATOM)]))
        else:
            body = e.body
            assert body is not None
            parts.append((start(body.span), _bind(self.expr, body)))
            parts.append((start(source.span), lambda: ["for ", e.var, " in ", self.wrapped(source, _ATOM)]))
        where = e.where
        if where is not None:
            parts.append((start(where.span), lambda: ["where ", self.wrapped(where, _IMPLIES)]))
        default = e.default
        if default is not None:
            parts.append((start(default.span), lambda: ["else ", self.hang(default)]))
        line = SOFTLINE
        inner: list[Doc] = []
        for i, (pos, build) in enumerate(parts):
            inner += self.gap(pos, line if i == 0 else LINE)
            inner.append(build())
        inner += self.close(end(e.span))
        return Group([f"{e.op}(", Nest(INDENT, inner), SOFTLINE, ")"])

    def quantified(self, e: ast.Quantified) -> Doc:
        head: list[Doc] = [e.op, " ", *self.ranges(e.binders, e.where)]
        body = [*self.gap(start(e.body.span)), self.expr(e.body)]
        return Group([Group(head), ".", Nest(INDENT, body)])

    def ranges(self, binders: Sequence[ast.Binder], where: ast.Expr | None) -> list[Doc]:
        """`x in xs, y in x.ys where c` (of a quantifier, or of a plan's per-element `let`)."""
        out: list[Doc] = []
        for i, b in enumerate(binders):
            if i:
                out += [",", *self.gap(start(b.span))]
            if b.type is not None:
                out.append(f"{b.name}: {type_text(b.type)}")
            else:
                assert b.source is not None, "a binder ranges over a type or a list"
                out += [b.name, " in ", self.wrapped(b.source, _ATOM)]
        head: list[Doc] = [Group([Nest(2 * INDENT, out)])]
        if where is not None:
            head.append(
                Nest(2 * INDENT, [*self.gap(start(where.span)), "where ", self.wrapped(where, _IMPLIES)])
            )
        return head


def _bind(f: Callable[..., Doc], *args: object) -> Callable[[], Doc]:
    return lambda: f(*args)


def _flatten(e: ast.Binary) -> tuple[tuple[ast.Expr, int], list[tuple[str, ast.Expr, int]]]:
    """A chain of operators of `e`'s precedence: its first operand, then (operator, operand),
    each with the binding strength it needs to go without parentheses."""
    level = _BINARY_LEVEL[e.op]
    if e.op in ("implies", "??"):  # right associative: a op (b op c)
        rest: list[tuple[str, ast.Expr, int]] = []
        node: ast.Expr = e.right
        while isinstance(node, ast.Binary) and node.op == e.op:
            rest.append((e.op, node.left, level + 1))
            node = node.right
        rest.append((e.op, node, level))
        return (e.left, level + 1), rest
    if level == _COMPARE:  # not associative
        return (e.left, level + 1), [(e.op, e.right, level + 1)]
    rights: list[tuple[str, ast.Expr, int]] = []
    node = e
    while isinstance(node, ast.Binary) and _BINARY_LEVEL[node.op] == level:
        rights.append((node.op, node.right, level + 1))
        node = node.left
    return (node, level), rights[::-1]


def _inlined(e: ast.Expr) -> bool:
    """An operand that stays on its operator's line: a literal that breaks on its own."""
    if isinstance(e, ast.ListLit):
        return bool(e.items)
    if isinstance(e, ast.RecordLit):
        return bool(e.fields)
    return isinstance(e, ast.Match)


def _leaf(e: ast.Expr) -> str | None:
    if isinstance(e, ast.Var):
        return e.name
    if isinstance(e, ast.BoolLit):
        return "true" if e.value else "false"
    if isinstance(e, ast.IntLit):
        return str(e.value)
    if isinstance(e, ast.MoneyLit):
        return _money(e.cents)
    if isinstance(e, ast.PercentLit):
        return f"{_decimal(e.value * 100)}%"
    if isinstance(e, ast.DateLit):
        return e.value.isoformat()
    if isinstance(e, ast.DateTimeLit):
        spec = "seconds" if e.value.second else "minutes"
        return datetime.datetime.isoformat(e.value, timespec=spec)
    if isinstance(e, ast.QuantityLit):
        return f"{_decimal(e.amount)} {e.unit}"
    if isinstance(e, ast.TextLit):
        return string_text(e.value)
    if isinstance(e, ast.NoneLit):
        return "none"
    if isinstance(e, ast.EnumValue):
        return f"{e.enum}.{e.variant}"
    return None


def _level(e: ast.Expr) -> int:
    if isinstance(e, ast.Quantified | ast.If):
        return _LOWEST
    if isinstance(e, ast.Binary):
        return _BINARY_LEVEL[e.op]
    if isinstance(e, ast.IsSome | ast.IsNone):
        return _COMPARE
    if isinstance(e, ast.Unary):
        return _NOT if e.op == "not" else _UNARY
    if isinstance(e, ast.MoneyLit | ast.IntLit | ast.PercentLit | ast.QuantityLit) and _negative(e):
        return _UNARY
    return _ATOM


def _negative(e: ast.Expr) -> bool:
    value = getattr(e, "cents", None) or getattr(e, "value", None) or getattr(e, "amount", None)
    return isinstance(value, int | Fraction) and not isinstance(value, bool) and value < 0


def string_text(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _money(cents: int) -> str:
    whole, frac = divmod(cents, 100)
    return f"US${whole}" if frac == 0 else f"US${whole}.{frac:02d}"


def _decimal(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    # Every literal was written in decimal, so the expansion terminates.
    whole = x.numerator // x.denominator
    rest = x - whole
    digits = ""
    while rest and len(digits) < 30:
        rest *= 10
        d = rest.numerator // rest.denominator
        digits += str(d)
        rest -= d
    return f"{whole}.{digits}"


def type_text(t: ast.TypeRef) -> str:
    if isinstance(t, ast.OptionalType):
        return type_text(t.inner) + "?"
    if isinstance(t, ast.ListType):
        bound = "" if t.bound is None else f", {t.bound}"
        return f"List[{type_text(t.elem)}{bound}]"
    assert isinstance(t, ast.NamedType)
    return t.name


def expr_text(e: ast.Expr) -> str:
    """`e` on one line (as explanations quote it)."""
    return " ".join(render(ExprDocs().expr(e), 0, 1 << 30))


def atom_text(e: ast.Expr) -> str:
    """`e` on one line, in parentheses unless it is an atom (a plan's `choose` target)."""
    return " ".join(render(ExprDocs().wrapped(e, _ATOM), 0, 1 << 30))
