"""A second policy, not AliExpress's: a made-up electronics shop's terms
(specs/voltmart/voltmart-terms.txt), written from the user documentation alone.
The checker runs it with no change to its code; the answers below are worked
out by hand from those terms."""

from __future__ import annotations

import json

from .conftest import SPECS, run_cli

VOLTMART = SPECS / "voltmart"


def test_check_passes_with_its_tests_proofs_and_known_findings() -> None:
    r = run_cli("check", str(VOLTMART), "--no-cache")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "tests: 14 passed, 0 failed" in r.stdout
    assert "properties: 6 proved, 2 violated (2 known findings)" in r.stdout


def test_return_windows_from_the_terms() -> None:
    """R1: 30 days from purchase, the 30th day the last (R1.1); opened software 14 days
    (R1.2). Software bought 2024-03-01: opened, through 2024-03-15; unopened, through
    2024-03-31; never before the purchase."""
    r = run_cli(
        "ask", str(VOLTMART), "return_allowed_on", "--input", str(VOLTMART / "examples" / "purchase.json"),
        "--free", "opened", "--free", "today", "--format", "json",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    answer = json.loads(r.stdout)
    spans = {
        case["values"]["opened"]: [(b["from"], b["to"]) for r in case["regions"] for b in r["bounds"]]
        for case in answer["cases"]
    }
    assert spans == {True: [("2024-03-01", "2024-03-15")], False: [("2024-03-01", "2024-03-31")]}


def test_a_return_after_thirty_days_refunds_nothing() -> None:
    """A laptop bought 2024-03-01, returned 2024-04-02: day 32, past R1.1's 30 days."""
    r = run_cli("ask", str(VOLTMART), "refund", "--input", str(VOLTMART / "examples" / "return.json"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("refund(r) = US$0.00")


def test_the_best_codes() -> None:
    """C1-C3 and S1 on a US$120.00 subtotal: SAVE20 needs US$150 (C1.1); SAVE15 takes
    18.00 (120.00 - 18.00 = 102.00, over US$35: free shipping), the US$50 gift card pays
    50.00 of it: US$52.00 (SAVE10 would leave 108.00 - 50.00 = 58.00). On US$39.99,
    SAVE15 takes 5.99 (5.9985 rounded down, C3) leaving 34.00, not over US$35: 5.99
    shipping, 39.99 in all; SAVE5 takes 1.99 leaving 38.00 with free shipping: the
    smaller code is the better one."""
    examples = VOLTMART / "examples"
    cases = (("cart.json", "US$52.00", {"SAVE15", "GC-50"}), ("cart-tie.json", "US$38.00", {"SAVE5"}))
    for name, cash, used in cases:
        r = run_cli("optimize", str(VOLTMART), "--input", str(examples / name), "--format", "json")
        assert r.returncode == 0, r.stderr
        answer = json.loads(r.stdout)
        assert answer["status"] == "optimal" and answer["lets"]["cash"] == cash
        assert {c["label"] for c in answer["chosen"] if c["value"] is True} == used
