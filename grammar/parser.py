"""Text -> Lark tree, with positions, and syntax errors as diagnostics.

The LALR tables are built once and cached in the user's cache directory
(`$XDG_CACHE_HOME/smallprint`, else `~/.cache/smallprint`), keyed by the grammar
text and the Lark version, never inside the installed package. When no cache
directory is writable the parser is built in memory.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import tempfile
from functools import lru_cache
from importlib import resources

from lark import Lark, Token, Tree
from lark import __version__ as lark_version
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from smallprint.grammar import slips
from smallprint.grammar.cache import cache_dir
from smallprint.grammar.span import Diagnostic, Label, SmallprintError, Span

# Terminal names as a user would call them, for "expected ..." lists.
_TOKEN_NAMES: dict[str, str] = {
    "LNAME": "a name",
    "UNAME": "a type name",
    "STRING": "a string",
    "INT": "a number",
    "MONEY": "an amount of money",
    "PERCENT": "a percentage",
    "DATE": "a date",
    "DATETIME": "a date-time",
    "QUANTITY": "a quantity with a unit",
    "COMP_OP": "a comparison",
    "FIELD_DOT": "`.`",
    "SEP_DOT": "`.` (followed by a space) ending the binders",
    "$END": "end of file",
}


# An amount of money written right before a token: `US$1.00` then `5` is `US$1.005`.
_CENTS = re.compile(r"\$[0-9]+\.[0-9]{2}$")
# A quantifier right before a token, after an operator (read as a name there).
_QUANTIFIER = re.compile(r"\b(and|or|not|implies|where)\s+(exists|forall)\s+$")


def grammar_text() -> str:
    return resources.files("smallprint.grammar").joinpath("smallprint.lark").read_text("utf-8")


def _cache_file(text: str) -> str | None:
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(f"{lark_version}\n{text}".encode()).hexdigest()[:16]
    return str(folder / f"grammar-{digest}.lark-cache")


@lru_cache(maxsize=1)
def _parser() -> Lark:
    text = grammar_text()
    options: dict[str, object] = {
        "parser": "lalr",
        "propagate_positions": True,
        "maybe_placeholders": True,
    }
    cache = _cache_file(text)
    if cache is None:
        return Lark(text, **options)
    try:
        return Lark(text, cache=cache, **options)
    except OSError:
        # A read-only or racing cache must never stop a parse.
        fd, tmp = tempfile.mkstemp(prefix="smallprint-grammar-")
        os.close(fd)
        return Lark(text, cache=tmp, **options)


def parse(text: str, file: str) -> Tree[Token]:
    """Parse one module; raise `SmallprintError` with a positioned diagnostic."""
    try:
        return _parser().parse(text)
    except UnexpectedInput as exc:
        raise SmallprintError([_diagnose(exc, text, file)]) from None


def _describe(names: set[str], *, in_quantifier: bool = True) -> str:
    shown = []
    for name in sorted(names):
        if name == "SEP_DOT" and not in_quantifier:
            continue  # the LALR states shared with a quantifier's `where` offer it everywhere
        if name in _TOKEN_NAMES:
            shown.append(_TOKEN_NAMES[name])
            continue
        pattern = _literal(name)
        shown.append(f"`{pattern}`" if pattern else name.lower())
    unique = sorted(set(shown))
    if len(unique) > 8:
        unique = [*unique[:8], "..."]
    return ", ".join(unique)


@lru_cache(maxsize=1)
def _quantity_units() -> tuple[str, ...]:
    """The unit words of the grammar's QUANTITY token (`(days|day|...|B)`), in its order."""
    for term in _parser().terminals:
        if term.name == "QUANTITY":
            found = re.search(r"\(((?:[A-Za-z]+\|)+[A-Za-z]+)\)", str(term.pattern.value))
            if found:
                return tuple(found.group(1).split("|"))
    return ()


def _literal(name: str) -> str | None:
    for term in _parser().terminals:
        if term.name == name and term.pattern.type == "str":
            return str(term.pattern.value)
    return None


