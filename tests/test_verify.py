"""The symbolic queries: proofs, counterexamples, windows, explanations and lints.

A true property is proved with its list bounds; a false one gives a
counterexample that the interpreter replays and that is minimised; a window is
exact (checked against the interpreter day by day around both ends); a solver
that gives up says `unknown`, never a pass.
"""

from __future__ import annotations

import json
import pickle
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smallprint.checker.results import (
    Finding,
    Interval,
    ListBound,
    ProofResult,
    Proved,
    Unknown,
    Violated,
    WindowAnswer,
)
from smallprint.checker.verify import CompiledPolicy
from smallprint.model import core
from smallprint.model.interp import EvalError
from smallprint.model.loader import load_policy, load_text
from smallprint.model.types import DATE, DATETIME, ListT, OptT

from .conftest import SPECS, run_cli
from .strategies import ValueGen

REFUNDS = """
record Item {
  price: Money
  invariant price_not_negative: price >= $0
}
record Order {
  paid_at: Date
  shipped_at: Date?
  cash_paid: Money
  fee: Money
  items: List[Item, 3]
  coupon: Money?
  invariant cash_not_negative: cash_paid >= $0
  invariant ships_after_payment: if shipped_at is some(s) then s >= paid_at else true
}
def refund(o: Order) -> Money = max($0, o.cash_paid - o.fee)
def closes(o: Order) -> Date? = if o.shipped_at is some(s) then some(s + 30 days) else none
rule can_open(o: Order, today: Date) @cite("help.txt", "When can I open dispute?")
  when o.shipped_at is some(s) and today >= s + 11 days and today <= closes(o) ?? s
    @cite("help.txt", "after 10 days")
  unless o.cash_paid == $0 @cite("help.txt", "nothing paid")
rule paid_late(o: Order, today: Date) when today > o.paid_at + 5 days
property refund_never_negative: forall o: Order. refund(o) >= $0
property refund_within_cash: forall o: Order. refund(o) <= o.cash_paid
property window_after_payment:
  forall o: Order where o.shipped_at is some(s). exists d: Date. can_open(o, d) or o.cash_paid == $0
property items_cost_something: forall o: Order. forall i in o.items. i.price >= $0
"""

BROKEN = REFUNDS.replace("max($0, o.cash_paid - o.fee)", "o.cash_paid - o.fee")
DAY = 18383  # 2020-05-01


def order(paid: int = DAY, shipped: int | None = DAY + 1, cash: int = 1500, fee: int = 0) -> core.Value:
    return (paid, shipped, cash, fee, (), None)


@pytest.fixture(scope="module")
def refunds() -> CompiledPolicy:
    return CompiledPolicy(load_text(REFUNDS))


# ---- proofs -----------------------------------------------------------------------


def test_true_property_is_proved_with_its_bounds(refunds: CompiledPolicy) -> None:
    result = refunds.prove("refund_never_negative")
    assert isinstance(result, Proved)
    assert result.bounds == (ListBound("o.items", 3),)
    assert isinstance(refunds.prove("items_cost_something"), Proved)


def test_nested_exists_is_proved(refunds: CompiledPolicy) -> None:
    assert isinstance(refunds.prove("window_after_payment"), Proved)


def test_false_property_gives_a_replayed_minimised_counterexample() -> None:
    cp = CompiledPolicy(load_text(BROKEN))
    result = cp.prove("refund_never_negative")
    assert isinstance(result, Violated)
    cex = result.counterexample
    assert cex.replayed and cex.note is None
    (o,) = (i.value for i in cex.inputs)
    assert cp.interp.call("refund", [o]) < 0  # type: ignore[operator]
    # smallest amounts (nothing paid, one cent of fee), no items, no optional set
    paid_at, shipped_at, cash, fee, items, coupon = o  # type: ignore[misc]
    assert (cash, fee, items, shipped_at, coupon) == (0, 1, (), None, None)
    assert paid_at == 18262  # dates are drawn toward 2020-01-01, the minimiser's reference day


def test_counterexample_of_a_true_looking_bound(refunds: CompiledPolicy) -> None:
    """refund <= cash_paid fails: nothing says a fee cannot be negative."""
    result = refunds.prove("refund_within_cash")
    assert isinstance(result, Violated)
    (o,) = (i.value for i in result.counterexample.inputs)
    assert o[2:4] == (0, -1)  # type: ignore[index]


