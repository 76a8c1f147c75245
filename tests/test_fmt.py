"""`fmt`: output parses back to the same tree, is a fixed point, and keeps comments."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smallprint.model import ast
from smallprint.model.fmt import expr_text, format_module
from smallprint.model.from_tree import module_from_text

from .conftest import SPECS

SPEC_FILES = sorted(SPECS.rglob("*.sp"))
GOLDEN = sorted((Path(__file__).parent / "golden").rglob("*.sp"))


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: str(p.relative_to(SPECS)))
def test_spec_files_round_trip(path: Path) -> None:
    text = path.read_text()
    module = module_from_text(text, path.name)
    formatted = format_module(module, text)
    assert module_from_text(formatted, path.name) == module
    assert format_module(module_from_text(formatted, path.name), formatted) == formatted
    assert text.count("#") - text.count('"#') <= formatted.count("#"), "a comment was lost"


def test_specs_exist() -> None:
    assert SPEC_FILES, "no spec files found under specs/"


def test_comments_are_kept_in_order() -> None:
    text = (
        "# about r\n"
        "rule r(x: Int)\n"
        "  # first clause\n"
        "  when x > 1 # trailing\n"
        "  when x < 0\n"
        'test "t" {\n'
        "  # quote\n"
        "  expect r(2)\n"
        "}\n"
    )
    out = format_module(module_from_text(text, "c.sp"), text)
    lines = [line.strip() for line in out.splitlines()]
    assert "when x > 1  # trailing" in lines
    order = [lines.index(c) for c in ("# about r", "# first clause", "when x > 1  # trailing", "# quote")]
    assert order == sorted(order)
    assert lines.index("# quote") < lines.index("expect r(2)")


def test_a_long_match_list_or_record_body_gets_one_item_per_line() -> None:
    arms = ", ".join(f"Kind.k{i} => {i * 1000} days" for i in range(6))
    items = ", ".join(f"{i * 1000} days" for i in range(12))
    text = (
        "enum Kind { k0, k1, k2, k3, k4, k5 }\n"
        "record R { a: Days  b: Days  c: Days  d: Days  e: Days  f: Days  g: Days }\n"
        f"def wait(k: Kind) -> Days = match k {{ {arms} }}\n"
        f"def waits(k: Kind) -> List[Days, 12] = [{items}]\n"
        "def r(x: Days) -> R = R { a: x, b: x + 1 days, c: x + 2 days, d: x + 3 days, e: x + 4 days,"
        " f: x + 5 days, g: x + 6 days }\n"
    )
    module = module_from_text(text, "m.sp")
    out = format_module(module, text)
    assert "  = match k {\n      Kind.k0 => 0 days,\n      Kind.k1 => 1000 days," in out
    assert "      Kind.k5 => 5000 days,\n    }\n" in out
    assert "  = [\n      0 days,\n" in out and "      11000 days,\n    ]\n" in out
    assert "  = R {\n      a: x,\n      b: x + 1 days," in out
    assert max(len(line) for line in out.splitlines()) <= 96
    assert (
        module_from_text(out, "m.sp") == module and format_module(module_from_text(out, "m.sp"), out) == out
    )


def test_a_comment_at_the_end_of_a_clause_continued_over_lines_stays_with_it() -> None:
    text = (
        "rule r(x: Int, y: Int)\n"
        "  when x > 1\n"
        "      and y > 2   # both needed\n"
        "  unless x > 9\n"
        "    except y > 9  # the exception\n"
        "def f(x: Int) -> Int = x\n"
    )
    out = format_module(module_from_text(text, "c.sp"), text)
    lines = out.splitlines()
    assert "  when x > 1 and y > 2  # both needed" in lines
    assert "    except y > 9  # the exception" in lines
    assert lines.index("  when x > 1 and y > 2  # both needed") < lines.index("  unless x > 9")
    assert format_module(module_from_text(out, "c.sp"), out) == out


def test_constants_written_together_stay_together() -> None:
    text = (
        "const a: Days = 30 days\n"
        "const b: Days = 14 days\n"
        "\n"
        "const c: Money = $100\n"
        "def f(x: Int) -> Int = x\n"
        "const d: Int = 1\n"
    )
    out = format_module(module_from_text(text, "k.sp"), text)
    assert out == (
        "const a: Days = 30 days\n"
        "const b: Days = 14 days\n"
        "\n"
        "const c: Money = US$100\n"
        "\n"
        "def f(x: Int) -> Int = x\n"
        "\n"
        "const d: Int = 1\n"
    )
    assert format_module(module_from_text(out, "k.sp"), out) == out


# ---- random expressions: printing respects precedence ---------------------------------

names = st.sampled_from(["a", "b", "c", "xs", "o"])
leaves: st.SearchStrategy[ast.Expr] = st.one_of(
    names.map(ast.Var),
    st.integers(0, 999).map(ast.IntLit),
    st.integers(0, 99999).map(ast.MoneyLit),
    st.integers(1, 300).map(lambda n: ast.PercentLit(Fraction(n, 1000))),
    st.integers(0, 40).map(lambda n: ast.QuantityLit(Fraction(n), "days")),
    st.booleans().map(ast.BoolLit),
    st.just(ast.NoneLit()),
)


def extend(inner: st.SearchStrategy[ast.Expr]) -> st.SearchStrategy[ast.Expr]:
    ops = st.sampled_from(["+", "-", "*", "/", "==", "<", ">=", "and", "or", "implies", "??", "in"])
    return st.one_of(
        st.builds(ast.Binary, ops, inner, inner),
        st.builds(ast.Unary, st.sampled_from(["not", "-"]), inner),
        st.builds(ast.FieldAccess, inner, names),
        st.builds(ast.IsSome, inner, names),
        st.builds(ast.IsNone, inner),
        st.builds(ast.If, inner, inner, inner),
        st.builds(ast.Call, names, st.lists(inner, max_size=2).map(tuple)),
        st.builds(
            ast.MinMax, st.sampled_from(["min", "max"]), st.lists(inner, min_size=2, max_size=3).map(tuple)
        ),
        st.builds(ast.Aggregate, st.just("sum"), names, inner, st.none() | inner, inner, st.none()),
        st.builds(ast.Aggregate, st.just("count"), names, inner, st.none() | inner, st.none(), st.none()),
        st.builds(
            ast.Quantified,
            st.sampled_from(["forall", "exists"]),
            st.tuples(st.builds(ast.Binder, names, st.none(), inner)),
            st.none() | inner,
            inner,
        ),
        st.builds(ast.SomeExpr, inner),
        st.lists(inner, max_size=3).map(lambda xs: ast.ListLit(tuple(xs))),
    )


expressions = st.recursive(leaves, extend, max_leaves=12)


@settings(max_examples=400)
@given(expressions)
def test_printed_expressions_parse_back_equal(e: ast.Expr) -> None:
    text = f"const k: Int = {expr_text(e)}\n"
    decl = module_from_text(text, "r.sp").decls[0]
    assert isinstance(decl, ast.ConstDecl)
    assert decl.value == e, text
