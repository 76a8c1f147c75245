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