def _diagnose(exc: UnexpectedInput, text: str, file: str) -> Diagnostic:
    line = getattr(exc, "line", 1) or 1
    column = getattr(exc, "column", 1) or 1
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream or 0
        char = text[pos] if pos < len(text) else ""
        span = Span(file, line, column, line, column + 1)
        hint = None
        if char == "'":
            hint = 'text is written in double quotes: "like this"'
        elif char in "€£¥":
            hint = "money is written in US dollars with minor units: `US$12.40` or `$0.99`"
        elif char == "." and pos > 0 and text[pos - 1].isdigit():
            hint = (
                "a bare number is whole: write a percentage (`15%`), money (`US$0.15`) "
                "or a quantity (`1.5 kg`)"
            )
        else:
            hint = slips.character_hint(text, pos)
        return Diagnostic(f"unexpected character `{char}`", span, hint, code="syntax")
    if isinstance(exc, UnexpectedEOF):
        lines = text.splitlines() or [""]
        last = len(lines)
        span = Span(file, last, len(lines[-1]) + 1, last, len(lines[-1]) + 2)
        expected = _describe(set(exc.expected), in_quantifier=slips.in_quantifier(text, len(text)))
        hint = slips.currency_hint(text) or (f"expected {expected}" if expected else None)
        return Diagnostic(
            "unexpected end of file", span, hint, code="syntax", labels=_open_at(text, len(text), file)
        )
    assert isinstance(exc, UnexpectedToken)
    token = exc.token
    found = f"`{token}`" if token.type != "$END" else "end of file"
    end_col = (token.end_column or column + 1) if token.type != "$END" else column + 1
    span = Span(file, line, column, token.end_line or line, end_col)
    start = token.start_pos if token.start_pos is not None and token.type != "$END" else len(text)
    expected = _describe(set(exc.expected), in_quantifier=slips.in_quantifier(text, start))
    hint = f"expected {expected}" if expected else None
    if token.type == "LNAME" and str(token) in {"and", "or"}:
        hint = "a condition is missing before this word"
    if token.type == "UNAME" and "LNAME" in exc.expected:
        hint = "names of values, fields and rules start with a lowercase letter"
    if token.type == "LNAME" and "UNAME" in exc.expected and "LNAME" not in exc.expected:
        hint = "type names start with an uppercase letter (`Order`, `Date`, `Money`)"
    if token.type == "SEP_DOT":
        hint = "a field is written without a space after the dot: `o.items`"
    if token.type == "EXCEPT":
        hint = "`except` follows an `unless` (an exception to that exception): `unless a except b`"
    if token.type == "INT" and _CENTS.search(text, 0, start) is not None:
        hint = "money has at most two decimals (cents): `US$1.00`, not `US$1.005`"
    quantifier = _QUANTIFIER.search(text, 0, start)
    if quantifier is not None:
        word = quantifier.group(1)
        example = "where (exists j in xs. ...)" if word == "where" else f"a {word} (exists x in xs. ...)"
        hint = f"a quantifier after `{word}` goes in parentheses: `{example}`"
    elif token.type == "LNAME":
        words = [w for name in exc.expected if (w := _literal(name)) is not None and w.isalpha()]
        close = difflib.get_close_matches(str(token), words, n=1, cutoff=0.75)
        if close:
            hint = f"did you mean `{close[0]}`?" + (f" (expected {expected})" if expected else "")
    slip = slips.token_hint(text, start, str(token), token.type, set(exc.expected), _quantity_units())
    slip = slip or slips.currency_hint(text[:start])
    labels = _open_at(text, start, file) if any(_literal(n) in (")", "]", "}") for n in exc.expected) else ()
    return Diagnostic(f"unexpected {found}", span, slip or hint, code="syntax", labels=labels)


def _open_at(text: str, start: int, file: str) -> tuple[Label, ...]:
    """A bracket left open on an earlier line than the error: where the error is seen is
    seldom where the `)` was forgotten."""
    found = slips.unclosed(text, start, file)
    if found is None:
        return ()
    bracket, span = found
    error_line = text.count("\n", 0, start) + 1
    if span.line == error_line:
        return ()
    return (Label(span, f"this `{bracket}` is not closed"),)
