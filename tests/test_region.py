"""`ask` with several free arguments: exact regions, checked point by point by the interpreter.

Each answer is compared with the interpreter on a grid of points around it: the
rule holds at a point exactly when the point lies in one of the regions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smallprint.checker.api import load
from smallprint.checker.region import MAX_REGIONS
from smallprint.checker.results import Bound, RegionAnswer, Unknown, WindowAnswer
from smallprint.checker.verify import CompiledPolicy
from smallprint.model.core import Value
from smallprint.model.interp import EvalError
from smallprint.model.loader import load_policy, load_text
from smallprint.model.types import DATE
from smallprint.model.values import decode

from .conftest import SPECS
from .test_cli import run


def parse_date(text: str) -> int:
    day = decode(load_text("const x: Int = 1"), DATE, text)
    assert isinstance(day, int)
    return day


@pytest.fixture(scope="module")
def aliexpress() -> CompiledPolicy:
    return CompiledPolicy(load_policy(SPECS / "aliexpress").program, timeout_ms=120_000)


def _inside(answer: RegionAnswer, point: Mapping[str, Value]) -> bool:
    for case in answer.cases:
        if any(point[n] != v for n, v in case.values):
            continue
        for r in case.regions:
            if all(_meets(b, point) for b in r.bounds):
                return True
    return False


def _meets(b: Bound, point: Mapping[str, Value]) -> bool:
    total = 0
    for c, n in b.terms:
        v = point[n]
        assert isinstance(v, int)
        total += c * v
    return (b.lower is None or b.lower <= total) and (b.upper is None or total <= b.upper)


def _holds(policy: CompiledPolicy, func: str, point: Mapping[str, Value]) -> bool:
    f = policy.program.functions[func]
    try:
        return policy.interp.call(func, [point[p.name] for p in f.params]) is True
    except EvalError:
        return False


def _agrees_on_grid(
    policy: CompiledPolicy,
    func: str,
    answer: RegionAnswer,
    fixed: Mapping[str, Value],
    axes: Mapping[str, Sequence[Value]],
) -> int:
    """The number of grid points where the rule holds; fails on the first disagreement."""
    names = list(axes)
    points: list[dict[str, Value]] = [{}]
    for n in names:
        points = [{**p, n: v} for p in points for v in axes[n]]
    held = 0
    for p in points:
        at = {**fixed, **p}
        expected = _holds(policy, func, at)
        assert _inside(answer, at) == expected, f"{func} at {p}: interpreter says {expected}"
        held += expected
    return held


def _bounds(answer: RegionAnswer) -> list[list[tuple[tuple[tuple[int, str], ...], int | None, int | None]]]:
    return [[(b.terms, b.lower, b.upper) for b in r.bounds] for c in answer.cases for r in c.regions]


# ---- the AliExpress rules ------------------------------------------------------------


def test_appeal_is_a_band_of_seven_days(aliexpress: CompiledPolicy) -> None:
    """disputes.sp `can_appeal`: "You can only appeal your case up to 7 days after
    receiving your dispute results" (F6: from the closing day to 7 days after it):
    for any closing day, today - closed_on between 0 and 7 days, nothing else."""
    a = aliexpress.region("can_appeal", {}, ["closed_on", "today"])
    assert isinstance(a, RegionAnswer)
    assert _bounds(a) == [[(((1, "closed_on"), (-1, "today")), -7, 0)]] or _bounds(a) == [
        [(((-1, "closed_on"), (1, "today")), 0, 7)]
    ]
    day = parse_date("2020-05-20")
    window = range(day - 3, day + 4)
    held = _agrees_on_grid(
        aliexpress, "can_appeal", a, {}, {"closed_on": window, "today": range(day - 6, day + 14)}
    )
    assert held == 7 * 8  # every closing day: 8 days (the day itself and 7 after it)


def test_a_window_past_an_end_of_the_calendar_runs_to_it(aliexpress: CompiledPolicy) -> None:
    """Appealing a case closed on 9999-12-28 is possible to 10000-01-04, a day no date can
    name: the window is "from 9999-12-28 onwards"; one closed after 0001-01-03 - 7 days
    is read alike at the calendar's start."""
    w = aliexpress.window("can_appeal", {"closed_on": parse_date("9999-12-28")}, "today")
    assert isinstance(w, WindowAnswer)
    assert [(i.start, i.end) for i in w.intervals] == [(parse_date("9999-12-28"), None)]
    w = aliexpress.window("can_appeal", {"today": parse_date("0001-01-03")}, "closed_on")
    assert isinstance(w, WindowAnswer)
    assert [(i.start, i.end) for i in w.intervals] == [(None, parse_date("0001-01-03"))]
    r = run("ask", "specs/aliexpress", "can_appeal", "--arg", "closed_on=9999-12-28", "--free", "today")
    assert r.returncode == 0 and "from 9999-12-28 onwards" in r.stdout, r.stderr


