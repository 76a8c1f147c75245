"""Where a false condition is false: the part of it that decides, for a reader.

A property's counterexample, or a plan's require that shuts a coupon out, is a
condition that evaluates to false on concrete inputs. `failing_part` walks down
from it, by the reference semantics, to the innermost part that makes it false:

* the first false operand of an `and` (the operands after it are not read);
* the consequent of an `implies` (its premise holds, or it would be true);
* the branch an `if` takes, the body of a `let`, the body of `x is some(v)` on a
  present `x` (binding `v`);
* the body of `forall x in xs` on the first element it fails for (binding `x`);
* the body of a Bool definition called with the values of its arguments;
* under a `not`, the part that makes its operand true, by the same steps turned
  round: the first true operand of an `or`, the body of `exists x in xs` on the
  first element it holds for, the false premise of a true `implies`.

It stops at anything else (a comparison, a rule, a quantifier over a type), which
is traced as a clause's condition is (`model/tracing.py`: the values compared, or
the rule explained); at a false `or` (a true `and`), each operand is followed down
as an alternative of its own. It says which names were bound on the way, which
definitions it went through, and which names of the starting scope (the inputs)
the part reads, directly or through those bindings and calls. When the part is a
comparison, a side of it that is a `count` or a `sum` over a list (written so or as
the body of the definitions it calls) says which elements it counts or adds, named
by their place in the inputs as the elements bound on the way are (`tallies`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from smallprint.model import core
from smallprint.model.core import Value
from smallprint.model.explain import Bound, CondTrace, FailingPart, Tally, Term
from smallprint.model.interp import RELATIONS, Interpreter
from smallprint.model.runtime import as_bool, as_tuple
from smallprint.model.tracing import trace_condition
from smallprint.model.types import BOOL, INT, ListT, OptT

Origins = dict[str, frozenset[str]]  # a name in scope -> the starting names it comes from
Paths = dict[str, str]  # a name in scope -> where its value sits in the starting names


@dataclass(frozen=True)
class _Step:
    part: core.CExpr
    scope: dict[str, Value]
    origins: Origins
    paths: Paths
    bound: Bound | None = None
    entered: str | None = None  # a definition whose body the part is in
    value: bool = False  # the part's truth, which it decides


def failing_part(
    interp: Interpreter, cond: core.CExpr, env: Mapping[str, Value], *, bound_read_only: bool = False
) -> FailingPart:
    """The innermost part of `cond`, false in `env`, that makes it false. With
    `bound_read_only`, of the names bound on the way only those the part reads (a
    record invariant binds every field of the record)."""
    origins: Origins = {name: frozenset((name,)) for name in env}
    paths: Paths = {name: name for name in env}
    return _descend(interp, cond, dict(env), origins, paths, bound_read_only)


def _descend(
    interp: Interpreter,
    cond: core.CExpr,
    scope: dict[str, Value],
    origins: Origins,
    paths: Paths,
    bound_read_only: bool,
    value: bool = False,
) -> FailingPart:
    """The part of `cond` (of truth `value` in `scope`) that decides that value."""
    bound: list[Bound] = []
    through: list[str] = []
    while (step := _deciding_part(interp, cond, value, scope, origins, paths)) is not None:
        cond, scope, origins, paths, value = step.part, step.scope, step.origins, step.paths, step.value
        if step.bound is not None:
            bound.append(step.bound)
        if step.entered is not None:
            through.append(step.entered)
    calls = dict.fromkeys(x.func for x in core.walk(cond) if isinstance(x, core.Call))
    if bound_read_only:
        read = {x.name for x in core.walk(cond) if isinstance(x, core.Var)}
        bound = [b for b in bound if b.name in read]
    # A false `or` (a true `and`) has no one part that decides it: each of its operands
    # is false (true), and each is followed down on its own from the names in scope here.
    alternatives: tuple[FailingPart, ...] = ()
    joined = "or" if value is False else "and"
    if isinstance(cond, core.Op) and cond.op == joined:
        operands = _operands(joined, cond)
        alternatives = tuple(
            _descend(interp, a, scope, origins, paths, bound_read_only, value) for a in operands
        )
    return FailingPart(
        _traced(interp, cond, scope, paths),
        tuple(bound),
        tuple(sorted(_origins_of(cond, origins))),
        tuple(calls),
        tuple(through),
        alternatives,
    )


def _traced(interp: Interpreter, cond: core.CExpr, scope: dict[str, Value], paths: Paths) -> CondTrace:
    """The part traced, with the elements its counted and summed sides count and add;
    a comparison of an `if` (`(if k == a then x else y) > m`) is traced as the
    comparison of the branch it took (`y > m`)."""
    if isinstance(cond, core.Op) and cond.op in RELATIONS and len(cond.args) == 2:
        taken = tuple(_taken(interp, a, scope) for a in cond.args)
        found = tallies(interp, taken, scope, paths)
        if any(t is not a for t, a in zip(taken, cond.args, strict=True)):
            trace = trace_condition(interp, replace(cond, args=taken), scope)
            return replace(trace, by_operands=True, tallies=found)
        return replace(trace_condition(interp, cond, scope), tallies=found)
    return trace_condition(interp, cond, scope)


# How many definitions a tally follows into: enough for any spec written by hand, and
# a bound on a definition that is recursive with a bound of its own.
_CALL_DEPTH = 8


def tallies(
    interp: Interpreter, sides: tuple[core.CExpr, ...], scope: Mapping[str, Value], paths: Mapping[str, str]
) -> tuple[Tally, ...]:
    """The sides of a comparison that are counts or sums over lists, each with the
    elements it counts or adds, named by their place in `paths` (the names in `scope`
    that sit somewhere in the inputs)."""
    found: list[Tally] = []
    for side, e in enumerate(sides):
        terms = _terms(interp, e, dict(scope), dict(paths), _CALL_DEPTH)
        if terms is not None:
            op, listed = terms
            found.append(Tally(side, e.span, op, e.ty, interp.eval(e, scope), tuple(listed)))
    return tuple(found)


def _terms(
    interp: Interpreter, e: core.CExpr, scope: dict[str, Value], paths: Paths, calls: int
) -> tuple[str, list[Term]] | None:
    """("count", the elements `e` counts) or ("sum", the elements it adds, with what
    each adds) when `e` is a count or a sum over a list, reached through the bodies of
    the definitions it calls, its `let`s and the branch each `if` takes; else None."""
    while not isinstance(e, core.Agg):
        if isinstance(e, core.Let):
            paths = _rebound(paths, e.var, core.path_of(e.value, paths))
            scope = {**scope, e.var: interp.eval(e.value, scope)}
            e = e.body
        elif isinstance(e, core.If):
            e = _taken(interp, e, scope)
        elif isinstance(e, core.Call) and calls > 0:
            f = interp.program.functions.get(e.func)
            if not isinstance(f, core.DefDef) or f.body is None:
                return None
            scope, paths = _entered(interp, f, e, scope, paths)
            e, calls = f.body, calls - 1
        else:
            return None
    if e.op not in ("count", "sum"):
        return None
    listed = core.path_of(e.source, paths)
    counted: list[Term] = []  # for a count, or a sum whose every term is a count
    added: list[Term] = []
    of_counts = e.op == "sum" and e.ty == INT  # until a term is not a count
    for i, element in enumerate(as_tuple(interp.eval(e.source, scope), e.source.span)):
        inner = {**scope, e.var: element}
        if e.where is not None and interp.eval(e.where, inner) is not True:
            continue
        at = f"{listed}[{i}]" if listed is not None else None
        if e.op == "count" or e.body is None:
            counted.append(Term(i, e.source.span, at))
            continue
        value = interp.eval(e.body, inner)
        if value != 0:
            added.append(Term(i, e.source.span, at, value))
        if of_counts:
            nested = _terms(interp, e.body, inner, _rebound(paths, e.var, at), calls)
            # A sum of counts (`sum(used_at(s, cs) for s in ss)`) counts what they count.
            of_counts = nested is not None and nested[0] == "count"
            counted.extend(nested[1] if nested is not None else ())
    return ("count", counted) if e.op == "count" or of_counts else ("sum", added)


def _taken(interp: Interpreter, e: core.CExpr, scope: dict[str, Value]) -> core.CExpr:
    while isinstance(e, core.If):
        e = e.then if as_bool(interp.eval(e.cond, scope), e.cond.span) else e.orelse
    return e


def _operands(op: str, e: core.CExpr) -> list[core.CExpr]:
    """The operands of nested `op`s, flattened (`a or b or c` is read as one choice)."""
    if isinstance(e, core.Op) and e.op == op:
        return [d for a in e.args for d in _operands(op, a)]
    return [e]


def _deciding_part(
    interp: Interpreter, e: core.CExpr, value: bool, env: dict[str, Value], origins: Origins, paths: Paths
) -> _Step | None:
    """The next part down from `e` (of truth `value` in `env`) that decides that value,
    or None when `e` is the part."""
    step: _Step | None = None
    if isinstance(e, core.Op) and e.op == "not":
        step = _Step(e.args[0], env, origins, paths, value=not value)
    elif isinstance(e, core.Op) and e.op == ("and" if value is False else "or"):
        # the first operand of that truth decides (the operands after it are not read)
        deciding = next((a for a in e.args if interp.eval(a, env) is value), None)
        step = None if deciding is None else _Step(deciding, env, origins, paths, value=value)
    elif isinstance(e, core.Op) and e.op == "implies":
        premise, consequent = e.args
        if value is False or interp.eval(premise, env) is True:
            step = _Step(consequent, env, origins, paths, value=value)
        else:
            step = _Step(premise, env, origins, paths, value=False)
    elif isinstance(e, core.If):
        taken = e.then if as_bool(interp.eval(e.cond, env), e.cond.span) else e.orelse
        step = _Step(taken, env, origins, paths, value=value)
    elif isinstance(e, core.IfSome):
        present = interp.eval(e.opt, env)
        if present is None:
            step = _Step(e.orelse, env, origins, paths, value=value)
        else:
            assert isinstance(e.opt.ty, OptT)
            b = Bound(e.var, e.opt.ty.inner, present)
            step = _bind(e.then, env, origins, paths, b, e.opt, value)
    elif isinstance(e, core.Let):
        b = Bound(e.var, e.value.ty, interp.eval(e.value, env), core.path_of(e.value, paths))
        step = _bind(e.body, env, origins, paths, b, e.value, value)
    elif isinstance(e, core.Agg) and e.op == ("all" if value is False else "any") and e.body is not None:
        # the first element the body has that truth for decides
        assert isinstance(e.source.ty, ListT)
        listed = core.path_of(e.source, paths)
        for i, element in enumerate(as_tuple(interp.eval(e.source, env), e.source.span)):
            scope = {**env, e.var: element}
            if e.where is not None and interp.eval(e.where, scope) is not True:
                continue
            if interp.eval(e.body, scope) is value:
                where = f"{listed}[{i}]" if listed is not None else None
                b = Bound(e.var, e.source.ty.elem, element, where)
                step = _bind(e.body, env, origins, paths, b, e.source, value)
                break
    elif isinstance(e, core.Call):
        f = interp.program.functions.get(e.func)
        if isinstance(f, core.DefDef) and f.body is not None and f.ret == BOOL:
            scope, shown = _entered(interp, f, e, env, paths)
            inner = {p.name: _origins_of(a, origins) for p, a in zip(f.params, e.args, strict=True)}
            step = _Step(f.body, scope, inner, shown, entered=f.name, value=value)
    # A literal says nothing the part above it does not (`x is some(v) and ...` on an
    # absent `x` folds to the literal `false`).
    return None if step is None or isinstance(step.part, core.Lit) else step


def _bind(
    part: core.CExpr,
    env: dict[str, Value],
    origins: Origins,
    paths: Paths,
    b: Bound,
    source: core.CExpr,
    value: bool,
) -> _Step:
    scope = {**env, b.name: b.value}
    origins = {**origins, b.name: _origins_of(source, origins)}
    return _Step(part, scope, origins, _rebound(paths, b.name, b.path), bound=b, value=value)


def _rebound(paths: Paths, name: str, path: str | None) -> Paths:
    """`paths` with `name` bound anew, to a value at `path` (or at no place)."""
    paths = {k: v for k, v in paths.items() if k != name}
    if path is not None:
        paths[name] = path
    return paths


def _entered(
    interp: Interpreter, f: core.DefDef, call: core.Call, env: Mapping[str, Value], paths: Paths
) -> tuple[dict[str, Value], Paths]:
    """The scope of the body of `f` called by `call` in `env`, and where the values of
    its parameters sit in the starting names, for those that sit there."""
    args = [interp.eval(a, env) for a in call.args]
    scope = {p.name: v for p, v in zip(f.params, args, strict=True)}
    shown = {
        p.name: path for p, a in zip(f.params, call.args, strict=True) if (path := core.path_of(a, paths))
    }
    return scope, shown


def _origins_of(e: core.CExpr, origins: Origins) -> frozenset[str]:
    """The starting names `e` reads, through what each name in scope comes from."""
    names = {x.name for x in core.walk(e) if isinstance(x, core.Var)}
    return frozenset().union(*(origins.get(n, frozenset()) for n in names))
