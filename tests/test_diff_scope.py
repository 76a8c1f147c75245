"""The diff on big inputs: list bounds that change (an input change, the functions
compared on lists both accept), rules compared on short lists first, and callers
settled one way by how their callees changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from smallprint.checker.diff import DiffOptions, diff_programs
from smallprint.checker.diff_polarity import ruled_out
from smallprint.checker.diff_results import BROADENED, EQUIVALENT, NARROWED
from smallprint.model.interp import Interpreter
from smallprint.model.loader import load_policy, load_text
from smallprint.model.values import decode

from .conftest import SPECS, run_cli

CHECKOUT_MIN_SPEND = """\
        else before_f
      )
      > m
"""


@pytest.fixture(scope="module")
def checkout_copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The AliExpress suite with the wallet's bound raised to 100, with it lowered to
    60, and with the store-scoped minimum spends reached at equality (`>=`, not `>`)."""
    root = tmp_path_factory.mktemp("diffs")
    out = {}
    text = (SPECS / "aliexpress" / "checkout.sp").read_text("utf-8")
    assert text.count("coupons: List[WalletCoupon, 80]") == 1 and text.count(CHECKOUT_MIN_SPEND) == 1
    for name, changed in (
        ("wider", text.replace("coupons: List[WalletCoupon, 80]", "coupons: List[WalletCoupon, 100]")),
        ("narrower", text.replace("coupons: List[WalletCoupon, 80]", "coupons: List[WalletCoupon, 60]")),
        ("at_least", text.replace(CHECKOUT_MIN_SPEND, CHECKOUT_MIN_SPEND.replace("> m", ">= m"))),
    ):
        folder = root / name
        shutil.copytree(SPECS / "aliexpress", folder)
        (folder / "checkout.sp").write_text(changed, "utf-8")
        out[name] = folder
    return out


def _json(*args: str) -> tuple[int, dict[str, object]]:
    result = run_cli("diff", *args, "--format", "json")
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


def test_a_wider_list_is_an_input_change_and_nothing_else(checkout_copies: dict[str, Path]) -> None:
    code, report = _json(str(SPECS / "aliexpress"), str(checkout_copies["wider"]))
    assert code == 0  # broadened inputs are not gated by default
    functions = report["functions"]
    assert isinstance(functions, list) and functions
    assert {f["status"] for f in functions} == {EQUIVALENT}
    inputs = report["inputs"]
    assert isinstance(inputs, list) and len(inputs) == 1
    assert inputs[0]["name"] == "Wallet" and inputs[0]["kinds"] == [BROADENED]
    assert inputs[0]["changes"] == ["`coupons` holds up to 100 (was 80)"]


def test_a_narrower_list_is_gated(checkout_copies: dict[str, Path]) -> None:
    result = run_cli("diff", str(SPECS / "aliexpress"), str(checkout_copies["narrower"]))
    assert result.returncode == 1
    assert "Wallet (" in result.stdout and "`coupons` holds up to 60 (was 80)" in result.stdout
    assert "FAILED (--fail-on narrowed): Wallet (narrowed)" in result.stdout


def test_a_checkout_clause_change_is_decided_with_short_witnesses(checkout_copies: dict[str, Path]) -> None:
    """Reaching a minimum spend at equality lets more plans through: the changed definition
    and the two that call it broaden, none narrows. On the full checkout (80 coupons, 20
    stores) the solver gave up on the callers; the witnesses come from lists of at most
    two elements, and the callers' narrowing is settled by their callee's direction."""
    code, report = _json(str(SPECS / "aliexpress"), str(checkout_copies["at_least"]))
    assert code == 0
    functions = report["functions"]
    assert isinstance(functions, list)
    changed = {f["name"]: f for f in functions if f["status"] != EQUIVALENT}
    assert set(changed) == {"store_min_spends_met", "min_spends_met", "coupons_allowed"}
    new = load_policy(checkout_copies["at_least"]).program
    old = load_policy(SPECS / "aliexpress").program
    for name, f in changed.items():
        assert f["status"] == BROADENED and not f["undecided"], name
        (witness,) = f["witnesses"]
        inputs = witness["new"]["inputs"]
        assert all(len(v) <= 2 for v in inputs.values() if isinstance(v, list)), inputs
        # replayed here by each version's own interpreter: false before, true now
        params = new.functions[name].params
        args = [decode(new, p.ty, inputs[p.name]) for p in params]
        assert Interpreter(old).call(name, args) is False
        assert Interpreter(new).call(name, args) is True


