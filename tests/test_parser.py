"""Grammar and tree building: literals, precedence, spans, and syntax errors."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smallprint.grammar.span import SmallprintError
from smallprint.model import ast
from smallprint.model.from_tree import module_from_text
from smallprint.model.from_tree_exprs import RESERVED


def expr(text: str) -> ast.Expr:
    module = module_from_text(f"const x: Int = {text}\n", "t.sp")
    decl = module.decls[0]
    assert isinstance(decl, ast.ConstDecl)
    return decl.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("US$12.40", ast.MoneyLit(1240)),
        ("$0.99", ast.MoneyLit(99)),
        ("US$10", ast.MoneyLit(1000)),
        ("12.5%", ast.PercentLit(Fraction(1, 8))),
        ("2020-05-24", ast.DateLit(datetime.date(2020, 5, 24))),
        ("2020-05-24T10:30", ast.DateTimeLit(datetime.datetime(2020, 5, 24, 10, 30))),
        ("15 days", ast.QuantityLit(Fraction(15), "days")),
        ("48 hours", ast.QuantityLit(Fraction(48), "hours")),
        ("120 cm", ast.QuantityLit(Fraction(120), "cm")),
        ("1.5 kg", ast.QuantityLit(Fraction(3, 2), "kg")),
        ("2 MB", ast.QuantityLit(Fraction(2), "MB")),
        ('"35"', ast.TextLit("35")),
        ('"say \\"hi\\""', ast.TextLit('say "hi"')),
    ],
)
def test_literals_are_exact(text: str, expected: ast.Expr) -> None:
    assert expr(text) == expected


def test_precedence_and_over_or_and_arithmetic() -> None:
    e = expr("a or b and c + 1 * 2 > 3")
    assert isinstance(e, ast.Binary) and e.op == "or"
    right = e.right
    assert isinstance(right, ast.Binary) and right.op == "and"
    cmp = right.right
    assert isinstance(cmp, ast.Binary) and cmp.op == ">"
    add = cmp.left
    assert isinstance(add, ast.Binary) and add.op == "+"
    assert isinstance(add.right, ast.Binary) and add.right.op == "*"


def test_implies_is_right_associative_and_binds_loosest() -> None:
    e = expr("a implies b implies c or d")
    assert isinstance(e, ast.Binary) and e.op == "implies"
    assert isinstance(e.right, ast.Binary) and e.right.op == "implies"
    assert isinstance(e.right.right, ast.Binary) and e.right.right.op == "or"


@pytest.mark.parametrize(
    ("with_comma", "without"),
    [
        ("[1, 2,]", "[1, 2]"),
        ("f(a, b,)", "f(a, b)"),
        ("max(a, b,)", "max(a, b)"),
        ("[\n  1,\n  2,\n]", "[1, 2]"),
    ],
)
def test_a_trailing_comma_is_allowed_wherever_a_list_of_expressions_ends(
    with_comma: str, without: str
) -> None:
    # As in record literals, enums and match arms: a list written one item per line
    # can end each line with a comma.
    assert expr(with_comma) == expr(without)


def test_dot_with_space_ends_binders_dot_without_is_field_access() -> None:
    e = expr("forall i in o.items. i.price > $0")
    assert isinstance(e, ast.Quantified)
    assert e.binders[0].source == ast.FieldAccess(ast.Var("o"), "items")
    assert isinstance(e.body, ast.Binary)
    assert e.body.left == ast.FieldAccess(ast.Var("i"), "price")


def test_spans_point_at_source() -> None:
    module = module_from_text("rule r(x: Int)\n  when x >   3\n", "s.sp")
    rule = module.decls[0]
    assert isinstance(rule, ast.RuleDecl)
    clause = rule.clauses[0]
    assert (clause.span.line, clause.span.column) == (2, 3)
    cond = clause.cond
    assert isinstance(cond, ast.Binary)
    assert (cond.right.span.line, cond.right.span.column) == (2, 14)


def test_spans_do_not_change_equality() -> None:
    a = module_from_text("def f(x: Int) -> Int = x + 1\n", "a.sp")
    b = module_from_text("\n\ndef f(x: Int)\n  -> Int =\n    x+1\n", "a.sp")
    assert a == b


def syntax_error(text: str) -> str:
    with pytest.raises(SmallprintError) as info:
        module_from_text(text, "bad.sp")
    d = info.value.diagnostics[0]
    return f"{d.span.line}:{d.span.column} {d.message} | {d.hint}"


def test_syntax_error_has_position_and_expectation() -> None:
    assert syntax_error("rule r(x: Int)\n  when x >\n").startswith("2:10 unexpected end of file")
    msg = syntax_error("rule r(x: Int) when x > > 1\n")
    assert msg.startswith("1:25 unexpected `>`")


def test_reserved_word_as_name_is_reported() -> None:
    assert "reserved word" in syntax_error("def count(x: Int) -> Int = x\n")


def test_misplaced_case_gets_a_hint() -> None:
    assert "uppercase" in syntax_error("record order { x: Int }\n")
    assert "lowercase" in syntax_error("def F(x: Int) -> Int = x\n")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            "rule r(x: Int)\n  when x > 1\n  unles x > 5\n",
            "3:3 unexpected `unles` | did you mean `unless`?",
        ),
        (
            "rule r(x: Int)\n  when x > 1\n  except x > 5\n",
            "3:3 unexpected `except` | `except` follows an `unless`",
        ),
        ("def f(x: Money) -> Bool = x > US$1.005\n", "1:38 unexpected `5` | money has at most two decimals"),
        ("def f(x: Int) -> Int = x * 0.15\n", "1:29 unexpected character `.` | a bare number is whole"),
        (
            "rule r(x: Int, xs: List[Int, 3]) when x > 1 or exists y in xs. y > 2\n",
            "1:55 unexpected `y` | a quantifier after `or` goes in parentheses: `a or (exists x in xs. ...)`",
        ),
        (
            "rule r(xs: List[Int, 3]) when count(x in xs where exists y in xs. y > x) > 1\n",
            "1:58 unexpected `y` | a quantifier after `where` goes in parentheses: `where (exists j",
        ),
        ("rule r(o: Int)\n  when o = 3\n", "2:10 unexpected `=` | compare with `==`"),
        ("const m: Money = US$-1\n", "1:20 unexpected character `$` | a negative amount puts the minus"),
        ("rule r(x: Int)\n  when x > 1 && x < 3\n", "2:14 unexpected character `&` | write `and`"),
        ("rule r(x: Int)\n  when x > 1 || x < 3\n", "2:14 unexpected `|` | write `or`"),
        ("rule r(x: Int)\n  when !(x > 1)\n", "2:8 unexpected character `!` | write `not`"),
        ("rule r(x: Int)\n  when x > 1;\n", "2:13 unexpected character `;` | no `;` is needed"),
        ("const d: Days = 10 dys\n", "1:20 unexpected `dys` | did you mean `days`? `dys` is not a unit"),
        ("const d: Length = 3 meters\n", "1:21 unexpected `meters` | did you mean `m`?"),
        ("const d: Duration = 90 min\n", "1:24 unexpected `min` | did you mean `minutes`?"),
        ("const h: Money = USD12\n", "1:18 unexpected end of file | money is written with a `$`"),
        ("record O { a: Int, b: Int }\n", "1:18 unexpected `,` | a record's fields need no commas"),
        ("def f(o: Int) -> Int { 3 }\n", "1:22 unexpected `{` | a definition's value follows `=`"),
        (
            "def f(o: Int) -> Int = let x = 3 in x\n",
            "1:28 unexpected `x` | `let` names a value inside a `plan`",
        ),
        (
            "enum S { a, b }\ndef f(s: S) -> Int = match s { a => 1, S.b => 2 }\n",
            "2:32 unexpected `a` | a match arm names the enum of its variant",
        ),
        (
            "def f(o: Int) -> Int\n  when o > 3 => 1\nrule g(o: Int) when o > 1\n",
            "3:1 unexpected `rule` | a definition by cases ends with `otherwise => ...`",
        ),
    ],
)
def test_common_slips_get_a_hint_that_names_them(text: str, error: str) -> None:
    assert syntax_error(text).startswith(error)


def test_an_unclosed_bracket_is_shown_where_it_was_opened() -> None:
    with pytest.raises(SmallprintError) as info:
        module_from_text("def f(o: Int) -> Int = max(o, (3 + 4)\ndef g(o: Int) -> Int = 3\n", "bad.sp")
    (d,) = info.value.diagnostics
    assert (d.span.line, d.span.column, d.message) == (2, 1, "unexpected `def`")
    ((label),) = d.labels
    assert (label.span.line, label.span.column, label.message) == (1, 27, "this `(` is not closed")


def test_the_dot_ending_binders_is_offered_only_inside_a_quantifier() -> None:
    assert "ending the binders" not in syntax_error("record O { s: Int }\nrule r(o: O) when o.s > > 3\n")
    assert "ending the binders" in syntax_error("rule r(xs: List[Int, 3]) when forall x in xs x > 1\n")


def test_bad_calendar_date() -> None:
    assert "not a calendar date" in syntax_error("const d: Date = 2020-02-30\n")


# ---- robustness: the parser never crashes, it only reports -------------------------

TOKENS = [
    *sorted(RESERVED),
    "(", ")", "{", "}", "[", "]", ",", ":", ".", ". ", "=>", "==", "<=", "+", "-", "*", "/",
    "??", "?", "@cite", '"x"', "US$1", "15 days", "2020-01-01", "10%", "1", "x", "Order", "\n",
]  # fmt: skip


@settings(max_examples=300)
@given(st.lists(st.sampled_from(TOKENS), max_size=30))
def test_token_soup_never_crashes(tokens: list[str]) -> None:
    try:
        module_from_text(" ".join(tokens), "soup.sp")
    except SmallprintError as exc:
        assert exc.diagnostics and all(d.span.file == "soup.sp" for d in exc.diagnostics)


@settings(max_examples=300)
@given(st.binary(max_size=200))
def test_random_bytes_never_crash(data: bytes) -> None:
    try:
        module_from_text(data.decode("utf-8", errors="replace"), "bytes.sp")
    except SmallprintError as exc:
        assert exc.diagnostics
