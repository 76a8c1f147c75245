"""A plan's terms as a Python function, and a local search for a first plan.

Proving a plan optimal takes one unsat answer per objective; finding the
optimum is where Z3's optimiser spends most of its time, and its time varies a
lot from checkout to checkout. On the terms of one checkout (the inputs
substituted, only the chosen fields free) the plan is a small DAG over a few
dozen Booleans, so it is compiled here to straight-line Python (one assignment
per node) that evaluates an assignment in microseconds, and a local search
(steepest descent over single flips, then over one-in-one-out swaps) finds a
very good plan, usually the optimum, before the solver is asked anything.

Nothing here is trusted: Z3 evaluates the plan's terms on the plan found (its
requires must hold), its model (and objective values) is the incumbent, and
optimality is proved exactly as it would be from any other plan. A term with an
operator this module does not know raises `Unsupported`, and the optimiser
falls back to Z3's optimiser for its first plan.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction

import z3

from .dag import Dag, key, snapshot

Number = int | Fraction
Evaluate = Callable[[Sequence[bool]], tuple[bool | Number, ...]]


class Unsupported(Exception):
    """A term this evaluator does not compile."""


# How tightly Python binds each form written here (higher: tighter). A child is put in
# parentheses only where its reader needs them: Python's parser takes a quarter longer
# on a checkout's function written with a pair around every node.
_TERNARY, _OR, _AND, _NOT, _RELATION, _SUM, _PRODUCT, _UNARY, _ATOM = range(1, 10)
Source = tuple[str, int]  # an expression's text, and how tightly it binds
_COMPARE = {
    z3.Z3_OP_LE: "<=",
    z3.Z3_OP_LT: "<",
    z3.Z3_OP_GE: ">=",
    z3.Z3_OP_GT: ">",
    z3.Z3_OP_EQ: "==",
    z3.Z3_OP_IFF: "==",
    z3.Z3_OP_XOR: "!=",
    z3.Z3_OP_DISTINCT: "!=",
}
# Operators written between n arguments: (text, the form's binding, the first
# argument's least binding, the others' least). `+` and `*` are exact here (int,
# Fraction), so a sum inside a sum needs no parentheses at the left; after a `-`
# it does. `and`/`or` are associative.
_INFIX: dict[int, tuple[str, int, int, int]] = {
    z3.Z3_OP_ADD: ("+", _SUM, _SUM, _PRODUCT),
    z3.Z3_OP_SUB: ("-", _SUM, _SUM, _PRODUCT),
    z3.Z3_OP_MUL: ("*", _PRODUCT, _PRODUCT, _UNARY),
    z3.Z3_OP_AND: ("and", _AND, _AND, _AND),
    z3.Z3_OP_OR: ("or", _OR, _OR, _OR),
}


def _div(a: int, b: int) -> int:
    """Z3's integer division: the remainder is never negative."""
    return a // b if b > 0 else -(a // -b)


def _mod(a: int, b: int) -> int:
    return a - b * _div(a, b)


_MAX_NESTING = 40  # expressions inlined into one another (the parser allows 200 parentheses)


def compile_terms(
    roots: Sequence[z3.ExprRef],
    variables: Sequence[z3.ExprRef],
    twins: Sequence[z3.ExprRef | None] = (),
    dag: Dag | None = None,
) -> Evaluate:
    """A function from values of the Boolean `variables` to the values of `roots`; each
    of `twins` (if given: one per variable, or None) is 1 when its variable holds, else 0.
    `dag`: a snapshot (`checker/dag.py`) that includes the roots, if already taken."""
    if not roots:
        return lambda _: ()
    if dag is None:
        dag = snapshot(roots)
    names: dict[int, Source] = {}
    for i, v in enumerate(variables):
        if not z3.is_bool(v):
            raise Unsupported(f"a chosen value that is not a Bool: {v}")
        names[key(v)] = (f"a[{i}]", _ATOM)
    for i, k in enumerate(twins):
        if k is not None:
            names[key(k)] = (f"(1 if a[{i}] else 0)", _ATOM)
    wanted = [key(r) for r in roots]
    needed = _reachable(dag, wanted, names)
    # A node read once is written inside its reader's expression instead of getting a
    # line of its own: less source to compile and fewer names to store and load. The
    # nesting is kept well under the parser's limit on nested parentheses.
    uses: dict[int, int] = dict.fromkeys(wanted, 1)
    for node in needed:
        if node not in names:
            for k in dag.kids.get(node, ()):
                uses[k] = uses.get(k, 0) + 1
    depth: dict[int, int] = {}
    lines: list[str] = []
    constants: dict[str, object] = {"floor": math.floor, "div": _div, "mod": _mod, "Fraction": Fraction}
    for node in dag.order:
        if node in names or node not in needed:
            continue
        number = dag.numbers.get(node)
        if number is not None:
            value, whole = number
            if whole:
                names[node] = (str(value.numerator), _ATOM if value >= 0 else _UNARY)
            else:
                name = f"c{len(constants)}"
                names[node] = (name, _ATOM)
                constants[name] = value
            continue
        if node in dag.opaque:
            raise Unsupported("a quantifier or bound variable")
        kids = dag.kids.get(node, ())
        expression = _expression(dag.ops[node], [names[i] for i in kids])
        nesting = 1 + max((depth.get(i, 0) for i in kids), default=0)
        if uses.get(node, 0) == 1 and nesting < _MAX_NESTING:
            names[node], depth[node] = expression, nesting
        else:
            names[node] = (f"v{len(lines)}", _ATOM)
            lines.append(f"    v{len(lines)} = {expression[0]}")
    outputs = ", ".join(names[r][0] for r in wanted)
    source = "def evaluate(a):\n" + "\n".join(lines) + f"\n    return ({outputs},)\n"
    code = compile(source, "<plan terms>", "exec")
    exec(code, constants)  # straight-line code built above from the terms' own structure
    evaluate = constants["evaluate"]
    assert callable(evaluate)
    return evaluate


