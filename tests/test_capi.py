"""Z3's accessors called as C functions (`checker/capi.py`) answer as the binding's
wrappers do, on every kind of node a plan's terms hold; so does the fallback through
the wrappers, for a binding laid out otherwise."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import z3
import z3.z3core as api

from smallprint.checker import capi


def _nodes(t: z3.ExprRef) -> Iterator[z3.ExprRef]:
    yield t
    if z3.is_app(t):
        for c in t.children():
            yield from _nodes(c)


def _terms() -> list[z3.ExprRef]:
    c, n, r = z3.Bool("c"), z3.Int("n"), z3.Real("r")
    return [
        z3.If(c, n * 3 - 7, z3.IntVal(-12)),
        z3.And(c, r >= z3.RealVal("5/2"), z3.Not(n == 4)),
        z3.ToReal(n) + r * z3.RealVal("-1/3"),
    ]


@pytest.mark.parametrize("through_wrappers", [False, True])
def test_accessors_agree_with_the_bindings_wrappers(through_wrappers: bool) -> None:
    # `through_wrappers`: the functions as built for a binding whose wrappers keep no
    # C function (`_through`), the path a future z3-solver could send us down.
    accessors = {
        "ast_kind": capi._ast_kind,
        "app_decl": capi._app_decl,
        "decl_kind": capi._decl_kind,
        "num_args": capi._num_args,
        "app_arg": capi._app_arg,
        "sort": capi._sort,
        "sort_kind": capi._sort_kind,
        "numeral_string": capi._numeral_string,
    }
    if through_wrappers:
        p, u = capi._P, capi._U
        made = {
            "ast_kind": (api.Z3_get_ast_kind, u, (p, p)),
            "app_decl": (api.Z3_get_app_decl, p, (p, p)),
            "decl_kind": (api.Z3_get_decl_kind, u, (p, p)),
            "num_args": (api.Z3_get_app_num_args, u, (p, p)),
            "app_arg": (api.Z3_get_app_arg, p, (p, p, u)),
            "sort": (api.Z3_get_sort, p, (p, p)),
            "sort_kind": (api.Z3_get_sort_kind, u, (p, p)),
            "numeral_string": (api.Z3_get_numeral_string, capi.ctypes.c_char_p, (p, p)),
        }
        accessors = {k: capi._through(w, r, a) for k, (w, r, a) in made.items()}
    seen = 0
    for term in _terms():
        ref = term.ctx.ref()
        for node in _nodes(term):
            raw, address = node.as_ast(), node.as_ast().value
            assert accessors["ast_kind"](ref.value, address) == api.Z3_get_ast_kind(ref, raw)
            sort = accessors["sort"](ref.value, address)
            assert sort == api.Z3_get_sort(ref, raw).value
            assert accessors["sort_kind"](ref.value, sort) == node.sort().kind()
            if z3.is_rational_value(node) or z3.is_int_value(node):
                text = accessors["numeral_string"](ref.value, address)
                assert text == api.Z3_get_numeral_string(ref, raw).encode()
                seen += 1
            decl = accessors["app_decl"](ref.value, address)
            assert accessors["decl_kind"](ref.value, decl) == node.decl().kind()
            n = accessors["num_args"](ref.value, address)
            assert n == node.num_args()
            for j, child in enumerate(node.children()):
                assert accessors["app_arg"](ref.value, address, j) == child.as_ast().value
    assert seen >= 4  # the numbers were read, negative and fractional ones among them


def test_an_address_is_a_term_of_the_binding_again() -> None:
    n = z3.Int("n")
    t = n * 3 + 1
    again = z3.ArithRef(capi.as_ast(t.as_ast().value), t.ctx)
    assert again.eq(t)
    # usable where the binding builds arrays of terms (a null pointer would not be)
    assert z3.simplify(z3.Sum(again, n) - 4 * n).eq(z3.IntVal(1))
