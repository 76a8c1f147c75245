"""Coupon optimiser benchmark: `smallprint optimize` against exhaustive search, a greedy
plan and OR-tools CP-SAT, on the plan `best_coupons` of specs/aliexpress/checkout.sp.

    python bench/optimize_bench.py [--sizes 5 10 20 40 80] [--instances 30] [--seed 1]
                                   [--reasons-up-to 40] [--timeout 10]

For each wallet size C (coupons) there are `--instances` seeded random checkouts of
max(1, C/4) store orders. Each way of answering (one-shot, prepared, CP-SAT) runs
over all of them in a phase of its own, as a process doing only that would; then
the answers are compared checkout by checkout. The ways:

* smallprint: `Optimizer.optimize` with proof of optimality (`explain_unused=False`,
  `report_each=False`: the plan and its proof, what the CP-SAT model answers too),
  under `--timeout` seconds; the time is split into compilation of the plan
  (partial evaluation), solver calls, and the replay of the plan through the
  interpreter. Separately, for sizes up to `--reasons-up-to`, the full
  `optimize` with the reasons for every unused coupon.
* exhaustive search (`model.planning.exhaustive`, every subset through the
  interpreter, with calls remembered: the language has no side effects) where
  C <= 16: must find the same optimal objective vector.
* greedy "best coupon first": the coupons ordered by what each saves alone,
  each added when the plan stays allowed and pays less. How often it misses
  the optimum, and by how much.
* CP-SAT (OR-tools, a bench-only optional dependency: `pip install ortools`):
  the same model (the stages, stacking rules and objectives of checkout.sp,
  restated below), lexicographic objectives solved one after the other. Its
  optimum must equal smallprint's.

The greedy plan and CP-SAT use a restatement of the spec in Python
(`Checkout.evaluate` and `cpsat_model`); `Checkout.evaluate` is checked on every
instance against the interpreter (smallprint's optimal plan must evaluate to
the same cash paid and be allowed), and CP-SAT's optimum against smallprint's.

Prints p50 / p95 per size and the ratios; docs/performance.md ("Coupon
optimiser") records a run.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "specs" / "aliexpress"
PLAN = "best_coupons"
TODAY = "2020-03-15"

# ---- random checkouts ---------------------------------------------------------------------

TIERS = [1500, 2900, 9900]
KINDS = ["instant_discount", "instant_off", "store_coupon", "coins", "select_coupon", "aliexpress_coupon",
         "store_code", "promo_code"]  # fmt: skip


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def instance(rng: random.Random, n_coupons: int) -> dict[str, Any]:
    """A checkout of max(1, C/4) store orders and a wallet of C coupons, as JSON input."""
    n_stores = max(1, n_coupons // 4)
    stores = []
    for i in range(n_stores):
        lines = []
        for j in range(rng.randint(1, 3)):
            lines.append(
                {
                    "no": j + 1,
                    "amount": money(rng.randint(100, 6000)),
                    "quantity": rng.randint(1, 3),
                    "virtual": rng.random() < 0.02,
                    "value_added_service": rng.random() < 0.05,
                    "special_promotion": rng.random() < 0.05,
                }
            )
        store: dict[str, Any] = {
            "store": 1000 + i,
            "lines": lines,
            "shipping_fee": money(rng.choice([0, 0, 150, 300])),
            "select_allowance": money(rng.choice([300, 500, 1000])),
        }
        if rng.random() < 0.5:
            store["select_min_spend"] = money(rng.choice(TIERS))
        stores.append(store)
    coupons = []
    for k in range(n_coupons):
        kind = rng.choice(KINDS)
        c: dict[str, Any] = {
            "id": f"c{k}",
            "kind": kind,
            "valid_from": "2020-03-01",
            "valid_until": "2020-03-10" if rng.random() < 0.05 else "2020-03-31",
            "used_before": rng.random() < 0.05,
            # Only AliExpress Coupons and Promo Codes come as "cannot be combined" (10b, 11a):
            # a Store Coupon whose own terms forbid combining stands alone too (F38), but
            # is not what a wallet usually holds. (One draw per coupon all the same: the
            # checkouts stay those of the earlier runs in docs/performance.md.)
            "combinable": rng.random() < 0.7 or kind not in ("aliexpress_coupon", "promo_code"),
        }
        if kind == "instant_off":
            c["issuer"] = rng.choice(["seller", "aliexpress"])
        elif kind in ("instant_discount", "store_coupon", "store_code"):
            c["issuer"] = "seller"
        else:
            c["issuer"] = "aliexpress"
        scoped = kind in ("instant_discount", "store_coupon", "store_code", "coins") or (
            kind == "instant_off" and c["issuer"] == "seller"
        )
        if scoped:
            c["store"] = 1000 + rng.randrange(n_stores)
        if kind == "select_coupon":
            c["value"] = money(rng.choice([100, 200, 300, 500]))
            c["min_spend"] = money(rng.choice(TIERS))
        elif kind == "instant_discount" and rng.random() < 0.6:
            c["value"] = "0"
            c["percent_off"] = f"{rng.choice([5, 10, 15])}%"
            if rng.random() < 0.5:
                c["min_items"] = rng.randint(1, 3)
        else:
            c["value"] = money(rng.choice([100, 200, 300, 500, 800, 1000, 1500]))
            if rng.random() < 0.6:
                c["min_spend"] = money(rng.choice([500, 1000, 2000, 3000, 5000]))
        coupons.append(c)
    return {"cart": {"today": TODAY, "stores": stores}, "wallet": {"coupons": coupons}}


# ---- the model restated in Python (greedy baseline, CP-SAT) -------------------------------


def cents(text: str) -> int:
    return int((Fraction(text) * 100).limit_denominator(1))


@dataclass
class Coupon:
    kind: str
    store: int | None
    value: int
    percent: Fraction | None
    min_spend: int | None
    min_items: int | None
    usable_today: bool  # valid today, not used before, not an Invitation Code
    combinable: bool


@dataclass
class Store:
    number: int
    goods: int
    eligible: int
    items: int
    shipping: int
    tier: int | None
    allowance: int


@dataclass
class Checkout:
    """checkout.sp, clause 19's stages and the stacking rules, over plain integers (cents)."""

    stores: list[Store]
    coupons: list[Coupon]
    virtual: bool
    tiers: dict[int, list[Store]] = field(default_factory=dict)

    @staticmethod
    def of(data: dict[str, Any]) -> Checkout:
        stores = []
        virtual = False
        for s in data["cart"]["stores"]:
            eligible = [
                ln for ln in s["lines"] if not ln["special_promotion"] and not ln["value_added_service"]
            ]
            # 10d: a virtual product or a service (warranty, installation) shuts out
            # AliExpress Coupons (C8)
            virtual = virtual or any(ln["virtual"] or ln["value_added_service"] for ln in s["lines"])
            tier = s.get("select_min_spend")
            stores.append(
                Store(
                    s["store"],
                    sum(cents(ln["amount"]) for ln in s["lines"]),
                    sum(cents(ln["amount"]) for ln in eligible),
                    sum(ln["quantity"] for ln in eligible),
                    cents(s["shipping_fee"]),
                    None if tier is None else cents(tier),
                    cents(s["select_allowance"]),
                )
            )
        coupons = []
        for c in data["wallet"]["coupons"]:
            percent = c.get("percent_off")
            coupons.append(
                Coupon(
                    c["kind"],
                    c.get("store"),
                    cents(c["value"]),
                    None if percent is None else Fraction(percent.rstrip("%")) / 100,
                    None if c.get("min_spend") is None else cents(c["min_spend"]),
                    c.get("min_items"),
                    c["valid_from"] <= data["cart"]["today"] <= c["valid_until"]
                    and not c["used_before"]
                    and c["kind"] != "invitation_code",
                    c["combinable"],
                )
            )
        out = Checkout(stores, coupons, virtual)
        for s in stores:
            if s.tier is not None:
                out.tiers.setdefault(s.tier, []).append(s)
        return out

    @staticmethod
    def face(c: Coupon, base: int) -> int:
        if c.percent is None:
            return c.value
        return max(0, min(base, int(base * c.percent // 1)))

    def evaluate(self, used: Sequence[bool]) -> tuple[bool, int]:
        """(allowed, cash paid) of the plan that uses the coupons marked True."""
        cs = [c for c, u in zip(self.coupons, used, strict=True) if u]
        ok = all(c.usable_today for c in cs)
        ok = ok and not (self.virtual and any(c.kind == "aliexpress_coupon" for c in cs))
        numbers = {s.number for s in self.stores}
        ok = ok and all(c.store is None or c.store in numbers for c in cs)
        before: dict[int, dict[str, int]] = {}
        after_d: dict[int, int] = {}
        for s in self.stores:
            base = s.eligible
            seen: dict[str, int] = {}
            for kind in ("instant_discount", "instant_off", "store_coupon", "coins"):
                seen[kind] = base
                faces = sum(self.face(c, base) for c in cs if c.store == s.number and c.kind == kind)
                base = max(0, base - faces)
            before[s.number] = seen
            after_d[s.number] = base
        after_e = dict(after_d)
        for m, group in self.tiers.items():
            subtotal = sum(after_d[t.number] for t in group)
            face = sum(c.value for c in cs if c.kind == "select_coupon" and c.min_spend == m)
            discount = min(face, subtotal)
            if any(c.kind == "select_coupon" and c.min_spend == m for c in cs):
                ok = ok and subtotal >= m and face <= min(t.allowance for t in group)
            for t in group:
                earlier = sum(after_d[u.number] for u in group if u.number < t.number)
                after_e[t.number] -= min(after_d[t.number], max(0, discount - earlier))
        ok = ok and all(c.min_spend in self.tiers for c in cs if c.kind == "select_coupon")
        after_f = {}
        for s in self.stores:
            base = after_e[s.number]
            before[s.number]["store_code"] = base
            faces = sum(self.face(c, base) for c in cs if c.store == s.number and c.kind == "store_code")
            after_f[s.number] = max(0, base - faces)
        total_f = sum(after_f.values())
        faces = sum(
            self.face(c, total_f)
            for c in cs
            if c.store is None and c.kind in ("aliexpress_coupon", "promo_code")
        )
        after_fp = max(0, total_f - faces)
        faces = sum(self.face(c, after_fp) for c in cs if c.store is None and c.kind == "instant_off")
        after_g = max(0, after_fp - faces)
        for c in cs:
            if c.min_spend is None or c.kind == "select_coupon":
                continue
            if c.store is not None:
                if c.store in before:
                    ok = ok and before[c.store][c.kind] > c.min_spend
            elif c.kind == "instant_off":
                ok = ok and after_fp > c.min_spend
            else:
                ok = ok and total_f > c.min_spend
        for s in self.stores:
            mine = [c for c in cs if c.store == s.number]
            need = max((c.min_items or 0 for c in mine if c.kind == "instant_discount"), default=0)
            ok = ok and s.items >= need
            ok = ok and sum(c.kind == "instant_discount" for c in mine) <= 1
        ae = sum(c.kind == "aliexpress_coupon" for c in cs)
        per_store = [
            sum(c.store == s.number and c.kind in ("store_coupon", "store_code") for c in cs)
            for s in self.stores
        ]
        ok = ok and ae + max(per_store, default=0) <= 1 and ae <= 1
        ok = ok and sum(c.kind == "promo_code" for c in cs) <= 1
        alone = any(not c.combinable for c in cs)  # 10b, 11a; any kind by its own terms (2, F38)
        ok = ok and (not alone or len(cs) <= 1)
        cash = after_g + sum(s.goods - s.eligible + s.shipping for s in self.stores)
        return ok, cash


def greedy(model: Checkout) -> int:
    """Best coupon first: by what each saves alone; add it when allowed and cheaper."""
    n = len(model.coupons)
    none = [False] * n
    _, cash = model.evaluate(none)
    alone = []
    for i in range(n):
        used = none.copy()
        used[i] = True
        ok, c = model.evaluate(used)
        if ok and c < cash:
            alone.append((cash - c, i))
    chosen = none.copy()
    for _, i in sorted(alone, key=lambda x: (-x[0], x[1])):
        trial = chosen.copy()
        trial[i] = True
        ok, c = model.evaluate(trial)
        if ok and c < cash:
            chosen, cash = trial, c
    return cash


def cpsat_solve(model: Checkout, timeout_s: float) -> tuple[str, tuple[int, int, int] | None]:
    """The same plan in CP-SAT: minimise cash, then coupons used, then face value used."""
    from ortools.sat.python import cp_model

    m = cp_model.CpModel()
    big = sum(s.goods + s.shipping for s in model.stores) + 1
    u = [m.NewBoolVar(f"u{i}") for i in range(len(model.coupons))]
    cs = list(zip(model.coupons, u, strict=True))
    for c, v in cs:
        if not c.usable_today:
            m.Add(v == 0)
    numbers = {s.number for s in model.stores}
    for c, v in cs:
        if c.store is not None and c.store not in numbers:
            m.Add(v == 0)
        if model.virtual and c.kind == "aliexpress_coupon":
            m.Add(v == 0)
        if c.kind == "select_coupon" and c.min_spend not in model.tiers:
            m.Add(v == 0)

    def stage(base: Any, members: list[tuple[Coupon, Any]], name: str) -> Any:
        """max(0, base - sum of the used members' faces on base)."""
        if not members:
            return base
        terms = []
        for j, (c, v) in enumerate(members):
            if c.percent is None:
                terms.append(c.value * v)
                continue
            f = m.NewIntVar(0, big, f"{name}f{j}")
            m.AddDivisionEquality(f, base * c.percent.numerator, c.percent.denominator)
            t = m.NewIntVar(0, big, f"{name}t{j}")
            m.Add(t == f).OnlyEnforceIf(v)
            m.Add(t == 0).OnlyEnforceIf(v.Not())
            terms.append(t)
        out = m.NewIntVar(0, big, f"{name}a")
        m.AddMaxEquality(out, [0, base - sum(terms)])
        return out

    before: dict[int, dict[str, Any]] = {}
    after_d: dict[int, Any] = {}
    for s in model.stores:
        base: Any = s.eligible
        seen = {}
        for kind in ("instant_discount", "instant_off", "store_coupon", "coins"):
            seen[kind] = base
            base = stage(
                base, [(c, v) for c, v in cs if c.store == s.number and c.kind == kind], f"s{s.number}{kind}"
            )
        before[s.number] = seen
        after_d[s.number] = base
    after_e: dict[int, Any] = dict(after_d)
    for tier, group in model.tiers.items():
        select = [(c, v) for c, v in cs if c.kind == "select_coupon" and c.min_spend == tier]
        if not select:
            continue
        subtotal = m.NewIntVar(0, big, f"g{tier}")
        m.Add(subtotal == sum(after_d[t.number] for t in group))
        face = sum(c.value * v for c, v in select)
        m.Add(face <= min(t.allowance for t in group))
        for _, v in select:
            m.Add(subtotal >= tier).OnlyEnforceIf(v)
        discount = m.NewIntVar(0, big, f"d{tier}")
        m.AddMinEquality(discount, [face, subtotal])
        for t in group:
            rest = m.NewIntVar(0, big, f"r{t.number}")
            earlier = sum(after_d[w.number] for w in group if w.number < t.number)
            m.AddMaxEquality(rest, [0, discount - earlier])
            share = m.NewIntVar(0, big, f"sh{t.number}")
            m.AddMinEquality(share, [after_d[t.number], rest])
            e = m.NewIntVar(0, big, f"e{t.number}")
            m.Add(e == after_d[t.number] - share)
            after_e[t.number] = e
    after_f = []
    for s in model.stores:
        before[s.number]["store_code"] = after_e[s.number]
        codes = [(c, v) for c, v in cs if c.store == s.number and c.kind == "store_code"]
        after_f.append(stage(after_e[s.number], codes, f"code{s.number}"))
    total_f = m.NewIntVar(0, big, "tf")
    m.Add(total_f == sum(after_f))
    platform_f = [(c, v) for c, v in cs if c.store is None and c.kind in ("aliexpress_coupon", "promo_code")]
    after_fp = stage(total_f, platform_f, "pf")
    after_g = stage(after_fp, [(c, v) for c, v in cs if c.store is None and c.kind == "instant_off"], "pg")

    def exceeds(subtotal: Any, minimum: int, v: Any) -> None:
        """A used coupon's minimum is exceeded by the subtotal (a constant or a variable)."""
        if isinstance(subtotal, int):
            if subtotal <= minimum:
                m.Add(v == 0)
        else:
            m.Add(subtotal >= minimum + 1).OnlyEnforceIf(v)

    for c, v in cs:
        if c.min_spend is None or c.kind == "select_coupon":
            continue
        if c.store is not None:
            if c.store in before:
                exceeds(before[c.store][c.kind], c.min_spend, v)
        elif c.kind == "instant_off":
            exceeds(after_fp, c.min_spend, v)
        else:
            exceeds(total_f, c.min_spend, v)
    ae = sum(v for c, v in cs if c.kind == "aliexpress_coupon")
    m.Add(ae <= 1)
    m.Add(sum(v for c, v in cs if c.kind == "promo_code") <= 1)
    for s in model.stores:
        mine = [(c, v) for c, v in cs if c.store == s.number]
        m.Add(ae + sum(v for c, v in mine if c.kind in ("store_coupon", "store_code")) <= 1)
        m.Add(sum(v for c, v in mine if c.kind == "instant_discount") <= 1)
        for c, v in mine:
            if c.kind == "instant_discount" and c.min_items is not None and s.items < c.min_items:
                m.Add(v == 0)
    for c, v in cs:
        if not c.combinable:
            m.Add(sum(u) <= 1).OnlyEnforceIf(v)
    cash = after_g + sum(s.goods - s.eligible + s.shipping for s in model.stores)
    objectives = [cash, sum(u), sum(c.value * v for c, v in cs)]
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = timeout_s
    found: list[int] = []
    for k, objective in enumerate(objectives):
        m.Minimize(objective)
        status = solver.Solve(m)
        if status != cp_model.OPTIMAL:
            return solver.StatusName(status), None
        found.append(int(solver.Value(objective)))
        m.Add(objective == found[k])
        m.ClearHints()
        for v in u:
            m.AddHint(v, solver.Value(v))
    return "OPTIMAL", (found[0], found[1], found[2])


# ---- smallprint -----------------------------------------------------------------------------


class Phases:
    """Time spent in each part of `Optimizer.optimize` (wrapping its methods, bench only)."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    def wrap(self, owner: Any, name: str, key: str) -> Any:
        original = getattr(owner, name)
        times = self.times

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                times[key] = times.get(key, 0.0) + time.perf_counter() - start

        return mock.patch.object(owner, name, timed)


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def fmt_ms(values: Sequence[float]) -> str:
    if not values:
        return "      -          -"
    return f"{pct(values, 0.5) * 1000:7.0f} {pct(values, 0.95) * 1000:7.0f}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 10, 20, 40, 80])
    parser.add_argument("--instances", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per optimisation")
    parser.add_argument("--reasons-up-to", type=int, default=40, help="largest size timed with reasons")
    parser.add_argument("--exhaustive-up-to", type=int, default=16)
    opts = parser.parse_args(argv)

    from smallprint.checker import optimize as opt
    from smallprint.checker import plan_terms
    from smallprint.checker.arguments import collect, fill_choices
    from smallprint.model import planning
    from smallprint.model.loader import load_policy

    try:
        import ortools  # noqa: F401

        have_cpsat = True
    except ImportError:
        have_cpsat = False
        print(
            "OR-tools is not installed (pip install ortools): the CP-SAT column is skipped", file=sys.stderr
        )

    program = load_policy(POLICY).program
    plan = program.plans[PLAN]
    optimizer = opt.Optimizer(program)

    print(f"plan {PLAN} of {POLICY.relative_to(ROOT)}; {opts.instances} instances per size, seed {opts.seed}")
    print("times in ms: p50 p95; one-shot = the plan evaluated on each checkout (the CLI);")
    print("prepared = compiled once per size (`Optimizer.prepare`, time in s) and instantiated per checkout")
    header = (
        f"{'C':>3} {'stores':>6} | {'one-shot':>15} {'compile':>15} {'solver':>15} {'replay':>15} "
        f"{'+reasons':>15} | {'prepare s':>9} {'prepared':>15} {'instantiate':>15} {'solver':>15} | "
        f"{'CP-SAT':>15} {'one-shot/CP':>11} {'prepared/CP p50 p95':>19} | {'exhaustive':>15} | "
        f"{'greedy misses':>13} {'gap p50':>8} {'gap max':>8} | timeouts"
    )
    print(header)
    # Warm up (imports, first solver calls) on an instance outside the measured ones.
    warm = instance(random.Random(-1), 8)
    warm_args = collect(program, plan.params, fill_choices(program, plan, warm), ()).values
    optimizer.optimize(
        PLAN, [warm_args[p.name] for p in plan.params], explain_unused=False, report_each=False
    )
    if have_cpsat:
        cpsat_solve(Checkout.of(warm), opts.timeout)
    timeout_ms = int(opts.timeout * 1000)
    for size in opts.sizes:
        rng = random.Random(opts.seed * 1000 + size)
        datas = [instance(rng, size) for _ in range(opts.instances)]
        inputs = []
        for data in datas:
            args = collect(program, plan.params, fill_choices(program, plan, data), ()).values
            inputs.append([args[p.name] for p in plan.params])
        largest: dict[str, int] = {}
        for values in inputs:
            for path, n in plan_terms.list_sizes(program, plan, values).items():
                largest[path] = max(largest.get(path, 0), n)
        prepared = opt.Optimizer(program)
        prepare_s = prepared.prepare(PLAN, largest)
        one: dict[str, list[float]] = {"total": [], "compile": [], "optimum": [], "replay": []}
        pre: dict[str, list[float]] = {"total": [], "compile": [], "optimum": []}
        reasons: list[float] = []
        cpsat: list[float] = []
        ratios: list[float] = []
        ratios_pre: list[float] = []
        exhaustive: list[float] = []
        misses = 0
        gaps: list[float] = []
        timeouts = [0, 0]
        # Each way of answering runs over all the checkouts in a phase of its own, as a
        # process doing only that would: run in turn on each checkout, the prepared
        # path paid for the one-shot path's garbage and Z3 terms (collections landing in
        # its runs), p50 at 40 coupons 44-48 ms interleaved against 31-35 alone.
        answers: list[list[Any]] = [[], []]
        for which, (o, times) in enumerate(((optimizer, one), (prepared, pre))):
            gc.collect()  # the phase before it leaves no garbage to this one
            for values in inputs:
                phases = Phases()
                with (
                    phases.wrap(opt, "partial_terms", "compile"),
                    phases.wrap(plan_terms.Prepared, "terms", "compile"),
                    phases.wrap(opt._Search, "optimum", "optimum"),
                    phases.wrap(planning, "evaluate", "replay"),
                ):
                    start = time.perf_counter()
                    result = o.optimize(
                        PLAN, values, timeout_ms=timeout_ms, explain_unused=False, report_each=False
                    )
                    elapsed = time.perf_counter() - start
                times["total"].append(elapsed)
                for key in times:
                    if key != "total":
                        times[key].append(phases.times.get(key, 0.0))
                if result.status != "optimal":
                    timeouts[which] += 1
                answers[which].append(result)
        cpsat_runs: list[tuple[float, tuple[str, tuple[int, int, int] | None]]] = []
        gc.collect()
        for data in datas:
            model = Checkout.of(data)
            if have_cpsat:
                start = time.perf_counter()
                found_cp = cpsat_solve(model, opts.timeout)
                cpsat_runs.append((time.perf_counter() - start, found_cp))
        for i, (data, values) in enumerate(zip(datas, inputs, strict=True)):
            results = [answers[0][i], answers[1][i]]
            optimal = [r for r in results if r.status == "optimal"]
            if not optimal:
                continue
            best = tuple(int(o.value) for o in optimal[0].objectives)
            if any(tuple(int(o.value) for o in r.objectives) != best for r in optimal):
                raise SystemExit(f"one-shot and prepared optima differ on {data}")
            model = Checkout.of(data)
            used = [c.value is True for c in optimal[0].chosen]
            ok, cash = model.evaluate(used)
            if not ok or cash != best[0]:
                raise SystemExit(
                    f"the Python restatement disagrees with the spec on {data}: {ok}, {cash}, {best}"
                )
            if size <= opts.reasons_up_to:
                start = time.perf_counter()
                optimizer.optimize(PLAN, values, timeout_ms=timeout_ms * 10, explain_unused=True)
                reasons.append(time.perf_counter() - start)
            if size <= opts.exhaustive_up_to:
                start = time.perf_counter()
                outcome = planning.exhaustive(program, plan, values, limit=1 << opts.exhaustive_up_to)
                exhaustive.append(time.perf_counter() - start)
                assert outcome is not None
                if tuple(int(v) for v in outcome.objectives) != best:
                    raise SystemExit(f"exhaustive search disagrees: {outcome.objectives} != {best} on {data}")
            g = greedy(model)
            if g != best[0]:
                misses += 1
                gaps.append((g - best[0]) / max(best[0], 1) * 100)
            if have_cpsat:
                took, (status, found) = cpsat_runs[i]
                cpsat.append(took)
                ratios.append(one["total"][i] / took)
                ratios_pre.append(pre["total"][i] / took)
                if found != best:
                    raise SystemExit(f"CP-SAT ({status}) found {found}, smallprint {best} on {data}")
        stores = max(1, size // 4)
        miss = f"{misses}/{opts.instances} ({misses / opts.instances:.0%})"
        gap50 = f"{statistics.median(gaps):.1f}%" if gaps else "-"
        gapmax = f"{max(gaps):.1f}%" if gaps else "-"
        ratio = f"{pct(ratios, 0.5):11.2f}" if ratios else f"{'-':>11}"
        ratio_pre = f"{pct(ratios_pre, 0.5):9.2f} {pct(ratios_pre, 0.95):9.2f}" if ratios_pre else "-"
        print(
            f"{size:>3} {stores:>6} | {fmt_ms(one['total'])} {fmt_ms(one['compile'])} "
            f"{fmt_ms(one['optimum'])} "
            f"{fmt_ms(one['replay'])} {fmt_ms(reasons)} | {prepare_s:9.2f} {fmt_ms(pre['total'])} "
            f"{fmt_ms(pre['compile'])} {fmt_ms(pre['optimum'])} | {fmt_ms(cpsat)} {ratio} {ratio_pre} | "
            f"{fmt_ms(exhaustive)} | {miss:>13} {gap50:>8} {gapmax:>8} | {timeouts[0]}/{timeouts[1]}",
            flush=True,
        )
    print("ratios = smallprint time / CP-SAT time on the same instance (below 1: smallprint is faster)")


if __name__ == "__main__":
    main()