POLARITY = """\
record R {
  a: Int
  b: Int
}

def base(r: R) -> Bool = r.a > 1
def plus(r: R) -> Bool = base(r) and r.b > 0
def minus(r: R) -> Bool = not base(r) or r.b > 0
def mixed(r: R) -> Bool = base(r) == (r.b > 0)
def guarded(r: R) -> Bool = if base(r) then r.b > 0 else false
rule ruled(r: R)
  when r.b > 5
  unless base(r)
"""


@pytest.mark.parametrize(
    ("caller", "settled_up", "settled_down"),
    [
        ("plus", {NARROWED}, {BROADENED}),
        ("minus", {BROADENED}, {NARROWED}),
        ("ruled", {BROADENED}, {NARROWED}),  # an `unless` stands negatively
        ("mixed", set(), set()),
        ("guarded", set(), set()),  # an `if`'s condition has no direction
    ],
)
def test_a_caller_is_settled_one_way_by_where_its_callee_stands(
    caller: str, settled_up: set[str], settled_down: set[str]
) -> None:
    old = load_text(POLARITY)
    new = load_text(POLARITY.replace("r.a > 1", "r.a >= 1"))
    # `base` broadened (+1): a positive caller cannot narrow, a negative one cannot broaden
    assert ruled_out(old, new, caller, {"base": 1}) == settled_up
    assert ruled_out(old, new, caller, {"base": -1}) == settled_down
    assert ruled_out(old, new, caller, {"base": 0}) == frozenset()
    # a caller whose own text changed is asked, never settled
    edited = load_text(POLARITY.replace("r.a > 1", "r.a >= 1").replace("r.b > 0", "r.b > 1"))
    assert ruled_out(old, edited, "plus", {"base": 1}) == frozenset()


def test_settled_callers_agree_with_the_full_comparison() -> None:
    """The whole diff, with the callers settled where their callee stands one way, gives
    each the change worked out by hand: `plus` (= base and b > 0) and `guarded` (the
    same, as an `if`) broaden, `minus` (not base or ...) and `ruled` (unless base)
    narrow, `mixed` (base == (b > 0)) both ways (a = 1: b > 0 makes it true now, b <= 0
    false now)."""
    old = load_text(POLARITY)
    new = load_text(POLARITY.replace("r.a > 1", "r.a >= 1"))
    report = diff_programs(old, new, DiffOptions())
    status = {f.name: f.status for f in report.functions}
    assert status == {
        "base": BROADENED,
        "plus": BROADENED,
        "minus": NARROWED,
        "mixed": "narrowed_and_broadened",
        "guarded": BROADENED,
        "ruled": NARROWED,
    }


BASKET = """\
record Item {
  price: Money
  off: Money
}

record Basket {
  items: List[Item, 5]
}

def paid(b: Basket) -> Money = sum(max(US$0, i.price - i.off) for i in b.items)
"""


def test_a_value_changed_on_short_lists_says_its_extremes_are_theirs() -> None:
    """Without the clamp an item whose coupon exceeds its price pays less than nothing:
    `paid` drops, without limit (the `off` has none); shown on lists of at most 2."""
    old = load_text(BASKET)
    new = load_text(BASKET.replace("max(US$0, i.price - i.off)", "i.price - i.off"))
    (f,) = diff_programs(old, new, DiffOptions()).functions
    assert f.status == "changed"
    drop = next(e for e in f.extremes if e.direction == "decrease")
    rise = next(e for e in f.extremes if e.direction == "increase")
    assert (drop.status, drop.scope) == ("unbounded", 2) and (rise.status, rise.scope) == ("never", 2)
    assert drop.witness is not None
    (arg,) = drop.witness.new.inputs
    assert isinstance(arg.value, tuple) and 1 <= len(arg.value[0]) <= 2


def test_a_definition_that_reads_no_list_is_not_said_to_depend_on_list_lengths() -> None:
    """`due` reads the basket's date, not its items: its change is the same on every
    length of the list, so its extremes are stated without a list scope; `paid`, which
    sums the items, keeps its scope."""
    text = BASKET.replace("  items: List[Item, 5]\n", "  items: List[Item, 5]\n  placed: Date\n")
    text += "def due(b: Basket) -> Date = b.placed + 15 days\n"
    old = load_text(text)
    new = load_text(
        text.replace("b.placed + 15 days", "b.placed + 20 days").replace(
            "max(US$0, i.price - i.off)", "i.price - i.off"
        )
    )
    changed = {f.name: f for f in diff_programs(old, new, DiffOptions()).functions}
    assert changed["due"].status == "changed" and changed["paid"].status == "changed"
    assert changed["due"].extremes and all(e.scope is None for e in changed["due"].extremes)
    assert all(e.scope == 2 for e in changed["paid"].extremes)
    rise = next(e for e in changed["due"].extremes if e.direction == "increase")
    assert rise.status != "unknown"