def test_proofs_are_deterministic() -> None:
    first = CompiledPolicy(load_text(BROKEN)).prove("refund_never_negative")
    second = CompiledPolicy(load_text(BROKEN)).prove("refund_never_negative")
    assert first == second


def test_unknown_on_a_tiny_resource_limit() -> None:
    cp = CompiledPolicy(load_text(REFUNDS), rlimit=1)
    result = cp.prove("refund_never_negative")
    assert isinstance(result, Unknown)
    assert result.reason


def test_a_query_the_shared_solver_gives_up_on_is_tried_again_in_a_context_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Z3's luck follows the order of the terms: when the shared solver gives up, the
    query is tried once more in a context of its own, which proves it or finds a
    (replayed) counterexample; only when that gives up too is it `unknown`."""
    import z3

    from smallprint.checker import verify

    real = verify.simple_first

    def shared_gives_up(
        solver: z3.Solver, check: object, simple: list[z3.BoolRef], timeout: int
    ) -> tuple[z3.CheckSatResult, list[z3.BoolRef]]:
        if solver is shared:
            return z3.unknown, []
        return real(solver, check, simple, timeout)  # type: ignore[arg-type]

    monkeypatch.setattr(verify, "simple_first", shared_gives_up)
    policy = CompiledPolicy(load_text(REFUNDS))
    shared = policy.solver
    assert isinstance(policy.prove("refund_never_negative"), Proved)
    policy = CompiledPolicy(load_text(BROKEN))
    shared = policy.solver
    broken = policy.prove("refund_never_negative")
    assert isinstance(broken, Violated) and broken.counterexample.replayed
    monkeypatch.setattr(verify, "simple_first", lambda *_: (z3.unknown, []))
    policy = CompiledPolicy(load_text(REFUNDS))
    assert isinstance(policy.prove("refund_never_negative"), Unknown)


HARD = """
record P {
  a: Int
  b: Int
  c: Int
}
property no_cubes: forall p: P.
  p.a > 0 and p.b > 0 and p.c > 0 implies p.a * p.a * p.a + p.b * p.b * p.b != p.c * p.c * p.c