def _reachable(dag: Dag, roots: Sequence[int], stop: Mapping[int, object]) -> set[int]:
    """The nodes under `roots`, not looking below those in `stop`."""
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if node not in stop:
            stack.extend(dag.kids.get(node, ()))
    return seen


def _expression(op: int, args: Sequence[Source]) -> Source:
    def at_least(arg: Source, binding: int) -> str:
        text, own = arg
        return text if own >= binding else f"({text})"

    if op == z3.Z3_OP_TRUE:
        return "True", _ATOM
    if op == z3.Z3_OP_FALSE:
        return "False", _ATOM
    if op in _INFIX and args:
        text, binding, first, rest = _INFIX[op]
        parts = [at_least(args[0], first), *(at_least(x, rest) for x in args[1:])]
        return f" {text} ".join(parts), binding if len(args) > 1 else args[0][1]
    if op in _COMPARE and len(args) == 2:  # both sides bind tighter: no chained comparison
        return f"{at_least(args[0], _SUM)} {_COMPARE[op]} {at_least(args[1], _SUM)}", _RELATION
    if op == z3.Z3_OP_NOT:
        return f"not {at_least(args[0], _NOT)}", _NOT
    if op == z3.Z3_OP_UMINUS:
        return f"-{at_least(args[0], _UNARY)}", _UNARY
    if op == z3.Z3_OP_ITE:
        then, cond, other = at_least(args[1], _OR), at_least(args[0], _OR), at_least(args[2], _TERNARY)
        return f"{then} if {cond} else {other}", _TERNARY
    if op == z3.Z3_OP_IMPLIES:
        return f"not {at_least(args[0], _NOT)} or {at_least(args[1], _OR)}", _OR
    if op == z3.Z3_OP_TO_INT:
        return f"floor({args[0][0]})", _ATOM
    if op == z3.Z3_OP_TO_REAL:
        return args[0]
    if op == z3.Z3_OP_DIV:
        return f"Fraction({args[0][0]}) / {at_least(args[1], _UNARY)}", _PRODUCT  # exact, never a float
    if op == z3.Z3_OP_IDIV:
        return f"div({args[0][0]}, {args[1][0]})", _ATOM
    if op == z3.Z3_OP_MOD:
        return f"mod({args[0][0]}, {args[1][0]})", _ATOM
    raise Unsupported(f"operator {op}")


def local_search(
    evaluate: Evaluate,
    start: Sequence[bool],
    *,
    conditions: int,
    senses: Sequence[int],
    pinned: Mapping[int, bool],
    deadline: float,
) -> tuple[list[bool], tuple[Number, ...]] | None:
    """From `start` (which must meet every condition), the best assignment reachable by
    a greedy pass, then improving single flips, then one-in-one-out swaps, never
    touching `pinned` choices (from two greedy plans when the first is a lone pick).
    The first `conditions` values of `evaluate` must all be true; the rest are the
    objectives, compared lexicographically after multiplying by `senses` (1 to
    minimise, -1 to maximise). None when `start` fails a condition."""
    greedy = greedy_search(evaluate, start, conditions=conditions, senses=senses, pinned=pinned)
    return None if greedy is None else greedy.descend(deadline)


