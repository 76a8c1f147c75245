"""A plan's per-element lets (`let x = ... for s in cart.stores`): parsed, checked,
formatted, and reported with the answer, one row per element (or combination)."""

from __future__ import annotations

import json
from pathlib import Path

import smallprint.checker
from smallprint.checker.plan_report import plan_text
from smallprint.model.fmt import format_module
from smallprint.model.from_tree import module_from_text

from .conftest import SPECS, check_errors, run_cli, write_policy

SHOP = """\
record Item {
  sku: Text
  price: Money
  note: Text?
  box: Int
  used: Bool
}

record Box {
  shelf: Int
  sizes: List[Int, 3]
}

record Order {
  items: List[Item, 4]
  boxes: List[Box, 2]
  budget: Money
}

plan fill(o: Order)
  choose i.used for i in o.items
  let spent = sum(i.price for i in o.items where i.used)
  let doubled = i.price * 2 for i in o.items where i.used
  let rest = spent - i.price for i in o.items where i.used
  let noted = n for i in o.items where i.note is some(n)
  let in_box = sum(i.price for i in o.items where i.used and i.box == b.shelf) for b in o.boxes
  let size_left = s - count(i in o.items where i.used and i.box == b.shelf)
    for b in o.boxes, s in b.sizes
  let nothing = i.price for i in o.items where i.price > o.budget
  require spent <= o.budget
  maximize spent
"""

# Worked out by hand: the budget of US$10 is met exactly by a + c (a + b = 11 is over
# it, b + c = 9 and a alone 6 are less), so a and c are used.
ORDER = {
    "budget": "10.00",
    "items": [
        {"sku": "a", "price": "6.00", "note": "fragile", "box": 7},
        {"sku": "b", "price": "5.00", "box": 7},
        {"sku": "c", "price": "4.00", "note": "gift", "box": 9},
    ],
    "boxes": [{"shelf": 7, "sizes": [3, 1]}, {"shelf": 9, "sizes": []}],
}


def test_rows_follow_the_binders_and_the_where(tmp_path: Path) -> None:
    r = smallprint.checker.load(write_policy(tmp_path, SHOP)).optimize(ORDER)
    assert r.status == "optimal"
    rows = {e.name: [(row.at, row.labels, row.value) for row in e.rows] for e in r.each}
    assert rows["doubled"] == [(("o.items[0]",), ("sku a",), 1200), (("o.items[2]",), ("sku c",), 800)]
    # a per-element let reads the plan's lets before it
    assert [v for _, _, v in rows["rest"]] == [400, 600]
    # `is some(n)` in the where binds `n` for the value; an item without a note has no row
    assert [(at, v) for at, _, v in rows["noted"]] == [
        (("o.items[0]",), "fragile"),
        (("o.items[2]",), "gift"),
    ]
    assert rows["in_box"] == [(("o.boxes[0]",), ("shelf 7",), 600), (("o.boxes[1]",), ("shelf 9",), 400)]
    # one row per combination: the second binder ranges over the first one's list
    assert rows["size_left"] == [
        (("o.boxes[0]", "o.boxes[0].sizes[0]"), ("shelf 7", None), 2),
        (("o.boxes[0]", "o.boxes[0].sizes[1]"), ("shelf 7", None), 0),
    ]
    assert rows["nothing"] == []


def test_cli_text_and_json(tmp_path: Path) -> None:
    folder = write_policy(tmp_path, SHOP)
    order = tmp_path / "order.json"
    order.write_text(json.dumps({"o": ORDER}))
    text = run_cli("optimize", str(folder), "--input", str(order))
    assert text.returncode == 0, text.stderr
    out = text.stdout
    assert (
        "  size_left:\n    o.boxes[0].sizes[0] (shelf 7) = 2\n    o.boxes[0].sizes[1] (shelf 7) = 0\n" in out
    )
    assert "  doubled:\n    o.items[0] (sku a) = US$12.00\n    o.items[2] (sku c) = US$8.00\n" in out
    assert "  nothing: (no element)\n" in out
    as_json = run_cli("optimize", str(folder), "--input", str(order), "--format", "json")
    each = json.loads(as_json.stdout)["each"]
    assert each["in_box"] == [
        {"at": ["o.boxes[0]"], "labels": ["shelf 7"], "value": "US$6.00"},
        {"at": ["o.boxes[1]"], "labels": ["shelf 9"], "value": "US$4.00"},
    ]
    assert each["nothing"] == []


def test_a_per_element_let_is_not_read_by_the_plan(tmp_path: Path) -> None:
    text = SHOP.replace("require spent <= o.budget", "require doubled <= o.budget")
    stderr = check_errors(write_policy(tmp_path, text))
    assert "unknown name `doubled`" in stderr
    line = SHOP.splitlines().index("  let doubled = i.price * 2 for i in o.items where i.used") + 1
    assert f"per-element `let ... for` (at {line}:3)" in stderr