"""


def test_unknown_on_a_tiny_timeout() -> None:
    cp = CompiledPolicy(load_text(HARD))
    result = cp.prove("no_cubes", timeout_ms=1)
    assert isinstance(result, Unknown)
    assert "timeout" in result.reason  # a timeout, or the resource limit that stands for it


def test_explore_gives_counterexamples_deciding_different_clauses() -> None:
    text = BROKEN + "property opens_eventually: forall o: Order, d: Date. can_open(o, d) or paid_late(o, d)\n"
    cp = CompiledPolicy(load_text(text))
    found = cp.explore("opens_eventually", 5)
    assert len(found) >= 2  # not shipped; shipped but asked too early or too late
    signatures = {tuple((c.func, c.kind, c.index, c.held, c.conds) for c in x.clauses) for x in found}
    assert len(signatures) == len(found)
    for cex in found:
        values = [i.value for i in cex.inputs]
        assert cp.interp.call("can_open", values) is False
        assert cp.interp.call("paid_late", values) is False


# ---- evaluation ------------------------------------------------------------------


def test_evaluate_matches_the_interpreter(refunds: CompiledPolicy) -> None:
    o = order(cash=1500, fee=200)
    for func, args in (("refund", [o]), ("closes", [o]), ("can_open", [o, DAY + 12])):
        assert refunds.evaluate(func, args) == refunds.interp.call(func, args)


def test_reachable_division_by_zero_is_a_counterexample() -> None:
    text = "property shares: forall a: Money, n: Int where n >= 0 and a >= $0. round_down(a / n) >= $0\n"
    result = CompiledPolicy(load_text(text)).prove("shares")
    assert isinstance(result, Violated)
    cex = result.counterexample
    assert cex.reason == "division by zero" and cex.replayed
    assert [i.value for i in cex.inputs] == [0, 0]


def test_division_by_zero_is_an_error_on_both_sides() -> None:
    cp = CompiledPolicy(load_text("def share(a: Money, n: Int) -> Money = round_down(a / n)"))
    with pytest.raises(EvalError):
        cp.interp.call("share", [100, 0])
    with pytest.raises(EvalError, match="division by zero"):
        cp.evaluate("share", [100, 0])
    assert cp.evaluate("share", [100, 3]) == 33


BUILT = """\
record Request {
  bought: Date
  asked: Date
  invariant asked_after_buying: asked >= bought
}
def request(bought: Date, asked: Date) -> Request = Request { bought: bought, asked: asked }
rule late(bought: Date, today: Date) when request(bought, today).asked > bought + 30 days
property never_before_buying: forall b: Date, t: Date. late(b, t) implies t >= b
rule asked_late(b: Date, a: Date, t: Date) when t > request(b, a).asked
"""


def test_a_record_built_against_its_invariant_is_an_error_on_both_sides() -> None:
    # As an input breaking an invariant is refused, a record the policy builds must keep
    # its record's invariants: building one that does not is a run-time error.
    cp = CompiledPolicy(load_text(BUILT))
    day = 18_000
    with pytest.raises(EvalError) as info:
        cp.interp.call("request", [day, day - 1])
    # which invariant, the fields it read and what it compared
    assert info.value.message == (
        "the `Request` built here breaks invariant `asked_after_buying`: "
        "bought = 2019-04-14, asked = 2019-04-13 (2019-04-13 >= 2019-04-14 is false)"
    )
    with pytest.raises(EvalError, match="breaks invariant `asked_after_buying`"):
        cp.evaluate("request", [day, day - 1])
    assert cp.evaluate("late", [day, day + 31]) is True and cp.interp.call("late", [day, day + 31]) is True
    # `late` alone would make the property true; asking before buying reaches the error.
    result = cp.prove("never_before_buying")
    assert isinstance(result, Violated)
    cex = result.counterexample
    assert "breaks invariant `asked_after_buying`" in cex.reason and cex.replayed
    b, t = (i.value for i in cex.inputs)
    assert t < b  # type: ignore[operator]


# ---- windows ----------------------------------------------------------------------


def _agrees_around(cp: CompiledPolicy, func: str, args: list[core.Value], free: int, w: WindowAnswer) -> None:
    """The interpreter holds exactly inside the intervals, day by day around every end."""
    points: set[int] = set()
    for iv in w.intervals:
        for end in (iv.start, iv.end):
            if end is not None:
                points.update(range(end - 3, end + 4))
    for d in sorted(points):
        call = [*args[:free], d, *args[free + 1 :]]
        inside = any(
            (iv.start is None or iv.start <= d) and (iv.end is None or d <= iv.end) for iv in w.intervals
        )
        assert cp.interp.call(func, call) is inside, (func, call, w)


def test_window_is_exact(refunds: CompiledPolicy) -> None:
    o = order(shipped=DAY + 1)
    w = refunds.window("can_open", {"o": o}, "today")
    assert isinstance(w, WindowAnswer)
    assert w.intervals == (Interval(DAY + 12, DAY + 31),)
    _agrees_around(refunds, "can_open", [o, 0], 1, w)
    for d in range(DAY + 12, DAY + 32):
        assert refunds.interp.call("can_open", [o, d]) is True


def test_window_never_and_unbounded(refunds: CompiledPolicy) -> None:
    never = refunds.window("can_open", {"o": order(shipped=None)}, "today")
    assert isinstance(never, WindowAnswer) and never.never
    unpaid = refunds.window("can_open", {"o": order(cash=0)}, "today")
    assert isinstance(unpaid, WindowAnswer) and unpaid.never
    late = refunds.window("paid_late", {"o": order()}, "today")
    assert isinstance(late, WindowAnswer)
    assert late.intervals == (Interval(DAY + 6, None),)
    _agrees_around(refunds, "paid_late", [order(), 0], 1, late)


def _date_rules(program: core.Program) -> list[tuple[str, int]]:
    """(rule, index) of every Date or DateTime parameter of a rule."""
    out = []
    for name, f in sorted(program.functions.items()):
        if isinstance(f, core.RuleDef):
            for i, p in enumerate(f.params):
                if p.ty in (DATE, DATETIME):
                    out.append((name, i))
    return out


@pytest.fixture(scope="module")
def aliexpress() -> CompiledPolicy:
    return CompiledPolicy(load_policy(SPECS / "aliexpress").program, timeout_ms=120_000)


def test_spec_windows_match_the_interpreter_day_by_day(aliexpress: CompiledPolicy) -> None:
    """Every rule of the specs with a Date or DateTime parameter, on random orders: the
    symbolic `when?` answer is exact around both ends of every interval."""
    gen = ValueGen(aliexpress.program, aliexpress)
    rules = _date_rules(aliexpress.program)
    assert any(name == "can_open_dispute" for name, _ in rules)

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def check(data: st.DataObject) -> None:
        name, k = data.draw(st.sampled_from(rules))
        f = aliexpress.program.functions[name]
        args = list(data.draw(gen.args(name)))
        fixed = {p.name: v for i, (p, v) in enumerate(zip(f.params, args, strict=True)) if i != k}
        w = aliexpress.window(name, fixed, f.params[k].name)
        assert isinstance(w, WindowAnswer)
        _agrees_around(aliexpress, name, args, k, w)

    check()


# ---- explanations ----------------------------------------------------------------


def test_why_not_names_the_failing_condition(refunds: CompiledPolicy) -> None:
    o = order(shipped=DAY + 1)
    why = refunds.why_not("can_open", [o, DAY + 5])
    assert [(c.kind, c.clause, c.cond, c.held) for c in why.conditions] == [("when", (1,), 2, False)]
    assert why.conditions[0].cites[0].section == "after 10 days"
    unpaid = refunds.why_not("can_open", [order(cash=0), DAY + 12])
    assert [(c.kind, c.held) for c in unpaid.conditions] == [("unless", True)]
    assert unpaid.conditions[0].cites[0].section == "nothing paid"
    unshipped = refunds.why_not("can_open", [order(shipped=None, cash=0), DAY])
    assert len(unshipped.conditions) == 1  # either reason alone suffices: one is enough


def test_explain_a_true_answer(refunds: CompiledPolicy) -> None:
    decided = refunds.explain("can_open", [order(), DAY + 12])
    assert decided.__class__.__name__ == "Decided"
    with pytest.raises(ValueError):
        refunds.why_not("can_open", [order(), DAY + 12])


# ---- lints ----------------------------------------------------------------------

LINTED = """
enum Kind { plain, fragile }
record Order {
  paid_at: Date
  kind: Kind
  cash_paid: Money
  pieces: Int
  invariant cash_not_negative: cash_paid >= $0
}
rule never(o: Order) when o.cash_paid < $0
rule covered(o: Order)
  when o.kind == Kind.fragile and o.cash_paid > $10
  when o.kind == Kind.fragile
  when o.cash_paid < $0
