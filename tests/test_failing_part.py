"""Where a violated property is false: the part of its body a counterexample breaks.

An auditor reading a counterexample of `a and b and c` over six inputs should not
have to evaluate each part by hand: the counterexample names the part that is
false (the first false operand of an `and`, the consequent of a `where`, the
body of `forall i in xs` on the first element it fails for, ...), what that part
compared, the names bound on the way, and which inputs it reads.
"""

from __future__ import annotations

import json
from pathlib import Path

from smallprint.checker.results import Violated
from smallprint.checker.verify import CompiledPolicy
from smallprint.checker.verify_report import counterexample_lines
from smallprint.grammar.span import SourceMap
from smallprint.model.explain import FailingPart
from smallprint.model.explain_text import failing_lines, source_text
from smallprint.model.failing import failing_part
from smallprint.model.interp import Interpreter
from smallprint.model.loader import load_text

from .conftest import run_cli

POLICY = """
record Item { price: Money }
record Order {
  paid_at: Date
  shipped_at: Date?
  cash_paid: Money
  fee: Money
  items: List[Item, 3]
  invariant cash_not_negative: cash_paid >= $0
}
def refund(o: Order) -> Money = o.cash_paid - o.fee
property refund_fits: forall o: Order. o.cash_paid >= $0 and refund(o) >= $0
property prices_fit: forall o: Order where o.cash_paid == $0. forall i in o.items. i.price >= $0
property ships_after_paying: forall o: Order, x: Int where o.shipped_at is some(s). s >= o.paid_at
"""


def _failing(name: str) -> tuple[CompiledPolicy, Violated, FailingPart]:
    cp = CompiledPolicy(load_text(POLICY, "policy.sp"))
    result = cp.prove(name)
    assert isinstance(result, Violated), result
    part = result.counterexample.failing
    assert part is not None
    return cp, result, part


def _text(part: FailingPart) -> str | None:
    return source_text(part.cond.span, SourceMap({"policy.sp": POLICY}))


def test_the_false_operand_of_an_and_with_what_it_compared() -> None:
    cp, result, part = _failing("refund_fits")
    (o,) = (i.value for i in result.counterexample.inputs)
    # The first operand holds by the invariant: only the second can be false.
    assert _text(part) == "refund(o) >= $0"
    assert part.cond.held is False and part.cond.op == "ge"
    left, right = (operand.value for operand in part.cond.operands)
    assert left == cp.interp.call("refund", [o]) and left < 0  # type: ignore[operator]
    assert right == 0
    assert part.bound == () and part.reads == ("o",)


def test_the_element_a_forall_over_a_list_fails_for() -> None:
    _, result, part = _failing("prices_fit")
    (o,) = (i.value for i in result.counterexample.inputs)
    assert _text(part) == "i.price >= $0"
    (bound,) = part.bound
    assert bound.name == "i"
    items = o[4]  # type: ignore[index]
    k = next(k for k, item in enumerate(items) if item[0] < 0)  # type: ignore[arg-type, index, operator]
    assert bound.value == items[k] and bound.path == f"o.items[{k}]"  # type: ignore[index]
    assert part.reads == ("o",)


def test_the_consequent_of_a_where_with_the_value_it_binds() -> None:
    _, result, part = _failing("ships_after_paying")
    inputs = {i.name: i.value for i in result.counterexample.inputs}
    o = inputs["o"]
    assert _text(part) == "s >= o.paid_at"
    (bound,) = part.bound
    assert (bound.name, bound.value) == ("s", o[1])  # type: ignore[index]
    left, right = (operand.value for operand in part.cond.operands)
    assert (left, right) == (o[1], o[0]) and left < right  # type: ignore[index, operator]
    assert part.reads == ("o",)  # `x` is an input the body never reads