def test_invitation_code_is_a_box(aliexpress: CompiledPolicy) -> None:
    """coupons.sp `can_redeem_invitation_code` (Terms 15a): "a newly registered Buyer
    who has never placed an order"; "an active Buyer ... has placed at least one order"."""
    a = aliexpress.region("can_redeem_invitation_code", {}, ["redeemer_orders", "inviter_orders"])
    assert isinstance(a, RegionAnswer)
    assert _bounds(a) == [[(((1, "redeemer_orders"),), 0, 0), (((1, "inviter_orders"),), 1, None)]]
    _agrees_on_grid(
        aliexpress,
        "can_redeem_invitation_code",
        a,
        {},
        {"redeemer_orders": range(-2, 4), "inviter_orders": range(-2, 5)},
    )


def test_enum_and_date_free_agree_with_the_window_per_value(aliexpress: CompiledPolicy) -> None:
    """A free enum is enumerated: each problem's dates are that problem's window."""
    order = aliexpress.program.functions["can_open_dispute"].params[0]
    o = decode(
        aliexpress.program,
        order.ty,
        json.loads((SPECS / "aliexpress" / "examples" / "order.json").read_text())["o"],
    )
    a = aliexpress.region("can_open_dispute", {"o": o}, ["p", "today"])
    assert isinstance(a, RegionAnswer)
    assert a.finite == ("p",)
    problems = aliexpress.program.enums["Problem"].variants
    assert [dict(c.values)["p"] for c in a.cases] == list(problems)
    for case in a.cases:
        w = aliexpress.window("can_open_dispute", {"o": o, **dict(case.values)}, "today")
        assert isinstance(w, WindowAnswer)
        assert [(b.lower, b.upper) for r in case.regions for b in r.bounds] == [
            (i.start, i.end) for i in w.intervals
        ]


def test_late_shipment_with_the_deadline_and_today_free(aliexpress: CompiledPolicy) -> None:
    """cancellation.sp `closed_for_late_shipment`, shipped on 2020-05-02: the order is
    closed for late shipment when the countdown ended before the shipment and today
    is after the countdown's last day."""
    f = aliexpress.program.functions["closed_for_late_shipment"]
    data = json.loads((SPECS / "aliexpress" / "examples" / "order.json").read_text())["o"]
    o = decode(aliexpress.program, f.params[0].ty, data)
    a = aliexpress.region("closed_for_late_shipment", {"o": o}, ["ship_by", "today"])
    assert isinstance(a, RegionAnswer)
    shipped = parse_date("2020-05-02")
    held = _agrees_on_grid(
        aliexpress,
        "closed_for_late_shipment",
        a,
        {"o": o},
        {"ship_by": range(shipped - 4, shipped + 3), "today": range(shipped - 6, shipped + 6)},
    )
    assert held > 0


# ---- shapes the AliExpress rules do not have -------------------------------------------