rule excluded(o: Order) opposes covered when o.cash_paid > $100
window returns(o: Order) from some(o.paid_at + 10 days) to some(o.paid_at + o.pieces * 1 days)
def per_item(o: Order) -> Money = round_down(o.cash_paid / o.pieces)
"""


def test_lints_find_each_kind_with_both_locations() -> None:
    cp = CompiledPolicy(load_text(LINTED))
    findings = {(f.kind, f.message.split(":")[0]): f for f in cp.lint()}
    kinds = {k for k, _ in findings}
    expected = {"dead_rule", "dead_clause", "subsumed_clause", "conflict", "window_order", "runtime_error"}
    assert expected <= kinds
    for f in findings.values():
        assert f.span.line > 0
        assert f.related and all(label.span.line > 0 for label in f.related)
    subsumed = next(f for (k, _), f in findings.items() if k == "subsumed_clause")
    assert subsumed.span.line == 12 and subsumed.related[0].span.line == 13
    conflict = next(f for (k, _), f in findings.items() if k == "conflict")
    assert conflict.witness is not None
    values = [i.value for i in conflict.witness.inputs]
    assert cp.interp.call("covered", values) is True and cp.interp.call("excluded", values) is True
    # both sides of the conflict: the clauses that held in each of the two rules
    held = {c.func for c in conflict.witness.clauses if c.held}
    assert held == {"covered", "excluded"}
    window = next(f for (k, _), f in findings.items() if k == "window_order")
    assert window.witness is not None


def test_no_lint_on_a_clean_policy(refunds: CompiledPolicy) -> None:
    assert refunds.lint() == []


LONG_LISTS = """
record Cart {
  prices: List[Money, 9]
}
rule big_cart(c: Cart) when size(c.prices) >= 6
rule impossible_cart(c: Cart) when size(c.prices) >= 10
rule cheap_cart(c: Cart)
  when count(p in c.prices where p < $1) >= 6
  when size(c.prices) >= 7
