"""The gate of `smallprint diff` beyond a rule that narrowed: rules added and removed,
definitions whose value changed (`--fail-on changed`), unknowns said as questions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smallprint.checker.diff import diff_programs
from smallprint.checker.diff_gate import Allow, gate
from smallprint.checker.diff_report import Version, diff_text
from smallprint.checker.diff_results import DiffReport, FunctionDiff, Undecided
from smallprint.checker.diff_solve import gave_up
from smallprint.grammar.span import SourceMap, Span
from smallprint.model.loader import load_text
from smallprint.model.types import BOOL

from .test_diff import BASE, _write, smallprint

# `paid_recently` is a rule; `refund` a Money definition.
WITHOUT_RULE = BASE.replace(
    "rule paid_recently(o: Order, today: Date)\n  when today >= o.paid_at + grace\n", ""
)
WITHOUT_DEF = BASE.replace("def refund(o: Order) -> Money = o.cash_paid - o.fee\n", "")


def test_removed_rule_is_gated_as_narrowed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert WITHOUT_RULE != BASE
    old, new = _write(tmp_path / "v1", BASE), _write(tmp_path / "v2", WITHOUT_RULE)
    code, out, _ = smallprint(capsys, "diff", str(old), str(new))
    assert code == 1
    assert "FAILS (removed: narrowed)" in out
    assert "FAILED (--fail-on narrowed): paid_recently (removed: narrowed)" in out
    assert smallprint(capsys, "diff", str(old), str(new), "--fail-on", "broadened")[0] == 0
    assert smallprint(capsys, "diff", str(old), str(new), "--fail-on", "any")[0] == 1
    data = json.loads(smallprint(capsys, "diff", str(old), str(new), "--format", "json")[1])
    (removed,) = data["removed"]
    assert removed["counts_as"] == "narrowed" and removed["gate"]["gated"] == ["removed"]
    sarif = json.loads(smallprint(capsys, "diff", str(old), str(new), "--format", "sarif")[1])
    (result,) = sarif["runs"][0]["results"]
    assert (result["ruleId"], result["level"]) == ("smallprint/diff-removed", "error")
    # Added back: a broadening, which only `--fail-on broadened` fails.
    assert smallprint(capsys, "diff", str(new), str(old))[0] == 0
    code, out, _ = smallprint(capsys, "diff", str(new), str(old), "--fail-on", "broadened")
    assert code == 1 and "FAILS (added: broadened)" in out


@pytest.mark.parametrize("change", ["removed", "narrowed", "any"])
def test_a_removal_can_be_allowed(change: str) -> None:
    report = diff_programs(load_text(BASE), load_text(WITHOUT_RULE))
    g = gate(report, ["narrowed"], [Allow("paid_recently", change, "merged into can_return")])
    assert not g.failed and g.warnings == ()
    assert g.verdict("paid_recently").allowed == (("removed", "merged into can_return"),)
    assert gate(report, ["narrowed"], [Allow("paid_recently", "broadened", "no")]).failed


def test_a_removed_restriction_is_a_broadening() -> None:
    report = diff_programs(load_text(BASE), load_text(WITHOUT_RULE))
    assert not gate(report, ["narrowed"], [], ["paid_recently"]).failed
    g = gate(report, ["broadened"], [], ["paid_recently"])
    assert g.failed and g.verdict("paid_recently").shown() == "removed: narrowed restriction"
    added = diff_programs(load_text(WITHOUT_RULE), load_text(BASE))
    assert gate(added, ["narrowed"], [], ["paid_recently"]).failed
    assert not gate(added, ["broadened"], [], ["paid_recently"]).failed


def test_a_removed_value_definition_fails_only_any() -> None:
    report = diff_programs(load_text(BASE), load_text(WITHOUT_DEF))
    assert [d.name for d in report.removed] == ["refund"]
    assert report.removed[0].reading("removed") is None
    assert not gate(report, ["narrowed", "broadened"], []).failed
    assert gate(report, ["any"], []).failed


# A refund that can drop: `refund` keeps the fee twice.
LOWER_REFUND = BASE.replace(
    "def refund(o: Order) -> Money = o.cash_paid - o.fee",
    "def refund(o: Order) -> Money = o.cash_paid - o.fee - o.fee",
)


def test_fail_on_changed_gates_a_value_definition(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert LOWER_REFUND != BASE
    old, new = _write(tmp_path / "v1", BASE), _write(tmp_path / "v2", LOWER_REFUND)
    code, out, _ = smallprint(capsys, "diff", str(old), str(new))
    assert code == 0 and "CHANGED" in out and "`refund` can drop" in out
    code, out, _ = smallprint(capsys, "diff", str(old), str(new), "--fail-on", "changed")
    assert code == 1 and "FAILED (--fail-on changed): refund (changed)" in out
    assert smallprint(capsys, "diff", str(old), str(new), "--fail-on", "narrowed,changed")[0] == 1
    assert smallprint(capsys, "diff", str(old), str(new), "--fail-on", "narrowed,broadened")[0] == 0
    # A rule that narrowed does not fail `changed` alone: it is not a value definition.
    four = _write(tmp_path / "v3", BASE.replace("r + 15 days", "r + 14 days"))
    assert smallprint(capsys, "diff", str(old), str(four), "--fail-on", "changed")[0] == 0
    data = json.loads(
        smallprint(capsys, "diff", str(old), str(new), "--fail-on", "changed", "--format", "json")[1]
    )
    assert data["fail_on"] == ["changed"] and data["status"] == "failed"
    config = tmp_path / "allow.toml"
    config.write_text(
        '[[allow]]\nrule = "refund"\nchange = "changed"\nreason = "the fee is kept twice now"\n'
    )
    args = ("diff", str(old), str(new), "--fail-on", "changed", "--allow-file", str(config))
    code, out, _ = smallprint(capsys, *args)
    assert code == 0 and "allowed changed: the fee is kept twice now" in out
    code, _, err = smallprint(capsys, "diff", str(old), str(new), "--fail-on", "chnged")
    assert code == 2 and "changed" in err


# ---- unknowns read as what they are ---------------------------------------------------------


def test_an_unknown_beside_a_change_says_which_question_and_why() -> None:
    """A rule found broadened whose narrowing the solver could not decide: the row says
    both, and the gate's reason names the question (was `BROADENED ... FAILS (unknown)`)."""
    span = Span("v2/returns.sp", 3, 1, 3, 10)
    why = gave_up("canceled", 10_000, 10.2)
    f = FunctionDiff(
        "min_spend_missed", "rule", "broadened", ("broadened",), span, span, BOOL,
        undecided=(Undecided("narrowed", why),),
    )  # fmt: skip
    report = DiffReport((f,), (), (), (), (), 0.1)
    g = gate(report, ["narrowed"], [])
    assert g.verdict("min_spend_missed").shown() == "unknown whether it narrowed"
    assert gate(report, ["narrowed"], [], ["min_spend_missed"]).verdict("min_spend_missed").shown() == (
        "broadened restriction, unknown whether it narrowed"
    )
    program = load_text(BASE)
    version = Version("v", program, SourceMap())
    out = "\n".join(diff_text(version, version, report, g))
    assert "BROADENED, NARROWED?  min_spend_missed" in out
    assert "FAILS (unknown whether it narrowed)" in out
    assert (
        "unknown whether it narrowed: out of time (--timeout 10 s per question); "
        "raise --timeout (seconds per question) to try longer"
    ) in out
    assert "canceled" not in out


def test_why_the_solver_gave_up_in_words() -> None:
    assert gave_up("canceled", 10_000, 10.0) == "out of time (--timeout 10 s per question)"
    assert gave_up("timeout", 2_500, 2.5) == "out of time (--timeout 2.5 s per question)"
    # Z3 stops at the resource limit (the deterministic stand-in) before the clock.
    assert gave_up("max. resource limit exceeded", 10_000, 1.0) == (
        "out of its resource limit (the fixed bound that stands for --timeout 10 s per question)"
    )
    assert gave_up("canceled", 10_000, 3.0).startswith("out of its resource limit")
    assert gave_up("(incomplete quantifiers)", 10_000, 0.1) == "(incomplete quantifiers)"
