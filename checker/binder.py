"""Runtime values -> a Z3 model of a function's parameters (the hot path of `evaluate`).

A `Binder` is prepared once per function template: a plan that mirrors the
symbolic value of every parameter (`checker/symenv.py`) with the Z3 declaration
of each leaf. `model(args)` walks the arguments along the plan and writes one
interpretation per leaf through the C API (`Z3_add_const_interp`): the
presence flag of an optional and its payload only when present, the length of a
list and its first `length` slots only. Leaves it does not write (payloads of
absent values, unused slots) get the model's default on evaluation with
completion, and no term depends on them. The encoding is the one of
`model/types.py` and `checker/compile.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import z3

from smallprint.model.core import Value
from smallprint.model.types import BOOL, TEXT, EnumT, ListT, OptT, RecordT, Type

from .symenv import EncodingError, Sym, SymList, SymOpt, SymRecord, SymScalar, SymWindow, Types, string_val

_INT64 = 2**63


@dataclass(frozen=True)
class _Scalar:
    decl: z3.FuncDeclRef
    kind: str  # bool | int | real | text | enum
    variants: dict[str, z3.ExprRef]


@dataclass(frozen=True)
class _Opt:
    present: z3.FuncDeclRef
    inner: _Plan


@dataclass(frozen=True)
class _Window:
    present: z3.FuncDeclRef
    start: z3.FuncDeclRef
    end: z3.FuncDeclRef


@dataclass(frozen=True)
class _Record:
    fields: tuple[_Plan, ...]


@dataclass(frozen=True)
class _List:
    length: z3.FuncDeclRef
    slots: tuple[_Plan, ...]


_Plan = _Scalar | _Opt | _Window | _Record | _List


class Binder:
    """Writes the arguments of one function into a fresh Z3 model."""

    def __init__(self, types: Types, params: tuple[Sym, ...], param_types: tuple[Type, ...]) -> None:
        self.types = types
        self.plans = tuple(self._plan(s, t) for s, t in zip(params, param_types, strict=True))
        ctx = z3.main_ctx()
        self._ctx = ctx
        self._ref = ctx.ref()
        self._int = z3.IntSort().ast
        self._real = z3.RealSort().ast
        self._true = z3.BoolVal(True)
        self._false = z3.BoolVal(False)

    def _plan(self, sym: Sym, ty: Type) -> _Plan:
        if isinstance(sym, SymOpt):
            assert isinstance(ty, OptT)
            return _Opt(sym.present.decl(), self._plan(sym.value, ty.inner))
        if isinstance(sym, SymWindow):
            return _Window(sym.present.decl(), sym.start.decl(), sym.end.decl())
        if isinstance(sym, SymRecord):
            assert isinstance(ty, RecordT)
            fields = self.types.fields(ty.name)
            return _Record(tuple(self._plan(s, t) for s, (_, t) in zip(sym.fields, fields, strict=True)))
        if isinstance(sym, SymList):
            assert isinstance(ty, ListT)
            return _List(sym.length.decl(), tuple(self._plan(s, ty.elem) for s in sym.slots))
        assert isinstance(sym, SymScalar)
        variants: dict[str, z3.ExprRef]
        if ty == BOOL:
            kind, variants = "bool", {}
        elif ty == TEXT:
            kind, variants = "text", {}
        elif isinstance(ty, EnumT):
            kind, variants = "enum", dict(self.types.enums[ty.name][1])
        else:
            kind, variants = ("real" if self.types.sort(ty) == z3.RealSort() else "int"), {}
        return _Scalar(sym.term.decl(), kind, variants)

    def model(self, args: tuple[Value, ...] | list[Value]) -> z3.ModelRef:
        if len(args) != len(self.plans):
            raise ValueError(f"{len(self.plans)} argument(s) expected, {len(args)} given")
        raw = z3.Z3_mk_model(self._ref)
        z3.Z3_model_inc_ref(self._ref, raw)
        try:
            for plan, value in zip(self.plans, args, strict=True):
                self._write(raw, plan, value)
            model = z3.ModelRef(raw, self._ctx)
        finally:
            z3.Z3_model_dec_ref(self._ref, raw)
        return model

    def _set(self, raw: object, decl: z3.FuncDeclRef, value: z3.Ast) -> None:
        z3.Z3_add_const_interp(self._ref, raw, decl.ast, value)

    def _whole(self, v: Value) -> z3.Ast:
        if isinstance(v, bool) or not isinstance(v, int):
            raise EncodingError(f"`{v!r}` is not a whole number")
        if -_INT64 <= v < _INT64:
            return z3.Z3_mk_int64(self._ref, v, self._int)
        return z3.Z3_mk_numeral(self._ref, str(v), self._int)

    def _write(self, raw: object, plan: _Plan, v: Value) -> None:
        if isinstance(plan, _Scalar):
            if plan.kind == "int":
                self._set(raw, plan.decl, self._whole(v))
            elif plan.kind == "bool":
                if not isinstance(v, bool):
                    raise EncodingError(f"`{v!r}` is not true or false")
                self._set(raw, plan.decl, (self._true if v else self._false).as_ast())
            elif plan.kind == "enum":
                if not isinstance(v, str) or v not in plan.variants:
                    raise EncodingError(f"`{v!r}` is not a variant")
                self._set(raw, plan.decl, plan.variants[v].as_ast())
            elif plan.kind == "text":
                if not isinstance(v, str):
                    raise EncodingError(f"`{v!r}` is not a text")
                self._set(raw, plan.decl, string_val(v).as_ast())
            else:
                if isinstance(v, bool) or not isinstance(v, int | Fraction):
                    raise EncodingError(f"`{v!r}` is not an exact number")
                f = Fraction(v)
                self._set(
                    raw, plan.decl, z3.Z3_mk_numeral(self._ref, f"{f.numerator}/{f.denominator}", self._real)
                )
        elif isinstance(plan, _Opt):
            self._set(raw, plan.present, (self._false if v is None else self._true).as_ast())
            if v is not None:
                self._write(raw, plan.inner, v)
        elif isinstance(plan, _Window):
            self._set(raw, plan.present, (self._false if v is None else self._true).as_ast())
            if v is not None:
                if not (isinstance(v, tuple) and len(v) == 2):
                    raise EncodingError(f"`{v!r}` is not a window")
                self._set(raw, plan.start, self._whole(v[0]))
                self._set(raw, plan.end, self._whole(v[1]))
        elif isinstance(plan, _Record):
            if not (isinstance(v, tuple) and len(v) == len(plan.fields)):
                raise EncodingError(f"`{v!r}` is not a record of {len(plan.fields)} fields")
            for p, x in zip(plan.fields, v, strict=True):
                self._write(raw, p, x)
        else:
            if not isinstance(v, tuple) or len(v) > len(plan.slots):
                raise EncodingError(f"`{v!r}` is not a list of at most {len(plan.slots)} elements")
            self._set(raw, plan.length, self._whole(len(v)))
            for p, x in zip(plan.slots, v, strict=False):
                self._write(raw, p, x)