def test_a_per_element_let_ranges_over_a_list(tmp_path: Path) -> None:
    text = SHOP.replace("let nothing = i.price for i in o.items", "let nothing = k for k: Int")
    stderr = check_errors(write_policy(tmp_path, text))
    assert "`k` ranges over a type" in stderr
    assert "range over a list instead: `for k in xs`" in stderr


def test_a_per_element_let_needs_its_own_name(tmp_path: Path) -> None:
    text = SHOP.replace("let nothing = i.price", "let doubled = i.price")
    stderr = check_errors(write_policy(tmp_path, text))
    assert "`doubled` is already defined in this plan" in stderr


def test_fmt_keeps_per_element_lets() -> None:
    module = module_from_text(SHOP, "shop.sp")
    assert format_module(module, SHOP) == SHOP
    plan = next(d for d in module.decls if getattr(d, "name", None) == "fill")
    lets = [i for i in plan.items if getattr(i, "binders", ())]  # type: ignore[attr-defined]
    assert [(x.name, [b.name for b in x.binders], x.where is not None) for x in lets] == [
        ("doubled", ["i"], True),
        ("rest", ["i"], True),
        ("noted", ["i"], True),
        ("in_box", ["b"], False),
        ("size_left", ["b", "s"], False),
        ("nothing", ["i"], True),
    ]


# ---- the AliExpress checkout: per store order and per line ----------------------------------


def test_two_stores_per_store_and_per_line() -> None:
    """specs/aliexpress/README-checkout.md, `two-stores.json`: store 2001 pays 45 - 5 (its
    Store Coupon) - 3 (the Select Coupon, taken from the lower store number) = 37 for
    its US$45 item, and its warranty service (not eligible, 5c) in full; store 2002
    17 - 2 - 0.50 (Coins) = 14.50. A returned line brings back what was paid for it (8)."""
    policy = smallprint.checker.load(SPECS / "aliexpress")
    data = json.loads((SPECS / "aliexpress" / "examples" / "two-stores.json").read_text("utf-8"))
    r = policy.optimize(data["cart"], data["wallet"])
    rows = {e.name: {row.at[-1]: row.value for row in e.rows} for e in r.each}
    assert rows["store_discount_of"] == {"cart.stores[0]": 800, "cart.stores[1]": 250}
    assert rows["line_discount"] == {
        "cart.stores[0].lines[0]": 800,
        "cart.stores[0].lines[1]": 0,
        "cart.stores[1].lines[0]": 250,
    }
    assert rows["line_refund"] == {
        "cart.stores[0].lines[0]": 3700,
        "cart.stores[0].lines[1]": 399,
        "cart.stores[1].lines[0]": 1450,
    }
    # each store order's subtotal after stages a, b, c, d, e (its share) and its Store Code
    subtotals = next(e for e in r.each if e.name == "store_subtotals")
    assert [row.value for row in subtotals.rows] == [
        (4500, 4500, 4000, 4000, 3700, 3700),
        (1700, 1700, 1500, 1450, 1450, 1450),
    ]
    stage = next(e for e in r.each if e.name == "stage")
    assert {row.labels[0]: row.value for row in stage.rows} == {
        "2001-coupon-5-over-40": "store_coupon",
        "2002-coupon-2-over-15": "store_coupon",
        "select-3-tier-29": "select_coupon",
        "coins-2002": "coins",
    }
    text = "\n".join(plan_text(policy.program, r))
    assert "    cart.stores[0].lines[1] (store 2001, no 2) = US$0.00" in text


def test_a_discount_shared_to_the_cent_by_largest_remainder() -> None:
    """Three US$10 lines and a US$1 Store Coupon: 33 cents each rounded down, the missing
    cent to the lowest line number of equal remainders (C3), so 34 + 33 + 33 = 100."""
    line = {"amount": "10.00", "quantity": 1, "virtual": False, "value_added_service": False}
    cart = {
        "today": "2020-03-15",
        "stores": [
            {
                "store": 5001,
                "shipping_fee": "0.00",
                "select_min_spend": "29.00",
                "select_allowance": "0.00",
                "lines": [{"no": n, **line, "special_promotion": False} for n in (1, 2, 3)],
            }
        ],
    }
    coupon = {
        "id": "5001-coupon-1-over-20",
        "kind": "store_coupon",
        "issuer": "seller",
        "store": 5001,
        "value": "1.00",
        "min_spend": "20.00",
        "valid_from": "2020-03-01",
        "valid_until": "2020-03-31",
        "used_before": False,
        "combinable": True,
    }
    r = smallprint.checker.load(SPECS / "aliexpress").optimize(cart, {"coupons": [coupon]})
    rows = {e.name: [row.value for row in e.rows] for e in r.each}
    assert rows["line_discount"] == [34, 33, 33]
    assert rows["line_refund"] == [966, 967, 967]


def test_rows_are_left_out_when_not_asked_for(tmp_path: Path) -> None:
    policy = smallprint.checker.load(write_policy(tmp_path, SHOP))
    r = policy.optimize(ORDER, report_each=False, explain_unused=False)
    assert r.status == "optimal" and r.each == () and r.unused == ()
    assert [o.value for o in r.objectives] == [1000]