SHAPES = """
rule near(a: Int, b: Int)
  when max(a, b) - min(a, b) <= 3
  unless a == b + 1

rule split(a: Int, b: Int, c: Int)
  when a + 2 * b <= 10 and c > a
  when a >= 20

rule dated(start: Date, end: Date, today: Date)
  when today >= start and today <= end and end - start <= 30 days

rule flagged(a: Money, b: Money, late: Bool)
  when late and a > b
  when not late and a + b >= $10

rule product(a: Int, b: Int)
  when a * b <= 10

rule soon(start: DateTime, now: DateTime)
  when now >= start and now <= start + 48 hours
"""


@pytest.fixture(scope="module")
def shapes() -> CompiledPolicy:
    return CompiledPolicy(load_text(SHAPES), timeout_ms=60_000)


def test_absolute_difference_with_a_hole(shapes: CompiledPolicy) -> None:
    a = shapes.region("near", {}, ["a", "b"])
    assert isinstance(a, RegionAnswer)
    held = _agrees_on_grid(shapes, "near", a, {}, {"a": range(-8, 9), "b": range(-8, 9)})
    assert held == sum(1 for x in range(-8, 9) for y in range(-8, 9) if abs(x - y) <= 3 and x != y + 1)


def test_three_free_and_two_clauses(shapes: CompiledPolicy) -> None:
    a = shapes.region("split", {}, ["a", "b", "c"])
    assert isinstance(a, RegionAnswer)
    _agrees_on_grid(shapes, "split", a, {}, {"a": range(-3, 24, 3), "b": range(-4, 8), "c": range(-4, 24, 4)})


def test_dates_and_one_fixed(shapes: CompiledPolicy) -> None:
    day = parse_date("2024-02-20")
    a = shapes.region("dated", {"start": day}, ["end", "today"])
    assert isinstance(a, RegionAnswer)
    held = _agrees_on_grid(
        shapes,
        "dated",
        a,
        {"start": day},
        {"end": range(day - 2, day + 34), "today": range(day - 2, day + 34)},
    )
    assert held == sum(e - day + 1 for e in range(day, day + 31))


def test_bool_free_with_amounts(shapes: CompiledPolicy) -> None:
    a = shapes.region("flagged", {}, ["a", "b", "late"])
    assert isinstance(a, RegionAnswer)
    assert [dict(c.values)["late"] for c in a.cases] == [False, True]
    _agrees_on_grid(
        shapes,
        "flagged",
        a,
        {},
        {"a": range(-300, 1300, 100), "b": range(-300, 1300, 100), "late": [False, True]},
    )


def test_date_times_differ_by_a_duration(shapes: CompiledPolicy) -> None:
    a = shapes.region("soon", {}, ["start", "now"])
    assert isinstance(a, RegionAnswer)
    assert _bounds(a) == [[(((-1, "start"), (1, "now")), 0, 48 * 60)]]
    from smallprint.checker.region_report import region_lines

    assert region_lines(shapes.program, a)[1] == "  - now - start from 0 days to 2 days"
    hours = range(0, 5 * 24 * 60, 60)
    held = _agrees_on_grid(shapes, "soon", a, {}, {"start": range(0, 2 * 24 * 60, 360), "now": hours})
    assert held > 0


def test_nonlinear_rule_is_unknown_not_wrong(shapes: CompiledPolicy) -> None:
    a = shapes.region("product", {}, ["a", "b"])
    assert isinstance(a, Unknown)
    assert "not linear" in a.reason


