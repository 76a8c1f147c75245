"""`fmt`: output parses back to the same tree, is a fixed point, and keeps comments."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smallprint.model import ast
from smallprint.model.fmt import WIDTH, expr_text, format_module
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
    assert max(len(line) for line in out.splitlines()) <= WIDTH
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


def _formatted(text: str) -> str:
    """`text` formatted; the output must parse to the same model and be a fixed point."""
    module = module_from_text(text, "f.sp")
    out = format_module(module, text)
    again = module_from_text(out, "f.sp")
    assert again == module, out
    assert format_module(again, out) == out, out
    return out


def _comments(text: str) -> list[str]:
    return sorted(line[line.index("#") :] for line in text.splitlines() if "#" in line and '"' not in line)


# ---- comments stay with the code they were written beside ---------------------------

AUTHOR = """\
# header comment

module a

# before enum
enum K { x, y, z }  # trailing enum

def f(k: K) -> Int = match k {
  # leading arm comment
  K.x => 1,  # arm x
  K.y => 2,
  # before wildcard
  _ => 3,
}

def g(xs: List[Int, 3]) -> Int = sum(
  i  # element
  for i in xs
)

test "t" {
  given l = [1, # one
    2]
  expect g(l) == 3 # sum
  # dangling at end of test
}
"""


def test_an_empty_line_between_items_of_a_declaration_is_kept_as_one() -> None:
    text = (
        "record Item {\n\n  sku: Text\n\n  # money\n  price: Money\n  used: Bool\n}\n"
        "rule cheap(i: Item)\n  when i.price < $5\n\n\n  when i.price < $9 and i.used\n"
        '  unless i.sku == "x"\n\n    except i.used\n'
    )
    out = format_module(module_from_text(text, "k.sp"), text)
    assert out == (
        # none after a header; one between items, before the comment that starts one
        "record Item {\n  sku: Text\n\n  # money\n  price: Money\n  used: Bool\n}\n\n"
        "rule cheap(i: Item)\n  when i.price < US$5\n\n  when i.price < US$9 and i.used\n"
        '  unless i.sku == "x"\n\n    except i.used\n'
    )
    assert format_module(module_from_text(out, "k.sp"), out) == out


def test_items_written_on_one_line_get_no_empty_line_from_one_above_the_declaration() -> None:
    text = "enum K { a, b }\n\nrecord B { p: Int  q: Int  r: K }\n\n# kinds\nenum C { x, y }\n"
    out = format_module(module_from_text(text, "k.sp"), text)
    assert out == (
        "enum K {\n  a,\n  b,\n}\n\nrecord B {\n  p: Int\n  q: Int\n  r: K\n}\n\n"
        "# kinds\nenum C {\n  x,\n  y,\n}\n"
    )


def test_comments_inside_expressions_and_around_declarations_stay_in_place() -> None:
    assert _formatted(AUTHOR) == (
        "# header comment\n"
        "\n"
        "module a\n"
        "\n"
        "# before enum\n"
        "enum K {\n"
        "  x,\n"
        "  y,\n"
        "  z,\n"
        "}  # trailing enum\n"
        "\n"
        "def f(k: K) -> Int\n"
        "  = match k {\n"
        "      # leading arm comment\n"
        "      K.x => 1,  # arm x\n"
        "      K.y => 2,\n"
        "      # before wildcard\n"
        "      _ => 3,\n"
        "    }\n"
        "\n"
        "def g(xs: List[Int, 3]) -> Int\n"
        "  = sum(\n"
        "      i  # element\n"
        "      for i in xs\n"
        "    )\n"
        "\n"
        'test "t" {\n'
        "  given l = [\n"
        "    1,  # one\n"
        "    2,\n"
        "  ]\n"
        "  expect g(l) == 3  # sum\n"
        "  # dangling at end of test\n"
        "}\n"
    )


def test_a_comment_between_operands_breaks_the_chain_there() -> None:
    text = "rule r(x: Int, y: Int)\n  when x > 1  # why x\n    # and why y\n    and y > 2 and x < 9\n"
    out = _formatted(text)
    assert out == (
        "rule r(x: Int, y: Int)\n  when x > 1  # why x\n    # and why y\n    and y > 2\n    and x < 9\n"
    )


def test_a_comment_in_a_record_literal_stays_before_its_field() -> None:
    text = (
        "record R { a: Int  b: Int }\n"
        'test "t" {\n'
        "  expect R { a: 1,\n"
        "    # about b\n"
        "    b: 2 } == R { a: 1, b: 2 }\n"
        "}\n"
    )
    out = _formatted(text)
    assert "  expect R {\n    a: 1,\n    # about b\n    b: 2,\n  } == R { a: 1, b: 2 }\n" in out


def test_a_trailing_comment_after_an_own_line_one_keeps_to_its_code() -> None:
    # the comment in the middle of the type cannot go there (no line break is printed
    # inside a type): both come after the field, each still a comment of its own
    text = "record R {\n  codes: List[Int,\n  # bound\n  6]  # at most six\n}\n"
    out = _formatted(text)
    assert out == "record R {\n  codes: List[Int, 6]  # at most six\n  # bound\n}\n"


names_of_comments = st.sampled_from(["#a", "#bb", "# c c", "#"])


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(SPEC_FILES[:: max(1, len(SPEC_FILES) // 6)]),
    st.lists(
        st.tuples(st.floats(0, 1), st.sampled_from(["end", "own", "split"]), st.floats(0, 1)), max_size=6
    ),
)
def test_comments_anywhere_are_kept_once_each(path: Path, places: list[tuple[float, str, float]]) -> None:
    """Comments written at line ends, on lines of their own, and between two tokens of a
    line: each survives exactly once, as a comment of its own, and the model is unchanged."""
    lines = path.read_text().split("\n")
    for n, (where, kind, at) in enumerate(places):
        i = int(where * (len(lines) - 1))
        line = lines[i]
        tag = f"# C{n}"
        if '"' in line or "#" in line:
            continue
        indent = line[: len(line) - len(line.lstrip())]
        if kind == "end" and line.strip():
            lines[i] = f"{line}  {tag}"
        elif kind == "own":
            lines.insert(i, indent + tag)
        else:
            cuts = [j for j, ch in enumerate(line) if ch == " " and line[:j].strip()]
            if cuts:
                j = cuts[int(at * (len(cuts) - 1))]
                lines[i : i + 1] = [f"{line[:j]}  {tag}", indent + line[j:].lstrip()]
    text = "\n".join(lines)
    out = _formatted(text)
    assert _comments(out) == _comments(text)


# ---- line width and wrapping ------------------------------------------------------------

ITEM = "record Item { sku: Text  price: Money  weight: Int }\n"
SLOT = "enum Slot { morning, afternoon, evening, weekend }\n"


def test_short_things_stay_on_one_line_and_long_ones_break_within_the_width() -> None:
    short = 'Item { sku: "T", price: US$4, weight: 4 }'
    long = 'Item { sku: "TBL-EXTRA-LONG-SKU-NAME", price: US$400, weight: 40 }'
    text = (
        ITEM + SLOT + "def fee(s: Slot, i: Item) -> Money\n"
        "  when i.price > US$500 => US$0\n"
        "  otherwise => match s { Slot.morning | Slot.afternoon => US$0,"
        " Slot.evening => US$15 + i.price * 2, Slot.weekend => US$35 + i.price * 3 }\n"
        'test "t" {\n'
        f"  given a = {short}\n"
        f"  given items = [{long}, {long}]\n"
        f"  expect fee(Slot.evening, a) == US$23 and fee(Slot.weekend, a) == US$47 and fee(Slot.morning, a)"
        " == US$0\n"
        "}\n"
    )
    out = _formatted(text)
    assert max(len(line) for line in out.splitlines()) <= WIDTH
    assert f"  given a = {short}\n" in out  # a short literal is not spread out
    assert (
        "  otherwise => match s {\n"
        "    Slot.morning | Slot.afternoon => US$0,\n"
        "    Slot.evening => US$15 + i.price * 2,\n"
        "    Slot.weekend => US$35 + i.price * 3,\n"
        "  }\n"
    ) in out
    assert f"  given items = [\n    {long},\n    {long},\n  ]\n" in out
    assert (
        "  expect fee(Slot.evening, a) == US$23\n"
        "    and fee(Slot.weekend, a) == US$47\n"
        "    and fee(Slot.morning, a) == US$0\n"
    ) in out


def test_a_line_of_exactly_the_width_stays_and_one_more_column_breaks() -> None:
    def clause(n: int) -> str:
        # `  when x > 1 and y == <n digits>`, as long as wanted
        return "  when x > 1 and y == " + "1" * (n - len("  when x > 1 and y == "))

    head = "rule r(x: Int, y: Int)\n"
    assert _formatted(head + clause(WIDTH) + "\n") == head + clause(WIDTH) + "\n"
    out = _formatted(head + clause(WIDTH + 1) + "\n")
    assert (
        out == head + "  when x > 1\n    and y == " + "1" * (WIDTH + 1 - len("  when x > 1 and y == ")) + "\n"
    )


def test_code_written_over_several_lines_that_fits_is_joined() -> None:
    text = (
        "def f(x: Int) -> Int\n  = match x > 0 {\n  }\n"
        if False
        else ("def f(x: Int, y: Int) -> Bool =\n  x > 1\n  and\n  y > 2\n")
    )
    assert _formatted(text) == "def f(x: Int, y: Int) -> Bool = x > 1 and y > 2\n"


def test_a_long_case_puts_its_value_on_the_next_line() -> None:
    cond = " and ".join(f"x > {i}" for i in range(8))
    text = f"def f(x: Int) -> Int\n  when {cond} => min(x, 100000, 200000)\n  otherwise => 0\n"
    out = _formatted(text)
    assert f"  when {cond}\n    => min(x, 100000, 200000)\n" in out


# ---- parentheses that show how `and` and `or` group ------------------------------------


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        ("(a and b) or (c and d)", "(a and b) or (c and d)"),
        ("a and b or c", "(a and b) or c"),
        ("a or b and c", "a or (b and c)"),
        ("(a or b) and c", "(a or b) and c"),
        ("a or b or c", "a or b or c"),
        ("not (a and b) or c", "not (a and b) or c"),
    ],
)
def test_an_and_inside_an_or_is_printed_in_parentheses(written: str, printed: str) -> None:
    text = f"rule r(a: Bool, b: Bool, c: Bool, d: Bool)\n  when {written}\n"
    assert _formatted(text) == f"rule r(a: Bool, b: Bool, c: Bool, d: Bool)\n  when {printed}\n"


def test_a_long_or_of_ands_breaks_between_the_parenthesised_groups() -> None:
    left = " and ".join(f"a{i} > 0" for i in range(7))
    right = " and ".join(f"a{i} < 0" for i in range(7))
    params = ", ".join(f"a{i}: Int" for i in range(7))
    text = f"record R {{ {params.replace(', ', '  ')}\n  invariant one: {left} or {right} }}\n"
    out = _formatted(text)
    assert f"  invariant one:\n    ({left})\n    or ({right})\n" in out


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
