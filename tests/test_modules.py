"""Modules and imports: what a module sees, and what it need not import."""

from __future__ import annotations

import pytest

from smallprint.grammar.span import SmallprintError
from smallprint.model.interp import Interpreter
from smallprint.model.loader import load_texts

A = """\
module a
enum Speed { standard, express }
record Inner { n: Int }
"""
B = """\
module b
import a
record Cart { speed: Speed  inner: Inner  ok: Bool }
"""


def test_a_type_of_a_module_not_imported_is_an_error_with_the_import_to_add() -> None:
    c = "module c\nimport b\ndef fast(s: Speed) -> Bool = true\n"
    with pytest.raises(SmallprintError) as info:
        load_texts({"a.sp": A, "b.sp": B, "c.sp": c})
    (d,) = info.value.diagnostics
    assert d.message == "unknown type `Speed`" and d.span.file == "c.sp"
    assert d.hint == "`Speed` is declared in module `a`: add `import a`"


def test_fields_typed_by_a_module_the_reader_does_not_import_can_be_read_and_given() -> None:
    # `c` names neither `Speed` nor `Inner`: reading `cart.speed` or `cart.inner.n` or building
    # a `Cart` needs only `b`, which declares the record (and imports `a` itself).
    c = """\
module c
import b
def same_speed(x: Cart, y: Cart) -> Bool = x.speed == y.speed
rule big(cart: Cart) when cart.inner.n > 3
def copy_of(x: Cart) -> Cart = Cart { speed: x.speed, inner: x.inner, ok: not x.ok }
"""
    policy = load_texts({"a.sp": A, "b.sp": B, "c.sp": c})
    interp = Interpreter(policy.program)
    cart = ("express", (4,), True)
    assert interp.call("same_speed", [cart, ("standard", (4,), True)]) is False
    assert interp.call("big", [cart]) is True
    assert interp.call("copy_of", [cart]) == ("express", (4,), False)


def test_a_plan_chooses_a_field_typed_by_a_module_it_does_not_import() -> None:
    c = """\
module c
import b
plan quick(cart: Cart)
  choose cart.speed
  require cart.speed == cart.speed
  minimize 0
"""
    policy = load_texts({"a.sp": A, "b.sp": B, "c.sp": c})
    assert "quick" in policy.program.plans
