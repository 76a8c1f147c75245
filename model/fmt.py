"""Canonical formatting of a module: surface AST (plus comments) -> text.

The output parses back to an equal AST (spans and literal spellings aside) and
formatting it again changes nothing. Comments are kept: each is attached to the
next declaration or line item (field, variant, clause, case, test step) after
it and printed on its own line before that item; a comment at the end of a line
of code moves to the line above it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

from smallprint.model import ast

INDENT = "  "
WIDTH = 96

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


@dataclass(frozen=True)
class Comment:
    line: int
    text: str
    blank_before: bool  # the source has an empty line just above it
    blank_after: bool  # ... and just below it
    trailing: bool  # code stands before it on its line


def scan_comments(text: str) -> list[Comment]:
    """Every `#` comment outside string literals, with its line number."""
    lines = text.split("\n")
    found: list[tuple[int, str]] = []
    line = 1
    i = 0
    in_string = False
    while i < len(text):
        ch = text[i]
        if ch == "\n":
            line += 1
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
            found.append((line, text[i:end].rstrip()))
            i = end
            continue
        i += 1

    def blank(n: int) -> bool:
        return 1 <= n <= len(lines) and not lines[n - 1].strip()

    def trailing(n: int, t: str) -> bool:
        return bool(lines[n - 1].split(t, 1)[0].strip()) if 1 <= n <= len(lines) else False

    return [Comment(n, t, blank(n - 1), blank(n + 1), trailing(n, t)) for n, t in found]


class _Printer:
    def __init__(self, comments: list[Comment]) -> None:
        self.comments = sorted(comments, key=lambda c: c.line)
        self.lines: list[str] = []

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def comments_before(self, line: int, indent: str) -> None:
        """Emit the pending comments that start before `line` (or all, for line 0).

        Paragraph breaks between comments, and after a comment block that stands
        apart from the code below it, are kept (as one empty line)."""
        emitted = False
        last: Comment | None = None
        while self.comments and (line <= 0 or self._before(self.comments[0], line)):
            c = self.comments.pop(0)
            if c.blank_before and emitted:
                self.blank()
            self.lines.append(indent + c.text)
            emitted = True
            last = c
        if last is not None and last.blank_after and not indent:
            self.blank()

    @staticmethod
    def _before(c: Comment, line: int) -> bool:
        return c.line < line or (c.line == line and not c.trailing)

    def emit(
        self, line: int, text: str, indent: str = "", extra: tuple[str, ...] = (), end_line: int = 0
    ) -> None:
        """One item on source lines `line`..`end_line` (then `extra` lines); a comment at
        the end of one of those source lines stays at the end of the item's last line
        (several: one after the other), not after the declaration the item is in."""
        self.comments_before(line, indent)
        self.lines.append(indent + text)
        self.lines.extend(extra)
        last = max(line, end_line)
        while (
            self.comments
            and line <= self.comments[0].line <= last
            and self.comments[0].trailing
            and "\n" not in self.lines[-1]
        ):
            self.lines[-1] += "  " + self.comments.pop(0).text

    def annotated(
        self,
        line: int,
        text: str,
        cites: str,
        indent: str,
        cite_indent: str,
        suffix: str = "",
        end_line: int = 0,
    ) -> None:
        """`text` with its citations on the same line when they fit, else one per line below."""
        if not cites or len(indent) + len(text) + len(cites) + len(suffix) <= WIDTH:
            self.emit(line, text + cites + suffix, indent, end_line=end_line)
            return
        parts = [cite_indent + c for c in _split(cites)]
        parts[-1] += suffix
        self.emit(line, text, indent, tuple(parts), end_line=end_line)


def _split(cites: str) -> list[str]:
    return ["@" + part.strip() for part in cites.split(" @") if part.strip()]


def format_module(module: ast.Module, source: str = "") -> str:
    p = _Printer(scan_comments(source))
    first = module.decls[0].span.line if module.decls else 0
    head_line = min((s.line for s in module.import_spans), default=first or 1)
    if module.declared_name or module.imports:
        p.comments_before(head_line - 1, "")
        p.blank()
        if module.declared_name:
            p.lines.append(f"module {module.name}")
        if module.imports:
            p.lines.append(f"import {', '.join(module.imports)}")
        p.lines.append("")
    for decl, after in zip(module.decls, [*module.decls[1:], None], strict=True):
        _decl(p, decl)
        # Constants written one under the other stay a group; other declarations, and
        # constants apart, get a blank line between them.
        grouped = isinstance(decl, ast.ConstDecl) and isinstance(after, ast.ConstDecl)
        if not (grouped and after is not None and after.span.line == decl.span.end_line + 1):
            p.blank()
    p.comments_before(0, "")
    while p.lines and p.lines[0] == "":
        p.lines.pop(0)
    while p.lines and p.lines[-1] == "":
        p.lines.pop()
    return "\n".join(p.lines) + "\n"


def _cites(cites: tuple[ast.Cite, ...], word: str = "cite") -> str:
    parts = []
    for c in cites:
        args = _string(c.source) + (f", {_string(c.section)}" if c.section is not None else "")
        parts.append(f"@{word}({args})")
    return "".join(" " + part for part in parts)


def _own_lines(p: _Printer, cites: str, indent: str, last_suffix: str = "") -> None:
    parts = _split(cites)
    for i, part in enumerate(parts):
        p.lines.append(indent + part + (last_suffix if i == len(parts) - 1 else ""))


def _params(params: tuple[ast.Param, ...]) -> str:
    return ", ".join(f"{p.name}: {type_text(p.type)}" for p in params)


def _decl(p: _Printer, d: ast.Decl) -> None:
    line = d.span.line
    two, four, six = INDENT, INDENT * 2, INDENT * 3
    if isinstance(d, ast.EnumDecl):
        _open_brace(p, line, f"enum {d.name}", _cites(d.cites))
        for v in d.variants:
            p.annotated(v.span.line, v.name, _cites(v.cites), two, four, ",")
        p.lines.append("}")
    elif isinstance(d, ast.RecordDecl):
        _open_brace(p, line, f"record {d.name}", _cites(d.cites))
        for f in d.fields:
            p.annotated(f.span.line, f"{f.name}: {type_text(f.type)}", _cites(f.cites), two, four)
        for inv in d.invariants:
            text = f"invariant {inv.name}: {expr_text(inv.cond)}"
            if len(text) + len(two) > WIDTH:
                text = f"invariant {inv.name}:\n{four}{_long(inv.cond, four)}"
            p.annotated(inv.span.line, text, _cites(inv.cites), two, four)
        p.comments_before(d.span.end_line - 1, two)
        p.lines.append("}")
    elif isinstance(d, ast.ConstDecl):
        text = f"const {d.name}: {type_text(d.type)} = {expr_text(d.value)}"
        p.annotated(line, text, _cites(d.cites), "", two)
    elif isinstance(d, ast.DefDecl):
        head = f"def {d.name}({_params(d.params)}) -> {type_text(d.result)}"
        cites = _cites(d.cites)
        p.emit(line, head)
        _own_lines(p, cites, two)
        if d.body is not None:
            body = expr_text(d.body)
            if not cites and len(head) + len(body) + 3 <= WIDTH:
                p.lines[-1] += f" = {body}"
            else:
                p.lines.append(f"{two}= {_long(d.body, four)}")
            return
        for case in d.cases:
            text = f"when {_long(case.cond, four)} => {expr_text(case.value)}"
            p.annotated(case.span.line, text, _cites(case.cites), two, four, end_line=case.span.end_line)
        assert d.otherwise is not None
        p.annotated(
            d.span.end_line, f"otherwise => {expr_text(d.otherwise)}", _cites(d.otherwise_cites), two, four
        )
    elif isinstance(d, ast.RuleDecl):
        rel = f" {d.relation[0]} {d.relation[1]}" if d.relation else ""
        p.emit(line, f"rule {d.name}({_params(d.params)}){rel}")
        _own_lines(p, _cites(d.cites), two)
        for c in d.clauses:
            # a clause's own lines end where its first `except` starts
            end = c.excepts[0].span.line - 1 if c.excepts else c.span.end_line
            text = f"{c.kind} {_long(c.cond, four)}"
            p.annotated(c.span.line, text, _cites(c.cites), two, four, end_line=end)
            for x in c.excepts:
                text = f"except {_long(x.cond, six)}"
                p.annotated(x.span.line, text, _cites(x.cites), four, six, end_line=x.span.end_line)
    elif isinstance(d, ast.WindowDecl):
        head = f"window {d.name}({_params(d.params)})"
        span = f"from {expr_text(d.start)} to {expr_text(d.end)}"
        if not d.cites and len(head) + len(span) + 1 <= WIDTH:
            p.emit(line, f"{head} {span}")
        else:
            p.emit(line, head)
            _own_lines(p, _cites(d.cites), two)
            p.lines.append(two + span)
    elif isinstance(d, ast.PropertyDecl):
        notes = _cites(d.cites) + _cites(d.findings, "finding")
        head = f"property {d.name}"
        body = expr_text(d.body)
        if not notes and len(head) + len(body) + 2 <= WIDTH:
            p.emit(line, f"{head}: {body}")
            return
        if notes:
            p.emit(line, head)
            _own_lines(p, notes, two, ":")
        else:
            p.emit(line, head + ":")
        p.lines.append(two + _long(d.body, four))
    elif isinstance(d, ast.TestDecl):
        _open_brace(p, line, f"test {_string(d.name)}", _cites(d.cites))
        for step in d.steps:
            if isinstance(step, ast.Given):
                typ = f": {type_text(step.type)}" if step.type is not None else ""
                p.emit(step.span.line, f"given {step.name}{typ} = {_given_value(step.value)}", two)
            else:
                p.emit(step.span.line, f"expect {_long(step.cond, four)}", two)
        p.comments_before(d.span.end_line - 1, two)
        p.lines.append("}")
    elif isinstance(d, ast.PlanDecl):
        p.emit(line, f"plan {d.name}({_params(d.params)})")
        _own_lines(p, _cites(d.cites), two)
        for item in d.items:
            text, cites = _plan_item(item)
            p.annotated(item.span.line, text, cites, two, four)


def _open_brace(p: _Printer, line: int, head: str, cites: str) -> None:
    """`head @cite(...) {` on one line when it fits, else one citation per line."""
    if len(head) + len(cites) + 2 <= WIDTH:
        p.emit(line, f"{head}{cites} {{")
    else:
        p.emit(line, head)
        _own_lines(p, cites, INDENT, " {")


def _given_value(e: ast.Expr) -> str:
    """A record literal too long for one line gets one field per line."""
    flat = expr_text(e)
    if len(flat) + 12 <= WIDTH or not isinstance(e, ast.RecordLit):
        return flat
    inner = ",\n".join(f"{INDENT * 2}{k}: {expr_text(v)}" for k, v in e.fields)
    return f"{e.type_name} {{\n{inner},\n{INDENT}}}"


def _plan_item(item: ast.PlanItem) -> tuple[str, str]:
    if isinstance(item, ast.Choose):
        each = f" for {item.var} in {_source_text(item.source)}" if item.source is not None else ""
        return f"choose {_wrap(item.target, _ATOM)}{each}", _cites(item.cites)
    if isinstance(item, ast.PlanLet):
        return f"let {item.name} = {expr_text(item.value)}", ""
    if isinstance(item, ast.Require):
        return f"require {_long(item.cond, INDENT * 2)}", _cites(item.cites)
    return " then ".join(f"{o.direction} {expr_text(o.expr)}" for o in item.items), ""


def type_text(t: ast.TypeRef) -> str:
    if isinstance(t, ast.OptionalType):
        return type_text(t.inner) + "?"
    if isinstance(t, ast.ListType):
        return f"List[{type_text(t.elem)}, {t.bound}]"
    assert isinstance(t, ast.NamedType)
    return t.name


def _long(e: ast.Expr, indent: str) -> str:
    """One line when it fits, else a top-level `and`/`or` chain one operand per line, a
    `match` one arm per line, a list or record literal one item per line."""
    flat = expr_text(e)
    if len(flat) + len(indent) <= WIDTH:
        return flat
    inner = indent + INDENT
    if isinstance(e, ast.Match):
        arms = "".join(f"\n{inner}{_arm_text(arm)}," for arm in e.arms)
        return f"match {expr_text(e.scrutinee)} {{{arms}\n{indent}}}"
    if isinstance(e, ast.ListLit) and e.items:
        items = "".join(f"\n{inner}{expr_text(x)}," for x in e.items)
        return f"[{items}\n{indent}]"
    if isinstance(e, ast.RecordLit) and e.fields:
        fields = "".join(f"\n{inner}{k}: {expr_text(v)}," for k, v in e.fields)
        return f"{e.type_name} {{{fields}\n{indent}}}"
    if not (isinstance(e, ast.Binary) and e.op in ("and", "or")):
        return flat
    op = e.op
    parts: list[ast.Expr] = []
    stack: list[ast.Expr] = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Binary) and node.op == op:
            stack.append(node.right)
            stack.append(node.left)
        else:
            parts.append(node)
    level = _BINARY_LEVEL[op]
    texts = [_wrap(x, level + 1) for x in parts]
    return f"\n{indent}{op} ".join(texts)


def _string(s: str) -> str:
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


def _wrap(e: ast.Expr, min_level: int) -> str:
    text = expr_text(e)
    return f"({text})" if _level(e) < min_level else text


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


def _source_text(e: ast.Expr | None) -> str:
    assert e is not None, "a binder ranges over a type or a list"
    return _wrap(e, _ATOM)


def expr_text(e: ast.Expr) -> str:
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
        return _string(e.value)
    if isinstance(e, ast.NoneLit):
        return "none"
    if isinstance(e, ast.SomeExpr):
        return f"some({expr_text(e.value)})"
    if isinstance(e, ast.ListLit):
        return "[" + ", ".join(expr_text(x) for x in e.items) + "]"
    if isinstance(e, ast.RecordLit):
        inner = ", ".join(f"{k}: {expr_text(v)}" for k, v in e.fields)
        return f"{e.type_name} {{ {inner} }}" if inner else f"{e.type_name} {{}}"
    if isinstance(e, ast.EnumValue):
        return f"{e.enum}.{e.variant}"
    if isinstance(e, ast.FieldAccess):
        return f"{_wrap(e.target, _ATOM)}.{e.name}"
    if isinstance(e, ast.Call):
        return f"{e.func}({', '.join(expr_text(a) for a in e.args)})"
    if isinstance(e, ast.Unary):
        if e.op == "not":
            return f"not {_wrap(e.operand, _COALESCE)}"
        return f"-{_wrap(e.operand, _UNARY)}"
    if isinstance(e, ast.Binary):
        level = _BINARY_LEVEL[e.op]
        if e.op in ("implies", "??"):  # right associative
            left, right = _wrap(e.left, level + 1), _wrap(e.right, level)
        elif level == _COMPARE:  # not associative
            left, right = _wrap(e.left, level + 1), _wrap(e.right, level + 1)
        else:
            left, right = _wrap(e.left, level), _wrap(e.right, level + 1)
        return f"{left} {e.op} {right}"
    if isinstance(e, ast.IsSome):
        return f"{_wrap(e.target, _COALESCE)} is some({e.binding})"
    if isinstance(e, ast.IsNone):
        return f"{_wrap(e.target, _COALESCE)} is none"
    if isinstance(e, ast.If):
        return f"if {expr_text(e.cond)} then {expr_text(e.then)} else {expr_text(e.orelse)}"
    if isinstance(e, ast.Match):
        return f"match {expr_text(e.scrutinee)} {{ {', '.join(_arm_text(arm) for arm in e.arms)} }}"
    if isinstance(e, ast.MinMax):
        return f"{e.op}({', '.join(expr_text(a) for a in e.args)})"
    if isinstance(e, ast.Aggregate):
        where = f" where {_wrap(e.where, _IMPLIES)}" if e.where is not None else ""
        source = _wrap(e.source, _ATOM)
        if e.op == "count":
            return f"count({e.var} in {source}{where})"
        assert e.body is not None
        body = expr_text(e.body)
        if e.op == "sum":
            return f"sum({body} for {e.var} in {source}{where})"
        assert e.default is not None
        return f"{e.op}({body} for {e.var} in {source}{where} else {expr_text(e.default)})"
    if isinstance(e, ast.Size):
        return f"size({expr_text(e.target)})"
    if isinstance(e, ast.Quantified):
        binders = ", ".join(
            f"{b.name}: {type_text(b.type)}"
            if b.type is not None
            else f"{b.name} in {_source_text(b.source)}"
            for b in e.binders
        )
        where = f" where {_wrap(e.where, _IMPLIES)}" if e.where is not None else ""
        return f"{e.op} {binders}{where}. {expr_text(e.body)}"
    raise TypeError(f"cannot format {type(e).__name__}")  # pragma: no cover


def _arm_text(arm: ast.MatchArm) -> str:
    pats = " | ".join(f"{en}.{v}" for en, v in arm.patterns) if arm.patterns else "_"
    return f"{pats} => {expr_text(arm.body)}"
