"""Recursion among a policy's definitions, reported one cycle at a time.

A policy is a finite set of definitions: no function or constant may depend on
itself, however indirectly. Each strongly connected part of the call graph is
reported once, as a cycle named from its first-declared member (`a -> b -> a`)
with the caret on the call that closes it. A cycle that passes through a
negation (`not`, `unless`, `overrides`) is named as such: it is the
unstratified negation of logic programs, with no single meaning even where
recursion could be given one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from smallprint.grammar.span import Diagnostic, Label, Span
from smallprint.model import core

HINT = "a policy is a finite set of definitions; write the bounded case out, or use an aggregate over a list"
NEGATION_HINT = (
    "negation must be stratified: a rule may not hold `unless` (or `not`) something that depends on "
    "the rule itself; decide one of them from the inputs alone"
)


@dataclass(frozen=True)
class Edge:
    """The first use of `callee` in `caller` (a call or a constant), and whether some use is
    under a negation (`word`: `not`, `unless` or `overrides`; "" for none)."""

    span: Span
    word: str = ""
    negated_span: Span | None = None


Graph = dict[str, dict[str, Edge]]


def call_graph(
    functions: dict[str, core.Function],
    consts: dict[str, core.ConstDef],
    calls: dict[str, set[str]],
    span_of: Callable[[str], Span],
) -> Graph:
    """caller -> callee -> `Edge`, over functions and constants. A rule depends on the rules
    that override it (it holds only where none of them does: a negative use); `calls`:
    the callees the type checker recorded, for any use not found in the bodies."""
    graph: Graph = {name: {} for name in [*functions, *consts]}

    def add(caller: str, callee: str, span: Span, word: str) -> None:
        old = graph[caller].get(callee)
        if old is None:
            graph[caller][callee] = Edge(span, word, span if word else None)
        elif word and not old.word:
            graph[caller][callee] = Edge(old.span, word, span)

    def walk(caller: str, e: core.CExpr, word: str) -> None:
        if isinstance(e, core.Call | core.ConstRef):
            name = e.func if isinstance(e, core.Call) else e.name
            if name in graph:
                add(caller, name, e.span, word)
        inner = "not" if isinstance(e, core.Op) and e.op == "not" and not word else word
        for child in core.children(e):
            walk(caller, child, inner)

    def clause(caller: str, c: core.Clause, word: str) -> None:
        for top in core.clause_exprs(c):
            walk(caller, top, word)

    for name, c in consts.items():
        walk(name, c.value, "")
    for name, f in functions.items():
        if isinstance(f, core.RuleDef):
            for w in f.whens:
                clause(name, w, "")
            for u in f.unlesses:
                clause(name, u.clause, "unless")
                for x in u.excepts:
                    clause(name, x, "unless")
        else:
            for top in core.function_exprs(f):
                walk(name, top, "")
    for name, f in functions.items():
        if isinstance(f, core.RuleDef):
            for other in f.overridden_by:
                if other in graph:
                    add(name, other, span_of(other), "overrides")
    for caller, names in calls.items():
        for callee in names:
            if caller in graph and callee in graph and callee not in graph[caller]:
                add(caller, callee, span_of(caller), "")
    return graph


def cycle_errors(graph: Graph, declared: Callable[[str], Span]) -> list[Diagnostic]:
    """One error per strongly connected part of `graph` that holds a cycle."""
    errors: list[Diagnostic] = []

    def position(name: str) -> tuple[str, int, int]:
        s = declared(name)
        return (s.file, s.line, s.column)

    for part in _components(graph, sorted(graph, key=position)):
        members = set(part)
        negative = [(u, v) for u in part for v, e in graph[u].items() if v in members and e.word]
        if negative:
            u, v = min(negative, key=lambda uv: position(uv[0]))
            cycle = [u, *_path(graph, v, u, members)[:-1]] if u != v else [u]
        else:
            start = min(part, key=position)
            if len(part) == 1 and start not in graph[start]:
                continue
            cycle = _path(graph, start, start, members, first_step=True)[:-1]
        first = min(range(len(cycle)), key=lambda i: position(cycle[i]))
        cycle = cycle[first:] + cycle[:first]
        steps = list(zip(cycle, [*cycle[1:], cycle[0]], strict=True))
        closing = graph[steps[-1][0]][steps[-1][1]]
        chain = " -> ".join([*cycle, cycle[0]])
        negated = [(a, b, graph[a][b]) for a, b in steps if graph[a][b].word]
        if negated:
            where = closing.negated_span or closing.span
            labels = tuple(
                Label(e.negated_span, f"`{a}` depends on `{b}` through `{e.word}` here")
                for a, b, e in negated
                if e.negated_span is not None and e.negated_span != where
            )
            a, b, e = negated[0]
            message = (
                f"recursion through negation is not allowed: {chain} (`{a}` uses `{b}` under `{e.word}`)"
            )
            errors.append(Diagnostic(message, where, NEGATION_HINT, labels, code="recursion"))
        else:
            message = f"recursion is not allowed: {chain}"
            errors.append(Diagnostic(message, closing.span, HINT, code="recursion"))
    return errors


def _path(graph: Graph, start: str, goal: str, members: set[str], first_step: bool = False) -> list[str]:
    """A shortest path start ... goal inside `members` (at least one step if `first_step`),
    callees tried in name order, as the list of its nodes."""
    frontier = [start]
    parent: dict[str, str] = {}
    seen = set() if first_step else {start}
    if not first_step and start == goal:
        return [start]
    while frontier:
        nxt: list[str] = []
        for node in frontier:
            for callee in sorted(graph[node]):
                if callee not in members or callee in seen:
                    continue
                seen.add(callee)
                parent[callee] = node
                if callee == goal:
                    path = [goal]
                    while path[-1] != start or len(path) == 1:
                        path.append(parent[path[-1]])
                    return list(reversed(path))
                nxt.append(callee)
        frontier = nxt
    raise AssertionError("no path inside a strongly connected part")  # pragma: no cover


def _components(graph: Graph, nodes: Iterable[str]) -> list[list[str]]:
    """Strongly connected parts (Tarjan, without Python recursion), each in `nodes` order."""
    rank = {n: i for i, n in enumerate(nodes)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    for root in rank:
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(graph[root], key=lambda n: rank.get(n, -1)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, todo = work[-1]
            if todo:
                callee = todo.pop(0)
                if callee not in graph:
                    continue
                if callee not in index:
                    index[callee] = low[callee] = len(index)
                    stack.append(callee)
                    on_stack.add(callee)
                    work.append((callee, sorted(graph[callee], key=lambda n: rank.get(n, -1))))
                elif callee in on_stack:
                    low[node] = min(low[node], index[callee])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                part: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.append(member)
                    if member == node:
                        break
                out.append(sorted(part, key=lambda n: rank[n]))
    return out
