"""Diagnostics a new author meets: where they point, what they say, and that one mistake
gives one error (no cascade of errors that only follow from one already reported)."""

from __future__ import annotations

from pathlib import Path

import pytest

from smallprint.grammar.span import Diagnostic, SmallprintError
from smallprint.model.loader import load_texts

from .conftest import run_cli

TYPES = """\
# the shared types
module types
enum Slot {
  weekday,
  weekend
}
record Item {
  sku: Text
  price: Money
}
record Order {
  slot: Slot
  items: List[Item, 4]
}
def weekend(o: Order) -> Bool = o.slot == Slot.weekend
"""


def errors(texts: dict[str, str]) -> list[Diagnostic]:
    with pytest.raises(SmallprintError) as info:
        load_texts(texts)
    return info.value.diagnostics


def where(d: Diagnostic) -> tuple[str, int, int]:
    return (d.span.file, d.span.line, d.span.column)


# ---- names declared twice ---------------------------------------------------------------


def test_a_type_repeated_in_an_importing_module_is_reported_there_once_without_a_cascade() -> None:
    # `bad.sp` sorts before `types.sp`, but it imports `types`: its declarations are the
    # duplicates, and `types` still checks against its own `Slot` and `Item`.
    bad = "module bad\nimport types\nenum Slot { a, b }\nrecord Item { x: Int }\n"
    diags = errors({"bad.sp": bad, "types.sp": TYPES})
    assert [(d.message, where(d)) for d in diags] == [
        ("`Slot` is defined twice", ("bad.sp", 3, 6)),
        ("`Item` is defined twice", ("bad.sp", 4, 8)),
    ]
    slot, item = diags
    # The caret is on the name, and the label on the other declaration's name.
    assert (slot.span.end_line, slot.span.end_column) == (3, 10)
    assert [(lb.span.file, lb.span.line, lb.span.column) for lb in slot.labels] == [("types.sp", 3, 6)]
    assert [(lb.span.file, lb.span.line, lb.span.column) for lb in item.labels] == [("types.sp", 7, 8)]
    assert "in module `types`" in slot.labels[0].message
    assert slot.hint is not None and "`bad` imports `types`, which declares `Slot` already" in slot.hint


def test_a_module_uses_its_own_declaration_of_a_repeated_name() -> None:
    # Neither module imports the other: file order decides which is reported, and each
    # module's own uses are checked against its own declaration (no unknown variant `weekend`,
    # no unknown field `price`).
    other = "module other\nenum Slot { a, b }\nrule first(s: Slot) when s == Slot.a\n"
    diags = errors({"other.sp": other, "types.sp": TYPES})
    assert [(d.message, where(d)) for d in diags] == [("`Slot` is defined twice", ("types.sp", 3, 6))]


def test_a_module_importing_both_declarations_sees_the_original() -> None:
    bad = "module bad\nimport types\nenum Slot { a, b }\n"
    user = "module user\nimport bad, types\nrule late(o: Order) when o.slot == Slot.weekend\n"
    diags = errors({"bad.sp": bad, "types.sp": TYPES, "user.sp": user})
    assert [(d.message, where(d)) for d in diags] == [("`Slot` is defined twice", ("bad.sp", 3, 6))]


def test_the_body_of_a_repeated_declaration_is_checked_in_its_own_module() -> None:
    bad = "module bad\nimport types\ndef weekend(o: Order) -> Bool = o.slott == Slot.weekend\n"
    messages = [d.message for d in errors({"bad.sp": bad, "types.sp": TYPES})]
    assert messages == ["`weekend` is defined twice", "record `Order` has no field `slott`"]


def test_a_repeated_name_in_one_file_points_at_the_second_with_the_first_labelled() -> None:
    text = "module m\ndef price(x: Int) -> Int = x\ndef price(x: Int) -> Int = 0\n"
    (d,) = errors({"m.sp": text})
    assert where(d) == ("m.sp", 3, 5) and d.labels[0].message == "first defined here"
    assert (d.labels[0].span.line, d.labels[0].span.column) == (2, 5)