def average(c: Cart) -> Money
  = if size(c.prices) >= 5 then round_down(sum(p for p in c.prices) / (size(c.prices) - 5)) else $0
"""


def test_lints_on_capped_lists_confirm_never_at_the_declared_bounds() -> None:
    """Lints look at lists of at most 4 elements: a rule that needs 6 is not called
    dead (the "never" is rechecked at the declared bound of 9), one that needs 10 is,
    and neither is a clause subsumed only beyond the cap reported wrongly."""
    from smallprint.checker.lint import LINT_LIST_BOUND, cuts_bounds, lint

    cp = CompiledPolicy(load_text(LONG_LISTS))
    assert LINT_LIST_BOUND < 6 and cuts_bounds(cp.program, LINT_LIST_BOUND)
    found = {(f.kind, f.message) for f in lint(cp)}
    dead = {m for k, m in found if k == "dead_rule"}
    assert dead == {"rule `impossible_cart` can never hold"}
    # `when` #1 (6 prices under $1) does not imply #2 (7 prices): no subsumption
    assert not any(k == "subsumed_clause" for k, _ in found)
    # the same questions at the declared bounds give the same answers
    assert {(k, m) for k, m in found if k != "runtime_error"} == {
        (f.kind, f.message) for f in lint(cp, list_bound=None) if f.kind != "runtime_error"
    }


def test_capped_lints_miss_what_needs_longer_lists_and_say_so() -> None:
    """A division by zero reachable only with 5 prices is beyond the lint bound of 4:
    found with the declared bounds, and `check` states the bound it used."""
    from smallprint.checker.lint import lint

    cp = CompiledPolicy(load_text(LONG_LISTS))
    assert not any(f.kind == "runtime_error" for f in lint(cp))
    full = [f for f in lint(cp, list_bound=None) if f.kind == "runtime_error"]
    assert full and full[0].witness is not None
    assert len(full[0].witness.inputs[0].value[0]) == 5  # type: ignore[arg-type,index]


# ---- the AliExpress suite --------------------------------------------------------


def test_spec_properties_are_decided(aliexpress: CompiledPolicy) -> None:
    """Every property of the suite is proved or has a replayed counterexample."""
    for result in aliexpress.prove_all():
        assert not isinstance(result, Unknown), result
        if isinstance(result, Violated):
            assert result.counterexample.replayed, result
        else:
            assert all(b.bound > 0 for b in result.bounds)


_CLAMP = re.compile(r"max\(\s*(?:US)?\$0(?:\.00)?,\s*")


def _clamps(folder: Path) -> list[tuple[Path, int]]:
    """The clamps `refund_never_negative` guards (the checkout has properties of its own)."""
    return [
        (f, m.start())
        for f in sorted(folder.glob("*.sp"))
        if f.name not in ("properties.sp", "checkout.sp")
        for m in _CLAMP.finditer(f.read_text("utf-8"))
    ]


def _drop_clamp(text: str, at: int) -> str:
    """`max($0, X)` at `at` -> `X` (the closing parenthesis found by nesting depth)."""
    start = _CLAMP.match(text, at)
    assert start is not None
    depth, i = 1, start.end()
    while depth:
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        i += 1
    inner = text[start.end() : i - 1].rstrip().removesuffix(",")  # `fmt` ends a long call with a comma
    return text[:at] + "(" + inner + ")" + text[i:]


def _prove_in_fresh_process(folder: Path, prop: str, out: Path) -> object:
    """`prove` as `smallprint prove` runs it: in a process of its own. Z3's search
    depends on the terms a process made before (their ids order its choices), so in
    a test worker that already ran other queries the same search can take 20x
    longer; a fresh process answers the same way whatever ran before."""
    script = (
        "import pickle, sys\n"
        "from pathlib import Path\n"
        "from smallprint.checker.verify import CompiledPolicy\n"
        "from smallprint.model.loader import load_policy\n"
        "policy = CompiledPolicy(load_policy(Path(sys.argv[1])).program, timeout_ms=120_000)\n"
        "Path(sys.argv[3]).write_bytes(pickle.dumps(policy.prove(sys.argv[2])))\n"
    )
    subprocess.run([sys.executable, "-c", script, str(folder), prop, str(out)], check=True)
    return pickle.loads(out.read_bytes())


@pytest.mark.parametrize("which", range(len(_clamps(SPECS / "aliexpress"))))
def test_dropping_a_clamp_breaks_refund_never_negative(tmp_path: Path, which: int) -> None:
    folder = tmp_path / "aliexpress"
    shutil.copytree(SPECS / "aliexpress", folder, ignore=shutil.ignore_patterns("versions"))
    path, at = _clamps(folder)[which]
    path.write_text(_drop_clamp(path.read_text("utf-8"), at), "utf-8")
    # About 6 s on an idle machine: a generous limit keeps the answer the same on a
    # loaded CI machine (the solver's resource limit scales with it).
    result = _prove_in_fresh_process(folder, "refund_never_negative", tmp_path / "result.pickle")
    assert isinstance(result, Violated), result
    cex = result.counterexample
    assert cex.replayed
    # readable: every list at its smallest and optional values absent where they can be
    for i in cex.inputs:
        if isinstance(i.ty, ListT | OptT):
            assert i.value in ((), None)
    # and it says which refund went below zero: one `... >= US$0` of the conjunction
    assert cex.failing is not None and cex.failing.cond.op == "ge"
    refund, zero = (operand.value for operand in cex.failing.cond.operands)
    assert refund < 0 and zero == 0  # type: ignore[operator]
    assert cex.failing.reads and set(cex.failing.reads) <= {i.name for i in cex.inputs}


def test_explore_varies_what_the_failing_part_reads_before_the_rest(tmp_path: Path) -> None:
    """Without the clamp of `free_return_refund`, `refund_never_negative` fails on the
    return `r` alone; its other inputs (a claim, a cancellation, ...) only decide their
    own refunds. Counterexamples that differ there say nothing new: explore first
    varies `r`, the other inputs kept as they were (an auditor found three fixtures
    with the same `r`, differing in an unrelated claim)."""
    folder = tmp_path / "aliexpress"
    shutil.copytree(SPECS / "aliexpress", folder, ignore=shutil.ignore_patterns("versions"))
    path = folder / "free_return.sp"
    text = path.read_text("utf-8")
    clamp = _CLAMP.search(text, text.index("def free_return_refund("))
    assert clamp is not None
    path.write_text(_drop_clamp(text, clamp.start()), "utf-8")
    r = run_cli("explore", str(folder), "refund_never_negative", "--count", "3", "--format", "json")
    assert r.returncode == 1, r.stderr  # counterexamples are findings
    found = json.loads(r.stdout)["counterexamples"]
    assert len(found) == 3
    assert all(c["failing"]["reads"] == ["r"] for c in found)
    others = [{k: v for k, v in c["inputs"].items() if k != "r"} for c in found]
    assert others[0] == others[1] == others[2]
    returns = [json.dumps(c["inputs"]["r"], sort_keys=True) for c in found]
    assert len(set(returns)) == 3


@pytest.mark.parametrize("func", ["fill_share", "after_platform"])
def test_dropping_a_checkout_clamp_breaks_discount_within_eligible_goods(tmp_path: Path, func: str) -> None:
    """Value that does not fit lapses (coupon terms 7): without the clamp of the
    platform stage, or of the share of a group discount taken from one store order,
    the checkout's discount can exceed its eligible goods (or go below zero)."""
    folder = tmp_path / "aliexpress"
    shutil.copytree(SPECS / "aliexpress", folder, ignore=shutil.ignore_patterns("versions"))
    path = folder / "checkout.sp"
    text = path.read_text("utf-8")
    clamp = _CLAMP.search(text, text.index(f"def {func}("))
    assert clamp is not None
    path.write_text(_drop_clamp(text, clamp.start()), "utf-8")
    result = _prove_in_fresh_process(folder, "discount_within_eligible_goods", tmp_path / "result.pickle")
    assert isinstance(result, Violated), result
    assert result.counterexample.replayed


