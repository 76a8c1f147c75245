"""Hints for the syntax slips a new author makes, read off the text around an error.

An LALR parser knows which tokens it expected, not what the author meant: `=`
where `==` was meant, `&&` for `and`, a unit it does not know (`10 dys`), a list
type without its bound. Each function here looks at the text just before and
after the unexpected token and names the slip, or returns None.
"""

from __future__ import annotations

import difflib
import re

from smallprint.grammar.span import Span

_CHARACTERS = {
    "&": "write `and`: `a and b`",
    "!": 'write `not`: `not a` (and `!=` for "not equal")',
    ";": "no `;` is needed: a clause ends where the next `when`/`unless` or declaration starts",
    "|": "write `or`: `a or b`",
}

# Other spellings of a unit, and the unit they mean.
_ALIASES = {
    "meter": "m", "meters": "m", "metre": "m", "metres": "m", "min": "minutes", "mins": "minutes",
    "h": "hours", "hr": "hours", "hrs": "hours", "d": "days", "wk": "weeks", "wks": "weeks",
    "kgs": "kg", "kilos": "kg", "grams": "g", "gb": "GB", "mb": "MB", "kb": "KB", "bytes": "B",
}  # fmt: skip

_NUMBER_BEFORE = re.compile(r"[0-9]+(\.[0-9]+)?[ \t]*\Z")
_CURRENCY_WORD = re.compile(r"\b(USD|US|EUR|GBP|CNY|RUB|BRL)[ \t]?[0-9][0-9.]*\s*\Z")
_SIGNATURE_END = re.compile(r"->\s*[A-Z][A-Za-z0-9_]*(\s*\[[^\]]*\])?\??\s*\Z")
_LET_BEFORE = re.compile(r"\blet\s*\Z")
_ARM_AFTER = re.compile(r"\s*(=>|\|)")
_DECLARATION_START = re.compile(r"^(rule|def|property|const|test|plan|record|enum|window)\b", re.MULTILINE)
_QUANTIFIER_WORD = re.compile(r"\b(forall|exists)\b")
_DECLARATION_WORDS = frozenset(
    {"rule", "def", "property", "const", "test", "plan", "record", "enum", "window"}
)


def character_hint(text: str, pos: int) -> str | None:
    char = text[pos] if pos < len(text) else ""
    if char == "$" and text.startswith("-", pos + 1):
        return "a negative amount puts the minus first: `-US$1.00`"
    return _CHARACTERS.get(char)


def token_hint(
    text: str, start: int, token: str, token_type: str, expected: set[str], units: tuple[str, ...]
) -> str | None:
    """The slip the token at `start` shows, if it shows one (`units`: those a quantity
    literal takes, as the grammar's QUANTITY token lists them)."""
    before = text[:start]
    after = text[start + len(token) :]
    if token == "=" and "COMP_OP" in expected:
        return "compare with `==`; a single `=` gives a definition its value"
    if token == "," and "INVARIANT" in expected:
        return "a record's fields need no commas: one `name: Type` after another"
    if token == "|" and after.startswith("|"):
        return _CHARACTERS["|"]
    if token.isalpha() and _NUMBER_BEFORE.search(before) and token_type != "INT":
        close = [_ALIASES[token]] if token in _ALIASES else difflib.get_close_matches(token, units, n=1)
        guess = f"did you mean `{close[0]}`? " if close else ""
        named = [u for u in units if f"{u}s" not in units]  # `days`, not also `day`
        return f"{guess}`{token}` is not a unit: units are {', '.join(named)}"
    if token == "{" and _SIGNATURE_END.search(before):
        return "a definition's value follows `=`: `def f(x: Int) -> Int = x + 1`"
    if _LET_BEFORE.search(before):
        return "`let` names a value inside a `plan`; elsewhere, write a `def` for it"
    if token_type == "LNAME" and "UNAME" in expected and _ARM_AFTER.match(after):
        return f"a match arm names the enum of its variant: `Status.{token}`"
    if "OTHERWISE" in expected and token in _DECLARATION_WORDS:
        return "a definition by cases ends with `otherwise => ...`, its value when no case holds"
    return None


def currency_hint(before: str) -> str | None:
    """`USD12`, `EUR 5`: money is written in US dollars with a `$`."""
    if _CURRENCY_WORD.search(before):
        return "money is written with a `$`: `US$12` or `$12.50`"
    return None


def unclosed(text: str, start: int, file: str) -> tuple[str, Span] | None:
    """The innermost bracket left open before `start` (strings and comments skipped),
    with where it was opened."""
    stack: list[tuple[str, int]] = []
    pairs = {")": "(", "]": "[", "}": "{"}
    i = 0
    while i < start:
        c = text[i]
        if c == '"':
            end = text.find('"', i + 1)
            while end != -1 and text[end - 1] == "\\":
                end = text.find('"', end + 1)
            i = start if end == -1 else end + 1
            continue
        if c == "#":
            end = text.find("\n", i)
            i = start if end == -1 else end
            continue
        if c in "([{":
            stack.append((c, i))
        elif c in pairs and stack and stack[-1][0] == pairs[c]:
            stack.pop()
        i += 1
    if not stack:
        return None
    bracket, at = stack[-1]
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return bracket, Span(file, line, column, line, column + 1)


def in_quantifier(text: str, start: int) -> bool:
    """Whether a `forall`/`exists` stands between the declaration's start and `start`:
    only there is a `.` ending binders worth naming among the expected tokens."""
    heads = list(_DECLARATION_START.finditer(text, 0, start))
    begin = heads[-1].start() if heads else 0
    return _QUANTIFIER_WORD.search(text, begin, start) is not None
