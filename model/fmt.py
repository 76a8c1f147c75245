"""Canonical formatting of a module: surface AST (plus comments) -> text.

The output parses back to an equal AST (spans and literal spellings aside) and
formatting it again changes nothing.

Layout. Lines are kept within WIDTH (100) columns wherever the grammar lets a line
break (a citation's strings, a long name or a type cannot be broken); whatever
fits on one line stays on one line. Declarations have fixed shapes: one enum
variant, record field or invariant, rule clause, `except`, `def` case, test step
or plan item per line, indented by two (an empty line written between two items
is kept, one however many there were); the citations of a `def`, `rule`,
`property`, `window` and `plan` on their own lines under its header; those of the
other items at the end of the item's line when they fit there and it is one
line, else one per line under it. A `def` body goes after ` = ` on the header
line when the whole fits, else on a line of its own starting with `= `. A
`property` body goes after the colon when it fits, else on the next line. How a
long expression breaks is described in `model/fmt_expr.py`.

Comments stay where they were written: a comment on a line of its own stays on
a line of its own just before the declaration, item or part of an expression it
preceded; a comment at the end of a line stays at the end of the line printed
for the code it followed (see `model/fmt_expr.py` for comments inside expressions).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from smallprint.model import ast
from smallprint.model.fmt_doc import LINE, SOFTLINE, Doc, Group, Nest, render
from smallprint.model.fmt_expr import (
    INDENT,
    Comment,
    Comments,
    ExprDocs,
    Pos,
    atom_text,
    end,
    expr_text,
    scan_comments,
    start,
    string_text,
    type_text,
)

WIDTH = 100
_END: Pos = (1 << 30, 0)  # after everything in the file

__all__ = ["WIDTH", "Comment", "expr_text", "format_module", "scan_comments", "type_text"]


class _Printer:
    def __init__(self, comments: Comments, blank_lines: frozenset[int] = frozenset()) -> None:
        self.comments = comments
        self.docs = ExprDocs(comments)
        self.lines: list[str] = []
        # The source's empty lines: one between two items of a declaration is kept (an
        # author's grouping of a plan's lets, a record's fields), as between comments.
        self.blank_lines = blank_lines
        self.first_inside = True  # the next indented item is the first after a header
        self.item_line = 0  # where the last item began: an empty line counts only after it

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def flush(self, pos: Pos, indent: int) -> None:
        """Place the comments written before `pos`: one after code at the end of the last
        line printed, one on its own line on a line of its own. Paragraph breaks between
        comments, and after a comment block that stands apart from the code below it,
        are kept (as one empty line)."""
        emitted: Comment | None = None
        found = self.comments.take_before(pos)
        # The trailing ones first: they end lines of code printed before this point, even
        # when a comment on a line of its own was written between that code and them.
        for c in sorted(found, key=lambda c: not c.trailing):
            code = next((i for i in range(len(self.lines) - 1, -1, -1) if self.lines[i]), None)
            if c.trailing and code is not None and not self.lines[code].lstrip().startswith("#"):
                self.lines[code] += "  " + c.text
                continue
            if c.blank_before and emitted is not None:
                self.blank()
            self.lines.append(" " * indent + c.text)
            emitted = c
        if emitted is not None and emitted.blank_after and not indent:
            self.blank()

    def put(self, doc: Doc, indent: int) -> None:
        self.lines.extend(render(doc, indent, WIDTH))

    def item(
        self,
        pos: Pos,
        build: Callable[[], Doc],
        indent: int,
        cites: Sequence[tuple[Pos, str]] = (),
        suffix: str = "",
    ) -> None:
        """One line item at `pos`; its citations (and `suffix`) at the end of its line when
        it is one line and they fit, else one per line under it."""
        if indent == 0:
            self.first_inside = True
        elif self.first_inside:
            self.first_inside = False
        elif (
            self.item_line < (above := self.comments.first_own_line(pos, pos[0]) - 1)
            and above in self.blank_lines
        ):
            # (items written on one line, `record B { p: Int  q: Int }`, have none between them)
            self.blank()
        self.item_line = pos[0]
        self.flush(pos, indent)
        if not cites:
            self.put([build(), suffix], indent)
            return
        lines = render(build(), indent, WIDTH)
        joined = "".join(" " + text for _, text in cites) + suffix
        if (
            len(lines) == 1
            and len(lines[0]) + len(joined) <= WIDTH
            and not self.comments.any_before(cites[-1][0])
        ):
            self.lines.append(lines[0] + joined)
            return
        self.lines.extend(lines)
        self.own_lines(cites, indent + INDENT, suffix)

    def own_lines(self, cites: Sequence[tuple[Pos, str]], indent: int, suffix: str = "") -> None:
        for i, (pos, text) in enumerate(cites):
            self.flush(pos, indent)
            self.lines.append(" " * indent + text + (suffix if i == len(cites) - 1 else ""))


def format_module(module: ast.Module, source: str = "") -> str:
    blank_lines = frozenset(n for n, line in enumerate(source.split("\n"), 1) if not line.strip())
    p = _Printer(Comments(scan_comments(source)), blank_lines)
    if module.declared_name:
        p.flush(_module_line(source), 0)
        p.blank()
        p.lines.append(f"module {module.name}")
    if module.imports:
        p.flush((module.import_spans[0].line, 0) if module.import_spans else (0, 0), 0)
        p.lines.append(f"import {', '.join(module.imports)}")
    p.blank()
    for decl, after in zip(module.decls, [*module.decls[1:], None], strict=True):
        _decl(p, decl)
        # Constants written one under the other stay a group; other declarations, and
        # constants apart, get a blank line between them.
        grouped = isinstance(decl, ast.ConstDecl) and isinstance(after, ast.ConstDecl)
        if not (grouped and after is not None and after.span.line == decl.span.end_line + 1):
            p.blank()
    p.flush(_END, 0)
    while p.lines and p.lines[0] == "":
        p.lines.pop(0)
    while p.lines and p.lines[-1] == "":
        p.lines.pop()
    return "\n".join(p.lines) + "\n"


def _module_line(source: str) -> Pos:
    """Where the `module` line is: the first line of code (the tree keeps no span for it)."""
    for n, line in enumerate(source.split("\n"), 1):
        code = line.strip()
        if code and not code.startswith("#"):
            return (n, len(line) - len(line.lstrip()) + 1)
    return (0, 0)


def _cites(cites: Sequence[ast.Cite], word: str = "cite") -> list[tuple[Pos, str]]:
    out = []
    for c in cites:
        args = string_text(c.source) + (f", {string_text(c.section)}" if c.section is not None else "")
        out.append((start(c.span), f"@{word}({args})"))
    return out


def _params(docs: ExprDocs, params: Sequence[ast.Param]) -> Doc:
    """`(a: A, b: B)`, or one parameter per line (no trailing comma: the grammar has none)."""
    if not params:
        return "()"
    inner: list[Doc] = []
    for i, prm in enumerate(params):
        if i:
            inner.append(",")
        inner += docs.gap(start(prm.span), SOFTLINE if i == 0 else LINE)
        inner.append(f"{prm.name}: {type_text(prm.type)}")
    return Group(["(", Nest(2 * INDENT, inner), SOFTLINE, ")"])


def _decl(p: _Printer, d: ast.Decl) -> None:
    docs = p.docs
    pos = start(d.span)
    if isinstance(d, ast.EnumDecl):
        p.item(pos, _text(f"enum {d.name}"), 0, _cites(d.cites), " {")
        for v in d.variants:
            p.item(start(v.span), _text(v.name), INDENT, _cites(v.cites), ",")
        p.flush(end(d.span), INDENT)
        p.lines.append("}")
    elif isinstance(d, ast.RecordDecl):
        p.item(pos, _text(f"record {d.name}"), 0, _cites(d.cites), " {")
        items: list[ast.FieldDecl | ast.Invariant] = sorted(
            [*d.fields, *d.invariants], key=lambda x: start(x.span)
        )
        for it in items:
            if isinstance(it, ast.FieldDecl):
                p.item(start(it.span), _text(f"{it.name}: {type_text(it.type)}"), INDENT, _cites(it.cites))
            else:
                p.item(start(it.span), _invariant(docs, it), INDENT, _cites(it.cites))
        p.flush(end(d.span), INDENT)
        p.lines.append("}")
    elif isinstance(d, ast.ConstDecl):
        head = f"const {d.name}: {type_text(d.type)} = "
        p.item(pos, lambda: [head, docs.hang(d.value)], 0, _cites(d.cites))
    elif isinstance(d, ast.DefDecl):
        _def(p, d)
    elif isinstance(d, ast.RuleDecl):
        rel = f" {d.relation[0]} {d.relation[1]}" if d.relation else ""
        p.item(pos, lambda: ["rule ", d.name, _params(docs, d.params), rel], 0)
        p.own_lines(_cites(d.cites), INDENT)
        for c in d.clauses:
            p.item(start(c.span), _keyword(docs, c.kind, c.cond), INDENT, _cites(c.cites))
            for x in c.excepts:
                p.item(start(x.span), _keyword(docs, "except", x.cond), 2 * INDENT, _cites(x.cites))
    elif isinstance(d, ast.WindowDecl):
        _window(p, d)
    elif isinstance(d, ast.PropertyDecl):
        notes = sorted(_cites(d.cites) + _cites(d.findings, "finding"))
        if not notes:
            p.item(
                pos,
                lambda: Group(
                    [f"property {d.name}:", Nest(INDENT, [*docs.gap(start(d.body.span)), docs.expr(d.body)])]
                ),
                0,
            )
        else:
            p.item(pos, lambda: f"property {d.name}", 0)
            p.own_lines(notes, INDENT, ":")
            p.item(start(d.body.span), lambda: docs.expr(d.body), INDENT)
    elif isinstance(d, ast.TestDecl):
        p.item(pos, lambda: f"test {string_text(d.name)}", 0, _cites(d.cites), " {")
        for step in d.steps:
            p.item(start(step.span), _step(docs, step), INDENT)
        p.flush(end(d.span), INDENT)
        p.lines.append("}")
    elif isinstance(d, ast.PlanDecl):
        p.item(pos, lambda: ["plan ", d.name, _params(docs, d.params)], 0)
        p.own_lines(_cites(d.cites), INDENT)
        for item in d.items:
            cites = _cites(item.cites) if isinstance(item, ast.Choose | ast.Require) else []
            p.item(start(item.span), _plan_item(docs, item), INDENT, cites)


def _def(p: _Printer, d: ast.DefDecl) -> None:
    docs = p.docs

    def head() -> Doc:
        return [f"def {d.name}", _params(docs, d.params), f" -> {type_text(d.result)}"]

    body = d.body
    if body is not None:
        # `= ` starts the body's line, and the body's own lines are aligned after it.
        if not d.cites:
            p.item(
                start(d.span),
                lambda: Group(
                    [head(), Nest(INDENT, [*docs.gap(start(body.span)), "= ", Nest(2, docs.expr(body))])]
                ),
                0,
            )
        else:
            p.item(start(d.span), head, 0)
            p.own_lines(_cites(d.cites), INDENT)
            p.item(start(body.span), lambda: ["= ", Nest(2, docs.expr(body))], INDENT)
        return
    p.item(start(d.span), head, 0)
    p.own_lines(_cites(d.cites), INDENT)
    for case in d.cases:

        def when(case: ast.Case = case) -> Doc:
            # `=> value` on the next line when the case is too long, not the value split; the
            # condition's own continuation lines two steps in, past that line
            cond = Nest(INDENT, docs.hang(case.cond))
            return Group(["when ", cond, Nest(INDENT, [LINE, "=> ", docs.hang(case.value)])])

        p.item(start(case.span), when, INDENT, _cites(case.cites))
    otherwise = d.otherwise
    assert otherwise is not None
    p.item(
        start(otherwise.span),
        lambda: ["otherwise => ", docs.hang(otherwise)],
        INDENT,
        _cites(d.otherwise_cites),
    )


def _window(p: _Printer, d: ast.WindowDecl) -> None:
    docs = p.docs

    def head() -> Doc:
        return ["window ", d.name, _params(docs, d.params)]

    def span() -> Doc:
        return ["from ", docs.hang(d.start), " to ", docs.hang(d.end)]

    if not d.cites:
        p.item(
            start(d.span), lambda: Group([head(), Nest(INDENT, [*docs.gap(start(d.start.span)), span()])]), 0
        )
    else:
        p.item(start(d.span), head, 0)
        p.own_lines(_cites(d.cites), INDENT)
        p.item(start(d.start.span), span, INDENT)


def _text(text: str) -> Callable[[], Doc]:
    return lambda: text


def _keyword(docs: ExprDocs, word: str, cond: ast.Expr) -> Callable[[], Doc]:
    return lambda: [word, " ", docs.hang(cond)]


def _invariant(docs: ExprDocs, inv: ast.Invariant) -> Callable[[], Doc]:
    """`invariant n: cond`, or the condition on the lines below."""
    return lambda: Group(
        [f"invariant {inv.name}:", Nest(INDENT, [*docs.gap(start(inv.cond.span)), docs.expr(inv.cond)])]
    )


def _step(docs: ExprDocs, step: ast.Given | ast.Expect) -> Callable[[], Doc]:
    if isinstance(step, ast.Given):
        typ = f": {type_text(step.type)}" if step.type is not None else ""
        return lambda: [f"given {step.name}{typ} = ", docs.hang(step.value)]
    return _keyword(docs, "expect", step.cond)


def _plan_item(docs: ExprDocs, item: ast.PlanItem) -> Callable[[], Doc]:
    if isinstance(item, ast.Choose):
        each = ""
        if item.var is not None:
            assert item.source is not None
            each = f" for {item.var} in {atom_text(item.source)}"
        return lambda: f"choose {atom_text(item.target)}{each}"
    if isinstance(item, ast.PlanLet):
        if not item.binders:
            return lambda: [f"let {item.name} = ", docs.hang(item.value)]
        first = start(item.binders[0].span)
        return lambda: Group(
            [
                f"let {item.name} = ",
                docs.hang(item.value),
                Nest(INDENT, [*docs.gap(first), "for ", *docs.ranges(item.binders, item.where)]),
            ]
        )
    if isinstance(item, ast.Require):
        return _keyword(docs, "require", item.cond)

    def objectives() -> Doc:
        out: list[Doc] = []
        for i, o in enumerate(item.items):
            if i:
                out += [*docs.gap(start(o.span)), "then "]
            out += [o.direction, " ", docs.hang(o.expr)]
        return Group([Nest(INDENT, out)])

    return objectives