def test_a_replay_that_disagrees_is_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A compiler bug makes Z3 find a `counterexample` the interpreter refutes: it is
    raised as `ReplayMismatch`, never returned as a finding."""
    import operator

    from smallprint.checker import ops
    from smallprint.checker.verify import ReplayMismatch

    text = "property strict: forall d: Date, e: Date. d < e implies d != e\n"
    assert isinstance(CompiledPolicy(load_text(text)).prove("strict"), Proved)
    monkeypatch.setitem(ops.COMPARE, "lt", operator.le)
    with pytest.raises(ReplayMismatch):
        CompiledPolicy(load_text(text)).prove("strict")


def test_a_function_without_encoding_is_reported_not_fatal(monkeypatch: pytest.MonkeyPatch) -> None:
    from smallprint.checker import ops
    from smallprint.checker.symenv import EncodingError

    monkeypatch.delitem(ops.COMPARE, "lt")  # pretend `<` had no encoding
    cp = CompiledPolicy(load_text(REFUNDS + "rule early(o: Order, today: Date) when today < o.paid_at\n"))
    assert cp.unsupported_reason("refund") is None
    assert cp.unsupported_reason("early") is not None
    assert set(cp.unsupported) == {"early"}
    assert cp.evaluate("refund", [order()]) == 1500
    with pytest.raises(EncodingError, match="early"):
        cp.evaluate("early", [order(), DAY])
    assert [f.kind for f in cp.lint() if f.kind == "unsupported"] == ["unsupported"]


def test_check_lints_in_a_second_process_with_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check` proves here and lints in a worker process at the same time: the same
    findings (kinds, messages, places) as linting in this process. (A policy with
    as few functions as this one is linted here unless told otherwise: a worker's
    start would cost more.)"""
    from smallprint.checker import parallel

    source = tmp_path / "linted.sp"
    source.write_text(LINTED, "utf-8")
    cp = CompiledPolicy(load_policy(tmp_path).program)
    here = CompiledPolicy(load_policy(tmp_path).program).lint()
    assert len(cp.program.functions) <= parallel.LINT_HERE_UP_TO
    calls: list[str] = []
    monkeypatch.setattr(cp, "lint", lambda timeout_ms=None: calls.append("here") or here)
    assert parallel.prove_and_lint(cp, str(tmp_path)) == ([], here) and calls == ["here"]

    def not_here(timeout_ms: int | None = None) -> list[Finding]:
        raise AssertionError("the lints ran in this process, not in the worker")

    monkeypatch.setattr(cp, "lint", not_here)
    monkeypatch.setattr(parallel, "LINT_HERE_UP_TO", -1)
    proofs, findings = parallel.prove_and_lint(cp, str(tmp_path))
    assert proofs == [] and findings
    assert [(f.kind, f.message, f.span) for f in findings] == [(f.kind, f.message, f.span) for f in here]


