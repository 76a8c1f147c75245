"""Which inputs each version accepts (`checker/diff_domains.py`): a record's invariants
compared on one shared value, whatever fields it holds (lists included), with a witness
value that each version's interpreter accepts or refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smallprint.checker.diff import diff_programs
from smallprint.checker.diff_results import DiffReport
from smallprint.model.interp import Interpreter
from smallprint.model.loader import load_text
from smallprint.model.types import RecordT

from .test_diff import smallprint

WITH_LIST = """\
record O {
  xs: List[Int, 2]
  n: Int
  invariant k: n >= 0
}
rule ok(o: O)
  when o.n > 3
"""
WITHOUT = WITH_LIST.replace("  invariant k: n >= 0\n", "")
REWRITTEN = WITH_LIST.replace("n >= 0", "not (n < 0)")


def _diff(old: str, new: str) -> DiffReport:
    return diff_programs(load_text(old), load_text(new))


def _refused(spec: str, record: str, value: object) -> list[str]:
    """An independent check: a fresh interpreter of the spec text."""
    return [v.invariant.name for v in Interpreter(load_text(spec)).violations(RecordT(record), value)]


def test_removing_an_invariant_of_a_record_with_a_list_only_broadens() -> None:
    (change,) = _diff(WITH_LIST, WITHOUT).inputs
    assert (change.name, change.kinds) == ("O", ("broadened",))
    (w,) = change.witnesses
    assert w.change == "broadened" and w.new.value == w.old.value
    assert _refused(WITH_LIST, "O", w.old.value) == ["k"]
    assert _refused(WITHOUT, "O", w.new.value) == []
    assert [b.invariant.name for b in w.old.broken] == ["k"] and w.new.broken == ()


def test_adding_it_back_only_narrows_with_a_witness() -> None:
    (change,) = _diff(WITHOUT, WITH_LIST).inputs
    assert change.kinds == ("narrowed",)
    (w,) = change.witnesses
    assert _refused(WITHOUT, "O", w.old.value) == [] and _refused(WITH_LIST, "O", w.new.value) == ["k"]
    xs, n = w.new.value  # type: ignore[misc]
    assert xs == () and n == -1  # minimised: no list element, the smallest amount


def test_an_invariant_rewritten_to_the_same_meaning_is_no_change() -> None:
    assert _diff(WITH_LIST, REWRITTEN).inputs == ()
    assert _diff(REWRITTEN, WITH_LIST).inputs == ()


NESTED = """\
record Item {
  price: Int
  invariant priced: price >= 0
}
record Order {
  items: List[Item, 3]
  paid: Int
  invariant paid_enough: paid >= 0
}
rule big(o: Order) when o.paid > 10
"""


def test_a_nested_record_change_is_reported_on_it_alone() -> None:
    """`Order`'s own invariant is only rewritten; `Item`'s narrows. The values of
    `Order` are compared with nested items both versions accept."""
    new = NESTED.replace("price >= 0", "price >= 1").replace("paid >= 0", "not (paid < 0)")
    report = _diff(NESTED, new)
    assert {c.name: c.kinds for c in report.inputs} == {"Item": ("narrowed",)}
    (w,) = report.inputs[0].witnesses
    assert w.new.value == (0,)


def test_cli_a_removed_invariant_passes_the_default_gate_and_shows_a_witness(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new, same = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for folder, text in ((old, WITH_LIST), (new, WITHOUT), (same, REWRITTEN)):
        folder.mkdir()
        (folder / "p.sp").write_text(text, "utf-8")
    code, out, _ = smallprint(capsys, "diff", str(old), str(new))
    assert code == 0, out
    assert "INPUTS BROADENED" in out and "NARROWED" not in out
    assert "witness (refused before, accepted now):" in out
    assert 'O = {"xs": [], "n": -1}' in out
    assert "old: refused: invariant `O.k` is false" in out and "invariant k: n >= 0" in out
    assert "new: accepted" in out
    code, out, _ = smallprint(capsys, "diff", str(old), str(same))
    assert code == 0 and "no difference" in out
    code, out, _ = smallprint(capsys, "diff", str(new), str(old), "--format", "json")
    assert code == 1
    (entry,) = json.loads(out)["inputs"]
    assert entry["kinds"] == ["narrowed"] and entry["undecided"] == []
    (w,) = entry["witnesses"]
    assert w["change"] == "narrowed"
    assert w["old"] == {"value": {"xs": [], "n": -1}, "accepted": True, "broken": []}
    assert w["new"]["accepted"] is False
    (broken,) = w["new"]["broken"]
    assert (broken["record"], broken["invariant"], broken["path"]) == ("O", "k", "")
    assert broken["line"] == 4
