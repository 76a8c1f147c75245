"""`List[T]` without a bound outside records: as long as the longest list of `T` a
record holds, so that raising an input's bound is one edit, not one per signature."""

from __future__ import annotations

import shutil
from pathlib import Path

from smallprint.model.fmt import format_module
from smallprint.model.from_tree import module_from_text
from smallprint.model.loader import load_policy
from smallprint.model.types import ListT, RecordT

from .conftest import SPECS, check_errors, run_cli, write_policy

SHOP = """\
record Item {
  price: Money
}

record Basket {
  items: List[Item, 4]
}

record Shelf {
  items: List[Item, 9]
}

def total(xs: List[Item]) -> Money = sum(i.price for i in xs)

test "a shelf's nine items fit" {
  given s = Shelf { items: [Item { price: US$1 }, Item { price: US$2 }] }
  expect total(s.items) == US$3
}
"""


def test_a_parameter_list_takes_the_longest_bound_a_record_gives(tmp_path: Path) -> None:
    program = load_policy(write_policy(tmp_path, SHOP)).program
    total = program.functions["total"]
    assert total.params[0].ty == ListT(RecordT("Item"), 9)
    result = run_cli("test", str(tmp_path / "policy"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_record_field_states_its_bound(tmp_path: Path) -> None:
    text = SHOP.replace("items: List[Item, 9]", "items: List[Item]")
    stderr = check_errors(write_policy(tmp_path, text))
    assert "shop.sp:10:10: error: a record's list states its bound, the most items it holds" in stderr
    assert "elsewhere `List[Item]` takes the longest of them" in stderr


def test_a_list_no_record_holds_needs_its_bound(tmp_path: Path) -> None:
    text = SHOP + "def n(xs: List[Money]) -> Int = size(xs)\n"
    stderr = check_errors(write_policy(tmp_path, text))
    assert "no record holds a list of `Money`, so `List[Money]` has no length to take" in stderr
    assert "hint: state the bound: `List[Money, 8]`" in stderr


def test_fmt_keeps_a_list_without_bound() -> None:
    assert format_module(module_from_text(SHOP, "shop.sp"), SHOP) == SHOP


def test_raising_the_wallet_bound_is_one_edit(tmp_path: Path) -> None:
    """The checkout's definitions take `List[WalletCoupon]`: a wallet of 100 coupons
    instead of 80 needs only the record's bound changed."""
    copy = tmp_path / "aliexpress"
    shutil.copytree(SPECS / "aliexpress", copy)
    checkout = copy / "checkout.sp"
    text = checkout.read_text("utf-8")
    assert text.count("List[WalletCoupon, 80]") == 1
    checkout.write_text(text.replace("List[WalletCoupon, 80]", "List[WalletCoupon, 100]"))
    program = load_policy(copy).program
    assert program.functions["cash_paid"].params[1].ty == ListT(RecordT("WalletCoupon"), 100)
    result = run_cli("test", str(copy))
    assert result.returncode == 0, result.stdout + result.stderr
