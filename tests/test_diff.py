"""Semantic diff: narrowed / broadened / equivalent / changed, witnesses that really flip
(checked here again with both interpreters), the gate, the allow list, records
that change shape, and `--base` against a real git repository."""

from __future__ import annotations

import json
import operator
import re
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from smallprint.checker import ops
from smallprint.checker.cli import main
from smallprint.checker.diff import DiffOptions, MappingError, diff_programs
from smallprint.checker.diff_gate import Allow, gate
from smallprint.checker.diff_inputs import FieldMapping
from smallprint.checker.diff_results import DiffReport, FunctionDiff
from smallprint.checker.verify import ReplayMismatch
from smallprint.model.interp import Interpreter
from smallprint.model.loader import load_text

BASE = """\
module returns

record Order {
  paid_at: Date
  received_at: Date?
  cash_paid: Money
  fee: Money
  express: Bool
  invariant fee_within_cash: fee >= $0 and fee <= cash_paid
}

const grace: Days = 2 days

rule can_return(o: Order, today: Date)
  @cite("rules.txt", "Article 3")
  when o.received_at is some(r) and today >= r and today <= r + 15 days

rule express_refund(o: Order)
  when o.express and o.cash_paid > $10

rule paid_recently(o: Order, today: Date)
  when today >= o.paid_at + grace

def refund(o: Order) -> Money = o.cash_paid - o.fee

def return_closes(o: Order) -> Date?
  = if o.received_at is some(r) then some(r + 30 days) else none
"""

FOURTEEN = BASE.replace("today <= r + 15 days", "today <= r + 14 days")

# The same policy, reformatted and rewritten: `a and b` as `b and a`, `x >= y` as `not (x < y)`.
REWRITTEN = """\
module returns

# Comments and layout do not matter.
record Order {
  paid_at: Date
  received_at: Date?
  cash_paid: Money
  fee: Money
  express: Bool
  invariant fee_within_cash: fee >= $0 and fee <= cash_paid
}

const grace: Days = 2 days


rule can_return(o: Order, today: Date)
  @cite("rules.txt", "Article 3")
  when o.received_at is some(r)
    and not (today < r)
    and today <= r + 15 days

rule express_refund(o: Order) when o.cash_paid > $10 and o.express

rule paid_recently(o: Order, today: Date)
  when not (today < o.paid_at + grace)

def refund(o: Order) -> Money = o.cash_paid - o.fee

def return_closes(o: Order) -> Date?
  = if o.received_at is some(r) then some(r + 30 days) else none
"""

DAY = 18383  # 2020-05-01


def _diff(old: str, new: str, **options: object) -> DiffReport:
    return diff_programs(load_text(old), load_text(new), DiffOptions(**options))  # type: ignore[arg-type]


def _by_name(report: DiffReport) -> dict[str, FunctionDiff]:
    return {f.name: f for f in report.functions}


def _call(spec: str, func: str, args: tuple[object, ...]) -> object:
    """An independent replay: a fresh interpreter of the spec text."""
    return Interpreter(load_text(spec)).call(func, [i for i in args])  # type: ignore[misc]


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "returns.sp").write_text(text, "utf-8")
    return folder


def smallprint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    code = exc.value.code
    assert isinstance(code, int)
    return code, out.out, out.err


# ---- one clause: 15 days -> 14 days ---------------------------------------------------------


def test_one_clause_narrows_exactly_that_rule_with_a_witness_that_flips() -> None:
    report = _diff(BASE, FOURTEEN)
    status = {f.name: f.status for f in report.functions}
    assert status == {
        "can_return": "narrowed",
        "express_refund": "equivalent",
        "paid_recently": "equivalent",
        "refund": "equivalent",
        "return_closes": "equivalent",
    }
    d = _by_name(report)["can_return"]
    assert d.changes == ("narrowed",) and d.own_text_changed and not d.through
    (w,) = d.witnesses
    args = tuple(i.value for i in w.new.inputs)
    # Replayed again here, on interpreters the diff never saw.
    assert _call(BASE, "can_return", args) is True
    assert _call(FOURTEEN, "can_return", args) is False
    order, today = args
    assert isinstance(order, tuple) and isinstance(order[1], int)
    assert today == order[1] + 15  # the one day the clause took away
    # The explanations name the clause that decided on each side.
    assert w.old.explanation.decided.kind == "when"
    assert w.new.explanation.decided.kind == "no_when"