def test_a_repeated_module_name_points_at_the_module_lines(tmp_path: Path) -> None:
    (tmp_path / "delivery.sp").write_text("# delivery slots\n\nmodule delivery\n", "utf-8")
    (tmp_path / "bad.sp").write_text("module delivery\n", "utf-8")
    r = run_cli("check", "--no-prove", str(tmp_path))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert lines[0].endswith("bad.sp:1:8: error: module `delivery` is defined twice")
    assert lines[1:3] == ["   1 | module delivery", "     |        ^^^^^^^^"]
    assert lines[3].endswith("delivery.sp:3:8: note: module `delivery` is also declared here")
    assert "`module bad`" in r.stderr


# ---- recursion ----------------------------------------------------------------------------

RECURSIVE = """\
module m
record Order { n: Int }
def fact(n: Int) -> Int = if n <= 0 then 1 else n * fact(n - 1)
rule p(o: Order) unless q(o)
rule q(o: Order) unless p(o)
rule even(o: Order) when odd(o)
rule odd(o: Order) when o.n > 0 and even(o)
"""


def test_recursion_errors_come_in_line_order_with_the_caret_on_the_call_closing_the_cycle() -> None:
    diags = errors({"m.sp": RECURSIVE})
    assert [(d.span.line, d.span.column, d.span.end_column) for d in diags] == [
        (3, 53, 64),  # fact(n - 1)
        (5, 25, 29),  # p(o) in q
        (7, 37, 44),  # even(o) in odd
    ]
    fact, pq, even = diags
    assert fact.message == "recursion is not allowed: fact -> fact"
    assert even.message == "recursion is not allowed: even -> odd -> even"
    assert pq.message.startswith("recursion through negation is not allowed: p -> q -> p")
    assert pq.hint is not None and "stratified" in pq.hint
    # The other negative use of the cycle is labelled.
    assert [(lb.span.line, lb.span.column) for lb in pq.labels] == [(4, 25)]
    assert "through `unless`" in pq.labels[0].message


def test_a_cycle_through_not_or_overrides_is_named_as_negation() -> None:
    text = """\
module m
def a(x: Int) -> Bool = x > 0 and not b(x)
def b(x: Int) -> Bool = a(x)
rule base(x: Int) when x > 1
rule special(x: Int) overrides base when base(x) and x > 5
"""
    diags = errors({"m.sp": text})
    assert [d.message.split(" (")[0] for d in diags] == [
        "recursion through negation is not allowed: a -> b -> a",
        "recursion through negation is not allowed: base -> special -> base",
    ]
    assert "`a` uses `b` under `not`" in diags[0].message
    assert "`base` uses `special` under `overrides`" in diags[1].message
    # `b`'s call closes the first cycle; `not b(x)` is labelled.
    assert (diags[0].span.line, diags[0].span.column) == (3, 25)
    assert [(lb.span.line, lb.span.column) for lb in diags[0].labels] == [(2, 39)]


def test_a_positive_call_inside_a_negated_cycle_still_names_the_cycle_once() -> None:
    text = "module m\ndef a(x: Int) -> Bool = b(x) or c(x)\ndef b(x: Int) -> Bool = a(x)\n"
    text += "def c(x: Int) -> Bool = not a(x)\n"
    (d,) = errors({"m.sp": text})
    assert d.message.startswith("recursion through negation is not allowed: a -> c -> a")
    assert (d.span.line, d.span.column) == (4, 29)


def test_errors_of_several_files_come_sorted_by_file_then_position() -> None:
    a = "module a\ndef f(x: Int) -> Int = y\ndef g(x: Int) -> Int = z\n"
    b = "module b\nimport a\ndef h(x: Int) -> Int = w\nrule r(x: Int) when x > 1 and r(x)\n"
    diags = errors({"a.sp": a, "b.sp": b})
    assert [where(d) for d in diags] == sorted(where(d) for d in diags)
    assert [d.span.file for d in diags] == ["a.sp", "a.sp", "b.sp", "b.sp"]


