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


def scan_comments(text: str) -> list[Comment]:
    """Every `#` comment outside string literals, with its line number."""
    out: list[Comment] = []
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
            out.append(Comment(line, text[i:end].rstrip()))
            i = end
            continue
        i += 1
    return out


class _Printer:
    def __init__(self, comments: list[Comment]) -> None:
        self.comments = sorted(comments, key=lambda c: c.line)
        self.lines: list[str] = []

    def comments_before(self, line: int, indent: str) -> None:
        """Emit the pending comments that start before `line` (or all, for line 0)."""
        while self.comments and (line <= 0 or self.comments[0].line <= line):
            self.lines.append(indent + self.comments.pop(0).text)

    def emit(self, line: int, text: str, indent: str = "") -> None:
        self.comments_before(line, indent)
        self.lines.append(indent + text)


def format_module(module: ast.Module, source: str = "") -> str:
    p = _Printer(scan_comments(source))
    first = module.decls[0].span.line if module.decls else 0
    header: list[str] = []
    if module.declared_name:
        header.append(f"module {module.name}")
    if module.imports:
        header.append(f"import {', '.join(module.imports)}")
    if header:
        # Comments above the header stay above it.
        head_line = min((s.line for s in module.import_spans), default=first or 1)
        p.comments_before(head_line - 1 if module.declared_name else head_line, "")
        p.lines.extend(header)
        p.lines.append("")
    for decl in module.decls:
        _decl(p, decl)
        p.lines.append("")
    p.comments_before(0, "")
    while p.lines and p.lines[-1] == "":
        p.lines.pop()
    return "\n".join(p.lines) + "\n"


def _cites(cites: tuple[ast.Cite, ...]) -> str:
    parts = []
    for c in cites:
        args = _string(c.source) + (f", {_string(c.section)}" if c.section is not None else "")
        parts.append(f"@cite({args})")
    return "".join(" " + part for part in parts)


def _params(params: tuple[ast.Param, ...]) -> str:
    return ", ".join(f"{p.name}: {type_text(p.type)}" for p in params)


def _decl(p: _Printer, d: ast.Decl) -> None:
    line = d.span.line
    if isinstance(d, ast.EnumDecl):
        p.emit(line, f"enum {d.name}{_cites(d.cites)} {{")
        for v in d.variants:
            p.emit(v.span.line, f"{v.name}{_cites(v.cites)},", INDENT)
        p.lines.append("}")
    elif isinstance(d, ast.RecordDecl):
        p.emit(line, f"record {d.name}{_cites(d.cites)} {{")
        for f in d.fields:
            p.emit(f.span.line, f"{f.name}: {type_text(f.type)}{_cites(f.cites)}", INDENT)
        for inv in d.invariants:
            p.emit(inv.span.line, f"invariant {inv.name}: {expr_text(inv.cond)}{_cites(inv.cites)}", INDENT)
        p.lines.append("}")
    elif isinstance(d, ast.ConstDecl):
        p.emit(line, f"const {d.name}: {type_text(d.type)} = {expr_text(d.value)}{_cites(d.cites)}")
    elif isinstance(d, ast.DefDecl):
        head = f"def {d.name}({_params(d.params)}) -> {type_text(d.result)}{_cites(d.cites)}"
        if d.body is not None:
            body = expr_text(d.body)
            if len(head) + len(body) + 3 <= WIDTH:
                p.emit(line, f"{head} = {body}")
            else:
                p.emit(line, head)
                p.lines.append(f"{INDENT}= {_long(d.body, INDENT * 2)}")
            return
        p.emit(line, head)
        for case in d.cases:
            cond = _long(case.cond, INDENT * 2)
            p.emit(case.span.line, f"when {cond} => {expr_text(case.value)}{_cites(case.cites)}", INDENT)
        assert d.otherwise is not None
        p.lines.append(f"{INDENT}otherwise => {expr_text(d.otherwise)}{_cites(d.otherwise_cites)}")
    elif isinstance(d, ast.RuleDecl):
        rel = f" {d.relation[0]} {d.relation[1]}" if d.relation else ""
        p.emit(line, f"rule {d.name}({_params(d.params)}){rel}{_cites(d.cites)}")
        for c in d.clauses:
            text = f"{c.kind} {_long(c.cond, INDENT * 2)}{_cites(c.cites)}"
            p.emit(c.span.line, text, INDENT)
            for x in c.excepts:
                p.emit(x.span.line, f"except {_long(x.cond, INDENT * 3)}{_cites(x.cites)}", INDENT * 2)
    elif isinstance(d, ast.WindowDecl):
        p.emit(
            line,
            f"window {d.name}({_params(d.params)}){_cites(d.cites)}"
            f" from {expr_text(d.start)} to {expr_text(d.end)}",
        )
    elif isinstance(d, ast.PropertyDecl):
        head = f"property {d.name}{_cites(d.cites)}:"
        body = expr_text(d.body)
        if len(head) + len(body) + 1 <= WIDTH:
            p.emit(line, f"{head} {body}")
        else:
            p.emit(line, head)
            p.lines.append(INDENT + _long(d.body, INDENT * 2))
    elif isinstance(d, ast.TestDecl):
        p.emit(line, f"test {_string(d.name)}{_cites(d.cites)} {{")
        for step in d.steps:
            if isinstance(step, ast.Given):
                typ = f": {type_text(step.type)}" if step.type is not None else ""
                p.emit(step.span.line, f"given {step.name}{typ} = {_long(step.value, INDENT * 2)}", INDENT)
            else:
                p.emit(step.span.line, f"expect {_long(step.cond, INDENT * 2)}", INDENT)
        end_line = d.span.end_line
        p.comments_before(end_line - 1, INDENT)
        p.lines.append("}")
    elif isinstance(d, ast.PlanDecl):
        p.emit(line, f"plan {d.name}({_params(d.params)}){_cites(d.cites)}")
        for item in d.items:
            p.emit(item.span.line, _plan_item(item), INDENT)


def _plan_item(item: ast.PlanItem) -> str:
    if isinstance(item, ast.Choose):
        each = f" for {item.var} in {_source_text(item.source)}" if item.source is not None else ""
        return f"choose {_wrap(item.target, _ATOM)}{each}{_cites(item.cites)}"
    if isinstance(item, ast.PlanLet):
        return f"let {item.name} = {expr_text(item.value)}"
    if isinstance(item, ast.Require):
        return f"require {expr_text(item.cond)}{_cites(item.cites)}"
    return " then ".join(f"{o.direction} {expr_text(o.expr)}" for o in item.items)


def type_text(t: ast.TypeRef) -> str:
    if isinstance(t, ast.OptionalType):
        return type_text(t.inner) + "?"
    if isinstance(t, ast.ListType):
        return f"List[{type_text(t.elem)}, {t.bound}]"
    assert isinstance(t, ast.NamedType)
    return t.name


def _long(e: ast.Expr, indent: str) -> str:
    """One line when it fits, else a top-level `and`/`or` chain one operand per line."""
    flat = expr_text(e)
    if len(flat) + len(indent) <= WIDTH or not (isinstance(e, ast.Binary) and e.op in ("and", "or")):
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
        arms = []
        for arm in e.arms:
            pats = " | ".join(f"{en}.{v}" for en, v in arm.patterns) if arm.patterns else "_"
            arms.append(f"{pats} => {expr_text(arm.body)}")
        return f"match {expr_text(e.scrutinee)} {{ {', '.join(arms)} }}"
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
