"""Z3's read-only term accessors, called as C functions without the binding's wrapper.

Each function of `z3.z3core` calls its C function, then asks the context for an
error code (a second C call), and passes every argument through a Python-level
`from_param`: about 1.8 us a call here, against 0.7 us for the C function alone.
A walk over a checkout's terms (`checker/dag.py`) makes thousands of such calls.
The accessors below only read a live term's own data and cannot fail on the
nodes a walk gives them (each an application or a number under a term the
caller holds), so the walks call them directly. Arguments and results are
plain addresses (ints); `as_ast` makes one a term of the binding again.

The C functions are found through the binding's wrappers (each keeps its ctypes
function as a default argument, in every z3-solver release since 4.8); a test
checks every accessor against its wrapper.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import cast

import z3
import z3.z3core as api

_P = ctypes.c_void_p
_U = ctypes.c_uint


def _c_function(wrapper: Callable[..., object], restype: type, *argtypes: type) -> Callable[..., object]:
    defaults = getattr(wrapper, "__defaults__", None) or ()
    function = getattr(defaults[-1], "f", None) if defaults else None
    address = ctypes.cast(function, _P).value if function is not None else None
    if address is None:
        return _through(wrapper, restype, argtypes)
    prototype = ctypes.CFUNCTYPE(restype, *argtypes)
    return cast(Callable[..., object], prototype(address))


def _through(
    wrapper: Callable[..., object], restype: type, argtypes: tuple[type, ...]
) -> Callable[..., object]:
    """A binding laid out otherwise: its wrapper, with the same addresses in and out
    (slower, but right)."""

    def call(*args: int) -> object:
        result = wrapper(*(a if t is _U else as_ast(a) for a, t in zip(args, argtypes, strict=True)))
        if restype is _P:
            return cast(ctypes.c_void_p, result).value
        if restype is ctypes.c_char_p:
            return str(result).encode()
        return result

    return call


_ast_kind = _c_function(api.Z3_get_ast_kind, _U, _P, _P)
_app_decl = _c_function(api.Z3_get_app_decl, _P, _P, _P)
_decl_kind = _c_function(api.Z3_get_decl_kind, _U, _P, _P)
_num_args = _c_function(api.Z3_get_app_num_args, _U, _P, _P)
_app_arg = _c_function(api.Z3_get_app_arg, _P, _P, _P, _U)
_sort = _c_function(api.Z3_get_sort, _P, _P, _P)
_sort_kind = _c_function(api.Z3_get_sort_kind, _U, _P, _P)
_numeral_string = _c_function(api.Z3_get_numeral_string, ctypes.c_char_p, _P, _P)


def ast_kind(ctx: int, a: int) -> int:
    return cast(int, _ast_kind(ctx, a))


def decl_kind_of_app(ctx: int, a: int) -> int:
    """The kind of the declaration of application `a` (`Z3_OP_ITE`, ...)."""
    return cast(int, _decl_kind(ctx, _app_decl(ctx, a)))


def num_args(ctx: int, a: int) -> int:
    return cast(int, _num_args(ctx, a))


def app_arg(ctx: int, a: int, i: int) -> int:
    return cast(int, _app_arg(ctx, a, i))


def sort_kind_of(ctx: int, a: int) -> int:
    """The kind of the sort of term `a` (`Z3_INT_SORT`, ...)."""
    return cast(int, _sort_kind(ctx, _sort(ctx, a)))


def numeral_string(ctx: int, a: int) -> str:
    return cast(bytes, _numeral_string(ctx, a)).decode()


def as_ast(a: int) -> z3.Ast:
    """Address `a` as the binding's own low-level term (`z3.Ast`): an argument for its
    functions, an element of its arrays, what `ExprRef` wraps. Made from the address's
    bytes (`Ast`'s constructor would leave its pointer null)."""
    return z3.Ast.from_buffer_copy(_P(a))