# ---- carets under tabs and wide characters --------------------------------------------------


def rendered(text: str, line: int, column: int, end_column: int) -> list[str]:
    from smallprint.grammar.span import SourceMap, Span, render

    diag = Diagnostic("m", Span("f.sp", line, column, line, end_column))
    return render(diag, SourceMap({"f.sp": text})).splitlines()


def test_the_caret_stays_under_the_span_after_tabs() -> None:
    _, shown, caret = rendered("rule r(o: Order)\n\t\twhen o.slot == Slot.weekendd\n", 2, 18, 31)
    # Tabs are shown as spaces to the next multiple of 4, the caret line counts the same way.
    assert shown == "   2 |         when o.slot == Slot.weekendd"
    assert caret == "     |                        ^^^^^^^^^^^^^"
    assert shown[caret.index("^") :].startswith("Slot.weekendd")
    # A tab after text goes to the next stop, not 4 spaces further.
    _, shown, caret = rendered("ab\tx = 1\n", 1, 4, 5)
    assert shown == "   1 | ab  x = 1" and caret == "     |     ^"


def test_the_caret_stays_under_the_span_after_wide_characters() -> None:
    line = 'rule r(i: Item) when i.sku == "日本語日本語" and i.wieght > 1 kg'
    _, shown, caret = rendered(line + "\n", 1, 44, 52)
    # Each of the six characters takes two columns: the caret moves six columns right,
    # and the reported column is still the character column.
    start = caret.index("^")
    assert start == len("   1 | ") + 43 + 6 and caret.count("^") == 8
    assert shown.index("i.wieght") + 6 == start
    # A wide character inside the span widens the underline.
    _, shown, caret = rendered('x == "日本"\n', 1, 6, 10)
    assert caret == "     |      ^^^^^^"


def test_the_cli_aligns_carets_in_a_file_with_tabs(tmp_path: Path) -> None:
    (tmp_path / "m.sp").write_text("module m\nrule r(x: Int)\n\twhen x > y\n", "utf-8")
    r = run_cli("check", "--no-prove", str(tmp_path))
    assert r.returncode == 2
    lines = r.stderr.splitlines()
    assert lines[0].endswith("m.sp:3:11: error: unknown name `y`")
    assert lines[1] == "   3 |     when x > y" and lines[2] == "     |              ^"


# ---- JSON end positions ---------------------------------------------------------------------


def test_json_errors_carry_where_the_faulty_part_ends(tmp_path: Path) -> None:
    import json

    (tmp_path / "types.sp").write_text(TYPES, "utf-8")
    (tmp_path / "bad.sp").write_text(
        "module bad\nimport types\nenum Slot { a }\ndef f(o: Order) -> Bool = o.slott == Slot.a\n", "utf-8"
    )
    r = run_cli("check", "--no-prove", "--format", "json", str(tmp_path))
    assert r.returncode == 2
    twice, field = json.loads(r.stdout)["errors"]
    assert (twice["line"], twice["column"], twice["end_line"], twice["end_column"]) == (3, 6, 3, 10)
    assert (field["line"], field["column"], field["end_line"], field["end_column"]) == (4, 27, 4, 34)
    (note,) = twice["notes"]
    assert (note["line"], note["column"], note["end_line"], note["end_column"]) == (3, 6, 3, 10)
    # The fields there before are unchanged.
    assert {"severity", "code", "message", "file", "line", "column", "hint"} <= set(twice)