SPLIT = """
record Box { low: Int  high: Int  invariant ordered: low <= high }
def width(b: Box) -> Int = b.high - b.low
property p1: forall b: Box. width(b) >= 0
property p2: forall b: Box. width(b) >= 1
property p3: forall b: Box. b.high >= b.low
property p4: forall b: Box where b.low >= 0. b.high >= 0
property p5: forall b: Box. b.high > b.low
property p6: forall b: Box where b.low > 5. width(b) < 100
property p7: forall b: Box. width(b) + b.low == b.high
property p8: forall b: Box where b.high < 0. b.low < 0
"""


def test_prove_shares_the_properties_with_a_second_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`prove` gives every other property left to prove to a worker process: the same
    answers, in the same order, as proving them all here; this process proves only
    its half."""
    from smallprint.checker import parallel

    (tmp_path / "boxes.sp").write_text(SPLIT, "utf-8")
    names = [f"p{i}" for i in range(1, 9)]
    alone = CompiledPolicy(load_policy(tmp_path).program).prove_all(names=names)
    kinds = ["Proved", "Violated", "Proved", "Proved", "Violated", "Violated", "Proved", "Proved"]
    assert [type(r).__name__ for r in alone] == kinds
    cp = CompiledPolicy(load_policy(tmp_path).program)
    asked: list[list[str]] = []
    original = cp.prove_all

    def here(
        timeout_ms: int | None = None, names: Sequence[str] | None = None, progress: object = None
    ) -> list[ProofResult]:
        asked.append(list(names or []))
        return original(names=names)

    monkeypatch.setattr(cp, "prove_all", here)
    split = parallel.prove_split(cp, str(tmp_path), names)
    assert asked == [["p1", "p3", "p5", "p7"]]
    assert [(r.prop, type(r).__name__) for r in split] == [(r.prop, type(r).__name__) for r in alone]
    violated = [r for r in split if isinstance(r, Violated)]
    assert [r.counterexample.inputs for r in violated] == [
        r.counterexample.inputs for r in alone if isinstance(r, Violated)
    ]


def test_a_window_where_every_value_is_a_run_time_error_is_no_answer() -> None:
    """ "Never" would say the rule is false for every day; here it is not even defined:
    the request is built asked before bought, whatever the day."""
    cp = CompiledPolicy(load_text(BUILT))
    day = 18_000
    with pytest.raises(ValueError, match="fails at run time for every value of `t`: the `Request` built"):
        cp.window("asked_late", {"b": day, "a": day - 1}, free="t")
    answer = cp.window("asked_late", {"b": day, "a": day + 1}, free="t")
    assert isinstance(answer, WindowAnswer) and answer.intervals == (Interval(day + 2, None),)


VACUOUS = """
record Order { cash_paid: Money  shipped_at: Date?  invariant paid: cash_paid >= US$0 }
def refund(o: Order) -> Money = o.cash_paid
property impossible_where: forall o: Order where o.cash_paid < US$0. refund(o) == US$5
property never_met: forall o: Order where o.shipped_at is some(s) and o.cash_paid < US$0. refund(o) > US$1
property met_where: forall o: Order where o.cash_paid > US$1 and o.shipped_at is some(s). refund(o) >= US$0
property no_where: forall o: Order. refund(o) >= US$0
property concludes_absent: forall o: Order. o.shipped_at is none implies o.shipped_at is none
"""


def test_a_property_no_input_meets_is_vacuous_and_fails_the_build(tmp_path: Path) -> None:
    """`refund(o) == US$5` for every order paid less than nothing holds only because the
    invariant `paid` leaves no such order: reported vacuous, a failure (exit 1), while a
    `where` some order meets (or none at all) is a plain proof."""
    policy = CompiledPolicy(load_text(VACUOUS))
    results = {r.prop: r for r in policy.prove_all()}
    assert all(isinstance(r, Proved) for r in results.values())
    assert {n for n, r in results.items() if isinstance(r, Proved) and r.vacuous} == {
        "impossible_where",
        "never_met",
    }
    (tmp_path / "p.sp").write_text(VACUOUS, "utf-8")
    r = run_cli("prove", str(tmp_path), "--no-cache", "--format", "json")
    assert r.returncode == 1
    statuses = {p["property"]: p["status"] for p in json.loads(r.stdout)["properties"]}
    assert statuses == {
        "impossible_where": "vacuous",
        "never_met": "vacuous",
        "met_where": "proved",
        "no_where": "proved",
        # `is none` after `implies` is what is proved, not assumed (an unshipped order
        # meets the assumption)
        "concludes_absent": "proved",
    }
    text = run_cli("prove", str(tmp_path))  # kept in the cache: still vacuous when replayed
    again = run_cli("prove", str(tmp_path))
    assert text.stdout == again.stdout and "VACUOUS  impossible_where" in again.stdout
    assert again.returncode == 1


def test_the_bounds_a_proof_states_are_those_its_where_allows() -> None:
    """checkout.sp's properties keep each store order to two lines (`forall s in ss.
    size(s.lines) <= 2`): the proof covers lines up to 2, not the type's 5, and says so;
    the lists its `where` leaves alone keep their type's bound (ss: 2, cs: 3)."""
    policy = CompiledPolicy(load_policy(SPECS / "aliexpress").program)
    r = policy.prove("checkout_cash_never_negative")
    assert isinstance(r, Proved)
    assert {(b.path, b.bound) for b in r.bounds} == {
        ("ss", 2),
        ("ss[0].lines", 2),
        ("ss[1].lines", 2),
        ("cs", 3),
    }