def test_cli_fails_on_the_narrowed_rule_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = _write(tmp_path / "v1", BASE), _write(tmp_path / "v2", FOURTEEN)
    code, out, _ = smallprint(capsys, "diff", str(old), str(new))
    assert code == 1
    line = BASE.splitlines().index("rule can_return(o: Order, today: Date)") + 1
    assert re.search(rf"^  NARROWED +can_return +\S+returns.sp:{line} +FAILS \(narrowed\)$", out, re.M)
    assert "today <= r + 14 days: false" in out  # the new side's deciding condition
    assert "FAILED (--fail-on narrowed): can_return (narrowed)" in out
    assert smallprint(capsys, "diff", str(old), str(new), "--fail-on", "broadened")[0] == 0
    assert smallprint(capsys, "diff", str(old), str(new), "--fail-on", "none")[0] == 0
    assert smallprint(capsys, "diff", str(old), str(new), "--fail-on", "broadened,narrowed")[0] == 1


def test_json_report_has_the_documented_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _write(tmp_path / "v1", BASE), _write(tmp_path / "v2", FOURTEEN)
    code, out, _ = smallprint(capsys, "diff", str(old), str(new), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["status"] == "failed"
    assert set(data) == {
        "status", "old", "new", "fail_on", "summary", "functions", "added", "removed", "renamed", "inputs",
        "properties", "constants", "assumptions", "warnings",
    }  # fmt: skip
    assert data["summary"]["narrowed"] == 1 and data["summary"]["equivalent"] == 4
    f = next(x for x in data["functions"] if x["name"] == "can_return")
    assert f["gate"] == {"fails_build": True, "gated": ["narrowed"], "allowed": []}
    w = f["witnesses"][0]
    assert (w["old"]["value"], w["new"]["value"]) == (True, False)
    assert w["old"]["explanation"]["decided_by"]["kind"] == "when"
    assert f["line"] == BASE.splitlines().index("rule can_return(o: Order, today: Date)") + 1
    # Deterministic: the same versions give the same report, process after process.
    # (Within one process Z3's context keeps state between runs, and a later diff
    # may pick another witness of the same change.)
    runs = [
        subprocess.run(
            [sys.executable, "-m", "smallprint.checker", "diff", str(old), str(new), "--format", "json"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1] and json.loads(runs[0])["summary"] == data["summary"]


# ---- equivalent rewrites -------------------------------------------------------------------


def test_formatting_and_equivalent_rewrites_are_equivalent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _diff(BASE, REWRITTEN)
    assert {f.status for f in report.functions} == {"equivalent"}
    assert len(report.functions) == 5 and not report.added and not report.removed
    code, out, _ = smallprint(
        capsys, "diff", str(_write(tmp_path / "a", BASE)), str(_write(tmp_path / "b", REWRITTEN))
    )
    assert code == 0
    assert "no difference" in out


# ---- broadened, both, numeric ------------------------------------------------------------------


def test_broadened_and_both() -> None:
    wider = BASE.replace("today <= r + 15 days", "today <= r + 20 days")
    d = _by_name(_diff(BASE, wider))["can_return"]
    assert d.status == "broadened"
    (w,) = d.witnesses
    args = tuple(i.value for i in w.new.inputs)
    assert _call(BASE, "can_return", args) is False and _call(wider, "can_return", args) is True

    shifted = BASE.replace(
        "today >= r and today <= r + 15 days", "today >= r + 1 days and today <= r + 16 days"
    )
    d = _by_name(_diff(BASE, shifted))["can_return"]
    assert d.status == "narrowed_and_broadened"
    assert [w.change for w in d.witnesses] == ["narrowed", "broadened"]
    for w in d.witnesses:
        args = tuple(i.value for i in w.new.inputs)
        before, now = _call(BASE, "can_return", args), _call(shifted, "can_return", args)
        assert (before, now) == ((True, False) if w.change == "narrowed" else (False, True))


def test_numeric_definition_reports_its_largest_change() -> None:
    fee = BASE.replace("o.cash_paid - o.fee\n", "max($0, o.cash_paid - o.fee - $5)\n")
    d = _by_name(_diff(BASE, fee))["refund"]
    assert d.status == "changed"
    by_dir = {e.direction: e for e in d.extremes}
    assert by_dir["increase"].status == "never"
    drop = by_dir["decrease"]
    assert drop.status == "bounded" and drop.amount == 500  # US$5.00, exact cents
    assert drop.witness is not None
    (order,) = (i.value for i in drop.witness.new.inputs)
    before, now = _call(BASE, "refund", (order,)), _call(fee, "refund", (order,))
    assert isinstance(before, int) and isinstance(now, int) and before - now == 500


def test_optional_date_moves_earlier_by_at_most_the_change() -> None:
    sooner = BASE.replace("r + 30 days", "r + 25 days")
    d = _by_name(_diff(BASE, sooner))["return_closes"]
    by_dir = {e.direction: e for e in d.extremes}
    assert by_dir["decrease"].status == "bounded" and by_dir["decrease"].amount == 5
    assert by_dir["increase"].status == "never"
    assert not [w for w in d.witnesses if w.change in ("appeared", "disappeared")]


def test_presence_and_unbounded_changes() -> None:
    # From "30 days after receipt" to "30 days after payment": absent when never received.
    paid = BASE.replace(
        "= if o.received_at is some(r) then some(r + 30 days) else none", "= some(o.paid_at + 30 days)"
    )
    d = _by_name(_diff(BASE, paid))["return_closes"]
    assert [w.change for w in d.witnesses] == ["appeared"]
    (w,) = d.witnesses
    assert w.old.value is None and w.new.value is not None
    # Receipt and payment are unrelated here: no largest change either way.
    assert {e.status for e in d.extremes} == {"unbounded"}


# ---- added, removed, constants ------------------------------------------------------------------


def test_added_and_removed_rules_and_changed_constants() -> None:
    new = BASE.replace("rule paid_recently", "rule vip(o: Order) when o.express\n\nrule paid_soon")
    new = new.replace("const grace: Days = 2 days", "const grace: Days = 3 days")
    report = _diff(BASE, new)
    assert [d.name for d in report.added] == ["vip", "paid_soon"]
    assert [d.name for d in report.removed] == ["paid_recently"]
    assert [(c.name, c.old, c.new) for c in report.constants] == [("grace", 2, 3)]
    assert "paid_recently" not in _by_name(report)


def test_a_callee_change_is_reported_through_it() -> None:
    spec = BASE + "\nrule late_return(o: Order, today: Date) when not can_return(o, today)\n"
    report = _diff(spec, spec.replace("r + 15 days", "r + 14 days"))
    d = _by_name(report)["late_return"]
    assert d.status == "broadened"
    assert d.through == ("can_return",) and not d.own_text_changed


# ---- the gate and the allow list --------------------------------------------------------------------


def test_allow_list_lets_an_intended_change_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = _write(tmp_path / "v1", BASE), _write(tmp_path / "v2", FOURTEEN)
    (tmp_path / "smallprint.toml").write_text(
        "[[allow]]\n"
        'rule = "can_return"\n'
        'change = "narrowed"\n'
        'reason = "Article 3 now counts 14 days (legal, 2024-05)"\n'
        "\n[[allow]]\n"
        'rule = "can_retrun"\n'
        'change = "broadened"\n'
        'reason = "typo on purpose"\n'
    )
    (tmp_path / ".git").mkdir()  # the search for smallprint.toml stops at the repository root
    code, out, _ = smallprint(capsys, "diff", str(old), str(new))
    assert code == 0
    assert "allowed narrowed: Article 3 now counts 14 days (legal, 2024-05)" in out
    assert "allow entry for `can_retrun`" in out and "can_return" in out  # a suggestion for the typo
    data = json.loads(smallprint(capsys, "diff", str(old), str(new), "--format", "json")[1])
    f = next(x for x in data["functions"] if x["name"] == "can_return")
    assert f["gate"]["allowed"] == [
        {"change": "narrowed", "reason": "Article 3 now counts 14 days (legal, 2024-05)"}
    ]
    assert data["status"] == "ok"


def test_a_restriction_is_gated_the_other_way(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A rule whose holding takes something from the buyer (here: no express refund
    below a threshold) gives more when it narrows: listed under `[diff] restrictions`,
    its narrowing passes the default gate and fails `--fail-on broadened`."""
    old_text = BASE + "rule no_express(o: Order) when o.cash_paid <= $10\n"
    new_text = BASE + "rule no_express(o: Order) when o.cash_paid <= $5\n"
    old, new = _write(tmp_path / "v1", old_text), _write(tmp_path / "v2", new_text)
    (tmp_path / ".git").mkdir()
    code, out, _ = smallprint(capsys, "diff", str(old), str(new))
    assert code == 1 and "no_express (narrowed)" in out  # without the configuration
    (tmp_path / "smallprint.toml").write_text('[diff]\nrestrictions = ["no_express", "no_such_rule"]\n')
    code, out, _ = smallprint(capsys, "diff", str(old), str(new))
    assert code == 0 and "warning: restriction `no_such_rule`" in out
    code, out, _ = smallprint(capsys, "diff", str(old), str(new), "--fail-on", "broadened")
    assert code == 1 and "FAILS (narrowed restriction)" in out
    args = ("diff", str(old), str(new), "--fail-on", "broadened", "--format", "sarif")
    code, out, _ = smallprint(capsys, *args)
    results = json.loads(out)["runs"][0]["results"]
    (result,) = [r for r in results if r["ruleId"] == "smallprint/diff-narrowed"]
    assert code == 1 and result["level"] == "error"  # it fails the build
    (tmp_path / "smallprint.toml").write_text('[diff]\nrestrictions = "no_express"\n')
    code, _, err = smallprint(capsys, "diff", str(old), str(new))
    assert code == 2 and "`diff.restrictions` must be an array of rule names" in err


def test_allow_entry_without_reason_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = _write(tmp_path / "v1", BASE), _write(tmp_path / "v2", FOURTEEN)
    config = tmp_path / "allow.toml"
    config.write_text('[[allow]]\nrule = "can_return"\nchange = "narrowed"\n')
    code, _, err = smallprint(capsys, "diff", str(old), str(new), "--allow-file", str(config))
    assert code == 2
    assert "every allowed change needs a `reason`" in err


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _write(tmp_path / "v1", BASE)
    assert smallprint(capsys, "diff", str(old))[0] == 2
    assert smallprint(capsys, "diff", str(old), str(old), "--fail-on", "stricter")[0] == 2
    bad = _write(tmp_path / "bad", BASE.replace("o.cash_paid - o.fee", "o.cash_paid + 3 days"))
    code, _, err = smallprint(capsys, "diff", str(old), str(bad))
    assert code == 2 and "bad/returns.sp" in err


# ---- records that change shape --------------------------------------------------------------------------


def test_a_gained_field_needs_a_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gift = BASE.replace("  express: Bool\n", "  express: Bool\n  gift: Bool\n").replace(
        "when o.express and o.cash_paid > $10", "when o.express and o.cash_paid > $10 and not o.gift"
    )
    with pytest.raises(MappingError) as exc:
        _diff(BASE, gift)
    assert "record `Order` added field `gift: Bool`" in exc.value.problems[0]
    assert '"Order.gift" =' in exc.value.problems[0]
    # Old orders were never gifts: the rule is the same on them.
    report = _diff(BASE, gift, fields=FieldMapping({"Order.gift": False}))
    assert {f.status for f in report.functions} == {"equivalent"}
    assert [(a.record, a.field, a.version) for a in report.assumptions] == [("Order", "gift", "new")]
    # Over every value of it, the new exception narrows the rule.
    report = _diff(BASE, gift, fields=FieldMapping({"Order.gift": "any"}))
    d = _by_name(report)["express_refund"]
    assert d.status == "narrowed"
    assert d.witnesses[0].new.inputs[0].value[5] is True  # type: ignore[index]
    # On the command line: exit 2 with the fix, then the configuration.
    old, new = _write(tmp_path / "v1", BASE), _write(tmp_path / "v2", gift)
    code, _, err = smallprint(capsys, "diff", str(old), str(new))
    assert code == 2 and "[diff.fields]" in err
    (tmp_path / "smallprint.toml").write_text('[diff.fields]\n"Order.gift" = false\n')
    (tmp_path / ".git").mkdir()
    code, out, _ = smallprint(capsys, "diff", str(old), str(new))
    assert code == 0 and "Order.gift (new version only) = false (smallprint.toml)" in out


def test_gained_optional_field_and_lost_field_and_rename() -> None:
    noted = BASE.replace("  express: Bool\n", "  express: Bool\n  returned_at: Date?\n")
    report = _diff(BASE, noted)
    assert {f.status for f in report.functions} == {"equivalent"}
    assert [(a.field, a.treatment) for a in report.assumptions] == [("returned_at", "none")]
    # A renamed field keeps its meaning through [diff.rename].
    renamed = BASE.replace("received_at", "delivered_at")
    with pytest.raises(MappingError) as exc:
        _diff(BASE, renamed)
    assert '[diff.rename]: "Order.delivered_at" = "received_at"' in " ".join(exc.value.problems)
    report = _diff(BASE, renamed, fields=FieldMapping(renames={"Order.delivered_at": "received_at"}))
    assert {f.status for f in report.functions} == {"equivalent"}


def test_enum_that_gained_a_variant_is_compared_on_the_shared_ones() -> None:
    old = "enum Carrier { dhl, ups }\nrule fast(c: Carrier) when c == Carrier.dhl\n"
    new = "enum Carrier { dhl, ups, ems }\nrule fast(c: Carrier) when c == Carrier.dhl or c == Carrier.ems\n"
    assert _by_name(_diff(old, new))["fast"].status == "equivalent"
    narrower = "enum Carrier { dhl, ups, ems }\nrule fast(c: Carrier) when c == Carrier.ems\n"
    d = _by_name(_diff(old, narrower))["fast"]
    assert d.status == "narrowed" and d.witnesses[0].new.inputs[0].value == "dhl"


def test_changes_to_the_inputs_accepted_are_reported_and_gated() -> None:
    """The rules are compared on inputs both versions accept; which inputs those are is
    compared too: a new invariant that refuses inputs answered before, a removed one,
    one rewritten to the same meaning, a variant removed or added."""
    old = BASE + "enum Carrier { dhl, ups }\n"
    refusing = old.replace(
        "  invariant fee_within_cash: fee >= $0 and fee <= cash_paid\n",
        "  invariant fee_within_cash: fee >= $0 and fee <= cash_paid\n  invariant small: cash_paid <= $50\n",
    )
    report = _diff(old, refusing)
    (change,) = report.inputs
    assert (change.name, change.kinds) == ("Order", ("narrowed",))
    assert change.changes == ("invariant `small` added",)
    assert all(f.status == "equivalent" for f in report.functions)  # on the inputs both accept
    assert gate(report, ["narrowed"], []).failed
    (back,) = _diff(refusing, old).inputs
    assert back.kinds == ("broadened",) and back.changes == ("invariant `small` removed",)
    same = old.replace("fee >= $0 and fee <= cash_paid", "not (fee < $0) and cash_paid >= fee")
    assert _diff(old, same).inputs == ()  # written differently, the same inputs
    fewer = old.replace("enum Carrier { dhl, ups }", "enum Carrier { dhl }")
    (variant,) = _diff(old, fewer).inputs
    assert (variant.name, variant.kinds) == ("Carrier", ("narrowed",))
    assert variant.changes == ("variant `ups` removed",)
    (more,) = _diff(fewer, old).inputs
    assert more.kinds == ("broadened",) and not gate(_diff(fewer, old), ["narrowed"], []).failed
    # A record holding the enum: a variant added is the enum's change, not the record's.
    shipped = "record Parcel { carrier: Carrier  kg: Int  invariant light: kg <= 30 }\n"
    heavier = shipped.replace("kg <= 30", "kg <= 20")
    both = {c.name: c.kinds for c in _diff(fewer + shipped, old + heavier).inputs}
    assert both == {"Parcel": ("narrowed",), "Carrier": ("broadened",)}
    # An allow entry naming a record that did not change is stale, not unknown.
    stale = gate(_diff(old + shipped, old + shipped), ["narrowed"], [Allow("Parcel", "narrowed", "why")])
    (warning,) = stale.warnings
    assert warning == "allow entry for `Parcel` narrowed (smallprint.toml) matched no change: drop it"


def test_text_witnesses_come_from_the_string_solver() -> None:
    old = "record Address { postal_code: Text }\n"
    old += 'rule overseas(a: Address) when starts_with(a.postal_code, "35")\n'
    new = old.replace(
        'starts_with(a.postal_code, "35")', 'starts_with(a.postal_code, "35") or a.postal_code == "38"'
    )
    d = _by_name(_diff(old, new))["overseas"]
    assert d.status == "broadened"
    (w,) = d.witnesses
    assert w.new.inputs[0].value == ("38",)


def test_incomparable_signatures_are_said_so() -> None:
    new = BASE.replace("rule express_refund(o: Order)", "rule express_refund(o: Order, today: Date)")
    d = _by_name(_diff(BASE, new))["express_refund"]
    assert d.status == "incomparable" and d.reason is not None and "parameter" in d.reason


# ---- trust -------------------------------------------------------------------------------------------


def test_a_compiler_bug_is_an_internal_error_never_a_witness(monkeypatch: pytest.MonkeyPatch) -> None:
    # `<=` compiled as `<`: Z3 finds a "narrowing" on the last day that the interpreters do not confirm.
    monkeypatch.setitem(ops.COMPARE, "le", operator.lt)
    with pytest.raises(ReplayMismatch):
        _diff(BASE, FOURTEEN)


def test_percent_amounts_are_exact() -> None:
    old = "record Cart { total: Money  rate: Percent  invariant r: rate >= 0% and rate <= 100% }\n"
    old += "def share(c: Cart) -> Percent = c.rate\n"
    new = old.replace("= c.rate", "= c.rate * 3 / 4")
    d = _by_name(_diff(old, new))["share"]
    by_dir = {e.direction: e for e in d.extremes}
    assert by_dir["decrease"].amount == Fraction(1, 4)  # at 100%: 25 percentage points, exactly
    assert by_dir["increase"].status == "never"


# ---- --base: the old version from git ----------------------------------------------------------------


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_base_reads_the_old_version_from_git(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    policy = _write(repo / "specs" / "returns", BASE)
    (policy / "notes.txt").write_text("not a module")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "v1")
    (policy / "returns.sp").write_text(FOURTEEN)
    monkeypatch.chdir(repo)
    code, out, _ = smallprint(capsys, "diff", "--base", "HEAD", "specs/returns")
    assert code == 1
    assert "smallprint diff HEAD:specs/returns -> specs/returns" in out
    assert "HEAD:specs/returns/returns.sp:16:3" in out  # old clauses are named by revision
    # One file of the folder, with its imports, works too.
    assert smallprint(capsys, "diff", "--base", "HEAD", "specs/returns/returns.sp")[0] == 1
    # SARIF: a place in the old revision is its file alone (its lines are that revision's,
    # not the checked-out file's), the revision's place said in words.
    code, out, _ = smallprint(capsys, "diff", "--base", "HEAD", "specs/returns", "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    olds = [
        r for res in results for r in res.get("relatedLocations", []) if "old version" in r["message"]["text"]
    ]
    assert olds and all("region" not in r["physicalLocation"] for r in olds)
    assert all("HEAD:specs/returns/returns.sp:" in r["message"]["text"] for r in olds)
    # Committed: no difference.
    _git(repo, "commit", "-q", "-am", "v2")
    assert smallprint(capsys, "diff", "--base", "HEAD", "specs/returns")[0] == 0
    assert smallprint(capsys, "diff", "--base", "HEAD~1", "specs/returns")[0] == 1
    code, _, err = smallprint(capsys, "diff", "--base", "no-such-rev", "specs/returns")
    assert code == 2 and "unknown git revision `no-such-rev`" in err
    code, _, err = smallprint(capsys, "diff", "--base", "HEAD", str(tmp_path / "elsewhere"))
    assert code == 2
    # A policy the change adds: every rule is new, nothing narrowed.
    _write(repo / "specs" / "fresh", BASE)
    code, out, err = smallprint(capsys, "diff", "--base", "HEAD", "specs/fresh", "--format", "json")
    data = json.loads(out)
    assert code == 0 and len(data["added"]) == 5 and "did not exist at `HEAD`" in err


def test_unchanged_functions_are_equivalent_without_compiling() -> None:
    """A function is skipped (equivalent, never compiled) only when it, its callees,
    its constants and its input types are all the same: a change anywhere it reads
    makes it compared."""
    from smallprint.checker.diff_same import unchanged

    caller = "\ndef twice(o: Order) -> Money = refund(o) + refund(o)\n"
    base = load_text(BASE + caller)
    assert unchanged(base, load_text("# a comment moves every line\n" + BASE + caller)) == set(base.functions)
    fee = load_text((BASE + caller).replace("o.cash_paid - o.fee", "o.cash_paid - o.fee - o.fee"))
    assert {"refund", "twice"}.isdisjoint(unchanged(base, fee))
    assert "can_return" in unchanged(base, fee)
    grace = load_text((BASE + caller).replace("2 days", "3 days"))
    assert "paid_recently" not in unchanged(base, grace) and "refund" in unchanged(base, grace)
    invariant = load_text((BASE + caller).replace("fee >= $0 and ", ""))
    assert unchanged(base, invariant) == set()  # every function takes an Order
    # and the diff reports the callers of a changed function as changed through it
    report = _by_name(diff_programs(base, fee))
    assert report["twice"].status != "equivalent" and report["can_return"].status == "equivalent"


def test_a_rule_renamed_with_its_callers_is_a_rename_not_a_removal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Voltmart's `can_return` renamed `return_permitted` everywhere (its callers and a
    property too): one rename with the same meaning, not gated, and no property change;
    renamed and narrowed (a return on the last day refused) it is a removal (gated as
    narrowed) and an addition."""
    specs = Path(__file__).resolve().parent.parent / "specs" / "voltmart"
    old, new, changed = tmp_path / "old", tmp_path / "new", tmp_path / "changed"
    for folder in (old, new, changed):
        shutil.copytree(specs, folder, ignore=shutil.ignore_patterns("examples"))
    for folder in (new, changed):
        for f in folder.glob("*.sp"):
            f.write_text(re.sub(r"\bcan_return\b", "return_permitted", f.read_text("utf-8")), "utf-8")
    returns = changed / "returns.sp"
    text = returns.read_text("utf-8")
    assert "r.requested_on <= c" in text
    returns.write_text(text.replace("r.requested_on <= c", "r.requested_on < c", 1), "utf-8")
    code, out, _ = smallprint(capsys, "diff", str(old), str(new), "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert [(r["old"], r["new"]) for r in report["renamed"]] == [("can_return", "return_permitted")]
    assert report["added"] == [] and report["removed"] == [] and report["properties"] == []
    code, out, _ = smallprint(capsys, "diff", str(old), str(changed), "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["renamed"] == []
    assert [d["name"] for d in report["removed"]] == ["can_return"]
    assert [d["name"] for d in report["added"]] == ["return_permitted"]