class Greedy:
    """The plans of a greedy pass (`greedy_search`), from which a descent improves."""

    def __init__(
        self,
        score: Score,
        senses: Sequence[int],
        free: Sequence[int],
        starts: Sequence[tuple[list[bool], tuple[Number, ...]]],
    ) -> None:
        self._score, self._senses, self._free, self._starts = score, senses, free, starts

    def best(self) -> list[bool]:
        """The greedy pass's best plan."""
        return min(self._starts, key=lambda f: f[1])[0]

    def descend(self, deadline: float) -> tuple[list[bool], tuple[Number, ...]]:
        """The best plan a descent reaches from each greedy plan, and its objectives.
        Pure Python: it may run while another thread waits on Z3."""
        plan, value = self._descended(deadline)
        return plan, self._objectives(value)

    def improved(self, deadline: float) -> list[bool] | None:
        """The descent's plan when it is better than every greedy plan, else None."""
        plan, value = self._descended(deadline)
        return plan if value < min(v for _, v in self._starts) else None

    def _descended(self, deadline: float) -> tuple[list[bool], tuple[Number, ...]]:
        found = [_descend(self._score, plan, value, self._free, deadline) for plan, value in self._starts]
        return min(found, key=lambda f: f[1])

    def _objectives(self, value: tuple[Number, ...]) -> tuple[Number, ...]:
        return tuple(s * v for s, v in zip(self._senses, value, strict=True))


def greedy_search(
    evaluate: Evaluate,
    start: Sequence[bool],
    *,
    conditions: int,
    senses: Sequence[int],
    pinned: Mapping[int, bool],
) -> Greedy | None:
    """The greedy part of `local_search` (same arguments but the deadline): its
    plans, from which `Greedy.descend` goes on. None when `start` fails a condition."""

    def score(a: Sequence[bool]) -> tuple[Number, ...] | None:
        try:
            values = evaluate(a)
        except ArithmeticError:  # a division by zero the solver would leave unconstrained
            return None
        if not all(values[:conditions]):
            return None
        out: list[Number] = []
        for s, v in zip(senses, values[conditions:], strict=True):
            assert not isinstance(v, bool)
            out.append(s * v)
        return tuple(out)

    best = score(start)
    if best is None:
        return None
    free = [i for i in range(len(start)) if i not in pinned]
    gains = _gains(score, start, best, free)
    attempt = _greedy(score, start, best, gains, set())
    starts = [(attempt[0], attempt[1])]
    # A choice that is best alone can shut out every other (a coupon that combines
    # with none, worth more than any other one alone): when the greedy pass could take
    # only its first pick though others improved alone, it is run again without that
    # pick (and the next such, ...), and the descent starts from both plans.
    banned: set[int] = set()
    while len(attempt[2]) == 1 and len(gains) > len(banned) + 1:
        banned.add(attempt[2][0])
        attempt = _greedy(score, start, best, gains, banned)
        if len(attempt[2]) > 1:
            starts.append((attempt[0], attempt[1]))
    return Greedy(score, senses, free, starts)


Score = Callable[[Sequence[bool]], "tuple[Number, ...] | None"]
Gains = list[tuple[tuple[Number, ...], int]]


def _gains(score: Score, start: Sequence[bool], best: tuple[Number, ...], free: Sequence[int]) -> Gains:
    """Every single flip of `start` that improves on it, best first."""
    gains: Gains = []
    for i in free:
        trial = list(start)
        trial[i] = not trial[i]
        s = score(trial)
        if s is not None and s < best:
            gains.append((s, i))
    return sorted(gains)


def _greedy(
    score: Score, start: Sequence[bool], best: tuple[Number, ...], gains: Gains, banned: set[int]
) -> tuple[list[bool], tuple[Number, ...], list[int]]:
    """The flips of `gains` (but the `banned`), tried best first and each kept while it
    still improves: the plan, its score, the flips kept."""
    current = list(start)
    kept: list[int] = []
    for _, i in gains:
        if i in banned:
            continue
        trial = current.copy()
        trial[i] = not trial[i]
        s = score(trial)
        if s is not None and s < best:
            best, current = s, trial
            kept.append(i)
    return current, best, kept


def _descend(
    score: Score, current: list[bool], best: tuple[Number, ...], free: Sequence[int], deadline: float
) -> tuple[list[bool], tuple[Number, ...]]:
    """Steepest descent over single flips of the `free` choices, then over one-in-one-out
    swaps, until neither improves (or the deadline)."""
    while time.perf_counter() < deadline:
        found: tuple[tuple[Number, ...], list[bool]] | None = None
        for i in free:
            trial = current.copy()
            trial[i] = not trial[i]
            s = score(trial)
            if s is not None and s < best and (found is None or s < found[0]):
                found = (s, trial)
        if found is None:
            on = [i for i in free if current[i]]
            off = [i for i in free if not current[i]]
            for i in on:
                for j in off:
                    trial = current.copy()
                    trial[i], trial[j] = False, True
                    s = score(trial)
                    if s is not None and s < best and (found is None or s < found[0]):
                        found = (s, trial)
        if found is None:
            break
        best, current = found
    return current, best