def test_a_span_of_no_length_ends_one_column_after_it_starts() -> None:
    from smallprint.grammar.span import Span, end_json

    assert end_json(Span("f.sp", 2, 5, 2, 5)) == {"end_line": 2, "end_column": 6}
    assert end_json(Span("f.sp", 2, 5, 4, 1)) == {"end_line": 4, "end_column": 1}
    assert end_json(Span("f.sp", 0, 0, 0, 0)) == {"end_line": 0, "end_column": 0}


# ---- tests whose givens break invariants ------------------------------------------------------

BROKEN_GIVENS = """\
module m
record Item { price: Money  invariant price_not_negative: price >= US$0 }
record Order {
  placed_on: Date
  delivered_on: Date
  items: List[Item, 2]
  invariant delivered_after_placed: delivered_on >= placed_on
}
def total(o: Order) -> Money = sum(i.price for i in o.items)
test "two broken givens" {
  given i = Item { price: -US$10 }
  given o = Order { placed_on: 2024-01-01, delivered_on: 2023-12-01, items: [i] }
  expect total(o) == US$1
}
"""


def test_every_broken_given_of_a_test_is_reported_with_the_values_compared() -> None:
    from smallprint.model.testrun import ERROR, run_tests

    policy = load_texts({"m.sp": BROKEN_GIVENS})
    (r,) = run_tests(policy.program)
    assert r.status == ERROR and r.expects == 0
    # `o` holds the broken `i` again: that is not a second error.
    assert [(e.span.line, e.message) for e in r.errors] == [
        (11, "given `i` breaks invariant `price_not_negative` of `Item` at `i`"),
        (12, "given `o` breaks invariant `delivered_after_placed` of `Order` at `o`"),
    ]
    assert r.error == r.errors[0]
    price, dates = (e.failing for e in r.errors)
    assert price is not None and dates is not None
    assert [str(o.value) for o in price.cond.operands] == ["-1000", "0"]
    paths = {b.name: b.path for b in dates.bound}
    assert paths == {"placed_on": "o.placed_on", "delivered_on": "o.delivered_on"}


def test_broken_givens_show_the_failing_part_in_text_and_json(tmp_path: Path) -> None:
    import json

    (tmp_path / "m.sp").write_text(BROKEN_GIVENS, "utf-8")
    r = run_cli("check", "--no-prove", str(tmp_path))
    assert r.returncode == 1, r.stderr
    out = r.stdout
    assert "fails at: price >= US$0: false (-US$10.00 >= US$0.00)" in out
    assert "fails at: delivered_on >= placed_on: false (2023-12-01 >= 2024-01-01)" in out
    assert out.count("breaks invariant") == 2
    r = run_cli("check", "--no-prove", "--format", "json", str(tmp_path))
    ((test,),) = [p["tests"] for p in json.loads(r.stdout)["policies"]]
    assert test["error"]["message"] == test["errors"][0]["message"]
    assert [e["failing"]["condition"]["operands"] for e in test["errors"]] == [
        ["-US$10.00", "US$0.00"],
        ["2023-12-01", "2024-01-01"],
    ]
    assert test["errors"][1]["failing"]["bound_at"] == {
        "placed_on": "o.placed_on",
        "delivered_on": "o.delivered_on",
    }


# ---- imports ------------------------------------------------------------------------------------


def test_a_module_importing_itself_is_an_error_at_that_import_with_the_line_to_keep() -> None:
    bad = "module bad\nimport types, bad\nrule r(o: Order) when weekend(o)\n"
    (d,) = errors({"bad.sp": bad, "types.sp": TYPES})
    assert d.message == "module `bad` imports itself"
    assert (where(d), d.span.end_column) == (("bad.sp", 2, 15), 18)
    assert d.hint is not None and "(`import types`)" in d.hint


def test_a_file_without_a_module_line_importing_its_own_stem_is_an_error_too() -> None:
    (d,) = errors({"solo.sp": "import solo\ndef one(x: Int) -> Int = 1\n"})
    assert d.message == "module `solo` imports itself" and d.hint is not None and "no import line" in d.hint