def test_bad_free_arguments_are_refused(shapes: CompiledPolicy) -> None:
    with pytest.raises(ValueError, match="no parameter"):
        shapes.region("near", {}, ["a", "z"])
    with pytest.raises(ValueError, match="twice"):
        shapes.region("near", {}, ["a", "a"])
    with pytest.raises(ValueError, match="missing"):
        shapes.region("split", {}, ["a", "b"])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(-3, 3),
            st.integers(-3, 3),
            st.sampled_from(["<=", "<", "==", "!=", ">="]),
            st.integers(-8, 8),
        ),
        min_size=1,
        max_size=4,
    ),
    st.integers(1, 3),
)
def test_random_linear_rules_match_the_interpreter(
    atoms: list[tuple[int, int, str, int]], whens: int
) -> None:
    """Random rules of linear conditions on two integers (split into `when` clauses
    and an `unless`): the regions hold exactly where the interpreter says so."""
    conds = [f"{x} * a + {y} * b {op} {k}" for x, y, op, k in atoms]
    clauses = [conds[i::whens] for i in range(whens)]
    body = "".join(f"\n  when {' and '.join(c)}" for c in clauses if c)
    if len(conds) > 1:
        body += f"\n  unless {conds[-1]}"
    policy = CompiledPolicy(load_text(f"rule r(a: Int, b: Int){body}\n"), timeout_ms=60_000)
    a = policy.region("r", {}, ["a", "b"])
    assert isinstance(a, RegionAnswer)
    assert sum(len(c.regions) for c in a.cases) <= MAX_REGIONS
    _agrees_on_grid(policy, "r", a, {}, {"a": range(-10, 11), "b": range(-10, 11)})


# ---- the command line ---------------------------------------------------------------------


def test_cli_answers_with_a_difference_of_dates() -> None:
    args = ["ask", "specs/aliexpress", "can_appeal", "--free", "closed_on", "--free", "today"]
    done = run(*args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1] == "  - today - closed_on from 0 days to 7 days"
    done = run(*args, "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    (bound,) = data["cases"][0]["regions"][0]["bounds"]
    assert (bound["type"], bound["from"], bound["to"]) == ("Days", "0 days", "7 days")


def test_cli_refuses_the_same_argument_twice() -> None:
    done = run("ask", "specs/aliexpress", "can_appeal", "--free", "today", "--free", "today")
    assert done.returncode == 2
    assert "twice" in done.stdout + done.stderr


def test_cli_refuses_a_record_left_free() -> None:
    for free in (["--arg", "today=2020-06-01", "--free", "o"], ["--free", "o", "--free", "today"]):
        done = run("ask", "specs/aliexpress", "can_open_dispute", "--arg", "p=not_received", *free)
        assert done.returncode == 2
        assert "internal error" not in done.stderr
        assert "`o` is an `Order`, which cannot be left free" in done.stderr


def test_one_free_number_beside_an_enum_has_a_witness_per_interval() -> None:
    """With one free date and a free enum, each interval names a day the interpreter
    confirmed (its start): the dispute window of the example order per problem."""
    policy = load(SPECS / "aliexpress")
    inputs = json.loads((SPECS / "aliexpress" / "examples" / "order.json").read_text())
    answer = policy.region("can_open_dispute", {"o": inputs["o"]}, free=["p", "today"])
    assert isinstance(answer, RegionAnswer)
    for case in answer.cases:
        for region in case.regions:
            (bound,) = region.bounds
            assert region.witness == (("today", bound.lower),)


MERGING = """
enum Reason { defective, wrong_item, changed_mind }
enum Condition { unopened, opened, damaged }
rule can_return(reason: Reason, condition: Condition, day: Int)
  when reason == Reason.defective and day >= 0 and day <= 365
  when reason == Reason.wrong_item and day >= 0 and day <= 365
  when reason == Reason.changed_mind and condition == Condition.unopened and day >= 0 and day <= 30
"""


def test_rows_that_differ_in_one_free_enum_alone_are_said_as_one() -> None:
    """Nine combinations of reason and condition, four windows of days: the faults hold
    for a year whatever the condition (one row: two reasons, any condition), a change of
    mind for 30 days if unopened (a row of its own: its bounds differ)."""
    from smallprint.checker.region_report import region_lines

    policy = CompiledPolicy(load_text(MERGING))
    a = policy.region("can_return", {}, ["reason", "condition", "day"])
    assert isinstance(a, RegionAnswer)
    assert sum(len(c.regions) for c in a.cases) == 7  # 2 reasons x 3 conditions + 1: exact, unmerged
    assert region_lines(policy.program, a)[1:] == [
        "  - reason is one of Reason.defective, Reason.wrong_item and day from 0 to 365 and any condition",
        "  - reason is Reason.changed_mind and condition is Condition.unopened and day from 0 to 30",
    ]