def test_prove_shows_the_failing_part(tmp_path: Path) -> None:
    (tmp_path / "policy.sp").write_text(POLICY, "utf-8")
    r = run_cli("prove", str(tmp_path), "refund_fits")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "    fails at: refund(o) >= $0: false (-US$0.01 >= US$0.00)" in r.stdout, r.stdout
    assert "      reads: o" in r.stdout
    r = run_cli("prove", str(tmp_path), "prices_fit", "--format", "json")
    (prop,) = json.loads(r.stdout)["properties"]
    failing = prop["counterexample"]["failing"]
    assert failing["condition"]["text"] == "i.price >= $0"
    assert failing["condition"]["held"] is False
    assert list(failing["bound"]) == ["i"] and failing["reads"] == ["o"]
    # The inputs it reads come first, the others after them.
    r = run_cli("prove", str(tmp_path), "ships_after_paying")
    lines = r.stdout.splitlines()
    other = lines.index("    other inputs (the failing part does not read them):")
    assert lines.index("    inputs:") < lines.index("      o = {") < other
    assert lines[other + 1].startswith("      x = ")


def test_clauses_under_the_failing_part_come_first() -> None:
    policy = """
def fee(n: Int) -> Int
  when n > 10 => 1
  otherwise => 0
def tax(n: Int) -> Int
  when n > 10 => 2
  otherwise => 0
property charges: forall a: Int, b: Int where a == 20. fee(a) == 1 and tax(a) == 0
"""
    cp = CompiledPolicy(load_text(policy, "p.sp"))
    result = cp.prove("charges")
    assert isinstance(result, Violated)
    part = result.counterexample.failing
    # fee(20) == 1 holds; tax(20) is 2, not 0
    assert part is not None and part.calls == ("tax",) and part.reads == ("a",)
    lines = counterexample_lines(cp.program, result.counterexample)
    held = lines.index("  clauses that held:")
    other = lines.index("  other clauses that held (outside the failing part):")
    assert held < other
    assert [line.strip().split(" (")[0] for line in lines[held + 1 : other]] == ["tax: case #1 held"]
    assert lines[other + 1].strip().startswith("fee: case #1 held")


def test_into_a_bool_definition_with_the_inputs_it_comes_from() -> None:
    policy = """
record Account { balance: Money  limit: Money  invariant balance_ok: balance >= $0 }
def healthy(x: Account) -> Bool = x.balance >= $0 and x.limit >= $0
property both_healthy: forall a: Account, x: Account where healthy(x). healthy(a)
"""
    cp = CompiledPolicy(load_text(policy, "p.sp"))
    result = cp.prove("both_healthy")
    assert isinstance(result, Violated)
    part = result.counterexample.failing
    assert part is not None
    inputs = {i.name: i.value for i in result.counterexample.inputs}
    # Inside `healthy`, whose parameter is called `x`: the input it reads is `a`.
    assert source_text(part.cond.span, SourceMap({"p.sp": policy})) == "x.limit >= $0"
    assert part.through == ("healthy",)
    assert part.reads == ("a",)
    limit, zero = (operand.value for operand in part.cond.operands)
    assert limit == inputs["a"][1] and limit < 0 and zero == 0  # type: ignore[index, operator]


def test_clauses_under_a_definition_the_failing_part_is_in_come_first() -> None:
    policy = """
rule big(n: Int) when n > 10
def sane(n: Int) -> Bool = big(n) and n < 100
property p: forall a: Int, b: Int where a == 200 and b == 50. big(b) and sane(a)
"""
    cp = CompiledPolicy(load_text(policy, "p.sp"))
    result = cp.prove("p")
    assert isinstance(result, Violated)
    part = result.counterexample.failing
    assert part is not None and part.through == ("sane",) and part.calls == ()
    assert [o.value for o in part.cond.operands] == [200, 100]
    lines = counterexample_lines(cp.program, result.counterexample)
    held = lines.index("  clauses that held:")
    other = lines.index("  other clauses that held (outside the failing part):")
    # big(200) inside sane first; big(50), called by the body itself, after
    inside, outside = lines[held + 1].strip(), lines[other + 1].strip()
    assert inside.startswith("big: when #1 held") and inside.endswith("in sane > big")
    assert outside.startswith("big: when #1 held") and "sane" not in outside


EXPLAINED = """
def sane(n: Int) -> Bool = n > 0 and n < 100
rule accepted(n: Int) when sane(n)
"""


