"""Answers kept per definition cone: a proof or a clean lint is reused exactly while
everything it depends on is unchanged, and recomputed as soon as anything is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smallprint.checker.cones import Cones, canonical
from smallprint.checker.proof_cache import KeptAnswers
from smallprint.checker.results import Proved, Violated
from smallprint.checker.verify import CompiledPolicy
from smallprint.model import core
from smallprint.model.loader import load_policy, load_text

POLICY = """
record Order {
  cash_paid: Money
  fee: Money
  invariant cash_not_negative: cash_paid >= $0
  invariant fee_not_negative: fee >= $0
}
record Parcel {
  weight: Mass
  invariant light: weight <= 30 kg
}
const fee_cap: Money = $5
def fee(o: Order) -> Money = min(o.fee, fee_cap)
def refund(o: Order) -> Money = max($0, o.cash_paid - fee(o))
def heavy(p: Parcel) -> Bool = p.weight > 20 kg
property refund_never_negative: forall o: Order. refund(o) >= $0
property refund_within_cash: forall o: Order. refund(o) <= o.cash_paid
property parcels_exist: forall p: Parcel. true
property refund_is_cash: forall o: Order. refund(o) == o.cash_paid
"""


def digests(text: str) -> dict[str, str]:
    program = load_text(text)
    cones = Cones(program)
    return {n: cones.digest([("property", n)]) for n in program.properties}


def test_a_cone_digest_ignores_positions_and_unrelated_definitions() -> None:
    base = digests(POLICY)
    moved = digests("\n\n# a comment\n" + POLICY + "\ndef unrelated(x: Int) -> Int = x + 1\n")
    assert moved == base


@pytest.mark.parametrize(
    ("edit", "changed"),
    [
        # A callee two calls away: every property reading `refund` changes.
        (
            ("min(o.fee, fee_cap)", "max(o.fee, fee_cap)"),
            {"refund_never_negative", "refund_within_cash", "refund_is_cash"},
        ),
        # A constant read through a callee.
        (
            ("fee_cap: Money = $5", "fee_cap: Money = $6"),
            {"refund_never_negative", "refund_within_cash", "refund_is_cash"},
        ),
        # An invariant of a record the body never reads: still an assumption.
        (("weight <= 30 kg", "weight <= 31 kg"), {"parcels_exist"}),
        # A function no property reads.
        (("p.weight > 20 kg", "p.weight > 21 kg"), set()),
    ],
)
def test_a_cone_digest_changes_with_everything_the_answer_depends_on(
    edit: tuple[str, str], changed: set[str]
) -> None:
    base = digests(POLICY)
    after = digests(POLICY.replace(*edit))
    assert {n for n in base if base[n] != after[n]} == changed


def test_canonical_leaves_out_positions_and_refuses_unstable_values() -> None:
    one = load_text(POLICY).functions["refund"]
    two = load_text("\n" * 7 + POLICY).functions["refund"]
    assert one.span != two.span and canonical(one) == canonical(two)
    with pytest.raises(TypeError):
        canonical(object())


def compiled(text: str, folder: Path) -> CompiledPolicy:
    policy = CompiledPolicy(load_text(text))
    policy.kept = KeptAnswers(policy.program, "test settings", folder)
    return policy


def test_proofs_are_reused_only_while_their_cone_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = compiled(POLICY, tmp_path)
    results = {n: first.prove(n) for n in first.program.properties}
    assert isinstance(results["refund_never_negative"], Proved)
    assert isinstance(results["refund_within_cash"], Proved)
    assert isinstance(results["refund_is_cash"], Violated)
    solved: list[str] = []
    original = CompiledPolicy._prove

    def counting(self: CompiledPolicy, name: str, timeout_ms: int | None = None) -> object:
        solved.append(name)
        return original(self, name, timeout_ms)

    monkeypatch.setattr(CompiledPolicy, "_prove", counting)
    # A definition added below everything: every answer is reused, the violation too.
    appended = compiled(POLICY + "\ndef unrelated(x: Int) -> Int = x\n", tmp_path)
    assert {n: appended.prove(n) for n in appended.program.properties} == results
    assert solved == []
    # An edit that moves every line: proofs come back with today's spans; the violation,
    # whose explanation points into the source, is computed again.
    second = compiled("\n\n" + POLICY + "\ndef unrelated(x: Int) -> Int = x\n", tmp_path)
    again = {n: second.prove(n) for n in second.program.properties}
    assert solved == ["refund_is_cash"]
    kept = again["refund_within_cash"]
    assert isinstance(kept, Proved) and kept.span == second.program.properties["refund_within_cash"].span
    assert kept.bounds == results["refund_within_cash"].bounds
    moved = again["refund_is_cash"]
    assert isinstance(moved, Violated) and moved.span == second.program.properties["refund_is_cash"].span
    first_violation = results["refund_is_cash"]
    assert isinstance(first_violation, Violated)
    assert moved.counterexample.inputs == first_violation.counterexample.inputs  # the same witness
    # Breaking the clamp changes the cone of every property that reads `refund`.
    solved.clear()
    broken = compiled(POLICY.replace("max($0, o.cash_paid - fee(o))", "o.cash_paid - fee(o)"), tmp_path)
    outcome = {n: broken.prove(n) for n in broken.program.properties}
    assert sorted(solved) == ["refund_is_cash", "refund_never_negative", "refund_within_cash"]
    assert isinstance(outcome["refund_never_negative"], Violated)
    # Other solver settings are other answers.
    solved.clear()
    other = CompiledPolicy(load_text(POLICY))
    other.kept = KeptAnswers(other.program, "other settings", tmp_path)
    other.prove("parcels_exist")
    assert solved == ["parcels_exist"]


def test_clean_lints_are_reused_and_findings_recomputed(tmp_path: Path) -> None:
    text = POLICY + "rule never(o: Order) when o.cash_paid < $0\n"
    first = compiled(text, tmp_path)
    findings = first.lint()
    assert [f.kind for f in findings] == ["dead_rule"]
    kept = sorted(p.name.split("-")[0] for p in tmp_path.iterdir())
    assert kept.count("clean") == len(first.program.functions) - 1
    second = compiled("\n" + text, tmp_path)
    assert [f.kind for f in second.lint()] == ["dead_rule"]
    assert isinstance(second.program.functions["never"], core.RuleDef)


def _counterexample(names: list[str]) -> object:
    from .conftest import SPECS

    policy = CompiledPolicy(load_policy(SPECS / "aliexpress").program)
    results = [policy.prove(n) for n in names]
    last = results[-1]
    assert isinstance(last, Violated)
    return last.counterexample


def test_a_counterexample_does_not_depend_on_what_was_proved_before() -> None:
    """Proved alone (as with every other proof taken from the cache) or after other
    properties, a violated property shows the same counterexample: it is looked for
    in a Z3 context of its own. (Without that, Z3's search follows the term ids left
    by the earlier proofs: in the shared context this property's witness differed,
    `value_added_service` true in one run and false in the other.)"""
    target = "adding_a_line_costs_at_most_its_amount"
    alone = _counterexample([target])
    after = _counterexample(["line_shares_add_up", "checkout_cash_never_negative", target])
    assert alone == after


def test_a_damaged_cache_entry_is_a_miss(tmp_path: Path) -> None:
    first = compiled(POLICY, tmp_path)
    results = {n: first.prove(n) for n in first.program.properties}
    for entry in tmp_path.iterdir():
        entry.write_bytes(b"\x80\x05not a pickle or json")
    again = compiled(POLICY, tmp_path)
    assert {n: again.prove(n) for n in again.program.properties} == results
