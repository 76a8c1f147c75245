"""Properties in `smallprint diff`: added, removed, weakened, strengthened, restated;
compared as statements (each call standing for any value), with witnesses that the
interpreter replays, and gated (a property that promises less counts as narrowed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smallprint.checker.diff import diff_programs
from smallprint.checker.diff_gate import Allow, gate
from smallprint.checker.diff_results import DiffReport, PropertyChange
from smallprint.model.interp import Interpreter
from smallprint.model.loader import load_text
from smallprint.model.types import RecordT

from .test_diff import _write, smallprint

SPEC = """\
record Order {
  cash_paid: Money
  fee: Money
  items: List[Money, 2]
  invariant fee_within_cash: fee >= $0 and fee <= cash_paid
}

def refund(o: Order) -> Money = o.cash_paid - o.fee

rule big(o: Order) when o.cash_paid > $10

property refund_within_cash: forall o: Order. refund(o) <= o.cash_paid
property refund_not_negative: forall o: Order. refund(o) >= $0
property items_priced: forall o: Order. forall i in o.items. refund(o) >= $0 or i >= $0
"""

WEAKER = SPEC.replace("refund(o) <= o.cash_paid", "refund(o) <= o.cash_paid + $100")
STRONGER = SPEC.replace("refund(o) >= $0\n", "refund(o) >= $0 and refund(o) <= o.cash_paid\n")
# The same statements, restated: a renamed binder, `a <= b` as `not (a > b)`.
RESTATED = SPEC.replace(
    "forall o: Order. refund(o) <= o.cash_paid", "forall x: Order. not (refund(x) > x.cash_paid)"
)
WITHOUT = SPEC.replace("property refund_not_negative: forall o: Order. refund(o) >= $0\n", "")


def _diff(old: str, new: str) -> DiffReport:
    return diff_programs(load_text(old), load_text(new))


def _only(report: DiffReport) -> PropertyChange:
    (p,) = report.properties
    return p


def test_a_weakened_property_is_found_with_values_that_show_it() -> None:
    """Both statements prove on this policy (the refund never exceeds the cash): read
    with the rules, they would be the same. As statements, the new one lets a refund
    above the cash through."""
    p = _only(_diff(SPEC, WEAKER))
    assert (p.name, p.status, p.kinds) == ("refund_within_cash", "weakened", ("weakened",))
    assert p.changes == ("statement changed",)
    (w,) = p.witnesses
    assert w.change == "weakened" and w.replayed and (w.old_holds, w.new_holds) == (False, True)
    values = {i.name: i.value for i in w.inputs}
    assert set(values) == {"o", "refund(o)"}
    order = values["o"]
    assert isinstance(order, tuple)
    cash = order[0]
    assert isinstance(cash, int) and cash < values["refund(o)"] <= cash + 10000  # type: ignore[operator]
    # A value the policy accepts (checked by an interpreter the diff never saw).
    assert Interpreter(load_text(SPEC)).violations(RecordT("Order"), order) == []
    assert all(f.status == "equivalent" for f in _diff(SPEC, WEAKER).functions)


def test_strengthened_restated_removed_and_added() -> None:
    p = _only(_diff(SPEC, STRONGER))
    assert (p.name, p.status) == ("refund_not_negative", "strengthened")
    (w,) = p.witnesses
    assert (w.old_holds, w.new_holds) == (True, False)
    assert _diff(SPEC, RESTATED).properties == ()  # the same meaning: not reported
    removed = _only(_diff(SPEC, WITHOUT))
    assert (removed.name, removed.status, removed.kinds) == ("refund_not_negative", "removed", ("removed",))
    added = _only(_diff(WITHOUT, SPEC))
    assert (added.status, added.kinds) == ("added", ("added",))
    both = _only(_diff(SPEC, SPEC.replace("refund(o) >= $0\n", "refund(o) >= $1 or o.fee == $5\n")))
    assert both.status == "weakened_and_strengthened" and [w.change for w in both.witnesses] == [
        "weakened",
        "strengthened",
    ]


def test_a_call_on_a_value_bound_inside_is_compared_as_text_and_gated() -> None:
    stricter = SPEC.replace("refund(o) >= $0 or i >= $0", "refund(o) >= $0 or i > $0")
    assert _only(_diff(SPEC, stricter)).status == "strengthened"  # `refund(o)` reads the binder only
    inside = SPEC + "def priced(m: Money) -> Bool = m >= $0\n"
    inside += "property all_priced: forall o: Order. forall i in o.items. priced(i)\n"
    restated = inside.replace("o.items. priced(i)", "o.items. priced(i) or priced(i)")
    p = _only(_diff(inside, restated))
    assert (p.name, p.status, p.kinds) == ("all_priced", "changed", ("changed",))
    assert p.reason == "it calls `priced` on a value bound inside it: the call cannot be compared on its own"
    assert gate(_diff(inside, restated), ["narrowed"], []).failed  # it may promise less: reviewed
    assert not gate(_diff(inside, restated), ["broadened"], []).failed


def test_marking_a_property_as_a_finding_weakens_it() -> None:
    marked = SPEC.replace(
        "property refund_not_negative:", 'property refund_not_negative\n  @finding("docs/findings.md", "F9"):'
    )
    p = _only(_diff(SPEC, marked))
    assert (p.status, p.changes) == ("weakened", ("marked @finding (no longer required to hold)",))
    assert _only(_diff(marked, SPEC)).status == "strengthened"


def test_the_gate_and_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _write(tmp_path / "v1", SPEC), _write(tmp_path / "v2", WEAKER)
    code, out, _ = smallprint(capsys, "diff", str(old), str(new))
    assert code == 1
    assert "no difference" not in out
    assert "PROPERTY WEAKENED" in out and "FAILS (weakened: narrowed)" in out
    assert "witness (fails the old statement, satisfies the new):" in out and "refund(o) = " in out
    assert "FAILED (--fail-on narrowed): refund_within_cash (weakened: narrowed)" in out
    assert smallprint(capsys, "diff", str(old), str(new), "--fail-on", "broadened")[0] == 0
    data = json.loads(smallprint(capsys, "diff", str(old), str(new), "--format", "json")[1])
    (p,) = data["properties"]
    assert p["status"] == "weakened" and p["gate"]["gated"] == ["weakened"]
    (w,) = p["witnesses"]
    assert set(w["inputs"]) == {"o", "refund(o)"} and w["old_holds"] is False and w["new_holds"] is True
    assert data["summary"]["properties"] == 1
    sarif = json.loads(smallprint(capsys, "diff", str(old), str(new), "--format", "sarif")[1])
    (result,) = sarif["runs"][0]["results"]
    assert (result["ruleId"], result["level"]) == ("smallprint/diff-property", "error")
    # Strengthened or added: only `any`.
    stronger = _write(tmp_path / "v3", STRONGER)
    code, out, _ = smallprint(capsys, "diff", str(old), str(stronger))
    assert code == 0 and "PROPERTY STRENGTHENED" in out
    assert smallprint(capsys, "diff", str(old), str(stronger), "--fail-on", "any")[0] == 1
    # A removed property fails the default gate; an allow entry lets it through.
    report = _diff(SPEC, WITHOUT)
    assert gate(report, ["narrowed"], []).failed
    allowed = gate(report, ["narrowed"], [Allow("refund_not_negative", "removed", "merged into another")])
    assert not allowed.failed and allowed.warnings == ()