def test_ask_explain_says_where_a_bool_definition_is_false(tmp_path: Path) -> None:
    (tmp_path / "policy.sp").write_text(EXPLAINED, "utf-8")
    r = run_cli("ask", str(tmp_path), "sane", "--arg", "n=200", "--explain")
    assert r.returncode == 0, r.stderr
    assert "  fails at: n < 100: false (200 < 100)" in r.stdout.splitlines(), r.stdout
    r = run_cli("ask", str(tmp_path), "sane", "--arg", "n=200", "--explain", "--format", "json")
    failing = json.loads(r.stdout)["explanation"]["failing"]
    assert failing["condition"]["text"] == "n < 100" and failing["reads"] == ["n"]
    # A rule's condition that calls it is explained down to the same place.
    r = run_cli("ask", str(tmp_path), "accepted", "--arg", "n=200", "--explain")
    lines = r.stdout.splitlines()
    called = next(i for i, line in enumerate(lines) if line.strip() == "sane(n) = false")
    assert any(line.strip() == "fails at: n < 100: false (200 < 100)" for line in lines[called:])


def test_a_false_or_shows_where_each_alternative_is_false() -> None:
    # `a or b and c`, all false: no one part decides; each operand is followed down on its
    # own (the `and` to its first false operand), under the names bound above the `or`.
    text = """
record Tier { used: Int  subtotal: Money  face: Money  allowance: Money }
def allowed(t: Tier) -> Bool = t.used == 0 or t.subtotal >= $29 and t.face <= t.allowance
"""
    program = load_text(text, "tier.sp")
    interp = Interpreter(program)
    body = program.functions["allowed"].body
    assert body is not None
    part = failing_part(interp, body, {"t": (1, 4000, 1000, 600)})
    assert part.cond.held is False and len(part.alternatives) == 2
    first, second = part.alternatives
    sources = SourceMap({"tier.sp": text})
    assert source_text(first.cond.span, sources) == "t.used == 0"
    assert [o.value for o in first.cond.operands] == [1, 0]
    # the subtotal reaches US$29.00: the `and` fails on the face over the allowance
    assert source_text(second.cond.span, sources) == "t.face <= t.allowance"
    assert [o.value for o in second.cond.operands] == [1000, 600]
    lines = failing_lines(program, part, "", sources)
    assert lines[1:4] == [
        "  no alternative holds:",
        "    - t.used == 0: false (1 == 0)",
        "    - t.face <= t.allowance: false (US$10.00 <= US$6.00)",
    ]


def test_under_a_not_the_part_that_holds_and_the_element_that_makes_an_exists_true() -> None:
    # `not (has_virtual(ls) and coupon)` is false: both hold; the first says which line is
    # virtual (the element `exists` holds for), named by its place in the inputs.
    text = """
record Line { no: Int  virtual: Bool }
def has_virtual(ls: List[Line, 4]) -> Bool = exists l in ls. l.virtual
def allowed(ls: List[Line, 4], coupon: Bool) -> Bool = not (has_virtual(ls) and coupon)
"""
    program = load_text(text, "v.sp")
    body = program.functions["allowed"].body
    assert body is not None
    part = failing_part(Interpreter(program), body, {"ls": ((1, False), (2, True)), "coupon": True})
    assert part.cond.held is True and len(part.alternatives) == 2
    line, coupon = part.alternatives
    sources = SourceMap({"v.sp": text})
    assert source_text(line.cond.span, sources) == "l.virtual" and line.cond.held is True
    assert line.through == ("has_virtual",)
    assert [(b.name, b.path) for b in line.bound] == [("l", "ls[1]")]
    assert source_text(coupon.cond.span, sources) == "coupon"
    lines = failing_lines(program, part, "", sources)
    assert lines[0] == "fails as this holds: has_virtual(ls) and coupon: true"
    assert lines[1] == "  each of these holds:"


def test_a_comparison_of_an_if_is_shown_on_the_branch_it_took() -> None:
    text = """
enum Kind { store, platform }
def met(k: Kind, before_c: Money, before_f: Money, m: Money) -> Bool
  = (if k == Kind.store then before_c else before_f) > m
"""
    program = load_text(text, "k.sp")
    body = program.functions["met"].body
    assert body is not None
    part = failing_part(
        Interpreter(program), body, {"k": "platform", "before_c": 9000, "before_f": 4500, "m": 5000}
    )
    sources = SourceMap({"k.sp": text})
    assert (
        failing_lines(program, part, "", sources)[0] == "fails at: before_f > m: false (US$45.00 > US$50.00)"
    )
